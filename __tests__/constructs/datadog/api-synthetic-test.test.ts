import { Testing } from "cdktf";
import { ApiSyntheticTest, ApiSyntheticTestProps } from "../../../constructs/datadog/api-synthetic-test";
import { emptyStack } from "../../helpers/synth";

const base: ApiSyntheticTestProps = {
  name: "payments-api-health",
  owner: { env: "prod", service: "payments-api", team: "payments" },
  notifications: { alert: ["@pagerduty-payments"], renotifyMinutes: 30 },
  url: "https://api.fintech.example.com/healthz",
  assertions: [
    { type: "statusCode", is: 200 },
    { type: "responseTime", lessThanMs: 800 },
    { type: "bodyContains", text: "ok" },
  ],
  locations: ["azure:westeurope", "aws:eu-central-1", "aws:us-east-1"],
  tickEverySeconds: 60,
};

function synthTest(props: Partial<ApiSyntheticTestProps> = {}): any {
  const stack = emptyStack();
  new ApiSyntheticTest(stack, "t", { ...base, ...props });
  return Object.values(JSON.parse(Testing.synth(stack)).resource.datadog_synthetics_test)[0];
}

describe("ApiSyntheticTest", () => {
  it("probes the endpoint from every location with status, latency and body assertions", () => {
    const test = synthTest();
    expect(test).toMatchObject({
      name: "[prod] payments-api-health",
      type: "api",
      subtype: "http",
      status: "live",
      locations: base.locations,
      request_definition: { method: "GET", url: base.url },
      assertion: [
        { type: "statusCode", operator: "is", target: "200" },
        { type: "responseTime", operator: "lessThan", target: "800" },
        { type: "body", operator: "contains", target: "ok" },
      ],
      options_list: expect.objectContaining({ tick_every: 60, min_location_failed: 2, retry: { count: 1, interval: 1000 }, monitor_options: { renotify_interval: 30 } }),
      tags: ["env:prod", "service:payments-api", "team:payments", "managed-by:cdktf"],
    });
    expect(test.message).toContain("{{#is_alert}}@pagerduty-payments{{/is_alert}}");
  });

  const rejected: [string, Partial<ApiSyntheticTestProps>, RegExp][] = [
    ["a test with no assertion", { assertions: [] }, /s\/t: synthetic test "payments-api-health" has no assertions and would pass whatever https:\/\/api.fintech.example.com\/healthz returns/],
    ["a single location", { locations: ["aws:eu-central-1", "aws:eu-central-1"] }, /needs at least 2 distinct locations, got aws:eu-central-1, aws:eu-central-1/],
    ["a plain-http endpoint", { url: "http://api.fintech.example.com/healthz" }, /url "http:\/\/api.fintech.example.com\/healthz" must be an https:\/\/ URL/],
    ["an unsupported frequency", { tickEverySeconds: 90 }, /tickEverySeconds must be one of 60, 300, .*, got 90/],
    ["an empty notification target", { notifications: { alert: [], renotifyMinutes: 30 } }, /notifications.alert is empty/],
  ];
  it.each(rejected)("rejects %s", (_, props, message) => {
    expect(() => synthTest(props)).toThrow(message);
  });
});
