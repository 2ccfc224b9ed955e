/**
 * A small in-memory EC2 for unit tests: per account and region, volumes that DescribeVolumes
 * pages through honouring MaxResults (unlike moto), snapshots that complete on demand, and an
 * ordered journal of every call, all through aws-sdk-client-mock stubs on real SDK clients.
 */
import {
  CreateSnapshotCommand, CreateTagsCommand, DeleteTagsCommand, DeleteVolumeCommand, DescribeRegionsCommand,
  DescribeSnapshotsCommand, DescribeVolumesCommand, EC2Client, Filter, Volume,
} from "@aws-sdk/client-ec2";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { AwsStub, mockClient } from "aws-sdk-client-mock";
import { ClientFactory } from "../../../lambdas/ebs-reaper/clients";

/** The caller's own account in every fake cloud. */
export const OWN_ACCOUNT = "111111111111";

/** One call as the journal records it. */
export interface JournalEntry {
  readonly account: string;
  readonly region: string;
  readonly command: string;
  readonly input: any;
}

type Ec2Stub = AwsStub<any, any, any>;

/** Options that inject faults. */
export interface FakeCloudOptions {
  /** Accounts whose member role cannot be assumed. */
  readonly denyAssume?: readonly string[];
  /** "account/region" pairs whose DescribeVolumes fails. */
  readonly failRegions?: readonly string[];
  /** Snapshot states DescribeSnapshots reports, in order; the last repeats. @default ["completed"] */
  readonly snapshotStates?: readonly string[];
  /** Called before answering DescribeVolumes for given ids: lets a test attach a volume mid-reap. */
  readonly beforeDescribeById?: (volume: Volume) => void;
}

/** An in-memory multi-account, multi-region EC2 with STS and SNS. */
export class FakeCloud {
  readonly journal: JournalEntry[] = [];
  readonly volumes = new Map<string, Volume[]>();
  /** Snapshots by id; `startTime` is when CreateSnapshot was called (wall clock), or what a test seeded. */
  readonly snapshots = new Map<string, { volumeId: string; tags: { Key?: string; Value?: string }[]; polls: number; startTime?: Date; state?: string }>();
  readonly published: any[] = [];
  private readonly stubs: Ec2Stub[] = [];
  private nextId = 0;

  constructor(private readonly options: FakeCloudOptions = {}) {}

  /** Add `count` volumes to an account-region; `make(i)` overrides fields of the i-th. */
  add(account: string, region: string, count: number, make: (i: number) => Partial<Volume> = () => ({})): Volume[] {
    const list = this.volumes.get(`${account}/${region}`) ?? [];
    const added = Array.from({ length: count }, (_, i): Volume => ({
      VolumeId: `vol-${(this.nextId++).toString(16).padStart(8, "0")}`,
      Size: 10,
      VolumeType: "gp3",
      State: "available",
      Attachments: [],
      Tags: [],
      CreateTime: new Date("2026-01-01T00:00:00Z"),
      ...make(i),
    }) as Volume);
    list.push(...added);
    this.volumes.set(`${account}/${region}`, list);
    return added;
  }

  /** Calls of one command, optionally for one account-region. */
  calls(command: string, where?: { account?: string; region?: string }): JournalEntry[] {
    return this.journal.filter(
      (e) => e.command === command && (!where?.account || e.account === where.account) && (!where?.region || e.region === where.region),
    );
  }

  /** Undo every stub (class-level STS/SNS stubs would leak into the next test). */
  restore(): void {
    for (const stub of this.stubs) stub.restore();
  }

  /** The client factory a run uses. */
  clients(): ClientFactory {
    const sts = mockClient(STSClient);
    this.stubs.push(sts);
    sts.on(GetCallerIdentityCommand).resolves({ Account: OWN_ACCOUNT });
    sts.on(AssumeRoleCommand).callsFake((input) => {
      const account = input.RoleArn.split(":")[4];
      this.journal.push({ account, region: "-", command: "AssumeRole", input });
      if (this.options.denyAssume?.includes(account)) {
        const error = new Error(`User is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`);
        error.name = "AccessDenied";
        throw error;
      }
      return { Credentials: { AccessKeyId: `AK${account}`, SecretAccessKey: "s", SessionToken: "t", Expiration: new Date(Date.now() + 3600_000) } };
    });
    const sns = mockClient(SNSClient);
    this.stubs.push(sns);
    sns.on(PublishCommand).callsFake((input) => {
      this.published.push(input);
      return { MessageId: `m-${this.published.length}` };
    });
    return {
      sts: (region, credentials) => new STSClient({ region, credentials }),
      sns: (region) => new SNSClient({ region }),
      ec2: (region, credentials) => {
        const account = credentials ? credentials.accessKeyId.slice(2) : OWN_ACCOUNT;
        const client = new EC2Client({ region, credentials: credentials ?? { accessKeyId: "own", secretAccessKey: "own" } });
        this.stub(client, account, region);
        return client;
      },
    };
  }

  private stub(client: EC2Client, account: string, region: string): void {
    const stub = mockClient(client);
    this.stubs.push(stub);
    const key = `${account}/${region}`;
    const log = (command: string, input: any) => this.journal.push({ account, region, command, input });
    const find = (id: string) => (this.volumes.get(key) ?? []).find((v) => v.VolumeId === id);
    stub.on(DescribeRegionsCommand).callsFake((input) => {
      log("DescribeRegions", input);
      return { Regions: [{ RegionName: "eu-west-1" }, { RegionName: "us-east-1" }] };
    });
    stub.on(DescribeVolumesCommand).callsFake((input) => {
      log("DescribeVolumes", input);
      if (this.options.failRegions?.includes(key)) {
        const error = new Error("Service unavailable in this region");
        error.name = "ServiceUnavailable";
        throw error;
      }
      if (input.VolumeIds) {
        const found = input.VolumeIds.map(find).filter(Boolean) as Volume[];
        found.forEach((v) => this.options.beforeDescribeById?.(v));
        if (found.length === 0) {
          const error = new Error("The volume does not exist");
          error.name = "InvalidVolume.NotFound";
          throw error;
        }
        return { Volumes: structuredClone(found) };
      }
      const matching = (this.volumes.get(key) ?? []).filter((v) => matches(v, input.Filters ?? []));
      const start = Number(input.NextToken ?? 0);
      const size = input.MaxResults ?? 1000;
      const end = start + size;
      return { Volumes: structuredClone(matching.slice(start, end)), NextToken: end < matching.length ? String(end) : undefined };
    });
    stub.on(CreateTagsCommand).callsFake((input) => {
      log("CreateTags", input);
      for (const id of input.Resources) {
        const volume = find(id);
        if (!volume) continue;
        for (const tag of input.Tags) {
          volume.Tags = [...(volume.Tags ?? []).filter((t) => t.Key !== tag.Key), tag];
        }
      }
      return {};
    });
    stub.on(DeleteTagsCommand).callsFake((input) => {
      log("DeleteTags", input);
      for (const id of input.Resources) {
        const volume = find(id);
        if (volume) volume.Tags = (volume.Tags ?? []).filter((t) => !input.Tags.some((d: { Key: string }) => d.Key === t.Key));
      }
      return {};
    });
    stub.on(CreateSnapshotCommand).callsFake((input) => {
      log("CreateSnapshot", input);
      const snapshotId = `snap-${this.snapshots.size}`;
      this.snapshots.set(snapshotId, { volumeId: input.VolumeId, tags: input.TagSpecifications?.[0]?.Tags ?? [], polls: 0, startTime: new Date() });
      return { SnapshotId: snapshotId, State: "pending" };
    });
    stub.on(DescribeSnapshotsCommand).callsFake((input) => {
      log("DescribeSnapshots", input);
      const snapshot = this.snapshots.get(input.SnapshotIds[0]);
      if (!snapshot) return { Snapshots: [] };
      const states = this.options.snapshotStates ?? ["completed"];
      const state = snapshot.state ?? states[Math.min(snapshot.polls++, states.length - 1)];
      return { Snapshots: [{ SnapshotId: input.SnapshotIds[0], State: state, VolumeId: snapshot.volumeId, StartTime: snapshot.startTime }] };
    });
    stub.on(DeleteVolumeCommand).callsFake((input) => {
      log("DeleteVolume", input);
      const volume = find(input.VolumeId);
      if (volume && volume.State !== "available") {
        const error = new Error(`Volume ${input.VolumeId} is currently attached`);
        error.name = "VolumeInUse";
        throw error;
      }
      this.volumes.set(key, (this.volumes.get(key) ?? []).filter((v) => v.VolumeId !== input.VolumeId));
      return {};
    });
  }
}

function matches(volume: Volume, filters: Filter[]): boolean {
  return filters.every((filter) => {
    if (filter.Name === "status") return filter.Values!.includes(volume.State!);
    if (filter.Name === "tag-key") return (volume.Tags ?? []).some((t) => filter.Values!.includes(t.Key!));
    throw new Error(`fake EC2 does not know filter ${filter.Name}`);
  });
}

/** A tag list from an object. */
export function tags(record: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(record).map(([Key, Value]) => ({ Key, Value }));
}
