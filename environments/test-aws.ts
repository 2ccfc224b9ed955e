import { AwsTestEnvironmentInput } from "./schema";

/** The AWS test environment. Values only: defaults and validation live in schema.ts. */
export const testAws: AwsTestEnvironmentInput = {
  name: "test",
  cloud: "aws",
  region: "eu-west-1",
  accountId: "111122223333",
  tags: {
    owner: "platform",
    costCenter: "CC-1042",
    repository: "fintech/platform-infra",
  },
  state: {
    bucketName: "fintech-test-aws-tfstate-111122223333",
  },
  network: {
    vpcCidr: "10.40.0.0/16",
    azCount: 3,
    natGateways: "single",
  },
  eks: {
    clusterName: "test-platform",
    version: "1.32",
    adminPrincipals: ["arn:aws:iam::111122223333:role/platform-admin"],
    // Bound to the payments namespace by TeamNamespace's RoleBinding of the same group.
    teamAccess: [{ principalArn: "arn:aws:iam::111122223333:role/payments-developer", kubernetesGroups: ["payments-developers"] }],
    publicEndpoint: {
      enabled: true,
      // Office egress; never 0.0.0.0/0. The CI runners' egress (ci.runners) is added by the stack.
      allowedCidrs: ["203.0.113.0/24"],
    },
    nodeGroups: [
      {
        name: "system",
        capacityType: "ON_DEMAND",
        instanceTypes: ["m6i.large"],
        minSize: 2,
        maxSize: 4,
        desiredSize: 2,
        labels: { "node-role": "system" },
        taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
      },
      {
        name: "workload",
        capacityType: "SPOT",
        instanceTypes: ["m6i.xlarge", "m6a.xlarge", "m5.xlarge", "m7i.xlarge"],
        minSize: 2,
        maxSize: 10,
        desiredSize: 3,
        labels: { "node-role": "workload" },
      },
    ],
    // Test is used in office hours: the workload group sleeps at night and at weekends; the system
    // group stays at its minimum so CoreDNS and the add-ons are up when the workload nodes return.
    offHours: { timeZone: "Europe/Berlin", days: ["MON", "TUE", "WED", "THU", "FRI"], start: "07:00", end: "20:00", keepAwake: ["system"] },
  },
  ci: {
    githubRepository: "fintech/platform-infra",
    // GitHub larger runners with a static egress IP, one runner group per job kind (docs/ci-security.md,
    // "Runners and reachability"): fresh VMs outside the VPC, reaching the EKS API through its allow-list.
    runners: {
      plan: { labels: ["test-aws-plan"], network: { placement: "static-egress", egressCidrs: ["198.51.100.10/32"] } },
      apply: { labels: ["test-aws-apply"], network: { placement: "static-egress", egressCidrs: ["198.51.100.11/32"] } },
    },
  },
  ecr: {
    repositories: [
      { name: "payments-api", keepImages: 30, untaggedExpiryDays: 7 },
      { name: "payments-worker", keepImages: 30, untaggedExpiryDays: 7 },
    ],
    ci: { githubRepository: "fintech/payments", branch: "main" },
  },
  workloads: {
    ingressController: { namespace: "ingress-nginx", labels: { "app.kubernetes.io/name": "ingress-nginx" } },
    namespaces: [{ name: "payments", team: "payments", group: "payments-developers", role: "edit" }],
    databases: [{ name: "payments-db", cidr: "10.40.48.10/32", port: 5432 }],
    services: [
      {
        name: "payments-api",
        namespace: "payments",
        team: "payments",
        // ECR tags are immutable, so a release tag pins the image.
        image: { repository: "payments-api", tag: "1.4.2" },
        port: 8080,
        resources: { cpuRequest: "250m", memoryRequest: "512Mi", memoryLimit: "512Mi" },
        probes: {
          readiness: { type: "http", path: "/ready", periodSeconds: 5 },
          liveness: { type: "http", path: "/healthz" },
          startup: { type: "http", path: "/healthz", periodSeconds: 2, failureThreshold: 30 },
        },
        autoscaling: { maxReplicas: 6, memoryUtilization: 80 },
        configFiles: [
          { name: "payments-api-config", files: ["environments/workload-config/test-aws/payments-api/application.yaml"], mountPath: "/etc/payments-api" },
        ],
        network: {
          allowIngressController: true,
          ingressFromPods: [{ labels: { "app.kubernetes.io/name": "payments-worker" } }],
          // PostgreSQL at its endpoint only (workloads.databases), never the whole VPC.
          egressToDatabases: ["payments-db"],
        },
      },
      {
        name: "payments-worker",
        namespace: "payments",
        team: "payments",
        image: { repository: "payments-worker", tag: "1.4.2" },
        // Health and metrics only: the worker consumes a queue and serves no traffic.
        port: 9090,
        resources: { cpuRequest: "500m", memoryRequest: "768Mi", memoryLimit: "1Gi" },
        probes: { readiness: { type: "http", path: "/ready" }, liveness: { type: "http", path: "/healthz" } },
        autoscaling: { maxReplicas: 8, cpuUtilization: 75 },
        args: ["worker", "--concurrency=8"],
        network: {
          egressToWorkloads: [{ name: "payments-api", port: 8080 }],
          egressToDatabases: ["payments-db"],
        },
      },
    ],
  },
  ebsReaper: {
    // The test account itself (scanned with the reaper's own role) and the two sandbox accounts,
    // each with a ReaperMemberRole named below.
    memberAccountIds: ["111122223333", "444455556666", "777788889999"],
    regions: ["eu-west-1", "eu-central-1"],
    memberRoleName: "ebs-reaper-member",
    graceDays: 7,
    // Prices: the price table's figures for the environment's region (tools/cost/prices.ts).
    defaultRecipient: "platform",
    notificationEmails: { platform: "platform-team@example.com", payments: "payments-team@example.com" },
    scanSchedule: "cron(0 6 ? * MON-FRI *)",
    reapSchedule: "cron(0 8 ? * MON-FRI *)",
    logRetentionDays: 90,
  },
  observability: {
    site: "datadoghq.eu",
    notifications: {
      // Test never pages: alerts, no-data and recoveries go to the team's chat channel.
      alert: ["@slack-platform-test-alerts"],
      renotifyMinutes: 120,
    },
    services: [
      {
        name: "payments-api",
        // dd-trace-js with its defaults: span names and the database's service tag follow from this.
        tracer: { library: "dd-trace-js", namingSchema: "v0", webFramework: "http" },
        latencyP95Seconds: { warning: 0.5, critical: 1 },
        errorRatePercent: { warning: 2, critical: 5 },
        databaseErrors: { client: "pg", algorithm: "agile", bounds: 3, alertWindow: "last_15m", intervalSeconds: 60 },
      },
    ],
    synthetics: {
      locations: ["aws:eu-west-1", "aws:eu-central-1"],
      // Every 5 minutes is enough for test; prod probes every minute.
      tickEverySeconds: 300,
      tests: [
        {
          name: "payments-api-health",
          service: "payments-api",
          url: "https://api.test.fintech.example.com/healthz",
          assertions: [
            { type: "statusCode", is: 200 },
            { type: "responseTime", lessThanMs: 1500 },
          ],
        },
      ],
    },
    slo: { service: "payments-api", targetPercent: 99.5, warningPercent: 99.7, timeframe: "30d" },
    loadEventDashboard: { title: "Load event: payments" },
  },
  cost: {
    // Rough figures for an office-hours test environment; compare with Cost Explorer each quarter.
    usage: {
      natGatewayGbPerMonth: 150,
      logIngestGbPerMonth: 2,
      logIngestGbPerMonthByGroup: { "/aws/eks/test-platform/cluster": 15, "/vpc/test/flow-logs": 20 },
      ecrStorageGbPerRepository: 5,
      s3StorageGbPerBucket: 1,
      lambdaInvocationsPerMonth: 44,
      lambdaAverageSeconds: 60,
    },
  },
};
