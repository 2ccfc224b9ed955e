/**
 * One run of the reaper: every account x region, in parallel up to a limit, each failure
 * recorded without stopping the others. Scan marks and reports; reap snapshots and deletes.
 */
import { PublishCommand } from "@aws-sdk/client-sns";
import { EC2Client } from "@aws-sdk/client-ec2";
import { deleteVolume, describeSnapshot, markVolume, startFinalSnapshot, unmarkVolume, waitForSnapshot } from "./actions";
import { ClientFactory, Credentials } from "./clients";
import { mapSettled } from "./concurrency";
import { REAPER_DEFAULTS, ReaperSettings, TAGS } from "./config";
import { assumeMemberRole, attachedWithTag, callerAccount, describeVolume, enabledRegions, HOME_REGION, listVolumes, UNATTACHED } from "./discovery";
import { daysBetween, decideReap, decideScan, resolveOwner, snapshotProblem } from "./lifecycle";
import { monthlyCostUsd } from "./pricing";
import { ownerReports, RunFailure, RunLog, RunSummary, summarize, VolumeResult } from "./report";
import { VolumeInfo } from "./volume";

/** The two things a run can do. */
export type Mode = "scan" | "reap";

/** Everything one run needs beyond the settings: mode, safety, clock and plumbing. */
export interface RunOptions {
  readonly mode: Mode;
  readonly settings: ReaperSettings;
  /** Decide and log, change nothing. */
  readonly dryRun: boolean;
  readonly clients: ClientFactory;
  readonly log: RunLog;
  /** The run's clock; fixed by tests. @default now */
  readonly now?: Date;
  /** Account-regions at once. @default REAPER_DEFAULTS.concurrency */
  readonly concurrency?: number;
  /** Volumes of one account-region at once. @default REAPER_DEFAULTS.volumeConcurrency */
  readonly volumeConcurrency?: number;
  /** Longest wait per final snapshot. @default REAPER_DEFAULTS.snapshotTimeoutMs */
  readonly snapshotTimeoutMs?: number;
  /** Pause between snapshot checks. @default REAPER_DEFAULTS.snapshotPollMs */
  readonly snapshotPollMs?: number;
  /** Epoch ms after which no new snapshot is started or waited for (the Lambda's time budget). @default none */
  readonly deadline?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What a run found and did. */
export interface RunReport {
  readonly results: VolumeResult[];
  readonly failures: RunFailure[];
  readonly summary: RunSummary;
}

interface Target {
  readonly accountId: string;
  readonly region: string;
  readonly credentials?: Credentials;
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether a run should end with a non-zero exit: an account, region, report or volume failed. */
export function runFailed(report: RunReport): boolean {
  return report.failures.length > 0 || report.results.some((r) => r.action === "error");
}

/** Run a scan or a reap over every configured account and region. Never throws for one account's or region's fault. */
export async function runReaper(options: RunOptions): Promise<RunReport> {
  const { settings, clients, log } = options;
  const now = options.now ?? new Date();
  const failures: RunFailure[] = [];
  const fail = (failure: RunFailure) => {
    failures.push(failure);
    log.failure(failure);
  };

  let ownAccount: string;
  try {
    ownAccount = await callerAccount(clients);
  } catch (error) {
    fail({ accountId: "caller", region: "*", reason: `cannot identify the caller: ${reasonOf(error)}` });
    return { results: [], failures, summary: summarize([], failures) };
  }
  const accounts = settings.accounts && settings.accounts.length > 0 ? [...new Set(settings.accounts)] : [ownAccount];
  const concurrency = options.concurrency ?? REAPER_DEFAULTS.concurrency;

  // Per account: credentials (own account uses the caller's own) and its regions.
  const perAccount = await mapSettled(accounts, concurrency, async (accountId): Promise<Target[]> => {
    const credentials = accountId === ownAccount ? undefined : await assumeMemberRole(clients, accountId, settings.roleName);
    const regions = settings.regions && settings.regions.length > 0 ? [...settings.regions] : await enabledRegions(clients.ec2(HOME_REGION, credentials));
    return regions.map((region) => ({ accountId, region, credentials }));
  });
  const targets: Target[] = [];
  perAccount.forEach((outcome, i) => {
    if (outcome.ok) targets.push(...outcome.value);
    else fail({ accountId: accounts[i], region: "*", reason: `cannot assume role ${settings.roleName} or list regions: ${reasonOf(outcome.error)}` });
  });

  const perTarget = await mapSettled(targets, concurrency, (target) => {
    const ec2 = clients.ec2(target.region, target.credentials);
    return options.mode === "scan" ? scanTarget(ec2, target, options, now) : reapTarget(ec2, target, options, now);
  });
  const results: VolumeResult[] = [];
  perTarget.forEach((outcome, i) => {
    if (outcome.ok) results.push(...outcome.value);
    else fail({ accountId: targets[i].accountId, region: targets[i].region, reason: reasonOf(outcome.error) });
  });

  if (options.mode === "scan") await publishReports(results, options, fail);
  const summary = summarize(results, failures);
  log.write(failures.length > 0 ? "error" : "info", { event: "summary", ...summary });
  return { results, failures, summary };
}

function resultFor(volume: VolumeInfo, target: Target, options: RunOptions, now: Date, action: string, reason: string, snapshotId?: string): VolumeResult {
  return {
    accountId: target.accountId,
    region: target.region,
    volumeId: volume.volumeId,
    sizeGiB: volume.sizeGiB,
    volumeType: volume.volumeType,
    monthlyCostUsd: monthlyCostUsd(volume.sizeGiB, volume.volumeType, options.settings.prices),
    owner: resolveOwner(volume.tags, options.settings.defaultRecipient),
    action,
    reason,
    ...(volume.createdAt ? { ageDays: daysBetween(volume.createdAt, now) } : {}),
    ...(snapshotId ? { snapshotId } : {}),
  };
}

/** In a dry run, mutating actions are reported as what would have happened. */
function planned(action: string, dryRun: boolean, mutating: boolean): string {
  return dryRun && mutating ? `would-${action}` : action;
}

/** Per-volume work of one account-region, a few at a time; a volume's own failure is its result, so nothing here rejects. */
async function volumesLimited(volumes: VolumeInfo[], options: RunOptions, worker: (volume: VolumeInfo) => Promise<VolumeResult>): Promise<VolumeResult[]> {
  const outcomes = await mapSettled(volumes, options.volumeConcurrency ?? REAPER_DEFAULTS.volumeConcurrency, worker);
  return outcomes.map((outcome) => {
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  });
}

async function scanTarget(ec2: EC2Client, target: Target, options: RunOptions, now: Date): Promise<VolumeResult[]> {
  const unattached = await listVolumes(ec2, UNATTACHED);
  const reattached = await listVolumes(ec2, attachedWithTag(TAGS.markedAt));
  return volumesLimited([...unattached, ...reattached], options, async (volume) => {
    const decision = decideScan(volume, now);
    const mutating = decision.action === "mark" || decision.action === "unmark";
    let result = resultFor(volume, target, options, now, planned(decision.action, options.dryRun, mutating), decision.reason);
    // The value the owner approves with: the new mark, or the one the volume already carries.
    if (decision.action === "mark") result = { ...result, markedAt: now.toISOString() };
    if (decision.action === "report") result = { ...result, markedAt: volume.tags[TAGS.markedAt] };
    try {
      if (!options.dryRun && decision.action === "mark") await markVolume(ec2, volume.volumeId, now);
      if (!options.dryRun && decision.action === "unmark") await unmarkVolume(ec2, volume.volumeId);
    } catch (error) {
      result = { ...result, action: "error", reason: `${decision.action} failed: ${reasonOf(error)}` };
    }
    options.log.action(result);
    return result;
  });
}

async function reapTarget(ec2: EC2Client, target: Target, options: RunOptions, now: Date): Promise<VolumeResult[]> {
  const unattached = await listVolumes(ec2, UNATTACHED);
  return volumesLimited(unattached, options, async (volume) => {
    const result = await reapVolume(ec2, volume, target, options, now);
    options.log.action(result);
    return result;
  });
}

/**
 * Snapshot, wait for the snapshot, look at the volume again, then delete. Any step that does not
 * end well leaves the volume in place with the reason: deletion is the only irreversible step,
 * so it comes last and only after a fresh check of the same rule that selected the volume.
 *
 * The final snapshot is trusted only when EC2 says it is of this volume and started after the
 * current mark: a `snapshot-id` tag naming another volume's snapshot, or one older than the mark
 * (data written since would be lost), is ignored and a fresh snapshot is taken.
 */
async function reapVolume(ec2: EC2Client, volume: VolumeInfo, target: Target, options: RunOptions, now: Date): Promise<VolumeResult> {
  const result = (action: string, reason: string, snapshotId?: string) => resultFor(volume, target, options, now, action, reason, snapshotId);
  const decision = decideReap(volume, now, options.settings.graceDays);
  if (decision.action === "skip") return result("skip", decision.reason);
  if (options.dryRun) return result("would-delete", `${decision.reason}; dry run: no snapshot taken, nothing deleted`);

  const timeLeft = (options.deadline ?? Infinity) - Date.now();
  if (timeLeft <= 0) return result("skip", "run out of time before this volume; the next reap continues");
  try {
    const named = volume.tags[TAGS.snapshotId];
    const earlier = named ? await describeSnapshot(ec2, named) : undefined;
    const ignored = earlier ? snapshotProblem(earlier, volume) : undefined;
    const snapshotId = earlier && !ignored ? earlier.snapshotId : await startFinalSnapshot(ec2, volume);
    const snapshot = await waitForSnapshot(ec2, snapshotId, {
      timeoutMs: Math.min(options.snapshotTimeoutMs ?? REAPER_DEFAULTS.snapshotTimeoutMs, timeLeft),
      pollMs: options.snapshotPollMs ?? REAPER_DEFAULTS.snapshotPollMs,
      sleep: options.sleep ?? realSleep,
    });
    if (snapshot.state !== "completed") {
      return result("snapshot-pending", `final snapshot ${snapshotId} is ${snapshot.state}; the volume is deleted by a later reap once it completes`, snapshotId);
    }
    const unverified = snapshotProblem(snapshot, volume);
    if (unverified) return result("skip", `final snapshot not verified, not deleted: ${unverified}`, snapshotId);
    const fresh = await describeVolume(ec2, volume.volumeId);
    if (!fresh) return result("skip", `volume disappeared before deletion; snapshot ${snapshotId} kept`, snapshotId);
    const recheck = decideReap(fresh, now, options.settings.graceDays);
    if (recheck.action !== "delete") return result("skip", `changed since the scan, not deleted: ${recheck.reason}`, snapshotId);
    await deleteVolume(ec2, volume.volumeId);
    const replaced = ignored ? ` (ignored ${ignored})` : "";
    return result("delete", `${decision.reason}; final snapshot ${snapshotId} of this volume, verified${replaced}`, snapshotId);
  } catch (error) {
    return result("error", `not deleted: ${reasonOf(error)}`);
  }
}

async function publishReports(results: readonly VolumeResult[], options: RunOptions, fail: (f: RunFailure) => void): Promise<void> {
  const { topicArn } = options.settings;
  for (const report of ownerReports(results, options.settings.graceDays)) {
    if (!topicArn || options.dryRun) {
      options.log.write("info", { event: "report", owner: report.owner, sent: false, subject: report.subject });
      continue;
    }
    try {
      const region = topicArn.split(":")[3] || HOME_REGION;
      await options.clients.sns(region).send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: report.subject,
          Message: report.message,
          // Subscriptions filter on this, so each owner receives only their own report.
          MessageAttributes: { owner: { DataType: "String", StringValue: report.owner } },
        }),
      );
      options.log.write("info", { event: "report", owner: report.owner, sent: true, subject: report.subject });
    } catch (error) {
      fail({ accountId: "reports", region: "*", reason: `report to ${report.owner} not sent: ${reasonOf(error)}` });
    }
  }
}
