import { App, TerraformStack, Testing } from "cdktf";
import { readFileSync } from "fs";
import { join } from "path";
import { prodAzure as prodAzureInput } from "../../environments/prod-azure";
import { AzureProdEnvironment, azureProdEnvironmentSchema, parseEnvironment } from "../../environments/schema";
import { AzureEnvironmentStacks, buildAzureEnvironment } from "../../stacks/azure";

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
