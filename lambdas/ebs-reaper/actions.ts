/**
 * The only code that changes anything in an account: tagging, snapshots and deletion. Each
 * function does one API step; the order and the safety checks live in reaper.ts.
 */
import { CreateSnapshotCommand, CreateTagsCommand, DeleteTagsCommand, DeleteVolumeCommand, DescribeSnapshotsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { TAGS } from "./config";
import { VolumeInfo } from "./volume";

/** Record today as the day the volume was first seen unattached. */
export async function markVolume(ec2: EC2Client, volumeId: string, now: Date): Promise<void> {
  await ec2.send(new CreateTagsCommand({ Resources: [volumeId], Tags: [{ Key: TAGS.markedAt, Value: now.toISOString() }] }));
}

/** Remove the mark and any approval: an approval given for an idle volume is void once it is used again. */
export async function unmarkVolume(ec2: EC2Client, volumeId: string): Promise<void> {
  await ec2.send(new DeleteTagsCommand({ Resources: [volumeId], Tags: [{ Key: TAGS.markedAt }, { Key: TAGS.approved }] }));
}

/**
 * Tags a final snapshot carries: the volume's own, plus where it came from. Reserved aws: keys
 * cannot be written, and the reaper's lifecycle tags would only confuse a later reader.
 */
export function snapshotTags(volume: VolumeInfo): { Key: string; Value: string }[] {
  const copied = Object.entries(volume.tags)
    .filter(([key]) => !key.toLowerCase().startsWith("aws:") && !key.startsWith("ebs-reaper:"))
    .map(([Key, Value]) => ({ Key, Value }));
  return [...copied, { Key: TAGS.sourceVolumeId, Value: volume.volumeId }];
}

/**
 * Start the final snapshot and remember its id on the volume, so a run that ends before the
 * snapshot completes lets the next run finish instead of starting another one.
 */
export async function startFinalSnapshot(ec2: EC2Client, volume: VolumeInfo): Promise<string> {
  const result = await ec2.send(
    new CreateSnapshotCommand({
      VolumeId: volume.volumeId,
      Description: `ebs-reaper final snapshot of ${volume.volumeId} before deletion`,
      TagSpecifications: [{ ResourceType: "snapshot", Tags: snapshotTags(volume) }],
    }),
  );
  if (!result.SnapshotId) throw new Error(`CreateSnapshot for ${volume.volumeId} returned no snapshot id`);
  await ec2.send(new CreateTagsCommand({ Resources: [volume.volumeId], Tags: [{ Key: TAGS.snapshotId, Value: result.SnapshotId }] }));
  return result.SnapshotId;
}

/** Snapshot state as the reaper cares about it; "missing" when it was deleted or never existed. */
export type SnapshotState = "completed" | "pending" | "error" | "missing";

/** The current state of one snapshot. */
export async function snapshotState(ec2: EC2Client, snapshotId: string): Promise<SnapshotState> {
  try {
    const result = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }));
    const state = result.Snapshots?.[0]?.State;
    if (state === "completed" || state === "pending" || state === "error") return state;
    return state === undefined ? "missing" : "pending";
  } catch (error) {
    if ((error as { name?: string }).name === "InvalidSnapshot.NotFound") return "missing";
    throw error;
  }
}

/** Timing of the wait for a snapshot; `sleep` is injectable so tests do not wait for real. */
export interface WaitOptions {
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Poll until the snapshot leaves "pending" or the time is up; returns the last state seen. */
export async function waitForSnapshot(ec2: EC2Client, snapshotId: string, wait: WaitOptions): Promise<SnapshotState> {
  const deadline = Date.now() + wait.timeoutMs;
  for (;;) {
    const state = await snapshotState(ec2, snapshotId);
    if (state !== "pending" || Date.now() + wait.pollMs > deadline) return state;
    await wait.sleep(wait.pollMs);
  }
}

/** Delete the volume. EC2 itself refuses a volume that is in use (VolumeInUse): a last safety net. */
export async function deleteVolume(ec2: EC2Client, volumeId: string): Promise<void> {
  await ec2.send(new DeleteVolumeCommand({ VolumeId: volumeId }));
}
