/**
 * What every customer and every service gets, stated as invariants over the whole synthesized app
 * instead of today's list of names, and checked on the shipped config plus one customer and one
 * service added exactly as the runbooks say: following a runbook must never break `npm test`.
 */
import { App } from "cdktf";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { loadEnvironments } from "../environments";
import { prodAzure } from "../environments/prod-azure";
import { testAws } from "../environments/test-aws";
import { buildApp } from "../main";
import { configDir } from "./helpers/config-dir";
import { synthApp } from "./helpers/synth";

type Stacks = Record<string, any>;
type Env = { name: string; workloads: { services: { name: string; namespace: string }[] }; observability: { services: { name: string }[] } };

const values = (stack: any, type: string): any[] => Object.values(stack?.resource?.[type] ?? {});

/** Every service: deployed with autoscaling, a disruption budget and its own network policy, and watched. */
function serviceProblems(stacks: Stacks, prefix: string, env: Env): string[] {
  const problems: string[] = [];
  const workloads = stacks[`${prefix}-workloads`];
  const monitors = new Set(values(stacks[`${prefix}-observability`], "datadog_monitor").map((m) => m.name));
  for (const service of env.workloads.services) {
    const named = (type: string) => values(workloads, type).some((r) => r.metadata?.name === service.name);
    for (const type of ["kubernetes_deployment_v1", "kubernetes_horizontal_pod_autoscaler_v2", "kubernetes_pod_disruption_budget_v1", "kubernetes_network_policy_v1", "kubernetes_service_v1"]) {
      if (!named(type)) problems.push(`${prefix}: service ${service.name} has no ${type}`);
    }
    for (const monitor of ["HPA at max replicas", "container OOMKilled", "deployment replicas unavailable", "containers restarting in a loop"]) {
      if (!monitors.has(`[${env.name}] ${service.name}: ${monitor}`)) problems.push(`${prefix}: service ${service.name} has no "${monitor}" monitor`);
    }
  }
  for (const service of env.observability.services) {
    for (const monitor of ["p95 latency high", "error rate high"]) {
      if (!monitors.has(`[${env.name}] ${service.name}: ${monitor}`)) problems.push(`${prefix}: observed service ${service.name} has no "${monitor}" monitor`);
    }
  }
  return problems;
}

/** Every customer: a VPN site, a connection whose key is a Key Vault reference, a firewall allow, a tunnel monitor. */
function customerProblems(stacks: Stacks, customers: { name: string; sharedKeySecretName?: string }[]): string[] {
  const problems: string[] = [];
  const vpn = stacks["prod-azure-vpn"];
  const monitors = new Set(values(stacks["prod-azure-observability"], "datadog_monitor").map((m) => m.name));
  const connections = values(vpn, "azurerm_resource_group_template_deployment");
  const firewallRules = values(stacks["prod-azure-network"], "azurerm_firewall_policy_rule_collection_group").flatMap((g) => g.network_rule_collection.flatMap((c: any) => c.rule));
  const secrets = vpn?.output?.["shared-key-source"]?.value?.secrets ?? {};
  for (const { name, sharedKeySecretName } of customers) {
    const connection = connections.find((c) => c.name === `cn-${name}`);
    if (!connection) problems.push(`customer ${name} has no connection cn-${name}`);
    else if (JSON.parse(connection.parameters_content).sharedKey?.reference?.secretName !== (sharedKeySecretName ?? `s2s-psk-${name}`)) problems.push(`customer ${name}: the connection's key is not a Key Vault reference to its secret`);
    if (!values(vpn, "azurerm_vpn_site").some((g) => g.name === `vst-${name}`)) problems.push(`customer ${name} has no VPN site vst-${name}`);
    if (!firewallRules.some((r: any) => r.name.startsWith(`${name}-`))) problems.push(`customer ${name} has no hub firewall allow`);
    if (vpn?.output?.["customer-connections"]?.value?.[name] !== `cn-${name}`) problems.push(`customer ${name} is missing from the customer-connections output`);
    if (secrets[`cn-${name}`] !== (sharedKeySecretName ?? `s2s-psk-${name}`)) problems.push(`customer ${name}: no Key Vault secret reference for its pre-shared key (got ${secrets[`cn-${name}`]})`);
    if (![...monitors].some((m) => m.startsWith(`[prod] vpn-s2s-${name}: `))) problems.push(`customer ${name} has no tunnel monitor`);
  }
  return problems;
}

describe("the app's invariants", () => {
  let outdir: string;
  let stacks: Stacks;
  let environments: ReturnType<typeof loadEnvironments>;

  beforeAll(() => {
    // The runbooks, followed on a copy of the shipped config.
    const aws = structuredClone(testAws) as any;
    const azure = structuredClone(prodAzure) as any;
    // docs/runbooks/site-to-site-customer.md step 3: a config entry with its grant.
    azure.vpn.customers.push({ name: "umbrella-corp", gatewayAddress: "203.0.113.50", addressSpaces: ["172.18.4.0/24"], access: [{ cidr: "10.20.16.10/32", ports: [443] }] });
    // README "Deploying a service with Workload": a service in the team's namespace (and, on AWS, its ECR repository).
    const ledger = (base: any, repository: string) => ({ ...structuredClone(base), name: "payments-ledger", image: { ...base.image, repository }, configFiles: undefined });
    aws.ecr.repositories.push({ ...aws.ecr.repositories[0], name: "payments-ledger" });
    aws.workloads.services.push(ledger(aws.workloads.services[1], "payments-ledger"));
    azure.workloads.services.push(ledger(azure.workloads.services[1], "payments/payments-ledger"));
    const work = mkdtempSync(join(tmpdir(), "runbook-config-"));
    try {
      environments = loadEnvironments(configDir(work, { testAws: (e) => Object.assign(e, aws), prodAzure: (e) => Object.assign(e, azure) }));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    outdir = mkdtempSync(join(tmpdir(), "invariants-"));
    stacks = synthApp(buildApp(new App({ outdir }), environments));
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("the copy holds the shipped entries and the added ones", () => {
    expect(environments.prodAzure.vpn.customers.map((c) => c.name)).toEqual([...prodAzure.vpn.customers!.map((c) => c.name), "umbrella-corp"]);
    expect(environments.testAws.workloads.services.map((s) => s.name)).toContain("payments-ledger");
    expect(environments.prodAzure.workloads.services.map((s) => s.name)).toContain("payments-ledger");
  });

  it("every service of every environment is deployed, autoscaled, budgeted, isolated and monitored", () => {
    expect([...serviceProblems(stacks, "test-aws", environments.testAws), ...serviceProblems(stacks, "prod-azure", environments.prodAzure)]).toEqual([]);
  });

  it("every customer has a VPN site, a connection whose key is a Key Vault reference, a hub firewall allow and a tunnel monitor", () => {
    expect(customerProblems(stacks, environments.prodAzure.vpn.customers)).toEqual([]);
  });

  it("the invariants can fail: a customer or service the stacks lack is reported", () => {
    expect(customerProblems(stacks, [{ name: "not-configured" }])).toEqual([
      "customer not-configured has no connection cn-not-configured",
      "customer not-configured has no VPN site vst-not-configured",
      "customer not-configured has no hub firewall allow",
      "customer not-configured is missing from the customer-connections output",
      "customer not-configured: no Key Vault secret reference for its pre-shared key (got undefined)",
      "customer not-configured has no tunnel monitor",
    ]);
    const ghost = { name: "test", workloads: { services: [{ name: "ghost", namespace: "payments" }] }, observability: { services: [] } };
    expect(serviceProblems(stacks, "test-aws", ghost)).toHaveLength(9);
  });
});
