import { fromProblems, NOT_APPLICABLE, PolicyRule } from "../../rule";
import { documentStatements, hasWildcardPrincipal, literalStatements } from "./iam-document";

function assumesRole(action: string): boolean {
  return action === "*" || action === "sts:*" || action.startsWith("sts:AssumeRole");
}

/** Only named accounts, services or federated identities may assume a role. */
export const iamNoWildcardTrust: PolicyRule = {
  id: "AWS-IAM-002",
  externalIds: ["Checkov CKV_AWS_60"],
  description: "Role trust policies never let principal \"*\" assume the role",
  severity: "critical",
  fix: "Name the trusted principal (account root, service or OIDC provider) and constrain it with conditions",
  appliesTo: ["data.aws_iam_policy_document", "aws_iam_role"],
  check(resource) {
    const statements =
      resource.kind === "data" ? documentStatements(resource) : literalStatements(resource.attributes.assume_role_policy);
    if (!statements) return NOT_APPLICABLE;
    return fromProblems(
      statements
        .filter((s) => s.effect === "Allow" && s.actions.some(assumesRole) && hasWildcardPrincipal(s))
        .map((s) => `principal "*" may ${s.actions.join(", ")}`),
    );
  },
};
