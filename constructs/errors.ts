import { IConstruct } from "constructs";

/**
 * A configuration mistake found at synth time, before anything is written.
 *
 * The message names what is wrong, the value seen and the fix; when a construct is
 * given, its path is prefixed so the reader knows which stack and resource asked.
 */
export class ConfigError extends Error {
  /** Construct path the error was raised for, if any. */
  public readonly path?: string;

  constructor(message: string, scope?: IConstruct) {
    const path = scope?.node.path;
    super(path ? `${path}: ${message}` : message);
    this.name = "ConfigError";
    this.path = path;
  }
}
