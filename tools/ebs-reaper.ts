/**
 * `npm run --silent ebs-reaper -- <scan|reap> [--regions r1,r2] [--accounts id1,id2]
 *   [--role-name NAME] [--grace-days N] [--dry-run | --no-dry-run] [--format json|table]`
 *
 * The reaper for people and tests. Dry run is the default here (only the scheduled Lambda acts by
 * default); `--no-dry-run` acts. Honours AWS_ENDPOINT_URL, so it runs against a local emulator.
 * Logs go to stderr as JSON lines; stdout carries only the result (a JSON array or a table).
 * Exit codes: 0 done, 1 some account, region, report or volume failed, 2 bad arguments.
 */
import { ConfigError } from "../constructs/errors";
import { ClientFactory, sdkClients } from "../lambdas/ebs-reaper/clients";
import { checkSettings, DEFAULT_PRICES, REAPER_DEFAULTS, ReaperSettings, SettingError } from "../lambdas/ebs-reaper/config";
import { Mode, runFailed, runReaper } from "../lambdas/ebs-reaper/reaper";
import { RunLog, VolumeResult } from "../lambdas/ebs-reaper/report";
import { formatTable } from "./stack-summary";

const USAGE =
  "usage: npm run --silent ebs-reaper -- <scan|reap> [--regions r1,r2] [--accounts id1,id2] [--role-name NAME] " +
  "[--grace-days N] [--dry-run | --no-dry-run] [--format json|table]";

/** A parsed command line. */
export interface CliArgs {
  readonly mode: Mode;
  readonly settings: ReaperSettings;
  readonly dryRun: boolean;
  readonly format: "json" | "table";
}

const VALUE_FLAGS = new Set(["--regions", "--accounts", "--role-name", "--grace-days", "--format"]);

function list(flag: string, value: string): string[] {
  const items = value.split(",").map((s) => s.trim());
  if (items.some((s) => s === "")) throw new ConfigError(`${flag} "${value}" has an empty item; separate values with single commas, e.g. ${flag} a,b`);
  return items;
}

/**
 * Parse and check the command line. Throws a ConfigError naming the argument, the value and the
 * fix; nothing has been called yet when it does. EBS_REAPER_DEFAULT_RECIPIENT and
 * EBS_REAPER_TOPIC_ARN (optional) come from the environment.
 */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliArgs {
  const [mode, ...rest] = argv;
  if (mode !== "scan" && mode !== "reap") {
    throw new ConfigError(`subcommand "${mode ?? ""}" is not scan or reap; ${USAGE}`);
  }
  const values = new Map<string, string>();
  let dryRun = true;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (flag === "--dry-run" && inline === undefined) dryRun = true;
    else if (flag === "--no-dry-run" && inline === undefined) dryRun = false;
    else if (VALUE_FLAGS.has(flag)) {
      const value = inline ?? rest[++i];
      if (value === undefined || value.startsWith("--")) throw new ConfigError(`${flag} needs a value; ${USAGE}`);
      values.set(flag, value);
    } else {
      throw new ConfigError(`argument "${arg}" is not known; ${USAGE}`);
    }
  }
  const format = values.get("--format") ?? "table";
  if (format !== "json" && format !== "table") throw new ConfigError(`--format "${format}" is not json or table; pass --format json or --format table`);
  const graceRaw = values.get("--grace-days");
  if (graceRaw !== undefined && !/^\d+$/.test(graceRaw)) throw new ConfigError(`--grace-days "${graceRaw}" is not a whole number; pass days, e.g. --grace-days 7`);
  try {
    const settings = checkSettings({
      accounts: values.has("--accounts") ? list("--accounts", values.get("--accounts")!) : undefined,
      regions: values.has("--regions") ? list("--regions", values.get("--regions")!) : undefined,
      roleName: values.get("--role-name") ?? REAPER_DEFAULTS.roleName,
      graceDays: graceRaw === undefined ? REAPER_DEFAULTS.graceDays : Number(graceRaw),
      prices: DEFAULT_PRICES,
      defaultRecipient: env.EBS_REAPER_DEFAULT_RECIPIENT ?? "platform",
      topicArn: env.EBS_REAPER_TOPIC_ARN || undefined,
    });
    return { mode, settings, dryRun, format };
  } catch (error) {
    if (error instanceof SettingError) throw new ConfigError(`${SETTING_SOURCE[error.setting]}: ${error.message}`);
    throw error;
  }
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

/** Where the CLI writes; tests capture both streams. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Run the CLI; returns the exit code instead of exiting, so tests call it in-process. */
export async function runCli(
  argv: readonly string[],
  io: CliIo = { stdout: (t) => process.stdout.write(`${t}\n`), stderr: (t) => process.stderr.write(`${t}\n`) },
  env: NodeJS.ProcessEnv = process.env,
  clients: ClientFactory = sdkClients(env.AWS_ENDPOINT_URL),
): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv, env);
  } catch (error) {
    io.stderr(`ebs-reaper: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const log = new RunLog(io.stderr, { mode: args.mode, dryRun: args.dryRun });
  const report = await runReaper({ mode: args.mode, settings: args.settings, dryRun: args.dryRun, clients, log });
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
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
}
