import { SyntheticsTest, SyntheticsTestAssertion } from "@cdktf/provider-datadog/lib/synthetics-test";
import { Construct } from "constructs";
import { ConfigError } from "../errors";
import { notificationMessage, NotificationTargets, validateTargets } from "./notifications";
import { Ownership, ownershipTags } from "./ownership";

/** One check on the response. */
export type ApiAssertion =
  | {
      /** Check the HTTP status code. */
      readonly type: "statusCode";
      /** Exact status code expected, e.g. 200. */
      readonly is: number;
    }
  | {
      /** Check how long the full response took. */
      readonly type: "responseTime";
      /** Fail when the response takes this many milliseconds or longer. */
      readonly lessThanMs: number;
    }
  | {
      /** Check the response body. */
      readonly type: "bodyContains";
      /** Substring the body must contain, e.g. a health marker like `"status":"ok"`. */
      readonly text: string;
    };

/** Props of {@link ApiSyntheticTest}. */
export interface ApiSyntheticTestProps {
  /** Test name, e.g. "payments-api-health"; shown as `[env] name`. */
  readonly name: string;
  /** env/service/team tags on the test, linking it to the service it checks. */
  readonly owner: Ownership;
  /** Who is told when the endpoint fails from at least two locations, and how often it renotifies. */
  readonly notifications: NotificationTargets;
  /** Public https endpoint. */
  readonly url: string;
  /** @default "GET" */
  readonly method?: "GET" | "HEAD" | "POST";
  /** At least one; a test without assertions passes whatever the endpoint returns. */
  readonly assertions: readonly ApiAssertion[];
  /** Managed locations, at least two so one provider's network trouble is not an outage. */
  readonly locations: readonly string[];
  /** Seconds between runs. */
  readonly tickEverySeconds: number;
}

/** Frequencies Datadog offers for API tests. */
export const TICK_EVERY_SECONDS = [60, 300, 900, 1800, 3600, 21600, 43200, 86400, 604800] as const;
const MIN_LOCATIONS = 2;

function toAssertion(assertion: ApiAssertion): SyntheticsTestAssertion {
  switch (assertion.type) {
    case "statusCode":
      return { type: "statusCode", operator: "is", target: String(assertion.is) };
    case "responseTime":
      return { type: "responseTime", operator: "lessThan", target: String(assertion.lessThanMs) };
    case "bodyContains":
      return { type: "body", operator: "contains", target: assertion.text };
  }
}

/**
 * A Datadog HTTP API test of a public endpoint from several locations. It alerts only when at
 * least two locations fail (one location's network trouble is not our outage), retries once
 * before counting a failure, and notifies the environment's targets like the monitors do.
 */
export class ApiSyntheticTest extends Construct {
  /** The synthetics test resource. */
  public readonly test: SyntheticsTest;

  constructor(scope: Construct, id: string, props: ApiSyntheticTestProps) {
    super(scope, id);
    if (props.assertions.length === 0) {
      throw new ConfigError(
        `synthetic test "${props.name}" has no assertions and would pass whatever ${props.url} returns; add at least { type: "statusCode", is: 200 } and { type: "responseTime", lessThanMs: ... }`,
        this,
      );
    }
    if (!/^https:\/\/[^\s/]+(\/\S*)?$/.test(props.url)) {
      throw new ConfigError(`synthetic test "${props.name}" url "${props.url}" must be an https:// URL`, this);
    }
    if (new Set(props.locations).size < MIN_LOCATIONS) {
      throw new ConfigError(`synthetic test "${props.name}" needs at least ${MIN_LOCATIONS} distinct locations, got ${props.locations.join(", ") || "none"}`, this);
    }
    if (!(TICK_EVERY_SECONDS as readonly number[]).includes(props.tickEverySeconds)) {
      throw new ConfigError(`synthetic test "${props.name}" tickEverySeconds must be one of ${TICK_EVERY_SECONDS.join(", ")}, got ${props.tickEverySeconds}`, this);
    }
    validateTargets(props.notifications, this);

    this.test = new SyntheticsTest(this, "test", {
      name: `[${props.owner.env}] ${props.name}`,
      type: "api",
      subtype: "http",
      status: "live",
      message: notificationMessage(`Synthetic test ${props.name} fails from at least ${MIN_LOCATIONS} locations: ${props.url} is down or slow for users.`, props.notifications),
      locations: [...props.locations],
      tags: ownershipTags(props.owner, this),
      requestDefinition: { method: props.method ?? "GET", url: props.url, timeout: 30 },
      assertion: props.assertions.map(toAssertion),
      optionsList: {
        tickEvery: props.tickEverySeconds,
        minLocationFailed: MIN_LOCATIONS,
        minFailureDuration: 0,
        followRedirects: true,
        retry: { count: 1, interval: 1000 },
        monitorOptions: { renotifyInterval: props.notifications.renotifyMinutes },
        monitorPriority: 1,
      },
    });
  }
}
