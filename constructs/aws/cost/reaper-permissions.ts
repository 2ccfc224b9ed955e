import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { REAPER_WRITTEN_TAGS, TAGS } from "../../../lambdas/ebs-reaper/config";

/** An approval is a mark's value: an ISO timestamp (`true`, the old form, does not match). */
export const APPROVAL_VALUE_PATTERN = "????-??-??T??:??:??*Z";

/**
 * What the reaper may do to EC2 in an account, shared by the Lambda's own role (for its own
 * account) and ReaperMemberRole (for member accounts) so the two can never drift apart.
 *
 * - Describe calls cannot be scoped to resources, so they are the only `*`.
 * - Tags on volumes: only the keys the reaper writes (`marked-at`, `snapshot-id`), always named
 *   (a DeleteTags without keys would remove every tag and passes `ForAllValues` on an empty set).
 *   It can never set or remove `approved` or `keep`: it cannot approve a deletion itself or drop
 *   an owner's keep. On snapshots, tags only while creating them.
 * - DeleteVolume only on volumes carrying an owner's approval (a mark's timestamp; that it equals
 *   the current mark is checked in code, IAM cannot compare two tags) and never on
 *   `ebs-reaper:keep=true` (explicit Deny, which no Allow anywhere overrides).
 */
export function reaperEc2Statements(partition: string): DataAwsIamPolicyDocumentStatement[] {
  const volumes = `arn:${partition}:ec2:*:*:volume/*`;
  const snapshots = `arn:${partition}:ec2:*::snapshot/*`;
  const ownKeysOnly = [
    { test: "ForAllValues:StringEquals", variable: "aws:TagKeys", values: [...REAPER_WRITTEN_TAGS] },
    { test: "Null", variable: "aws:TagKeys", values: ["false"] },
  ];
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
      condition: ownKeysOnly,
    },
    {
      sid: "NeverTouchOwnerTags",
      effect: "Deny",
      actions: ["ec2:CreateTags", "ec2:DeleteTags"],
      resources: [volumes],
      condition: [{ test: "ForAnyValue:StringEquals", variable: "aws:TagKeys", values: [TAGS.approved, TAGS.keep] }],
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
      condition: [{ test: "StringLike", variable: `aws:ResourceTag/${TAGS.approved}`, values: [APPROVAL_VALUE_PATTERN] }],
    },
    {
      sid: "NeverDeleteKeptVolumes",
      effect: "Deny",
      actions: ["ec2:DeleteVolume"],
      resources: [volumes],
      condition: [{ test: "StringEqualsIgnoreCase", variable: `aws:ResourceTag/${TAGS.keep}`, values: ["true"] }],
    },
  ];
}
