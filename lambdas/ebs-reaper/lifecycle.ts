/**
 * The lifecycle decisions as pure functions of a volume's facts and the clock: no API calls here,
 * so every rule is unit-tested directly and the reap path can re-run the same rule on a fresh
 * description of the volume right before deleting it.
 */
import { TAGS } from "./config";
import { VolumeInfo } from "./volume";

const DAY_MS = 86_400_000;

/** What a scan does with one volume. */
export type ScanAction = "mark" | "report" | "keep" | "unmark";
/** What a reap does with one volume. */
export type ReapAction = "delete" | "skip";

/** A decision and the reason a person reads in logs and reports. */
export interface Decision<A extends string> {
  readonly action: A;
  readonly reason: string;
}

function isTrue(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === "true";
}

function tagValue(tags: Readonly<Record<string, string>>, key: string): string | undefined {
  const found = Object.keys(tags).find((k) => k.toLowerCase() === key);
  return found === undefined ? undefined : tags[found];
}

/** The recipient of a volume's report: its `owner` tag, else its `team` tag, else the default (tag keys match in any case). */
export function resolveOwner(tags: Readonly<Record<string, string>>, defaultRecipient: string): string {
  const owner = tagValue(tags, "owner")?.trim() || tagValue(tags, "team")?.trim();
  return owner || defaultRecipient;
}

/** Whole days from `from` to `now`, never negative. */
export function daysBetween(from: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - from.getTime()) / DAY_MS));
}

/** The date in the marked-at tag, or undefined when the tag is missing or not a date. */
export function markedAt(volume: VolumeInfo): Date | undefined {
  const raw = volume.tags[TAGS.markedAt];
  if (raw === undefined) return undefined;
  const date = new Date(raw);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Whether the owner approved this mark: `approved` must equal the current `marked-at` value, so an
 * approval given for an earlier mark, before any mark, or as a bare "true" does not count.
 */
export function isApproved(volume: VolumeInfo): boolean {
  const approval = volume.tags[TAGS.approved]?.trim();
  const mark = volume.tags[TAGS.markedAt]?.trim();
  return approval !== undefined && mark !== undefined && markedAt(volume) !== undefined && approval === mark;
}

/** Why a volume's approval does not count, or the instruction when there is none. */
function approvalMissing(volume: VolumeInfo): string {
  const mark = volume.tags[TAGS.markedAt];
  const approval = volume.tags[TAGS.approved];
  const set = `set ${TAGS.approved}=${mark} (this mark's ${TAGS.markedAt} value)`;
  if (approval === undefined) return `not approved by its owner; ${set}`;
  if (isTrue(approval)) return `approval "true" no longer counts; ${set}`;
  return `approval "${approval}" is for another mark; ${set}`;
}

/** What the reaper knows of a snapshot named in a volume's `snapshot-id` tag. */
export interface SnapshotInfo {
  readonly snapshotId: string;
  /** "completed", "pending", "error", or "missing" when it does not exist. */
  readonly state: string;
  readonly volumeId?: string;
  readonly startTime?: Date;
}

/**
 * Why a snapshot cannot stand as this volume's final snapshot, or undefined when it can: it must
 * be of this volume, taken after the current mark (so it holds the data being deleted), and not
 * failed. A tag naming any other snapshot (someone else's, an old one) is ignored.
 */
export function snapshotProblem(snapshot: SnapshotInfo, volume: VolumeInfo): string | undefined {
  if (snapshot.state === "missing" || snapshot.state === "error") return `snapshot ${snapshot.snapshotId} is ${snapshot.state}`;
  if (snapshot.volumeId !== volume.volumeId) return `snapshot ${snapshot.snapshotId} is of ${snapshot.volumeId ?? "an unknown volume"}, not ${volume.volumeId}`;
  const mark = markedAt(volume);
  if (!mark || !snapshot.startTime || snapshot.startTime.getTime() < mark.getTime()) {
    return `snapshot ${snapshot.snapshotId} started ${snapshot.startTime?.toISOString() ?? "at an unknown time"}, before the mark ${volume.tags[TAGS.markedAt]}`;
  }
  return undefined;
}

/** Whether the owner excluded the volume for good. */
export function isKept(volume: VolumeInfo): boolean {
  return isTrue(volume.tags[TAGS.keep]);
}

/**
 * Scan rule: an attached volume that still carries a mark is unmarked (its approval is void too,
 * being bound to that mark);
 * a kept volume is left alone; any other unattached volume is marked (again, if its mark is not a
 * date), or reported again if it already was.
 */
export function decideScan(volume: VolumeInfo, now: Date): Decision<ScanAction> {
  const marked = volume.tags[TAGS.markedAt] !== undefined;
  if (volume.attached) {
    return { action: "unmark", reason: `attached again (state ${volume.state}); mark and approval removed` };
  }
  if (isKept(volume)) return { action: "keep", reason: `tagged ${TAGS.keep}=true by its owner` };
  const since = markedAt(volume);
  if (!marked) return { action: "mark", reason: "unattached; marked for owner review" };
  if (!since) return { action: "mark", reason: `${TAGS.markedAt} was not a date; marked again from today` };
  const days = daysBetween(since, now);
  const approval = isApproved(volume) ? "approved" : `awaiting approval: ${approvalMissing(volume)}`;
  return { action: "report", reason: `unattached, marked ${days} day(s) ago, ${approval}` };
}

/**
 * Reap rule: delete only a volume that is unattached, not kept, marked at least `graceDays` ago
 * and approved by its owner for this mark. Every other case says which condition is missing.
 */
export function decideReap(volume: VolumeInfo, now: Date, graceDays: number): Decision<ReapAction> {
  if (volume.attached || volume.state !== "available") {
    return { action: "skip", reason: `not unattached (state ${volume.state})` };
  }
  if (isKept(volume)) return { action: "skip", reason: `tagged ${TAGS.keep}=true by its owner` };
  if (volume.tags[TAGS.markedAt] === undefined) return { action: "skip", reason: "not marked yet; a scan marks it first" };
  const since = markedAt(volume);
  if (!since) return { action: "skip", reason: `${TAGS.markedAt} "${volume.tags[TAGS.markedAt]}" is not a date; the next scan marks it again` };
  const days = daysBetween(since, now);
  if (days < graceDays) return { action: "skip", reason: `marked ${days} day(s) ago; grace period is ${graceDays} day(s)` };
  if (!isApproved(volume)) return { action: "skip", reason: approvalMissing(volume) };
  return { action: "delete", reason: `unattached, marked ${days} day(s) ago, approved by its owner` };
}
