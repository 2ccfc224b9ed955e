import { App, TerraformStack } from "cdktf";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { ConfigError } from "../../errors";
import { computeFlows, describeUnexpected, ExpectedFlows, modelFromSynth, renderMatrix, unexpectedFlows } from "./reachability";

/** File the matrix is written to, in the synth output directory. */
export const REACHABILITY_FILE = "reachability.md";

/** The stacks the model is read from and what config allows. */
export interface ReachabilityCheckProps {
  /** The stack with the spoke VNet (subnets, NSGs) and the secured hub (firewall, routing intent). */
  readonly network: TerraformStack;
  /** The stack with the customers' VPN sites and the point-to-site gateway. */
  readonly vpn: TerraformStack;
  /** What config allows (expectedFrom(isolation)). */
  readonly expected: ExpectedFlows;
}

/**
 * A stack as synth just wrote it: App.synth runs the app's validations right after writing every
 * stack, so the file is what terraform will read, and parsing it costs far less than resolving
 * the stack a second time (`stack.toTerraform()`, about 10% of a synth of both environments).
 * Without a JSON file (HCL output, or `app.node.validate()` called outside synth) the stack is
 * resolved again.
 */
function synthesized(app: App, stack: TerraformStack): Record<string, unknown> {
  // The manifest has an entry once synth wrote the stack (forStack would add one: not called here).
  const written = app.manifest.stacks[stack.node.id]?.synthesizedStackPath;
  const path = written === undefined ? undefined : join(app.outdir, written);
  return path?.endsWith(".json") && existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : stack.toTerraform();
}

/**
 * At synth (an App validation, which App.synth runs after writing every stack): compute the
 * reachability matrix from the two stacks as synthesized, write `<outdir>/reachability.md`, and
 * fail synth with a ConfigError listing every flow config does not allow.
 */
export function checkReachability(app: App, props: ReachabilityCheckProps): void {
  app.node.addValidation({
    validate: () => {
      const model = modelFromSynth(synthesized(app, props.network), synthesized(app, props.vpn));
      const flows = computeFlows(model);
      mkdirSync(app.outdir, { recursive: true });
      const path = join(app.outdir, REACHABILITY_FILE);
      writeFileSync(path, renderMatrix(model, flows, props.expected));
      const unexpected = unexpectedFlows(flows, model, props.expected);
      if (unexpected.length > 0) {
        throw new ConfigError(
          `reachability check failed: ${unexpected.length} flow(s) config does not allow (matrix: ${path}):\n${unexpected.map((f) => `  ${describeUnexpected(f)}`).join("\n")}\n` +
            "Fix the firewall or NSG rule that opens it, or grant the flow in config (vpn.customers[].access, vpn.pointToSite.databases).",
        );
      }
      return [];
    },
  });
}
