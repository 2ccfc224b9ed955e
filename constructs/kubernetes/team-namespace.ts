import { LimitRangeV1 } from "@cdktf/provider-kubernetes/lib/limit-range-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { Construct } from "constructs";
import { ConfigError } from "../errors";
import { isDnsLabel, TEAM_LABEL } from "./labels";
import { parseQuantity } from "./quantity";

/** Ceilings for everything the namespace's pods request together. */
export interface NamespaceQuotaProps {
  /** Sum of CPU requests. @default "8" */
  readonly requestsCpu?: string;
  /** Sum of memory requests. @default "16Gi" */
  readonly requestsMemory?: string;
  /** Sum of memory limits. @default "32Gi" */
  readonly limitsMemory?: string;
  /** Pod count. @default 50 */
  readonly pods?: number;
}

/** What a container gets when its spec sets no resources (the Workload construct always sets them). */
export interface ContainerDefaultsProps {
  /** @default "100m" */
  readonly cpuRequest?: string;
  /** @default "128Mi" */
  readonly memoryRequest?: string;
  /** @default "256Mi" */
  readonly memoryLimit?: string;
}

/** Built-in ClusterRoles a team's group may be bound to in its namespace. */
export type TeamRole = "view" | "edit" | "admin";

/** Props of {@link TeamNamespace}. */
export interface TeamNamespaceProps {
  /** Namespace name (DNS label). */
  readonly name: string;
  /** Owning team, as a label. */
  readonly team: string;
  /**
   * The team's group as the cluster authenticates it: an EKS access-entry Kubernetes group, or the
   * Entra ID group object id on AKS.
   */
  readonly group: string;
  /** ClusterRole the group gets inside the namespace. @default "view": changes go through the pipeline */
  readonly role?: TeamRole;
  /** ResourceQuota. @default see {@link NamespaceQuotaProps} */
  readonly quota?: NamespaceQuotaProps;
  /** LimitRange container defaults. @default see {@link ContainerDefaultsProps} */
  readonly containerDefaults?: ContainerDefaultsProps;
}

const DEFAULT_QUOTA: Required<NamespaceQuotaProps> = { requestsCpu: "8", requestsMemory: "16Gi", limitsMemory: "32Gi", pods: 50 };
const DEFAULT_CONTAINER: Required<ContainerDefaultsProps> = { cpuRequest: "100m", memoryRequest: "128Mi", memoryLimit: "256Mi" };
const DEFAULT_ROLE: TeamRole = "view";
const TEAM_ROLES: readonly TeamRole[] = ["view", "edit", "admin"];

/**
 * A team's namespace: Pod Security "restricted" enforced, a ResourceQuota (no LoadBalancer or
 * NodePort Services: traffic enters through the ingress controller), LimitRange defaults so a bare
 * pod cannot run unbounded, a default-deny NetworkPolicy for ingress and egress (each Workload adds
 * its own allows), and a RoleBinding of the team's group to a built-in ClusterRole.
 */
export class TeamNamespace extends Construct {
  /** The namespace name, as a reference: pass it to Workloads so the namespace is created first. */
  public readonly name: string;
  /** The Namespace resource. */
  public readonly namespace: NamespaceV1;

  constructor(scope: Construct, id: string, props: TeamNamespaceProps) {
    super(scope, id);
    if (!isDnsLabel(props.name)) throw new ConfigError(`name "${props.name}" must be a DNS label: lower-case letters, digits and "-", at most 63 chars`, this);
    // The team names the RoleBinding, so it must be a valid object name too.
    if (!isDnsLabel(props.team)) throw new ConfigError(`team "${props.team}" must be a DNS label: lower-case letters, digits and "-"`, this);
    if (props.group.trim() === "") throw new ConfigError(`group must name the team's group (EKS Kubernetes group or Entra group object id), got ""`, this);
    const role = props.role ?? DEFAULT_ROLE;
    if (!TEAM_ROLES.includes(role)) throw new ConfigError(`role "${role}" must be one of ${TEAM_ROLES.join(", ")}`, this);
    const quota = { ...DEFAULT_QUOTA, ...props.quota };
    const container = { ...DEFAULT_CONTAINER, ...props.containerDefaults };
    for (const [field, value] of [
      ["quota.requestsCpu", quota.requestsCpu],
      ["quota.requestsMemory", quota.requestsMemory],
      ["quota.limitsMemory", quota.limitsMemory],
      ["containerDefaults.cpuRequest", container.cpuRequest],
      ["containerDefaults.memoryRequest", container.memoryRequest],
      ["containerDefaults.memoryLimit", container.memoryLimit],
    ]) {
      if (parseQuantity(value) === undefined) throw new ConfigError(`${field} "${value}" is not a Kubernetes quantity like "500m" or "4Gi"`, this);
    }
    if (!Number.isInteger(quota.pods) || quota.pods < 1) throw new ConfigError(`quota.pods must be an integer of at least 1, got ${quota.pods}`, this);

    const labels = { [TEAM_LABEL]: props.team, "app.kubernetes.io/managed-by": "cdktf" };
    this.namespace = new NamespaceV1(this, "namespace", {
      metadata: {
        name: props.name,
        labels: {
          ...labels,
          // The Workload construct's pods meet "restricted"; anything less privileged is refused.
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/warn": "restricted",
          "pod-security.kubernetes.io/audit": "restricted",
        },
      },
    });
    this.name = this.namespace.metadata.name;
    const metadata = (name: string) => ({ name, namespace: this.name, labels });

    new ResourceQuotaV1(this, "quota", {
      metadata: metadata("team-quota"),
      spec: {
        hard: {
          "requests.cpu": quota.requestsCpu,
          "requests.memory": quota.requestsMemory,
          "limits.memory": quota.limitsMemory,
          pods: String(quota.pods),
          "services.loadbalancers": "0",
          "services.nodeports": "0",
        },
      },
    });
    new LimitRangeV1(this, "limits", {
      metadata: metadata("container-defaults"),
      spec: {
        limit: [
          {
            type: "Container",
            defaultRequest: { cpu: container.cpuRequest, memory: container.memoryRequest },
            default: { memory: container.memoryLimit },
          },
        ],
      },
    });
    new NetworkPolicyV1(this, "default-deny", {
      metadata: metadata("default-deny"),
      // Empty pod selector: every pod; both policy types with no rules: nothing in, nothing out.
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    });
    new RoleBindingV1(this, "team-binding", {
      metadata: metadata(`${props.team}-${role}`),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
      subject: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: props.group }],
    });
  }
}
