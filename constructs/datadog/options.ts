/**
 * Value sets shared by the config schema and the Datadog constructs, in a module that loads no
 * provider code: environments/schema.ts checks config before any provider is loaded.
 */

/** Datadog sites and their API URLs. */
export const DATADOG_SITES = ["datadoghq.com", "us3.datadoghq.com", "us5.datadoghq.com", "datadoghq.eu", "ap1.datadoghq.com", "ddog-gov.com"] as const;
/** A site from {@link DATADOG_SITES}. */
export type DatadogSite = (typeof DATADOG_SITES)[number];

/** SLO windows Datadog offers. */
export const SLO_TIMEFRAMES = ["7d", "30d", "90d"] as const;
