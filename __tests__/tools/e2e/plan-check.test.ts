import { KNOWN_DRIFTS, MEASURED_MOTO_VERSION } from "../../../tools/e2e/known-gaps";
import { causingAttributes, checkPlanAgainstKnownDrifts, ResourceChange } from "../../../tools/e2e/plan-check";

const kmsRotationDrift: ResourceChange = {
  address: "aws_kms_key.k",
  mode: "managed",
  type: "aws_kms_key",
  change: {
    actions: ["update"],
    before: { id: "k1", rotation_period_in_days: 0, tags: {} },
    after: { id: "k1", rotation_period_in_days: 365, tags: {} },
    after_unknown: {},
  },
};

const nodeGroupReplacedForRemoteAccess: ResourceChange = {
  address: "aws_eks_node_group.g",
  mode: "managed",
  type: "aws_eks_node_group",
  change: {
    actions: ["delete", "create"],
    before: { remote_access: [{ ec2_ssh_key: "eksKeypair" }], tags: {} },
    after: { remote_access: [], tags: null },
    after_unknown: { arn: true, id: true },
    replace_paths: [["remote_access"], ["remote_access", 0, "ec2_ssh_key"]],
  },
};

const roleUpdatedOnlyThroughUnknowns: ResourceChange = {
  address: "aws_iam_role.r",
  mode: "managed",
  type: "aws_iam_role",
  change: { actions: ["update"], before: { assume_role_policy: "{}" }, after: {}, after_unknown: { assume_role_policy: true } },
};

describe("checkPlanAgainstKnownDrifts", () => {
  it("accepts a listed drift on the moto version it was measured on", () => {
    const report = checkPlanAgainstKnownDrifts({ resource_changes: [kmsRotationDrift] }, KNOWN_DRIFTS, MEASURED_MOTO_VERSION);
    expect(report).toEqual({ known: ["aws_kms_key.k: rotation_period_in_days (update)"], consequences: [], unexpected: [] });
  });

  it("rejects the same drift on another moto version, asking to re-measure", () => {
    const report = checkPlanAgainstKnownDrifts({ resource_changes: [kmsRotationDrift] }, KNOWN_DRIFTS, "5.3.0");
    expect(report.unexpected[0]).toMatch(/listed as a moto 5\.2\.1 drift, but moto 5\.3\.0 is running; re-measure/);
  });

  it("rejects an attribute change that is not listed", () => {
    const change = structuredClone(kmsRotationDrift) as any;
    change.change.after.description = "changed";
    change.change.before.description = "original";
    const report = checkPlanAgainstKnownDrifts({ resource_changes: [change] }, KNOWN_DRIFTS, MEASURED_MOTO_VERSION);
    expect(report.unexpected).toEqual(["aws_kms_key.k: description (update)"]);
  });

  it("never accepts a create or a delete", () => {
    const create = { ...kmsRotationDrift, change: { ...kmsRotationDrift.change, actions: ["create"] } };
    const remove = { ...kmsRotationDrift, address: "aws_kms_key.other", change: { ...kmsRotationDrift.change, actions: ["delete"] } };
    const report = checkPlanAgainstKnownDrifts({ resource_changes: [create, remove] }, KNOWN_DRIFTS, MEASURED_MOTO_VERSION);
    expect(report.unexpected).toEqual(["aws_kms_key.k: create", "aws_kms_key.other: delete"]);
  });

  it("judges a replacement by its replace_paths, and treats unknown-only changes as consequences", () => {
    const report = checkPlanAgainstKnownDrifts(
      { resource_changes: [nodeGroupReplacedForRemoteAccess, roleUpdatedOnlyThroughUnknowns], output_changes: { arn: { actions: ["update"] } } },
      KNOWN_DRIFTS,
      MEASURED_MOTO_VERSION,
    );
    expect(report.known).toEqual(["aws_eks_node_group.g: remote_access (replace)"]);
    expect(report.consequences).toEqual(["aws_iam_role.r (update)", "output arn"]);
    expect(report.unexpected).toEqual([]);
  });

  it("rejects consequences when nothing in the plan causes them", () => {
    const report = checkPlanAgainstKnownDrifts({ resource_changes: [roleUpdatedOnlyThroughUnknowns] }, KNOWN_DRIFTS, MEASURED_MOTO_VERSION);
    expect(report.unexpected).toEqual([expect.stringMatching(/aws_iam_role\.r \(update\): changes with no causing attribute/)]);
  });

  it("ignores data-source reads and no-ops", () => {
    const read: ResourceChange = { address: "data.aws_iam_policy_document.d", mode: "data", type: "aws_iam_policy_document", change: { actions: ["read"] } };
    const noop: ResourceChange = { ...kmsRotationDrift, change: { actions: ["no-op"] } };
    expect(checkPlanAgainstKnownDrifts({ resource_changes: [read, noop] }, KNOWN_DRIFTS, MEASURED_MOTO_VERSION)).toEqual({ known: [], consequences: [], unexpected: [] });
  });
});

describe("causingAttributes", () => {
  it("skips replace_paths whose new value is unknown (they follow from another replacement)", () => {
    const oidc: ResourceChange = {
      address: "aws_iam_openid_connect_provider.o",
      mode: "managed",
      type: "aws_iam_openid_connect_provider",
      change: { actions: ["delete", "create"], before: { url: "x" }, after: {}, after_unknown: { url: true }, replace_paths: [["url"]] },
    };
    expect(causingAttributes(oidc)).toEqual([]);
  });
});
