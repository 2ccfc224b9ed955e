/**
 * `npm run --silent plan-summary -- [--format md|json] [--fail-on-destroy] [--stack name=path] <plan.json>...`
 *
 * Summarizes `terraform show -json <planfile>` output for pull-request review: one table per
 * environment (a row per stack: add / change / destroy / replace), every delete and replacement
 * with the attributes that force it, and whether a production stack is affected.
 *
 * Exit codes: 0 (always, unless the next applies); 2 with --fail-on-destroy when anything is
 * deleted or replaced; 1 on bad arguments or an unreadable plan.
 */
import { readFileSync } from "fs";
import { basename } from "path";

/** The parts of a `terraform show -json` plan this tool reads. */
interface PlanJson {
  format_version?: string;
  errored?: boolean;
  resource_changes?: {
    address: string;
    mode: "managed" | "data";
    change: { actions: string[]; replace_paths?: (string | number)[][] };
    action_reason?: string;
  }[];
}

/** Counts for one stack's plan. */
export interface StackCounts {
  readonly stack: string;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly replace: number;
  /** The plan file says terraform stopped with an error while planning. */
  readonly errored: boolean;
}

/** A delete or a replacement a reviewer must look at. */
export interface DestructiveChange {
  readonly stack: string;
  readonly address: string;
  readonly action: "delete" | "replace";
  /** Attributes forcing the replacement, e.g. "name" or "access_config[0].authentication_mode". */
  readonly forcedBy: string[];
  /** Terraform's `action_reason`, in words. */
  readonly reason: string;
}

/** One environment's table. */
export interface EnvironmentSummary {
  readonly environment: string;
  readonly production: boolean;
  readonly stacks: StackCounts[];
}

/** Everything the tool prints. */
export interface PlanSummary {
  readonly environments: EnvironmentSummary[];
  readonly destructive: DestructiveChange[];
  /** Production stacks whose plan changes anything. */
  readonly productionAffected: string[];
}

/** A command-line or input problem: reported on stderr, exit code 1. */
export class UsageError extends Error {}

const USAGE = "usage: plan-summary [--format md|json] [--fail-on-destroy] [--stack name=path]... <plan.json>...";
const STACK_NAME = /^([a-z][a-z0-9]*)-([a-z][a-z0-9]*)-([a-z0-9][a-z0-9-]*)$/;
const PRODUCTION = /^prod/;

const REASONS: Record<string, string> = {
  replace_because_cannot_update: "an attribute cannot be updated in place",
  replace_because_tainted: "the resource is tainted",
  replace_by_request: "replacement requested (-replace)",
  replace_by_triggers: "replace_triggered_by changed",
  delete_because_no_resource_config: "removed from the configuration",
  delete_because_no_module: "its module was removed",
  delete_because_wrong_repetition: "count/for_each changed shape",
  delete_because_count_index: "count index no longer exists",
  delete_because_each_key: "for_each key no longer exists",
  delete_because_no_move_target: "moved target does not exist",
};

/** Parsed command line. */
export interface Options {
  readonly format: "md" | "json";
  readonly failOnDestroy: boolean;
  /** Stack name -> plan file, in the order given. */
  readonly plans: { stack: string; path: string }[];
}

/** Stack name from a plan file name: `test-aws-network.json`, `test-aws-network.plan.json` -> `test-aws-network`. */
export function stackFromFileName(path: string): string {
  return basename(path).replace(/\.json$/, "").replace(/\.(tf)?plan$/, "");
}

/** Parse argv (without node and script). Throws UsageError with the usage line on any mistake. */
export function parseArgs(argv: readonly string[]): Options {
  let format: Options["format"] = "md";
  let failOnDestroy = false;
  const plans: Options["plans"] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`${arg} needs a value\n${USAGE}`);
      return next;
    };
    if (arg === "--format") {
      const f = value();
      if (f !== "md" && f !== "json") throw new UsageError(`--format must be md or json, got "${f}"\n${USAGE}`);
      format = f;
    } else if (arg === "--fail-on-destroy") {
      failOnDestroy = true;
    } else if (arg === "--stack") {
      const spec = value();
      const eq = spec.indexOf("=");
      if (eq <= 0 || eq === spec.length - 1) throw new UsageError(`--stack must be name=path, got "${spec}"\n${USAGE}`);
      plans.push({ stack: spec.slice(0, eq), path: spec.slice(eq + 1) });
    } else if (arg.startsWith("-")) {
      throw new UsageError(`unknown option ${arg}\n${USAGE}`);
    } else {
      plans.push({ stack: stackFromFileName(arg), path: arg });
    }
  }
  if (plans.length === 0) throw new UsageError(`no plan files given\n${USAGE}`);
  for (const { stack } of plans) {
    if (!STACK_NAME.test(stack)) {
      throw new UsageError(`stack name "${stack}" is not <env>-<cloud>-<unit> (e.g. test-aws-network); name the file so, or pass --stack name=path`);
    }
  }
  const seen = new Set<string>();
  for (const { stack } of plans) {
    if (seen.has(stack)) throw new UsageError(`stack "${stack}" is given twice`);
    seen.add(stack);
  }
  return { format, failOnDestroy, plans };
}

/** Read and sanity-check one plan file. */
export function readPlan(path: string): PlanJson {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read plan file ${path}: ${(error as Error).message}`);
  }
  let plan: PlanJson;
  try {
    plan = JSON.parse(text) as PlanJson;
  } catch {
    throw new UsageError(`${path} is not JSON: pass the output of "terraform show -json <planfile>"`);
  }
  if (typeof plan !== "object" || plan === null || typeof plan.format_version !== "string" || !("planned_values" in plan || "resource_changes" in plan)) {
    throw new UsageError(`${path} is not a terraform plan in JSON (no format_version/resource_changes): pass the output of "terraform show -json <planfile>"`);
  }
  return plan;
}

/** "access_config", 0, "x" -> "access_config[0].x". */
function formatPath(path: readonly (string | number)[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}

/** Count one stack's changes and collect its deletes and replacements. */
export function summarizeStack(stack: string, plan: PlanJson): { counts: StackCounts; destructive: DestructiveChange[] } {
  const counts = { stack, add: 0, change: 0, destroy: 0, replace: 0, errored: plan.errored === true };
  const destructive: DestructiveChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== "managed") continue;
    const actions = rc.change.actions;
    const reason = rc.action_reason ? (REASONS[rc.action_reason] ?? rc.action_reason) : "";
    if (actions.includes("delete") && actions.includes("create")) {
      counts.replace++;
      destructive.push({ stack, address: rc.address, action: "replace", forcedBy: (rc.change.replace_paths ?? []).map(formatPath), reason });
    } else if (actions[0] === "create") {
      counts.add++;
    } else if (actions[0] === "update") {
      counts.change++;
    } else if (actions[0] === "delete") {
      counts.destroy++;
      destructive.push({ stack, address: rc.address, action: "delete", forcedBy: [], reason });
    }
  }
  return { counts, destructive };
}

/** Group stacks by environment (`<env>-<cloud>`) and find production impact. */
export function buildSummary(plans: readonly { stack: string; plan: PlanJson }[]): PlanSummary {
  const environments = new Map<string, EnvironmentSummary>();
  const destructive: DestructiveChange[] = [];
  const productionAffected: string[] = [];
  for (const { stack, plan } of plans) {
    const [, env, cloud] = STACK_NAME.exec(stack) ?? [];
    const environment = `${env}-${cloud}`;
    const production = PRODUCTION.test(env);
    const summary = environments.get(environment) ?? { environment, production, stacks: [] };
    environments.set(environment, summary);
    const result = summarizeStack(stack, plan);
    summary.stacks.push(result.counts);
    destructive.push(...result.destructive);
    const { add, change, destroy, replace } = result.counts;
    if (production && add + change + destroy + replace > 0) productionAffected.push(stack);
  }
  const sorted = [...environments.values()].sort((a, b) => Number(b.production) - Number(a.production) || a.environment.localeCompare(b.environment));
  for (const env of sorted) env.stacks.sort((a, b) => a.stack.localeCompare(b.stack));
  return { environments: sorted, destructive, productionAffected };
}

/** Markdown for a pull-request comment. */
export function renderMarkdown(summary: PlanSummary): string {
  const lines = ["## Terraform plan summary", ""];
  lines.push(
    summary.productionAffected.length > 0
      ? `**Production affected: yes** (${summary.productionAffected.join(", ")})`
      : "**Production affected: no**",
    "",
  );
  for (const env of summary.environments) {
    lines.push(`### ${env.environment}${env.production ? " (production)" : ""}`, "");
    lines.push("| stack | add | change | destroy | replace |", "| --- | ---: | ---: | ---: | ---: |");
    for (const s of env.stacks) {
      const name = s.errored ? `${s.stack} (plan errored)` : s.stack;
      lines.push(`| ${name} | ${s.add} | ${s.change} | ${s.destroy} | ${s.replace} |`);
    }
    lines.push("");
  }
  if (summary.destructive.length === 0) {
    lines.push("No resource is deleted or replaced.");
  } else {
    lines.push(`### Warning: ${summary.destructive.length} delete(s) or replacement(s)`, "");
    lines.push("| stack | resource | action | forced by | reason |", "| --- | --- | --- | --- | --- |");
    for (const d of summary.destructive) {
      const forced = d.forcedBy.length > 0 ? d.forcedBy.map((p) => `\`${p}\``).join(", ") : "-";
      lines.push(`| ${d.stack} | \`${d.address}\` | ${d.action} | ${forced} | ${d.reason || "-"} |`);
    }
  }
  return lines.join("\n") + "\n";
}

/** Run the tool; returns the exit code. Output goes through `out`/`err` so tests can capture it. */
export function run(argv: readonly string[], out: (text: string) => void, err: (text: string) => void): number {
  try {
    const options = parseArgs(argv);
    const summary = buildSummary(options.plans.map(({ stack, path }) => ({ stack, plan: readPlan(path) })));
    out(options.format === "json" ? JSON.stringify(summary, null, 2) + "\n" : renderMarkdown(summary));
    return options.failOnDestroy && summary.destructive.length > 0 ? 2 : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err(`plan-summary: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2), (t) => process.stdout.write(t), (t) => process.stderr.write(t));
}
