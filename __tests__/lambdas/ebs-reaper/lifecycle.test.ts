import { TAGS } from "../../../lambdas/ebs-reaper/config";
import { decideReap, decideScan, resolveOwner, snapshotProblem } from "../../../lambdas/ebs-reaper/lifecycle";
import { monthlyCostUsd } from "../../../lambdas/ebs-reaper/pricing";
import { VolumeInfo } from "../../../lambdas/ebs-reaper/volume";

const NOW = new Date("2026-03-20T12:00:00Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();

function volume(tags: Record<string, string> = {}, over: Partial<VolumeInfo> = {}): VolumeInfo {
  return { volumeId: "vol-1", sizeGiB: 100, volumeType: "gp3", state: "available", attached: false, tags, ...over };
}

describe("resolveOwner", () => {
  it("prefers owner, then team, then the default recipient; tag keys in any case", () => {
    expect(resolveOwner({ owner: "payments", team: "core" }, "platform")).toBe("payments");
    expect(resolveOwner({ Team: "core" }, "platform")).toBe("core");
    expect(resolveOwner({ Owner: "  " , team: "core" }, "platform")).toBe("core");
    expect(resolveOwner({}, "platform")).toBe("platform");
  });
});

describe("decideScan", () => {
  it("marks an unattached, unmarked volume", () => {
    expect(decideScan(volume(), NOW).action).toBe("mark");
  });
  it("reports an already marked volume with its days and approval state", () => {
    const d = decideScan(volume({ [TAGS.markedAt]: daysAgo(3), [TAGS.approved]: daysAgo(3) }), NOW);
    expect(d).toEqual({ action: "report", reason: "unattached, marked 3 day(s) ago, approved" });
    expect(decideScan(volume({ [TAGS.markedAt]: daysAgo(3), [TAGS.approved]: "true" }), NOW).reason).toMatch(
      /awaiting approval: approval "true" no longer counts; set ebs-reaper:approved=2026-03-17T12:00:00.000Z/,
    );
  });
  it("leaves a kept volume alone", () => {
    expect(decideScan(volume({ [TAGS.keep]: "TRUE" }), NOW).action).toBe("keep");
  });
  it("unmarks a marked volume that is attached again", () => {
    const d = decideScan(volume({ [TAGS.markedAt]: daysAgo(3) }, { state: "in-use", attached: true }), NOW);
    expect(d.action).toBe("unmark");
    expect(d.reason).toMatch(/attached again/);
  });
  it("marks again a volume whose mark is not a date", () => {
    expect(decideScan(volume({ [TAGS.markedAt]: "yesterday" }), NOW)).toMatchObject({ action: "mark", reason: expect.stringMatching(/not a date/) });
  });
});

describe("decideReap", () => {
  const ready = { [TAGS.markedAt]: daysAgo(7), [TAGS.approved]: daysAgo(7) };

  it("deletes an unattached volume marked for the grace period and approved", () => {
    expect(decideReap(volume(ready), NOW, 7).action).toBe("delete");
  });
  it.each([
    ["attached", volume(ready, { state: "in-use", attached: true }), /not unattached/],
    ["attaching (available but with an attachment)", volume(ready, { attached: true }), /not unattached/],
    ["kept", volume({ ...ready, [TAGS.keep]: "true" }), /keep=true/],
    ["not marked", volume({ [TAGS.approved]: daysAgo(7) }), /not marked/],
    ["inside the grace period", volume({ ...ready, [TAGS.markedAt]: daysAgo(6) }), /marked 6 day\(s\) ago; grace period is 7/],
    ["not approved", volume({ [TAGS.markedAt]: daysAgo(30) }), /not approved/],
    ["approved with another value", volume({ ...ready, [TAGS.approved]: "yes" }), /approval "yes" is for another mark/],
    ["approved with the old form true", volume({ ...ready, [TAGS.approved]: "true" }), /approval "true" no longer counts/],
    ["approved for an earlier mark (re-marked since)", volume({ ...ready, [TAGS.approved]: daysAgo(40) }), /is for another mark; set ebs-reaper:approved=2026-03-13T12:00:00.000Z/],
    ["a mark that is not a date", volume({ ...ready, [TAGS.markedAt]: "soon" }), /is not a date/],
  ])("skips a volume that is %s", (_, v, reason) => {
    const d = decideReap(v, NOW, 7);
    expect(d.action).toBe("skip");
    expect(d.reason).toMatch(reason);
  });
});

describe("snapshotProblem", () => {
  const marked = volume({ [TAGS.markedAt]: daysAgo(7) });
  it("accepts a snapshot of this volume started after the mark", () => {
    expect(snapshotProblem({ snapshotId: "snap-1", state: "completed", volumeId: "vol-1", startTime: new Date(daysAgo(1)) }, marked)).toBeUndefined();
  });
  it.each([
    ["of another volume", { volumeId: "vol-2", startTime: new Date(daysAgo(1)) }, /is of vol-2, not vol-1/],
    ["started before the mark", { volumeId: "vol-1", startTime: new Date(daysAgo(8)) }, /before the mark/],
    ["without a start time", { volumeId: "vol-1" }, /at an unknown time/],
    ["failed", { volumeId: "vol-1", startTime: new Date(daysAgo(1)), state: "error" }, /is error/],
  ])("rejects one %s", (_, over, reason) => {
    expect(snapshotProblem({ snapshotId: "snap-1", state: "completed", ...over }, marked)).toMatch(reason);
  });
});

describe("monthlyCostUsd", () => {
  it("prices GiB by type, in cents, and says unknown for a type without a price", () => {
    expect(monthlyCostUsd(100, "gp3", { gp3: 0.08 })).toBe(8);
    expect(monthlyCostUsd(33, "gp2", { gp2: 0.1 })).toBe(3.3);
    expect(monthlyCostUsd(10, "io9", { gp3: 0.08 })).toBeNull();
  });
});
