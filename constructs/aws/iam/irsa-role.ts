import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { attachManagedPolicies } from "./managed-policies";

/** Props of {@link IrsaRole}. */
export interface IrsaRoleProps {
  /** Role name. */
  readonly name: string;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** Issuer URL of the cluster (https://oidc.eks...). */
  readonly oidcIssuerUrl: string;
  /** Namespace of the Kubernetes service account. */
  readonly namespace: string;
  /** Name of the Kubernetes service account. */
  readonly serviceAccount: string;
  /** AWS-managed policy paths to attach, e.g. "AmazonEKS_CNI_Policy". */
  readonly managedPolicies: string[];
}

/**
 * An IAM role for one Kubernetes service account (IRSA): only that service account, presenting
 * a token for STS, can assume it — never the whole cluster or the node.
 */
export class IrsaRole extends Construct {
  /** Role ARN, for the service account annotation or the add-on's service_account_role_arn. */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    const issuer = Fn.replace(props.oidcIssuerUrl, "https://", "");
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [props.oidcProviderArn] }],
          condition: [
            { test: "StringEquals", variable: `${issuer}:sub`, values: [`system:serviceaccount:${props.namespace}:${props.serviceAccount}`] },
            { test: "StringEquals", variable: `${issuer}:aud`, values: ["sts.amazonaws.com"] },
          ],
        },
      ],
    });
    const role = new IamRole(this, "role", { name: props.name, assumeRolePolicy: trust.json });
    this.arn = role.arn;
    attachManagedPolicies(this, role.name, props.managedPolicies);
  }
}
