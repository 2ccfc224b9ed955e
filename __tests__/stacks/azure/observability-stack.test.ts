import { Testing } from "cdktf";
import { buildAzureEnvironment } from "../../../stacks/azure";
import { AzureObservabilityStack } from "../../../stacks/azure/observability-stack";
import { environments, synthJson } from "../../helpers/synth";

describe("prod-azure-observability", () => {
  const env = environments().prodAzure;
  const customerConnections = Object.fromEntries(env.vpn.customers.map((c) => [c.name, `cn-${c.name}`]));
  const stack = new AzureObservabilityStack(Testing.app(), env, { customerConnections });
  const synthesized = Testing.synth(stack);
  const json = synthJson(stack);
  const monitors: Record<string, any> = Object.fromEntries(Object.values(json.resource.datadog_monitor).map((m: any) => [m.name, m]));

  it("keeps its state at prod/azure/observability.tfstate with Entra ID auth and only the datadog provider, without keys", () => {
    expect(stack.node.id).toBe("prod-azure-observability");
    expect(json.terraform.backend.azurerm).toMatchObject({
      storage_account_name: env.state.storageAccountName,
      container_name: "tfstate",
      key: "prod/azure/observability.tfstate",
      use_azuread_auth: true,
    });
    expect(json.provider).toEqual({ datadog: [{ api_url: "https://api.datadoghq.eu/" }] });
    expect(synthesized).not.toMatch(/api_key|app_key|(^|[^0-9a-f])([0-9a-f]{32}|[0-9a-f]{40})(?![0-9a-f])/i);
  });

  it("has one tunnel-down monitor per customer of the Azure config, named and tagged for that customer", () => {
    expect(env.vpn.customers.length).toBeGreaterThan(0);
    for (const customer of env.vpn.customers) {
      expect(monitors[`[prod] vpn-s2s-${customer.name}: site-to-site tunnel to ${customer.name} down`]).toMatchObject({
        query: `max(last_15m):sum:azure.network_vpngateways.tunnel_average_bandwidth{name:${env.vpn.gatewayName},connectionname:cn-${customer.name}} <= 0`,
        monitor_thresholds: { critical: "0" },
        notify_no_data: true,
        no_data_timeframe: 30,
        evaluation_delay: 900,
        tags: ["env:prod", `service:vpn-s2s-${customer.name}`, "team:platform", "managed-by:cdktf"],
      });
    }
  });

  it("watches the hub's site-to-site gateway and the point-to-site gateway that carries the DB admins' access", () => {
    expect(monitors["[prod] vpn-gateway: site-to-site VPN gateway unhealthy"]).toMatchObject({
      query: `max(last_15m):sum:azure.network_vpngateways.count{name:${env.vpn.gatewayName},status:running} < 1`,
      notify_no_data: true,
    });
    expect(monitors["[prod] vpn-p2s-gateway: point-to-site VPN gateway unhealthy"]).toMatchObject({
      query: `max(last_15m):sum:azure.network_p2svpngateways.count{name:${env.vpn.pointToSite.gatewayName},status:running} < 1`,
      notify_no_data: true,
    });
  });

  it("pages on alerts, sends warnings to chat, and renotifies every 30 minutes", () => {
    const all = Object.values(monitors);
    expect(all.length).toBe(3 + 8 + 1 + 3 + 2);
    for (const monitor of all) {
      expect(monitor.message).toContain("{{#is_alert}}@pagerduty-platform-prod{{/is_alert}}");
      expect(monitor.message).toContain("{{#is_warning}}@slack-platform-prod-alerts{{/is_warning}}");
      expect(monitor.renotify_interval).toBe(30);
      expect(monitor.tags).toEqual(expect.arrayContaining(["env:prod"]));
    }
  });

  it("monitors the AKS cluster and the API with the robust anomaly algorithm", () => {
    expect(monitors["[prod] kubernetes: nodes not ready"].query).toContain("kube_cluster_name:aks-prod");
    expect(monitors["[prod] payments-api: database errors anomalous"].query).toContain("'robust', 3,");
    expect(monitors["[prod] payments-api: p95 latency high"].monitor_thresholds).toEqual({ critical: "0.5", warning: "0.3" });
  });

  it("probes the public API every minute from three locations and sets a 99.9% SLO", () => {
    const [test] = Object.values(json.resource.datadog_synthetics_test) as any[];
    expect(test.locations).toEqual(["azure:westeurope", "aws:eu-central-1", "aws:eu-west-2"]);
    expect(test.options_list.tick_every).toBe(60);
    expect(test.assertion).toEqual([
      { type: "statusCode", operator: "is", target: "200" },
      { type: "responseTime", operator: "lessThan", target: "800" },
    ]);
    const [slo] = Object.values(json.resource.datadog_service_level_objective) as any[];
    expect(slo).toMatchObject({ type: "monitor", target_threshold: 99.9, warning_threshold: 99.95 });
    expect(slo.monitor_ids).toHaveLength(2);
  });

  it("draws the load-event dashboard for the AKS cluster", () => {
    const [dashboard] = Object.values(json.resource.datadog_dashboard_json) as any[];
    const parsed = JSON.parse(dashboard.dashboard);
    expect(parsed.title).toBe("[prod] Load event: payments");
    expect(parsed.widgets.map((w: any) => w.definition.title)).toContain("HPA replicas vs max");
    expect(dashboard.dashboard).toContain("kube_cluster_name:aks-prod");
  });

  it("is registered with the environment and takes the tunnel names from the VPN stack", () => {
    const stacks = buildAzureEnvironment(Testing.app(), environments().prodAzure);
    const queries = Object.values(synthJson(stacks.observability).resource.datadog_monitor).map((m: any) => m.query);
    for (const connection of Object.values(stacks.vpn.customerConnectionNames)) {
      expect(queries).toContainEqual(expect.stringContaining(`connectionname:${connection}}`));
    }
  });
});
