/**
 * The reaper against a real emulator (moto_server on a private 127.0.0.1 port), through the CLI
 * entry point: hundreds of volumes (388) in two regions and two accounts, every lifecycle case, and a
 * volume attached while the reap is under way. moto 5.2 ignores MaxResults, so page counts are
 * asserted in the unit tests instead.
 */
import { CreateSnapshotCommand, CreateTagsCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { execFileSync, spawnSync } from "child_process";
import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { bundleLambda, moduleFile } from "../../../constructs/core/bundle";
import { ClientFactory, Credentials, sdkClients } from "../../../lambdas/ebs-reaper/clients";
import { TAGS } from "../../../lambdas/ebs-reaper/config";
import { attachVolumes, createVolumes, memberCredentials, startInstance } from "../../../tools/ebs-reaper-fixtures";
import { runCli } from "../../../tools/ebs-reaper";
import { MotoServer, startMoto } from "../../../tools/moto-server";

const OWN = "123456789012";
const MEMBER = "210987654321";
const ROLE = "ebs-reaper-member";
const REGIONS = ["eu-west-1", "us-east-1"];
const TEN_DAYS_AGO = new Date(Date.now() - 10 * 86_400_000).toISOString();
const TWO_DAYS_AGO = new Date(Date.now() - 2 * 86_400_000).toISOString();
const TWENTY_DAYS_AGO = new Date(Date.now() - 20 * 86_400_000).toISOString();

/** Volumes per case, per account-region (x4 account-regions = 352 volumes). */
const CASES = {
  attached: { count: 15, tags: { owner: "payments" } },
  plain: { count: 25, tags: { team: "data" } },
  kept: { count: 10, tags: { owner: "payments", [TAGS.markedAt]: TEN_DAYS_AGO, [TAGS.approved]: TEN_DAYS_AGO, [TAGS.keep]: "true" } },
  approved: { count: 15, tags: { owner: "payments", "cost-center": "CC-1042", [TAGS.markedAt]: TEN_DAYS_AGO, [TAGS.approved]: TEN_DAYS_AGO } },
  unapproved: { count: 10, tags: { owner: "payments", [TAGS.markedAt]: TEN_DAYS_AGO } },
  young: { count: 5, tags: { owner: "payments", [TAGS.markedAt]: TWO_DAYS_AGO, [TAGS.approved]: TWO_DAYS_AGO } },
  reattached: { count: 5, tags: { owner: "payments", [TAGS.markedAt]: TEN_DAYS_AGO, [TAGS.approved]: TEN_DAYS_AGO } },
  raced: { count: 3, tags: { owner: "payments", [TAGS.markedAt]: TEN_DAYS_AGO, [TAGS.approved]: TEN_DAYS_AGO } },
  /** The old approval form: "true" no longer approves. */
  preApprovedTrue: { count: 3, tags: { owner: "payments", [TAGS.markedAt]: TEN_DAYS_AGO, [TAGS.approved]: "true" } },
  /** Approved for an earlier mark: void since the volume was marked again. */
  olderMark: { count: 3, tags: { owner: "payments", [TAGS.markedAt]: TEN_DAYS_AGO, [TAGS.approved]: TWENTY_DAYS_AGO } },
  /** Approved, but its snapshot-id tag names a completed snapshot of another volume (seeded below). */
  foreignSnapshot: { count: 3, tags: { owner: "payments", "cost-center": "CC-1042", [TAGS.markedAt]: TEN_DAYS_AGO, [TAGS.approved]: TEN_DAYS_AGO } },
} as const;
type Case = keyof typeof CASES;

interface Place {
  readonly account: string;
  readonly region: string;
  readonly ec2: EC2Client;
  readonly instanceId: string;
  readonly ids: Record<Case, string[]>;
  /** A completed snapshot of an attached volume, named in the foreignSnapshot volumes' snapshot-id tag. */
  readonly foreignSnapshotId: string;
}

let moto: MotoServer;
let places: Place[];
const credentials = new Map<string, Credentials | undefined>();
const saved = { ...process.env };

/** The CLI's own clients, plus a hook that attaches a "raced" volume just as its final snapshot starts. */
function racingClients(): ClientFactory {
  const real = sdkClients(moto.endpoint);
  const raced = new Map(places.flatMap((p) => p.ids.raced.map((id) => [id, p] as const)));
  return {
    ...real,
    ec2: (region, creds) => {
      const client = real.ec2(region, creds);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const place = raced.get((args.input as { VolumeId?: string }).VolumeId ?? "");
          if (context.commandName === "CreateSnapshotCommand" && place) await attachVolumes(place.ec2, place.instanceId, [(args.input as { VolumeId: string }).VolumeId]);
          return next(args);
        },
        { step: "initialize", name: "attachDuringReap" },
      );
      return client;
    },
  };
}

async function cli(argv: string[]): Promise<{ code: number; json: any[]; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, process.env, racingClients());
  return { code, json: argv.includes("json") ? JSON.parse(out.join("\n")) : [], stderr: err.join("\n") };
}

async function volumeTags(place: Place): Promise<Map<string, Record<string, string>>> {
  const result = await place.ec2.send(new DescribeVolumesCommand({}));
  return new Map((result.Volumes ?? []).map((v) => [v.VolumeId!, Object.fromEntries((v.Tags ?? []).map((t) => [t.Key!, t.Value!]))]));
}

/** Snapshots the reaper took (moto also lists its AMIs' snapshots, whatever OwnerIds says). */
async function finalSnapshots(place: Place) {
  const result = await place.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ["self"], Filters: [{ Name: "tag-key", Values: [TAGS.sourceVolumeId] }] }));
  return (result.Snapshots ?? []).filter((s) => s.Tags?.some((t) => t.Key === TAGS.sourceVolumeId));
}

beforeAll(async () => {
  moto = await startMoto();
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: moto.endpoint });
  credentials.set(OWN, undefined);
  credentials.set(MEMBER, await memberCredentials(moto.endpoint, MEMBER, ROLE));
  places = await Promise.all(
    [OWN, MEMBER].flatMap((account) =>
      REGIONS.map(async (region): Promise<Place> => {
        const ec2 = new EC2Client({ region, endpoint: moto.endpoint, ...(credentials.get(account) ? { credentials: credentials.get(account) } : {}) });
        const ids = {} as Record<Case, string[]>;
        for (const [name, spec] of Object.entries(CASES)) ids[name as Case] = await createVolumes(ec2, region, spec.count, spec.tags);
        const instanceId = await startInstance(ec2, region);
        await attachVolumes(ec2, instanceId, [...ids.attached, ...ids.reattached]);
        const foreign = await ec2.send(new CreateSnapshotCommand({ VolumeId: ids.attached[0] }));
        await ec2.send(new CreateTagsCommand({ Resources: ids.foreignSnapshot, Tags: [{ Key: TAGS.snapshotId, Value: foreign.SnapshotId! }] }));
        return { account, region, ec2, instanceId, ids, foreignSnapshotId: foreign.SnapshotId! };
      }),
    ),
  );
}, 120_000); // seeding is quick alone (~10 s) but slows a lot when the whole suite shares 2 cores

afterAll(async () => {
  await moto?.stop();
  process.env = saved;
});

const ALL_ACCOUNTS = ["--regions", REGIONS.join(","), "--accounts", `${OWN},${MEMBER}`, "--format", "json"];

describe("ebs-reaper on moto_server", () => {
  it("scan marks unattached volumes, leaves kept ones, unmarks re-attached ones, and lists them all as JSON", async () => {
    const { code, json, stderr } = await cli(["scan", ...ALL_ACCOUNTS, "--no-dry-run"]);
    expect(stderr).not.toMatch(/FAILED/);
    expect(code).toBe(0);
    expect(Object.keys(json[0]).sort()).toEqual(["accountId", "action", "monthlyCostUsd", "owner", "reason", "region", "sizeGiB", "volumeId", "volumeType"]);
    for (const place of places) {
      const mine = json.filter((r) => r.accountId === place.account && r.region === place.region);
      const action = new Map(mine.map((r) => [r.volumeId, r.action]));
      expect(place.ids.plain.every((id) => action.get(id) === "mark")).toBe(true);
      expect(place.ids.kept.every((id) => action.get(id) === "keep")).toBe(true);
      expect(place.ids.reattached.every((id) => action.get(id) === "unmark")).toBe(true);
      expect(place.ids.attached.some((id) => action.has(id))).toBe(false);
      const tags = await volumeTags(place);
      expect(place.ids.plain.every((id) => tags.get(id)![TAGS.markedAt])).toBe(true);
      // Unmarked; the owner's approval stays (the reaper may not touch it) but is void: it names the old mark.
      expect(place.ids.reattached.every((id) => !tags.get(id)![TAGS.markedAt] && !tags.get(id)![TAGS.snapshotId])).toBe(true);
      // A marked volume awaiting approval says exactly what to set: its own mark's value.
      const unapproved = place.ids.unapproved[0];
      expect(mine.find((r) => r.volumeId === unapproved).reason).toContain(`set ${TAGS.approved}=${tags.get(unapproved)![TAGS.markedAt]}`);
      expect(mine.find((r) => r.volumeId === place.ids.plain[0])).toMatchObject({ owner: "data", sizeGiB: 10, volumeType: "gp3", monthlyCostUsd: 0.8 });
    }
  });

  it("a dry-run reap (the default) deletes nothing and takes no snapshot", async () => {
    const { code, json } = await cli(["reap", ...ALL_ACCOUNTS]);
    expect(code).toBe(0);
    expect(json.filter((r) => r.action === "would-delete")).toHaveLength(4 * (CASES.approved.count + CASES.raced.count + CASES.foreignSnapshot.count));
    for (const place of places) {
      const remaining = await volumeTags(place);
      expect(Object.values(place.ids).flat().filter((id) => !remaining.has(id))).toEqual([]);
      expect(await finalSnapshots(place)).toHaveLength(0);
    }
  });

  it("reap deletes only volumes approved for their current mark, unattached, unkept, past the grace period, each after a verified snapshot of itself", async () => {
    const { code, json } = await cli(["reap", ...ALL_ACCOUNTS, "--no-dry-run"]);
    expect(code).toBe(0);
    for (const place of places) {
      const remaining = await volumeTags(place);
      const deleted = Object.values(place.ids).flat().filter((id) => !remaining.has(id));
      expect(deleted.sort()).toEqual([...place.ids.approved, ...place.ids.foreignSnapshot].sort());
      for (const kept of ["attached", "plain", "kept", "unapproved", "young", "reattached", "raced", "preApprovedTrue", "olderMark"] as const) {
        expect(place.ids[kept].every((id) => remaining.has(id))).toBe(true);
      }
      const bySource = new Map((await finalSnapshots(place)).map((s) => [s.Tags?.find((t) => t.Key === TAGS.sourceVolumeId)?.Value, s]));
      for (const id of deleted) {
        const snapshot = bySource.get(id);
        expect(snapshot).toMatchObject({ VolumeId: id, State: "completed" });
        expect(json.find((r) => r.volumeId === id).reason).toContain(`final snapshot ${snapshot!.SnapshotId} of this volume, verified`);
        expect(snapshot!.SnapshotId).not.toBe(place.foreignSnapshotId);
        expect(snapshot!.Tags).toEqual(expect.arrayContaining([{ Key: "owner", Value: "payments" }, { Key: "cost-center", Value: "CC-1042" }]));
      }
      for (const id of place.ids.preApprovedTrue) expect(json.find((r) => r.volumeId === id).reason).toMatch(/approval "true" no longer counts/);
      for (const id of place.ids.olderMark) expect(json.find((r) => r.volumeId === id).reason).toMatch(/is for another mark/);
      for (const id of place.ids.foreignSnapshot) expect(json.find((r) => r.volumeId === id).reason).toMatch(new RegExp(`ignored snapshot ${place.foreignSnapshotId} is of vol-`));
      expect([...place.ids.preApprovedTrue, ...place.ids.olderMark].some((id) => bySource.has(id))).toBe(false);
      const raced = json.filter((r) => place.ids.raced.includes(r.volumeId));
      expect(raced.map((r) => r.action)).toEqual(Array(CASES.raced.count).fill("skip"));
      expect(raced[0].reason).toMatch(/changed since the scan, not deleted: not unattached \(state in-use\)/);
    }
    expect(json.filter((r) => r.action === "delete")).toHaveLength(4 * (CASES.approved.count + CASES.foreignSnapshot.count));
  });

  it("the bundled Lambda (the deployed artifact) scans for real by default and publishes the owner reports", async () => {
    const place = places.find((p) => p.account === OWN && p.region === "eu-west-1")!;
    const [fresh] = await createVolumes(place.ec2, "eu-west-1", 1, { owner: "lambda-test" });
    const topic = await new SNSClient({ region: "eu-west-1", endpoint: moto.endpoint }).send(new CreateTopicCommand({ Name: "ebs-reaper" }));
    const bundle = bundleLambda(moduleFile(__dirname, "../../../lambdas/ebs-reaper/handler"));
    const dir = mkdtempSync(join(tmpdir(), "ebs-reaper-lambda-"));
    execFileSync("python3", ["-m", "zipfile", "-e", bundle.zipPath, dir]);
    const script = `require(${JSON.stringify(join(dir, "index.js"))}).handler({ mode: "scan" })`;
    const run = spawnSync(process.execPath, ["-e", script], {
      encoding: "utf8",
      env: {
        ...process.env,
        REAPER_SETTINGS: JSON.stringify({ accounts: [OWN], regions: ["eu-west-1"], defaultRecipient: "platform", prices: { gp3: 0.08 } }),
        REAPER_TOPIC_ARN: topic.TopicArn,
      },
    });
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.find((l) => l.volumeId === fresh)).toMatchObject({ event: "volume", action: "mark", owner: "lambda-test", dryRun: false });
    expect(lines.filter((l) => l.event === "report").every((l) => l.sent === true)).toBe(true);
    expect(lines.at(-1)).toMatchObject({ event: "summary", failures: 0 });
    expect((await volumeTags(place)).get(fresh)![TAGS.markedAt]).toBeDefined();
  });

  it("rejects a malformed account before calling the emulator", async () => {
    const { code, stderr } = await cli(["reap", "--accounts", "12345678901x", "--no-dry-run"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--accounts: account "12345678901x" is not a 12-digit AWS account id/);
  });
});
