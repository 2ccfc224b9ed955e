import { Testing } from "cdktf";
import { TeamNamespace, TeamNamespaceProps } from "../../../constructs/kubernetes/team-namespace";
import { Workload, WorkloadProps } from "../../../constructs/kubernetes/workload";
import { emptyStack, resourcesOf } from "../../helpers/synth";

/** The smallest valid Workload, placed in `namespace`. */
function apiIn(namespace: string): WorkloadProps {
  return {
    name: "api",
    namespace,
    image: { repository: "registry.example.com/api", tag: "1.0.0" },
    port: 8080,
    resources: { cpuRequest: "100m", memoryRequest: "128Mi", memoryLimit: "128Mi" },
    probes: { readiness: { type: "tcp" }, liveness: { type: "tcp" } },
  };
}

const base: TeamNamespaceProps = { name: "payments", team: "payments", group: "payments-developers" };

function synthNamespace(props: Partial<TeamNamespaceProps> = {}) {
  const stack = emptyStack();
  const ns = new TeamNamespace(stack, "ns", { ...base, ...props });
  const one = (type: string) => {
    const all = resourcesOf(stack, type);
    expect(all).toHaveLength(1);
    return all[0];
  };
  return { stack, ns, one };
}

describe("TeamNamespace defaults", () => {
  const { one } = synthNamespace();
  const nsRef = expect.stringMatching(/^\$\{kubernetes_namespace_v1\.ns_namespace_\w+\.metadata\[0\]\.name\}$/);

  it("creates the namespace with the team label and Pod Security restricted enforced", () => {
    expect(one("kubernetes_namespace_v1").metadata).toEqual({
      name: "payments",
      labels: {
        "platform.fintech.io/team": "payments",
        "app.kubernetes.io/managed-by": "cdktf",
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
      },
    });
  });

  it("caps the namespace with a ResourceQuota and forbids LoadBalancer and NodePort Services", () => {
    const quota = one("kubernetes_resource_quota_v1");
    expect(quota.metadata).toMatchObject({ name: "team-quota", namespace: nsRef });
    expect(quota.spec.hard).toEqual({
      "requests.cpu": "8",
      "requests.memory": "16Gi",
      "limits.memory": "32Gi",
      pods: "50",
      "services.loadbalancers": "0",
      "services.nodeports": "0",
    });
  });

  it("gives containers without resources a request and memory limit via a LimitRange", () => {
    expect(one("kubernetes_limit_range_v1").spec.limit).toEqual([
      { type: "Container", default_request: { cpu: "100m", memory: "128Mi" }, default: { memory: "256Mi" } },
    ]);
  });

  it("denies all ingress and egress for every pod by default", () => {
    const policy = one("kubernetes_network_policy_v1");
    expect(policy.metadata).toMatchObject({ name: "default-deny", namespace: nsRef });
    expect(policy.spec).toEqual({ pod_selector: {}, policy_types: ["Ingress", "Egress"] });
  });

  it("binds the team's group to the built-in view ClusterRole in the namespace only", () => {
    const binding = one("kubernetes_role_binding_v1");
    expect(binding.metadata).toMatchObject({ name: "payments-view", namespace: nsRef });
    expect(binding.role_ref).toEqual({ api_group: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" });
    expect(binding.subject).toEqual([{ api_group: "rbac.authorization.k8s.io", kind: "Group", name: "payments-developers" }]);
    expect(resourcesOf(synthNamespace().stack, "kubernetes_cluster_role_binding_v1")).toEqual([]);
  });
});

describe("TeamNamespace options", () => {
  it("role binds a different built-in ClusterRole", () => {
    const { one } = synthNamespace({ role: "edit" });
    expect(one("kubernetes_role_binding_v1")).toMatchObject({ metadata: { name: "payments-edit" }, role_ref: { name: "edit" } });
  });

  it("quota and containerDefaults override the defaults field by field", () => {
    const { one } = synthNamespace({ quota: { requestsCpu: "16", pods: 100 }, containerDefaults: { memoryLimit: "512Mi" } });
    expect(one("kubernetes_resource_quota_v1").spec.hard).toMatchObject({ "requests.cpu": "16", "requests.memory": "16Gi", pods: "100" });
    expect(one("kubernetes_limit_range_v1").spec.limit[0].default).toEqual({ memory: "512Mi" });
  });

  it("its name is a reference, so a Workload in it is created after the namespace", () => {
    const { stack, ns } = synthNamespace();
    new Workload(stack, "api", apiIn(ns.name));
    expect(resourcesOf(stack, "kubernetes_deployment_v1")[0].metadata.namespace).toMatch(/^\$\{kubernetes_namespace_v1\.ns_namespace_\w+\.metadata\[0\]\.name\}$/);
    expect(() => Testing.synth(stack)).not.toThrow();
  });

  it("consistency errors name the namespace, not the reference to it", () => {
    const { stack, ns } = synthNamespace();
    new Workload(stack, "api", { ...apiIn(ns.name), disruptionBudget: { maxUnavailable: 0 } });
    expect(() => Testing.synth(stack)).toThrow(/s\/api\/deployment: Deployment payments\/api PodDisruptionBudget api has maxUnavailable 0/);
  });
});

describe("TeamNamespace rejects", () => {
  const build = (props: Partial<TeamNamespaceProps>) => () => new TeamNamespace(emptyStack(), "ns", { ...base, ...props });

  it("a name that is not a DNS label", () => {
    expect(build({ name: "Payments" })).toThrow(/s\/ns: name "Payments" must be a DNS label/);
  });

  it("a team that cannot name the RoleBinding", () => {
    expect(build({ team: "Payments Team" })).toThrow(/team "Payments Team" must be a DNS label/);
  });

  it("an empty group", () => {
    expect(build({ group: " " })).toThrow(/group must name the team's group/);
  });

  it("a role that is not view, edit or admin", () => {
    expect(build({ role: "cluster-admin" as TeamNamespaceProps["role"] })).toThrow(/role "cluster-admin" must be one of view, edit, admin/);
  });

  it("a quota that is not a quantity", () => {
    expect(build({ quota: { requestsMemory: "16GB" } })).toThrow(/quota\.requestsMemory "16GB" is not a Kubernetes quantity/);
  });

  it("a pod quota below 1", () => {
    expect(build({ quota: { pods: 0 } })).toThrow(/quota\.pods must be an integer of at least 1, got 0/);
  });
});
