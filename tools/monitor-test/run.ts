/**
 * `npm run monitor-test`: take the synthesized observability stacks of both environments (from
 * cdktf.out, or an in-process synth), evaluate every `datadog_monitor` against its kind's healthy
 * and failure scenarios and the seed's incident drills, and report one row per monitor and scenario.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import { join } from "path";
import { Environments, loadEnvironments } from "../../environments";
import { AgentEmulator, EnvironmentModel } from "./agent";
import { runDrills } from "./drills";
import { MonitorUnderTest } from "./evaluate";
import { judge, Row } from "./judge";
import { FixtureCache, kindOf, scenariosFor } from "./scenarios";

export { judge, Row } from "./judge";

/** A dashboard request query and the widget it belongs to. */
export interface DashboardQuery {
  readonly widget: string;
  readonly q: string;
}

/** One synthesized observability stack with what its emulated environment reports. */
export interface StackUnderTest {
  /** Stack name, e.g. `prod-azure-observability`. */
  readonly stack: string;
  /** The environment the agent emulator reports for. */
  readonly model: EnvironmentModel;
  /** Every datadog_monitor of the stack. */
  readonly monitors: readonly MonitorUnderTest[];
  /** Every query of every dashboard of the stack. */
  readonly dashboardQueries: readonly DashboardQuery[];
}

/** The monitors of a synthesized stack's JSON. */
export function monitorsOf(stack: string, json: any): MonitorUnderTest[] {
  return Object.values<any>(json.resource?.datadog_monitor ?? {}).map((m) => ({
    stack,
    name: m.name,
    query: m.query,
    tags: m.tags ?? [],
    warning: m.monitor_thresholds?.warning === undefined ? undefined : Number(m.monitor_thresholds.warning),
    evaluationDelaySeconds: m.evaluation_delay ?? 0,
    requireFullWindow: m.require_full_window ?? false,
    noDataMinutes: m.notify_no_data ? m.no_data_timeframe : undefined,
  }));
}

function dashboardQueriesOf(json: any): DashboardQuery[] {
  return Object.values<any>(json.resource?.datadog_dashboard_json ?? {}).flatMap((d) =>
    JSON.parse(d.dashboard).widgets.flatMap((w: any) => (w.definition.requests ?? []).map((r: any) => ({ widget: w.definition.title, q: r.q }))),
  );
}

function resources(json: any, type: string): any[] {
  return Object.values<any>(json?.resource?.[type] ?? {});
}

/** The stacks monitor-test reads: the monitors, and what the emulated environment reports under. */
export const NEEDED_STACK = /-(observability|workloads|cost|vpn)$/;

/** Synthesized stack JSON by stack name: what `cdktf.out` holds, or an in-process synth. */
export type SynthesizedStacks = Readonly<Record<string, any>>;

/**
 * The observability stacks of both environments with their emulated environments. HPA bounds come
 * from the workloads stack, the reaper's name from the cost stack and the tunnels' connection
 * names from the VPN stack: what Kubernetes, CloudWatch and Azure will report under.
 */
export function targetsFrom(stacks: SynthesizedStacks, environments: Environments = loadEnvironments()): StackUnderTest[] {
  const aws = environments.testAws;
  const azure = environments.prodAzure;
  const environment = (env: typeof aws | typeof azure, cloud: string, clusterName: string, extra: Pick<EnvironmentModel, "vpn" | "lambdas">) => {
    const stack = `${env.name}-${cloud}-observability`;
    const json = stacks[stack];
    if (!json) throw new Error(`stack ${stack} is not in the synthesized output; run \`npm run synth\` first`);
    const hpas = new Map(resources(stacks[`${env.name}-${cloud}-workloads`], "kubernetes_horizontal_pod_autoscaler_v2").map((h) => [h.metadata.name, h.spec]));
    const model: EnvironmentModel = {
      env: env.name,
      clusterName,
      workloads: env.workloads.services.map((w) => ({ name: w.name, namespace: w.namespace, minReplicas: hpas.get(w.name)?.min_replicas ?? 1, maxReplicas: hpas.get(w.name)?.max_replicas ?? 1 })),
      services: env.observability.services.map((s) => ({ name: s.name, tracer: s.tracer, database: s.databaseErrors && { client: s.databaseErrors.client, service: s.databaseErrors.service } })),
      ...extra,
    };
    return { stack, model, monitors: monitorsOf(stack, json), dashboardQueries: dashboardQueriesOf(json) };
  };
  return [
    environment(aws, "aws", aws.eks.clusterName, { lambdas: resources(stacks[`${aws.name}-aws-cost`], "aws_lambda_function").map((f) => f.function_name) }),
    environment(azure, "azure", azure.aks.clusterName, {
      lambdas: [],
      vpn: {
        gatewayName: azure.vpn.gatewayName,
        pointToSiteGatewayName: azure.vpn.pointToSite.gatewayName,
        connections: resources(stacks[`${azure.name}-azure-vpn`], "azurerm_resource_group_template_deployment").map((c) => c.name),
      },
    }),
  ];
}

/** The stacks in a cdktf output directory, or undefined when it holds no synth output. */
export function readSynthesized(outdir: string): SynthesizedStacks | undefined {
  const manifestPath = join(outdir, "manifest.json");
  if (!existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
  return Object.fromEntries(
    Object.entries(manifest.stacks)
      .filter(([name]) => NEEDED_STACK.test(name))
      .map(([name, entry]) => [name, JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), "utf8"))]),
  );
}

/** The newest modification time (ms) of the sources synth reads, to tell whether cdktf.out is stale. */
export function newestSource(root: string): number {
  let newest = 0;
  const walk = (path: string): void => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) if (name !== "node_modules" && name !== "dist") walk(join(path, name));
    } else if (/\.(ts|yaml|properties|json)$/.test(path)) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const dir of ["main.ts", "environments", "constructs", "stacks"]) if (existsSync(join(root, dir))) walk(join(root, dir));
  return newest;
}

/** Scenario rows of every monitor of `target`; a monitor no kind covers is a failing row. */
export function scenarioRows(target: StackUnderTest, fixtures = new FixtureCache(new AgentEmulator(target.model))): Row[] {
  return target.monitors.flatMap((monitor) => {
    const kind = kindOf(monitor.query);
    if (!kind) {
      return [
        {
          stack: monitor.stack,
          monitor: monitor.name,
          scenario: "(none)",
          expected: "a healthy and a failure scenario",
          got: "no scenario: no kind in tools/monitor-test/scenarios.ts matches this query; add one with a healthy baseline and the failure the monitor is named after",
          pass: false,
        },
      ];
    }
    return scenariosFor(monitor, kind, fixtures).map((scenario) => judge(monitor, scenario));
  });
}

/** Every row for both environments: per-monitor scenarios, then the drills. */
export function runMonitorTests(targets: readonly StackUnderTest[]): Row[] {
  return targets.flatMap((target) => {
    const fixtures = new FixtureCache(new AgentEmulator(target.model));
    return [...scenarioRows(target, fixtures), ...runDrills(target, fixtures)];
  });
}
