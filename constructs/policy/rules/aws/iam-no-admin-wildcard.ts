import { fromProblems, NOT_APPLICABLE, PolicyRule, PolicyResource } from "../../rule";
import { documentStatements, inlinePolicies, literalStatements, IamStatement } from "./iam-document";

const POLICY_RESOURCES = ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"];
const ANY_ACTION = ["*", "*:*"];

function statementsOf(resource: PolicyResource): IamStatement[] | undefined {
  if (resource.kind === "data") return documentStatements(resource);
  // A policy that references a policy document is checked on the document itself, once.
  const literals = [resource.attributes.policy, ...inlinePolicies(resource)].map(literalStatements).filter((s) => s !== undefined);
  return literals.length ? literals.flat() : undefined;
}

/** No policy grants every action on every resource (administrator access). */
export const iamNoAdminWildcard: PolicyRule = {
  id: "AWS-IAM-001",
  externalIds: ["Checkov CKV_AWS_1", "Checkov CKV_AWS_62"],
  description: "IAM policies never Allow Action \"*\" (or \"*:*\") on Resource \"*\"",
  severity: "critical",
  fix: "List the actions the principal needs (service:Action) and scope Resource to ARNs",
  appliesTo: ["data.aws_iam_policy_document", ...POLICY_RESOURCES, "aws_iam_role"],
  check(resource) {
    const statements = statementsOf(resource);
    if (!statements) return NOT_APPLICABLE;
    return fromProblems(
      statements
        .filter((s) => s.effect === "Allow" && s.actions.some((a) => ANY_ACTION.includes(a)) && s.resources.includes("*"))
        .map(() => "a statement allows Action \"*\" on Resource \"*\""),
    );
  },
};
