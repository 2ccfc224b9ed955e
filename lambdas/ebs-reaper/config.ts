/**
 * The reaper's runtime configuration: its shape, its defaults and the checks shared by the
 * Lambda handler, the CLI and environments/schema.ts, so every entry point accepts exactly the
 * same values and rejects bad ones with the same message.
 */

/** Tags that drive the lifecycle. Owners only ever set `approved` and `keep`; the reaper never writes those two. */
export const TAGS = {
  /** ISO date the scan first saw the volume unattached. */
  markedAt: "ebs-reaper:marked-at",
  /**
   * Set by the owner to the volume's current `marked-at` value to allow deletion after the grace
   * period. Bound to the mark: a re-mark voids it, and "true" (the old form) no longer approves.
   */
  approved: "ebs-reaper:approved",
  /** Set to "true" by the owner to exclude the volume for good. */
  keep: "ebs-reaper:keep",
  /** On a volume: the final snapshot being taken, so a later run can finish the job. */
  snapshotId: "ebs-reaper:snapshot-id",
  /** On a snapshot: the volume it was taken from, for restores. */
  sourceVolumeId: "ebs-reaper:source-volume-id",
} as const;

/** The only tag keys the reaper writes or removes on volumes (its IAM policy allows exactly these). */
export const REAPER_WRITTEN_TAGS = [TAGS.markedAt, TAGS.snapshotId] as const;

/** EBS volume types with a published per-GiB-month price. */
export const VOLUME_TYPES = ["gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"] as const;

/** USD per GiB-month (us-east-1 list prices); storage only, IOPS/throughput extras are not counted. */
export const DEFAULT_PRICES: Readonly<Record<string, number>> = {
  gp2: 0.1,
  gp3: 0.08,
  io1: 0.125,
  io2: 0.125,
  st1: 0.045,
  sc1: 0.015,
  standard: 0.05,
};

/** Defaults for every optional setting, used by the CLI, the handler and the environment schema. */
export const REAPER_DEFAULTS = {
  /** Role the reaper assumes in each member account (see ReaperMemberRole). */
  roleName: "ebs-reaper-member",
  /** Days between marking and the earliest deletion. */
  graceDays: 7,
  /** Account-regions worked on at once: enough to hide API latency, few enough to stay under EC2 throttling. */
  concurrency: 8,
  /** Volumes of one account-region tagged or snapshotted at once. */
  volumeConcurrency: 8,
  /** Longest wait for one final snapshot before leaving it for the next run. */
  snapshotTimeoutMs: 120_000,
  /** Pause between snapshot state checks. */
  snapshotPollMs: 5_000,
} as const;

/** A 12-digit AWS account id. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
/** A region name such as eu-west-1 or us-gov-west-1. */
export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
/** An IAM role name (without path). */
export const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;

/** What one run needs to know, whichever entry point started it. */
export interface ReaperSettings {
  /** Member accounts; absent means the caller's own account. */
  readonly accounts?: readonly string[];
  /** Regions; absent means every region enabled in each account. */
  readonly regions?: readonly string[];
  /** Role assumed in member accounts other than the caller's own. */
  readonly roleName: string;
  /** Days a volume stays marked before it may be deleted. */
  readonly graceDays: number;
  /** USD per GiB-month by volume type. */
  readonly prices: Readonly<Record<string, number>>;
  /** Recipient for volumes without an `owner` or `team` tag. */
  readonly defaultRecipient: string;
  /** SNS topic for owner reports; absent means reports are only logged. */
  readonly topicArn?: string;
}

/** Why a setting was rejected: names the setting, the value and the fix. */
export class SettingError extends Error {
  constructor(
    /** The ReaperSettings field at fault, so each entry point can name its own flag or key. */
    public readonly setting: keyof ReaperSettings,
    message: string,
  ) {
    super(message);
    this.name = "SettingError";
  }
}

/** Check every setting; throws a SettingError naming the first bad one, its value and the fix. */
export function checkSettings(settings: ReaperSettings): ReaperSettings {
  for (const account of settings.accounts ?? []) {
    if (!ACCOUNT_ID_PATTERN.test(account)) {
      throw new SettingError("accounts", `account "${account}" is not a 12-digit AWS account id; pass ids like 123456789012`);
    }
  }
  for (const region of settings.regions ?? []) {
    if (!REGION_PATTERN.test(region)) {
      throw new SettingError("regions", `region "${region}" is not an AWS region name; pass names like eu-west-1`);
    }
  }
  if (!ROLE_NAME_PATTERN.test(settings.roleName)) {
    throw new SettingError("roleName", `role name "${settings.roleName}" is not a valid IAM role name; use 1-64 of letters, digits and +=,.@_-`);
  }
  if (!Number.isInteger(settings.graceDays) || settings.graceDays < 1) {
    throw new SettingError("graceDays", `grace days ${settings.graceDays} must be a whole number of days, 1 or more`);
  }
  for (const [type, price] of Object.entries(settings.prices)) {
    if (!(typeof price === "number" && price >= 0 && Number.isFinite(price))) {
      throw new SettingError("prices", `price for volume type "${type}" is ${price}; give USD per GiB-month as a number >= 0`);
    }
  }
  if (settings.defaultRecipient.trim() === "") {
    throw new SettingError("defaultRecipient", "default recipient is empty; name the team that hears about volumes without an owner or team tag");
  }
  return settings;
}
