import { App } from "cdktf";
import { Environments, loadEnvironments } from "./environments";
import { buildAwsEnvironment } from "./stacks/aws";
import { buildAzureEnvironment } from "./stacks/azure";

/** Build every environment's stacks into `app`. Config is parsed first, so a bad value stops synth before anything is written. */
export function buildApp(app: App, environments: Environments = loadEnvironments()): App {
  buildAwsEnvironment(app, environments.testAws);
  buildAzureEnvironment(app, environments.prodAzure);
  return app;
}

if (require.main === module) {
  buildApp(new App()).synth();
}
