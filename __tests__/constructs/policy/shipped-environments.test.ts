import { rmSync } from "fs";
import { readReport, unsuppressed } from "../../../constructs/policy/report";
import { shippedSynthCopy } from "../../helpers/shipped-synth";

describe("policy packs on the shipped environments", () => {
  it("synthesize every stack with zero unsuppressed violations", () => {
    const outdir = shippedSynthCopy();
    const report = readReport(outdir);
    rmSync(outdir, { recursive: true, force: true });
    expect(report).toBeDefined();
    expect(report!.enforced).toBe(true);
    expect(report!.rules.length).toBeGreaterThanOrEqual(30);
    expect(report!.stacks).toBeGreaterThanOrEqual(10);
    expect(unsuppressed(report!)).toEqual([]);
    // Every suppression in the shipped stacks says why and still matches a finding.
    expect(report!.findings.every((f) => f.suppressionReason && f.suppressionReason.length >= 10)).toBe(true);
    expect(report!.unusedSuppressions).toEqual([]);
  });
});
