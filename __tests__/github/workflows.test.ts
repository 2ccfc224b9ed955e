import { execFileSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { dirname, join } from "path";
import { parse } from "yaml";
import { loadEnvironments } from "../../environments";
import { ciRoles } from "../../stacks/aws/ci-stack";
import { githubEnvironments } from "../../stacks/azure/ci-stack";
import { INPUT_RUNNER, MATRIX_RUNNER, RunnersByEnvironment, runnerMismatches } from "../../tools/workflow-runners";

const ROOT = join(__dirname, "..", "..");
const WORKFLOWS = join(ROOT, ".github", "workflows");
const YAML = /\.ya?ml$/;
const ACTION_METADATA = /^action\.ya?ml$/;
const files = readdirSync(WORKFLOWS).filter((f) => YAML.test(f));
const read = (file: string) => readFileSync(join(WORKFLOWS, file), "utf8");
const workflow = (file: string): any => parse(read(file));
const script = (name: string) => readFileSync(join(ROOT, ".github", "scripts", name), "utf8");
const scripts = readdirSync(join(ROOT, ".github", "scripts")).filter((f) => f.endsWith(".sh"));
/** Every line that runs `terraform plan` or `terraform apply`, as "file: line". */
const terraformRuns = (name: string, text: string) =>
  text
    .split("\n")
    .filter((line) => /\bterraform(\s+-chdir=\S+)?\s+(plan|apply)\s+-/.test(line))
    .map((line) => `${name}: ${line.trim()}`);

/** Repository-relative paths of the files under `dir` (at any depth) whose name matches, sorted. */
function filesUnder(root: string, dir: string, name: RegExp): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { withFileTypes: true })
    .flatMap((entry) => {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return filesUnder(root, path, name);
      return entry.isFile() && name.test(entry.name) ? [path] : [];
    })
    .sort();
}

/**
 * What the pin check scans: every .yml/.yaml under .github/workflows and every action.yml/.yaml
 * under .github/actions, at any depth, so a new workflow or action cannot slip past it by its
 * extension or folder.
 */
function pinCheckedFiles(root: string): string[] {
  return [...filesUnder(root, ".github/workflows", YAML), ...filesUnder(root, ".github/actions", ACTION_METADATA)];
}

/** Every file the pin check scans, as repository-relative path -> text. */
const actionFiles: Record<string, string> = Object.fromEntries(pinCheckedFiles(ROOT).map((path) => [path, readFileSync(join(ROOT, path), "utf8")]));

const PINNED = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40} # v\d+(\.\d+)*$/;

/**
 * Every `uses:` of a third-party action that is not pinned to a full commit SHA with its version as
 * a comment, as "file:line: uses: ..." (local actions and reusable workflows of this repository are
 * pinned by the checkout itself).
 */
function unpinnedUses(text: string, file: string): string[] {
  return text.split("\n").flatMap((line, i) => {
    const match = /^\s*(?:-\s+)?uses:\s*(.+?)\s*$/.exec(line);
    if (!match || match[1].startsWith("./")) return [];
    return PINNED.test(match[1]) ? [] : [`${file}:${i + 1}: uses: ${match[1]} (pin a full commit SHA and add "# v<version>")`];
  });
}

/** The `path:` of every upload-artifact step in a workflow. */
function uploadPaths(doc: any): string[] {
  return Object.values(doc.jobs ?? {}).flatMap((job: any) =>
    (job.steps ?? []).filter((s: any) => /actions\/upload-artifact@/.test(s.uses ?? "")).map((s: any) => String(s.with?.path ?? "")),
  );
}

describe("GitHub Actions workflows", () => {
  it("include the PR, review, apply and drift workflows (workflows.integration.test.ts lints every workflow file)", () => {
    expect(files).toEqual(expect.arrayContaining(["apply-environment.yml", "apply.yml", "drift.yml", "pr.yml", "review.yml"]));
  });

  describe("supply chain", () => {
    it.each(Object.keys(actionFiles))("%s pins every third-party action by full commit SHA with its version", (path) => {
      expect(unpinnedUses(actionFiles[path], path)).toEqual([]);
    });

    it("the pin check scans at least every workflow and the setup action", () => {
      expect(Object.keys(actionFiles)).toEqual(
        expect.arrayContaining([
          ".github/workflows/apply-environment.yml",
          ".github/workflows/apply.yml",
          ".github/workflows/drift.yml",
          ".github/workflows/pr.yml",
          ".github/workflows/review.yml",
          ".github/actions/setup/action.yml",
        ]),
      );
    });

    it("the pin check finds .yaml workflows, nested folders and action.yaml at any depth, and nothing else", () => {
      const root = mkdtempSync(join(tmpdir(), "pin-check-"));
      const scanned = [
        ".github/workflows/a.yml",
        ".github/workflows/b.yaml",
        ".github/workflows/nested/c.yml",
        ".github/actions/setup/action.yml",
        ".github/actions/group/inner/action.yaml",
      ];
      for (const path of [...scanned, ".github/workflows/README.md", ".github/actions/setup/other.yml", ".github/scripts/x.yml"]) {
        mkdirSync(join(root, dirname(path)), { recursive: true });
        writeFileSync(join(root, path), "steps: []\n");
      }
      expect(pinCheckedFiles(root)).toEqual([
        ".github/workflows/a.yml",
        ".github/workflows/b.yaml",
        ".github/workflows/nested/c.yml",
        ".github/actions/group/inner/action.yaml",
        ".github/actions/setup/action.yml",
      ]);
      rmSync(root, { recursive: true, force: true });
    });

    it("the pin check names the file and line of a tag, a branch, a short SHA or a missing version", () => {
      const text = [
        "steps:",
        "  - uses: actions/checkout@v4",
        "  - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0",
        "  - uses: some/action@main",
        "  - uses: some/action@11d5960",
        "  - uses: some/action@11d5960a326750d5838078e36cf38b85af677262",
        "  - uses: ./.github/actions/setup",
      ].join("\n");
      expect(unpinnedUses(text, "x.yml").map((f) => f.split(": uses")[0])).toEqual(["x.yml:2", "x.yml:4", "x.yml:5", "x.yml:6"]);
    });

    it("install from the lockfile with install scripts off, then run only the allow-listed ones", () => {
      const setup = actionFiles[".github/actions/setup/action.yml"];
      expect(setup).toMatch(/npm ci --ignore-scripts/);
      expect(setup).toMatch(/INSTALL_SCRIPTS_ALLOWED: esbuild\n/);
      expect(setup).toMatch(/npm rebuild \$INSTALL_SCRIPTS_ALLOWED/);
      for (const text of Object.values(actionFiles)) expect(text).not.toMatch(/npm install(?! -g)/);
    });

    it("never persist the checkout's token in .git/config for later steps", () => {
      for (const file of files) {
        for (const job of Object.values(workflow(file).jobs ?? {}) as any[]) {
          for (const step of (job.steps ?? []).filter((s: any) => /actions\/checkout@/.test(s.uses ?? ""))) expect(step.with?.["persist-credentials"]).toBe(false);
        }
      }
    });
  });

  describe("no secret in any artifact", () => {
    it("upload only plans/ (redacted JSON): never a binary plan, cdktf.out or state", () => {
      for (const file of files) {
        for (const path of uploadPaths(workflow(file))) expect(path.trim()).toBe("plans/");
      }
    });

  });

  describe("no terraform console output in any job log", () => {
    const CONSOLE = /^[^:]+: \(umask 077 && terraform -chdir="\$dir" (plan|apply) [^\n]*> "\$scratch\/console\.log" 2>&1\) \|\| \w+=\$\?$/;

    it("every terraform plan and apply writes its console output to a 0600 file in the scratch dir, never to the log", () => {
      const runs = scripts.flatMap((name) => terraformRuns(name, script(name)));
      expect(runs.length).toBeGreaterThanOrEqual(3);
      for (const run of runs) expect(run).toMatch(CONSOLE);
      for (const file of Object.keys(actionFiles)) expect(terraformRuns(file, actionFiles[file])).toEqual([]);
    });

    it("the check catches a plan or apply that prints to the log", () => {
      const text = ['terraform -chdir="$dir" plan -input=false -out="$scratch/tfplan" || status=$?', '  terraform -chdir="$dir" apply -input=false "$scratch/tfplan"', 'echo "terraform plan failed"'].join("\n");
      expect(terraformRuns("x.sh", text).filter((run) => !CONSOLE.test(run))).toHaveLength(2);
    });

    it("tf_errors prints the error diagnostics of a console log and nothing before them", () => {
      // One definition, in the file both scripts source (plan-scripts.test.ts runs them).
      const definition = /^tf_errors\(\) \{.*\}$/m.exec(script("redacted-plan.sh"))?.[0];
      expect(scripts.filter((name) => /^tf_errors\(\)/m.test(script(name)))).toEqual(["redacted-plan.sh"]);
      const dir = mkdtempSync(join(tmpdir(), "tf-errors-"));
      try {
        const log = join(dir, "console.log");
        writeFileSync(
          log,
          ['  # aws_iam_role.app will be updated in-place', '      ~ tags_all = { "token" = "s3cr3t-value" }', "", "Error: creating IAM Role (app): AccessDenied", "", "  with aws_iam_role.app,", ""].join("\n"),
        );
        const out = execFileSync("bash", ["-c", `${definition}\ntf_errors "$1"`, "tf_errors", log], { encoding: "utf8" });
        expect(out).toMatch(/^Error: creating IAM Role \(app\): AccessDenied\n/);
        expect(out).toMatch(/with aws_iam_role\.app/);
        expect(out).not.toMatch(/s3cr3t/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("pull request code never holds write access", () => {
    const pr = workflow("pr.yml");

    it("runs on pull_request (fork tokens read-only, no secrets), never pull_request_target", () => {
      expect(Object.keys(pr.on)).toEqual(["pull_request"]);
      expect(pr.permissions).toEqual({ contents: "read" });
    });

    it("no job may write to the repository, pull requests, issues or statuses", () => {
      for (const job of Object.values(pr.jobs) as any[]) {
        for (const [scope, level] of Object.entries(job.permissions ?? {})) expect([scope, level]).toEqual([scope, scope === "id-token" ? "write" : "read"]);
      }
    });

    it("plans only branches of this repository (forks never meet a cloud identity)", () => {
      expect(pr.jobs.plan.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    });

    it.each(["pr.yml", "drift.yml"])("%s: a plan that runs without an environment gets only the test organisation's Datadog keys; production's only inside an environment", (file) => {
      const doc = workflow(file);
      const entries = Object.values(doc.jobs).flatMap((job: any) => (job.env?.DD_API_KEY ? job.strategy.matrix.include.map((m: any) => ({ job, m })) : []));
      expect(entries.length).toBeGreaterThanOrEqual(2);
      for (const { job, m } of entries) {
        expect([job.env.DD_API_KEY, job.env.DD_APP_KEY]).toEqual(["${{ secrets[matrix.datadog-api-key] }}", "${{ secrets[matrix.datadog-app-key] }}"]);
        expect(job.environment).toBe("${{ matrix.gate }}");
        const keys = [m["datadog-api-key"], m["datadog-app-key"]];
        if (m.gate) expect([m.environment, keys]).toEqual([m.environment, [expect.not.stringMatching(/TEST/), expect.not.stringMatching(/TEST/)]]);
        else expect([m.environment, keys]).toEqual([m.environment, [expect.stringMatching(/^DD_TEST_/), expect.stringMatching(/^DD_TEST_/)]]);
      }
      // Any other way to name a Datadog secret would bypass the matrix's choice.
      expect(read(file).match(/secrets\.DD_\w+/g) ?? []).toEqual([]);
    });

    it("plans production only in the prod-azure-plan environment (required reviewers); test-aws at once", () => {
      expect(pr.jobs.plan.environment).toBe("${{ matrix.gate }}");
      expect(pr.jobs.plan.strategy.matrix.include).toEqual([
        expect.objectContaining({ environment: "test-aws", gate: "" }),
        expect.objectContaining({ environment: "prod-azure", gate: "prod-azure-plan" }),
      ]);
    });

    it("uses the read-only plan identities and Datadog key, and plans without the state lock", () => {
      const text = read("pr.yml");
      expect(text).toMatch(/AWS_PLAN_ROLE_ARN/);
      expect(text).not.toMatch(/APPLY|secrets\.DD_APP_KEY/);
      expect(pr.jobs.plan.env.DD_APP_KEY).toBe("${{ secrets[matrix.datadog-app-key] }}");
      for (const entry of pr.jobs.plan.strategy.matrix.include) expect(entry["datadog-app-key"]).toMatch(/^DD_(TEST_)?PLAN_APP_KEY$/);
    });
  });

  describe("plan review and the destroy gate run the base branch's code", () => {
    const review = workflow("review.yml");

    it("triggers on the finished PR workflow and on label changes, and checks out the default branch only", () => {
      expect(Object.keys(review.on).sort()).toEqual(["pull_request_target", "workflow_run"]);
      const checkouts = review.jobs.review.steps.filter((s: any) => /actions\/checkout@/.test(s.uses ?? ""));
      expect(checkouts.map((s: any) => s.with.ref)).toEqual(["${{ github.event.repository.default_branch }}"]);
    });

    it("counts destroy-approved through the label events (author, commit authors and committers, bots and stale approvals excluded) and write access", () => {
      const text = script("destroy-approved.sh");
      expect(text).toMatch(/issues\/\$\{PULL_REQUEST\}\/events" --paginate/);
      expect(text).toMatch(/pulls\/\$\{PULL_REQUEST\}\/commits" --paginate --jq '\.\[\]' > "\$work\/commits\.jsonl"/);
      expect(text).toMatch(/destroy-approval\.js --author "\$author" --commits "\$work\/commits\.jsonl" --since "\$planned_at"/);
      expect(text).toMatch(/collaborators\/\$\{decision\}\/permission/);
      expect(text).toMatch(/actions\/runs\/\$\{PLAN_RUN_ID\}" --jq \.run_started_at/);
      const review = script("review-plan.sh");
      expect(review).toMatch(/decision="\$\(PULL_REQUEST="\$pr" PLAN_RUN_ID="\$RUN_ID" \.github\/scripts\/destroy-approved\.sh\)" \|\| verdict=\$\?\nif \[ "\$verdict" -ne 0 \]; then\n\s+gate failure/);
      expect(review).toMatch(/context=destroy-gate/);
    });
  });

  describe("what was reviewed is what gets applied", () => {
    // The order re-plan, verify, destroy approval, apply is run for real in plan-scripts.test.ts.
    it("re-plans and applies inside the environment-protected job", () => {
      const reusable = workflow("apply-environment.yml");
      expect(reusable.jobs.apply.environment).toBe("${{ inputs.environment }}");
      expect(reusable.jobs.apply.steps.filter((s: any) => /apply-stacks\.sh/.test(s.run ?? ""))).toHaveLength(1);
    });

    it("hands the apply job what it needs to check the pull request's destroy approval again", () => {
      const reusable = workflow("apply-environment.yml");
      const step = reusable.jobs.apply.steps.find((s: any) => /apply-stacks\.sh/.test(s.run ?? ""));
      expect(step.env).toMatchObject({ PULL_REQUEST: "${{ inputs.pull-request }}", PLAN_RUN_ID: "${{ inputs.plan-run-id }}", GH_TOKEN: "${{ github.token }}" });
      for (const job of ["test-aws", "prod-azure"]) expect(workflow("apply.yml").jobs[job].with["pull-request"]).toBe("${{ needs.reviewed-plan.outputs.pull-request }}");
    });

    it("applies production only after test, one apply at a time, runs queued not cancelled", () => {
      const apply = workflow("apply.yml");
      expect(apply.concurrency).toEqual({ group: "apply", "cancel-in-progress": false });
      expect(apply.jobs["prod-azure"].needs).toEqual(["reviewed-plan", "test-aws"]);
      expect(read("apply.yml")).toMatch(/commits\/main" --jq \.sha\)"\n\s+if \[ "\$head" != "\$GITHUB_SHA" \]/);
    });

    it("never handles a site-to-site key: Azure Resource Manager resolves each connection's Key Vault reference, so no step reads the vault", () => {
      expect(existsSync(join(ROOT, ".github/scripts/set-vpn-shared-keys.sh"))).toBe(false);
      for (const text of [...files.map(read), ...scripts.map(script)]) expect(text).not.toMatch(/set-vpn-shared-keys|az keyvault secret|sharedkey/i);
      for (const file of files.filter((f) => f !== "apply-environment.yml")) expect(read(file)).not.toMatch(/apply-stacks/);
    });
  });

  it("run plans and applies in exactly the GitHub environments the CI identities trust", () => {
    const { testAws, prodAzure } = loadEnvironments();
    const gates = (file: string, job: string) => workflow(file).jobs[job].strategy.matrix.include.map((m: any) => m.gate).filter(Boolean);
    expect(gates("pr.yml", "plan")).toEqual([githubEnvironments(prodAzure).plan]);
    expect(gates("drift.yml", "detect")).toEqual([githubEnvironments(prodAzure).drift]);
    const applied = ["test-aws", "prod-azure"].map((job) => workflow("apply.yml").jobs[job].with.environment);
    expect(applied).toEqual([`${testAws.name}-aws`, githubEnvironments(prodAzure).apply]);
    expect(ciRoles(testAws).apply.name).toBe(`${testAws.name}-ci-apply`);
  });

  describe("runs-on matches ci.runners of each environment", () => {
    const { testAws, prodAzure } = loadEnvironments();
    const expected: RunnersByEnvironment = {
      [`${testAws.name}-aws`]: { runners: testAws.ci.runners, configFile: "environments/test-aws.ts" },
      [`${prodAzure.name}-azure`]: { runners: prodAzure.ci.runners, configFile: "environments/prod-azure.ts" },
    };
    const workflowFiles = files.map((file) => ({ path: `.github/workflows/${file}`, text: read(file) }));

    it("every job that holds a cloud identity runs on its environment's plan or apply runners", () => {
      expect(runnerMismatches(workflowFiles, expected)).toEqual([]);
    });

    it("the check covers the plan, drift and apply jobs of both environments (it is not vacuous)", () => {
      expect(workflow("pr.yml").jobs.plan["runs-on"]).toBe(MATRIX_RUNNER);
      expect(workflow("drift.yml").jobs.detect["runs-on"]).toBe(MATRIX_RUNNER);
      expect(workflow("apply-environment.yml").jobs.apply["runs-on"]).toBe(INPUT_RUNNER);
      const environments = ["pr.yml", "drift.yml"].flatMap((f) => Object.values(workflow(f).jobs).flatMap((job: any) => (job.strategy?.matrix?.include ?? []).map((m: any) => m.environment)));
      expect(new Set(environments)).toEqual(new Set(Object.keys(expected)));
    });

    it("names file, line, the expected labels and the fix for a label mismatch, a hosted label and a missing runner input", () => {
      const pr = read("pr.yml").replace("runner: [prod-azure-plan]", "runner: [prod-azure-apply]");
      const drift = read("drift.yml").replace("runs-on: ${{ matrix.runner }}", "runs-on: ubuntu-22.04");
      const apply = read("apply.yml").replace(`runner: '["test-aws-apply"]'\n`, "");
      const problems = runnerMismatches(
        [
          { path: ".github/workflows/pr.yml", text: pr },
          { path: ".github/workflows/drift.yml", text: drift },
          { path: ".github/workflows/apply.yml", text: apply },
          { path: ".github/workflows/apply-environment.yml", text: read("apply-environment.yml") },
        ],
        expected,
      );
      const line = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;
      expect(problems).toEqual([
        `.github/workflows/pr.yml:${line(pr, "runner: [prod-azure-apply]")}: job plan runs prod-azure on ["prod-azure-apply"], expected ["prod-azure-plan"]; set runner: ["prod-azure-plan"] (ci.runners.plan.labels in environments/prod-azure.ts)`,
        `.github/workflows/drift.yml:${line(drift, "runs-on: ubuntu-22.04")}: job detect holds a cloud identity but runs on "ubuntu-22.04"; use runs-on: \${{ matrix.runner }} with each matrix entry's runner set to ci.runners.plan.labels of its environment`,
        `.github/workflows/apply.yml:${line(apply, "environment: test-aws")}: job test-aws runs test-aws on no runner input, expected ["test-aws-apply"]; set with.runner: '["test-aws-apply"]' (ci.runners.apply.labels in environments/test-aws.ts)`,
      ]);
    });
  });

  it("authenticate to the clouds with OIDC only: no static keys or client secrets anywhere", () => {
    for (const text of Object.values(actionFiles)) {
      expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY|client-secret|ARM_CLIENT_SECRET|creds:/);
    }
    for (const file of files) {
      const text = read(file);
      if (/configure-aws-credentials|azure\/login/.test(text)) expect(text).toMatch(/id-token: write/);
      if (/configure-aws-credentials/.test(text)) expect(text).toMatch(/role-to-assume:/);
    }
  });

  it("detect drift nightly with -detailed-exitcode and report it in an issue", () => {
    const drift = read("drift.yml");
    expect(drift).toMatch(/schedule:\n\s+- cron:/);
    expect(drift).toMatch(/plan-stacks\.sh/);
    expect(drift).toMatch(/gh issue create/);
  });
});
