import { IConstruct } from "constructs";
import { ConfigError } from "../errors";

/** Metadata type a suppression is recorded under, visible in the construct tree. */
const SUPPRESSION_METADATA = "policy/suppression";

/** Shortest reason accepted: long enough that "n/a" or "todo" cannot pass as a justification. */
export const MIN_SUPPRESSION_REASON = 10;

/** Our rule ids: `<CLOUD>-<SERVICE>-<NNN>` or `K8S-<NNN>`. */
const RULE_ID = /^[A-Z0-9]+(-[A-Z0-9]+)*-\d{3}$/;

/** A rule switched off for a construct and everything below it. */
export interface Suppression {
  /** Id of the suppressed rule, e.g. "AWS-S3-003"; must name an existing rule. */
  readonly ruleId: string;
  /** Why the rule does not apply here (trimmed, at least {@link MIN_SUPPRESSION_REASON} characters); shown in the report. */
  readonly reason: string;
  /** Path of the construct the suppression was added to. */
  readonly path: string;
}

/**
 * Suppress `ruleId` for `scope` and its whole subtree (a stack, a construct, one resource).
 * The finding still appears in the policy report, marked suppressed with `reason`; only the
 * synth failure is waived. Throws a ConfigError for a malformed rule id or a reason shorter
 * than {@link MIN_SUPPRESSION_REASON} characters.
 *
 * @example suppressRule(bucket, "AWS-S3-003", "public website bucket served via CloudFront OAC only")
 */
export function suppressRule(scope: IConstruct, ruleId: string, reason: string): void {
  if (!RULE_ID.test(ruleId)) {
    throw new ConfigError(`cannot suppress "${ruleId}": not a policy rule id (e.g. "AWS-EKS-001"); see docs/policy-packs.md`, scope);
  }
  const trimmed = reason.trim();
  if (trimmed.length < MIN_SUPPRESSION_REASON) {
    throw new ConfigError(
      `suppression of ${ruleId} needs a reason of at least ${MIN_SUPPRESSION_REASON} characters saying why the rule does not apply here, got "${reason}"`,
      scope,
    );
  }
  scope.node.addMetadata(SUPPRESSION_METADATA, { ruleId, reason: trimmed });
}

/** Suppressions added directly on `scope` (not inherited). */
export function suppressionsOn(scope: IConstruct): Suppression[] {
  return scope.node.metadata
    .filter((entry) => entry.type === SUPPRESSION_METADATA)
    .map((entry) => ({ ...(entry.data as { ruleId: string; reason: string }), path: scope.node.path }));
}

/** The suppression of `ruleId` that covers `construct`: the nearest one on it or its ancestors. */
export function findSuppression(construct: IConstruct, ruleId: string): Suppression | undefined {
  const scopes = construct.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const match = suppressionsOn(scopes[i]).find((s) => s.ruleId === ruleId);
    if (match) return match;
  }
  return undefined;
}
