import { NetworkPolicyV1, NetworkPolicyV1SpecEgress, NetworkPolicyV1SpecIngressFrom } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { Construct } from "constructs";
import { parseCidr } from "../core/cidr";
import { ConfigError } from "../errors";
import { NAME_LABEL } from "./labels";

/** Pods allowed to reach a workload, by label, in its own namespace or another one. */
export interface PodPeer {
  /** Namespace of the peer pods. @default the workload's namespace */
  readonly namespace?: string;
  /** Labels the peer pods carry. */
  readonly labels: Record<string, string>;
}

/** Where egress is allowed: an IPv4 CIDR and the ports on it. */
export interface CidrEgress {
  /** Destination range, e.g. `10.50.0.0/16`. */
  readonly cidr: string;
  /** Destination ports. */
  readonly ports: readonly NetworkPort[];
}

/** A port and protocol. */
export interface NetworkPort {
  /** Port number. */
  readonly port: number;
  /** @default "TCP" */
  readonly protocol?: "TCP" | "UDP";
}

/** Another workload this one may call, by its name label. */
export interface WorkloadPeer {
  /** Name of the workload (its `app.kubernetes.io/name` label). */
  readonly name: string;
  /** Namespace. @default the calling workload's namespace */
  readonly namespace?: string;
  /** Port the peer listens on. */
  readonly port: number;
}

/** The ingress controller's pods, which forward external traffic to the workload. */
export interface IngressControllerPeer {
  /** Namespace the controller runs in, e.g. `ingress-nginx`. */
  readonly namespace: string;
  /** Labels of the controller pods. @default any pod in that namespace */
  readonly labels?: Record<string, string>;
}

/** What a workload's NetworkPolicy allows on top of deny-all. Everything is denied by default. */
export interface WorkloadNetworkAllows {
  /** Namespaces whose pods may call the workload's port. @default none */
  readonly ingressFromNamespaces?: readonly string[];
  /** Pods (by label) that may call the workload's port. @default none */
  readonly ingressFromPods?: readonly PodPeer[];
  /** Allow the ingress controller to reach the workload's port. @default not allowed */
  readonly ingressController?: IngressControllerPeer;
  /** CIDRs and ports the workload may call, e.g. a database subnet. @default none */
  readonly egressToCidrs?: readonly CidrEgress[];
  /** Other workloads the workload may call. @default none */
  readonly egressToWorkloads?: readonly WorkloadPeer[];
}

/** Props of {@link WorkloadNetworkPolicy}. */
export interface WorkloadNetworkPolicyProps extends WorkloadNetworkAllows {
  /** Workload name: the policy selects pods by its name label. */
  readonly name: string;
  /** Namespace. */
  readonly namespace: string;
  /** The port the workload listens on; ingress allows reach only this port. */
  readonly port: number;
  /** Labels on the policy object. */
  readonly labels?: Record<string, string>;
}

const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

function namespaceSelector(namespace: string) {
  return { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } };
}

/** Cluster DNS: CoreDNS pods carry `k8s-app: kube-dns` in kube-system on both EKS and AKS. */
const DNS_EGRESS: NetworkPolicyV1SpecEgress = {
  to: [{ namespaceSelector: namespaceSelector("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
  ports: [
    { port: "53", protocol: "UDP" },
    { port: "53", protocol: "TCP" },
  ],
};

/**
 * A workload's NetworkPolicy: both directions default-deny for its pods, then exactly the listed
 * allows. DNS egress is always allowed, because without it nothing else the pod is allowed to
 * call can be resolved.
 */
export class WorkloadNetworkPolicy extends Construct {
  /** The NetworkPolicy resource. */
  public readonly policy: NetworkPolicyV1;

  constructor(scope: Construct, id: string, props: WorkloadNetworkPolicyProps) {
    super(scope, id);
    for (const peer of props.ingressFromPods ?? []) {
      if (Object.keys(peer.labels).length === 0) {
        throw new ConfigError(
          `ingressFromPods entry for namespace ${peer.namespace ?? props.namespace} has no labels, which would admit every pod there; list labels, or use ingressFromNamespaces if that is meant`,
          this,
        );
      }
    }
    const from: NetworkPolicyV1SpecIngressFrom[] = [
      ...(props.ingressFromNamespaces ?? []).map((ns) => ({ namespaceSelector: namespaceSelector(ns) })),
      ...(props.ingressFromPods ?? []).map((peer) => ({
        namespaceSelector: namespaceSelector(peer.namespace ?? props.namespace),
        podSelector: { matchLabels: peer.labels },
      })),
      ...(props.ingressController
        ? [{ namespaceSelector: namespaceSelector(props.ingressController.namespace), podSelector: { matchLabels: props.ingressController.labels ?? {} } }]
        : []),
    ];
    const egress: NetworkPolicyV1SpecEgress[] = [
      DNS_EGRESS,
      ...(props.egressToCidrs ?? []).map((rule) => this.cidrEgress(rule)),
      ...(props.egressToWorkloads ?? []).map((peer) => ({
        to: [{ namespaceSelector: namespaceSelector(peer.namespace ?? props.namespace), podSelector: { matchLabels: { [NAME_LABEL]: peer.name } } }],
        ports: [{ port: String(peer.port), protocol: "TCP" }],
      })),
    ];
    this.policy = new NetworkPolicyV1(this, "policy", {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        podSelector: { matchLabels: { [NAME_LABEL]: props.name } },
        policyTypes: ["Ingress", "Egress"],
        // No `from` rule at all means nothing may connect: an empty ingress list is deny-all.
        ingress: from.length > 0 ? [{ from, ports: [{ port: String(props.port), protocol: "TCP" }] }] : [],
        egress,
      },
    });
  }

  private cidrEgress(rule: CidrEgress): NetworkPolicyV1SpecEgress {
    try {
      parseCidr("egressToCidrs cidr", rule.cidr);
    } catch (error) {
      // parseCidr knows the rule; this adds which workload asked.
      throw new ConfigError((error as Error).message, this);
    }
    if (rule.cidr.endsWith("/0")) {
      throw new ConfigError(`egressToCidrs cidr "${rule.cidr}" allows the whole internet; list the ranges the workload calls`, this);
    }
    if (rule.ports.length === 0) {
      throw new ConfigError(`egressToCidrs cidr "${rule.cidr}" lists no ports; name the ports the workload calls`, this);
    }
    return {
      to: [{ ipBlock: { cidr: rule.cidr } }],
      ports: rule.ports.map((p) => ({ port: String(p.port), protocol: p.protocol ?? "TCP" })),
    };
  }
}
