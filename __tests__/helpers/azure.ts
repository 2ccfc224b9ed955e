import { App, TerraformStack, Testing } from "cdktf";
import { readFileSync } from "fs";
import { join } from "path";
import { prodAzure as prodAzureInput } from "../../environments/prod-azure";
import { AzureProdEnvironment, azureProdEnvironmentSchema, parseEnvironment } from "../../environments/schema";
import { AzureEnvironmentStacks, buildAzureEnvironment } from "../../stacks/azure";
import type { synthJson } from "./synth";

/** The shipped prod-azure config, parsed (defaults applied) on its own, safe to modify. */
export function prodAzure(): AzureProdEnvironment {
  return parseEnvironment(azureProdEnvironmentSchema, "environments/prod-azure.ts", structuredClone(prodAzureInput));
}

/** Build the Azure environment's stacks in a fresh test app, after `mutate` edits the config. */
export function azureStacks(mutate: (env: AzureProdEnvironment) => void = () => undefined): AzureEnvironmentStacks {
  const env = prodAzure();
  mutate(env);
  return buildAzureEnvironment(Testing.app(), env);
}

const synthesized = new WeakSet<App>();

/**
 * A stack as `cdktf synth` writes it: the whole app is synthesized, so cross-stack references
 * appear as the remote-state lookups terraform will run (Testing.synth of one stack does not
 * resolve them).
 */
export function appStackJson(stack: TerraformStack): any {
  const app = stack.node.root as App;
  if (!synthesized.has(app)) {
    app.synth();
    synthesized.add(app);
  }
  return JSON.parse(readFileSync(join(app.outdir, "stacks", stack.node.id, "cdk.tf.json"), "utf8"));
}

/** A stack of the Azure environment, by its field in AzureEnvironmentStacks. */
export type AzureUnit = keyof AzureEnvironmentStacks;

let shipped: { readonly alone: Record<string, string>; readonly inApp: Record<string, string>; readonly dependencies: Record<string, string[]> } | undefined;

/**
 * The shipped prod-azure stacks synthesized once per test worker (with isolate off, workers keep
 * this module between files), both ways tests read them, each from its own fresh app and always
 * in the same order: so what a caller gets never depends on which test ran first. Building and
 * synthesizing the Azure environment costs about 0.1 s of CPU; a dozen files read the shipped one.
 */
function shippedAzure() {
  if (shipped === undefined) {
    const alone = buildAzureEnvironment(Testing.app(), prodAzure());
    const whole = buildAzureEnvironment(Testing.app(), prodAzure());
    shipped = {
      alone: Object.fromEntries(Object.entries(alone).map(([unit, stack]) => [unit, Testing.synth(stack)])),
      inApp: Object.fromEntries(Object.entries(whole).map(([unit, stack]) => [unit, JSON.stringify(appStackJson(stack))])),
      // Read after the app synth: cross-stack references add their dependencies as they resolve.
      dependencies: Object.fromEntries(Object.entries(whole).map(([unit, stack]) => [unit, stack.dependencies.map((d: TerraformStack) => d.node.id)])),
    };
  }
  return shipped;
}

/**
 * One shipped prod-azure stack as `Testing.synth` gives it (the stack alone; `resource`, `data`
 * present even when empty), parsed: the caller's own copy, free to change.
 */
export function shippedAzureStack(unit: AzureUnit): ReturnType<typeof synthJson> {
  return { resource: {}, data: {}, output: {}, provider: {}, ...JSON.parse(shippedAzure().alone[unit]) };
}

/** Every resource of `type` in one shipped prod-azure stack (Testing.synth form), as a list of private copies. */
export function shippedAzureResources(unit: AzureUnit, type: string): any[] {
  return Object.values(shippedAzureStack(unit).resource[type] ?? {});
}

/** The ids of the stacks a shipped prod-azure stack depends on once the app is synthesized. */
export function shippedAzureDependencies(unit: AzureUnit): string[] {
  return [...shippedAzure().dependencies[unit]];
}

/**
 * Every shipped prod-azure stack as `cdktf synth` writes it (the whole app synthesized, so
 * cross-stack references are remote-state lookups), by unit: the caller's own copies.
 */
export function shippedAzureApp(): Record<AzureUnit, any> {
  return Object.fromEntries(Object.entries(shippedAzure().inApp).map(([unit, text]) => [unit, JSON.parse(text)])) as Record<AzureUnit, any>;
}
