import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { ConfigError } from "../../errors";

/** Props of {@link GithubOidcRole}. */
export interface GithubOidcRoleProps {
  /** Role name. */
  readonly name: string;
  /** GitHub repository allowed to assume the role, "org/repo". */
  readonly repository: string;
  /** Only workflows running on this branch may assume it. */
  readonly branch: string;
  /** What the role may do. */
  readonly statements: DataAwsIamPolicyDocumentStatement[];
  /** Existing GitHub OIDC provider ARN (one per account). @default a new provider */
  readonly oidcProviderArn?: string;
}

const GITHUB_ISSUER = "token.actions.githubusercontent.com";

/**
 * An IAM role GitHub Actions assumes with its OIDC token — no static keys — restricted to one
 * repository and one branch through the token's `sub` claim.
 */
export class GithubOidcRole extends Construct {
  /** Role ARN, for aws-actions/configure-aws-credentials `role-to-assume`. */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: GithubOidcRoleProps) {
    super(scope, id);
    if (!/^[\w.-]+\/[\w.-]+$/.test(props.repository)) {
      throw new ConfigError(`repository must be "org/repo", got "${props.repository}"`, this);
    }
    if (!props.branch || /[*?]/.test(props.branch)) {
      throw new ConfigError(`branch must name one branch without wildcards, got "${props.branch}"`, this);
    }
    const providerArn =
      props.oidcProviderArn ??
      new IamOpenidConnectProvider(this, "github", { url: `https://${GITHUB_ISSUER}`, clientIdList: ["sts.amazonaws.com"] }).arn;
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [providerArn] }],
          condition: [
            { test: "StringEquals", variable: `${GITHUB_ISSUER}:aud`, values: ["sts.amazonaws.com"] },
            { test: "StringEquals", variable: `${GITHUB_ISSUER}:sub`, values: [`repo:${props.repository}:ref:refs/heads/${props.branch}`] },
          ],
        },
      ],
    });
    const role = new IamRole(this, "role", { name: props.name, assumeRolePolicy: trust.json, maxSessionDuration: 3600 });
    const permissions = new DataAwsIamPolicyDocument(this, "permissions", { statement: props.statements });
    new IamRolePolicy(this, "policy", { role: role.id, policy: permissions.json });
    this.arn = role.arn;
  }
}
