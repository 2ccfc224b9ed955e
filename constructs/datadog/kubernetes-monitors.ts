import { Construct } from "constructs";
import { AlertMonitor, MonitorThresholds } from "./alert-monitor";
import { NotificationTargets } from "./notifications";
import { Ownership } from "./ownership";
import { metric, MonitorWindow, monitorQuery } from "./query";

/** Where a workload runs. */
export interface KubernetesWorkloadRef {
  /** Cluster name as the Datadog agent tags it (kube_cluster_name). */
  readonly clusterName: string;
  /** Kubernetes namespace of the Deployment (kube_namespace tag). */
  readonly namespace: string;
  /** Deployment name; its HPA has the same name. */
  readonly deployment: string;
}

/** Props of {@link WorkloadMonitors}. */
export interface WorkloadMonitorsProps {
  /** The team and service the workload belongs to; monitors are named and tagged after it. */
  readonly owner: Ownership;
  /** Who is told when the workload is unhealthy. */
  readonly notifications: NotificationTargets;
  /** Cluster, namespace and Deployment the monitors watch. */
  readonly workload: KubernetesWorkloadRef;
  /** Container restarts of one pod within `restartWindow`. */
  readonly restarts: MonitorThresholds;
  /** Window restarts are counted over (compared with the same window before); e.g. `last_15m`. */
  readonly restartWindow: MonitorWindow;
  /** Alert when the HPA has been at maxReplicas for this whole window. */
  readonly hpaAtMaxWindow: MonitorWindow;
  /** Alert when replicas have been unavailable for this whole window. */
  readonly unavailableWindow: MonitorWindow;
}

/**
 * Kubernetes monitors of one workload: OOMKilled containers (limits too low), restart loops,
 * an HPA pinned at maxReplicas (capacity exhausted: raise max or the node pool) and a
 * Deployment with unavailable replicas (stuck rollout, failing probes, unschedulable pods).
 */
export class WorkloadMonitors extends Construct {
  /** Containers OOMKilled. */
  public readonly oomKilled: AlertMonitor;
  /** Restarts within the restart window. */
  public readonly restartLoop: AlertMonitor;
  /** HPA pinned at maxReplicas. */
  public readonly hpaAtMax: AlertMonitor;
  /** Unavailable Deployment replicas. */
  public readonly replicasUnavailable: AlertMonitor;

  constructor(scope: Construct, id: string, props: WorkloadMonitorsProps) {
    super(scope, id);
    const { owner, notifications, workload } = props;
    const scopeTags = { kube_cluster_name: workload.clusterName, kube_namespace: workload.namespace };
    const deployment = { ...scopeTags, kube_deployment: workload.deployment };
    const hpa = { ...scopeTags, horizontalpodautoscaler: workload.deployment };
    const common = { owner, notifications };

    // The kubelet check's last_state metric keeps the reason after the container restarts (seconds
    // after the kill); kube-state's status_report.count.terminated only shows the current state and
    // is gone by the next scrape. It stays 1 until the pod is replaced, e.g. by the fix's rollout.
    this.oomKilled = new AlertMonitor(this, "oom-killed", {
      ...common,
      title: "container OOMKilled",
      description: `Container {{kube_container_name.name}} of ${workload.deployment} in ${workload.namespace} was OOMKilled (its last termination reason). Compare its memory working set with the limit and raise the limit (and request) in the workload config; the alert clears when the pods are replaced.`,
      query: monitorQuery(
        {
          aggregator: "max",
          window: "last_10m",
          expression: metric({ aggregator: "sum", metric: "kubernetes.containers.last_state.terminated", filter: { ...deployment, reason: "oomkilled" }, by: ["kube_container_name"] }),
          comparator: ">=",
          threshold: 1,
        },
        this,
      ),
      thresholds: { critical: 1 },
      unit: "count",
      noData: { notify: false },
    });

    this.restartLoop = new AlertMonitor(this, "restart-loop", {
      ...common,
      title: "containers restarting in a loop",
      description: `Pods of ${workload.deployment} restarted {{value}} times in ${props.restartWindow}. Check the previous container's logs, the liveness probe and OOM kills.`,
      query: monitorQuery(
        {
          aggregator: "max",
          window: props.restartWindow,
          changeOver: props.restartWindow,
          expression: metric({ aggregator: "max", metric: "kubernetes.containers.restarts", filter: deployment, by: ["pod_name"] }),
          comparator: ">",
          threshold: props.restarts.critical,
        },
        this,
      ),
      thresholds: props.restarts,
      unit: "count",
      noData: { notify: false },
    });

    const replicas = (name: string) => metric({ aggregator: "max", metric: `kubernetes_state.hpa.${name}`, filter: hpa });
    this.hpaAtMax = new AlertMonitor(this, "hpa-at-max", {
      ...common,
      title: "HPA at max replicas",
      description: `The HPA of ${workload.deployment} has run at maxReplicas for ${props.hpaAtMaxWindow}: it cannot scale further. Raise maxReplicas (and check node pool headroom) or find what drives the load.`,
      // current - max stays >= 0 for the whole window only if it never dropped below max.
      query: monitorQuery(
        { aggregator: "min", window: props.hpaAtMaxWindow, expression: `${replicas("current_replicas")} - ${replicas("max_replicas")}`, comparator: ">=", threshold: 0 },
        this,
      ),
      thresholds: { critical: 0 },
      unit: "count",
      noData: { notify: false },
    });

    this.replicasUnavailable = new AlertMonitor(this, "replicas-unavailable", {
      ...common,
      title: "deployment replicas unavailable",
      description: `${workload.deployment} has had {{value}} unavailable replicas for ${props.unavailableWindow}. Check pod events (scheduling, image pulls, failing readiness probes).`,
      query: monitorQuery(
        {
          aggregator: "min",
          window: props.unavailableWindow,
          expression: metric({ aggregator: "max", metric: "kubernetes_state.deployment.replicas_unavailable", filter: deployment }),
          comparator: ">=",
          threshold: 1,
        },
        this,
      ),
      thresholds: { critical: 1 },
      unit: "count",
      // kube-state-metrics reports this for every Deployment: silence means the Deployment or the agent is gone.
      noData: { notify: true, afterMinutes: 30 },
    });
  }
}

/** Props of {@link ClusterMonitors}. */
export interface ClusterMonitorsProps {
  /** Owner of the cluster itself (the platform team). */
  readonly owner: Ownership;
  /** Who is told when nodes go NotReady (normally the platform on-call). */
  readonly notifications: NotificationTargets;
  /** Cluster name as the Datadog agent tags it (kube_cluster_name). */
  readonly clusterName: string;
}

/** Cluster-wide monitors: nodes not Ready. */
export class ClusterMonitors extends Construct {
  /** Nodes whose Ready condition is false. */
  public readonly nodesNotReady: AlertMonitor;

  constructor(scope: Construct, id: string, props: ClusterMonitorsProps) {
    super(scope, id);
    this.nodesNotReady = new AlertMonitor(this, "nodes-not-ready", {
      owner: props.owner,
      notifications: props.notifications,
      title: "nodes not ready",
      description: `{{value}} node(s) of ${props.clusterName} are NotReady. Check node conditions (memory/disk pressure, kubelet), the cloud provider's VM health and the autoscaler.`,
      query: monitorQuery(
        {
          aggregator: "max",
          window: "last_5m",
          expression: metric({
            aggregator: "sum",
            metric: "kubernetes_state.node.by_condition",
            filter: { kube_cluster_name: props.clusterName, condition: "ready", status: "false" },
            by: ["kube_cluster_name"],
          }),
          comparator: ">=",
          threshold: 1,
        },
        this,
      ),
      thresholds: { critical: 1 },
      unit: "count",
      // Reported for every node while kube-state-metrics runs: silence means the agent is down.
      noData: { notify: true, afterMinutes: 15 },
    });
  }
}
