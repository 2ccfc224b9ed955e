import { App, TerraformStack } from "cdktf";
import { mkdirSync, writeFileSync } from "fs";
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
 * The stack as synth just wrote it: App.synth resolves every stack once (`toTerraform()`, which
 * the synthesizer writes as cdk.tf.json) and then runs the app's validations. While the app
 * synthesizes, the stack remembers that value until this check takes it, so the check judges
 * exactly what was written without resolving the stack a second time (about 10% of a synth of both
 * environments). Outside synth (`app.node.validate()`, Testing.synth, HCL output) nothing is
 * remembered and the check resolves the stack afresh.
 */
function rememberSynthesized(stack: TerraformStack, synthesizing: () => boolean): { take(): Record<string, unknown>; forget(): void } {
  const resolve = stack.toTerraform.bind(stack);
  let remembered: Record<string, unknown> | undefined;
  stack.toTerraform = () => {
    const value = resolve();
    if (synthesizing()) remembered = value;
    return value;
  };
  return {
    take: () => {
      const value = remembered ?? resolve();
      remembered = undefined;
      return value;
    },
    forget: () => (remembered = undefined),
  };
}

/**
 * At synth (an App validation, which App.synth runs after writing every stack): compute the
 * reachability matrix from the two stacks as synthesized, write `<outdir>/reachability.md`, and
 * fail synth with a ConfigError listing every flow config does not allow.
 */
export function checkReachability(app: App, props: ReachabilityCheckProps): void {
  let synthesizing = false;
  const network = rememberSynthesized(props.network, () => synthesizing);
  const vpn = rememberSynthesized(props.vpn, () => synthesizing);
  const synth = app.synth.bind(app);
  app.synth = () => {
    synthesizing = true;
    try {
      synth();
    } finally {
      synthesizing = false;
      network.forget();
      vpn.forget();
    }
  };
  app.node.addValidation({
    validate: () => {
      const model = modelFromSynth(network.take(), vpn.take());
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
