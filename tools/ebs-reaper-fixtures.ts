/**
 * Volumes on the emulator for the reaper's integration test and benchmark: create many volumes
 * quickly (a few requests in flight), attach some to an instance, and reach a member account the
 * way the reaper does (AssumeRole), so fixtures live in the account the reaper will look at.
 */
import { AttachVolumeCommand, CreateVolumeCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { Credentials } from "../lambdas/ebs-reaper/clients";
import { mapSettled } from "../lambdas/ebs-reaper/concurrency";

/** Requests in flight while seeding: moto answers one at a time per thread, a few overlap well. */
const SEED_CONCURRENCY = 8;

/** Credentials for `accountId` on the emulator (moto maps assumed-role keys to the role's account). */
export async function memberCredentials(endpoint: string, accountId: string, roleName: string): Promise<Credentials> {
  const sts = new STSClient({ region: "us-east-1", endpoint });
  const result = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`, RoleSessionName: "fixtures" }));
  const c = result.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
}

/** Create `count` gp3 volumes with `tags` in the region's first AZ; returns their ids in order. */
export async function createVolumes(ec2: EC2Client, region: string, count: number, tags: Record<string, string>, sizeGiB = 10): Promise<string[]> {
  const outcomes = await mapSettled(Array.from({ length: count }, (_, i) => i), SEED_CONCURRENCY, async () => {
    const result = await ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: `${region}a`,
        Size: sizeGiB,
        VolumeType: "gp3",
        ...(Object.keys(tags).length > 0 ? { TagSpecifications: [{ ResourceType: "volume", Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }] } : {}),
      }),
    );
    return result.VolumeId!;
  });
  return outcomes.map((o) => {
    if (!o.ok) throw o.error;
    return o.value;
  });
}

/** Start one instance in the region's first AZ, to attach volumes to. */
export async function startInstance(ec2: EC2Client, region: string): Promise<string> {
  const result = await ec2.send(new RunInstancesCommand({ ImageId: "ami-12c6146b", MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: `${region}a` } }));
  return result.Instances![0].InstanceId!;
}

/** Attach each volume to `instanceId` (the emulator does not limit device names). */
export async function attachVolumes(ec2: EC2Client, instanceId: string, volumeIds: readonly string[]): Promise<void> {
  const outcomes = await mapSettled(volumeIds, SEED_CONCURRENCY, (volumeId) =>
    ec2.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: `/dev/xvd${volumeId.slice(-6)}` })),
  );
  for (const o of outcomes) if (!o.ok) throw o.error;
}
