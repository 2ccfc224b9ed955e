/**
 * Do the workflows' `runs-on` match the runners config places (`ci.runners` of each environment)?
 *
 * A job that holds a cloud identity (`id-token: write`) must run where its environment's runners
 * are, because only those reach the allow-listed APIs and only those sit in the runner group
 * meant for that job kind: plan jobs (pull-request code, drift) on `ci.runners.plan.labels`, apply
 * jobs on `ci.runners.apply.labels`. Jobs take the labels from a matrix entry (`runner`, next to
 * its `environment`) or, in a reusable workflow, from the `runner` input its caller passes as JSON;
 * a literal label there (a GitHub-hosted `ubuntu-*` above all) is a mismatch. Each mismatch names
 * file, line, the expected labels and the fix.
 */
import { Document, isMap, isSeq, LineCounter, parseDocument, YAMLMap } from "yaml";
import { CiRunners } from "../constructs/core/ci-runners";

/** `ci.runners` of each environment, keyed by its workflow name (`<name>-<cloud>`, e.g. test-aws). */
export type RunnersByEnvironment = Record<string, { readonly runners: CiRunners; readonly configFile: string }>;

/** One workflow file's text. */
export interface WorkflowFile {
  /** Repository-relative path, e.g. .github/workflows/pr.yml. */
  readonly path: string;
  readonly text: string;
}

/** How a job that holds a cloud identity must take its labels. */
export const MATRIX_RUNNER = "${{ matrix.runner }}";
export const INPUT_RUNNER = "${{ fromJSON(inputs.runner) }}";

/** Apply jobs use the apply identities; every other identity-holding job is a plan. */
const APPLY_SECRET = /secrets\.(AWS_APPLY_ROLE_ARN|AZURE_APPLY_CLIENT_ID|DD_APP_KEY)\b/;

interface Located {
  readonly doc: Document;
  readonly lines: LineCounter;
  readonly path: string;
}

function lineOf(file: Located, path: (string | number)[]): number {
  const node = file.doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  return node?.range ? file.lines.linePos(node.range[0]).line : 1;
}

/** The job kind of a job (or of the reusable workflow it calls). */
function roleOf(jobText: string): "plan" | "apply" {
  return APPLY_SECRET.test(jobText) ? "apply" : "plan";
}

function same(a: unknown, b: readonly string[]): boolean {
  const list = typeof a === "string" ? [a] : a;
  return Array.isArray(list) && list.length === b.length && list.every((label, i) => label === b[i]);
}

/** Every `runs-on` of an identity-holding job that does not match config, as "file:line: problem; fix". */
export function runnerMismatches(files: readonly WorkflowFile[], expected: RunnersByEnvironment): string[] {
  const parsed = files.map((f) => {
    const lines = new LineCounter();
    return { path: f.path, text: f.text, lines, doc: parseDocument(f.text, { lineCounter: lines }) };
  });
  const byPath = new Map(parsed.map((f) => [f.path, f]));
  const problems: string[] = [];
  const want = (environment: unknown) => expected[String(environment)];
  const report = (file: Located, path: (string | number)[], what: string, fix: string) => problems.push(`${file.path}:${lineOf(file, path)}: ${what}; ${fix}`);
  const holdsIdentity = (file: { doc: Document }, jobName: string) => (file.doc.getIn(["jobs", jobName, "permissions", "id-token"]) === "write");

  for (const file of parsed) {
    const jobs = file.doc.get("jobs");
    if (!isMap(jobs)) continue;
    for (const pair of (jobs as YAMLMap).items) {
      const name = String((pair.key as { value?: unknown })?.value ?? pair.key);
      const job = pair.value as YAMLMap;
      const jobText = file.text.slice((job as { range?: number[] }).range?.[0] ?? 0, (job as { range?: number[] }).range?.[1] ?? file.text.length);
      const uses = job.get("uses");
      if (typeof uses === "string" && uses.startsWith("./")) {
        // A call of a reusable workflow: its runner input must be the called kind's labels.
        const called = byPath.get(uses.replace(/^\.\//, ""));
        if (!called || !/id-token: write/.test(called.text)) continue;
        const role = roleOf(called.text);
        const environment = file.doc.getIn(["jobs", name, "with", "environment"]);
        const target = want(environment);
        const runner = file.doc.getIn(["jobs", name, "with", "runner"]);
        if (!target) {
          report(file, ["jobs", name, "with", "environment"], `job ${name} applies environment ${String(environment)}, which no config defines`, `use one of ${Object.keys(expected).join(", ")}`);
          continue;
        }
        let labels: unknown;
        try {
          labels = JSON.parse(String(runner));
        } catch {
          labels = runner;
        }
        if (!same(labels, target.runners[role].labels)) {
          report(file, ["jobs", name, "with", runner === undefined ? "environment" : "runner"], `job ${name} runs ${String(environment)} on ${runner === undefined ? "no runner input" : String(runner)}, expected ${JSON.stringify(target.runners[role].labels)}`, `set with.runner: '${JSON.stringify(target.runners[role].labels)}' (ci.runners.${role}.labels in ${target.configFile})`);
        }
        continue;
      }
      if (!holdsIdentity(file, name)) continue;
      const role = roleOf(jobText);
      const runsOn = job.get("runs-on");
      if (runsOn === INPUT_RUNNER) continue; // checked at each caller
      if (runsOn !== MATRIX_RUNNER) {
        report(file, ["jobs", name, "runs-on"], `job ${name} holds a cloud identity but runs on ${JSON.stringify(isSeq(runsOn) ? (runsOn as { toJSON(): unknown }).toJSON() : runsOn)}`, `use runs-on: ${MATRIX_RUNNER} with each matrix entry's runner set to ci.runners.${role}.labels of its environment`);
        continue;
      }
      const include = file.doc.getIn(["jobs", name, "strategy", "matrix", "include"]);
      const entries = isSeq(include) ? (include as { toJSON(): Record<string, unknown>[] }).toJSON() : [];
      if (entries.length === 0) report(file, ["jobs", name, "runs-on"], `job ${name} takes matrix.runner but has no strategy.matrix.include entries`, "add one entry per environment with environment and runner");
      entries.forEach((entry, i) => {
        const target = want(entry.environment);
        if (!target) {
          report(file, ["jobs", name, "strategy", "matrix", "include", i], `job ${name} matrix entry ${i} names environment ${String(entry.environment)}, which no config defines`, `use one of ${Object.keys(expected).join(", ")}`);
        } else if (!same(entry.runner, target.runners[role].labels)) {
          report(
            file,
            ["jobs", name, "strategy", "matrix", "include", i, entry.runner === undefined ? "environment" : "runner"],
            `job ${name} runs ${String(entry.environment)} on ${JSON.stringify(entry.runner ?? null)}, expected ${JSON.stringify(target.runners[role].labels)}`,
            `set runner: ${JSON.stringify(target.runners[role].labels)} (ci.runners.${role}.labels in ${target.configFile})`,
          );
        }
      });
    }
  }
  return problems;
}
