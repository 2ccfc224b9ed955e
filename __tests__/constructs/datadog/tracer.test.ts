import { databaseSpans, inboundOperation, NAMING_SCHEMAS, TracerSettings } from "../../../constructs/datadog/tracer";
import { lookupMetric } from "../../../constructs/datadog/metric-catalogue";

const node = (namingSchema: TracerSettings["namingSchema"], webFramework: TracerSettings["webFramework"] = "http"): TracerSettings => ({
  library: "dd-trace-js",
  namingSchema,
  webFramework,
});

describe("tracer naming (dd-trace-js)", () => {
  it("tags postgres spans with <service>-postgres under schema v0 and the service itself under v1", () => {
    expect(databaseSpans(node("v0"), "payments-api", "pg")).toEqual({ operation: "pg.query", service: "payments-api-postgres" });
    expect(databaseSpans(node("v1"), "payments-api", "pg")).toEqual({ operation: "postgresql.query", service: "payments-api" });
  });

  it("uses the plugin's service option when the service sets one", () => {
    expect(databaseSpans(node("v0"), "payments-api", "pg", "payments-db").service).toBe("payments-db");
  });

  it("names inbound spans after the framework, which renames them in either schema", () => {
    expect(inboundOperation(node("v0"))).toBe("http.request");
    expect(inboundOperation(node("v1"))).toBe("http.server.request");
    expect(inboundOperation(node("v0", "express"))).toBe("express.request");
    expect(inboundOperation(node("v1", "express"))).toBe("express.request");
  });

  it("only derives span names whose trace metrics are catalogued", () => {
    for (const schema of NAMING_SCHEMAS) {
      for (const framework of ["http", "express"] as const) expect(lookupMetric(`trace.${inboundOperation(node(schema, framework))}.hits`)).toBeDefined();
      expect(lookupMetric(`trace.${databaseSpans(node(schema), "a", "pg").operation}.errors`)).toBeDefined();
    }
  });

  it("rejects an unknown library or naming schema, naming the field and the fix", () => {
    expect(() => inboundOperation({ ...node("v0"), library: "dd-trace-go" as never })).toThrow(
      /tracer.library "dd-trace-go" is unknown; use one of dd-trace-js or add its naming with sources to constructs\/datadog\/tracer.ts/,
    );
    expect(() => databaseSpans(node("v9" as never), "a", "pg")).toThrow(/tracer.namingSchema "v9" is unknown; use v0 or v1/);
    expect(() => databaseSpans(node("v0"), "a", "mysql" as never)).toThrow(/databaseErrors.client "mysql" is unknown for dd-trace-js; use one of pg/);
  });
});
