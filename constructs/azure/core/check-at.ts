import { IConstruct } from "constructs";
import { ConfigError } from "../../errors";

/**
 * Run a validation and re-throw any path-less ConfigError (e.g. from the shared CIDR helpers)
 * with `scope`'s construct path, so the reader sees which stack and construct rejected the value.
 */
export function checkAt<T>(scope: IConstruct, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ConfigError && error.path === undefined) throw new ConfigError(error.message, scope);
    throw error;
  }
}
