/**
 * A real terraform plan that changes cost, made against moto_server with the offline hashicorp/aws
 * provider: the input that proves `plan-summary --cost` (tools/cost/plan-cost.ts).
 *
 * Version 1 (applied): a VPC with a public subnet, an Elastic IP, a NAT gateway and a KMS key.
 * Version 2 (planned): the NAT gateway and its IP removed (private subnets go IPv6/endpoint-only),
 * a second KMS key and a log group added, and the first key's description changed (no cost change).
 *
 *   node dist/tools/cost/plan-scenario.js   # rewrites __tests__/fixtures/plans/cost/test-aws-egress.json (redacted)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { emulatorEnv, StackDir } from "../e2e/runner";
import { startMoto } from "../moto-server";
import { redactPlan } from "../plan-redaction";
import { PROJECT_ROOT } from "../terraform";

/** The stack name the fixture is summarized as (`<env>-<cloud>-<unit>`). */
export const SCENARIO_STACK = "test-aws-egress";
/** Where the redacted plan is kept for the unit tests. */
export const SCENARIO_FIXTURE = join(PROJECT_ROOT, "__tests__", "fixtures", "plans", "cost", `${SCENARIO_STACK}.json`);

function configuration(version: 1 | 2, region: string): string {
  const resource: Record<string, Record<string, unknown>> = {
    aws_vpc: { main: { cidr_block: "10.90.0.0/16" } },
    aws_subnet: { public: { vpc_id: "${aws_vpc.main.id}", cidr_block: "10.90.0.0/24" } },
    aws_kms_key: { state: { description: version === 1 ? "state" : "state (renamed)", deletion_window_in_days: 7 } },
  };
  if (version === 1) {
    resource.aws_eip = { nat: { domain: "vpc" } };
    resource.aws_nat_gateway = { egress: { allocation_id: "${aws_eip.nat.id}", subnet_id: "${aws_subnet.public.id}" } };
  } else {
    resource.aws_kms_key.logs = { description: "logs", deletion_window_in_days: 7 };
    resource.aws_cloudwatch_log_group = { audit: { name: "/egress/audit", retention_in_days: 30 } };
  }
  return JSON.stringify({
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } },
    provider: { aws: [{ region, access_key: "emulator", secret_key: "emulator" }] },
    resource,
  });
}

/** Apply version 1, plan version 2; return `terraform show -json` of the saved plan. */
export async function costScenarioPlan(endpoint: string, region: string): Promise<unknown> {
  const work = mkdtempSync(join(tmpdir(), "cost-plan-"));
  try {
    const dir = new StackDir(SCENARIO_STACK, work, emulatorEnv(endpoint, region));
    writeFileSync(join(work, "main.tf.json"), configuration(1, region));
    await dir.run("init", ["init", "-input=false"]);
    await dir.run("apply", ["apply", "-input=false", "-auto-approve"]);
    writeFileSync(join(work, "main.tf.json"), configuration(2, region));
    await dir.planChanges("plan");
    return JSON.parse((await dir.run("show", ["show", "-json", "tfplan"])).stdout);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const moto = await startMoto();
  try {
    const plan = await costScenarioPlan(moto.endpoint, "eu-west-1");
    mkdirSync(join(SCENARIO_FIXTURE, ".."), { recursive: true });
    writeFileSync(SCENARIO_FIXTURE, JSON.stringify(redactPlan(plan), null, 2) + "\n");
    console.log(`wrote ${SCENARIO_FIXTURE}`);
  } finally {
    await moto.stop();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
