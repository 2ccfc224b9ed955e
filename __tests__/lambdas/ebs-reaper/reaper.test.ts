import { TAGS, DEFAULT_PRICES, ReaperSettings } from "../../../lambdas/ebs-reaper/config";
import { handler } from "../../../lambdas/ebs-reaper/handler";
import { Mode, runFailed, runReaper, RunOptions } from "../../../lambdas/ebs-reaper/reaper";
import { RunLog } from "../../../lambdas/ebs-reaper/report";
import { FakeCloud, FakeCloudOptions, OWN_ACCOUNT, tags } from "./fake-cloud";

const NOW = new Date("2026-03-20T12:00:00Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();
const A = "222222222222";
const B = "333333333333";

const settings = (over: Partial<ReaperSettings> = {}): ReaperSettings => ({
  accounts: [A, B],
  regions: ["eu-west-1", "us-east-1"],
  roleName: "ebs-reaper-member",
  graceDays: 7,
  prices: DEFAULT_PRICES,
  defaultRecipient: "platform",
  ...over,
});

let cloud: FakeCloud;
let lines: any[];

function setup(options: FakeCloudOptions = {}): FakeCloud {
  cloud = new FakeCloud(options);
  return cloud;
}

function run(mode: Mode, over: Partial<Omit<RunOptions, "settings">> & { settings?: Partial<ReaperSettings> } = {}) {
  lines = [];
  const { settings: s, ...rest } = over;
  return runReaper({
    mode,
    settings: settings(s),
    dryRun: false,
    clients: cloud.clients(),
    log: new RunLog((line) => lines.push(JSON.parse(line)), { mode, dryRun: over.dryRun ?? false }),
    now: NOW,
    sleep: async () => undefined,
    snapshotPollMs: 1,
    ...rest,
  });
}

afterEach(() => cloud.restore());

/** Marked (10 days ago unless `extra` says otherwise) and approved for exactly that mark. */
const approvedTags = (extra: Record<string, string> = {}) => {
  const mark = extra[TAGS.markedAt] ?? daysAgo(10);
  return tags({ owner: "payments", [TAGS.markedAt]: mark, [TAGS.approved]: mark, ...extra });
};

describe("discovery", () => {
  it("pages DescribeVolumes with MaxResults 500: ceil(N/500) calls per account-region", async () => {
    setup();
    const sizes: Record<string, number> = { [`${A}/eu-west-1`]: 1234, [`${A}/us-east-1`]: 500, [`${B}/eu-west-1`]: 0, [`${B}/us-east-1`]: 1001 };
    for (const [key, n] of Object.entries(sizes)) {
      const [account, region] = key.split("/");
      cloud.add(account, region, n);
    }
    const report = await run("reap", { dryRun: true });
    for (const [key, n] of Object.entries(sizes)) {
      const [account, region] = key.split("/");
      const calls = cloud.calls("DescribeVolumes", { account, region });
      expect(calls).toHaveLength(Math.max(1, Math.ceil(n / 500)));
      expect(calls.every((c) => c.input.MaxResults === 500)).toBe(true);
      expect(calls[0].input.Filters).toEqual([{ Name: "status", Values: ["available"] }]);
    }
    expect(report.results).toHaveLength(1234 + 500 + 1001);
  });

  it("scan adds one query for marked volumes in use; the unattached query still costs ceil(N/500)", async () => {
    setup();
    cloud.add(A, "eu-west-1", 1200);
    await run("scan", { settings: { accounts: [A], regions: ["eu-west-1"] }, dryRun: true });
    const calls = cloud.calls("DescribeVolumes", { account: A });
    expect(calls.filter((c) => c.input.Filters[0].Values[0] === "available")).toHaveLength(3);
    expect(calls.filter((c) => c.input.Filters[0].Values[0] === "in-use")).toHaveLength(1);
  });

  it("works on the caller's own account without assuming a role, and on every enabled region when none are given", async () => {
    setup();
    cloud.add(OWN_ACCOUNT, "us-east-1", 2);
    const report = await run("scan", { settings: { accounts: undefined, regions: undefined }, dryRun: true });
    expect(cloud.calls("AssumeRole")).toHaveLength(0);
    expect(cloud.calls("DescribeRegions")).toHaveLength(1);
    expect(new Set(report.results.map((r) => `${r.accountId}/${r.region}`))).toEqual(new Set([`${OWN_ACCOUNT}/us-east-1`]));
    expect(cloud.calls("DescribeVolumes", { region: "eu-west-1" }).length).toBeGreaterThan(0);
  });
});

describe("faults", () => {
  it("reports an account whose role cannot be assumed and still processes the others", async () => {
    setup({ denyAssume: [A] });
    cloud.add(B, "eu-west-1", 3);
    const report = await run("scan");
    expect(report.failures).toEqual([
      { accountId: A, region: "*", reason: expect.stringMatching(/cannot assume role ebs-reaper-member or list regions: AccessDenied: User is not authorized/) },
    ]);
    expect(report.results.filter((r) => r.accountId === B && r.action === "mark")).toHaveLength(3);
    expect(runFailed(report)).toBe(true);
    expect(lines.find((l) => l.event === "failure")).toMatchObject({ level: "error", accountId: A });
  });

  it("reports a failing region and still processes the other regions", async () => {
    setup({ failRegions: [`${A}/us-east-1`] });
    cloud.add(A, "eu-west-1", 2);
    cloud.add(B, "us-east-1", 2);
    const report = await run("scan");
    expect(report.failures).toEqual([{ accountId: A, region: "us-east-1", reason: expect.stringMatching(/ServiceUnavailable/) }]);
    expect(report.results.map((r) => `${r.accountId}/${r.region}`).sort()).toEqual([`${A}/eu-west-1`, `${A}/eu-west-1`, `${B}/us-east-1`, `${B}/us-east-1`]);
    expect(runFailed(report)).toBe(true);
  });
});

describe("scan", () => {
  it("marks, keeps, unmarks a re-attached volume and sends one report per owner", async () => {
    setup();
    const [fresh] = cloud.add(A, "eu-west-1", 1, () => ({ Tags: tags({ owner: "payments" }) }));
    const [teamOnly] = cloud.add(A, "eu-west-1", 1, () => ({ Tags: tags({ team: "data" }), Size: 500, VolumeType: "gp2" }));
    const [kept] = cloud.add(A, "eu-west-1", 1, () => ({ Tags: tags({ owner: "payments", [TAGS.keep]: "true" }) }));
    const [back] = cloud.add(A, "eu-west-1", 1, () => ({ State: "in-use", Attachments: [{ InstanceId: "i-1" }], Tags: approvedTags() }));
    const [noOwner] = cloud.add(B, "us-east-1", 1);
    const report = await run("scan", { settings: { topicArn: "arn:aws:sns:eu-west-1:111111111111:ebs-reaper" } });

    const action = (id?: string) => report.results.find((r) => r.volumeId === id)?.action;
    expect([action(fresh.VolumeId), action(teamOnly.VolumeId), action(kept.VolumeId), action(back.VolumeId), action(noOwner.VolumeId)]).toEqual([
      "mark", "mark", "keep", "unmark", "mark",
    ]);
    const marked = cloud.calls("CreateTags").map((c) => c.input);
    expect(marked).toHaveLength(3);
    expect(marked[0].Tags).toEqual([{ Key: TAGS.markedAt, Value: NOW.toISOString() }]);
    // Unmark names its keys (never a bare DeleteTags) and never touches the owner's approved/keep.
    expect(cloud.calls("DeleteTags")[0].input).toEqual({ Resources: [back.VolumeId], Tags: [{ Key: TAGS.markedAt }, { Key: TAGS.snapshotId }] });

    expect(cloud.published.map((p) => p.MessageAttributes.owner.StringValue).sort()).toEqual(["data", "payments", "platform"]);
    const data = cloud.published.find((p) => p.MessageAttributes.owner.StringValue === "data");
    expect(data.Message).toContain(`${teamOnly.VolumeId} account ${A} eu-west-1: 500 GiB gp2`);
    expect(data.Message).toContain("~$50/month");
    // The owner is told the exact approval for this mark, never "true".
    expect(data.Message).toContain(`aws ec2 create-tags --region eu-west-1 --resources ${teamOnly.VolumeId} --tags Key=${TAGS.approved},Value=${NOW.toISOString()}`);
    expect(data.Message).not.toContain(`Key=${TAGS.approved},Value=true`);
    expect(data.Message).toContain(`Key=${TAGS.keep},Value=true`);
    expect(report.summary).toMatchObject({ volumes: 5, foundGiB: 530, deleted: 0, failures: 0 });
    expect(lines.at(-1)).toMatchObject({ event: "summary", volumes: 5 });
    expect(lines.filter((l) => l.event === "volume").every((l) => l.accountId && l.region && l.volumeId && l.action && l.reason)).toBe(true);
  });

  it("changes nothing and sends nothing in a dry run", async () => {
    setup();
    cloud.add(A, "eu-west-1", 3, () => ({ Tags: tags({ owner: "payments" }) }));
    const report = await run("scan", { dryRun: true, settings: { topicArn: "arn:aws:sns:eu-west-1:111111111111:t" } });
    expect(report.results.map((r) => r.action)).toEqual(["would-mark", "would-mark", "would-mark"]);
    expect(cloud.calls("CreateTags")).toHaveLength(0);
    expect(cloud.published).toHaveLength(0);
  });
});

describe("reap", () => {
  it("snapshots first, copying tags and the volume id, and deletes only once the snapshot completed", async () => {
    setup({ snapshotStates: ["pending", "pending", "completed"] });
    const [v] = cloud.add(A, "eu-west-1", 1, () => ({ Tags: approvedTags({ "cost-center": "CC-1042", "aws:cloudformation:stack-name": "x" }) }));
    const report = await run("reap", { settings: { accounts: [A], regions: ["eu-west-1"] } });

    expect(report.results[0]).toMatchObject({ volumeId: v.VolumeId, action: "delete", snapshotId: "snap-0" });
    const order = cloud.journal.filter((e) => e.command !== "AssumeRole" && !(e.command === "DescribeVolumes" && !e.input.VolumeIds)).map((e) => e.command);
    expect(order).toEqual(["CreateSnapshot", "CreateTags", "DescribeSnapshots", "DescribeSnapshots", "DescribeSnapshots", "DescribeVolumes", "DeleteVolume"]);
    const snapshot = cloud.snapshots.get("snap-0")!;
    expect(snapshot.volumeId).toBe(v.VolumeId);
    expect(snapshot.tags).toEqual(
      expect.arrayContaining([{ Key: "owner", Value: "payments" }, { Key: "cost-center", Value: "CC-1042" }, { Key: TAGS.sourceVolumeId, Value: v.VolumeId }]),
    );
    expect(snapshot.tags.some((t) => t.Key?.startsWith("aws:") || t.Key === TAGS.approved)).toBe(false);
    expect(report.summary).toMatchObject({ deleted: 1, deletedGiB: 10, deletedMonthlyCostUsd: 0.8 });
  });

  it("never deletes a volume attached between the scan and the deletion", async () => {
    setup({ beforeDescribeById: (volume) => Object.assign(volume, { State: "in-use", Attachments: [{ InstanceId: "i-9" }] }) });
    cloud.add(A, "eu-west-1", 1, () => ({ Tags: approvedTags() }));
    const report = await run("reap", { settings: { accounts: [A], regions: ["eu-west-1"] } });
    expect(cloud.calls("DeleteVolume")).toHaveLength(0);
    expect(report.results[0]).toMatchObject({ action: "skip", reason: expect.stringMatching(/changed since the scan, not deleted: not unattached \(state in-use\)/) });
  });

  it("never deletes a volume whose approval was withdrawn or that was kept meanwhile", async () => {
    setup({ beforeDescribeById: (volume) => volume.Tags!.push({ Key: TAGS.keep, Value: "true" }) });
    cloud.add(A, "eu-west-1", 1, () => ({ Tags: approvedTags() }));
    const report = await run("reap", { settings: { accounts: [A], regions: ["eu-west-1"] } });
    expect(cloud.calls("DeleteVolume")).toHaveLength(0);
    expect(report.results[0].reason).toMatch(/changed since the scan.*keep=true/);
  });

  it("leaves a volume whose snapshot is still pending for the next run, which deletes without a second snapshot", async () => {
    setup({ snapshotStates: ["pending"] });
    const [v] = cloud.add(A, "eu-west-1", 1, () => ({ Tags: approvedTags() }));
    const first = await run("reap", { settings: { accounts: [A], regions: ["eu-west-1"] }, snapshotTimeoutMs: 5 });
    expect(first.results[0]).toMatchObject({ action: "snapshot-pending", snapshotId: "snap-0" });
    expect(cloud.calls("DeleteVolume")).toHaveLength(0);
    expect(v.Tags).toContainEqual({ Key: TAGS.snapshotId, Value: "snap-0" });

    cloud.restore();
    const next = new FakeCloud({ snapshotStates: ["completed"] });
    next.volumes.set(`${A}/eu-west-1`, [v]);
    next.snapshots.set("snap-0", cloud.snapshots.get("snap-0")!);
    cloud = next;
    const second = await run("reap", { settings: { accounts: [A], regions: ["eu-west-1"] } });
    expect(second.results[0]).toMatchObject({ action: "delete", snapshotId: "snap-0" });
    expect(cloud.calls("CreateSnapshot")).toHaveLength(0);
  });

  it("deletes only what the rule allows across a mixed population", async () => {
    setup();
    cloud.add(A, "eu-west-1", 4, () => ({ Tags: approvedTags() }));
    cloud.add(A, "eu-west-1", 3, () => ({ Tags: tags({ [TAGS.markedAt]: daysAgo(10) }) }));
    cloud.add(A, "eu-west-1", 2, () => ({ Tags: approvedTags({ [TAGS.keep]: "true" }) }));
    cloud.add(A, "eu-west-1", 2, () => ({ Tags: approvedTags({ [TAGS.markedAt]: daysAgo(2) }) }));
    cloud.add(A, "eu-west-1", 5, () => ({ State: "in-use", Attachments: [{ InstanceId: "i-1" }], Tags: approvedTags() }));
    const report = await run("reap", { settings: { accounts: [A], regions: ["eu-west-1"] } });
    expect(report.summary.byAction).toEqual({ delete: 4, skip: 7 });
    expect(cloud.calls("DeleteVolume")).toHaveLength(4);
    expect(cloud.calls("CreateSnapshot")).toHaveLength(4);
  });

  it.each([
    ["pre-approved with true", { [TAGS.approved]: "true" }, /approval "true" no longer counts; set ebs-reaper:approved=2026-03-10T12:00:00.000Z/],
    ["approved for an older mark", { [TAGS.approved]: daysAgo(30) }, /approval "2026-02-18T12:00:00.000Z" is for another mark; set ebs-reaper:approved=2026-03-10T12:00:00.000Z/],
  ])("keeps a volume %s, taking no snapshot", async (_, approval, reason) => {
    setup();
    cloud.add(A, "eu-west-1", 1, () => ({ Tags: tags({ owner: "payments", [TAGS.markedAt]: daysAgo(10), ...approval }) }));
    const report = await run("reap", { settings: { accounts: [A], regions: ["eu-west-1"] } });
    expect(report.results[0]).toMatchObject({ action: "skip", reason: expect.stringMatching(reason) });
    expect(cloud.calls("CreateSnapshot")).toHaveLength(0);
    expect(cloud.calls("DeleteVolume")).toHaveLength(0);
  });

  it.each([
    ["a completed snapshot of another volume", () => ({ volumeId: "vol-other", startTime: new Date(NOW) }), /ignored snapshot snap-seeded is of vol-other, not vol-/],
    ["this volume's snapshot from before the mark", (id: string) => ({ volumeId: id, startTime: new Date(daysAgo(20)) }), /ignored snapshot snap-seeded started 2026-02-28T12:00:00.000Z, before the mark/],
  ])("ignores a snapshot-id tag naming %s and deletes only after a fresh snapshot of itself", async (_, seeded, ignored) => {
    setup();
    const [v] = cloud.add(A, "eu-west-1", 1, () => ({ Tags: approvedTags({ [TAGS.snapshotId]: "snap-seeded" }) }));
    cloud.snapshots.set("snap-seeded", { ...seeded(v.VolumeId!), tags: [], polls: 0, state: "completed" });
    const report = await run("reap", { settings: { accounts: [A], regions: ["eu-west-1"] } });
    expect(report.results[0]).toMatchObject({ action: "delete", reason: expect.stringMatching(ignored) });
    const fresh = report.results[0].snapshotId!;
    expect(fresh).not.toBe("snap-seeded");
    expect(cloud.snapshots.get(fresh)!.volumeId).toBe(v.VolumeId);
    expect(cloud.calls("CreateSnapshot")).toHaveLength(1);
  });

  it("takes no snapshot and deletes nothing in a dry run", async () => {
    setup();
    cloud.add(A, "eu-west-1", 2, () => ({ Tags: approvedTags() }));
    const report = await run("reap", { dryRun: true, settings: { accounts: [A], regions: ["eu-west-1"] } });
    expect(report.results.map((r) => r.action)).toEqual(["would-delete", "would-delete"]);
    expect(cloud.calls("CreateSnapshot")).toHaveLength(0);
    expect(cloud.calls("DeleteVolume")).toHaveLength(0);
  });

  it("starts no snapshot once the run's time budget is spent", async () => {
    setup();
    cloud.add(A, "eu-west-1", 1, () => ({ Tags: approvedTags() }));
    const report = await run("reap", { settings: { accounts: [A], regions: ["eu-west-1"] }, deadline: Date.now() - 1 });
    expect(report.results[0]).toMatchObject({ action: "skip", reason: expect.stringMatching(/out of time/) });
    expect(cloud.calls("CreateSnapshot")).toHaveLength(0);
  });
});

describe("Lambda handler", () => {
  const env = process.env.REAPER_SETTINGS;
  afterEach(() => {
    // Assigning undefined would store the string "undefined" for every later test file in the worker.
    if (env === undefined) delete process.env.REAPER_SETTINGS;
    else process.env.REAPER_SETTINGS = env;
  });

  it("rejects an event without a valid mode before calling anything", async () => {
    setup();
    await expect(handler({ mode: "purge" })).rejects.toThrow(/event mode "purge" is not scan or reap/);
  });

  it("rejects malformed settings naming the value", async () => {
    setup();
    process.env.REAPER_SETTINGS = JSON.stringify({ accounts: ["12"], defaultRecipient: "platform", prices: {} });
    await expect(handler({ mode: "scan", dryRun: true })).rejects.toThrow(/account "12" is not a 12-digit AWS account id/);
  });
});
