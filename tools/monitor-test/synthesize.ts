/**
 * The in-process synth monitor-test falls back to (and its tests use). A module of its own so that
 * the usual path, reading cdktf.out, never loads cdktf and the providers: most of the start-up.
 */
import { Testing, TerraformStack } from "cdktf";
import { Environments, loadEnvironments } from "../../environments";
import { buildAwsEnvironment } from "../../stacks/aws";
import { buildAzureEnvironment } from "../../stacks/azure";
import { NEEDED_STACK, StackUnderTest, SynthesizedStacks, targetsFrom } from "./run";

/** Synthesize every stack of both environments in-process (for tests, and when cdktf.out is missing or stale). */
export function synthesizeStacks(environments: Environments = loadEnvironments()): SynthesizedStacks {
  const app = Testing.app();
  const stacks: TerraformStack[] = [...Object.values(buildAwsEnvironment(app, environments.testAws)), ...Object.values(buildAzureEnvironment(app, environments.prodAzure))].filter(
    (s): s is TerraformStack => s instanceof TerraformStack && NEEDED_STACK.test(s.node.id),
  );
  return Object.fromEntries(stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s))]));
}

/** Both environments' targets from an in-process synth. */
export function synthesizeObservability(environments: Environments = loadEnvironments()): StackUnderTest[] {
  return targetsFrom(synthesizeStacks(environments), environments);
}
