import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { parseArgs, run, stackFromFileName } from "../../tools/plan-summary";

/** Plans produced by real terraform against moto_server: `npm run plan-fixtures` regenerates them. */
const fixture = (kind: "create" | "noop" | "mixed") => join(__dirname, "..", "fixtures", "plans", kind, "test-aws-app.json");

function summarize(...argv: string[]): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const code = run(argv, (t) => (out += t), (t) => (err += t));
  return { code, out, err };
}

describe("plan-summary over real terraform plans", () => {
  it("counts a first apply as adds only, with nothing destructive", () => {
    const { code, out } = summarize("--format", "json", fixture("create"));
    const summary = JSON.parse(out);
    expect(code).toBe(0);
    expect(summary.environments).toEqual([
      { environment: "test-aws", production: false, stacks: [{ stack: "test-aws-app", add: 3, change: 0, destroy: 0, replace: 0, errored: false }] },
    ]);
    expect(summary.destructive).toEqual([]);
    expect(summary.productionAffected).toEqual([]);
  });

  it("reports the replacement with the attribute forcing it, the delete with its reason, and counts the rest", () => {
    const summary = JSON.parse(summarize("--format", "json", fixture("mixed")).out);
    expect(summary.environments[0].stacks[0]).toEqual({ stack: "test-aws-app", add: 1, change: 1, destroy: 1, replace: 1, errored: false });
    expect(summary.destructive).toEqual([
      { stack: "test-aws-app", address: "aws_cloudwatch_log_group.legacy", action: "delete", forcedBy: [], reason: "removed from the configuration" },
      { stack: "test-aws-app", address: "aws_ecr_repository.repository", action: "replace", forcedBy: ["name"], reason: "an attribute cannot be updated in place" },
    ]);
  });

  it("renders markdown with one table per environment, production first, and the warning section", () => {
    const { code, out } = summarize("--stack", `prod-azure-app=${fixture("mixed")}`, fixture("noop"));
    expect(code).toBe(0);
    expect(out).toMatch(/\*\*Production affected: yes\*\* \(prod-azure-app\)/);
    expect(out.indexOf("### prod-azure (production)")).toBeLessThan(out.indexOf("### test-aws"));
    expect(out).toContain("| prod-azure-app | 1 | 1 | 1 | 1 |");
    expect(out).toContain("| test-aws-app | 0 | 0 | 0 | 0 |");
    expect(out).toContain("| prod-azure-app | `aws_ecr_repository.repository` | replace | `name` | an attribute cannot be updated in place |");
    expect(out).toContain("| prod-azure-app | `aws_cloudwatch_log_group.legacy` | delete | - | removed from the configuration |");
  });

  it("says production is not affected when the production plan is empty", () => {
    const { out } = summarize("--stack", `prod-azure-app=${fixture("noop")}`);
    expect(out).toMatch(/\*\*Production affected: no\*\*/);
    expect(out).toMatch(/No resource is deleted or replaced\./);
  });

  it("--fail-on-destroy exits 2 only when something is deleted or replaced", () => {
    expect(summarize("--fail-on-destroy", fixture("mixed")).code).toBe(2);
    expect(summarize("--fail-on-destroy", "--format", "json", fixture("mixed")).code).toBe(2);
    expect(summarize("--fail-on-destroy", fixture("create")).code).toBe(0);
  });
});

describe("plan-summary arguments", () => {
  it.each([
    [[], /no plan files given/],
    [["--format", "html", "x.json"], /--format must be md or json, got "html"/],
    [["--format"], /--format needs a value/],
    [["--stack", "nopath", "x.json"], /--stack must be name=path, got "nopath"/],
    [["--verbose", "x.json"], /unknown option --verbose/],
    [["plan.json"], /stack name "plan" is not <env>-<cloud>-<unit>/],
    [["--stack", `test-aws-app=${fixture("noop")}`, fixture("noop")], /stack "test-aws-app" is given twice/],
    [["/nonexistent/test-aws-x.json"], /cannot read plan file \/nonexistent\/test-aws-x\.json/],
  ])("%j is rejected with a clear message and exit 1", (argv, message) => {
    const { code, err, out } = summarize(...(argv as string[]));
    expect(code).toBe(1);
    expect(err).toMatch(message);
    expect(out).toBe("");
  });

  it("rejects a JSON file that is not a terraform plan", () => {
    const path = join(mkdtempSync(join(tmpdir(), "plan-summary-")), "test-aws-x.json");
    writeFileSync(path, JSON.stringify({ hello: "world" }));
    const { code, err } = summarize(path);
    expect(code).toBe(1);
    expect(err).toMatch(/is not a terraform plan in JSON/);
  });

  it("takes the stack name from the file name", () => {
    expect(stackFromFileName("plans/test-aws-network.plan.json")).toBe("test-aws-network");
    expect(stackFromFileName("prod-azure-vpn.json")).toBe("prod-azure-vpn");
    expect(parseArgs(["--stack", "prod-azure-aks=a=b.json"]).plans).toEqual([{ stack: "prod-azure-aks", path: "a=b.json" }]);
  });
});
