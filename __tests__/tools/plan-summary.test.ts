import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { planFiles, run, stackFromFileName } from "../../tools/plan-summary";

/** Plans produced by real terraform against moto_server: `npm run plan-fixtures` regenerates them. */
const fixture = (kind: "create" | "noop" | "mixed" | "stateless") => join(__dirname, "..", "fixtures", "plans", kind, "test-aws-app.json");
/** The sensitive SSM parameter value the "stateless" fixture sets (tools/e2e/plan-fixtures.ts). */
const SENSITIVE_VALUE = "fixture-rotated-value-3";

async function summarize(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await run(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t + "\n") });
  return { code, out, err };
}

function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "plan-summary-")), name);
  writeFileSync(path, content);
  return path;
}

describe("plan-summary over real terraform plans", () => {
  it("lists a first apply as creates only, with nothing destructive", async () => {
    const { code, out } = await summarize("--format", "json", fixture("create"));
    const summary = JSON.parse(out);
    expect(code).toBe(0);
    const [stack] = summary.environments[0].stacks;
    expect(stack).toMatchObject({ stack: "test-aws-app", add: 5, change: 0, destroy: 0, replace: 0, errored: false });
    expect(stack.changes.every((c: { kind: string }) => c.kind === "create")).toBe(true);
    expect(summary.destructive).toEqual([]);
  });

  it("lists every change of a mixed plan: updated attribute paths, replacements with the forcing attribute, deletes with the reason", async () => {
    const summary = JSON.parse((await summarize("--format", "json", fixture("mixed"))).out);
    const [stack] = summary.environments[0].stacks;
    expect(stack).toMatchObject({ add: 1, change: 1, destroy: 1, replace: 2 });
    const byAddress = Object.fromEntries(stack.changes.map((c: { address: string }) => [c.address, c]));
    expect(byAddress["aws_cloudwatch_log_group.audit"].kind).toBe("create");
    expect(byAddress["aws_iam_role.ci"]).toMatchObject({ kind: "update" });
    expect(byAddress["aws_iam_role.ci"].attributes.map((a: { path: string }) => a.path)).toEqual(["tags.team", "tags_all.team"]);
    expect(byAddress["aws_ecr_repository.repository"].attributes).toEqual([{ path: "name", sensitive: false, knownAfterApply: false }]);
    expect(summary.destructive).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ address: "aws_cloudwatch_log_group.legacy", action: "delete", risk: "stateful", reason: "removed from the configuration", blocking: true }),
        expect.objectContaining({ address: "aws_ecr_repository.repository", action: "replace", risk: "stateful", forcedBy: ["name"], blocking: true }),
        expect.objectContaining({ address: "aws_ecr_lifecycle_policy.keep", action: "replace", risk: "stateless", forcedBy: ["repository"], blocking: false }),
      ]),
    );
    expect(summary.destructive).toHaveLength(3);
  });

  it("--fail-on-destroy exits 2 for deletes and stateful replacements, 0 when only stateless resources are replaced", async () => {
    expect((await summarize("--fail-on-destroy", fixture("mixed"))).code).toBe(2);
    expect((await summarize("--fail-on-destroy", "--format", "json", fixture("mixed"))).code).toBe(2);
    const stateless = await summarize("--fail-on-destroy", fixture("stateless"));
    expect(stateless.code).toBe(0);
    expect(stateless.out).toContain("| test-aws-app | `aws_ecr_lifecycle_policy.keep` | replace | **stateless**: a policy document, re-created from code | `policy` |");
    expect(stateless.out).toMatch(/stateless replacements re-create configuration from code and lose no data/);
    expect((await summarize("--fail-on-destroy", fixture("create"))).code).toBe(0);
  });

  it("marks a changed sensitive attribute and never prints its value", async () => {
    const md = (await summarize(fixture("stateless"))).out;
    const json = (await summarize("--format", "json", fixture("stateless"))).out;
    expect(readFileSync(fixture("stateless"), "utf8")).toContain(SENSITIVE_VALUE);
    expect(md).toMatch(/update `aws_ssm_parameter.setting`: .*`value` \(sensitive\)/);
    expect(md).not.toContain(SENSITIVE_VALUE);
    expect(json).not.toContain(SENSITIVE_VALUE);
  });

  it("accepts a plan whose sensitive values were replaced by a placeholder (plan-redact's output)", async () => {
    const plan = JSON.parse(readFileSync(fixture("stateless"), "utf8"));
    for (const rc of plan.resource_changes) {
      for (const side of ["before", "after"] as const) {
        const mask = rc.change[`${side}_sensitive`] ?? {};
        for (const key of Object.keys(mask)) if (mask[key] === true && rc.change[side]) rc.change[side][key] = "(sensitive)";
      }
    }
    const { code, out } = await summarize("--fail-on-destroy", "--stack", `test-aws-app=${tempFile("redacted.json", JSON.stringify(plan))}`);
    expect(code).toBe(0);
    expect(out).toContain("| test-aws-app | 0 | 1 | 0 | 1 |");
    expect(out).not.toContain(SENSITIVE_VALUE);
  });

  it("renders one table per environment, production first, and says which production stacks change", async () => {
    const { code, out } = await summarize("--stack", `prod-azure-app=${fixture("mixed")}`, fixture("noop"));
    expect(code).toBe(0);
    expect(out).toMatch(/\*\*Production affected: yes\*\* \(prod-azure-app\)/);
    expect(out.indexOf("### prod-azure (production)")).toBeLessThan(out.indexOf("### test-aws"));
    expect(out).toContain("| prod-azure-app | 1 | 1 | 1 | 2 |");
    expect(out).toContain("| test-aws-app | 0 | 0 | 0 | 0 |");
    expect(out).toContain("<details><summary>prod-azure-app: 1 to add, 1 to change, 2 to replace, 1 to destroy</summary>");
    expect(out).not.toContain("<summary>test-aws-app");
  });

  it("says production is not affected when the production plan is empty", async () => {
    const { out } = await summarize("--stack", `prod-azure-app=${fixture("noop")}`);
    expect(out).toMatch(/\*\*Production affected: no\*\*/);
    expect(out).toMatch(/No resource is deleted or replaced\./);
  });
});

describe("plan-summary arguments and input", () => {
  it.each([
    [[], /no plan files given/],
    [["--format", "html", "x.json"], /--format "html" is not one of md, json/],
    [["--format"], /--format/],
    [["--stack", "nopath", "x.json"], /--stack must be name=path, got "nopath"/],
    [["--verbose", "x.json"], /unknown option --verbose/],
    [["plan.json"], /stack name "plan" is not <env>-<cloud>-<unit>/],
    [["--stack", `test-aws-app=${fixture("noop")}`, fixture("noop")], /stack "test-aws-app" is given twice/],
    [["/nonexistent/test-aws-x.json"], /cannot read plan file \/nonexistent\/test-aws-x\.json: ENOENT/],
  ])("%j is rejected with one line and exit 1", async (argv, message) => {
    const { code, err, out } = await summarize(...(argv as string[]));
    expect(code).toBe(1);
    expect(err).toMatch(message);
    expect(err.trim().split("\n")).toHaveLength(1);
    expect(out).toBe("");
  });

  it.each([
    ["JSON that is not a plan", JSON.stringify({ hello: "world" }), /test-aws-x\.json is not a terraform plan in JSON/],
    ["a JSON array", "[]", /is not a terraform plan in JSON/],
    ["text", "Plan: 1 to add", /is not JSON: pass the output of "terraform show -json <planfile>"/],
    ["malformed resource_changes", JSON.stringify({ format_version: "1.2", resource_changes: [{ address: "x" }] }), /malformed resource_changes/],
  ])("rejects %s in one line", async (_what, content, message) => {
    const { code, err } = await summarize(tempFile("test-aws-x.json", content));
    expect(code).toBe(1);
    expect(err).toMatch(message);
    expect(err.trim().split("\n")).toHaveLength(1);
  });

  it("--help documents the formats, the risk classes and the exit codes, and exits 0", async () => {
    const { code, out } = await summarize("--help");
    expect(code).toBe(0);
    for (const text of ["--format md|json", "--fail-on-destroy", "--stack name=path", "stateless", "stateful", "exit codes", "plan-redact"]) expect(out).toContain(text);
  });

  it("takes the stack name from the file name", async () => {
    expect(stackFromFileName("plans/test-aws-network.plan.json")).toBe("test-aws-network");
    expect(stackFromFileName("prod-azure-vpn.json")).toBe("prod-azure-vpn");
    expect(planFiles(["prod-azure-aks=a=b.json"], [])).toEqual([{ stack: "prod-azure-aks", path: "a=b.json" }]);
  });
});
