/**
 * `npm run plan-fixtures`: regenerate the plan-summary test fixtures under
 * __tests__/fixtures/plans/ with real terraform against moto_server.
 *
 * A small scenario stack is applied in version 1, then planned in three ways:
 * - create/test-aws-app.json: version 1 on empty state (everything added);
 * - noop/test-aws-app.json:   version 1 again after apply (nothing to do);
 * - mixed/test-aws-app.json:  version 2, which renames the ECR repository (replacement forced
 *   by `name`), retags the IAM role (update), drops one log group (delete) and adds another (create).
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { loadEnvironments } from "../../environments";
import { PROJECT_ROOT } from "../terraform";
import { startMoto } from "../moto-server";
import { emulatorEnv, StackDir } from "./runner";

const STACK = "test-aws-app";
const FIXTURES = join(PROJECT_ROOT, "__tests__", "fixtures", "plans");

/** The scenario stack's JSON in version 1 or 2. */
function scenario(version: 1 | 2, region: string, accountId: string, statePath: string): string {
  const outdir = mkdtempSync(join(tmpdir(), "plan-fixture-synth-"));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, STACK);
  new AwsProvider(stack, "aws", { region, allowedAccountIds: [accountId] });
  new LocalBackend(stack, { path: statePath });
  new EcrRepository(stack, "repository", { name: version === 1 ? "payments-api" : "payments-api-v2", imageTagMutability: "IMMUTABLE" });
  new IamRole(stack, "ci", {
    name: "ci-deployer",
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
    tags: { team: version === 1 ? "platform" : "payments" },
  });
  if (version === 1) new CloudwatchLogGroup(stack, "legacy", { name: "/app/legacy", retentionInDays: 30 });
  else new CloudwatchLogGroup(stack, "audit", { name: "/app/audit", retentionInDays: 365 });
  app.synth();
  const json = readFileSync(join(outdir, "stacks", STACK, "cdk.tf.json"), "utf8");
  rmSync(outdir, { recursive: true, force: true });
  return json;
}

async function main(): Promise<void> {
  const env = loadEnvironments().testAws;
  const work = mkdtempSync(join(tmpdir(), "plan-fixtures-"));
  const moto = await startMoto({ accountId: env.accountId, logFile: join(work, "moto.log") });
  process.once("exit", () => moto.killNow());
  try {
    const dir = new StackDir(STACK, work, emulatorEnv(moto.endpoint, env.region));
    const write = async (kind: string): Promise<void> => {
      const shown = await dir.run(kind, ["show", "-json", "tfplan"]);
      mkdirSync(join(FIXTURES, kind), { recursive: true });
      writeFileSync(join(FIXTURES, kind, `${STACK}.json`), JSON.stringify(JSON.parse(shown.stdout), null, 2) + "\n");
      console.log(`wrote __tests__/fixtures/plans/${kind}/${STACK}.json`);
    };
    const statePath = join(work, "terraform.tfstate");
    writeFileSync(join(work, "cdk.tf.json"), scenario(1, env.region, env.accountId, statePath));
    await dir.run("init", ["init", "-input=false"]);
    await dir.planChanges("create");
    await write("create");
    await dir.run("apply", ["apply", "-input=false", "-auto-approve"]);
    await dir.planChanges("noop");
    await write("noop");
    writeFileSync(join(work, "cdk.tf.json"), scenario(2, env.region, env.accountId, statePath));
    await dir.planChanges("mixed");
    await write("mixed");
  } finally {
    await moto.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
