import { Testing } from "cdktf";
import { awsTestEnvironmentSchema, azureProdEnvironmentSchema, parseEnvironment } from "../../environments/schema";
import { prodAzure } from "../../environments/prod-azure";
import { testAws } from "../../environments/test-aws";
import { AwsObservabilityStack } from "../../stacks/aws/observability-stack";

const API_KEY = "0123456789abcdef0123456789abcdef";
const APP_KEY = "0123456789abcdef0123456789abcdef01234567";

/** The shipped test-aws config with `change` applied to a copy of its observability section. */
function withObservability(change: (observability: any) => void) {
  const raw: any = structuredClone(testAws);
  change(raw.observability);
  return parseEnvironment(awsTestEnvironmentSchema, "environments/test-aws.ts", raw);
}

function synthWith(change: (observability: any) => void) {
  return () => new AwsObservabilityStack(Testing.app(), withObservability(change));
}

/** The shipped prod-azure config with `change` applied to a copy of its observability section. */
function prodSection(change: (observability: any) => void = () => undefined) {
  const raw: any = structuredClone(prodAzure);
  change(raw.observability);
  return () => parseEnvironment(azureProdEnvironmentSchema, "environments/prod-azure.ts", raw).observability;
}

describe("observability config", () => {
  it("parses the shipped test config with its defaults", () => {
    const env = withObservability(() => undefined);
    expect(env.observability).toMatchObject({
      site: "datadoghq.eu",
      notifications: { alert: ["@slack-platform-test-alerts"], warning: [], renotifyMinutes: 120 },
      kubernetes: { restarts: { warning: 1, critical: 3 }, restartWindow: "last_15m", hpaAtMaxWindow: "last_15m", unavailableWindow: "last_10m" },
    });
    expect(env.observability.services[0].databaseErrors).toEqual({ client: "pg", algorithm: "agile", bounds: 3, alertWindow: "last_15m", intervalSeconds: 60 });
    expect(env.observability.services[0].tracer).toEqual({ library: "dd-trace-js", namingSchema: "v0", webFramework: "http" });
  });

  it("accepts a production section that pages and probes every minute", () => {
    expect(prodSection()().notifications).toEqual({ alert: ["@pagerduty-platform-prod"], warning: ["@slack-platform-prod-alerts"], renotifyMinutes: 30 });
  });

  describe("rejects", () => {
    it("a warning threshold at or above critical", () => {
      expect(synthWith((o) => (o.services[0].errorRatePercent = { warning: 5, critical: 5 }))).toThrow(
        /test-aws-observability\/observability\/service-payments-api\/error-rate: thresholds.warning 5 must be below thresholds.critical 5/,
      );
    });

    it("a latency warning above critical", () => {
      expect(synthWith((o) => (o.services[0].latencyP95Seconds = { warning: 2, critical: 1 }))).toThrow(/latency-p95: thresholds.warning 2 must be below thresholds.critical 1/);
    });

    it("an error-rate percentage above 100", () => {
      expect(synthWith((o) => (o.services[0].errorRatePercent = { warning: 50, critical: 120 }))).toThrow(/thresholds.critical 120 is out of range for percent \(0-100\)/);
    });

    it("a monitor for a service that is not a workload", () => {
      const known = testAws.workloads!.services!.map((s) => s.name).join(", ");
      expect(synthWith((o) => (o.services[0].name = "payments-apii"))).toThrow(
        `services[0].name "payments-apii" is not a workload of environment test (known: ${known}); fix the name or add the service to the workloads config first`,
      );
    });

    it("a synthetic test for a service that is not a workload", () => {
      expect(synthWith((o) => (o.synthetics.tests[0].service = "checkout"))).toThrow(/synthetics.tests\[0\].service "checkout" is not a workload of environment test/);
    });

    it("an SLO for a service without APM monitors", () => {
      expect(synthWith((o) => (o.slo.service = "payments-worker"))).toThrow(/slo.service "payments-worker" has no APM monitors; add it to services/);
    });

    it("an empty notification target", () => {
      expect(() => withObservability((o) => (o.notifications.alert = []))).toThrow(
        /environments\/test-aws.ts: observability.notifications.alert needs at least one target: prod pages \(@pagerduty-...\), test posts to chat \(@slack-...\) \(got \[\]\)/,
      );
    });

    it("an empty notification target for prod", () => {
      expect(prodSection((o) => (o.notifications.alert = []))).toThrow(/environments\/prod-azure.ts: observability.notifications.alert needs at least one target: prod pages/);
    });

    it("a production alert target that does not page", () => {
      expect(prodSection((o) => (o.notifications.alert = ["@slack-platform-prod"]))).toThrow(
        /environments\/prod-azure.ts: observability.notifications.alert must include a pager \(@pagerduty-..., @opsgenie-... or @oncall-...\) in production \(got \["@slack-platform-prod"\]\)/,
      );
    });

    it("production synthetics slower than every minute", () => {
      expect(prodSection((o) => (o.synthetics.tickEverySeconds = 300))).toThrow(/environments\/prod-azure.ts: observability.synthetics.tickEverySeconds must be 60 in production \(public endpoints are probed every minute\) \(got 300\)/);
    });

    it("a synthetic test with no assertion", () => {
      expect(synthWith((o) => (o.synthetics.tests[0].assertions = []))).toThrow(
        /synthetic test "payments-api-health" has no assertions and would pass whatever https:\/\/api.test.fintech.example.com\/healthz returns; add at least/,
      );
    });

    it("an unknown tracer library", () => {
      expect(() => withObservability((o) => (o.services[0].tracer.library = "dd-trace-rb"))).toThrow(
        /observability.services\[0\].tracer.library must be a tracer whose naming constructs\/datadog\/tracer.ts knows: dd-trace-js \(add another with its sources there\); did you mean dd-trace-js\? \(got "dd-trace-rb"\)/,
      );
    });

    it("an unknown naming schema", () => {
      expect(() => withObservability((o) => (o.services[0].tracer.namingSchema = "v2"))).toThrow(
        /observability.services\[0\].tracer.namingSchema must be v0 or v1: the service's DD_TRACE_SPAN_ATTRIBUTE_SCHEMA \(v0 when unset\) \(got "v2"\)/,
      );
    });

    it("a service without tracer settings", () => {
      expect(() => withObservability((o) => delete o.services[0].tracer)).toThrow(/observability.services\[0\].tracer/);
    });

    it("an anomaly interval over a fifth of the alert window", () => {
      expect(synthWith((o) => (o.services[0].databaseErrors.intervalSeconds = 600))).toThrow(
        /service-payments-api: query ".*": anomalies\(\) interval=600 must be a positive number of seconds no larger than a fifth of alert_window last_15m \(180\)/,
      );
    });

    it("an invalid anomaly algorithm", () => {
      expect(() => withObservability((o) => (o.services[0].databaseErrors.algorithm = "prophet"))).toThrow(
        /observability.services\[0\].databaseErrors.algorithm must be an anomaly algorithm: basic, agile, robust \(got "prophet"\)/,
      );
    });

    it.each([0, 7])("anomaly bounds of %d", (bounds) => {
      expect(() => withObservability((o) => (o.services[0].databaseErrors.bounds = bounds))).toThrow(
        new RegExp(`observability.services\\[0\\].databaseErrors.bounds must be 1-6 deviations \\(got ${bounds}\\)`),
      );
    });

    it("a Datadog API key literal in any field", () => {
      expect(() => withObservability((o) => (o.loadEventDashboard.title = `Load event ${API_KEY}`))).toThrow(
        /observability.loadEventDashboard.title looks like a Datadog API\/app key. Datadog API\/app keys never go in config or code: terraform reads DD_API_KEY and DD_APP_KEY from the environment/,
      );
    });

    it("a Datadog application key literal in a notification target", () => {
      expect(() => withObservability((o) => (o.notifications.alert = [`@webhook-${APP_KEY}`]))).toThrow(/observability.notifications.alert\[0\] looks like a Datadog API\/app key/);
    });

    it("an apiKey field", () => {
      expect(() => withObservability((o) => (o.apiKey = API_KEY))).toThrow(/observability\.apiKey is not a known field; Datadog API\/app keys never go in config or code/);
    });

    it("a misspelt field instead of ignoring it", () => {
      expect(() => withObservability((o) => (o.services[0].latencyP95Second = o.services[0].latencyP95Seconds))).toThrow(/observability\.services\[0\]\.latencyP95Second is not a known field; did you mean latencyP95Seconds\?/);
    });

    it("a notification target that is not a Datadog handle", () => {
      expect(() => withObservability((o) => (o.notifications.alert = ["platform-team"]))).toThrow(/must be a Datadog handle like @slack-platform-alerts or @pagerduty-platform \(got "platform-team"\)/);
    });
  });
});
