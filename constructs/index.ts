/**
 * `@fintech-platform/constructs`: the cloud-neutral core (ConfigError, CIDR helpers, standard
 * tags). Constructs live in subpath entry points so a consumer loads, and installs, only the
 * providers it uses: `/aws`, `/azure`, `/kubernetes`, `/datadog`, `/policy`, `/state`.
 */
export * from "./core/cidr";
export * from "./core/tags";
export * from "./errors";
