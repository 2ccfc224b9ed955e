import { App, TerraformStack, Testing } from "cdktf";
import { readFileSync } from "fs";
import { join } from "path";
import { prodAzure as prodAzureInput } from "../../environments/prod-azure";
import { AzureProdEnvironment, azureProdEnvironmentSchema, parseEnvironment } from "../../environments/schema";
import { AzureEnvironmentStacks, buildAzureEnvironment } from "../../stacks/azure";
import { shippedStack } from "./shipped-synth";
import type { synthJson } from "./synth";

let shippedProdAzure: AzureProdEnvironment | undefined;

/**
 * The shipped prod-azure config, parsed (defaults applied) on its own, safe to modify: parsed once
 * per worker (the reachability tests alone asked for it dozens of times), a deep copy per call.
 */
export function prodAzure(): AzureProdEnvironment {
  shippedProdAzure ??= parseEnvironment(azureProdEnvironmentSchema, "environments/prod-azure.ts", structuredClone(prodAzureInput));
  return structuredClone(shippedProdAzure);
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
/** Every unit, checked complete by the compiler. */
const AZURE_UNITS = Object.keys({ ci: 0, state: 0, network: 0, aks: 0, vpn: 0, workloads: 0, observability: 0 } satisfies Record<AzureUnit, 0>) as AzureUnit[];

let shippedAloneJson: Record<string, string> | undefined;

/**
 * The shipped prod-azure stacks, each synthesized alone (Testing.synth), once per test worker
 * (with isolate off, workers keep this module between files), from a fresh app and always in the
 * same order: so what a caller gets never depends on which test ran first. Building and
 * synthesizing the Azure environment costs 0.1-0.2 s of CPU; a dozen files read the shipped one.
 */
function shippedAlone(): Record<string, string> {
  shippedAloneJson ??= Object.fromEntries(Object.entries(buildAzureEnvironment(Testing.app(), prodAzure())).map(([unit, stack]) => [unit, Testing.synth(stack)]));
  return shippedAloneJson;
}

/**
 * One shipped prod-azure stack as `Testing.synth` gives it (the stack alone; `resource`, `data`
 * present even when empty), parsed: the caller's own copy, free to change.
 */
export function shippedAzureStack(unit: AzureUnit): ReturnType<typeof synthJson> {
  return { resource: {}, data: {}, output: {}, provider: {}, ...JSON.parse(shippedAlone()[unit]) };
}

/** Every resource of `type` in one shipped prod-azure stack (Testing.synth form), as a list of private copies. */
export function shippedAzureResources(unit: AzureUnit, type: string): any[] {
  return Object.values(shippedAzureStack(unit).resource[type] ?? {});
}

/** The ids of the stacks a shipped prod-azure stack depends on, as `npm run synth` records them. */
export function shippedAzureDependencies(unit: AzureUnit): string[] {
  return shippedStack(`prod-azure-${unit}`).dependencies;
}

/**
 * Every shipped prod-azure stack as `npm run synth` writes it (the whole app synthesized, so
 * cross-stack references are remote-state lookups), by unit: the caller's own copies, read from
 * the worker's one synth of the shipped config (helpers/shipped-synth.ts).
 */
export function shippedAzureApp(): Record<AzureUnit, any> {
  return Object.fromEntries(AZURE_UNITS.map((unit) => [unit, shippedStack(`prod-azure-${unit}`).json])) as Record<AzureUnit, any>;
}
