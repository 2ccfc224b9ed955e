import { DeploymentV1, DeploymentV1SpecTemplateSpecContainerVolumeMount, DeploymentV1SpecTemplateSpecVolume } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { HorizontalPodAutoscalerV2, HorizontalPodAutoscalerV2SpecMetric } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { ConfigError } from "../errors";
import { HashedConfigMap } from "./hashed-config-map";
import { ImageReference, pinnedImage } from "./image-reference";
import { isDnsLabel, MIN_REPLICAS_REASON_ANNOTATION, NAME_LABEL, workloadLabels } from "./labels";
import { probeBlock, ProbeProps } from "./probe";
import { parseQuantity } from "./quantity";
import { enforceWorkloadConsistency } from "./workload-consistency";
import { WorkloadNetworkAllows, WorkloadNetworkPolicy } from "./workload-network-policy";

/** CPU and memory for the container. Requests and the memory limit are required: no OOMKill surprises. */
export interface ContainerResources {
  /** CPU request, e.g. `250m`. */
  readonly cpuRequest: string;
  /** Memory request, e.g. `256Mi`. */
  readonly memoryRequest: string;
  /** Memory limit, at least the request, e.g. `512Mi`. */
  readonly memoryLimit: string;
  /** CPU limit. @default none: a CPU limit throttles a pod even when the node has idle CPU */
  readonly cpuLimit?: string;
}

/** Health probes. Readiness and liveness are required; startup is for slow starters. */
export interface WorkloadProbes {
  /** Gates traffic and rollouts: a pod receives requests only once ready. */
  readonly readiness: ProbeProps;
  /** Restarts a wedged container. */
  readonly liveness: ProbeProps;
  /** Holds off liveness until the app has started. @default none */
  readonly startup?: ProbeProps;
}

/** The HorizontalPodAutoscaler (autoscaling/v2). */
export interface AutoscalingProps {
  /** @default 2: one pod may be drained while the other serves */
  readonly minReplicas?: number;
  /** @default 10 */
  readonly maxReplicas?: number;
  /** Target average CPU utilization, percent of the request. @default 70 */
  readonly cpuUtilization?: number;
  /** Target average memory utilization, percent of the request. @default no memory target */
  readonly memoryUtilization?: number;
  /**
   * Why this workload may run with fewer than two replicas (at least 10 characters). Required
   * when `minReplicas` is below 2; recorded as an annotation on the HPA.
   * @default none
   */
  readonly minReplicasReason?: string;
}

/** The PodDisruptionBudget. Set one of the two. */
export interface DisruptionBudgetProps {
  /** Pods a voluntary disruption (a drain) may take at once, a count or a percentage. @default 1 */
  readonly maxUnavailable?: number | string;
  /** Pods that must stay up during a voluntary disruption. @default unset */
  readonly minAvailable?: number | string;
}

/** Files mounted as a ConfigMap whose name carries a content hash, so pods roll on change. */
export interface ConfigFilesProps {
  /** ConfigMap name prefix, e.g. `payments-api-config`. */
  readonly name: string;
  /** Files to include; keys are base names. */
  readonly files: readonly string[];
  /** Directory the files appear in, read-only, e.g. `/etc/payments-api`. */
  readonly mountPath: string;
}

/** The pod's ServiceAccount. */
export interface WorkloadServiceAccountProps {
  /** Mount an API token in the pod. @default false: most services never call the Kubernetes API */
  readonly automountToken?: boolean;
  /** Annotations, e.g. an IRSA role ARN or an Azure workload identity client id. @default none */
  readonly annotations?: Record<string, string>;
}

/** Props of {@link Workload}. */
export interface WorkloadProps {
  /** Name of the Deployment, Service, HPA, PDB, ServiceAccount and NetworkPolicy (DNS label). */
  readonly name: string;
  /** Namespace (DNS label); pass a TeamNamespace's `name` so terraform creates the namespace first. */
  readonly namespace: string;
  /** Owning team, as a label. @default no team label */
  readonly team?: string;
  /** Container image, pinned by an immutable tag or a digest. */
  readonly image: ImageReference;
  /** Port the container listens on; the Service exposes the same port. */
  readonly port: number;
  /** CPU and memory. */
  readonly resources: ContainerResources;
  /** Health probes. */
  readonly probes: WorkloadProbes;
  /** Initial replicas before the HPA takes over. @default 2, or `autoscaling.minReplicas` when higher */
  readonly replicas?: number;
  /** HPA settings. @default min 2, max 10, 70% CPU */
  readonly autoscaling?: AutoscalingProps;
  /** PDB settings. @default maxUnavailable 1 */
  readonly disruptionBudget?: DisruptionBudgetProps;
  /** Config files, one hashed ConfigMap each. @default none */
  readonly configFiles?: readonly ConfigFilesProps[];
  /** What the NetworkPolicy allows on top of deny-all (DNS egress is always allowed). @default nothing */
  readonly network?: WorkloadNetworkAllows;
  /** ServiceAccount settings. @default no token mounted */
  readonly serviceAccount?: WorkloadServiceAccountProps;
  /** Environment variables (no secrets: use a secret store). @default none */
  readonly env?: Record<string, string>;
  /** Container args. @default the image's */
  readonly args?: readonly string[];
  /** Numeric user and group the container runs as. @default 10001 */
  readonly runAsUser?: number;
}

const DEFAULT_REPLICAS = 2;
const DEFAULT_MIN_REPLICAS = 2;
const DEFAULT_MAX_REPLICAS = 10;
const DEFAULT_CPU_UTILIZATION = 70;
const DEFAULT_MAX_UNAVAILABLE = 1;
// A numeric non-root uid, so `runAsNonRoot` can be verified even when the image names a user.
const DEFAULT_RUN_AS_USER = 10001;
const ZONE_KEY = "topology.kubernetes.io/zone";
const HOST_KEY = "kubernetes.io/hostname";
// The root filesystem is read-only; apps still need somewhere for temp files.
const TMP_SIZE_LIMIT = "64Mi";
const TMP_MOUNT_PATH = "/tmp";

/**
 * A stateless service on Kubernetes with the safe shape as the default: two replicas spread across
 * zones, surge-only rolling updates, required requests and memory limit, readiness and liveness
 * probes, a locked-down security context, its own ServiceAccount without an API token, a Service,
 * an HPA (v2), a PDB that lets a node drain proceed one pod at a time, hashed ConfigMaps from
 * files, and a deny-by-default NetworkPolicy with explicit allows.
 *
 * Cross-object consistency (HPA vs PDB vs replicas, limits vs requests, probes) is checked for the
 * whole stack at synth by {@link enforceWorkloadConsistency}, which this construct switches on.
 */
export class Workload extends Construct {
  /** Workload name. */
  public readonly name: string;
  /** The image string the pods run. */
  public readonly image: string;
  /** The Deployment. */
  public readonly deployment: DeploymentV1;
  /** The ClusterIP Service. */
  public readonly service: ServiceV1;
  /** The pods' ServiceAccount. */
  public readonly serviceAccount: ServiceAccountV1;
  /** The HorizontalPodAutoscaler. */
  public readonly autoscaler: HorizontalPodAutoscalerV2;
  /** The PodDisruptionBudget. */
  public readonly disruptionBudget: PodDisruptionBudgetV1;
  /** The NetworkPolicy. */
  public readonly networkPolicy: WorkloadNetworkPolicy;
  /** Hashed ConfigMaps, in `configFiles` order. */
  public readonly configMaps: readonly HashedConfigMap[];

  constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    const { name, namespace, port } = props;
    if (!isDnsLabel(name)) throw new ConfigError(`name "${name}" must be a DNS label: lower-case letters, digits and "-", at most 63 chars`, this);
    // A token (e.g. a TeamNamespace's name) is checked where it is created, and orders creation.
    if (!Token.isUnresolved(namespace) && !isDnsLabel(namespace)) throw new ConfigError(`namespace "${namespace}" must be a DNS label: lower-case letters, digits and "-", at most 63 chars`, this);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError(`port must be an integer from 1 to 65535, got ${port}`, this);
    // Start at the HPA's floor when it is above 2, so the first rollout is not under-scaled.
    const replicas = props.replicas ?? Math.max(DEFAULT_REPLICAS, props.autoscaling?.minReplicas ?? DEFAULT_MIN_REPLICAS);
    this.positiveInteger("replicas", replicas);
    const runAsUser = props.runAsUser ?? DEFAULT_RUN_AS_USER;
    if (!Number.isInteger(runAsUser) || runAsUser < 1) throw new ConfigError(`runAsUser must be a non-root uid (integer >= 1), got ${runAsUser}`, this);
    this.checkResources(props.resources);
    this.checkMountPaths(props.configFiles ?? []);
    const automountToken = props.serviceAccount?.automountToken ?? false;

    this.name = name;
    this.image = pinnedImage(props.image, this);
    const labels = workloadLabels(name, props.team);
    const selector = { [NAME_LABEL]: name };
    enforceWorkloadConsistency(this);

    this.serviceAccount = new ServiceAccountV1(this, "service-account", {
      metadata: { name, namespace, labels, annotations: props.serviceAccount?.annotations },
      automountServiceAccountToken: automountToken,
    });

    this.configMaps = (props.configFiles ?? []).map(
      (config, i) => new HashedConfigMap(this, `config-${i}`, { name: config.name, namespace, files: config.files, labels }),
    );
    const volumes: DeploymentV1SpecTemplateSpecVolume[] = [
      { name: "tmp", emptyDir: { sizeLimit: TMP_SIZE_LIMIT } },
      // Referencing the resource (not the literal name) makes terraform create the ConfigMap first.
      ...this.configMaps.map((cm, i) => ({ name: `config-${i}`, configMap: { name: cm.configMap.metadata.name } })),
    ];
    const volumeMounts: DeploymentV1SpecTemplateSpecContainerVolumeMount[] = [
      { name: "tmp", mountPath: TMP_MOUNT_PATH },
      ...(props.configFiles ?? []).map((config, i) => ({ name: `config-${i}`, mountPath: config.mountPath, readOnly: true })),
    ];

    const { resources, probes } = props;
    this.deployment = new DeploymentV1(this, "deployment", {
      metadata: { name, namespace, labels },
      spec: {
        replicas: String(replicas),
        selector: { matchLabels: selector },
        // Surge only: a rollout adds a new pod before removing an old one, never dropping capacity.
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "1", maxUnavailable: "0" } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: this.serviceAccount.metadata.name,
            automountServiceAccountToken: automountToken,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: String(runAsUser),
              runAsGroup: String(runAsUser),
              fsGroup: String(runAsUser),
              seccompProfile: { type: "RuntimeDefault" },
            },
            // A zone outage must not take every replica; hosts are spread best-effort.
            topologySpreadConstraint: [
              { maxSkew: 1, topologyKey: ZONE_KEY, whenUnsatisfiable: "DoNotSchedule", labelSelector: [{ matchLabels: selector }] },
              { maxSkew: 1, topologyKey: HOST_KEY, whenUnsatisfiable: "ScheduleAnyway", labelSelector: [{ matchLabels: selector }] },
            ],
            container: [
              {
                name,
                image: this.image,
                imagePullPolicy: "IfNotPresent",
                args: props.args ? [...props.args] : undefined,
                port: [{ name: "http", containerPort: port, protocol: "TCP" }],
                env: props.env ? Object.entries(props.env).map(([envName, value]) => ({ name: envName, value })) : undefined,
                resources: {
                  requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest },
                  limits: { memory: resources.memoryLimit, ...(resources.cpuLimit ? { cpu: resources.cpuLimit } : {}) },
                },
                readinessProbe: probes?.readiness && probeBlock(probes.readiness, port),
                livenessProbe: probes?.liveness && probeBlock(probes.liveness, port),
                startupProbe: probes?.startup && probeBlock(probes.startup, port),
                securityContext: {
                  runAsNonRoot: true,
                  readOnlyRootFilesystem: true,
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  capabilities: { drop: ["ALL"] },
                  seccompProfile: { type: "RuntimeDefault" },
                },
                volumeMount: volumeMounts,
              },
            ],
            volume: volumes,
          },
        },
      },
      // The HPA owns the replica count once running; terraform must not reset it on every apply.
      lifecycle: { ignoreChanges: ["spec[0].replicas"] },
    });

    this.service = new ServiceV1(this, "service", {
      metadata: { name, namespace, labels },
      spec: { type: "ClusterIP", selector, port: [{ name: "http", port, targetPort: "http", protocol: "TCP" }] },
    });

    this.autoscaler = this.createAutoscaler(props, labels);
    this.disruptionBudget = this.createDisruptionBudget(props, labels, selector);
    this.networkPolicy = new WorkloadNetworkPolicy(this, "network-policy", { name, namespace, port, labels, ...props.network });
  }

  private createAutoscaler(props: WorkloadProps, labels: Record<string, string>): HorizontalPodAutoscalerV2 {
    const scaling = props.autoscaling ?? {};
    const minReplicas = scaling.minReplicas ?? DEFAULT_MIN_REPLICAS;
    const maxReplicas = scaling.maxReplicas ?? DEFAULT_MAX_REPLICAS;
    this.positiveInteger("autoscaling.minReplicas", minReplicas);
    this.positiveInteger("autoscaling.maxReplicas", maxReplicas);
    const metric: HorizontalPodAutoscalerV2SpecMetric[] = [
      this.utilizationMetric("cpu", scaling.cpuUtilization ?? DEFAULT_CPU_UTILIZATION),
      ...(scaling.memoryUtilization !== undefined ? [this.utilizationMetric("memory", scaling.memoryUtilization)] : []),
    ];
    return new HorizontalPodAutoscalerV2(this, "autoscaler", {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels,
        annotations: scaling.minReplicasReason !== undefined ? { [MIN_REPLICAS_REASON_ANNOTATION]: scaling.minReplicasReason } : undefined,
      },
      spec: {
        minReplicas,
        maxReplicas,
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: props.name },
        metric,
      },
    });
  }

  private utilizationMetric(resource: "cpu" | "memory", percent: number): HorizontalPodAutoscalerV2SpecMetric {
    if (!Number.isInteger(percent) || percent < 1 || percent > 100) {
      throw new ConfigError(`autoscaling.${resource}Utilization must be an integer percent from 1 to 100, got ${percent}`, this);
    }
    return { type: "Resource", resource: { name: resource, target: { type: "Utilization", averageUtilization: percent } } };
  }

  private createDisruptionBudget(props: WorkloadProps, labels: Record<string, string>, selector: Record<string, string>): PodDisruptionBudgetV1 {
    const budget = props.disruptionBudget ?? {};
    if (budget.maxUnavailable !== undefined && budget.minAvailable !== undefined) {
      throw new ConfigError(
        `disruptionBudget sets both maxUnavailable (${budget.maxUnavailable}) and minAvailable (${budget.minAvailable}); Kubernetes allows one, keep maxUnavailable`,
        this,
      );
    }
    const maxUnavailable = budget.minAvailable === undefined ? (budget.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE) : undefined;
    return new PodDisruptionBudgetV1(this, "disruption-budget", {
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        selector: { matchLabels: selector },
        maxUnavailable: maxUnavailable === undefined ? undefined : String(maxUnavailable),
        minAvailable: budget.minAvailable === undefined ? undefined : String(budget.minAvailable),
      },
    });
  }

  private checkResources(resources: ContainerResources | undefined): void {
    const fields: [keyof ContainerResources, boolean][] = [["cpuRequest", true], ["memoryRequest", true], ["memoryLimit", true], ["cpuLimit", false]];
    for (const [field, required] of fields) {
      const value = resources?.[field];
      if (value === undefined && !required) continue;
      if (value === undefined || parseQuantity(value) === undefined) {
        throw new ConfigError(
          `resources.${field} ${value === undefined ? "is required" : `"${value}" is not a Kubernetes quantity`}; use e.g. ${field.startsWith("cpu") ? '"250m"' : '"256Mi"'}`,
          this,
        );
      }
    }
  }

  private checkMountPaths(configFiles: readonly ConfigFilesProps[]): void {
    const taken = new Set([TMP_MOUNT_PATH]);
    for (const { name, mountPath } of configFiles) {
      if (!mountPath.startsWith("/")) throw new ConfigError(`configFiles "${name}" mountPath "${mountPath}" must be an absolute path like /etc/app`, this);
      if (taken.has(mountPath)) throw new ConfigError(`configFiles "${name}" mountPath "${mountPath}" is already used; give each ConfigMap its own directory`, this);
      taken.add(mountPath);
    }
  }

  private positiveInteger(field: string, value: number): void {
    if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${field} must be an integer of at least 1, got ${value}`, this);
  }
}
