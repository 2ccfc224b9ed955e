import { fromProblems, NOT_APPLICABLE, PolicyRule } from "../../rule";
import { documentStatements, IamStatement, literalStatements } from "./iam-document";

/**
 * Services that act for any account (log delivery, flow logs): without aws:SourceAccount or
 * aws:SourceArn, another account's flow log or bucket can make the service use our role or
 * write into our bucket (the confused deputy).
 */
export const CONFUSED_DEPUTY_SERVICES = ["vpc-flow-logs.amazonaws.com", "delivery.logs.amazonaws.com", "logging.s3.amazonaws.com"] as const;
const SOURCE_KEYS = ["aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID"];

function unpinned(statement: IamStatement): string[] {
  if (statement.effect !== "Allow") return [];
  const services = statement.principals
    .filter((p) => p.type === "Service")
    .flatMap((p) => p.identifiers)
    .filter((id) => (CONFUSED_DEPUTY_SERVICES as readonly string[]).includes(id));
  if (services.length === 0 || statement.conditions.some((c) => SOURCE_KEYS.includes(c.variable))) return [];
  return services;
}

/** Cross-account services may act for us only on our own account's behalf. */
export const serviceTrustSourceAccount: PolicyRule = {
  id: "AWS-IAM-003",
  externalIds: [],
  description: `Policies letting ${CONFUSED_DEPUTY_SERVICES.join(", ")} in are pinned with aws:SourceAccount or aws:SourceArn`,
  severity: "high",
  fix: "Add a condition StringEquals aws:SourceAccount = <account id> (or ArnLike aws:SourceArn) to the statement naming the service",
  appliesTo: ["data.aws_iam_policy_document", "aws_iam_role", "aws_s3_bucket_policy"],
  check(resource) {
    const statements =
      resource.kind === "data"
        ? documentStatements(resource)
        : resource.type === "aws_iam_role"
          ? literalStatements(resource.attributes.assume_role_policy)
          : literalStatements(resource.attributes.policy);
    if (!statements) return NOT_APPLICABLE;
    const services = statements.flatMap(unpinned);
    return fromProblems(services.map((s) => `"${s}" is trusted without aws:SourceAccount / aws:SourceArn (any account's resources could use it)`));
  },
};
