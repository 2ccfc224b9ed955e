import { riskOf } from "../../../tools/review/data-loss-risk";
import { changedPaths } from "../../../tools/review/plan-changes";

describe("changedPaths", () => {
  it("reports leaf paths inside maps and lists, not the unchanged siblings", () => {
    const before = { tags: { team: "a", env: "test" }, rule: [{ from: 1, to: 2 }], name: "x" };
    const after = { tags: { team: "b", env: "test" }, rule: [{ from: 1, to: 3 }], name: "x" };
    expect(changedPaths({ before, after, unknown: {}, beforeSensitive: {}, afterSensitive: {} }).map((a) => a.path)).toEqual(["rule[0].to", "tags.team"]);
  });

  it("reports a list whose length changes as a whole, and a value known only after apply", () => {
    const found = changedPaths({ before: { ids: [1], arn: "a" }, after: { ids: [1, 2] }, unknown: { arn: true }, beforeSensitive: {}, afterSensitive: {} });
    expect(found).toEqual([
      { path: "arn", sensitive: false, knownAfterApply: true },
      { path: "ids", sensitive: false, knownAfterApply: false },
    ]);
  });

  it("reports a sensitive subtree as one sensitive path without descending into it", () => {
    const found = changedPaths({
      before: { settings: { password: "p1", user: "u" } },
      after: { settings: { password: "p2", user: "u" } },
      unknown: {},
      beforeSensitive: { settings: true },
      afterSensitive: { settings: true },
    });
    expect(found).toEqual([{ path: "settings", sensitive: true, knownAfterApply: false }]);
  });
});

describe("data-loss risk classes", () => {
  it("classes policies and attachments as stateless, clusters, repositories and key vaults as stateful", () => {
    expect(riskOf("aws_ecr_lifecycle_policy").risk).toBe("stateless");
    expect(riskOf("aws_iam_role_policy_attachment").risk).toBe("stateless");
    expect(riskOf("aws_eks_cluster")).toMatchObject({ risk: "stateful", classified: true });
    expect(riskOf("aws_ecr_repository").risk).toBe("stateful");
    expect(riskOf("azurerm_key_vault").risk).toBe("stateful");
  });

  it("treats a type nobody classified as stateful and says so", () => {
    expect(riskOf("aws_made_up_thing")).toEqual({ risk: "stateful", classified: false, reason: expect.stringMatching(/not in the curated table.*treated as stateful/) });
  });
});
