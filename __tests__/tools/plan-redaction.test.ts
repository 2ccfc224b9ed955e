import { readFileSync } from "fs";
import { join } from "path";
import { applyMask, assertPlanJson, Json, NotAPlanError, REDACTED, REDACTED_CHANGED, redactPlan } from "../../tools/plan-redaction";
import { FIXTURE_PUBLIC, FIXTURE_SECRETS } from "../../tools/sensitive-plan";

/** Real terraform 1.11 + hashicorp/aws 5.100.0 against moto (`npm run plan-fixtures` regenerates it). */
const FIXTURE = join(__dirname, "..", "fixtures", "plans", "sensitive", "test-aws-secrets.json");
const raw = () => JSON.parse(readFileSync(FIXTURE, "utf8"));

const find = (resources: any[], address: string) => resources.find((r) => r.address === address);

describe("redactPlan on a real terraform plan", () => {
  const input = raw();
  const text = JSON.stringify(input);
  const redacted: any = redactPlan(input);
  const out = JSON.stringify(redacted);

  it("the fixture really carries every secret in plain text (so the checks below can fail)", () => {
    for (const secret of Object.values(FIXTURE_SECRETS)) expect(text).toContain(secret);
  });

  it("leaves no secret anywhere in the output", () => {
    for (const secret of Object.values(FIXTURE_SECRETS)) expect(out).not.toContain(secret);
  });

  it("keeps every non-secret value", () => {
    for (const value of Object.values(FIXTURE_PUBLIC)) expect(out).toContain(value);
    expect(find(redacted.planned_values.root_module.resources, "aws_iam_role.app").values.tags.team).toBe(FIXTURE_PUBLIC.team);
  });

  it("redacts every variable declared sensitive, and its default in the configuration", () => {
    expect(redacted.variables).toEqual({ api_token: { value: REDACTED }, db_password: { value: REDACTED } });
    expect(redacted.configuration.root_module.variables.api_token.default).toBe(REDACTED);
  });

  it("redacts the sensitive attribute on both sides of the change, and in planned values and prior state", () => {
    const change = find(redacted.resource_changes, "aws_ssm_parameter.db").change;
    expect([change.before.value, change.after.value]).toEqual([REDACTED, REDACTED_CHANGED]);
    expect(change.after.name).toBe(FIXTURE_PUBLIC.parameterName);
    expect(find(redacted.planned_values.root_module.resources, "aws_ssm_parameter.db").values.value).toBe(REDACTED);
    expect(find(redacted.prior_state.values.root_module.resources, "aws_ssm_parameter.db").values.value).toBe(REDACTED);
  });

  it("redacts a data source's sensitive result in prior state", () => {
    const data = find(redacted.prior_state.values.root_module.resources, "data.aws_ssm_parameter.seed");
    expect(data.mode).toBe("data");
    expect(data.values.value).toBe(REDACTED);
  });

  it("redacts a nested map element alone, and the provider's unmarked copy of it (tags -> tags_all)", () => {
    const change = find(redacted.resource_changes, "aws_iam_role.app").change;
    expect(change.after_sensitive.tags_all).toEqual({});
    expect(change.before.tags_all).toEqual({ team: FIXTURE_PUBLIC.team, token: REDACTED });
    expect(change.after.tags).toEqual({ team: FIXTURE_PUBLIC.team, token: REDACTED_CHANGED });
    expect(change.after.tags_all).toEqual({ team: FIXTURE_PUBLIC.team, token: REDACTED_CHANGED });
  });

  it("shows a secret that does not change as plain (sensitive) on both sides", () => {
    const change = find(redacted.resource_changes, "aws_ssm_parameter.seed").change;
    expect([change.actions, change.before.value, change.after.value]).toEqual([["no-op"], REDACTED, REDACTED]);
    expect(redacted.output_changes.seed).toMatchObject({ before: REDACTED, after: REDACTED });
  });

  it("redacts sensitive outputs, literals of sensitive attributes and provider literals", () => {
    expect(redacted.planned_values.outputs.seed.value).toBe(REDACTED);
    expect(redacted.planned_values.outputs.role.value).toBe(FIXTURE_PUBLIC.roleName);
    const seed = find(redacted.configuration.root_module.resources, "aws_ssm_parameter.seed");
    expect(seed.expressions.value.constant_value).toBe(REDACTED);
    expect(seed.expressions.name.constant_value).toBe("/fixture/seed");
    expect(redacted.configuration.provider_config.aws.expressions.secret_key.constant_value).toBe(REDACTED);
  });

  it("keeps the plan's shape: same keys, same resource changes and actions; the input is not modified", () => {
    expect(Object.keys(redacted)).toEqual(Object.keys(input));
    expect(redacted.resource_changes.map((c: any) => [c.address, c.change.actions])).toEqual(input.resource_changes.map((c: any) => [c.address, c.change.actions]));
    expect(JSON.stringify(input)).toBe(text);
  });

  it("is idempotent", () => {
    expect(redactPlan(redacted)).toEqual(redacted);
  });
});

describe("redactPlan on shapes the fixture does not cover", () => {
  const plan = (extra: Record<string, Json>): Json => ({ format_version: "1.2", terraform_version: "1.11.4", planned_values: {}, configuration: {}, ...extra });

  it("follows masks into lists, sets (lists in JSON) and maps of objects", () => {
    const value: Json = { rules: [{ cidr: "10.0.0.0/8", secret: "s3cr3t-a" }, { cidr: "10.1.0.0/16", secret: "s3cr3t-b" }], labels: { a: "x", b: "hidden-b" } };
    const mask: Json = { rules: [{ secret: true }, {}], labels: { b: true } };
    expect(applyMask(value, mask)).toEqual({ rules: [{ cidr: "10.0.0.0/8", secret: REDACTED }, { cidr: "10.1.0.0/16", secret: "s3cr3t-b" }], labels: { a: "x", b: REDACTED } });
  });

  it("redacts child modules, module-call arguments to sensitive variables, drift, deferred changes and output changes", () => {
    const redacted: any = redactPlan(
      plan({
        planned_values: { root_module: { child_modules: [{ resources: [{ address: "module.m.x.y", values: { pw: "child-secret" }, sensitive_values: { pw: true } }] }] } },
        resource_drift: [{ address: "x.d", change: { before: { k: "drift-secret" }, after: null, before_sensitive: { k: true }, after_sensitive: false } }],
        deferred_changes: [{ reason: "provider_config_unknown", resource_change: { address: "x.e", change: { after: { k: "deferred-secret" }, after_sensitive: { k: true } } } }],
        output_changes: { o: { before: "old-output-secret", after: "new-output-secret", before_sensitive: true, after_sensitive: true } },
        configuration: {
          root_module: {
            module_calls: { m: { expressions: { pw: { constant_value: "call-secret" }, name: { constant_value: "visible" } }, module: { variables: { pw: { sensitive: true } } } } },
          },
        },
      }),
    );
    const text = JSON.stringify(redacted);
    for (const secret of ["child-secret", "drift-secret", "deferred-secret", "old-output-secret", "new-output-secret", "call-secret"]) expect(text).not.toContain(secret);
    expect(redacted.configuration.root_module.module_calls.m.expressions.name.constant_value).toBe("visible");
    expect(redacted.resource_drift[0].change.before).toEqual({ k: REDACTED });
  });

  it("scrubs a redacted value embedded in a longer unmarked string, but not values shorter than 4 characters", () => {
    const redacted: any = redactPlan(
      plan({
        resource_changes: [{ address: "x.a", change: { after: { pw: "hunter22", n: "7" }, after_sensitive: { pw: true, n: true } } }],
        planned_values: { root_module: { resources: [{ address: "x.b", values: { url: "postgres://app:hunter22@db", port: "7" }, sensitive_values: {} }] } },
      }),
    );
    expect(redacted.planned_values.root_module.resources[0].values).toEqual({ url: `postgres://app:${REDACTED}@db`, port: "7" });
  });
});

describe("rejected input", () => {
  it.each([
    ["a state file", { format_version: "1.0", terraform_version: "1.11.4", values: { root_module: {} } }],
    ["a list", []],
    ["a string", "plan"],
    ["an object without planned_values", { format_version: "1.2", terraform_version: "1.11.4", configuration: {} }],
  ])("rejects %s, naming the source and what to pass", (_name, value) => {
    expect(() => assertPlanJson(value, "in.json")).toThrow(NotAPlanError);
    expect(() => redactPlan(value, "in.json")).toThrow(/^in\.json is not a terraform plan in JSON .*terraform show -json <planfile>/);
  });
});
