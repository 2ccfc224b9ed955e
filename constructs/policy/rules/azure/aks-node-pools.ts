/**
 * AKS node pool settings live on the cluster's `default_node_pool` block and on every
 * `azurerm_kubernetes_cluster_node_pool`; zone and autoscaler rules read both the same way.
 */
import { block, Block } from "../../attributes";
import { PolicyResource } from "../../rule";

/** Terraform types whose node pool settings AKS rules inspect. */
export const NODE_POOL_TYPES = ["azurerm_kubernetes_cluster", "azurerm_kubernetes_cluster_node_pool"];

/** The node pool attributes of a cluster (its default pool) or of a separate node pool. */
export function nodePoolOf(resource: PolicyResource): Block {
  return resource.type === "azurerm_kubernetes_cluster" ? (block(resource.attributes.default_node_pool) ?? {}) : resource.attributes;
}
