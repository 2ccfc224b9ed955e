import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { run } from "../../tools/plan-redact";
import { run as summarize } from "../../tools/plan-summary";
import { FIXTURE_SECRETS } from "../../tools/sensitive-plan";

const FIXTURE = join(__dirname, "..", "fixtures", "plans", "sensitive", "test-aws-secrets.json");

async function cli(tool: typeof run, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await tool(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t + "\n") });
  return { code, out, err };
}

function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "plan-redact-")), name);
  writeFileSync(path, content);
  return path;
}

describe("plan-redact", () => {
  it("prints the redacted plan as JSON, with no secret, exit 0", async () => {
    const { code, out, err } = await cli(run, FIXTURE);
    expect([code, err]).toEqual([0, ""]);
    expect(JSON.parse(out).format_version).toBe(JSON.parse(readFileSync(FIXTURE, "utf8")).format_version);
    for (const secret of Object.values(FIXTURE_SECRETS)) expect(out).not.toContain(secret);
  });

  it("writes plan JSON that plan-summary reads and summarizes exactly as the unredacted plan", async () => {
    const redacted = tempFile("test-aws-secrets.json", (await cli(run, FIXTURE)).out);
    const before = await cli(summarize, "--format", "json", FIXTURE);
    const after = await cli(summarize, "--format", "json", redacted);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.out)).toEqual(JSON.parse(before.out));
    expect(JSON.parse(after.out).environments[0].stacks[0]).toMatchObject({ stack: "test-aws-secrets", change: 2 });
  });

  it.each([
    ["JSON that is not a plan", '{"format_version":"1.0","values":{}}', /is not a terraform plan in JSON/],
    ["a file that is not JSON", "db_password = hunter2-not-json\n", /is not JSON: pass the output of "terraform show -json <planfile>"/],
  ])("rejects %s: exit 1, one line naming the file, nothing on stdout, no stack trace, no content echoed", async (_name, content, message) => {
    const path = tempFile("in.json", content);
    const { code, out, err } = await cli(run, path);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err.trimEnd().split("\n")).toHaveLength(1);
    expect(err).toMatch(message);
    expect(err).toContain(path);
    expect(err).not.toMatch(/\bat .*\(|hunter2/);
  });

  it("rejects a missing file in one line", async () => {
    const { code, err } = await cli(run, "/nonexistent/plan.json");
    expect([code, err]).toEqual([1, "plan-redact: cannot read /nonexistent/plan.json: ENOENT\n"]);
  });

  it("rejects a missing argument and unknown options as usage errors (exit 2)", async () => {
    expect((await cli(run)).code).toBe(2);
    const unknown = await cli(run, "--in-place", FIXTURE);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/--in-place/);
  });
});
