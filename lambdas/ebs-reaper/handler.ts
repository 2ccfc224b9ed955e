/**
 * The scheduled Lambda: EventBridge sends `{"mode":"scan"}` or `{"mode":"reap"}`. This is the only
 * entry point that acts for real by default; its settings come from the REAPER_SETTINGS variable
 * the EbsReaper construct writes from environments/ config, and the report topic from REAPER_TOPIC_ARN.
 */
import type { Context } from "aws-lambda";
import { sdkClients } from "./clients";
import { checkSettings, REAPER_DEFAULTS, ReaperSettings } from "./config";
import { Mode, runFailed, runReaper, RunReport } from "./reaper";
import { RunLog } from "./report";

/** The scheduled event's payload. */
export interface ReaperEvent {
  readonly mode?: string;
  /** Force a dry run, e.g. for a manual test invocation. */
  readonly dryRun?: boolean;
}

/** Settings from the environment, checked the same way the CLI checks its flags. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): ReaperSettings {
  const raw = env.REAPER_SETTINGS;
  if (!raw) throw new Error("REAPER_SETTINGS is not set; deploy the function with the EbsReaper construct");
  const parsed = JSON.parse(raw) as Partial<ReaperSettings>;
  return checkSettings({
    roleName: REAPER_DEFAULTS.roleName,
    graceDays: REAPER_DEFAULTS.graceDays,
    prices: {},
    defaultRecipient: "",
    ...parsed,
    topicArn: env.REAPER_TOPIC_ARN || parsed.topicArn,
  });
}

/**
 * Lambda entry point. A run with any failure throws after finishing everything it could, so the
 * invocation is recorded as failed and its event lands in the dead-letter queue for operators.
 */
export async function handler(event: ReaperEvent, context?: Pick<Context, "getRemainingTimeInMillis">): Promise<RunReport["summary"]> {
  const mode = event.mode;
  if (mode !== "scan" && mode !== "reap") throw new Error(`event mode "${mode}" is not scan or reap; the schedule's input must be {"mode":"scan"} or {"mode":"reap"}`);
  const dryRun = event.dryRun === true;
  // Raw lines (not console.log) so each CloudWatch event is exactly one JSON object for Logs Insights.
  const log = new RunLog((line) => process.stdout.write(`${line}\n`), { mode, dryRun });
  // Leave a minute to log the summary and return before the Lambda timeout cuts the run off.
  const deadline = context ? Date.now() + context.getRemainingTimeInMillis() - 60_000 : undefined;
  const report = await runReaper({ mode: mode as Mode, settings: settingsFromEnv(), dryRun, clients: sdkClients(), log, deadline });
  if (runFailed(report)) {
    const reasons = report.failures.map((f) => `${f.accountId}/${f.region}: ${f.reason}`);
    const errors = report.results.filter((r) => r.action === "error").map((r) => `${r.accountId}/${r.region}/${r.volumeId}: ${r.reason}`);
    throw new Error(`ebs-reaper ${mode} finished with failures:\n${[...reasons, ...errors].join("\n")}`);
  }
  return report.summary;
}
