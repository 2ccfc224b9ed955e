/**
 * What a service's Datadog tracer reports, so monitors query the span names and service tags
 * the tracer really produces instead of guessing.
 *
 * Trace metrics are named `trace.<span name>.<hits|errors>` and carry the span's `service` tag
 * (https://docs.datadoghq.com/tracing/metrics/metrics_namespace/). Both depend on the tracer
 * library, its naming schema (`DD_TRACE_SPAN_ATTRIBUTE_SCHEMA`) and, for inbound requests, the web
 * framework. A database client span is NOT tagged with the application's service under the
 * default schema: dd-trace-js names it `<service>-postgres`. A monitor filtering
 * `service:<app>` on `trace.pg.query.errors` therefore matches nothing and never fires.
 *
 * Every row below names the tracer source that shows it. To support another tracer, add its
 * rows with the source, never a guess.
 */
import { IConstruct } from "constructs";
import { ConfigError } from "../errors";
import { ApmOperation } from "./metric-catalogue";

/** Tracer libraries whose span and service naming this module knows (with sources). */
export const TRACER_LIBRARIES = ["dd-trace-js"] as const;
/** A tracer library from {@link TRACER_LIBRARIES}. */
export type TracerLibrary = (typeof TRACER_LIBRARIES)[number];
/** Span naming schemas (`DD_TRACE_SPAN_ATTRIBUTE_SCHEMA`); v0 is every tracer's default. */
export const NAMING_SCHEMAS = ["v0", "v1"] as const;
/** A naming schema from {@link NAMING_SCHEMAS}. */
export type NamingSchema = (typeof NAMING_SCHEMAS)[number];
/** Inbound web instrumentation: plain node `http` or a framework that renames the request span. */
export const WEB_FRAMEWORKS = ["http", "express"] as const;
/** A web framework from {@link WEB_FRAMEWORKS}. */
export type WebFramework = (typeof WEB_FRAMEWORKS)[number];
/** Database client integrations whose span and service naming is known. */
export const DATABASE_CLIENTS = ["pg"] as const;
/** A database client from {@link DATABASE_CLIENTS}. */
export type DatabaseClient = (typeof DATABASE_CLIENTS)[number];

/** How a service is traced. */
export interface TracerSettings {
  /** Tracer library, e.g. "dd-trace-js" (Node.js). */
  readonly library: TracerLibrary;
  /** `DD_TRACE_SPAN_ATTRIBUTE_SCHEMA` the service runs with; "v0" unless it is set. */
  readonly namingSchema: NamingSchema;
  /** What instruments inbound requests: "express" renames the request span, "http" is plain node http. */
  readonly webFramework: WebFramework;
}

/** Where a tracer's naming is written down; shown in docs and error messages. */
export const TRACER_SOURCES: Readonly<Record<TracerLibrary, readonly string[]>> = {
  "dd-trace-js": [
    "github.com/DataDog/dd-trace-js packages/dd-trace/src/service-naming/schemas/v0/storage.js (pg: opName pg.<operation>, serviceName <service>-postgres)",
    "github.com/DataDog/dd-trace-js packages/dd-trace/src/service-naming/schemas/v1/storage.js (pg: opName postgresql.<operation>, serviceName <service>)",
    "github.com/DataDog/dd-trace-js packages/datadog-plugin-pg/test/naming.js (v0 pg.query/test-postgres, v1 postgresql.query/test)",
    "github.com/DataDog/dd-trace-js packages/datadog-plugin-http/test/naming.js (server v0 http.request, v1 http.server.request)",
    "github.com/DataDog/dd-trace-js packages/dd-trace/src/plugins/util/web.js setFramework (span renamed <framework>.request, e.g. express.request, in either schema)",
  ],
};

const INBOUND: Record<TracerLibrary, Record<WebFramework, Record<NamingSchema, ApmOperation>>> = {
  "dd-trace-js": {
    http: { v0: "http.request", v1: "http.server.request" },
    express: { v0: "express.request", v1: "express.request" },
  },
};

const DATABASE: Record<TracerLibrary, Record<DatabaseClient, Record<NamingSchema, { operation: ApmOperation; service: (app: string) => string }>>> = {
  "dd-trace-js": {
    pg: {
      v0: { operation: "pg.query", service: (app) => `${app}-postgres` },
      v1: { operation: "postgresql.query", service: (app) => app },
    },
  },
};

/** The span name of a service's inbound requests, e.g. `express.request`. */
export function inboundOperation(tracer: TracerSettings, scope?: IConstruct): ApmOperation {
  return lookup(INBOUND, tracer, "webFramework", tracer.webFramework, scope)[tracer.namingSchema];
}

/** The span and `service` tag value a database client's spans carry. */
export interface DatabaseSpans {
  /** Span name, e.g. `pg.query`; its errors are `trace.<operation>.errors`. */
  readonly operation: ApmOperation;
  /** The `service` tag of those spans, e.g. `payments-api-postgres` under v0. */
  readonly service: string;
}

/**
 * The database spans of `app` for `client`. `serviceOverride` is the plugin's `service` option
 * (e.g. `DD_TRACE_PG_SERVICE` or `tracer.use('pg', { service })`), which replaces the default name.
 */
export function databaseSpans(tracer: TracerSettings, app: string, client: DatabaseClient, serviceOverride?: string, scope?: IConstruct): DatabaseSpans {
  const row = lookup(DATABASE, tracer, "databaseErrors.client", client, scope)[tracer.namingSchema];
  return { operation: row.operation, service: serviceOverride ?? row.service(app) };
}

function lookup<T>(table: Record<string, Record<string, T>>, tracer: TracerSettings, field: string, key: string, scope?: IConstruct): T {
  const byLibrary = table[tracer.library];
  if (!byLibrary) {
    throw new ConfigError(`tracer.library "${tracer.library}" is unknown; use one of ${TRACER_LIBRARIES.join(", ")} or add its naming with sources to constructs/datadog/tracer.ts`, scope);
  }
  if (!(NAMING_SCHEMAS as readonly string[]).includes(tracer.namingSchema)) {
    throw new ConfigError(`tracer.namingSchema "${tracer.namingSchema}" is unknown; use ${NAMING_SCHEMAS.join(" or ")} (the service's DD_TRACE_SPAN_ATTRIBUTE_SCHEMA, v0 when unset)`, scope);
  }
  const row = byLibrary[key];
  if (!row) {
    throw new ConfigError(`${field} "${key}" is unknown for ${tracer.library}; use one of ${Object.keys(byLibrary).join(", ")}`, scope);
  }
  return row;
}
