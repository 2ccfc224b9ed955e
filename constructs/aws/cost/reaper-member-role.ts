import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { REAPER_DEFAULTS, ROLE_NAME_PATTERN } from "../../../lambdas/ebs-reaper/config";
import { ConfigError } from "../../errors";
import { reaperEc2Statements } from "./reaper-permissions";

/** Settings of a ReaperMemberRole. */
export interface ReaperMemberRoleProps {
  /** ARN of the EbsReaper function's role (its `roleArn`), the only principal allowed to assume this role. */
  readonly reaperRoleArn: string;
  /**
   * Role name; must match the reaper's configured member role name.
   * @default REAPER_DEFAULTS.roleName ("ebs-reaper-member")
   */
  readonly roleName?: string;
}

const ROLE_ARN_PATTERN = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * The role the EBS reaper assumes in a member account: the reaper's EC2 permissions (DeleteVolume
 * only on approved volumes), trusted by the reaper's function role alone. Deploy it in every
 * member account listed in the reaper's config.
 */
export class ReaperMemberRole extends Construct {
  /** The role. */
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ReaperMemberRoleProps) {
    super(scope, id);
    const roleName = props.roleName ?? REAPER_DEFAULTS.roleName;
    if (!ROLE_NAME_PATTERN.test(roleName)) {
      throw new ConfigError(`roleName "${roleName}" is not a valid IAM role name; use 1-64 of letters, digits and +=,.@_-`, this);
    }
    // A token (cross-stack reference) is resolved by terraform; a literal must be a role ARN.
    if (!props.reaperRoleArn.includes("${") && !ROLE_ARN_PATTERN.test(props.reaperRoleArn)) {
      throw new ConfigError(`reaperRoleArn "${props.reaperRoleArn}" is not an IAM role ARN; pass the EbsReaper's roleArn`, this);
    }
    const partition = new DataAwsPartition(this, "partition");
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          sid: "OnlyTheReaper",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "AWS", identifiers: [props.reaperRoleArn] }],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      name: roleName,
      description: "Assumed by the EBS reaper: find unattached volumes, snapshot and delete owner-approved ones",
      assumeRolePolicy: trust.json,
      maxSessionDuration: 3600,
    });
    const permissions = new DataAwsIamPolicyDocument(this, "permissions", { statement: reaperEc2Statements(partition.partition) });
    new IamRolePolicy(this, "policy", { name: "ebs-reaper", role: this.role.id, policy: permissions.json });
  }
}
