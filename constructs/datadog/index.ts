/**
 * Datadog constructs: validated monitors, synthetics, dashboards and SLOs, and the metric-query builder.
 */
export * from "./alert-monitor";
export * from "./api-synthetic-test";
export * from "./datadog-provider";
export * from "./environment-observability";
export * from "./key-literal";
export * from "./kubernetes-monitors";
export * from "./lambda-error-monitor";
export * from "./load-event-dashboard";
export * from "./metric-catalogue";
export * from "./monitor-slo";
export * from "./notifications";
export * from "./options";
export * from "./ownership";
export * from "./query";
export * from "./service-monitors";
export * from "./tracer";
export * from "./vpn-monitors";
