/**
 * What a run tells people: one structured JSON log line per action, a closing summary, and one
 * report per owner listing their volumes and how to approve or keep each.
 */
import { TAGS } from "./config";

/** The record of one decision about one volume; also the CLI's `--format json` element. */
export interface VolumeResult {
  readonly accountId: string;
  readonly region: string;
  readonly volumeId: string;
  readonly sizeGiB: number;
  readonly volumeType: string;
  readonly monthlyCostUsd: number | null;
  readonly owner: string;
  /** mark, report, keep, unmark, delete, skip, snapshot-pending, or would-<action> in a dry run. */
  readonly action: string;
  readonly reason: string;
  /** Age in whole days since creation, when EC2 reports it. */
  readonly ageDays?: number;
  /** Final snapshot of a deleted (or about to be deleted) volume. */
  readonly snapshotId?: string;
  /** Scan: the volume's `ebs-reaper:marked-at` value, which is exactly what its owner sets `ebs-reaper:approved` to. */
  readonly markedAt?: string;
}

/** An account or account-region that could not be processed, and why. */
export interface RunFailure {
  readonly accountId: string;
  /** "*" when the whole account failed (e.g. its role could not be assumed). */
  readonly region: string;
  readonly reason: string;
}

/** Where structured log lines go: stdout in Lambda (CloudWatch), stderr in the CLI. */
export type LogSink = (line: string) => void;

/** Structured JSON logger: every line carries time, level, run mode and dry-run flag. */
export class RunLog {
  constructor(
    private readonly sink: LogSink,
    private readonly base: { readonly mode: string; readonly dryRun: boolean },
  ) {}

  /** One line for one action on one volume. */
  action(result: VolumeResult): void {
    this.write("info", { event: "volume", ...result });
  }

  /** One line for a failed account or region. */
  failure(failure: RunFailure): void {
    this.write("error", { event: "failure", ...failure });
  }

  /** Any other event, e.g. a report sent or the summary. */
  write(level: "info" | "warn" | "error", fields: Record<string, unknown>): void {
    this.sink(JSON.stringify({ time: new Date().toISOString(), level, ...this.base, ...fields }));
  }
}

/** Counts and money of a run: what was found unattached and what was deleted. */
export interface RunSummary {
  readonly volumes: number;
  readonly byAction: Readonly<Record<string, number>>;
  readonly foundGiB: number;
  readonly foundMonthlyCostUsd: number;
  readonly deleted: number;
  readonly deletedGiB: number;
  readonly deletedMonthlyCostUsd: number;
  readonly failures: number;
}

const FOUND_ACTIONS = new Set(["mark", "report", "keep", "delete", "skip", "snapshot-pending", "would-mark", "would-delete"]);

/** Volumes listed per report; SNS messages are capped at 256 KB, the rest is counted. */
const MAX_REPORT_LINES = 500;

function cents(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Sum up a run. "Found" counts unattached volumes; unmarked (attached) ones are not found waste. */
export function summarize(results: readonly VolumeResult[], failures: readonly RunFailure[]): RunSummary {
  const byAction: Record<string, number> = {};
  let foundGiB = 0;
  let foundCost = 0;
  let deletedGiB = 0;
  let deletedCost = 0;
  let deleted = 0;
  for (const r of results) {
    byAction[r.action] = (byAction[r.action] ?? 0) + 1;
    if (FOUND_ACTIONS.has(r.action)) {
      foundGiB += r.sizeGiB;
      foundCost += r.monthlyCostUsd ?? 0;
    }
    if (r.action === "delete") {
      deleted += 1;
      deletedGiB += r.sizeGiB;
      deletedCost += r.monthlyCostUsd ?? 0;
    }
  }
  return {
    volumes: results.length,
    byAction,
    foundGiB,
    foundMonthlyCostUsd: cents(foundCost),
    deleted,
    deletedGiB,
    deletedMonthlyCostUsd: cents(deletedCost),
    failures: failures.length,
  };
}

/** A report for one owner: subject and plain-text body, ready for SNS (subject <= 100 chars). */
export interface OwnerReport {
  readonly owner: string;
  readonly subject: string;
  readonly message: string;
}

/**
 * Build one report per owner from a scan's results: every volume awaiting a decision, its cost,
 * and the exact tag commands to approve or keep it.
 */
export function ownerReports(results: readonly VolumeResult[], graceDays: number): OwnerReport[] {
  const byOwner = new Map<string, VolumeResult[]>();
  for (const r of results) {
    if (r.action !== "mark" && r.action !== "report") continue;
    byOwner.set(r.owner, [...(byOwner.get(r.owner) ?? []), r]);
  }
  return [...byOwner.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([owner, volumes]) => {
      const cost = cents(volumes.reduce((sum, v) => sum + (v.monthlyCostUsd ?? 0), 0));
      const lines = volumes.slice(0, MAX_REPORT_LINES).flatMap((v) => [
        `- ${v.volumeId} account ${v.accountId} ${v.region}: ${v.sizeGiB} GiB ${v.volumeType}, ` +
          `age ${v.ageDays ?? "?"} d, ~$${v.monthlyCostUsd ?? "?"}/month (${v.reason})`,
        `    approve: aws ec2 create-tags --region ${v.region} --resources ${v.volumeId} --tags Key=${TAGS.approved},Value=${v.markedAt ?? "<its " + TAGS.markedAt + " value>"}`,
      ]);
      const message = [
        `Unattached EBS volumes owned by ${owner}: ${volumes.length}, about $${cost} per month.`,
        "",
        ...lines,
        ...(volumes.length > MAX_REPORT_LINES ? [`... and ${volumes.length - MAX_REPORT_LINES} more (see the reaper's logs)`] : []),
        "",
        `Nothing is deleted without your approval. A volume is deleted, after a final snapshot, once it has been`,
        `marked for ${graceDays} days and you approve it with the command under it: the approval is the volume's`,
        `${TAGS.markedAt} value, so it counts for this mark only ("true" does not approve).`,
        `To keep a volume for good:`,
        `  aws ec2 create-tags --region <region> --resources <volume-id> --tags Key=${TAGS.keep},Value=true`,
        `Attaching a volume again removes its mark, which voids its approval.`,
      ].join("\n");
      const subject = `EBS reaper: ${volumes.length} unattached volume(s) for ${owner}`.slice(0, 100);
      return { owner, subject, message };
    });
}
