/**
 * `npm run --silent ebs-reaper -- <scan|reap> [options]` (`--help` lists them).
 *
 * The reaper for people and tests. Dry run is the default here (only the scheduled Lambda acts by
 * default); `--no-dry-run` acts. Honours AWS_ENDPOINT_URL, so it runs against a local emulator.
 * Logs go to stderr as JSON lines; stdout carries only the result (a JSON array or a table).
 * Exit codes: 0 done, 1 some account, region, report or volume failed, 2 bad arguments.
 */
import type { ClientFactory } from "../lambdas/ebs-reaper/clients";
import { checkSettings, DEFAULT_PRICES, REAPER_DEFAULTS, ReaperSettings, SettingError } from "../lambdas/ebs-reaper/config";
import type { Mode } from "../lambdas/ebs-reaper/reaper";
import { RunLog, VolumeResult } from "../lambdas/ebs-reaper/report";
import { CliIo, CliSpec, CliValues, parseCli, processIo, runCli as runParsed, UsageError } from "./cli";
import { formatTable } from "./stack-summary";

/** The command line, for the parser and --help. */
export const SPEC = {
  name: "ebs-reaper",
  usage: "npm run --silent ebs-reaper -- <scan|reap> [options]",
  summary:
    "Finds unattached EBS volumes in every member account and region and reports them to their owners (scan), " +
    "or deletes, each after a final snapshot, those their owners approved (reap). A dry run unless --no-dry-run.",
  options: {
    regions: { type: "string", valueName: "r1,r2", description: "regions to scan (default: every region enabled in the account)" },
    accounts: { type: "string", valueName: "id1,id2", description: "accounts to scan (default: the caller's own account)" },
    "role-name": { type: "string", valueName: "NAME", description: "role assumed in member accounts", default: REAPER_DEFAULTS.roleName },
    "grace-days": { type: "string", valueName: "N", description: "days a volume stays marked before it may be deleted", default: String(REAPER_DEFAULTS.graceDays) },
    "dry-run": { type: "boolean", description: "report what would happen, change nothing", default: true },
    format: { type: "string", valueName: "json|table", description: "stdout format", choices: ["json", "table"], default: "table" },
  },
  positionals: [{ name: "scan|reap", description: "scan: mark and report; reap: delete approved volumes", choices: ["scan", "reap"] }],
  env: {
    AWS_ENDPOINT_URL: "talk to this endpoint (an emulator) instead of AWS",
    EBS_REAPER_DEFAULT_RECIPIENT: "team told about volumes without an owner (default: platform)",
    EBS_REAPER_TOPIC_ARN: "SNS topic for the owner reports (default: none, reports only printed)",
  },
  exitCodes: { 0: "done", 1: "some account, region, report or volume failed", 2: "bad arguments; nothing was called" },
  examples: ["npm run --silent ebs-reaper -- scan --regions eu-west-1 --format json", "npm run --silent ebs-reaper -- reap --accounts 111122223333 --no-dry-run"],
} as const satisfies CliSpec;

/** A parsed command line. */
export interface CliArgs {
  readonly mode: Mode;
  readonly settings: ReaperSettings;
  readonly dryRun: boolean;
  readonly format: "json" | "table";
}

function list(flag: string, value: string): string[] {
  const items = value.split(",").map((s) => s.trim());
  if (items.some((s) => s === "")) throw new UsageError(`${flag} "${value}" has an empty item; separate values with single commas, e.g. ${flag} a,b`);
  return items;
}

/** Values given on the command line, after tools/cli.ts parsed them. */
function toArgs(values: CliValues<typeof SPEC.options>, mode: Mode, env: NodeJS.ProcessEnv): CliArgs {
  const graceRaw = values["grace-days"];
  if (!/^\d+$/.test(graceRaw)) throw new UsageError(`--grace-days "${graceRaw}" is not a whole number; pass days, e.g. --grace-days 7`);
  try {
    const settings = checkSettings({
      accounts: values.accounts === undefined ? undefined : list("--accounts", values.accounts),
      regions: values.regions === undefined ? undefined : list("--regions", values.regions),
      roleName: values["role-name"],
      graceDays: Number(graceRaw),
      prices: DEFAULT_PRICES,
      defaultRecipient: env.EBS_REAPER_DEFAULT_RECIPIENT ?? "platform",
      topicArn: env.EBS_REAPER_TOPIC_ARN || undefined,
    });
    return { mode, settings, dryRun: values["dry-run"], format: values.format as "json" | "table" };
  } catch (error) {
    if (error instanceof SettingError) throw new UsageError(`${SETTING_SOURCE[error.setting]}: ${error.message}`);
    throw error;
  }
}

/**
 * Parse and check the command line. Throws a UsageError naming the argument, the value and the
 * fix; nothing has been called yet when it does. EBS_REAPER_DEFAULT_RECIPIENT and
 * EBS_REAPER_TOPIC_ARN (optional) come from the environment.
 */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliArgs {
  const parsed = parseCli(SPEC, argv);
  if (parsed.help) throw new UsageError("--help is answered by runCli, not parsed");
  return toArgs(parsed.values, parsed.positionals[0] as Mode, env);
}

/** Where each setting comes from on the command line, for error messages. */
const SETTING_SOURCE: Record<keyof ReaperSettings, string> = {
  accounts: "--accounts",
  regions: "--regions",
  roleName: "--role-name",
  graceDays: "--grace-days",
  prices: "prices",
  defaultRecipient: "EBS_REAPER_DEFAULT_RECIPIENT",
  topicArn: "EBS_REAPER_TOPIC_ARN",
};

/** Render results as the operator's table, or as the JSON array the issue specifies. */
export function formatResults(results: readonly VolumeResult[], format: "json" | "table"): string {
  if (format === "json") {
    return JSON.stringify(
      results.map(({ accountId, region, volumeId, sizeGiB, volumeType, monthlyCostUsd, owner, action, reason }) => ({
        accountId, region, volumeId, sizeGiB, volumeType, monthlyCostUsd, owner, action, reason,
      })),
      null,
      2,
    );
  }
  return formatTable(
    ["account", "region", "volume", "GiB", "type", "$/month", "owner", "action", "reason"],
    results.map((r) => [r.accountId, r.region, r.volumeId, r.sizeGiB, r.volumeType, r.monthlyCostUsd ?? "?", r.owner, r.action, r.reason]),
  );
}

/** Run the CLI; returns the exit code instead of exiting, so tests call it in-process. */
export function runCli(
  argv: readonly string[],
  io: CliIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
  clients?: ClientFactory,
): Promise<number> {
  return runParsed(SPEC, argv, async (values, positionals) => {
    const args = toArgs(values, positionals[0] as Mode, env);
    // The AWS SDK loads only now: --help and argument errors answer at once.
    const { runFailed, runReaper } = await import("../lambdas/ebs-reaper/reaper");
    const { sdkClients } = await import("../lambdas/ebs-reaper/clients");
    const log = new RunLog(io.stderr, { mode: args.mode, dryRun: args.dryRun });
    const report = await runReaper({ mode: args.mode, settings: args.settings, dryRun: args.dryRun, clients: clients ?? sdkClients(env.AWS_ENDPOINT_URL), log });
    io.stdout(formatResults(report.results, args.format));
    if (args.format === "table") {
      const s = report.summary;
      io.stdout(
        `\n${s.volumes} volume(s): ${Object.entries(s.byAction).map(([a, n]) => `${n} ${a}`).join(", ") || "none"}; ` +
          `found ${s.foundGiB} GiB ~$${s.foundMonthlyCostUsd}/month; deleted ${s.deleted} (${s.deletedGiB} GiB ~$${s.deletedMonthlyCostUsd}/month); ` +
          `${s.failures} failure(s)${args.dryRun ? "; dry run: nothing changed (--no-dry-run to act)" : ""}`,
      );
    }
    for (const f of report.failures) io.stderr(`ebs-reaper: FAILED ${f.accountId}/${f.region}: ${f.reason}`);
    return runFailed(report) ? 1 : 0;
  }, io);
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
