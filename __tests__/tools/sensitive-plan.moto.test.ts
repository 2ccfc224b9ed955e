import { readFileSync } from "fs";
import { join } from "path";
import { MotoServer, startMoto } from "../../tools/moto-server";
import { REDACTED, redactPlan } from "../../tools/plan-redaction";
import { FIXTURE_SECRETS, sensitivePlan } from "../../tools/sensitive-plan";

const FIXTURE = join(__dirname, "..", "fixtures", "plans", "sensitive", "test-aws-secrets.json");
/** What identifies a change without its values: the committed fixture must still match terraform. */
const shape = (plan: any) =>
  plan.resource_changes.map((c: any) => ({ address: c.address, actions: c.change.actions, before_sensitive: c.change.before_sensitive, after_sensitive: c.change.after_sensitive }));

describe("plan redaction on a plan terraform makes now (terraform 1.11 + hashicorp/aws 5.100.0 against moto)", () => {
  let moto: MotoServer;
  let plan: any;
  beforeAll(async () => {
    moto = await startMoto();
    plan = await sensitivePlan(moto.endpoint, "eu-west-1");
  }, 120_000);
  afterAll(() => moto?.stop());

  it("terraform writes every fixture secret into the plan JSON in plain text", () => {
    const text = JSON.stringify(plan);
    for (const secret of Object.values(FIXTURE_SECRETS)) expect(text).toContain(secret);
  });

  it("redaction leaves none of them, and marks where they were", () => {
    const text = JSON.stringify(redactPlan(plan));
    for (const secret of Object.values(FIXTURE_SECRETS)) expect(text).not.toContain(secret);
    expect(text).toContain(REDACTED);
  });

  it("the committed fixture the unit tests use still has the shape terraform produces (else run npm run plan-fixtures)", () => {
    expect(shape(plan)).toEqual(shape(JSON.parse(readFileSync(FIXTURE, "utf8"))));
  });
});
