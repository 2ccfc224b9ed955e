import { App } from "cdktf";
import { applyPolicyPacks, PolicyOptions } from "./constructs/policy/packs";
import { Environments, loadEnvironments } from "./environments";
import { buildAwsEnvironment } from "./stacks/aws";
import { buildAzureEnvironment } from "./stacks/azure";

/**
 * Build every environment's stacks into `app`. Config is parsed first, so a bad value stops synth
 * before anything is written; the policy packs run last, over every stack (README "Policy packs").
 */
export function buildApp(app: App, environments: Environments = loadEnvironments(), policy: PolicyOptions = {}): App {
  buildAwsEnvironment(app, environments.testAws);
  buildAzureEnvironment(app, environments.prodAzure);
  applyPolicyPacks(app, policy);
  return app;
}

if (require.main === module) {
  buildApp(new App()).synth();
}
