/**
 * The only code that changes anything in an account: tagging, snapshots and deletion. Each
 * function does one API step; the order and the safety checks live in reaper.ts.
 */
import { CreateSnapshotCommand, CreateTagsCommand, DeleteTagsCommand, DeleteVolumeCommand, DescribeSnapshotsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { REAPER_WRITTEN_TAGS, TAGS } from "./config";
import { SnapshotInfo } from "./lifecycle";
import { VolumeInfo } from "./volume";

/** Record today as the day the volume was first seen unattached. */
export async function markVolume(ec2: EC2Client, volumeId: string, now: Date): Promise<void> {
  await ec2.send(new CreateTagsCommand({ Resources: [volumeId], Tags: [{ Key: TAGS.markedAt, Value: now.toISOString() }] }));
}

/**
 * Remove the mark and the final-snapshot reference, naming both keys (a DeleteTags without keys
 * would drop every tag). The owner's approval stays but is void: it names this mark, and the
 * next mark has a new value. The reaper may not touch `approved` or `keep` at all (IAM).
 */
export async function unmarkVolume(ec2: EC2Client, volumeId: string): Promise<void> {
  await ec2.send(new DeleteTagsCommand({ Resources: [volumeId], Tags: REAPER_WRITTEN_TAGS.map((Key) => ({ Key })) }));
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

/** One snapshot: its state, the volume it is of and when it started. */
export async function describeSnapshot(ec2: EC2Client, snapshotId: string): Promise<SnapshotInfo & { state: SnapshotState }> {
  try {
    const result = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }));
    const snapshot = result.Snapshots?.[0];
    const raw = snapshot?.State;
    const state: SnapshotState = raw === "completed" || raw === "pending" || raw === "error" ? raw : raw === undefined ? "missing" : "pending";
    return { snapshotId, state, volumeId: snapshot?.VolumeId, startTime: snapshot?.StartTime };
  } catch (error) {
    if ((error as { name?: string }).name === "InvalidSnapshot.NotFound") return { snapshotId, state: "missing" };
    throw error;
  }
}

/** Timing of the wait for a snapshot; `sleep` is injectable so tests do not wait for real. */
export interface WaitOptions {
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Poll until the snapshot leaves "pending" or the time is up; returns the last description seen. */
export async function waitForSnapshot(ec2: EC2Client, snapshotId: string, wait: WaitOptions): Promise<SnapshotInfo & { state: SnapshotState }> {
  const deadline = Date.now() + wait.timeoutMs;
  for (;;) {
    const snapshot = await describeSnapshot(ec2, snapshotId);
    if (snapshot.state !== "pending" || Date.now() + wait.pollMs > deadline) return snapshot;
    await wait.sleep(wait.pollMs);
  }
}

/** Delete the volume. EC2 itself refuses a volume that is in use (VolumeInUse): a last safety net. */
export async function deleteVolume(ec2: EC2Client, volumeId: string): Promise<void> {
  await ec2.send(new DeleteVolumeCommand({ VolumeId: volumeId }));
}
