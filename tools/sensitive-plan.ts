/**
 * A real terraform plan carrying every kind of sensitive value, made against moto_server with the
 * offline hashicorp/aws provider: the input that proves plan redaction (tools/plan-redaction.ts).
 *
 * Version 1 is applied, then version 2 is planned. The saved plan then holds:
 * - sensitive input variables (`db_password` given with -var, `api_token` with a sensitive default
 *   in v1 and a new value in v2);
 * - a sensitive resource attribute (`aws_ssm_parameter.db.value`, updated: before and after);
 * - a nested sensitive value (`aws_iam_role.app.tags.token`, from a sensitive variable);
 * - a sensitive data source result in prior state (`data.aws_ssm_parameter.seed.value`);
 * - a literal written for a sensitive attribute (`aws_ssm_parameter.seed.value`);
 * - a literal credential in the provider configuration;
 * - a sensitive output.
 * Every secret is a recognisable fixture string listed in {@link FIXTURE_SECRETS}.
 */
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { emulatorEnv, StackDir } from "./e2e/runner";

/** The plain-text secrets the scenario puts into terraform; none may survive redaction. */
export const FIXTURE_SECRETS = {
  dbPasswordV1: "fixture-db-password-v1",
  dbPasswordV2: "fixture-db-password-v2",
  apiTokenDefault: "fixture-default-api-token",
  apiTokenV2: "fixture-api-token-v2",
  seedLiteral: "fixture-seed-literal",
  providerSecret: "fixture-provider-secret-key",
} as const;

/** Non-secret values the redacted plan must still show. */
export const FIXTURE_PUBLIC = { roleName: "fixture-app", team: "platform", parameterName: "/fixture/db-password" } as const;

function configuration(region: string): string {
  const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });
  return JSON.stringify(
    {
      terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } },
      // A literal credential in provider config: moto accepts any key; the endpoint comes from AWS_ENDPOINT_URL.
      provider: { aws: [{ region, access_key: "emulator", secret_key: FIXTURE_SECRETS.providerSecret }] },
      variable: {
        db_password: { type: "string", sensitive: true },
        api_token: { type: "string", sensitive: true, default: FIXTURE_SECRETS.apiTokenDefault },
      },
      resource: {
        aws_ssm_parameter: {
          db: { name: FIXTURE_PUBLIC.parameterName, type: "SecureString", value: "${var.db_password}" },
          seed: { name: "/fixture/seed", type: "SecureString", value: FIXTURE_SECRETS.seedLiteral },
        },
        aws_iam_role: { app: { name: FIXTURE_PUBLIC.roleName, assume_role_policy: trust, tags: { team: FIXTURE_PUBLIC.team, token: "${var.api_token}" } } },
      },
      data: { aws_ssm_parameter: { seed: { name: "/fixture/seed", depends_on: ["aws_ssm_parameter.seed"] } } },
      output: {
        seed: { value: "${data.aws_ssm_parameter.seed.value}", sensitive: true },
        role: { value: "${aws_iam_role.app.name}" },
      },
    },
    null,
    2,
  );
}

/**
 * Apply version 1 and plan version 2 of the scenario against the emulator at `endpoint`; return
 * `terraform show -json` of the saved plan (unredacted: it contains {@link FIXTURE_SECRETS}).
 */
export async function sensitivePlan(endpoint: string, region: string): Promise<unknown> {
  const work = mkdtempSync(join(tmpdir(), "sensitive-plan-"));
  try {
    writeFileSync(join(work, "main.tf.json"), configuration(region));
    const dir = new StackDir("sensitive-plan", work, emulatorEnv(endpoint, region));
    await dir.run("init", ["init", "-input=false"]);
    await dir.run("apply", ["apply", "-input=false", "-auto-approve", `-var=db_password=${FIXTURE_SECRETS.dbPasswordV1}`]);
    await dir.planChanges("plan", [`-var=db_password=${FIXTURE_SECRETS.dbPasswordV2}`, `-var=api_token=${FIXTURE_SECRETS.apiTokenV2}`]);
    const shown = await dir.run("show", ["show", "-json", "tfplan"]);
    return JSON.parse(shown.stdout);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
