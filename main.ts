import { App } from "cdktf";
import { applyPolicyPacks, PolicyOptions } from "./constructs/policy/packs";
import { CONFIG_DIR_ENV, Environments, loadEnvironments } from "./environments";
import { buildAwsEnvironment } from "./stacks/aws";
import { buildAzureEnvironment } from "./stacks/azure";
import { SynthFailed, synthAtomically } from "./tools/atomic-synth";

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

// The cdktf CLI's entry (cdktf.json "app"): the same config-first, all-or-nothing synth as npm run synth.
if (require.main === module) {
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  try {
    const environments = loadEnvironments(process.env[CONFIG_DIR_ENV]);
    synthAtomically(outdir, (app) => buildApp(app, environments));
  } catch (error) {
    console.error(error instanceof SynthFailed ? error.message : new SynthFailed(outdir, error).message);
    process.exit(1);
  }
}
