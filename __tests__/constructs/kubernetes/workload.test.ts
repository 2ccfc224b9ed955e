import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { Testing } from "cdktf";
import { execFileSync } from "child_process";
import { copyFileSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { ContainerRegistry } from "../../../constructs/aws/ecr/container-registry";
import { Workload, WorkloadProps } from "../../../constructs/kubernetes/workload";
import { emptyStack, resourcesOf, synthJsonOnce } from "../../helpers/synth";

const FIXTURES = join(__dirname, "fixtures");
const DIGEST = `sha256:${"ab12".repeat(16)}`;

function props(overrides: Partial<WorkloadProps> = {}): WorkloadProps {
  return {
    name: "payments-api",
    namespace: "payments",
    image: { repository: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/payments-api", tag: "1.4.2" },
    port: 8080,
    resources: { cpuRequest: "250m", memoryRequest: "256Mi", memoryLimit: "512Mi" },
    probes: { readiness: { type: "http", path: "/ready" }, liveness: { type: "http", path: "/healthz" } },
    ...overrides,
  };
}

// Tests read several resource types from one stack.
const synthOnce = synthJsonOnce();

function synthWorkload(overrides: Partial<WorkloadProps> = {}) {
  const stack = emptyStack();
  const workload = new Workload(stack, "api", props(overrides));
  const one = (type: string) => {
    const all = Object.values(synthOnce(stack).resource[type] ?? {});
    expect(all).toHaveLength(1);
    return all[0];
  };
  return { stack, workload, one, synth: () => Testing.synth(stack) };
}

function podSpec(one: (type: string) => any) {
  return one("kubernetes_deployment_v1").spec.template.spec;
}

describe("Workload defaults", () => {
  const { stack, one } = synthWorkload();
  const deployment = one("kubernetes_deployment_v1");
  const pod = deployment.spec.template.spec;
  const container = pod.container[0];

  it("runs 2 replicas with a surge-only rolling update and lets the HPA own the count", () => {
    expect(deployment.spec.replicas).toBe("2");
    expect(deployment.spec.strategy).toEqual({ type: "RollingUpdate", rolling_update: { max_surge: "1", max_unavailable: "0" } });
    expect(deployment.lifecycle).toEqual({ ignore_changes: ["spec[0].replicas"] });
    expect(deployment.spec.selector.match_labels).toEqual({ "app.kubernetes.io/name": "payments-api" });
  });

  it("spreads pods across zones (hard) and hosts (best effort)", () => {
    const selector = [{ match_labels: { "app.kubernetes.io/name": "payments-api" } }];
    expect(pod.topology_spread_constraint).toEqual([
      { max_skew: 1, topology_key: "topology.kubernetes.io/zone", when_unsatisfiable: "DoNotSchedule", label_selector: selector },
      { max_skew: 1, topology_key: "kubernetes.io/hostname", when_unsatisfiable: "ScheduleAnyway", label_selector: selector },
    ]);
  });

  it("sets requests and the memory limit, and no CPU limit", () => {
    expect(container.resources).toEqual({ requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } });
  });

  it("has readiness and liveness probes on the workload port and no startup probe", () => {
    expect(container.readiness_probe).toEqual({ http_get: { path: "/ready", port: "8080" } });
    expect(container.liveness_probe).toEqual({ http_get: { path: "/healthz", port: "8080" } });
    expect(container.startup_probe).toBeUndefined();
  });

  it("runs as non-root with a read-only root filesystem, no privilege escalation, no capabilities, RuntimeDefault seccomp", () => {
    expect(pod.security_context).toEqual({
      run_as_non_root: true,
      run_as_user: "10001",
      run_as_group: "10001",
      fs_group: "10001",
      seccomp_profile: { type: "RuntimeDefault" },
    });
    expect(container.security_context).toEqual({
      run_as_non_root: true,
      read_only_root_filesystem: true,
      allow_privilege_escalation: false,
      privileged: false,
      capabilities: { drop: ["ALL"] },
      seccomp_profile: { type: "RuntimeDefault" },
    });
    // The read-only root still needs a small writable /tmp.
    expect(pod.volume).toEqual([{ name: "tmp", empty_dir: { size_limit: "64Mi" } }]);
    expect(container.volume_mount).toEqual([{ name: "tmp", mount_path: "/tmp" }]);
  });

  it("runs the pinned image", () => {
    expect(container.image).toBe("111122223333.dkr.ecr.eu-west-1.amazonaws.com/payments-api:1.4.2");
    expect(container.port).toEqual([{ name: "http", container_port: 8080, protocol: "TCP" }]);
  });

  it("gives the pods their own ServiceAccount with no API token mounted", () => {
    const sa = one("kubernetes_service_account_v1");
    expect(sa.automount_service_account_token).toBe(false);
    expect(sa.metadata).toMatchObject({ name: "payments-api", namespace: "payments" });
    expect(pod.automount_service_account_token).toBe(false);
    expect(pod.service_account_name).toMatch(/^\$\{kubernetes_service_account_v1\.api_service-account_\w+\.metadata\[0\]\.name\}$/);
  });

  it("exposes the port through a ClusterIP Service", () => {
    expect(one("kubernetes_service_v1").spec).toEqual({
      type: "ClusterIP",
      selector: { "app.kubernetes.io/name": "payments-api" },
      port: [{ name: "http", port: 8080, target_port: "http", protocol: "TCP" }],
    });
  });

  it("autoscales the Deployment with an HPA v2 from 2 to 10 on 70% CPU only", () => {
    const hpa = one("kubernetes_horizontal_pod_autoscaler_v2");
    expect(hpa.spec).toEqual({
      min_replicas: 2,
      max_replicas: 10,
      scale_target_ref: { api_version: "apps/v1", kind: "Deployment", name: "payments-api" },
      metric: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", average_utilization: 70 } } }],
    });
    expect(hpa.metadata.annotations).toBeUndefined();
  });

  it("has a PDB letting a drain evict one pod at a time", () => {
    expect(one("kubernetes_pod_disruption_budget_v1").spec).toEqual({
      max_unavailable: "1",
      selector: { match_labels: { "app.kubernetes.io/name": "payments-api" } },
    });
  });

  it("denies all ingress and egress except DNS", () => {
    const policy = one("kubernetes_network_policy_v1");
    expect(policy.spec.pod_selector).toEqual({ match_labels: { "app.kubernetes.io/name": "payments-api" } });
    expect(policy.spec.policy_types).toEqual(["Ingress", "Egress"]);
    expect(policy.spec.ingress).toEqual([]);
    expect(policy.spec.egress).toEqual([
      {
        to: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "kube-system" } }, pod_selector: { match_labels: { "k8s-app": "kube-dns" } } }],
        ports: [{ port: "53", protocol: "UDP" }, { port: "53", protocol: "TCP" }],
      },
    ]);
  });

  it("creates no ConfigMap and no environment unless asked", () => {
    expect(resourcesOf(stack, "kubernetes_config_map_v1")).toEqual([]);
    expect(container.env).toBeUndefined();
    expect(container.args).toBeUndefined();
  });

  it("labels every object with its name and manager", () => {
    for (const type of ["kubernetes_deployment_v1", "kubernetes_service_v1", "kubernetes_horizontal_pod_autoscaler_v2", "kubernetes_pod_disruption_budget_v1", "kubernetes_service_account_v1", "kubernetes_network_policy_v1"]) {
      expect(one(type).metadata.labels).toEqual({ "app.kubernetes.io/name": "payments-api", "app.kubernetes.io/managed-by": "cdktf" });
    }
  });

  it("passes its own consistency checks", () => {
    expect(() => Testing.synth(stack)).not.toThrow();
  });
});

describe("Workload options", () => {
  it("replicas sets the initial count", () => {
    const { one } = synthWorkload({ replicas: 3 });
    expect(one("kubernetes_deployment_v1").spec.replicas).toBe("3");
  });

  it("replicas defaults to autoscaling.minReplicas when that is above 2", () => {
    const { one } = synthWorkload({ autoscaling: { minReplicas: 4 } });
    expect(one("kubernetes_deployment_v1").spec.replicas).toBe("4");
  });

  it("team adds a team label everywhere", () => {
    const { one } = synthWorkload({ team: "payments" });
    expect(one("kubernetes_deployment_v1").spec.template.metadata.labels).toMatchObject({ "platform.fintech.io/team": "payments" });
    expect(one("kubernetes_service_v1").metadata.labels).toMatchObject({ "platform.fintech.io/team": "payments" });
  });

  it("a digest pins the image by content, with or without a tag", () => {
    expect(podSpec(synthWorkload({ image: { repository: "registry.example.com/team/app", digest: DIGEST } }).one).container[0].image).toBe(
      `registry.example.com/team/app@${DIGEST}`,
    );
    expect(podSpec(synthWorkload({ image: { repository: "registry.example.com:5000/app", tag: "2.0.1", digest: DIGEST } }).one).container[0].image).toBe(
      `registry.example.com:5000/app:2.0.1@${DIGEST}`,
    );
  });

  it("image.repository may be a reference resolved at apply time, such as ContainerRegistry.repositoryUrl", () => {
    const stack = emptyStack();
    const registry = new ContainerRegistry(stack, "registry", { name: "payments/api" });
    new Workload(stack, "api", props({ image: { repository: registry.repositoryUrl, tag: "1.4.2" } }));
    const [deployment] = resourcesOf(stack, "kubernetes_deployment_v1");
    expect(deployment.spec.template.spec.container[0].image).toMatch(/^\$\{aws_ecr_repository\.[\w-]+\.repository_url\}:1\.4\.2$/);
  });

  it("a reference repository is still pinned: a floating tag or no tag is refused", () => {
    const stack = emptyStack();
    const registry = new ContainerRegistry(stack, "registry", { name: "payments/api" });
    expect(() => new Workload(stack, "latest", props({ image: { repository: registry.repositoryUrl, tag: "latest" } }))).toThrow(/image\.tag "latest" floats to new images/);
    expect(() => new Workload(stack, "none", props({ image: { repository: registry.repositoryUrl } }))).toThrow(/image "\(a reference\)" has neither tag nor digest/);
  });

  it("cpuLimit adds a CPU limit", () => {
    const { one } = synthWorkload({ resources: { cpuRequest: "250m", memoryRequest: "256Mi", memoryLimit: "256Mi", cpuLimit: "1" } });
    expect(podSpec(one).container[0].resources.limits).toEqual({ memory: "256Mi", cpu: "1" });
  });

  it("probes: tcp and exec kinds, explicit port and timings, and an optional startup probe", () => {
    const { one } = synthWorkload({
      probes: {
        readiness: { type: "tcp", port: 9090, periodSeconds: 5 },
        liveness: { type: "exec", command: ["/bin/health", "--live"], failureThreshold: 5 },
        startup: { type: "http", path: "/started", initialDelaySeconds: 10, timeoutSeconds: 2 },
      },
    });
    const container = podSpec(one).container[0];
    expect(container.readiness_probe).toEqual({ period_seconds: 5, tcp_socket: [{ port: "9090" }] });
    expect(container.liveness_probe).toEqual({ failure_threshold: 5, exec: { command: ["/bin/health", "--live"] } });
    expect(container.startup_probe).toEqual({ initial_delay_seconds: 10, timeout_seconds: 2, http_get: { path: "/started", port: "8080" } });
  });

  it("autoscaling: min, max, CPU and memory targets", () => {
    const { one } = synthWorkload({ autoscaling: { minReplicas: 3, maxReplicas: 20, cpuUtilization: 60, memoryUtilization: 80 } });
    expect(one("kubernetes_horizontal_pod_autoscaler_v2").spec).toMatchObject({
      min_replicas: 3,
      max_replicas: 20,
      metric: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", average_utilization: 60 } } },
        { type: "Resource", resource: { name: "memory", target: { type: "Utilization", average_utilization: 80 } } },
      ],
    });
  });

  it("autoscaling.minReplicasReason allows one replica and is recorded on the HPA", () => {
    const reason = "batch consumer; a pause during a drain is acceptable";
    const { one, synth } = synthWorkload({ replicas: 1, autoscaling: { minReplicas: 1, minReplicasReason: reason } });
    expect(one("kubernetes_horizontal_pod_autoscaler_v2").metadata.annotations).toEqual({ "platform.fintech.io/min-replicas-reason": reason });
    expect(synth).not.toThrow();
  });

  it("disruptionBudget: maxUnavailable as a percentage, or minAvailable below the replicas", () => {
    expect(synthWorkload({ disruptionBudget: { maxUnavailable: "50%" } }).one("kubernetes_pod_disruption_budget_v1").spec.max_unavailable).toBe("50%");
    const { one, synth } = synthWorkload({ autoscaling: { minReplicas: 3 }, disruptionBudget: { minAvailable: 2 } });
    expect(one("kubernetes_pod_disruption_budget_v1").spec).toEqual({ min_available: "2", selector: { match_labels: { "app.kubernetes.io/name": "payments-api" } } });
    expect(synth).not.toThrow();
  });

  it("configFiles: a hashed, immutable ConfigMap mounted read-only, replaced before destroy", () => {
    const files = [join(FIXTURES, "application.yaml"), join(FIXTURES, "logging.properties")];
    const { one } = synthWorkload({ configFiles: [{ name: "payments-api-config", files, mountPath: "/etc/payments-api" }] });
    const cm = one("kubernetes_config_map_v1");
    expect(cm.metadata.name).toMatch(/^payments-api-config-[a-z0-9]{10}$/);
    expect(Object.keys(cm.data)).toEqual(["application.yaml", "logging.properties"]);
    expect(cm.data["logging.properties"]).toBe("log.level=info\n");
    expect(cm.immutable).toBe(true);
    expect(cm.lifecycle).toEqual({ create_before_destroy: true });
    const pod = podSpec(one);
    expect(pod.volume[1]).toEqual({ name: "config-0", config_map: { name: expect.stringMatching(/^\$\{kubernetes_config_map_v1\.\S+\.metadata\[0\]\.name\}$/) } });
    expect(pod.container[0].volume_mount[1]).toEqual({ name: "config-0", mount_path: "/etc/payments-api", read_only: true });
  });

  it("configFiles: changing a file changes the ConfigMap name, so pods roll", () => {
    const dir = mkdtempSync(join(tmpdir(), "workload-"));
    const file = join(dir, "application.yaml");
    const nameFor = (content: string) => {
      writeFileSync(file, content);
      return synthWorkload({ configFiles: [{ name: "cfg", files: [file], mountPath: "/etc/app" }] }).one("kubernetes_config_map_v1").metadata.name;
    };
    const first = nameFor("a: 1\n");
    expect(nameFor("a: 1\n")).toBe(first);
    expect(nameFor("a: 2\n")).not.toBe(first);
  });

  it("configFiles: the name is the one kustomize's configMapGenerator gives the same files", () => {
    const dir = mkdtempSync(join(tmpdir(), "kustomize-"));
    for (const f of ["application.yaml", "logging.properties"]) copyFileSync(join(FIXTURES, f), join(dir, f));
    writeFileSync(join(dir, "kustomization.yaml"), "configMapGenerator:\n- name: payments-api-config\n  files:\n  - application.yaml\n  - logging.properties\n");
    const built = execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8" });
    const kustomizeName = /name: (payments-api-config-\w+)/.exec(built)?.[1];
    const files = [join(dir, "application.yaml"), join(dir, "logging.properties")];
    const { one } = synthWorkload({ configFiles: [{ name: "payments-api-config", files, mountPath: "/etc/app" }] });
    expect(kustomizeName).toBeDefined();
    expect(one("kubernetes_config_map_v1").metadata.name).toBe(kustomizeName);
  });

  it("network: ingress from namespaces, pods and the ingress controller, egress to CIDRs and workloads", () => {
    const { one } = synthWorkload({
      network: {
        ingressFromNamespaces: ["monitoring"],
        ingressFromPods: [{ labels: { "app.kubernetes.io/name": "payments-worker" } }, { namespace: "checkout", labels: { app: "web" } }],
        ingressController: { namespace: "ingress-nginx", labels: { "app.kubernetes.io/name": "ingress-nginx" } },
        egressToCidrs: [{ cidr: "10.40.64.0/20", ports: [{ port: 5432 }, { port: 6379, protocol: "TCP" }] }],
        egressToWorkloads: [{ name: "ledger", namespace: "ledger", port: 8443 }],
      },
    });
    const ns = (name: string) => ({ match_labels: { "kubernetes.io/metadata.name": name } });
    const spec = one("kubernetes_network_policy_v1").spec;
    expect(spec.ingress).toEqual([
      {
        from: [
          { namespace_selector: ns("monitoring") },
          { namespace_selector: ns("payments"), pod_selector: { match_labels: { "app.kubernetes.io/name": "payments-worker" } } },
          { namespace_selector: ns("checkout"), pod_selector: { match_labels: { app: "web" } } },
          { namespace_selector: ns("ingress-nginx"), pod_selector: { match_labels: { "app.kubernetes.io/name": "ingress-nginx" } } },
        ],
        ports: [{ port: "8080", protocol: "TCP" }],
      },
    ]);
    expect(spec.egress.slice(1)).toEqual([
      { to: [{ ip_block: { cidr: "10.40.64.0/20" } }], ports: [{ port: "5432", protocol: "TCP" }, { port: "6379", protocol: "TCP" }] },
      { to: [{ namespace_selector: ns("ledger"), pod_selector: { match_labels: { "app.kubernetes.io/name": "ledger" } } }], ports: [{ port: "8443", protocol: "TCP" }] },
    ]);
  });

  it("serviceAccount: token automount and annotations on request", () => {
    const annotations = { "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/payments-api" };
    const { one } = synthWorkload({ serviceAccount: { automountToken: true, annotations } });
    expect(one("kubernetes_service_account_v1")).toMatchObject({ automount_service_account_token: true, metadata: { annotations } });
    expect(podSpec(one).automount_service_account_token).toBe(true);
  });

  it("env, args and runAsUser", () => {
    const { one } = synthWorkload({ env: { LOG_FORMAT: "json" }, args: ["serve", "--port=8080"], runAsUser: 2000 });
    const pod = podSpec(one);
    expect(pod.container[0].env).toEqual([{ name: "LOG_FORMAT", value: "json" }]);
    expect(pod.container[0].args).toEqual(["serve", "--port=8080"]);
    expect(pod.security_context).toMatchObject({ run_as_user: "2000", run_as_group: "2000", fs_group: "2000" });
  });
});

describe("Workload rejects", () => {
  const build = (overrides: Partial<WorkloadProps>) => () => new Workload(emptyStack(), "api", props(overrides));

  it.each([
    [{ image: { repository: "registry.example.com/app", tag: "latest" } }, /s\/api: image\.tag "latest" floats to new images; pin an immutable release tag/],
    [{ image: { repository: "registry.example.com/app", tag: "main" } }, /image\.tag "main" floats to new images/],
    [{ image: { repository: "registry.example.com/app" } }, /image "registry\.example\.com\/app" has neither tag nor digest; pin it/],
    [{ image: { repository: "registry.example.com/app:1.0", tag: "1.0" } }, /image\.repository "registry\.example\.com\/app:1\.0" contains a tag or digest; put it in image\.tag/],
    [{ image: { repository: "Registry.example.com/App", tag: "1.0" } }, /image\.repository "Registry\.example\.com\/App" is not a valid lower-case image repository/],
    [{ image: { repository: "registry.example.com/app", tag: "-bad" } }, /image\.tag "-bad" is not a valid tag/],
    [{ image: { repository: "registry.example.com/app", digest: "sha256:abc" } }, /image\.digest "sha256:abc" must be sha256:<64 lower-case hex characters>/],
  ])("an unpinned or malformed image %#", (overrides, message) => {
    expect(build(overrides as Partial<WorkloadProps>)).toThrow(message);
  });

  it("a name that is not a DNS label", () => {
    expect(build({ name: "Payments_API" })).toThrow(/name "Payments_API" must be a DNS label/);
  });

  it("a namespace that is not a DNS label", () => {
    expect(build({ namespace: "Payments" })).toThrow(/namespace "Payments" must be a DNS label/);
  });

  it("a port out of range", () => {
    expect(build({ port: 70000 })).toThrow(/port must be an integer from 1 to 65535, got 70000/);
  });

  it("zero replicas", () => {
    expect(build({ replicas: 0 })).toThrow(/replicas must be an integer of at least 1, got 0/);
  });

  it("a root uid", () => {
    expect(build({ runAsUser: 0 })).toThrow(/runAsUser must be a non-root uid \(integer >= 1\), got 0/);
  });

  it("a missing memory limit (e.g. from untyped config)", () => {
    const resources = { cpuRequest: "250m", memoryRequest: "256Mi" } as WorkloadProps["resources"];
    expect(build({ resources })).toThrow(/resources\.memoryLimit is required; use e\.g\. "256Mi"/);
  });

  it("a quantity Kubernetes would not accept", () => {
    expect(build({ resources: { cpuRequest: "250mc", memoryRequest: "256Mi", memoryLimit: "512Mi" } })).toThrow(
      /resources\.cpuRequest "250mc" is not a Kubernetes quantity; use e\.g\. "250m"/,
    );
  });

  it("a utilization target outside 1-100", () => {
    expect(build({ autoscaling: { cpuUtilization: 150 } })).toThrow(/autoscaling\.cpuUtilization must be an integer percent from 1 to 100, got 150/);
  });

  it("both minAvailable and maxUnavailable", () => {
    expect(build({ disruptionBudget: { maxUnavailable: 1, minAvailable: 1 } })).toThrow(
      /disruptionBudget sets both maxUnavailable \(1\) and minAvailable \(1\); Kubernetes allows one/,
    );
  });

  it("a config file that does not exist", () => {
    expect(build({ configFiles: [{ name: "cfg", files: ["/nonexistent/app.yaml"], mountPath: "/etc/app" }] })).toThrow(
      /ConfigMap "cfg" file "\/nonexistent\/app\.yaml" cannot be read \(ENOENT\); fix the path/,
    );
  });

  it("a config mountPath that is relative or already used", () => {
    const files = [join(FIXTURES, "application.yaml")];
    expect(build({ configFiles: [{ name: "cfg", files, mountPath: "etc/app" }] })).toThrow(/configFiles "cfg" mountPath "etc\/app" must be an absolute path/);
    expect(build({ configFiles: [{ name: "cfg", files, mountPath: "/tmp" }] })).toThrow(/configFiles "cfg" mountPath "\/tmp" is already used/);
    expect(
      build({
        configFiles: [
          { name: "a", files, mountPath: "/etc/app" },
          { name: "b", files, mountPath: "/etc/app" },
        ],
      }),
    ).toThrow(/configFiles "b" mountPath "\/etc\/app" is already used; give each ConfigMap its own directory/);
  });

  it("two config files with the same base name", () => {
    const dir = mkdtempSync(join(tmpdir(), "dup-"));
    writeFileSync(join(dir, "app.yaml"), "a: 1\n");
    const files = [join(dir, "app.yaml"), join(dir, ".", "app.yaml")];
    expect(build({ configFiles: [{ name: "cfg", files, mountPath: "/etc/app" }] })).toThrow(/ConfigMap "cfg" has two files named "app\.yaml"/);
  });

  it("an ingressFromPods entry without labels", () => {
    expect(build({ network: { ingressFromPods: [{ labels: {} }] } })).toThrow(
      /s\/api\/network-policy: ingressFromPods entry for namespace payments has no labels, which would admit every pod there/,
    );
  });

  it("an egress CIDR that is not canonical, is the whole internet, or has no ports", () => {
    expect(build({ network: { egressToCidrs: [{ cidr: "10.40.64.1/20", ports: [{ port: 5432 }] }] } })).toThrow(
      /s\/api\/network-policy: egressToCidrs cidr "10\.40\.64\.1\/20" is not a network address; use 10\.40\.64\.0\/20/,
    );
    expect(build({ network: { egressToCidrs: [{ cidr: "0.0.0.0/0", ports: [{ port: 443 }] }] } })).toThrow(/cidr "0\.0\.0\.0\/0" allows the whole internet/);
    expect(build({ network: { egressToCidrs: [{ cidr: "10.0.0.0/8", ports: [] }] } })).toThrow(/cidr "10\.0\.0\.0\/8" lists no ports/);
  });
});

// Consistency checks run at synth over every Deployment, HPA and PDB of the stack.
describe("Workload consistency checks at synth", () => {
  const synthFails = (overrides: Partial<WorkloadProps>) => synthWorkload(overrides).synth;

  it("a Deployment without an HPA (built without the Workload construct)", () => {
    const { stack, synth } = synthWorkload();
    new DeploymentV1(stack, "raw", {
      metadata: { name: "legacy", namespace: "payments" },
      spec: { template: { metadata: { labels: { app: "legacy" } }, spec: { container: [{ name: "legacy", image: "legacy:1.0" }] } } },
    });
    expect(synth).toThrow(/s\/raw: Deployment payments\/legacy has no HorizontalPodAutoscaler; every Deployment must autoscale/);
    expect(synth).toThrow(/s\/raw: Deployment payments\/legacy has no PodDisruptionBudget/);
    expect(synth).toThrow(/container legacy has no memory limit/);
    expect(synth).toThrow(/container legacy has no readiness probe/);
  });

  it("an HPA below two replicas without a reason", () => {
    expect(synthFails({ autoscaling: { minReplicas: 1 } })).toThrow(
      /s\/api\/deployment: Deployment payments\/payments-api HPA minReplicas is 1, so a node drain takes the service down; use at least 2, or give autoscaling\.minReplicasReason \(>= 10 chars\)/,
    );
  });

  it("an HPA below two replicas with a reason shorter than 10 characters", () => {
    expect(synthFails({ autoscaling: { minReplicas: 1, minReplicasReason: "cheap" } })).toThrow(/HPA minReplicas is 1/);
  });

  it("maxReplicas below minReplicas", () => {
    expect(synthFails({ autoscaling: { minReplicas: 4, maxReplicas: 3 } })).toThrow(
      /Deployment payments\/payments-api HPA maxReplicas 3 is below minReplicas 4; raise autoscaling\.maxReplicas/,
    );
  });

  it("a PDB with maxUnavailable 0", () => {
    expect(synthFails({ disruptionBudget: { maxUnavailable: 0 } })).toThrow(
      /Deployment payments\/payments-api PodDisruptionBudget payments-api has maxUnavailable 0, so a node drain can never evict a pod/,
    );
    expect(synthFails({ disruptionBudget: { maxUnavailable: "0%" } })).toThrow(/maxUnavailable 0%, so a node drain can never evict a pod/);
  });

  it("a PDB with minAvailable at or above the replicas", () => {
    expect(synthFails({ disruptionBudget: { minAvailable: 2 } })).toThrow(
      /PodDisruptionBudget payments-api has minAvailable 2 with 2 replica\(s\), so a node drain can never evict a pod; use maxUnavailable 1 instead/,
    );
    expect(synthFails({ disruptionBudget: { minAvailable: "100%" } })).toThrow(/minAvailable 100% with 2 replica\(s\)/);
  });

  it("a memory limit below the request", () => {
    expect(synthFails({ resources: { cpuRequest: "250m", memoryRequest: "1Gi", memoryLimit: "512Mi" } })).toThrow(
      /container payments-api memory limit 512Mi is below its request 1Gi; raise resources\.memoryLimit to at least 1Gi/,
    );
  });

  it("missing probes (e.g. from untyped config)", () => {
    const probes = { readiness: { type: "http", path: "/ready" } } as WorkloadProps["probes"];
    expect(synthFails({ probes })).toThrow(/container payments-api has no liveness probe; add probes\.liveness/);
    const none = {} as WorkloadProps["probes"];
    expect(synthFails({ probes: none })).toThrow(/container payments-api has no readiness probe; add probes\.readiness/);
  });

  it("an override that breaks a Workload after construction is caught too", () => {
    const { workload, synth } = synthWorkload();
    workload.autoscaler.addOverride("spec.min_replicas", 1);
    expect(synth).toThrow(/HPA minReplicas is 1/);
  });

  it("a hand-built HPA and PDB that are consistent pass", () => {
    const stack = emptyStack();
    new Workload(stack, "api", props());
    const labels = { app: "legacy" };
    new DeploymentV1(stack, "raw", {
      metadata: { name: "legacy", namespace: "payments" },
      spec: {
        replicas: "2",
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            container: [
              {
                name: "legacy",
                image: "legacy:1.0",
                resources: { requests: { cpu: "100m", memory: "1Gi" }, limits: { memory: "1Gi" } },
                readinessProbe: { httpGet: { path: "/", port: "80" } },
                livenessProbe: { httpGet: { path: "/", port: "80" } },
              },
            ],
          },
        },
      },
    });
    new HorizontalPodAutoscalerV2(stack, "raw-hpa", {
      metadata: { name: "legacy", namespace: "payments" },
      spec: { minReplicas: 2, maxReplicas: 4, scaleTargetRef: { kind: "Deployment", name: "legacy" } },
    });
    new PodDisruptionBudgetV1(stack, "raw-pdb", { metadata: { name: "legacy", namespace: "payments" }, spec: { maxUnavailable: "1", selector: { matchLabels: labels } } });
    expect(() => Testing.synth(stack)).not.toThrow();
  });
});
