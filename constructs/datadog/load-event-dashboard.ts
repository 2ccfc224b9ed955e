import { DashboardJson } from "@cdktf/provider-datadog/lib/dashboard-json";
import { Construct } from "constructs";
import { ConfigError } from "../errors";
import { ApmOperation } from "./metric-catalogue";
import { anomalyBand, AnomalyOptions, metric, parseMetricExpression } from "./query";

/** A service on the dashboard. */
export interface DashboardService {
  /** Service name as tagged on its traces; each service gets its own lines, filtered by env and service. */
  readonly name: string;
  /** Span operation of inbound requests, e.g. "http.request": drives the request, latency and error widgets. */
  readonly apmOperation: ApmOperation;
  /** Database client spans and anomaly settings, to draw DB errors with their anomaly band. */
  readonly databaseErrors?: {
    /** Span operation of the database client, e.g. "pg.query" (metric trace.pg.query.errors). */
    readonly operation: ApmOperation;
    /** The `service` tag of the database client's spans, e.g. "payments-api-postgres". */
    readonly service: string;
  } & Pick<AnomalyOptions, "algorithm" | "bounds">;
}

/** Props of {@link LoadEventDashboard}. */
export interface LoadEventDashboardProps {
  /** Dashboard title as shown in Datadog's dashboard list, e.g. "prod load event". */
  readonly title: string;
  /** Environment tag value every query filters on, e.g. "prod". */
  readonly env: string;
  /** Team tag; Datadog allows only team: tags on dashboards. */
  readonly team: string;
  /** Cluster name as the Datadog agent tags it (kube_cluster_name); scopes the node, HPA and restart widgets. */
  readonly clusterName: string;
  /** Services to draw, at least one. */
  readonly services: readonly DashboardService[];
  /** SLO to show at the top. @default none */
  readonly sloId?: string;
}

/** One query line of a timeseries widget. */
interface TimeseriesRequest {
  readonly q: string;
  readonly display_type: "line" | "bars" | "area";
  readonly style?: { readonly palette?: string; readonly line_type?: "solid" | "dashed" };
}

/** The widget definitions this dashboard uses (a subset of Datadog's dashboard JSON schema). */
type WidgetDefinition =
  | { readonly type: "timeseries"; readonly title: string; readonly show_legend: boolean; readonly requests: readonly TimeseriesRequest[] }
  | { readonly type: "query_value"; readonly title: string; readonly precision: number; readonly requests: readonly { readonly q: string; readonly aggregator: "last" | "max" }[] }
  | { readonly type: "slo"; readonly title: string; readonly view_type: "detail"; readonly view_mode: "overall"; readonly slo_id: string; readonly time_windows: readonly string[] };

/**
 * The dashboard the team watches during a load event (a sales campaign): request rate, latency
 * percentiles, errors, database errors inside their anomaly band, HPA replicas against their
 * maximum, node count and pod restarts, with the public-API SLO on top.
 *
 * Written as dashboard JSON (`datadog_dashboard_json`) rather than the typed `datadog_dashboard`
 * resource: the latter's bindings are 61 MB and add over a second to every synth, while the
 * widget types here are checked by TypeScript and every query by the query parser.
 */
export class LoadEventDashboard extends Construct {
  /** The dashboard resource. */
  public readonly dashboard: DashboardJson;

  constructor(scope: Construct, id: string, props: LoadEventDashboardProps) {
    super(scope, id);
    if (props.services.length === 0) {
      throw new ConfigError("the load-event dashboard needs at least one service", this);
    }
    const cluster = { kube_cluster_name: props.clusterName };
    const perService = (build: (s: DashboardService, filter: Record<string, string>) => TimeseriesRequest[]) =>
      props.services.flatMap((s) => build(s, { env: props.env, service: s.name }));
    const databaseServices = props.services.filter((s) => s.databaseErrors);

    const widgets: WidgetDefinition[] = [
      ...(props.sloId
        ? [{ type: "slo", title: "Public API SLO", view_type: "detail", view_mode: "overall", slo_id: props.sloId, time_windows: ["7d", "30d"] } as const]
        : []),
      {
        type: "timeseries",
        title: "Request rate (req/s)",
        show_legend: true,
        requests: perService((s, filter) => [{ q: metric({ aggregator: "sum", metric: `trace.${s.apmOperation}.hits`, filter, modifier: "as_rate" }), display_type: "line" }]),
      },
      {
        type: "timeseries",
        title: "Latency p50 / p95 / p99 (s)",
        show_legend: true,
        requests: perService((s, filter) =>
          (["p50", "p95", "p99"] as const).map((p) => ({ q: metric({ aggregator: p, metric: `trace.${s.apmOperation}`, filter }), display_type: "line" as const })),
        ),
      },
      {
        type: "timeseries",
        title: "Errors",
        show_legend: true,
        requests: perService((s, filter) => [
          { q: metric({ aggregator: "sum", metric: `trace.${s.apmOperation}.errors`, filter, modifier: "as_count" }), display_type: "bars", style: { palette: "warm" } },
        ]),
      },
      ...(databaseServices.length > 0
        ? [
            {
              type: "timeseries",
              title: "Database errors with anomaly band",
              show_legend: true,
              requests: databaseServices.map((s) => ({
                q: anomalyBand(
                  metric({ aggregator: "sum", metric: `trace.${s.databaseErrors!.operation}.errors`, filter: { env: props.env, service: s.databaseErrors!.service }, modifier: "as_count" }),
                  s.databaseErrors!.algorithm,
                  s.databaseErrors!.bounds,
                ),
                display_type: "line" as const,
              })),
            } as const,
          ]
        : []),
      {
        type: "timeseries",
        title: "HPA replicas vs max",
        show_legend: true,
        requests: [
          { q: metric({ aggregator: "max", metric: "kubernetes_state.hpa.current_replicas", filter: cluster, by: ["horizontalpodautoscaler"] }), display_type: "line" },
          { q: metric({ aggregator: "max", metric: "kubernetes_state.hpa.max_replicas", filter: cluster, by: ["horizontalpodautoscaler"] }), display_type: "line", style: { line_type: "dashed", palette: "gray" } },
        ],
      },
      { type: "query_value", title: "Nodes", precision: 0, requests: [{ q: metric({ aggregator: "sum", metric: "kubernetes_state.node.count", filter: cluster }), aggregator: "last" }] },
      {
        type: "timeseries",
        title: "Pod restarts",
        show_legend: true,
        requests: [{ q: metric({ aggregator: "sum", metric: "kubernetes.containers.restarts", filter: cluster, by: ["kube_deployment"] }), display_type: "bars" }],
      },
    ];
    for (const widget of widgets) {
      if (widget.type !== "slo") for (const request of widget.requests) parseMetricExpression(request.q, this);
    }
    this.dashboard = new DashboardJson(this, "dashboard", {
      dashboard: JSON.stringify({
        title: `[${props.env}] ${props.title}`,
        description: "Managed by cdktf (constructs/datadog/load-event-dashboard.ts); edits in the UI are overwritten.",
        layout_type: "ordered",
        reflow_type: "auto",
        tags: [`team:${props.team}`],
        widgets: widgets.map((definition) => ({ definition })),
      }),
    });
  }
}
