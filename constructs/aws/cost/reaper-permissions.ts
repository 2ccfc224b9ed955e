import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { TAGS } from "../../../lambdas/ebs-reaper/config";

/**
 * What the reaper may do to EC2 in an account, shared by the Lambda's own role (for its own
 * account) and ReaperMemberRole (for member accounts) so the two can never drift apart.
 *
 * - Describe calls cannot be scoped to resources, so they are the only `*`.
 * - Tags: on volumes only the reaper's own `ebs-reaper:*` keys; on snapshots only while creating them.
 * - DeleteVolume only on volumes whose owner set `ebs-reaper:approved=true`: even a bug in the
 *   reaper cannot delete an unapproved volume.
 */
export function reaperEc2Statements(partition: string): DataAwsIamPolicyDocumentStatement[] {
  const volumes = `arn:${partition}:ec2:*:*:volume/*`;
  const snapshots = `arn:${partition}:ec2:*::snapshot/*`;
  return [
    {
      sid: "Discover",
      actions: ["ec2:DescribeVolumes", "ec2:DescribeSnapshots", "ec2:DescribeRegions"],
      resources: ["*"],
    },
    {
      sid: "MarkVolumes",
      actions: ["ec2:CreateTags", "ec2:DeleteTags"],
      resources: [volumes],
      condition: [{ test: "ForAllValues:StringLike", variable: "aws:TagKeys", values: ["ebs-reaper:*"] }],
    },
    {
      sid: "FinalSnapshot",
      actions: ["ec2:CreateSnapshot"],
      resources: [volumes, snapshots],
    },
    {
      sid: "TagFinalSnapshotOnCreate",
      actions: ["ec2:CreateTags"],
      resources: [snapshots],
      condition: [{ test: "StringEquals", variable: "ec2:CreateAction", values: ["CreateSnapshot"] }],
    },
    {
      sid: "DeleteApprovedVolumesOnly",
      actions: ["ec2:DeleteVolume"],
      resources: [volumes],
      condition: [{ test: "StringEquals", variable: `aws:ResourceTag/${TAGS.approved}`, values: ["true"] }],
    },
  ];
}
