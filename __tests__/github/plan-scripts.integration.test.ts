/**
 * What plan-stacks.sh and apply-stacks.sh do, run for real with bash against a fake `terraform` on
 * PATH and fake tools in dist/tools (each logs its call). The fake terraform prints a secret on its
 * console, into the binary plan and into `show -json`, the way the aws provider's unmarked copies do:
 * the tests check where it ends up (only redacted files, never the job log, no plan left behind) and
 * the order of plan, verify, destroy approval and apply.
 */
import { spawnSync } from "child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

const ROOT = join(__dirname, "..", "..");
const SECRET = "s3cr3t-value";

const FAKE_TERRAFORM = `#!/usr/bin/env bash
dir="\${1#-chdir=}"; shift
stack="$(basename "$dir")"
cmd="$1"; shift
echo "terraform $stack $cmd $*" >> "$FAKE_LOG"
case "$cmd" in
  init) echo "Initializing the backend..." ;;
  plan)
    echo '  ~ tags_all = { "token" = "${SECRET}" }'
    out=""
    for a in "$@"; do case "$a" in -out=*) out="\${a#-out=}" ;; esac; done
    if [ -n "$out" ]; then printf 'binary plan ${SECRET}' > "$out"; fi
    if [[ " \${FAKE_FAILING:-} " == *" $stack "* ]]; then printf '\\nError: creating IAM Role (app): AccessDenied\\n\\n  with aws_iam_role.app,\\n'; exit 1; fi
    # A plan without -out is the check after apply: clean.
    if [ -z "$out" ]; then exit 0; fi
    exit "\${FAKE_PLAN_EXIT:-2}" ;;
  show) echo "{\\"stack\\":\\"$stack\\",\\"token\\":\\"${SECRET}\\"}" ;;
  apply) echo "applied ${SECRET}" ;;
esac
`;

const FAKE_TOOLS: Record<string, string> = {
  "stack-order.js": `console.log((process.env.FAKE_STACKS || "").split(" ").join("\\n"));`,
  "plan-redact.js": `process.stdout.write(require("fs").readFileSync(process.argv[2], "utf8").replaceAll("${SECRET}", "(sensitive)"));`,
  "plan-summary.js": `const args = process.argv.slice(2); require("fs").appendFileSync(process.env.FAKE_LOG, "plan-summary " + args.join(" ") + "\\n");
console.log("summary of " + args[args.length - 1].split("=")[0]);
process.exit(args.includes("--fail-on-destroy") ? Number(process.env.FAKE_DESTROYS || 0) : 0);`,
  "plan-verify.js": `require("fs").appendFileSync(process.env.FAKE_LOG, "plan-verify " + process.argv.slice(2).join(" ") + "\\n"); process.exit(Number(process.env.FAKE_VERIFY || 0));`,
};

/** Scripts the apply script calls that talk to GitHub: replaced by loggers. */
const FAKE_SCRIPTS: Record<string, string> = {
  "destroy-approved.sh": `#!/usr/bin/env bash\necho "destroy-approved" >> "$FAKE_LOG"\nif [ "\${FAKE_APPROVED:-0}" = 1 ]; then echo "approved by @reviewer"; else echo "no approval"; exit 1; fi\n`,
};

interface Run {
  readonly code: number;
  /** stdout and stderr: what the job log shows. */
  readonly log: string;
  /** Calls of terraform and the tools, in order. */
  readonly calls: string[];
  readonly work: string;
  readonly runnerTemp: string;
}

let work: string;

/** A workspace with a synthesized-looking cdktf.out: `remote` stacks use S3 state, `local` ones local state. */
function workspace(remote: string[], local: string[] = []): void {
  work = mkdtempSync(join(tmpdir(), "plan-scripts-"));
  cpSync(join(ROOT, ".github", "scripts"), join(work, ".github", "scripts"), { recursive: true });
  for (const [name, text] of Object.entries(FAKE_SCRIPTS)) writeFileSync(join(work, ".github", "scripts", name), text, { mode: 0o755 });
  mkdirSync(join(work, "dist", "tools"), { recursive: true });
  for (const [name, text] of Object.entries(FAKE_TOOLS)) writeFileSync(join(work, "dist", "tools", name), text);
  mkdirSync(join(work, "bin"));
  writeFileSync(join(work, "bin", "terraform"), FAKE_TERRAFORM);
  chmodSync(join(work, "bin", "terraform"), 0o755);
  for (const stack of [...remote, ...local]) {
    mkdirSync(join(work, "cdktf.out", "stacks", stack), { recursive: true });
    const backend = local.includes(stack) ? { local: { path: "x.tfstate" } } : { s3: { bucket: "b", key: stack } };
    writeFileSync(join(work, "cdktf.out", "stacks", stack, "cdk.tf.json"), JSON.stringify({ terraform: { backend } }));
  }
  mkdirSync(join(work, "runner-temp"));
}

function run(script: string, args: string[], stacks: string[], env: Record<string, string> = {}): Run {
  const log = join(work, "calls.log");
  writeFileSync(log, "");
  const result = spawnSync("bash", [join(".github", "scripts", script), ...args], {
    cwd: work,
    encoding: "utf8",
    env: { ...process.env, PATH: `${join(work, "bin")}:${process.env.PATH}`, RUNNER_TEMP: join(work, "runner-temp"), FAKE_LOG: log, FAKE_STACKS: stacks.join(" "), ...env },
  });
  return {
    code: result.status ?? -1,
    log: `${result.stdout}${result.stderr}`,
    calls: readFileSync(log, "utf8").trim().split("\n").filter(Boolean),
    work,
    runnerTemp: join(work, "runner-temp"),
  };
}

/** Every file under `dir` whose content holds the secret, as relative paths. */
function filesWithSecret(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesWithSecret(path, `${prefix}${entry.name}/`);
    return readFileSync(path, "utf8").includes(SECRET) ? [`${prefix}${entry.name}`] : [];
  });
}

afterEach(() => rmSync(work, { recursive: true, force: true }));

describe("plan-stacks.sh", () => {
  it("plans every remote-state stack read-only without the lock, writes only redacted JSON and exit codes, and skips bootstrap stacks", () => {
    workspace(["test-aws-network", "test-aws-eks"], ["test-aws-state"]);
    const result = run("plan-stacks.sh", ["test-aws", "plans"], ["test-aws-state", "test-aws-network", "test-aws-eks"]);
    expect(result.code).toBe(0);
    expect(readdirSync(join(work, "plans")).sort()).toEqual(["exit-codes.txt", "test-aws-eks.json", "test-aws-network.json"]);
    expect(JSON.parse(readFileSync(join(work, "plans", "test-aws-eks.json"), "utf8"))).toEqual({ stack: "test-aws-eks", token: "(sensitive)" });
    expect(readFileSync(join(work, "plans", "exit-codes.txt"), "utf8")).toBe("test-aws-network 2\ntest-aws-eks 2\n");
    expect(result.log).toMatch(/::notice title=test-aws-state::bootstrap stack with local state, not planned in CI/);
    const plans = result.calls.filter((c) => / plan /.test(c));
    expect(plans.map((c) => c.split(" ")[1])).toEqual(["test-aws-network", "test-aws-eks"]);
    for (const call of plans) {
      expect(call).toMatch(/ -lock=false /);
      expect(call).toMatch(/ -detailed-exitcode /);
      expect(call).toMatch(new RegExp(` -out=${join(result.runnerTemp, "plan\\.")}\\w+/tfplan$`));
    }
    // Each stack: init, plan, show, then the summary of the redacted file.
    expect(result.calls.slice(0, 4)).toEqual([
      "terraform test-aws-network init -input=false -no-color",
      expect.stringMatching(/^terraform test-aws-network plan /),
      expect.stringMatching(/^terraform test-aws-network show -json .*\/tfplan$/),
      "plan-summary --stack test-aws-network=plans/test-aws-network.json",
    ]);
  });

  it("keeps the secret out of the job log, the output and the workspace, and leaves no binary plan behind", () => {
    workspace(["test-aws-network"]);
    const result = run("plan-stacks.sh", ["test-aws", "plans"], ["test-aws-network"]);
    expect(result.code).toBe(0);
    expect(result.log).toMatch(/terraform plan test-aws-network: exit 2/);
    expect(result.log).toMatch(/summary of test-aws-network/);
    expect(result.log).not.toContain(SECRET);
    // The fakes themselves (bin/, dist/) hold it by construction.
    expect(filesWithSecret(work).filter((f) => !/^(bin|dist)\//.test(f))).toEqual([]);
    expect(readdirSync(result.runnerTemp)).toEqual([]);
  });

  it("stops at a failed plan, printing only the error diagnostics (never the plan body before them)", () => {
    workspace(["test-aws-network", "test-aws-eks"]);
    const result = run("plan-stacks.sh", ["test-aws", "plans"], ["test-aws-network", "test-aws-eks"], { FAKE_FAILING: "test-aws-network" });
    expect(result.code).toBe(1);
    expect(result.log).toMatch(/terraform plan test-aws-network: exit 1\n[\s\S]*Error: creating IAM Role \(app\): AccessDenied\n[\s\S]*with aws_iam_role\.app/);
    expect(result.log).toMatch(/::error title=test-aws-network::terraform plan failed/);
    expect(result.log).not.toContain(SECRET);
    expect(result.calls.some((c) => c.startsWith("terraform test-aws-eks"))).toBe(false);
    expect(readdirSync(result.runnerTemp)).toEqual([]);
  });
});

describe("apply-stacks.sh", () => {
  /** A reviewed plan for each stack. */
  const reviewed = (...stacks: string[]) => {
    mkdirSync(join(work, "reviewed"));
    for (const stack of stacks) writeFileSync(join(work, "reviewed", `${stack}.json`), "{}");
  };
  const kinds = (calls: string[]) => calls.map((c) => c.replace(/^terraform (\S+) (\w+).*$/, "$2 $1").replace(/^(plan-verify|plan-summary --fail-on-destroy|destroy-approved).*$/, "$1"));

  it("re-plans under the lock, verifies against the reviewed plan, applies that re-plan, then checks the plan is empty", () => {
    workspace(["test-aws-network"], ["test-aws-state"]);
    reviewed("test-aws-network");
    const result = run("apply-stacks.sh", ["test-aws", "reviewed"], ["test-aws-state", "test-aws-network"]);
    expect(result.code).toBe(0);
    expect(result.log).toMatch(/::notice title=test-aws-state::bootstrap stack with local state, applied by hand/);
    const calls = result.calls.filter((c) => !/^plan-summary --stack/.test(c));
    expect(kinds(calls)).toEqual(["init test-aws-network", "plan test-aws-network", "show test-aws-network", "plan-verify", "plan-summary --fail-on-destroy", "apply test-aws-network", "plan test-aws-network"]);
    const [replan] = calls.filter((c) => / plan /.test(c));
    expect(replan).toMatch(/ -lock-timeout=10m /);
    expect(replan).not.toMatch(/-lock=false/);
    const planFile = /-out=(\S+)/.exec(replan)![1];
    expect(calls.find((c) => / apply /.test(c))).toMatch(new RegExp(`apply -input=false -no-color -lock-timeout=10m ${planFile}$`));
    expect(calls.find((c) => c.startsWith("plan-verify"))).toMatch(/^plan-verify reviewed\/test-aws-network\.json \S+\/replan\.json$/);
    expect(result.log).not.toContain(SECRET);
    expect(readdirSync(result.runnerTemp)).toEqual([]);
  });

  it("applies nothing when the re-plan is not the reviewed plan, or no reviewed plan exists", () => {
    workspace(["test-aws-network"]);
    reviewed("test-aws-network");
    const mismatch = run("apply-stacks.sh", ["test-aws", "reviewed"], ["test-aws-network"], { FAKE_VERIFY: "1" });
    expect(mismatch.code).toBe(1);
    expect(mismatch.log).toMatch(/the re-plan is not the reviewed plan: nothing applied from here on/);
    expect(mismatch.calls.some((c) => / apply /.test(c))).toBe(false);
    rmSync(join(work, "reviewed", "test-aws-network.json"));
    const missing = run("apply-stacks.sh", ["test-aws", "reviewed"], ["test-aws-network"]);
    expect(missing.code).toBe(1);
    expect(missing.log).toMatch(/no reviewed plan exists for this stack/);
    expect(missing.calls.some((c) => / apply /.test(c))).toBe(false);
  });

  it("applies a destructive re-plan only when the destroy approval still counts", () => {
    workspace(["test-aws-network"]);
    reviewed("test-aws-network");
    const refused = run("apply-stacks.sh", ["test-aws", "reviewed"], ["test-aws-network"], { FAKE_DESTROYS: "2", PULL_REQUEST: "7" });
    expect(refused.code).toBe(1);
    expect(refused.log).toMatch(/deletes or replaces resources and the destroy approval of pull request #7 does not count \(no approval\)/);
    expect(kinds(refused.calls.filter((c) => !/^plan-summary --stack/.test(c))).slice(-2)).toEqual(["plan-summary --fail-on-destroy", "destroy-approved"]);
    expect(refused.calls.some((c) => / apply /.test(c))).toBe(false);
    const approved = run("apply-stacks.sh", ["test-aws", "reviewed"], ["test-aws-network"], { FAKE_DESTROYS: "2", FAKE_APPROVED: "1", PULL_REQUEST: "7" });
    expect(approved.code).toBe(0);
    expect(kinds(approved.calls.filter((c) => !/^plan-summary --stack/.test(c))).slice(3, 7)).toEqual(["plan-verify", "plan-summary --fail-on-destroy", "destroy-approved", "apply test-aws-network"]);
  });

  it("fails when a stack's plan after apply is not empty (a follow-up pull request plans it)", () => {
    workspace(["test-aws-network"]);
    reviewed("test-aws-network");
    writeFileSync(join(work, "bin", "terraform"), FAKE_TERRAFORM.replace('if [ -z "$out" ]; then exit 0; fi', 'if [ -z "$out" ]; then exit 2; fi'));
    const result = run("apply-stacks.sh", ["test-aws", "reviewed"], ["test-aws-network"]);
    expect(result.code).toBe(1);
    expect(result.log).toMatch(/::error title=test-aws-network::plan after apply is not empty \(exit 2\): open a follow-up pull request/);
  });
});
