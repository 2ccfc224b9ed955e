import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { run } from "../../tools/plan-verify";

const FIXTURES = join(__dirname, "..", "fixtures", "plans");
const mixed = join(FIXTURES, "mixed", "test-aws-app.json");

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await run(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t + "\n") });
  return { code, out, err };
}

describe("plan-verify", () => {
  it("accepts a re-plan with the reviewed change set, printing its digest", async () => {
    const { code, out } = await cli(mixed, mixed);
    expect(code).toBe(0);
    expect(out).toMatch(/change set sha256:[0-9a-f]{64} is the reviewed one/);
  });

  it("refuses a re-plan that differs: exit 1, one line naming each resource and both digests", async () => {
    const { code, out, err } = await cli(join(FIXTURES, "create", "test-aws-app.json"), mixed);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err.trimEnd().split("\n")).toHaveLength(1);
    expect(err).toMatch(/differs from the reviewed plan .*reviewed sha256:\w+, re-plan sha256:\w+\): .*aws_\w+\.\w+ (only in|actions|changed|new values)/);
    expect(err).toMatch(/nothing applied/);
  });

  it("refuses a re-plan that differs from the reviewed one only in a root output", async () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-verify-"));
    const plan = JSON.parse(readFileSync(mixed, "utf8"));
    const write = (name: string, after: string) => {
      const path = join(dir, name);
      const output = { actions: ["update"], before: "old", after, after_unknown: false, before_sensitive: false, after_sensitive: false };
      writeFileSync(path, JSON.stringify({ ...plan, output_changes: { endpoint: output } }));
      return path;
    };
    const { code, err } = await cli(write("reviewed.json", "reviewed"), write("replan.json", "not-reviewed"));
    expect(code).toBe(1);
    expect(err).toMatch(/output\.endpoint new values differ: value/);
  });

  it("rejects an input that is not plan JSON in one line", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "plan-verify-")), "x.json");
    writeFileSync(path, "{}");
    const { code, err } = await cli(path, mixed);
    expect(code).toBe(1);
    expect(err).toMatch(/is not a terraform plan in JSON/);
  });
});
