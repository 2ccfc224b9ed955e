import { githubOidcProviderArn } from "../../../../constructs/aws/iam/github-oidc-provider";
import { GithubOidcRole } from "../../../../constructs/aws/iam/github-oidc-role";
import { emptyStack, synthJson } from "../../../helpers/synth";

const provider = githubOidcProviderArn("123456789012");

function build(repository: string, subjects: string[]) {
  const stack = emptyStack();
  new GithubOidcRole(stack, "ci", { name: "ci", repository, subjects, oidcProviderArn: provider, statements: [{ actions: ["ecr:GetAuthorizationToken"], resources: ["*"] }] });
  return synthJson(stack);
}

describe("GithubOidcRole", () => {
  it("trusts only the given provider, repository and exact subjects", () => {
    const trust = Object.values(build("fintech/platform-infra", ["pull_request", "environment:test-aws"]).data.aws_iam_policy_document).find(
      (d: any) => d.statement[0].actions[0] === "sts:AssumeRoleWithWebIdentity",
    ) as any;
    expect(trust.statement[0].principals).toEqual([{ type: "Federated", identifiers: [provider] }]);
    expect(trust.statement[0].condition).toEqual([
      { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] },
      { test: "StringEquals", variable: "token.actions.githubusercontent.com:sub", values: ["repo:fintech/platform-infra:pull_request", "repo:fintech/platform-infra:environment:test-aws"] },
    ]);
  });

  it("never creates an OIDC provider (one per account, owned by the CI stack)", () => {
    expect(build("fintech/payments", ["ref:refs/heads/main"]).resource.aws_iam_openid_connect_provider).toBeUndefined();
  });

  it.each([["*"], ["ref:refs/heads/*"], ["environment:prod*"], ["repo:other/repo:pull_request"]])("rejects the subject %s", (subject) => {
    expect(() => build("fintech/payments", [subject])).toThrow(/subject ".*" is not pull_request, environment:<name> or ref:refs\/heads\/<branch> \(exact, no wildcards\)/);
  });

  it("rejects no subjects and a repository that is not org/repo", () => {
    expect(() => build("fintech/payments", [])).toThrow(/subjects is empty/);
    expect(() => build("payments", ["pull_request"])).toThrow(/repository must be "org\/repo", got "payments"/);
  });
});
