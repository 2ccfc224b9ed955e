/**
 * Typed, validated configuration for every environment.
 *
 * This is the only place where configuration defaults live: constructs receive values that
 * have already been parsed here, and `parseEnvironment` (parse.ts) turns any schema violation into
 * a ConfigError naming the file, the field, the value and the fix. Every object is strict: an
 * unknown field is an error with the closest known field, never silently dropped.
 */
import { z } from "zod";
import { EKS_VERSIONS } from "../constructs/aws/eks/versions";
import { officeHoursProblems, WEEKDAYS } from "../constructs/aws/eks/office-hours";
import { strictObject } from "./parse";
import { CUSTOMER_BGP_REFUSED } from "../constructs/azure/vpn/static-routing";
import { cidrProblem, Ipv4Block, overlaps, parseCidr, within } from "../constructs/core/cidr";
import { findKeyLiterals, KEY_LITERAL_FIX } from "../constructs/datadog/key-literal";
import { DATABASE_CLIENTS, NAMING_SCHEMAS, TRACER_LIBRARIES, WEB_FRAMEWORKS } from "../constructs/datadog/tracer";
import { NOTIFICATION_HANDLE, PAGING_HANDLE, RENOTIFY_MINUTES } from "../constructs/datadog/notifications";
import { ANOMALY_ALGORITHMS, ANOMALY_BOUNDS, MONITOR_WINDOWS } from "../constructs/datadog/query";
import { DATADOG_SITES, SLO_TIMEFRAMES } from "../constructs/datadog/options";
import { ApiEndpoint, GITHUB_HOSTED_LABEL, reachProblems, RUNNER_ROLES } from "../constructs/core/ci-runners";
import { REGION_PATTERN as REAPER_REGION_PATTERN, ROLE_NAME_PATTERN as REAPER_ROLE_NAME_PATTERN, VOLUME_TYPES } from "../lambdas/ebs-reaper/config";

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

/** AWS commercial regions this platform may deploy to. */
export const AWS_REGIONS = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1",
  "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
  "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
  "sa-east-1", "me-central-1", "af-south-1",
] as const;


const CIDR_SHAPE = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;
const cidr = z.string().regex(CIDR_SHAPE, { message: "must be an IPv4 CIDR like 10.0.0.0/16" });

/** Tags every resource carries; the cost reaper and owner notifications depend on them. */
export const tagsSchema = strictObject({
  /** Team that owns the resources; notifications go here. */
  owner: z.string().min(1, { message: "must name the owning team" }),
  /** Finance cost center, e.g. "CC-1042". */
  costCenter: z.string().regex(/^CC-\d{3,6}$/, { message: "must look like CC-1042" }),
  /** Repository that manages the resources, "org/repo". */
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { message: "must be org/repo" }),
});
export type Tags = z.infer<typeof tagsSchema>;

const environmentName = z
  .string()
  .regex(/^[a-z][a-z0-9]{1,9}$/, { message: "must be 2-10 lower-case letters or digits, e.g. test" });

// ---------------------------------------------------------------------------------------------
// Observability (Datadog)
// ---------------------------------------------------------------------------------------------

/** A stray `apiKey`-like field gets the "keys never go in config" fix besides the did-you-mean. */
function observabilityObject<T extends z.core.$ZodLooseShape>(shape: T) {
  return strictObject(shape, (key) => (/key|secret|token/i.test(key) ? `; ${KEY_LITERAL_FIX}` : ""));
}

const datadogHandle = z.string().regex(NOTIFICATION_HANDLE, { message: "must be a Datadog handle like @slack-platform-alerts or @pagerduty-platform" });
const monitorThresholdsSchema = observabilityObject({ critical: z.number(), warning: z.number().optional() });
const monitorWindow = z.enum(MONITOR_WINDOWS, { message: `must be one of ${MONITOR_WINDOWS.join(", ")}` });
const serviceName = z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, { message: "must be a service name like payments-api" });

/** Anomaly rollup of one minute: within a fifth of every alert window from last_5m up. */
const DEFAULT_ANOMALY_INTERVAL_SECONDS = 60;

/** APM monitors for one service; it must be one of the environment's `workloads.services`. */
export const observedServiceSchema = observabilityObject({
  name: serviceName,
  /** What the service's tracer reports; span names and the database's service tag are derived from it. No defaults: declare what runs. */
  tracer: observabilityObject({
    library: z.enum(TRACER_LIBRARIES, { message: `must be a tracer whose naming constructs/datadog/tracer.ts knows: ${TRACER_LIBRARIES.join(", ")} (add another with its sources there)` }),
    namingSchema: z.enum(NAMING_SCHEMAS, { message: `must be ${NAMING_SCHEMAS.join(" or ")}: the service's DD_TRACE_SPAN_ATTRIBUTE_SCHEMA (v0 when unset)` }),
    webFramework: z.enum(WEB_FRAMEWORKS, { message: `must be ${WEB_FRAMEWORKS.join(" or ")}: what instruments inbound requests (express renames the span to express.request)` }),
  }),
  latencyP95Seconds: monitorThresholdsSchema,
  errorRatePercent: monitorThresholdsSchema,
  /** Anomaly detection on the service's database error count. */
  databaseErrors: observabilityObject({
    client: z.enum(DATABASE_CLIENTS, { message: `must be a database client whose span naming constructs/datadog/tracer.ts knows: ${DATABASE_CLIENTS.join(", ")}` }),
    /** The client plugin's `service` option (e.g. DD_TRACE_PG_SERVICE) when the service sets one; otherwise the tracer's naming applies. */
    service: serviceName.optional(),
    /** Rollup of the anomaly model in seconds; at most a fifth of alertWindow (checked with the query). */
    intervalSeconds: z.number().int().positive({ message: "must be a positive number of seconds" }).default(DEFAULT_ANOMALY_INTERVAL_SECONDS),
    algorithm: z.enum(ANOMALY_ALGORITHMS, { message: `must be an anomaly algorithm: ${ANOMALY_ALGORITHMS.join(", ")}` }),
    bounds: z.number().min(ANOMALY_BOUNDS.min, { message: `must be ${ANOMALY_BOUNDS.min}-${ANOMALY_BOUNDS.max} deviations` }).max(ANOMALY_BOUNDS.max, { message: `must be ${ANOMALY_BOUNDS.min}-${ANOMALY_BOUNDS.max} deviations` }),
    alertWindow: monitorWindow.default("last_15m"),
  }).optional(),
});
/** A parsed `observability.services` entry. */
export type ObservedServiceConfig = z.infer<typeof observedServiceSchema>;

/** An API test against one public endpoint. */
export const syntheticApiTestSchema = observabilityObject({
  name: serviceName,
  /** The workload serving the endpoint. */
  service: serviceName,
  url: z.url({ protocol: /^https$/, message: "must be an https:// URL" }),
  method: z.enum(["GET", "HEAD", "POST"]).default("GET"),
  /** At least one is required (checked by the construct, which names the test). */
  assertions: z
    .array(
      z.discriminatedUnion("type", [
        observabilityObject({ type: z.literal("statusCode"), is: z.number().int().min(100).max(599) }),
        observabilityObject({ type: z.literal("responseTime"), lessThanMs: z.number().int().positive() }),
        observabilityObject({ type: z.literal("bodyContains"), text: z.string().min(1) }),
      ]),
    )
    .default([]),
});
/** A parsed `observability.synthetics.tests` entry. */
export type SyntheticApiTestConfig = z.infer<typeof syntheticApiTestSchema>;

/** Datadog monitors, synthetics, the load-event dashboard and the public-API SLO of one environment. */
export const observabilitySchema = observabilityObject({
  /** Datadog site the account lives on. */
  site: z.enum(DATADOG_SITES, { message: `must be a Datadog site: ${DATADOG_SITES.join(", ")}` }).default("datadoghq.eu"),
  notifications: observabilityObject({
    /** Alerts, no data and recoveries: prod pages (@pagerduty-...), test posts to chat (@slack-...). */
    alert: z.array(datadogHandle).min(1, { message: "needs at least one target: prod pages (@pagerduty-...), test posts to chat (@slack-...)" }),
    /** Warnings; never a pager. Empty = the alert targets. */
    warning: z.array(datadogHandle).default([]),
    renotifyMinutes: z.number().int().min(RENOTIFY_MINUTES.min).max(RENOTIFY_MINUTES.max).default(60),
  }),
  services: z.array(observedServiceSchema).default([]),
  kubernetes: observabilityObject({
    /** Container restarts of one pod within `restartWindow`. */
    restarts: monitorThresholdsSchema.default({ warning: 1, critical: 3 }),
    restartWindow: monitorWindow.default("last_15m"),
    /** How long an HPA may sit at maxReplicas before it alerts: 15 minutes pinned during a sales event is already felt by users. */
    hpaAtMaxWindow: monitorWindow.default("last_15m"),
    /** How long a Deployment may have unavailable replicas (a rollout or a drain takes minutes). */
    unavailableWindow: monitorWindow.default("last_10m"),
  }).prefault({}),
  synthetics: observabilityObject({
    /** Managed locations, e.g. aws:eu-west-1, azure:westeurope. */
    locations: z.array(z.string().regex(/^(aws|azure|gcp):[a-z0-9-]+$/, { message: "must be a managed location like aws:eu-west-1" })).default(["aws:eu-west-1", "aws:eu-central-1", "aws:us-east-1"]),
    /** Seconds between runs; production runs every minute. */
    tickEverySeconds: z.number().int().min(60).max(604800),
    tests: z.array(syntheticApiTestSchema).default([]),
  }),
  /** Monitor-based SLO over the public API's latency and error-rate monitors. */
  slo: observabilityObject({
    service: serviceName,
    targetPercent: z.number(),
    warningPercent: z.number().optional(),
    timeframe: z.enum(SLO_TIMEFRAMES).default("30d"),
  }).optional(),
  loadEventDashboard: observabilityObject({ title: z.string().min(1) }).prefault({ title: "Load event" }),
}).superRefine((config, ctx) => {
  for (const path of findKeyLiterals(config)) ctx.addIssue({ code: "custom", path, message: `looks like a Datadog API/app key. ${KEY_LITERAL_FIX}` });
});
/** A parsed `observability` section. */
export type ObservabilityConfig = z.infer<typeof observabilitySchema>;

/** Production adds two rules: alerts page a person, and public endpoints are probed every minute. */
export const productionObservabilitySchema = observabilitySchema.superRefine((config, ctx) => {
  if (!config.notifications.alert.some((handle) => PAGING_HANDLE.test(handle))) {
    ctx.addIssue({ code: "custom", path: ["notifications", "alert"], message: "must include a pager (@pagerduty-..., @opsgenie-... or @oncall-...) in production" });
  }
  if (config.synthetics.tickEverySeconds !== 60) {
    ctx.addIssue({ code: "custom", path: ["synthetics", "tickEverySeconds"], message: "must be 60 in production (public endpoints are probed every minute)" });
  }
});

// ---------------------------------------------------------------------------------------------
// Workloads (Kubernetes services on EKS and AKS; built with constructs/kubernetes)
// ---------------------------------------------------------------------------------------------
// Construct defaults (2 replicas, HPA 2-10 at 70% CPU, PDB maxUnavailable 1, ...) are documented
// on the Workload props and applied there; these schemas only check shape, so the two never drift.

const k8sName = z.string().regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: "must be a DNS label: lower-case letters, digits and -, at most 63 chars" });
const k8sQuantity = z
  .string()
  .regex(/^(\d+(\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/, { message: 'must be a Kubernetes quantity like "250m" or "512Mi"' });
const k8sPort = z.number().int().min(1).max(65535);
const k8sLabels = z.record(z.string(), z.string());
const probeTimings = {
  initialDelaySeconds: z.number().int().min(0).optional(),
  periodSeconds: z.number().int().min(1).optional(),
  timeoutSeconds: z.number().int().min(1).optional(),
  failureThreshold: z.number().int().min(1).optional(),
};

/** A readiness, liveness or startup probe: HTTP GET, TCP connect or a command. */
export const workloadProbeSchema = z.discriminatedUnion("type", [
  strictObject({ type: z.literal("http"), path: z.string().startsWith("/", { message: "must start with /" }), port: k8sPort.optional(), ...probeTimings }),
  strictObject({ type: z.literal("tcp"), port: k8sPort.optional(), ...probeTimings }),
  strictObject({ type: z.literal("exec"), command: z.array(z.string()).min(1, { message: "needs a command" }), ...probeTimings }),
]);

/** A team's namespace: quota, limit defaults, default-deny network policy, RBAC for the team's group. */
export const teamNamespaceSchema = strictObject({
  name: k8sName,
  team: k8sName,
  /** EKS: the Kubernetes group of the team's access entry. AKS: the team's Entra ID group object id. */
  group: z.string().min(1, { message: "must name the team's group" }),
  role: z.enum(["view", "edit", "admin"]).optional(),
  quota: strictObject({ requestsCpu: k8sQuantity.optional(), requestsMemory: k8sQuantity.optional(), limitsMemory: k8sQuantity.optional(), pods: z.number().int().min(1).optional() }).optional(),
  containerDefaults: strictObject({ cpuRequest: k8sQuantity.optional(), memoryRequest: k8sQuantity.optional(), memoryLimit: k8sQuantity.optional() }).optional(),
});
export type TeamNamespaceConfig = z.infer<typeof teamNamespaceSchema>;

/** One service deployed with the Workload construct. */
export const workloadServiceSchema = strictObject({
  name: k8sName,
  namespace: k8sName,
  team: k8sName,
  /** Repository inside the environment's registry (ECR on AWS, `workloads.registry` on Azure), plus tag and/or digest. */
  image: strictObject({
    repository: z.string().regex(/^[a-z0-9]+([._/-][a-z0-9]+)*$/, { message: "must be a repository name like payments-api" }),
    tag: z.string().optional(),
    digest: z.string().optional(),
  }),
  port: k8sPort,
  replicas: z.number().int().min(1).optional(),
  resources: strictObject({ cpuRequest: k8sQuantity, memoryRequest: k8sQuantity, memoryLimit: k8sQuantity, cpuLimit: k8sQuantity.optional() }),
  probes: strictObject({ readiness: workloadProbeSchema, liveness: workloadProbeSchema, startup: workloadProbeSchema.optional() }),
  autoscaling: strictObject({
      minReplicas: z.number().int().min(1).optional(),
      maxReplicas: z.number().int().min(1).optional(),
      cpuUtilization: z.number().int().min(1).max(100).optional(),
      memoryUtilization: z.number().int().min(1).max(100).optional(),
      minReplicasReason: z.string().optional(),
    })
    .optional(),
  disruptionBudget: strictObject({ maxUnavailable: z.union([z.number().int().min(0), z.string().regex(/^\d+%$/)]).optional(), minAvailable: z.union([z.number().int().min(0), z.string().regex(/^\d+%$/)]).optional() })
    .optional(),
  /** Files relative to the repository root (where synth runs), mounted read-only at `mountPath`. */
  configFiles: z.array(strictObject({ name: k8sName, files: z.array(z.string().min(1)).min(1), mountPath: z.string().startsWith("/", { message: "must be an absolute path" }) })).optional(),
  network: strictObject({
      ingressFromNamespaces: z.array(k8sName).optional(),
      ingressFromPods: z.array(strictObject({ namespace: k8sName.optional(), labels: k8sLabels })).optional(),
      /** Let the environment's ingress controller (`workloads.ingressController`) reach the service. */
      allowIngressController: z.boolean().optional(),
      egressToCidrs: z.array(strictObject({ cidr, ports: z.array(strictObject({ port: k8sPort, protocol: z.enum(["TCP", "UDP"]).optional() })).min(1) })).optional(),
      egressToWorkloads: z.array(strictObject({ name: k8sName, namespace: k8sName.optional(), port: k8sPort })).optional(),
      /** Names of `workloads.databases`: egress to exactly that endpoint and port. */
      egressToDatabases: z.array(k8sName).optional(),
    })
    .optional(),
  serviceAccount: strictObject({ automountToken: z.boolean().optional(), annotations: z.record(z.string(), z.string()).optional() }).optional(),
  env: z.record(z.string(), z.string()).optional(),
  args: z.array(z.string()).optional(),
});
export type WorkloadServiceConfig = z.infer<typeof workloadServiceSchema>;

/** The widest range a database endpoint may be: a private endpoint is a /32, an HA pair fits a /28. */
export const DATABASE_MAX_PREFIX = 28;

/** A database endpoint: services reach it by name (`network.egressToDatabases`), nothing wider. */
export const databaseEndpointSchema = strictObject({
  name: k8sName,
  /** The endpoint's address: a /32 (private endpoint), at most a /28. */
  cidr: cidr.refine((value) => Number(value.split("/")[1]) >= DATABASE_MAX_PREFIX, {
    message: `must be the database endpoint itself: a /32, at most a /${DATABASE_MAX_PREFIX}`,
  }),
  port: k8sPort,
});
export type DatabaseEndpointConfig = z.infer<typeof databaseEndpointSchema>;

/**
 * Each `egressToDatabases` name is a configured database, and no `egressToCidrs` entry opens a
 * range wider than a database endpoint on its port (the whole VNet on 5432 reaches every database
 * and anything else listening there).
 */
function checkDatabaseEgress(
  workloads: { services: WorkloadServiceConfig[]; databases: DatabaseEndpointConfig[] },
  ctx: z.core.$RefinementCtx,
): void {
  const names = workloads.databases.map((db) => db.name);
  workloads.databases.forEach((db, i) => {
    if (names.indexOf(db.name) !== i) ctx.addIssue({ code: "custom", path: ["databases", i, "name"], message: "duplicates another database" });
  });
  workloads.services.forEach((service, i) => {
    (service.network?.egressToDatabases ?? []).forEach((name, j) => {
      if (!names.includes(name)) {
        ctx.addIssue({ code: "custom", path: ["services", i, "network", "egressToDatabases", j], message: `must name one of workloads.databases (${names.join(", ") || "none defined"})` });
      }
    });
    (service.network?.egressToCidrs ?? []).forEach((rule, j) => {
      const wide = safeCidr(rule.cidr);
      for (const db of workloads.databases) {
        const endpoint = safeCidr(db.cidr);
        if (!wide || !endpoint || wide.bitmask >= endpoint.bitmask || !within(wide, endpoint)) continue;
        if (!rule.ports.some((p) => p.port === db.port)) continue;
        ctx.addIssue({
          code: "custom",
          path: ["services", i, "network", "egressToCidrs", j],
          message: `opens ${rule.cidr}:${db.port}, wider than database "${db.name}" (${db.cidr}); use egressToDatabases: ["${db.name}"]`,
        });
      }
    });
  });
}

function safeCidr(value: string): Ipv4Block | undefined {
  try {
    return parseCidr("cidr", value);
  } catch {
    return undefined;
  }
}

/** The namespaces and services of an environment's cluster. */
export const workloadsSchema = strictObject({
    /** Registry host the images come from, e.g. `fintechprod.azurecr.io`. AWS: omit to use the environment's ECR. */
    registry: z.string().regex(/^[a-z0-9]+([.-][a-z0-9]+)*(:\d+)?$/, { message: "must be a registry host like fintechprod.azurecr.io" }).optional(),
    /** The ingress controller's pods, allowed in by services that set `network.allowIngressController`. */
    ingressController: strictObject({ namespace: k8sName, labels: k8sLabels.optional() }).optional(),
    namespaces: z.array(teamNamespaceSchema).default([]),
    services: z.array(workloadServiceSchema).default([]),
    /** Database endpoints services reach (and, on Azure, point-to-site DB admins): never a whole network. */
    databases: z.array(databaseEndpointSchema).default([]),
  })
  .superRefine((workloads, ctx) => {
    checkDatabaseEgress(workloads, ctx);
    const namespaces = new Set(workloads.namespaces.map((ns) => ns.name));
    const seen = new Set<string>();
    workloads.services.forEach((service, i) => {
      if (!namespaces.has(service.namespace)) {
        ctx.addIssue({ code: "custom", path: ["services", i, "namespace"], message: `must be one of workloads.namespaces (${[...namespaces].join(", ") || "none defined"})` });
      }
      const id = `${service.namespace}/${service.name}`;
      if (seen.has(id)) ctx.addIssue({ code: "custom", path: ["services", i, "name"], message: `duplicates another service in namespace ${service.namespace}` });
      seen.add(id);
      if (service.network?.allowIngressController && !workloads.ingressController) {
        ctx.addIssue({ code: "custom", path: ["services", i, "network", "allowIngressController"], message: "needs workloads.ingressController to say where the controller runs" });
      }
    });
  });
export type WorkloadsConfig = z.infer<typeof workloadsSchema>;

// ---------------------------------------------------------------------------------------------
// Cost estimates (tools/cost, docs/cost.md)
// ---------------------------------------------------------------------------------------------
// Usage the price table cannot know (GB of logs, NAT traffic, ...). `npm run cost` prints every
// value beside the estimate; change them here when the bills say otherwise.

const usage = (what: string) =>
  z
    .number({ error: `must be a number of ${what} (>= 0)` })
    .min(0, { message: `must be >= 0 ${what}` })
    .refine(Number.isFinite, { message: `must be a finite number of ${what}` });

/** Usage assumptions of an AWS environment. */
export const awsCostUsageSchema = strictObject({
  /** Data processed by each NAT gateway. */
  natGatewayGbPerMonth: usage("GB per month").default(100),
  /** Logs ingested by each CloudWatch log group without an entry in `logIngestGbPerMonthByGroup`. */
  logIngestGbPerMonth: usage("GB per month").default(5),
  /** Per log group name, e.g. { "/aws/eks/test-platform/cluster": 20 }. */
  logIngestGbPerMonthByGroup: z.record(z.string().min(1), usage("GB per month")).default({}),
  /** Image storage of each ECR repository (after its lifecycle policy). */
  ecrStorageGbPerRepository: usage("GB").default(5),
  /** Objects in each S3 bucket (the state bucket: a few MB of state and its versions). */
  s3StorageGbPerBucket: usage("GB").default(1),
  /** Invocations of each Lambda function. */
  lambdaInvocationsPerMonth: usage("invocations per month").default(100),
  /** Average run time of one invocation. */
  lambdaAverageSeconds: usage("seconds").default(30),
});
export type AwsCostUsage = z.infer<typeof awsCostUsageSchema>;

/** Usage assumptions of an Azure environment. */
export const azureCostUsageSchema = strictObject({
  /** Data ingested by each Log Analytics workspace without an entry in `logAnalyticsGbPerMonthByWorkspace`. */
  logAnalyticsGbPerMonth: usage("GB per month").default(30),
  /** Per workspace name, e.g. { "log-prod-audit": 1 } for a small audit workspace. */
  logAnalyticsGbPerMonthByWorkspace: z.record(z.string().min(1), usage("GB per month")).default({}),
  /** Secret/key operations on each Key Vault (the CSI driver polls every rotation interval). */
  keyVaultOperationsPerMonth: usage("operations per month").default(100000),
  /** Blobs in each storage account (the state account: a few MB of state and its versions). */
  storageGbPerAccount: usage("GB").default(1),
  /** Traffic through each hub firewall (customers' API calls, DB admin sessions). */
  firewallGbPerMonth: usage("GB per month").default(100),
});
export type AzureCostUsage = z.infer<typeof azureCostUsageSchema>;

/** Nightly scale-down of node groups (constructs/aws/eks/off-hours-schedule.ts). */
export const offHoursSchema = strictObject({
    /** IANA time zone of the office, e.g. Europe/Berlin. */
    timeZone: z.string(),
    days: z.array(z.enum(WEEKDAYS, { message: `must be one of ${WEEKDAYS.join(", ")}` })).default(["MON", "TUE", "WED", "THU", "FRI"]),
    /** Awake from `start` to `end` ("HH:MM", 24 h) on each of `days`. */
    start: z.string(),
    end: z.string(),
    /** Node groups that stay at their minSize overnight (e.g. the system group); all others go to zero. */
    keepAwake: z.array(z.string()).default([]),
  })
  .superRefine((hours, ctx) => {
    for (const problem of officeHoursProblems(hours)) ctx.addIssue({ code: "custom", path: [problem.field], message: problem.message });
  });
export type OffHoursConfig = z.infer<typeof offHoursSchema>;

// ---------------------------------------------------------------------------------------------
// AWS test environment
// ---------------------------------------------------------------------------------------------

const awsAccountId = z.string().regex(/^\d{12}$/, { message: "must be a 12-digit AWS account id" });

const iamPrincipalArn = z
  .string()
  .regex(/^arn:aws:(iam|sts)::\d{12}:(role|user|assumed-role)\/[\w+=,.@/-]+$/, {
    message: "must be an IAM role or user ARN like arn:aws:iam::123456789012:role/platform-admin",
  });

export const awsNodeGroupSchema = strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{1,38}$/, { message: "must be 2-39 chars, lower-case, digits, dashes" }),
  capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND"),
  instanceTypes: z.array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { message: "must be an EC2 instance type like m6i.large" })).min(1),
  minSize: z.number().int().min(0),
  maxSize: z.number().int().min(1),
  desiredSize: z.number().int().min(0),
  diskSizeGiB: z.number().int().min(20).max(16384).default(50),
  labels: z.record(z.string(), z.string()).default({}),
  taints: z
    .array(strictObject({ key: z.string(), value: z.string().optional(), effect: z.enum(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]) }))
    .default([]),
  /** IMDS response hop limit; 2 lets pods take the node role and needs `imdsHopLimitReason` (checked by the node group construct). Omitted = 1. */
  imdsHopLimit: z.union([z.literal(1), z.literal(2)], { message: "must be 1 (or 2 with imdsHopLimitReason)" }).optional(),
  /** Why this group's pods need the node role's credentials. */
  imdsHopLimitReason: z.string().optional(),
});
export type AwsNodeGroupConfig = z.infer<typeof awsNodeGroupSchema>;

export const awsRepositorySchema = strictObject({
  name: z.string(),
  keepImages: z.number().default(30),
  untaggedExpiryDays: z.number().default(7),
});
export type AwsRepositoryConfig = z.infer<typeof awsRepositorySchema>;

// ---------------------------------------------------------------------------------------------
// EBS reaper (cost: lambdas/ebs-reaper, constructs/aws/cost/ebs-reaper.ts)
// ---------------------------------------------------------------------------------------------
// Omitted optional fields take the EbsReaper construct's documented defaults (REAPER_DEFAULTS,
// DEFAULT_PRICES, weekday schedules), shared with the reaper's CLI and Lambda.

export const ebsReaperSchema = strictObject({
  /** Accounts to scan; every one but the environment's own needs a ReaperMemberRole. */
  memberAccountIds: z.array(awsAccountId).min(1, { message: "must list at least one account to scan" }),
  /** Regions to scan in each account; omitted = every region enabled in the account. */
  regions: z.array(z.string().regex(REAPER_REGION_PATTERN, { message: "must be AWS region names like eu-west-1" })).min(1).optional(),
  /** Role the reaper assumes in member accounts. */
  memberRoleName: z.string().regex(REAPER_ROLE_NAME_PATTERN, { message: "must be an IAM role name: 1-64 of letters, digits, +=,.@_-" }).optional(),
  /** Days a volume stays marked before it may be deleted (owner approval is needed too). */
  graceDays: z.number().int().min(1, { message: "must be at least 1 day" }).optional(),
  /** USD per GiB-month by volume type (gp2, gp3, io1, io2, st1, sc1, standard). */
  prices: z
    .record(z.string(), z.number().min(0, { message: "must be a price >= 0 in USD per GiB-month" }))
    .superRefine((prices, ctx) => {
      for (const type of Object.keys(prices).filter((t) => !(VOLUME_TYPES as readonly string[]).includes(t))) {
        ctx.addIssue({ code: "custom", path: [type], message: `is not an EBS volume type; price one of ${VOLUME_TYPES.join(", ")}` });
      }
    })
    .optional(),
  /** Team told about volumes that have neither an `owner` nor a `team` tag. */
  defaultRecipient: z.string().min(1, { message: "must name the team told about volumes without an owner" }),
  /** Email per owner; each receives only its own reports. */
  notificationEmails: z.record(z.string(), z.email({ message: "must be an email address" })).optional(),
  /** EventBridge schedule expressions, UTC. */
  scanSchedule: z.string().optional(),
  reapSchedule: z.string().optional(),
  /** Days to keep the reaper's logs. */
  logRetentionDays: z.number().int().optional(),
});
export type EbsReaperConfig = z.infer<typeof ebsReaperSchema>;

/** This infrastructure repository on GitHub, whose workflows the CI identities trust. */
const ciRepository = z.string().regex(/^[\w.-]+\/[\w.-]+$/, { message: "must be the GitHub repository of this code, org/repo, e.g. fintech/platform-infra" });

/** `schema`, with a message saying how to fix it when the whole section is missing. */
function requiredSection<T extends z.ZodType>(schema: T, fix: string) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (value === undefined) ctx.addIssue({ code: "custom", message: `is missing: ${fix}` });
    })
    .pipe(schema);
}

// ---------------------------------------------------------------------------------------------
// CI runners (constructs/core/ci-runners.ts, docs/ci-security.md "Runners and reachability")
// ---------------------------------------------------------------------------------------------

/**
 * Runners are ephemeral unless config says otherwise: a runner that survives a job keeps whatever
 * that job left behind (a PR's process, a poisoned tool cache) for the next job on it.
 */
export const DEFAULT_RUNNER_EPHEMERAL = true;

/** A CIDR checked as a real, canonical IPv4 block (the plain `cidr` pattern also matches 999.0.0.0/40). */
const strictCidr = cidr.superRefine((value, ctx) => {
  if (!CIDR_SHAPE.test(value)) return; // the pattern above already reported it
  const problem = cidrProblem(value);
  if (problem?.startsWith("is not")) ctx.addIssue({ code: "custom", message: problem });
  else if (problem) ctx.addIssue({ code: "custom", message: `must be an IPv4 CIDR like 198.51.100.10/32 (${problem})` });
});

/** A runner's public egress range: it joins allow-lists, so never the whole internet. */
const runnerEgressCidr = strictCidr.refine((value) => !value.endsWith("/0"), { message: "would open every allow-list to the internet; list the runners' own egress range" });

const runnerLabel = z
  .string()
  .regex(/^[A-Za-z0-9][\w.-]{0,99}$/, { message: "must be a runner label or larger-runner name: letters, digits, . _ -" })
  .refine((label) => !GITHUB_HOSTED_LABEL.test(label), {
    message: "is a GitHub-hosted label: those runners egress from any of GitHub's shared ranges, which no allow-list can name; use the label of runners placed in ci.runners.*.network",
  });

/** Where one job kind runs; see InNetworkRunners / StaticEgressRunners. */
const runnerNetworkSchema = z.discriminatedUnion(
  "placement",
  [
    strictObject({
      placement: z.literal("in-network"),
      /** The runner subnet, inside the VPC / VNet (checked per environment). */
      subnetCidr: strictCidr,
      /** The subnet's NAT egress; only needed to pass public allow-lists. @default [] */
      egressCidrs: z.array(runnerEgressCidr).default([]),
      /** Fresh runner per job. Required for runners inside the network. @default DEFAULT_RUNNER_EPHEMERAL (true) */
      ephemeral: z.boolean().default(DEFAULT_RUNNER_EPHEMERAL),
    }),
    strictObject({
      placement: z.literal("static-egress"),
      /** Fixed public egress ranges of the runners; they join every allow-list. */
      egressCidrs: z.array(runnerEgressCidr).min(1, { message: "needs the runners' static egress ranges (they join every allow-list)" }),
      /** Fresh runner per job. @default DEFAULT_RUNNER_EPHEMERAL (true) */
      ephemeral: z.boolean().default(DEFAULT_RUNNER_EPHEMERAL),
    }),
  ],
  { message: 'must have placement "in-network" (runners inside the VPC/VNet) or "static-egress" (fixed public egress)' },
);

const jobRunnersSchema = strictObject({
  /** `runs-on` of every job of this kind in .github/workflows (a test compares them). */
  labels: z.array(runnerLabel).min(1, { message: "needs the runs-on label(s) of these runners" }),
  network: runnerNetworkSchema,
});

/** Runners of plan jobs (pull-request code, drift) and apply jobs (main, write identities). */
const ciRunnersSchema = strictObject({ plan: jobRunnersSchema, apply: jobRunnersSchema }).superRefine((runners, ctx) => {
  // GitHub puts a job on a runner that has all its labels: plan labels that are a subset of the
  // apply runners' labels would let pull-request code run on an apply runner (and the reverse).
  const planOnly = runners.plan.labels.filter((l) => !runners.apply.labels.includes(l));
  const applyOnly = runners.apply.labels.filter((l) => !runners.plan.labels.includes(l));
  if (planOnly.length === 0 || applyOnly.length === 0) {
    ctx.addIssue({
      code: "custom",
      path: [planOnly.length === 0 ? "plan" : "apply", "labels"],
      message: "must include a label the other job kind's runners lack (e.g. <env>-plan vs <env>-apply), or pull-request plans could run on apply runners",
    });
  }
  // Pull-request code runs on plan runners; one that survives the job hands the next job a foothold.
  if (!runners.plan.network.ephemeral) ctx.addIssue({ code: "custom", path: ["plan", "network", "ephemeral"], message: "must be true: plan runners run pull-request code, and a reused runner keeps what it left" });
  if (runners.apply.network.placement === "in-network" && !runners.apply.network.ephemeral) {
    ctx.addIssue({ code: "custom", path: ["apply", "network", "ephemeral"], message: "must be true for runners inside the network: a reused runner there keeps a foothold next to the private endpoints" });
  }
});
/** A parsed `ci.runners` section. */
export type CiRunnersConfig = z.infer<typeof ciRunnersSchema>;

/**
 * Report each runner subnet that lies outside the environment's network, or overlaps a subnet
 * reserved for something else (`taken`: config field -> CIDR).
 */
function checkRunnerSubnets(runners: CiRunnersConfig, networkField: string, networkCidr: string, taken: Record<string, string | undefined>, ctx: z.core.$RefinementCtx): void {
  const network = safeCidr(networkCidr);
  for (const role of RUNNER_ROLES) {
    const placed = runners[role].network;
    if (placed.placement !== "in-network" || !network) continue;
    const subnet = safeCidr(placed.subnetCidr);
    if (!subnet) continue;
    const path = ["ci", "runners", role, "network", "subnetCidr"];
    if (!within(network, subnet)) {
      ctx.addIssue({ code: "custom", path, message: `must lie inside ${networkField} ${networkCidr}: in-network runners sit in the environment's own network` });
    }
    for (const [field, value] of Object.entries(taken)) {
      const other = value === undefined ? undefined : safeCidr(value);
      if (other && overlaps(subnet, other)) ctx.addIssue({ code: "custom", path, message: `overlaps ${field} ${value}; give the runners a subnet of their own` });
    }
  }
}

/** Report each API a runner network cannot reach (constructs/core/ci-runners.ts). */
function checkRunnerReach(runners: CiRunnersConfig, apis: readonly ApiEndpoint[], ctx: z.core.$RefinementCtx): void {
  for (const problem of reachProblems(runners, apis)) ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
}

/**
 * Run an environment-wide refinement only when `fields` parsed cleanly: zod runs refinements on
 * objects whose members had (non-fatal) issues, and a cross-field check would then read a value
 * that is missing or unparsed; the member's own issue already says what is wrong.
 */
function whenValid(...fields: string[]): { when: (payload: z.core.ParsePayload) => boolean } {
  return { when: (payload) => !payload.issues.some((issue) => fields.includes(String(issue.path?.[0]))) };
}

/** The `ci.runners` example the missing-section messages show. */
const RUNNERS_EXAMPLE = 'runners: { plan: { labels: ["<env>-plan"], network: { placement: "static-egress", egressCidrs: ["198.51.100.10/32"] } }, apply: { ... } }';

const runnersSection = requiredSection(ciRunnersSchema, `add ci.${RUNNERS_EXAMPLE} (docs/ci-security.md, "Runners and reachability")`);

/** CI identities of an AWS environment: the roles are created in `<env>-aws-ci` from these values. */
const ciAwsSchema = requiredSection(
  strictObject({
    githubRepository: ciRepository,
    /** Where plan and apply jobs run; their network must reach the EKS API (checked below). */
    runners: runnersSection,
  }),
  `add ci: { githubRepository: "org/repo", ${RUNNERS_EXAMPLE} } (docs/ci-security.md)`,
);

/** The EKS API as the runners see it: the private endpoint is always on; the public one is optional. */
function eksApi(eks: { clusterName: string; publicEndpoint: { enabled: boolean } }): ApiEndpoint {
  return {
    name: `EKS API of ${eks.clusterName}`,
    field: "eks.publicEndpoint",
    exposure: eks.publicEndpoint.enabled ? "enabled (the runners' egress joins allowedCidrs)" : "disabled (private endpoint only, reachable inside the VPC)",
    publicAllowList: eks.publicEndpoint.enabled,
    // The private endpoint resolves inside the VPC; the cluster security group admits the runner subnet.
    reachableInNetwork: true,
    fix: 'set eks.publicEndpoint.enabled: true (the runners\' egressCidrs join its allow-list) or run the runners in the VPC (network: { placement: "in-network", subnetCidr })',
  };
}

export const awsTestEnvironmentSchema = strictObject({
  name: environmentName,
  cloud: z.literal("aws"),
  region: z.enum(AWS_REGIONS, { message: `must be one of ${AWS_REGIONS.join(", ")}` }),
  accountId: awsAccountId,
  tags: tagsSchema,
  state: strictObject({
    /** Globally unique S3 bucket name for this environment's state. */
    bucketName: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: "must be a valid S3 bucket name" }),
    /** Days to keep non-current state versions (the recovery window). */
    noncurrentVersionDays: z.number().int().min(30).default(90),
  }),
  network: strictObject({
    vpcCidr: cidr,
    azCount: z.number().int().min(2, { message: "must be at least 2 (EKS needs two AZs)" }).max(6).default(3),
    publicSubnetPrefix: z.number().int().min(16).max(28).default(24),
    privateSubnetPrefix: z.number().int().min(16).max(28).default(20),
    natGateways: z.enum(["single", "per-az"]).default("single"),
    /** Explicit subnet CIDRs, one per AZ; omitted = carved from vpcCidr. */
    subnetCidrs: strictObject({ public: z.array(cidr), private: z.array(cidr) }).optional(),
    flowLogRetentionDays: z.number().int().min(1).default(365),
  }),
  eks: strictObject({
    clusterName: z.string().regex(/^[a-zA-Z][a-zA-Z0-9-]{0,99}$/, { message: "must start with a letter; letters, digits, dashes" }),
    version: z.enum(EKS_VERSIONS, { message: `must be a supported EKS version: ${EKS_VERSIONS.join(", ")}` }),
    adminPrincipals: z.array(iamPrincipalArn).default([]),
    /** IAM roles mapped to Kubernetes groups (RBAC decides what they may do), e.g. team developer roles. */
    teamAccess: z.array(strictObject({ principalArn: iamPrincipalArn, kubernetesGroups: z.array(z.string().min(1)).min(1) })).default([]),
    publicEndpoint: strictObject({
        enabled: z.boolean().default(false),
        allowedCidrs: z.array(cidr).default([]),
        allowWorld: z.boolean().default(false),
      })
      .default({ enabled: false, allowedCidrs: [], allowWorld: false }),
    logRetentionDays: z.number().int().min(1).default(90),
    nodeGroups: z.array(awsNodeGroupSchema).min(1, { message: "needs at least one node group" }),
    /** Scale node groups down outside office hours; omitted = always on. */
    offHours: offHoursSchema.optional(),
  }).superRefine((eks, ctx) => {
    const names = eks.nodeGroups.map((g) => g.name);
    eks.offHours?.keepAwake.forEach((name, i) => {
      if (!names.includes(name)) ctx.addIssue({ code: "custom", path: ["offHours", "keepAwake", i], message: `is not a node group; use one of ${names.join(", ")}` });
    });
  }),
  ecr: strictObject({
    repositories: z.array(awsRepositorySchema).default([]),
    ci: strictObject({
      /** GitHub repository allowed to push, "org/repo". */
      githubRepository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { message: "must be org/repo" }),
      /** Branch whose workflows may push. */
      branch: z.string().min(1).default("main"),
    }),
  }),
  /** The CI identities of this repository's pipeline (stack `<env>-aws-ci`, docs/ci-security.md). */
  ci: ciAwsSchema,
  /** The unattached-EBS reaper (see "EBS reaper" above); omitted = no test-aws-cost stack. */
  ebsReaper: ebsReaperSchema.optional(),
  /** Kubernetes namespaces and services on the cluster (see "Workloads" above). */
  workloads: workloadsSchema.default({ namespaces: [], services: [], databases: [] }),
  /** Datadog monitors, synthetics, dashboard and SLO (see "Observability (Datadog)" above). */
  observability: observabilitySchema,
  /** Usage assumptions of the cost estimate (see "Cost estimates" above). */
  cost: strictObject({ usage: awsCostUsageSchema.prefault({}) }).prefault({}),
}).superRefine((env, ctx) => {
  checkRunnerSubnets(env.ci.runners, "network.vpcCidr", env.network.vpcCidr, {}, ctx);
  // The workloads stack plans and applies through the Kubernetes API of the cluster.
  checkRunnerReach(env.ci.runners, [eksApi(env.eks)], ctx);
}, whenValid("ci", "network", "eks"));
export type AwsTestEnvironment = z.infer<typeof awsTestEnvironmentSchema>;
/** What a config file writes: defaults may be omitted. */
export type AwsTestEnvironmentInput = z.input<typeof awsTestEnvironmentSchema>;

// ---------------------------------------------------------------------------------------------
// Azure production environment
// ---------------------------------------------------------------------------------------------

/**
 * Azure regions with availability zones (three zones each). Production only goes where the
 * zone-redundant VPN gateway SKUs and a zonal AKS cluster are possible.
 */
export const AZURE_AZ_REGIONS = [
  "westeurope", "northeurope", "germanywestcentral", "francecentral", "uksouth", "swedencentral",
  "switzerlandnorth", "norwayeast", "polandcentral", "italynorth", "spaincentral",
  "eastus", "eastus2", "centralus", "southcentralus", "westus2", "westus3", "canadacentral", "brazilsouth",
  "australiaeast", "japaneast", "koreacentral", "southeastasia", "eastasia", "centralindia",
  "southafricanorth", "uaenorth", "qatarcentral", "israelcentral",
] as const;

/** Availability zones of an Azure region. */
export const AZURE_ZONES = ["1", "2", "3"] as const;

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const guid = z.string().regex(GUID, { message: "must be a GUID like 00000000-0000-0000-0000-000000000000" });

const azureVmSize = z.string().regex(/^Standard_[A-Za-z0-9_]+$/, { message: "must be an Azure VM size like Standard_D4ds_v5" });

const azureResourceGroupName = z
  .string()
  .regex(/^[\w().-]{1,89}[\w()-]$/, { message: "must be 1-90 letters, digits, _ ( ) . - and not end with a dot" });

const zones = z
  .array(z.enum(AZURE_ZONES, { message: `must be an availability zone: ${AZURE_ZONES.join(", ")}` }))
  .min(1, { message: "needs at least one availability zone" })
  .default(["1", "2", "3"]);

/** A node pool with the cluster autoscaler on; min <= max is checked by the AKS construct. */
export const azureNodePoolSchema = strictObject({
  /** Linux pool names are 1-12 lower-case letters or digits, starting with a letter. */
  name: z.string().regex(/^[a-z][a-z0-9]{0,11}$/, { message: "must be 1-12 lower-case letters or digits, starting with a letter" }),
  vmSize: azureVmSize.default("Standard_D4ds_v5"),
  minCount: z.number().int().min(1),
  maxCount: z.number().int().min(1).max(1000),
  /** Kubernetes max pods per node; Azure CNI overlay allows up to 250. */
  maxPods: z.number().int().min(30).max(250).default(110),
  osDiskSizeGb: z.number().int().min(30).max(2048).default(128),
  labels: z.record(z.string(), z.string()).default({}),
  /** Taints in kubectl form, e.g. "workload=batch:NoSchedule". */
  taints: z.array(z.string().regex(/^[\w./-]+(=[\w.-]*)?:(NoSchedule|PreferNoSchedule|NoExecute)$/, { message: "must look like key=value:NoSchedule" })).default([]),
});
export type AzureNodePoolConfig = z.infer<typeof azureNodePoolSchema>;

/** An IPsec/IKE policy; strength is checked by the site-to-site construct, which names the weak part. */
export const azureIpsecPolicySchema = strictObject({
  ikeEncryption: z.string(),
  ikeIntegrity: z.string(),
  dhGroup: z.string(),
  ipsecEncryption: z.string(),
  ipsecIntegrity: z.string(),
  pfsGroup: z.string(),
  saLifetimeSeconds: z.number().int().min(300).max(172799).default(27000),
  saDataSizeKb: z.number().int().min(1024).max(2147483647).default(102400000),
});
export type AzureIpsecPolicyConfig = z.infer<typeof azureIpsecPolicySchema>;

/** A customer network connected by a site-to-site IPsec tunnel. */
export const azureVpnCustomerSchema = strictObject({
  /** Short, stable name: it names the Azure resources and the Key Vault secret, so never rename it. */
  name: z.string().regex(/^[a-z][a-z0-9-]{1,30}[a-z0-9]$/, { message: "must be 3-32 lower-case letters, digits or dashes" }),
  /** The customer VPN device: a public IPv4 address or an FQDN (checked by the site-to-site construct). */
  gatewayAddress: z.string().min(1, { message: "must be the customer's VPN device public IPv4 address or FQDN" }),
  /** The customer's networks reachable through the tunnel: the only routes the hub installs for it (static routing; `bgp` is refused). */
  addressSpaces: z.array(cidr).min(1, { message: "needs at least one customer address range" }),
  /** Custom IPsec/IKE policy. When absent the site-to-site construct applies its strong default. */
  ipsecPolicy: azureIpsecPolicySchema.optional(),
  /**
   * The spoke services this customer may reach: destination range (inside the spoke VNet, never another
   * customer's) and ports: the hub firewall's and the NSGs' only allows for it. Nothing else crosses.
   */
  access: z.array(z.object({
    cidr,
    ports: z.array(z.number().int().min(1).max(65535)).min(1, { message: "needs at least one port" }),
    protocol: z.enum(["Tcp", "Udp"]).default("Tcp"),
  })).default([]),
  /** Key Vault secret holding the pre-shared key. When absent: `s2s-psk-<name>`. */
  sharedKeySecretName: z.string().regex(/^[a-zA-Z0-9-]{1,127}$/, { message: "must be 1-127 letters, digits or dashes" }).optional(),
  /** Key Vault secret version the connection deploys; a new one (a rotation) redeploys the connection. When absent: the latest at deployment. */
  sharedKeyVersion: z.string().regex(/^[0-9a-f]{32}$/, { message: "must be a Key Vault secret version: 32 lower-case hex characters" }).optional(),
}, (key) => (key === "bgp" ? `; ${CUSTOMER_BGP_REFUSED}` : ""));
export type AzureVpnCustomerConfig = z.infer<typeof azureVpnCustomerSchema>;

const weekday = z.enum(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]);

/** A weekly maintenance window. */
export const azureMaintenanceWindowSchema = strictObject({
  dayOfWeek: weekday,
  startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "must be HH:MM (24h)" }),
  /** Hours; AKS requires at least 4. */
  durationHours: z.number().int().min(4, { message: "must be at least 4 hours (AKS minimum)" }).max(24).default(4),
  utcOffset: z.string().regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, { message: "must look like +00:00" }).default("+00:00"),
});
export type AzureMaintenanceWindowConfig = z.infer<typeof azureMaintenanceWindowSchema>;

/** Virtual WAN VPN gateways always use this BGP ASN (Azure does not let it be changed). */
export const VWAN_GATEWAY_ASN = 65515;
/** Scale units of each hub VPN gateway when config gives none: 500 Mbps, enough for today's tunnels and admins. */
export const DEFAULT_VPN_SCALE_UNITS = 1;
/** Firewall tier when config gives none: Standard has threat intelligence; Premium adds TLS inspection and IDPS. */
export const DEFAULT_HUB_FIREWALL_SKU = "Standard";
/** Threat-intelligence mode when config gives none: drop traffic to and from known-malicious addresses. */
export const DEFAULT_THREAT_INTEL_MODE = "Deny";
/** Firewall public IPs when config gives none: one is enough for a firewall that only filters private traffic. */
export const DEFAULT_FIREWALL_PUBLIC_IPS = 1;

const gatewayName = z.string().regex(/^[\w.-]{1,80}$/, { message: "must be 1-80 letters, digits, _ . -" });

/** The Virtual WAN (Standard) secured hub: firewall + routing intent (constructs/azure/network/secured-hub.ts). */
const virtualHubSchema = strictObject({
  virtualWanName: gatewayName,
  name: gatewayName,
  /** The hub's own range (gateways, firewall, router): at least /24, /23 recommended; overlap with the spoke, customers and P2S pool is checked by the construct. */
  addressPrefix: cidr,
  firewall: strictObject({
    name: gatewayName,
    /** @default "Standard" (DEFAULT_HUB_FIREWALL_SKU) */
    sku: z.enum(["Standard", "Premium"], { message: "must be Standard or Premium (Basic cannot secure this hub)" }).default(DEFAULT_HUB_FIREWALL_SKU),
    /** @default "Deny" (DEFAULT_THREAT_INTEL_MODE) */
    threatIntelMode: z.enum(["Deny", "Alert", "Off"], { message: "must be Deny, Alert or Off" }).default(DEFAULT_THREAT_INTEL_MODE),
    /** @default 1 (DEFAULT_FIREWALL_PUBLIC_IPS) */
    publicIpCount: z.number().int().min(1).max(250).default(DEFAULT_FIREWALL_PUBLIC_IPS),
  }),
});

/** The object (principal) id of one CI identity, from config: never looked up from whoever runs terraform. */
const ciObjectId = (role: "plan" | "apply") =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? `is missing: set it to the ${role} identity's object id (output ${role}-principal-id of the <env>-azure-ci stack; docs/ci-security.md)`
          : undefined,
    })
    .regex(GUID, { message: `must be the object id of the CI ${role} identity, a GUID like 3f2504e0-4f89-41d3-9a0c-0305e82c3301 (output ${role}-principal-id of the <env>-azure-ci stack)` });

/** CI identities of an Azure environment: user-assigned identities created in `<env>-azure-ci`. */
const ciAzureSchema = requiredSection(
  strictObject({
    githubRepository: ciRepository,
    /** Where plan and apply jobs run; their network must reach the AKS API and the Key Vault (checked below). */
    runners: runnersSection,
    identities: strictObject({
      plan: strictObject({ objectId: ciObjectId("plan") }),
      apply: strictObject({ objectId: ciObjectId("apply") }),
    }),
  }),
  `add ci: { githubRepository: "org/repo", identities: { plan: { objectId }, apply: { objectId } }, ${RUNNERS_EXAMPLE} } (docs/ci-security.md)`,
);

/** The AKS API as the runners see it. */
function aksApi(aks: { clusterName: string; apiServer: { private: true } | { authorizedIpRanges: string[] } }): ApiEndpoint {
  const isPrivate = "private" in aks.apiServer;
  return {
    name: `AKS API of ${aks.clusterName}`,
    field: "aks.apiServer",
    exposure: isPrivate ? "private (private endpoint and DNS zone in the VNet only)" : "public behind authorizedIpRanges (the runners' egress joins them)",
    publicAllowList: !isPrivate,
    // A public API server is reached through its public address, so runners inside the VNet pass
    // authorizedIpRanges only with their NAT egress (egressCidrs); a private one only from the VNet.
    reachableInNetwork: isPrivate,
    fix: isPrivate
      ? 'run the runners in the VNet (network: { placement: "in-network", subnetCidr }) or use apiServer: { authorizedIpRanges }'
      : "set the runners' egressCidrs (their static egress or the runner subnet's NAT address)",
  };
}

/** The Key Vault data plane as the runners see it: the firewall admits public ranges only (no private endpoint). */
function keyVaultApi(keyVault: { name: string }): ApiEndpoint {
  return {
    name: `Key Vault ${keyVault.name}`,
    field: "keyVault's firewall",
    exposure: "public ranges only (no private endpoint or VNet rule; the runners' egress joins allowedIpRanges)",
    publicAllowList: true,
    reachableInNetwork: false,
    fix: "set the runners' egressCidrs (their static egress or the runner subnet's NAT address)",
  };
}

/** The Azure production environment: subscription, state, hub network, PSK vault, AKS and VPN (with customers). */
export const azureProdEnvironmentSchema = strictObject({
  name: environmentName,
  cloud: z.literal("azure"),
  subscriptionId: guid,
  tenantId: guid,
  location: z.enum(AZURE_AZ_REGIONS, { message: `must be an Azure region with availability zones: ${AZURE_AZ_REGIONS.join(", ")}` }),
  /** The CI identities of this repository's pipeline (stack `<env>-azure-ci`, docs/ci-security.md). */
  ci: ciAzureSchema,
  tags: tagsSchema,
  state: strictObject({
    resourceGroupName: azureResourceGroupName,
    /** Globally unique storage account name. */
    storageAccountName: z.string().regex(/^[a-z0-9]{3,24}$/, { message: "must be 3-24 lower-case letters or digits" }),
    containerName: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, { message: "must be a valid container name" }).default("tfstate"),
    /** Zone- or geo-zone-redundant: state must survive a zone (and ideally a region) outage. */
    replication: z.enum(["ZRS", "GZRS", "RAGZRS"]).default("GZRS"),
    /** Days deleted or overwritten blobs and deleted containers can be restored. */
    softDeleteDays: z.number().int().min(7).max(365).default(30),
    /** Administrators (who run the bootstrap) that read and write state, besides the CI apply identity (ci.identities.apply). */
    dataContributorObjectIds: z.array(guid).default([]),
  }),
  network: strictObject(
    {
      resourceGroupName: azureResourceGroupName,
      /** The spoke VNet (AKS nodes, database endpoints), connected to the virtual hub. */
      vnetName: z.string().regex(/^[\w.-]{2,64}$/, { message: "must be 2-64 letters, digits, _ . -" }),
      vnetCidr: cidr,
      aksNodeSubnetCidr: cidr,
      /** Subnet of the database private endpoints (`workloads.databases`); the P2S pool reaches only those. */
      databaseSubnetCidr: cidr.optional(),
      /** The Virtual WAN secured hub every customer and VPN client arrives through (docs/network-isolation.md). */
      virtualHub: virtualHubSchema,
    },
    (key) => (key === "gatewaySubnetCidr" ? "; the spoke has no gateway any more: the VPN terminates in the virtual hub (network.virtualHub.addressPrefix)" : ""),
  ),
  /** Audit trail: Key Vault AuditEvent and state blob read/write/delete logs go to this Log Analytics workspace. */
  audit: strictObject({
    /** Workspace name; it lives in the state resource group (created by the bootstrap stack). */
    workspaceName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/, { message: "must be 4-63 letters, digits or dashes" }),
    /** Days audit logs are kept (Log Analytics allows 30-730). */
    retentionDays: z
      .number()
      .int()
      .min(30, { message: "must be 30-730 days (0 keeps no audit trail; Log Analytics keeps at least 30)" })
      .max(730, { message: "must be 30-730 days (Log Analytics interactive retention)" })
      .default(365),
  }),
  keyVault: strictObject({
    /** Globally unique vault holding the customer pre-shared keys. */
    name: z.string().regex(/^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/, { message: "must be 3-24 letters, digits or dashes, starting with a letter" }),
    softDeleteRetentionDays: z.number().int().min(7).max(90).default(90),
    /** Entra ID principals (groups) allowed to write secrets: the people who onboard customers. */
    secretsOfficerObjectIds: z.array(guid).min(1, { message: "needs at least one principal allowed to store pre-shared keys" }),
    /** Public addresses allowed through the vault firewall (operators, CI runners). Everything else is denied. */
    allowedIpRanges: z.array(cidr).default([]),
  }),
  aks: strictObject({
    resourceGroupName: azureResourceGroupName,
    clusterName: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,61}[a-zA-Z0-9]$/, { message: "must be 2-63 letters, digits, _ or -" }),
    /** Minor version ("1.32"); patches follow the automatic upgrade channel. */
    kubernetesVersion: z.string().regex(/^1\.\d{2}$/, { message: "must be a minor version like 1.32" }),
    /** Entra ID groups with cluster-admin. Local accounts are disabled, so an empty list locks everyone out. */
    adminGroupObjectIds: z.array(guid).default([]),
    zones,
    systemPool: azureNodePoolSchema,
    userPools: z.array(azureNodePoolSchema).default([]),
    networkPolicy: z.enum(["cilium", "calico", "azure"]).default("cilium"),
    podCidr: cidr.default("100.64.0.0/16"),
    serviceCidr: cidr.default("100.65.0.0/16"),
    dnsServiceIp: z.string().regex(/^(\d{1,3}\.){3}\d{1,3}$/, { message: "must be an IPv4 address inside serviceCidr" }).default("100.65.0.10"),
    automaticUpgradeChannel: z.enum(["patch", "stable", "rapid", "node-image"]).default("patch"),
    nodeOsUpgradeChannel: z.enum(["NodeImage", "SecurityPatch"]).default("NodeImage"),
    upgradeWindow: azureMaintenanceWindowSchema.default({ dayOfWeek: "Sunday", startTime: "02:00", durationHours: 4, utcOffset: "+00:00" }),
    nodeOsWindow: azureMaintenanceWindowSchema.default({ dayOfWeek: "Saturday", startTime: "02:00", durationHours: 4, utcOffset: "+00:00" }),
    logRetentionDays: z.number().int().min(30).max(730).default(90),
    secretRotationInterval: z.string().regex(/^\d+[smh]$/, { message: "must be a duration like 2m" }).default("2m"),
    /** Either a private API server, or a public one reachable only from these ranges. */
    apiServer: z
      .union([
        strictObject({ private: z.literal(true) }),
        strictObject({ authorizedIpRanges: z.array(cidr).min(1, { message: "needs at least one range; use { private: true } for no public endpoint" }) }),
      ])
      .default({ private: true }),
  }),
  vpn: strictObject(
    {
    /** The hub's site-to-site VPN gateway. */
    gatewayName: gatewayName,
    /**
     * Site-to-site gateway scale units, 500 Mbps each (aggregate over both instances).
     * @default 1 (DEFAULT_VPN_SCALE_UNITS): three customers at a few Mbps each
     */
    scaleUnits: z.number().int().min(1).max(40, { message: "must be 1-40 (Virtual WAN's largest site-to-site gateway is 20 Gbps)" }).default(DEFAULT_VPN_SCALE_UNITS),
    /** Virtual WAN VPN gateways always peer as ASN 65515; leave this out (accepted only as 65515). */
    bgpAsn: z
      .number({ error: () => `must be ${VWAN_GATEWAY_ASN}: Virtual WAN VPN gateways always use ASN ${VWAN_GATEWAY_ASN}; remove vpn.bgpAsn` })
      .refine((asn) => asn === VWAN_GATEWAY_ASN, { message: `must be ${VWAN_GATEWAY_ASN}: Virtual WAN VPN gateways always use ASN ${VWAN_GATEWAY_ASN} (not configurable); remove vpn.bgpAsn` })
      .optional(),
    pointToSite: strictObject({
      /** The hub's point-to-site gateway (its server configuration is `<gatewayName>-config`). */
      gatewayName: gatewayName,
      /**
       * Point-to-site gateway scale units (500 Mbps and 500 clients each).
       * @default 1 (DEFAULT_VPN_SCALE_UNITS): a handful of DB admins
       */
      scaleUnits: z.number().int().min(1).max(200).default(DEFAULT_VPN_SCALE_UNITS),
      /** Client address pools; must not overlap the VNet or any customer network. */
      addressPool: z.array(cidr).min(1, { message: "needs a client address pool" }),
      /** Names of `workloads.databases` DB admins reach over P2S (endpoint and port only); nothing else is reachable. */
      databases: z.array(z.string()).default([]),
      /**
       * Application (client) id of the custom Entra app registration the Azure VPN Client signs in to,
       * with "assignment required" and only `adminGroupObjectId` assigned. Microsoft's multi-tenant
       * audiences are refused unless `allowDefaultAudience` gives a reason (checked by the construct).
       */
      audience: guid,
      /** Entra ID group (object id) of the DB admins: the only principal assigned to the audience. */
      adminGroupObjectId: guid.optional(),
      /** Explicit opt-in to Microsoft's multi-tenant audience (any tenant user can connect), with the reason. */
      allowDefaultAudience: z.object({ reason: z.string() }).optional(),
      /** Optional certificate auth: base64 public root certificate data only (never private keys). */
      rootCertificates: z.array(strictObject({ name: z.string().min(1), publicCertData: z.string().min(1) })).default([]),
    }),
    customers: z.array(azureVpnCustomerSchema).default([]),
    },
    (key) => (key === "sku" ? "; Virtual WAN VPN gateways have no SKU: size them with vpn.scaleUnits" : ""),
  ),
  /** Kubernetes namespaces and services on the cluster (see "Workloads" above). */
  workloads: workloadsSchema.default({ namespaces: [], services: [], databases: [] }),
  /** Datadog monitors, synthetics, dashboard and SLO; production pages and probes every minute. */
  observability: productionObservabilitySchema,
  /** Usage assumptions of the cost estimate (see "Cost estimates" above). */
  cost: strictObject({ usage: azureCostUsageSchema.prefault({}) }).prefault({}),
}).superRefine((env, ctx) => {
  const runners = env.ci.runners;
  checkRunnerSubnets(runners, "network.vnetCidr", env.network.vnetCidr, {
    "network.aksNodeSubnetCidr": env.network.aksNodeSubnetCidr,
    "network.databaseSubnetCidr": env.network.databaseSubnetCidr,
  }, ctx);
  // The workloads stack uses the AKS API; every stack refresh of the vault (azurerm reads its
  // certificate contacts from the data plane) uses the Key Vault.
  checkRunnerReach(runners, [aksApi(env.aks), keyVaultApi(env.keyVault)], ctx);
}, whenValid("ci", "network", "aks", "keyVault"));
export type AzureProdEnvironment = z.infer<typeof azureProdEnvironmentSchema>;
/** What a config file writes: defaults may be omitted. */
export type AzureProdEnvironmentInput = z.input<typeof azureProdEnvironmentSchema>;

export { checkConfig, parseEnvironment } from "./parse";
