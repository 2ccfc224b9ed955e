import { AzureProdEnvironmentInput } from "./schema";

/**
 * The Azure production environment. Values only: defaults and validation live in schema.ts.
 * GUIDs are placeholders for the real subscription, tenant and Entra ID groups.
 */
export const prodAzure: AzureProdEnvironmentInput = {
  name: "prod",
  cloud: "azure",
  subscriptionId: "00000000-0000-4000-8000-000000000001",
  tenantId: "00000000-0000-4000-8000-0000000000aa",
  location: "westeurope",
  ci: {
    githubRepository: "fintech/platform-infra",
    // Principal ids of the identities prod-azure-ci creates (its outputs plan-principal-id, apply-principal-id).
    identities: { plan: { objectId: "00000000-0000-4000-8000-0000000000d1" }, apply: { objectId: "00000000-0000-4000-8000-0000000000d2" } },
    // GitHub larger runners with a static egress IP, one runner group per job kind, never inside the
    // production VNet (docs/ci-security.md, "Runners and reachability"). Their egress joins the AKS
    // authorized ranges and the Key Vault firewall.
    runners: {
      plan: { labels: ["prod-azure-plan"], network: { placement: "static-egress", egressCidrs: ["198.51.100.20/32"] } },
      apply: { labels: ["prod-azure-apply"], network: { placement: "static-egress", egressCidrs: ["198.51.100.21/32"] } },
    },
  },
  tags: {
    owner: "platform",
    costCenter: "CC-2001",
    repository: "fintech/platform-infra",
  },
  state: {
    resourceGroupName: "rg-prod-tfstate",
    storageAccountName: "stprodtfstate7f3a",
  },
  // Address plan: 10.20.0.0/16 spoke VNet; 10.21.0.0/23 virtual hub; 10.250.0.0/24 VPN clients;
  // customers in their own RFC 1918 ranges; AKS pods/services on 100.64.0.0/10 (overlay, never routed outside the cluster).
  network: {
    resourceGroupName: "rg-prod-hub",
    vnetName: "vnet-prod-hub",
    vnetCidr: "10.20.0.0/16",
    aksNodeSubnetCidr: "10.20.16.0/20",
    // Private endpoints of the databases (workloads.databases); the P2S pool reaches only these.
    databaseSubnetCidr: "10.20.8.0/24",
    // Customers and DB admins arrive here; routing intent sends every private flow through the firewall.
    virtualHub: {
      virtualWanName: "vwan-prod",
      name: "vhub-prod-westeurope",
      addressPrefix: "10.21.0.0/23",
      firewall: { name: "afw-prod-hub" },
    },
  },
  // Key Vault reads and state blob access are logged here, for a year.
  audit: { workspaceName: "log-prod-audit", retentionDays: 365 },
  keyVault: {
    name: "kv-prod-vpn-7f3a",
    // Entra ID group "network-operators": the only people who store customer pre-shared keys.
    secretsOfficerObjectIds: ["00000000-0000-4000-8000-0000000000b1"],
    // Office egress. The CI runners' egress (ci.runners) is added by the stack.
    allowedIpRanges: ["203.0.113.0/24"],
  },
  aks: {
    resourceGroupName: "rg-prod-aks",
    clusterName: "aks-prod",
    kubernetesVersion: "1.32",
    // Entra ID group "aks-prod-admins".
    adminGroupObjectIds: ["00000000-0000-4000-8000-0000000000c1"],
    systemPool: { name: "system", vmSize: "Standard_D4ds_v5", minCount: 3, maxCount: 5 },
    userPools: [
      { name: "apps", vmSize: "Standard_D8ds_v5", minCount: 3, maxCount: 12, labels: { "node-role": "apps" } },
    ],
    // Office egress. The CI runners' egress (ci.runners) is added by the stack.
    apiServer: { authorizedIpRanges: ["203.0.113.0/24"] },
  },
  vpn: {
    gatewayName: "vpngw-prod-hub",
    pointToSite: {
      gatewayName: "p2sgw-prod-hub",
      addressPool: ["10.250.0.0/24"],
      // App registration "vpn-prod-db-admins" (assignment required); only the group below is assigned.
      audience: "00000000-0000-4000-8000-0000000000e1",
      // Entra ID group "db-admins".
      adminGroupObjectId: "00000000-0000-4000-8000-0000000000e2",
      // DB admins reach the payments database's endpoint and port, nothing else.
      databases: ["payments-db"],
    },
    customers: [
      {
        name: "acme-bank",
        gatewayAddress: "192.0.2.10",
        addressSpaces: ["172.16.10.0/24"],
        // Static routing (it ran BGP as AS 64601 until customers could hijack prefixes): its device
        // routes 10.20.16.10/32 into the tunnel; the hub routes 172.16.10.0/24 to it.
        // The payments API's internal load balancer, HTTPS only.
        access: [{ cidr: "10.20.16.10/32", ports: [443] }],
      },
      {
        name: "globex-pay",
        gatewayAddress: "vpn.globex.example.com",
        addressSpaces: ["172.17.0.0/24", "172.17.8.0/24"],
        access: [{ cidr: "10.20.16.10/32", ports: [443] }],
        ipsecPolicy: {
          ikeEncryption: "AES256",
          ikeIntegrity: "SHA256",
          dhGroup: "DHGroup24",
          ipsecEncryption: "AES256",
          ipsecIntegrity: "SHA256",
          pfsGroup: "PFS24",
        },
      },
      {
        name: "initech",
        gatewayAddress: "198.51.100.77",
        addressSpaces: ["192.168.40.0/22"],
        access: [{ cidr: "10.20.16.10/32", ports: [443] }],
      },
    ],
  },
  workloads: {
    // Production pulls from the company ACR; the AKS kubelet identity holds AcrPull on it.
    registry: "fintechprod.azurecr.io",
    ingressController: { namespace: "ingress-nginx", labels: { "app.kubernetes.io/name": "ingress-nginx" } },
    // The group is the payments team's Entra ID group (object id); read-only in production.
    namespaces: [{ name: "payments", team: "payments", group: "00000000-0000-4000-8000-0000000000d1", role: "view", quota: { requestsCpu: "16", requestsMemory: "32Gi", limitsMemory: "64Gi" } }],
    databases: [{ name: "payments-db", cidr: "10.20.8.4/32", port: 5432 }],
    services: [
      {
        name: "payments-api",
        namespace: "payments",
        team: "payments",
        // Production pins by digest: what was tested is exactly what runs.
        image: { repository: "payments/payments-api", tag: "1.4.2", digest: "sha256:3b9f5c2d8e1a4f7b6c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b" },
        port: 8080,
        resources: { cpuRequest: "500m", memoryRequest: "1Gi", memoryLimit: "1Gi" },
        probes: {
          readiness: { type: "http", path: "/ready", periodSeconds: 5 },
          liveness: { type: "http", path: "/healthz" },
          startup: { type: "http", path: "/healthz", periodSeconds: 2, failureThreshold: 30 },
        },
        autoscaling: { minReplicas: 3, maxReplicas: 12, memoryUtilization: 80 },
        configFiles: [
          { name: "payments-api-config", files: ["environments/workload-config/prod-azure/payments-api/application.yaml"], mountPath: "/etc/payments-api" },
        ],
        network: {
          allowIngressController: true,
          ingressFromPods: [{ labels: { "app.kubernetes.io/name": "payments-worker" } }],
          // PostgreSQL flexible server at its private endpoint in the hub VNet (workloads.databases), not the whole VNet.
          egressToDatabases: ["payments-db"],
        },
      },
      {
        name: "payments-worker",
        namespace: "payments",
        team: "payments",
        image: { repository: "payments/payments-worker", tag: "1.4.2", digest: "sha256:9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8c" },
        port: 9090,
        resources: { cpuRequest: "1", memoryRequest: "1536Mi", memoryLimit: "2Gi" },
        probes: { readiness: { type: "http", path: "/ready" }, liveness: { type: "http", path: "/healthz" } },
        autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 75 },
        args: ["worker", "--concurrency=16"],
        network: {
          egressToWorkloads: [{ name: "payments-api", port: 8080 }],
          egressToDatabases: ["payments-db"],
        },
      },
    ],
  },
  observability: {
    site: "datadoghq.eu",
    notifications: {
      // Production pages the on-call rotation; warnings only go to the channel.
      alert: ["@pagerduty-platform-prod"],
      warning: ["@slack-platform-prod-alerts"],
      renotifyMinutes: 30,
    },
    services: [
      {
        name: "payments-api",
        // dd-trace-js with its defaults: span names and the database's service tag follow from this.
        tracer: { library: "dd-trace-js", namingSchema: "v0", webFramework: "http" },
        latencyP95Seconds: { warning: 0.3, critical: 0.5 },
        errorRatePercent: { warning: 1, critical: 2 },
        // Azure Database for PostgreSQL through node-postgres.
        databaseErrors: { client: "pg", algorithm: "robust", bounds: 3, alertWindow: "last_15m", intervalSeconds: 60 },
      },
    ],
    synthetics: {
      // Where the customers are, plus one location outside Azure.
      locations: ["azure:westeurope", "aws:eu-central-1", "aws:eu-west-2"],
      tickEverySeconds: 60,
      tests: [
        {
          name: "payments-api-health",
          service: "payments-api",
          url: "https://api.fintech.example.com/healthz",
          assertions: [
            { type: "statusCode", is: 200 },
            { type: "responseTime", lessThanMs: 800 },
          ],
        },
      ],
    },
    slo: { service: "payments-api", targetPercent: 99.9, warningPercent: 99.95, timeframe: "30d" },
    loadEventDashboard: { title: "Load event: payments" },
  },
  cost: {
    usage: {
      // Container Insights of ~15 nodes plus the cluster's diagnostic logs.
      logAnalyticsGbPerMonth: 60,
      // Key Vault AuditEvent and state blob access logs: a few thousand records a day.
      logAnalyticsGbPerMonthByWorkspace: { "log-prod-audit": 1 },
      // The CSI secrets provider polls every 2 minutes per mounted secret, plus the VPN's key reads.
      keyVaultOperationsPerMonth: 200000,
      storageGbPerAccount: 1,
    },
  },
};
