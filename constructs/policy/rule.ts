/**
 * The shape of a policy rule (cdk-nag style): metadata a reader needs to act on a finding, and a
 * pure check over one synthesized resource as it appears in cdk.tf.json.
 */

/** How bad a violation is; shown with every finding, never deciding whether synth fails. */
export type Severity = "critical" | "high" | "medium" | "low";

/** The key rules and indexes use for a resource's type: "aws_vpc", or "data.aws_vpc" for a data source. */
export function typeKey(resource: Pick<PolicyResource, "kind" | "type">): string {
  return resource.kind === "data" ? `data.${resource.type}` : resource.type;
}

/** One synthesized terraform block (resource or data source), with its attributes resolved. */
export interface PolicyResource {
  /** "resource" or "data": data sources matter for IAM policy documents. */
  readonly kind: "resource" | "data";
  /** Terraform type, e.g. "aws_eks_cluster". */
  readonly type: string;
  /** Logical id in cdk.tf.json, e.g. "cluster_3F2A1B". */
  readonly name: string;
  /** Terraform address: "aws_eks_cluster.cluster_3F2A1B" or "data.aws_iam_policy_document.x". */
  readonly address: string;
  /** Construct path, e.g. "test-aws-eks/cluster/cluster". */
  readonly path: string;
  /** Attributes in snake_case, tokens resolved to literals or "${...}" terraform references. */
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** The other resources of the same stack, for rules that relate resources to each other. */
export interface StackResources {
  /** Every resource and data source of the stack. */
  readonly all: readonly PolicyResource[];
  /** Resources of the given types; data sources are asked for as "data.<type>". */
  ofType(...types: string[]): PolicyResource[];
  /** The resource or data source at a terraform address, if the stack has it. */
  byAddress(address: string): PolicyResource | undefined;
}

/** What a rule concluded about one resource. */
export type RuleOutcome =
  | {
      /** The resource meets the rule; counted as a check. */
      readonly status: "compliant";
    }
  | {
      /** The resource violates the rule: a finding that fails synth unless suppressed. */
      readonly status: "non-compliant";
      /** What was seen, naming the attribute and its value, e.g. `public_access_cidrs includes 0.0.0.0/0`. */
      readonly message: string;
    }
  | {
      /** The rule does not concern this resource; not counted as a check. */
      readonly status: "not-applicable";
    };

/** The resource meets the rule. */
export const COMPLIANT: RuleOutcome = { status: "compliant" };
/** The rule does not apply to this resource (e.g. a P2S rule on a gateway without P2S). */
export const NOT_APPLICABLE: RuleOutcome = { status: "not-applicable" };

/** The resource violates the rule; `message` says what was seen. */
export function nonCompliant(message: string): RuleOutcome {
  return { status: "non-compliant", message };
}

/** A finding is compliant when none of `problems` is present; otherwise the problems are the message. */
export function fromProblems(problems: readonly string[]): RuleOutcome {
  return problems.length === 0 ? COMPLIANT : nonCompliant(problems.join("; "));
}

/** Everything a rule declares about itself. */
export interface PolicyRule {
  /** Our id, `<CLOUD>-<SERVICE>-<NNN>`, e.g. "AWS-EKS-001". Used to suppress the rule. */
  readonly id: string;
  /**
   * The same check in public scanners, prefixed with the scanner: "Checkov CKV_AWS_58",
   * "PSRule Azure.AKS.LocalAccounts", "Kyverno require-pod-probes". Empty when none exists.
   */
  readonly externalIds: readonly string[];
  /** One line: what a compliant resource looks like. */
  readonly description: string;
  /** How urgent a violation is; shown with each finding. Any unsuppressed finding fails synth, whatever its severity. */
  readonly severity: Severity;
  /** What to change, in terms of the construct or terraform attribute. */
  readonly fix: string;
  /**
   * Terraform types the rule inspects; other resources are never passed to `check`. Managed
   * resources by type ("aws_s3_bucket"), data sources prefixed ("data.aws_iam_policy_document"):
   * a `data "aws_eks_cluster"` lookup of a cluster managed elsewhere is not that cluster.
   */
  readonly appliesTo: readonly string[];
  /**
   * Pure check of one resource. `stack` is given to every rule; rules that only look at the
   * resource itself ignore it, rules like "every VPC has a flow log" search it.
   */
  check(resource: PolicyResource, stack: StackResources): RuleOutcome;
}
