/**
 * The policy report: what every rule found, rendered as JSON (for tools), markdown (for people
 * and PR comments) and the plain text a failing synth prints.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { PolicyRule, Severity } from "./rule";
import { Suppression } from "./suppressions";

/** One non-compliant resource for one rule. */
export interface PolicyFinding {
  /** Id of the violated rule, e.g. "AWS-EKS-001"; the id to pass to `suppressRule`. */
  readonly ruleId: string;
  /** The same check in public scanners (e.g. "Checkov CKV_AWS_58"); empty when none exists. */
  readonly externalIds: readonly string[];
  /** The rule's severity. */
  readonly severity: Severity;
  /** Stack the resource belongs to. */
  readonly stack: string;
  /** Construct path of the resource. */
  readonly path: string;
  /** Terraform address, e.g. "aws_eks_cluster.cluster_A4C38409". */
  readonly address: string;
  /** What the rule saw on this resource. */
  readonly message: string;
  /** The rule's remedy: what to change on the construct or attribute. */
  readonly fix: string;
  /** True when a suppression on the resource or an ancestor waives it; only unsuppressed findings fail synth. */
  readonly suppressed: boolean;
  /** Why it is suppressed, when it is. */
  readonly suppressionReason?: string;
  /** Construct path the suppression was added on, when suppressed. */
  readonly suppressedAt?: string;
}

/** A rule as listed in the report. */
export interface ReportedRule {
  /** Rule id, `<CLOUD>-<SERVICE>-<NNN>`, e.g. "AWS-EKS-001". */
  readonly id: string;
  /** The same check in public scanners, prefixed with the scanner; empty when none exists. */
  readonly externalIds: readonly string[];
  /** How urgent a violation is. */
  readonly severity: Severity;
  /** One line: what a compliant resource looks like. */
  readonly description: string;
  /** Terraform types the rule inspects; data sources as "data.<type>". */
  readonly appliesTo: readonly string[];
}

/** A rule with what it did in this synth: a rule with 0 checks inspected nothing. */
export interface RuleResult extends ReportedRule {
  /** Resources it evaluated (not counting "not applicable"). */
  readonly checks: number;
  /** Resources it found non-compliant, suppressed or not. */
  readonly findings: number;
}

/** Everything one synth's policy check saw. */
export interface PolicyReport {
  /** False when the check ran with `enforce: false` (report only, synth not failed). */
  readonly enforced: boolean;
  /** Number of stacks checked. */
  readonly stacks: number;
  /** Number of resources and data sources across those stacks, whether or not a rule applied to them. */
  readonly resources: number;
  /** Rule evaluations that were not "not applicable". */
  readonly checks: number;
  /** Every rule that ran, with its check and finding counts; a rule with 0 checks inspected nothing. */
  readonly rules: readonly RuleResult[];
  /** Every non-compliant resource per rule, unsuppressed ones first. */
  readonly findings: readonly PolicyFinding[];
  /** Suppressions that matched no finding: stale, or on the wrong construct. */
  readonly unusedSuppressions: readonly Suppression[];
}

/** File names written into the synth output directory. */
export const REPORT_FILES = {
  /** The full {@link PolicyReport} as JSON, for tools. */
  json: "policy-report.json",
  /** Findings, unused suppressions and the rule table as markdown, for people and PR comments. */
  markdown: "policy-report.md",
} as const;

/** The rule as the report lists it. */
export function reportedRule(rule: PolicyRule): ReportedRule {
  return {
    id: rule.id,
    externalIds: rule.externalIds,
    severity: rule.severity,
    description: rule.description,
    appliesTo: rule.appliesTo,
  };
}

/** Findings that fail synth. */
export function unsuppressed(report: PolicyReport): PolicyFinding[] {
  return report.findings.filter((f) => !f.suppressed);
}

/** "45 rules, 412 checks over 130 resources in 9 stacks: 3 findings (3 suppressed, 0 unsuppressed)". */
export function summaryLine(report: PolicyReport): string {
  const open = unsuppressed(report).length;
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  return (
    `${count(report.rules.length, "rule")}, ${count(report.checks, "check")} over ${count(report.resources, "resource")} in ${count(report.stacks, "stack")}: ` +
    `${count(report.findings.length, "finding")} (${report.findings.length - open} suppressed, ${open} unsuppressed)`
  );
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function externalIds(ids: readonly string[]): string {
  return ids.length ? ids.join(", ") : "none";
}

/** Markdown table of rules: id, external ids, severity, description. Also used for docs/policy-packs.md. */
export function ruleTable(rules: readonly ReportedRule[]): string {
  return [
    "| Rule | Also known as | Severity | Requirement |",
    "| --- | --- | --- | --- |",
    ...rules.map((r) => `| ${r.id} | ${cell(externalIds(r.externalIds))} | ${r.severity} | ${cell(r.description)} |`),
  ].join("\n");
}

/** The report as markdown. */
export function renderMarkdown(report: PolicyReport): string {
  const findingRows = report.findings.map(
    (f) =>
      `| ${f.suppressed ? "suppressed" : "**violation**"} | ${f.ruleId} | ${f.severity} | \`${f.path}\` | ${cell(f.message)} | ${cell(
        f.suppressed ? `suppressed at \`${f.suppressedAt}\`: ${f.suppressionReason}` : f.fix,
      )} |`,
  );
  return [
    "# Policy report",
    "",
    summaryLine(report) + (report.enforced ? "" : " — NOT ENFORCED (enforce: false)"),
    "",
    "## Findings",
    "",
    ...(findingRows.length
      ? ["| Status | Rule | Severity | Resource | Finding | Fix / suppression reason |", "| --- | --- | --- | --- | --- | --- |", ...findingRows]
      : ["None."]),
    "",
    ...(report.unusedSuppressions.length
      ? [
          "## Unused suppressions",
          "",
          ...report.unusedSuppressions.map((s) => `- ${s.ruleId} at \`${s.path}\`: ${s.reason}`),
          "",
        ]
      : []),
    "## Rules",
    "",
    "| Rule | Also known as | Severity | Requirement | Checks | Findings |",
    "| --- | --- | --- | --- | --- | --- |",
    ...report.rules.map(
      (r) => `| ${r.id} | ${cell(externalIds(r.externalIds))} | ${r.severity} | ${cell(r.description)} | ${r.checks} | ${r.findings} |`,
    ),
    "",
  ].join("\n");
}

/** The message of the ConfigError a failing synth throws. */
export function renderFailure(report: PolicyReport, reportPath: string): string {
  const open = unsuppressed(report);
  return [
    `policy check failed: ${open.length} unsuppressed violation(s); ${summaryLine(report)}. Report: ${reportPath}`,
    ...open.map((f) =>
      [
        `  ${f.ruleId} (${externalIds(f.externalIds)}) ${f.severity}: ${f.path} [${f.address}]`,
        `    ${f.message}`,
        `    fix: ${f.fix}`,
      ].join("\n"),
    ),
    `Fix the resource, or if the rule does not apply, suppressRule(<construct>, "<rule id>", "<reason, 10+ characters>") (docs/policy-packs.md).`,
  ].join("\n");
}

/** Write the JSON and markdown report into `outdir`; returns the markdown path. */
export function writeReport(report: PolicyReport, outdir: string): string {
  mkdirSync(outdir, { recursive: true });
  writeFileSync(join(outdir, REPORT_FILES.json), JSON.stringify(report, null, 2) + "\n");
  const markdownPath = join(outdir, REPORT_FILES.markdown);
  writeFileSync(markdownPath, renderMarkdown(report));
  return markdownPath;
}

/** The report a synth wrote into `outdir`, if any. */
export function readReport(outdir: string): PolicyReport | undefined {
  const path = join(outdir, REPORT_FILES.json);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as PolicyReport) : undefined;
}
