import { Aspects, DefaultTokenResolver, IAspect, StringConcat, TerraformResource, TerraformStack, Tokenization } from "cdktf";
import { IConstruct } from "constructs";
import { ConfigError } from "../errors";
import { MIN_REPLICAS_REASON_ANNOTATION } from "./labels";
import { parseQuantity } from "./quantity";

/** Shortest reason accepted for running an HPA below two replicas. */
export const MIN_REASON_LENGTH = 10;

interface ContainerFacts {
  readonly name: string;
  readonly requests: Record<string, string>;
  readonly limits: Record<string, string>;
  readonly readiness: boolean;
  readonly liveness: boolean;
}

interface DeploymentFacts {
  readonly path: string;
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly replicas: number;
  readonly podLabels: Record<string, string>;
  readonly containers: readonly ContainerFacts[];
}

interface AutoscalerFacts {
  readonly namespace: string;
  readonly targetKind: string;
  readonly targetName: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly reason?: string;
}

interface DisruptionBudgetFacts {
  readonly name: string;
  readonly namespace: string;
  readonly matchLabels: Record<string, string>;
  readonly minAvailable?: string;
  readonly maxUnavailable?: string;
}

/** The Kubernetes objects of one stack, as terraform will see them (after overrides). */
interface StackFacts {
  readonly deployments: DeploymentFacts[];
  readonly autoscalers: AutoscalerFacts[];
  readonly budgets: DisruptionBudgetFacts[];
}

// Single nested blocks synthesize as an object or a one-element list depending on the provider
// version; the checks read both.
function one(block: any): any {
  return Array.isArray(block) ? block[0] : block;
}

function list(block: any): any[] {
  if (block === undefined || block === null) return [];
  return Array.isArray(block) ? block : [block];
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());

// Resolve like synth's own preparing pass does, so a value set through a token reads as its value.
function synthesizedAttributes(stack: TerraformStack, resource: TerraformResource): any {
  const block = Tokenization.resolve(resource.toTerraform(), { scope: stack, resolver: RESOLVER, preparing: true });
  return block.resource[resource.terraformResourceType][resource.friendlyUniqueId];
}

const NAMESPACE_REFERENCE = /^\$\{kubernetes_namespace_v1\.([\w-]+)\.metadata\[0\]\.name\}$/;

/** Literal names of the stack's namespaces, so a message says "payments", not a reference. */
function namespaceNames(stack: TerraformStack): Map<string, string> {
  const names = new Map<string, string>();
  for (const node of stack.node.findAll()) {
    if (node instanceof TerraformResource && node.terraformResourceType === "kubernetes_namespace_v1") {
      names.set(node.friendlyUniqueId, one(synthesizedAttributes(stack, node).metadata)?.name);
    }
  }
  return names;
}

function collectFacts(stack: TerraformStack): StackFacts {
  const facts: StackFacts = { deployments: [], autoscalers: [], budgets: [] };
  const literalNamespaces = namespaceNames(stack);
  const display = (namespace: string) => literalNamespaces.get(NAMESPACE_REFERENCE.exec(namespace)?.[1] ?? "") ?? namespace;
  for (const node of stack.node.findAll()) {
    if (!(node instanceof TerraformResource)) continue;
    const type = node.terraformResourceType;
    if (type !== "kubernetes_deployment_v1" && type !== "kubernetes_horizontal_pod_autoscaler_v2" && type !== "kubernetes_pod_disruption_budget_v1") continue;
    const synthesized = synthesizedAttributes(stack, node);
    const metadata = one(synthesized.metadata) ?? {};
    const spec = one(synthesized.spec) ?? {};
    const namespace = metadata.namespace ?? "default";
    if (type === "kubernetes_deployment_v1") {
      const template = one(spec.template) ?? {};
      facts.deployments.push({
        path: node.node.path,
        id: `${display(namespace)}/${metadata.name}`,
        namespace,
        name: metadata.name,
        replicas: spec.replicas === undefined ? 1 : Number(spec.replicas),
        podLabels: one(template.metadata)?.labels ?? {},
        containers: list(one(template.spec)?.container).map((c) => ({
          name: c.name,
          requests: one(c.resources)?.requests ?? {},
          limits: one(c.resources)?.limits ?? {},
          readiness: list(c.readiness_probe).length > 0,
          liveness: list(c.liveness_probe).length > 0,
        })),
      });
    } else if (type === "kubernetes_horizontal_pod_autoscaler_v2") {
      const target = one(spec.scale_target_ref) ?? {};
      facts.autoscalers.push({
        namespace,
        targetKind: target.kind,
        targetName: target.name,
        minReplicas: spec.min_replicas === undefined ? 1 : Number(spec.min_replicas),
        maxReplicas: Number(spec.max_replicas),
        reason: metadata.annotations?.[MIN_REPLICAS_REASON_ANNOTATION],
      });
    } else {
      facts.budgets.push({
        name: metadata.name,
        namespace,
        matchLabels: one(spec.selector)?.match_labels ?? {},
        minAvailable: spec.min_available,
        maxUnavailable: spec.max_unavailable,
      });
    }
  }
  return facts;
}

function selects(matchLabels: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(matchLabels);
  return keys.length > 0 && keys.every((key) => labels[key] === matchLabels[key]);
}

/** Pods a budget value stands for out of `pods`; Kubernetes rounds PDB percentages up. */
function podsOf(value: string, pods: number): number {
  return value.endsWith("%") ? Math.ceil((Number(value.slice(0, -1)) * pods) / 100) : Number(value);
}

function budgetProblem(budget: DisruptionBudgetFacts, pods: number): string | undefined {
  if (budget.maxUnavailable !== undefined && podsOf(budget.maxUnavailable, pods) < 1) {
    return `PodDisruptionBudget ${budget.name} has maxUnavailable ${budget.maxUnavailable}, so a node drain can never evict a pod; use maxUnavailable 1`;
  }
  if (budget.minAvailable !== undefined && podsOf(budget.minAvailable, pods) >= pods) {
    return `PodDisruptionBudget ${budget.name} has minAvailable ${budget.minAvailable} with ${pods} replica(s), so a node drain can never evict a pod; use maxUnavailable 1 instead`;
  }
  return undefined;
}

function containerProblems(container: ContainerFacts): string[] {
  const problems: string[] = [];
  const label = `container ${container.name}`;
  for (const field of ["cpu", "memory"]) {
    if (container.requests[field] === undefined) problems.push(`${label} has no ${field} request; set resources.${field}Request`);
  }
  const request = container.requests.memory;
  const limit = container.limits.memory;
  if (limit === undefined) {
    problems.push(`${label} has no memory limit; set resources.memoryLimit (at least the request)`);
  } else if (request !== undefined) {
    const [requestBytes, limitBytes] = [parseQuantity(request), parseQuantity(limit)];
    if (requestBytes !== undefined && limitBytes !== undefined && limitBytes < requestBytes) {
      problems.push(`${label} memory limit ${limit} is below its request ${request}; raise resources.memoryLimit to at least ${request}`);
    }
  }
  if (!container.readiness) problems.push(`${label} has no readiness probe; add probes.readiness so rollouts wait for ready pods`);
  if (!container.liveness) problems.push(`${label} has no liveness probe; add probes.liveness so a wedged pod restarts`);
  return problems;
}

function deploymentProblems(deployment: DeploymentFacts, facts: StackFacts): string[] {
  const problems: string[] = [];
  const hpa = facts.autoscalers.find(
    (a) => a.namespace === deployment.namespace && a.targetKind === "Deployment" && a.targetName === deployment.name,
  );
  if (!hpa) {
    problems.push("has no HorizontalPodAutoscaler; every Deployment must autoscale (use the Workload construct, or add an HPA v2 targeting it)");
  } else {
    if (hpa.minReplicas < 2 && (hpa.reason ?? "").trim().length < MIN_REASON_LENGTH) {
      problems.push(
        `HPA minReplicas is ${hpa.minReplicas}, so a node drain takes the service down; use at least 2, or give autoscaling.minReplicasReason (>= ${MIN_REASON_LENGTH} chars)`,
      );
    }
    if (hpa.maxReplicas < hpa.minReplicas) {
      problems.push(`HPA maxReplicas ${hpa.maxReplicas} is below minReplicas ${hpa.minReplicas}; raise autoscaling.maxReplicas`);
    }
  }
  // During a drain the HPA keeps at least minReplicas pods; without one, the Deployment's count.
  const pods = hpa ? hpa.minReplicas : deployment.replicas;
  const budgets = facts.budgets.filter((b) => b.namespace === deployment.namespace && selects(b.matchLabels, deployment.podLabels));
  if (budgets.length === 0) problems.push("has no PodDisruptionBudget; a node drain could evict every replica at once");
  for (const budget of budgets) {
    const problem = budgetProblem(budget, pods);
    if (problem) problems.push(problem);
  }
  for (const container of deployment.containers) problems.push(...containerProblems(container));
  return problems.map((problem) => `${deployment.path}: Deployment ${deployment.id} ${problem}`);
}

/**
 * Every consistency problem among the Deployments, HPAs and PDBs of `stack`, one line each naming
 * the construct path, the Deployment and the values: a Deployment without an HPA or PDB, an HPA
 * below two replicas without a reason, maxReplicas below minReplicas, a PDB that blocks a drain,
 * missing requests or memory limit, a memory limit below the request, missing probes.
 */
export function workloadConsistencyProblems(stack: TerraformStack): string[] {
  const facts = collectFacts(stack);
  return facts.deployments.flatMap((deployment) => deploymentProblems(deployment, facts));
}

/** The Aspect that fails synth of a stack with any {@link workloadConsistencyProblems}. */
class WorkloadConsistencyAspect implements IAspect {
  public visit(node: IConstruct): void {
    if (!(node instanceof TerraformStack)) return;
    const problems = workloadConsistencyProblems(node);
    if (problems.length > 0) {
      throw new ConfigError(`Kubernetes workload consistency check failed:\n${problems.join("\n")}`);
    }
  }
}

const enforcedStacks = new WeakSet<TerraformStack>();

/**
 * Check the Kubernetes workloads of the stack containing `scope` at synth time (once per stack,
 * however often it is called). It reads what terraform would receive, so Deployments created
 * without the Workload construct, or changed with overrides, are held to the same rules.
 */
export function enforceWorkloadConsistency(scope: IConstruct): void {
  const stack = TerraformStack.of(scope);
  if (enforcedStacks.has(stack)) return;
  enforcedStacks.add(stack);
  Aspects.of(stack).add(new WorkloadConsistencyAspect());
}
