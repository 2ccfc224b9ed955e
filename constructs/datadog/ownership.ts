import { IConstruct } from "constructs";
import { ConfigError } from "../errors";

/**
 * The unified service tags every monitor, synthetic test, dashboard and SLO carries. Datadog
 * links a monitor to its service page and team through exactly these keys.
 */
export interface Ownership {
  /** Environment, e.g. "test" or "prod". */
  readonly env: string;
  /** Service name as tagged on its traces and pods, e.g. "payments-api". */
  readonly service: string;
  /** Owning team, e.g. "payments". */
  readonly team: string;
}

const TAG_VALUE = /^[a-z][a-z0-9_.\/-]{0,199}$/;

/** `["env:..", "service:..", "team:..", "managed-by:cdktf", ...extra]`, each value checked. */
export function ownershipTags(owner: Ownership, scope?: IConstruct, extra: readonly string[] = []): string[] {
  for (const [key, value] of Object.entries(owner)) {
    if (!TAG_VALUE.test(value)) {
      throw new ConfigError(`${key} tag "${value}" must be lower-case, start with a letter and hold only a-z 0-9 _ . / -`, scope);
    }
  }
  return [`env:${owner.env}`, `service:${owner.service}`, `team:${owner.team}`, "managed-by:cdktf", ...extra];
}
