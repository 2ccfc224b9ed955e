import { readFileSync } from "fs";
import { join } from "path";
import { canonicalJson, changeSet, changeSetDigest, compareChangeSets } from "../../tools/plan-digest";
import { redactPlan } from "../../tools/plan-redaction";

/** Real terraform plans (`npm run plan-fixtures`). */
const fixture = (kind: string, file = "test-aws-app.json") => JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "plans", kind, file), "utf8"));

describe("change set and digest", () => {
  const mixed = fixture("mixed");

  it("lists every changing managed resource with its actions, and leaves no-ops out", () => {
    const entries = changeSet(mixed);
    const changing = mixed.resource_changes.filter((rc: any) => rc.mode === "managed" && rc.change.actions.join() !== "no-op");
    expect(entries.map((e) => e.address)).toEqual(changing.map((rc: any) => rc.address).sort());
    expect(entries.every((e) => e.actions.length > 0)).toBe(true);
    expect(changeSet(fixture("noop"))).toEqual([]);
  });

  it("is the same for the same plan, and for a copy whose keys are in another order", () => {
    const reordered = JSON.parse(canonicalJson(mixed));
    expect(changeSetDigest(reordered)).toBe(changeSetDigest(mixed));
    expect(changeSetDigest(mixed)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("ignores refreshed values of attributes the plan does not change", () => {
    const drifted = structuredClone(mixed);
    const update = drifted.resource_changes.find((rc: any) => rc.change.actions.join() === "update");
    const [stable] = Object.keys(update.change.before).filter((k) => canonicalJson(update.change.before[k]) === canonicalJson(update.change.after[k]) && typeof update.change.before[k] === "string");
    update.change.before[stable] = update.change.after[stable] = "refreshed-later";
    expect(compareChangeSets(mixed, drifted)).toEqual([]);
  });

  it("is the same after redaction on both sides (what the apply job compares)", () => {
    const secrets = fixture("sensitive", "test-aws-secrets.json");
    expect(changeSetDigest(redactPlan(secrets))).toBe(changeSetDigest(redactPlan(structuredClone(secrets))));
  });
});

describe("compareChangeSets names what differs", () => {
  const mixed = fixture("mixed");

  it("resources only in one plan, with their actions", () => {
    const differences = compareChangeSets(fixture("create"), mixed);
    expect(differences.length).toBeGreaterThan(0);
    for (const d of differences) expect(d.difference).toMatch(/^only in the (reviewed plan|re-plan) \(|^actions |^changed attributes differ|^new values differ/);
  });

  it("an action that became a replacement", () => {
    const replanned = structuredClone(mixed);
    const update = replanned.resource_changes.find((rc: any) => rc.change.actions.join() === "update");
    update.change.actions = ["delete", "create"];
    expect(compareChangeSets(mixed, replanned)).toEqual([{ address: update.address, difference: "actions update -> delete+create" }]);
  });

  it("a new value that differs from the reviewed one", () => {
    const replanned = structuredClone(mixed);
    const update = replanned.resource_changes.find((rc: any) => rc.change.actions.join() === "update" && rc.change.after.tags);
    update.change.after.tags = { ...update.change.after.tags, team: "someone-else" };
    update.change.after.tags_all = { ...update.change.after.tags_all, team: "someone-else" };
    expect(compareChangeSets(mixed, replanned)).toEqual([{ address: update.address, difference: "new values differ: tags, tags_all" }]);
  });
});

describe("outputs are part of the change set", () => {
  const mixed = fixture("mixed");
  /** The mixed plan plus one root output changing to `after`. */
  const withOutput = (after: unknown, sensitive = false) => ({
    ...structuredClone(mixed),
    output_changes: {
      endpoint: { actions: ["update"], before: "https://old.example", after, after_unknown: false, before_sensitive: sensitive, after_sensitive: sensitive },
    },
  });

  it("an output whose new value differs from the reviewed one is named, though every resource is the same", () => {
    const reviewed = withOutput("https://new.example");
    const replanned = withOutput("https://attacker.example");
    expect(changeSetDigest(replanned)).not.toBe(changeSetDigest(reviewed));
    expect(compareChangeSets(reviewed, replanned)).toEqual([{ address: "output.endpoint", difference: "new values differ: value" }]);
  });

  it("an output change that was not in the reviewed plan at all", () => {
    expect(compareChangeSets(mixed, withOutput("https://new.example"))).toEqual([{ address: "output.endpoint", difference: "only in the re-plan (update)" }]);
  });

  it("leaves unchanged outputs out, and compares sensitive outputs only after redaction", () => {
    const noop = { ...structuredClone(mixed), output_changes: { endpoint: { actions: ["no-op"], before: "x", after: "x" } } };
    expect(changeSetDigest(noop)).toBe(changeSetDigest(mixed));
    const sensitive = changeSet(redactPlan(withOutput("s3cr3t-value-one", true))).find((e) => e.address === "output.endpoint")!;
    expect(JSON.stringify(sensitive)).not.toContain("s3cr3t");
    expect(sensitive.paths).toEqual(["value (sensitive)"]);
  });
});
