import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { bundleLambda, writePrebuiltBundle } from "../../../constructs/core/bundle";

describe("prebuilt Lambda bundles (what the packed library ships)", () => {
  it("writePrebuiltBundle puts the zip next to the entry, and bundleLambda then uses it as it is", () => {
    const dir = mkdtempSync(join(tmpdir(), "prebuilt-"));
    const entry = join(dir, "handler.js");
    writeFileSync(entry, "exports.handler = async () => 'ok';\n");
    const zip = writePrebuiltBundle(entry);
    expect(zip).toBe(`${entry}.zip`);
    expect(readFileSync(zip).subarray(0, 4).toString("hex")).toBe("504b0304");

    // A changed source would change an esbuild bundle; the prebuilt zip is what is deployed.
    writeFileSync(entry, "exports.handler = async () => 'changed';\n");
    const bundle = bundleLambda(entry);
    expect(bundle.zipPath).toBe(zip);
    expect(existsSync(bundle.zipPath)).toBe(true);
  });
});
