/**
 * Readers for Kubernetes provider resources as they appear in cdk.tf.json (`metadata`, `spec`,
 * `template` are single blocks; `container` is a list), shared by the Kubernetes rules.
 */
import { Block, block, blocks, refersTo } from "../../attributes";
import { PolicyResource } from "../../rule";

/** Deployment types of the kubernetes provider (the unversioned one is deprecated, still seen). */
export const DEPLOYMENT_TYPES = ["kubernetes_deployment_v1", "kubernetes_deployment"];
/** HorizontalPodAutoscaler types of the kubernetes provider. */
export const HPA_TYPES = [
  "kubernetes_horizontal_pod_autoscaler_v2",
  "kubernetes_horizontal_pod_autoscaler_v2beta2",
  "kubernetes_horizontal_pod_autoscaler_v1",
  "kubernetes_horizontal_pod_autoscaler",
];
/** PodDisruptionBudget types of the kubernetes provider. */
export const PDB_TYPES = ["kubernetes_pod_disruption_budget_v1", "kubernetes_pod_disruption_budget"];

/** The metadata block (name, namespace, labels). */
export function metadataOf(resource: PolicyResource): Block {
  return block(resource.attributes.metadata) ?? {};
}

/** The deployment's pod template spec. */
export function podSpecOf(deployment: PolicyResource): Block {
  return block(block(block(deployment.attributes.spec)?.template)?.spec) ?? {};
}

/** The app containers of the pod template, each with its name for messages. */
export function containersOf(deployment: PolicyResource): Block[] {
  return blocks(podSpecOf(deployment).container);
}

/** App and init containers: security settings apply to both. */
export function allContainersOf(deployment: PolicyResource): Block[] {
  return [...containersOf(deployment), ...blocks(podSpecOf(deployment).init_container)];
}

/** Container name for messages. */
export function containerName(container: Block): string {
  return `container "${String(container.name)}"`;
}

function namespaceOf(resource: PolicyResource): unknown {
  return metadataOf(resource).namespace ?? "default";
}

/**
 * True when a scaler's target (`scale_target_ref`) is this deployment: same kind, its name or a
 * reference to it, and the same namespace when both are literal.
 */
export function targetsDeployment(hpa: PolicyResource, deployment: PolicyResource): boolean {
  const target = block(block(hpa.attributes.spec)?.scale_target_ref);
  if (!target || target.kind !== "Deployment") return false;
  const name = metadataOf(deployment).name;
  const sameName = target.name === name || refersTo(target.name, deployment);
  const [a, b] = [namespaceOf(hpa), namespaceOf(deployment)];
  const sameNamespace = typeof a !== "string" || typeof b !== "string" || a.includes("${") || b.includes("${") || a === b;
  return sameName && sameNamespace;
}
