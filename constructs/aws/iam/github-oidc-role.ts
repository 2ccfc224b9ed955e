import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { ConfigError } from "../../errors";
import { GITHUB_OIDC_ISSUER } from "./github-oidc-provider";

/**
 * The part of a GitHub Actions OIDC token's `sub` claim after `repo:<org>/<repo>:`:
 * - `pull_request`: a job of a pull_request workflow without an environment;
 * - `environment:<name>`: a job in that GitHub environment (its protection rules passed);
 * - `ref:refs/heads/<branch>` / `ref:refs/tags/<tag>`: a job on that branch or tag, without an environment.
 */
export type GithubSubject = string;

/** Props of {@link GithubOidcRole}. */
export interface GithubOidcRoleProps {
  /** Role name. */
  readonly name: string;
  /** GitHub repository allowed to assume the role, "org/repo". */
  readonly repository: string;
  /** Token subjects (after `repo:<org>/<repo>:`) allowed, exact, no wildcards, e.g. `["environment:test-aws"]`. */
  readonly subjects: readonly GithubSubject[];
  /** The account's GitHub OIDC provider ({@link GithubOidcProvider}, one per account, owned by the CI stack). */
  readonly oidcProviderArn: string;
  /** What the role may do (inline policy). @default none */
  readonly statements?: DataAwsIamPolicyDocumentStatement[];
  /** AWS managed policies attached, e.g. `arn:aws:iam::aws:policy/ReadOnlyAccess`. @default none */
  readonly managedPolicyArns?: readonly string[];
}

const SUBJECT = /^(pull_request|environment:[\w.-]+|ref:refs\/(heads|tags)\/[\w./-]+)$/;

/**
 * An IAM role GitHub Actions assumes with its OIDC token (no static keys), restricted through the
 * token's `sub` claim to one repository and an exact list of subjects: a pull request job, a job in
 * a named GitHub environment, or a branch.
 */
export class GithubOidcRole extends Construct {
  /** Role ARN, for aws-actions/configure-aws-credentials `role-to-assume`. */
  public readonly arn: string;
  /** The role. */
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: GithubOidcRoleProps) {
    super(scope, id);
    if (!/^[\w.-]+\/[\w.-]+$/.test(props.repository)) {
      throw new ConfigError(`repository must be "org/repo", got "${props.repository}"`, this);
    }
    if (props.subjects.length === 0) {
      throw new ConfigError("subjects is empty: list who may assume the role, e.g. environment:test-aws", this);
    }
    for (const subject of props.subjects) {
      if (!SUBJECT.test(subject)) {
        throw new ConfigError(
          `subject "${subject}" is not pull_request, environment:<name> or ref:refs/heads/<branch> (exact, no wildcards)`,
          this,
        );
      }
    }
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [props.oidcProviderArn] }],
          condition: [
            { test: "StringEquals", variable: `${GITHUB_OIDC_ISSUER}:aud`, values: ["sts.amazonaws.com"] },
            { test: "StringEquals", variable: `${GITHUB_OIDC_ISSUER}:sub`, values: props.subjects.map((s) => `repo:${props.repository}:${s}`) },
          ],
        },
      ],
    });
    this.role = new IamRole(this, "role", { name: props.name, assumeRolePolicy: trust.json, maxSessionDuration: 3600 });
    if (props.statements && props.statements.length > 0) {
      const permissions = new DataAwsIamPolicyDocument(this, "permissions", { statement: props.statements });
      new IamRolePolicy(this, "policy", { role: this.role.id, policy: permissions.json });
    }
    (props.managedPolicyArns ?? []).forEach((policyArn, i) => new IamRolePolicyAttachment(this, `managed-${i}`, { role: this.role.name, policyArn }));
    this.arn = this.role.arn;
  }
}
