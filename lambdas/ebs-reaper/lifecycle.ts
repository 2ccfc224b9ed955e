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

/** Whether the owner excluded the volume for good. */
export function isKept(volume: VolumeInfo): boolean {
  return isTrue(volume.tags[TAGS.keep]);
}

/**
 * Scan rule: an attached volume that still carries a mark is unmarked (its approval is void too);
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
  const approval = isTrue(volume.tags[TAGS.approved]) ? "approved" : "awaiting approval";
  return { action: "report", reason: `unattached, marked ${days} day(s) ago, ${approval}` };
}

/**
 * Reap rule: delete only a volume that is unattached, not kept, marked at least `graceDays` ago
 * and approved by its owner. Every other case says which condition is missing.
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
  if (!isTrue(volume.tags[TAGS.approved])) {
    return { action: "skip", reason: `not approved by its owner (tag ${TAGS.approved}=true)` };
  }
  return { action: "delete", reason: `unattached, marked ${days} day(s) ago, approved by its owner` };
}
