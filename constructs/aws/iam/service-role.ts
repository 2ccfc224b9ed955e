import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { attachManagedPolicies } from "./managed-policies";

/** Props of {@link ServiceRole}. */
export interface ServiceRoleProps {
  /** Role name. */
  readonly name: string;
  /** AWS service allowed to assume the role, e.g. "eks.amazonaws.com". */
  readonly service: string;
  /**
   * AWS-managed policy names to attach (without the ARN prefix), e.g. "AmazonEKSClusterPolicy".
   * @default none
   */
  readonly managedPolicies?: string[];
  /**
   * Account whose resources may make the service assume the role (`aws:SourceAccount`). Set it for
   * services acting for any account (VPC flow logs, log delivery): otherwise another account's
   * resource could get the service to use this role (the confused deputy).
   * @default no condition (services like EKS or EC2 that only act for the caller's account)
   */
  readonly sourceAccount?: string;
}

/** An IAM role only one AWS service can assume, with the AWS-managed policies it needs. */
export class ServiceRole extends Construct {
  /** The role resource. */
  public readonly role: IamRole;
  /** Role ARN. */
  public readonly arn: string;
  /** The policy attachments; depend on these, not the role, when the permissions must exist first. */
  public readonly policyAttachments: IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: [props.service] }],
          condition: props.sourceAccount ? [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.sourceAccount] }] : undefined,
        },
      ],
    });
    this.role = new IamRole(this, "role", { name: props.name, assumeRolePolicy: trust.json });
    this.arn = this.role.arn;
    this.policyAttachments = attachManagedPolicies(this, this.role.name, props.managedPolicies ?? []);
  }
}
