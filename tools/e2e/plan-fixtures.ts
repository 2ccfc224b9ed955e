/**
 * `npm run plan-fixtures`: regenerate the plan-summary test fixtures under
 * __tests__/fixtures/plans/ with real terraform against moto_server.
 *
 * A small scenario stack is applied in version 1, then planned in four ways:
 * - create/test-aws-app.json: version 1 on empty state (everything added);
 * - noop/test-aws-app.json:   version 1 again after apply (nothing to do);
 * - mixed/test-aws-app.json:  version 2, which renames the ECR repository (replacement forced
 *   by `name`, which also replaces its lifecycle policy), retags the IAM role (update), drops one
 *   log group (delete) and adds another (create);
 * - stateless/test-aws-app.json: version 3, which only raises the lifecycle policy's image count
 *   (a stateless replacement forced by `policy`) and changes a sensitive SSM parameter value
 *   (an in-place update whose value must never be printed).
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { loadEnvironments } from "../../environments";
import { CliSpec, main } from "../cli";
import { PROJECT_ROOT } from "../terraform";
import { startMoto } from "../moto-server";
import { sensitivePlan } from "../sensitive-plan";
import { emulatorEnv, StackDir } from "./runner";

const STACK = "test-aws-app";
const FIXTURES = join(PROJECT_ROOT, "__tests__", "fixtures", "plans");

/** Value of the sensitive parameter in version 3: __tests__/tools/plan-summary.test.ts asserts it is never printed. */
const SENSITIVE_MARKER = "fixture-rotated-value-3";

/** The scenario stack's JSON in version 1, 2 or 3. */
function scenario(version: 1 | 2 | 3, region: string, accountId: string, statePath: string): string {
  const outdir = mkdtempSync(join(tmpdir(), "plan-fixture-synth-"));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, STACK);
  new AwsProvider(stack, "aws", { region, allowedAccountIds: [accountId] });
  new LocalBackend(stack, { path: statePath });
  const repository = new EcrRepository(stack, "repository", { name: version === 2 ? "payments-api-v2" : "payments-api", imageTagMutability: "IMMUTABLE" });
  new EcrLifecyclePolicy(stack, "keep", {
    repository: repository.name,
    policy: JSON.stringify({
      rules: [{ rulePriority: 1, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: version === 3 ? 50 : 30 }, action: { type: "expire" } }],
    }),
  });
  // Not a secret: a placeholder whose attribute the provider marks sensitive.
  new SsmParameter(stack, "setting", { name: "/app/setting", type: "String", value: version === 3 ? SENSITIVE_MARKER : "fixture-value-1" });
  new IamRole(stack, "ci", {
    name: "ci-deployer",
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
    tags: { team: version === 2 ? "payments" : "platform" },
  });
  if (version !== 2) new CloudwatchLogGroup(stack, "legacy", { name: "/app/legacy", retentionInDays: 30 });
  else new CloudwatchLogGroup(stack, "audit", { name: "/app/audit", retentionInDays: 365 });
  app.synth();
  const json = readFileSync(join(outdir, "stacks", STACK, "cdk.tf.json"), "utf8");
  rmSync(outdir, { recursive: true, force: true });
  return json;
}

/** The command line, for the parser and --help. */
export const SPEC = {
  name: "plan-fixtures",
  usage: "npm run plan-fixtures",
  summary: "Regenerate __tests__/fixtures/plans/ with real terraform against a private moto_server.",
  options: {},
  exitCodes: { 0: "fixtures written", 1: "terraform or moto_server failed", 2: "bad arguments" },
} as const satisfies CliSpec;

async function regenerate(): Promise<number> {
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
    mkdirSync(join(FIXTURES, "sensitive"), { recursive: true });
    writeFileSync(join(FIXTURES, "sensitive", "test-aws-secrets.json"), JSON.stringify(await sensitivePlan(moto.endpoint, env.region), null, 2) + "\n");
    console.log("wrote __tests__/fixtures/plans/sensitive/test-aws-secrets.json");
    writeFileSync(join(work, "cdk.tf.json"), scenario(3, env.region, env.accountId, statePath));
    await dir.planChanges("stateless");
    await write("stateless");
  } finally {
    await moto.stop();
    rmSync(work, { recursive: true, force: true });
  }
  return 0;
}

if (require.main === module) main(SPEC, regenerate);
