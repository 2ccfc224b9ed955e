/**
 * Runs policy rules as a cdktf Aspect and collects the findings of every stack into one report.
 *
 * cdktf 0.21 invokes aspects per stack, starting at the stack (aspects added to the App itself
 * are never visited), so one {@link PolicyAspect} is added to every stack. When it visits the
 * stack node it indexes the stack's terraform elements; when it visits a resource it runs the
 * rules for that resource's type. An element is resolved into the snake_case form of
 * cdk.tf.json the first time a rule needs it, and at most once. The report is written
 * and the verdict given in an App validation, which cdktf runs after every stack was synthesized.
 */
import {
  Annotations,
  App,
  DefaultTokenResolver,
  IAspect,
  StringConcat,
  TerraformDataSource,
  TerraformElement,
  TerraformResource,
  TerraformStack,
  Tokenization,
} from "cdktf";
import { IConstruct } from "constructs";
import { ConfigError } from "../errors";
import { PolicyFinding, PolicyReport, renderFailure, reportedRule, unsuppressed, writeReport } from "./report";
import { PolicyResource, PolicyRule, StackResources } from "./rule";
import { indexStack, ItemKey } from "./stack-resources";
import { findSuppression, Suppression, suppressionsOn } from "./suppressions";

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** The synthesized form of one element, as in cdk.tf.json. */
function toPolicyResource(stack: TerraformStack, element: TerraformElement): PolicyResource | undefined {
  const json = Tokenization.resolve(element.toTerraform(), { scope: stack, preparing: false, resolver: RESOLVER }) as {
    resource?: Record<string, Record<string, Record<string, unknown>>>;
    data?: Record<string, Record<string, Record<string, unknown>>>;
  };
  const kind = json.resource ? "resource" : "data";
  const [type, byName] = Object.entries(json.resource ?? json.data ?? {})[0] ?? [];
  if (!type || !byName) return undefined;
  const [name, attributes] = Object.entries(byName)[0];
  const { "//": _metadata, ...rest } = attributes;
  return {
    kind,
    type,
    name,
    address: kind === "data" ? `data.${type}.${name}` : `${type}.${name}`,
    path: element.node.path,
    attributes: rest,
  };
}

/** The terraform blocks rules can inspect. */
type PolicyElement = TerraformResource | TerraformDataSource;

function isPolicyElement(construct: IConstruct): construct is PolicyElement {
  return TerraformResource.isTerraformResource(construct) || TerraformDataSource.isTerraformDataSource(construct);
}

/** Type and address of an element, known without resolving its attributes. */
function keyOf(element: PolicyElement): ItemKey {
  const type = `${TerraformDataSource.isTerraformDataSource(element) ? "data." : ""}${element.terraformResourceType}`;
  return { type, address: `${type}.${element.friendlyUniqueId}` };
}

/** What the check found in one stack (replaced if the stack is synthesized again). */
interface StackResult {
  readonly index: StackResources;
  readonly elements: ReadonlySet<IConstruct>;
  /** Evaluations per rule id (not counting "not applicable"). */
  readonly checks: Map<string, number>;
  readonly findings: PolicyFinding[];
}

/** Options of a policy check. */
export interface PolicyCheckOptions {
  /** Rules to run. */
  readonly rules: readonly PolicyRule[];
  /** Fail synth on an unsuppressed violation. */
  readonly enforce: boolean;
}

/** One policy run over an App: the aspects, the collected findings and the final verdict. */
export class PolicyCheck {
  private readonly rulesByType = new Map<string, PolicyRule[]>();
  private readonly results = new Map<string, StackResult>();
  private lastReport?: PolicyReport;

  constructor(
    private readonly app: App,
    private readonly options: PolicyCheckOptions,
  ) {
    const ids = new Set<string>();
    for (const rule of options.rules) {
      if (ids.has(rule.id)) throw new ConfigError(`policy rule id ${rule.id} is used by two rules; rule ids must be unique`);
      ids.add(rule.id);
      for (const type of rule.appliesTo) this.rulesByType.set(type, [...(this.rulesByType.get(type) ?? []), rule]);
    }
  }

  /** The aspect to add to `stack`. */
  public aspectFor(stack: TerraformStack): IAspect {
    return new PolicyAspect(this, stack);
  }

  /** The report of the last synth, once validation ran. */
  public get report(): PolicyReport | undefined {
    return this.lastReport;
  }

  /** @internal Start (or restart) collecting a stack: index its elements, resolved on first use. */
  public beginStack(stack: TerraformStack): void {
    const elements = stack.node.findAll().filter(isPolicyElement);
    const index = indexStack(elements, keyOf, (element) => toPolicyResource(stack, element));
    this.results.set(stack.node.path, { index, elements: new Set(elements), checks: new Map(), findings: [] });
  }

  /** @internal Run the rules for one element of a stack that {@link beginStack} indexed. */
  public evaluate(stack: TerraformStack, element: PolicyElement): void {
    const result = this.results.get(stack.node.path);
    if (!result || !result.elements.has(element)) return;
    const key = keyOf(element);
    const rules = this.rulesByType.get(key.type) ?? [];
    const resource = rules.length ? result.index.byAddress(key.address) : undefined;
    if (!resource) return;
    for (const rule of rules) {
      const outcome = rule.check(resource, result.index);
      if (outcome.status === "not-applicable") continue;
      result.checks.set(rule.id, (result.checks.get(rule.id) ?? 0) + 1);
      if (outcome.status === "compliant") continue;
      const suppression = findSuppression(element, rule.id);
      result.findings.push({
        ruleId: rule.id,
        externalIds: rule.externalIds,
        severity: rule.severity,
        stack: stack.node.path,
        path: resource.path,
        address: resource.address,
        message: outcome.message,
        fix: rule.fix,
        suppressed: suppression !== undefined,
        ...(suppression ? { suppressionReason: suppression.reason, suppressedAt: suppression.path } : {}),
      });
      if (suppression) {
        Annotations.of(element).addInfo(`[${rule.id}] suppressed: ${suppression.reason}`);
      } else {
        // A warning, not an error: an error annotation aborts that stack's synth before the report exists.
        Annotations.of(element).addWarning(`[${rule.id}] ${outcome.message}. Fix: ${rule.fix}`);
      }
    }
  }

  /** @internal After every stack: check suppressions, write the report, fail on violations. */
  public finish(): void {
    const constructs = this.app.node.findAll();
    const unchecked = constructs.filter(TerraformStack.isStack).filter((stack) => !this.results.has(stack.node.path));
    if (unchecked.length) {
      throw new ConfigError(
        `stacks ${unchecked.map((s) => s.node.path).join(", ")} were not policy-checked: they were created after applyPolicyPacks; apply the packs last, after every stack exists`,
      );
    }
    const suppressions = constructs.flatMap(suppressionsOn);
    const known = new Set(this.options.rules.map((r) => r.id));
    const unknown = suppressions.filter((s) => !known.has(s.ruleId));
    if (unknown.length) {
      throw new ConfigError(
        `suppressions name rules that do not exist: ${unknown.map((s) => `${s.ruleId} at ${s.path}`).join(", ")}; ` +
          `use an id from the policy report's rule table`,
      );
    }
    const results = [...this.results.values()];
    const findings = results.flatMap((r) => r.findings).sort((a, b) => Number(a.suppressed) - Number(b.suppressed));
    const used = (s: Suppression) => findings.some((f) => f.ruleId === s.ruleId && f.suppressedAt === s.path);
    const checksOf = (ruleId: string) => results.reduce((sum, r) => sum + (r.checks.get(ruleId) ?? 0), 0);
    const report: PolicyReport = {
      enforced: this.options.enforce,
      stacks: results.length,
      resources: results.reduce((sum, r) => sum + r.elements.size, 0),
      checks: this.options.rules.reduce((sum, rule) => sum + checksOf(rule.id), 0),
      rules: this.options.rules.map((rule) => ({
        ...reportedRule(rule),
        checks: checksOf(rule.id),
        findings: findings.filter((f) => f.ruleId === rule.id).length,
      })),
      findings,
      unusedSuppressions: suppressions.filter((s) => !used(s)),
    };
    this.lastReport = report;
    const reportPath = writeReport(report, this.app.outdir);
    if (this.options.enforce && unsuppressed(report).length > 0) {
      throw new ConfigError(renderFailure(report, reportPath));
    }
  }
}

/**
 * The per-stack aspect. Aspects visit the stack before its children, so the stack visit indexes
 * every resource and each later resource visit can run rules that look across the stack.
 */
class PolicyAspect implements IAspect {
  constructor(
    private readonly check: PolicyCheck,
    private readonly stack: TerraformStack,
  ) {}

  public visit(node: IConstruct): void {
    if (node === this.stack) this.check.beginStack(this.stack);
    else if (isPolicyElement(node)) this.check.evaluate(this.stack, node);
  }
}
