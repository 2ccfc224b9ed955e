import { ConfigError } from "../../errors";

/** Throw a ConfigError naming `field` unless `units` is a whole number of hub gateway scale units from 1 to `max`. */
export function checkScaleUnits(field: string, units: number, max: number): void {
  if (!Number.isInteger(units) || units < 1 || units > max) {
    throw new ConfigError(`${field} ${units} must be an integer from 1 to ${max} (each scale unit is 500 Mbps)`);
  }
}
