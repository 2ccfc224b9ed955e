import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { Construct } from "constructs";

/** Issuer of GitHub Actions OIDC tokens. */
export const GITHUB_OIDC_ISSUER = "token.actions.githubusercontent.com";

/**
 * ARN of an account's GitHub OIDC provider. IAM allows one provider per issuer and account, so the
 * ARN is known from the account id: stacks that trust it take this instead of creating a provider.
 */
export function githubOidcProviderArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:oidc-provider/${GITHUB_OIDC_ISSUER}`;
}

/**
 * The account-wide GitHub Actions OIDC provider: the root of every CI role's trust. Exactly one
 * stack (`<env>-aws-ci`) owns it; an application stack creating it would fail with
 * EntityAlreadyExists or take the root of CI authentication down with it. That stack is applied by
 * an administrator, and the CI apply role is denied every IAM action on it.
 */
export class GithubOidcProvider extends Construct {
  /** Provider ARN. */
  public readonly arn: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.arn = new IamOpenidConnectProvider(this, "provider", {
      url: `https://${GITHUB_OIDC_ISSUER}`,
      clientIdList: ["sts.amazonaws.com"],
      // Operators' destroy of an environment keeps it (as it keeps the state bucket).
      lifecycle: { preventDestroy: true },
    }).arn;
  }
}
