import { PolicyResource, PolicyRule, RuleOutcome } from "../../../constructs/policy/rule";
import { indexResources } from "../../../constructs/policy/stack-resources";

/** A synthesized resource as cdk.tf.json has it: snake_case attributes, references as "${...}". */
export function res(type: string, name: string, attributes: Record<string, unknown>, kind: "resource" | "data" = "resource"): PolicyResource {
  return { kind, type, name, address: kind === "data" ? `data.${type}.${name}` : `${type}.${name}`, path: `s/${name}`, attributes };
}

/** One rule evaluated on `target`, with `others` as the rest of its stack. */
export interface RuleCase {
  readonly target: PolicyResource;
  readonly others?: readonly PolicyResource[];
}

/** A compliant and a non-compliant case of one rule; `message` must match the finding. */
export interface RuleCases {
  readonly rule: PolicyRule;
  readonly compliant: RuleCase;
  readonly nonCompliant: RuleCase;
  readonly message: RegExp;
}

/** Run the rule the way the policy check does: the target plus its stack. */
export function evaluate(rule: PolicyRule, c: RuleCase): RuleOutcome {
  return rule.check(c.target, indexResources([c.target, ...(c.others ?? [])]));
}
