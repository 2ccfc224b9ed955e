/**
 * Finding what to work on: the caller's account, credentials for each member account, the
 * regions of an account and its volumes, page by page.
 */
import { DescribeRegionsCommand, DescribeVolumesCommand, EC2Client, Filter } from "@aws-sdk/client-ec2";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { ClientFactory, Credentials } from "./clients";
import { toVolumeInfo, VolumeInfo } from "./volume";

/** DescribeVolumes' largest page: N volumes cost ceil(N/500) calls. */
export const PAGE_SIZE = 500;

/** Region used for account-level calls (STS, DescribeRegions) when the caller names none. */
export const HOME_REGION = process.env.AWS_REGION ?? "us-east-1";

/** Every volume matching `filters`, following NextToken with the largest page the API allows. */
export async function listVolumes(ec2: EC2Client, filters: Filter[]): Promise<VolumeInfo[]> {
  const volumes: VolumeInfo[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ec2.send(new DescribeVolumesCommand({ Filters: filters, MaxResults: PAGE_SIZE, NextToken: nextToken }));
    for (const volume of page.Volumes ?? []) volumes.push(toVolumeInfo(volume));
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return volumes;
}

/** Volumes no instance uses: the candidates. */
export const UNATTACHED: Filter[] = [{ Name: "status", Values: ["available"] }];

/** Volumes carrying the reaper's mark that are in use again: to be unmarked. */
export function attachedWithTag(tagKey: string): Filter[] {
  return [
    { Name: "status", Values: ["in-use"] },
    { Name: "tag-key", Values: [tagKey] },
  ];
}

/** One volume as EC2 sees it now, or undefined when it no longer exists. */
export async function describeVolume(ec2: EC2Client, volumeId: string): Promise<VolumeInfo | undefined> {
  try {
    const result = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }));
    const volume = result.Volumes?.[0];
    return volume ? toVolumeInfo(volume) : undefined;
  } catch (error) {
    if ((error as { name?: string }).name === "InvalidVolume.NotFound") return undefined;
    throw error;
  }
}

/** Regions enabled in the account (DescribeRegions lists only opted-in ones by default). */
export async function enabledRegions(ec2: EC2Client): Promise<string[]> {
  const result = await ec2.send(new DescribeRegionsCommand({}));
  return (result.Regions ?? []).map((r) => r.RegionName ?? "").filter(Boolean).sort();
}

/** The account the caller's own credentials belong to. */
export async function callerAccount(clients: ClientFactory): Promise<string> {
  const identity = await clients.sts(HOME_REGION).send(new GetCallerIdentityCommand({}));
  if (!identity.Account) throw new Error("STS GetCallerIdentity returned no account");
  return identity.Account;
}

/** Credentials for `roleName` in `accountId`, for one run (short-lived on purpose). */
export async function assumeMemberRole(clients: ClientFactory, accountId: string, roleName: string): Promise<Credentials> {
  const result = await clients.sts(HOME_REGION).send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`,
      RoleSessionName: "ebs-reaper",
      DurationSeconds: 3600,
    }),
  );
  const c = result.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole into ${accountId} returned no credentials`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}
