/**
 * The Lambda bundle as the outside world reads it: unpacked by a standard zip reader (python's
 * zipfile) and loaded by plain node, as Lambda would; and the prebuilt zip the packed library
 * ships, built by a real esbuild run (its own process). Starting those processes makes this an
 * integration test (`npm run integration`); the unit tests check the Lambda function built from it.
 */
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { bundleLambda, writePrebuiltBundle, zipSingleFile } from "../../../constructs/core/bundle";

describe("bundleLambda", () => {
  it("bundles the handler once per process into a standard, deterministic zip whose index.js exports the handler", () => {
    const entry = join(__dirname, "../../../lambdas/ebs-reaper/handler.ts");
    const first = bundleLambda(entry);
    const second = bundleLambda(entry);
    expect(second).toEqual({ ...first, cached: true });
    expect(createHash("sha256").update(readFileSync(first.zipPath)).digest("base64")).toBe(first.zipSha256);
    // Unpack with a standard zip reader and load index.js as Lambda would: plain node, outside the test runner.
    const dir = mkdtempSync(join(tmpdir(), "ebs-reaper-zip-"));
    execFileSync("python3", ["-m", "zipfile", "-e", first.zipPath, dir]);
    const file = join(dir, "index.js");
    expect(readFileSync(file, "utf8")).toContain("ebs-reaper:approved");
    expect(execFileSync(process.execPath, ["-e", `process.stdout.write(typeof require(${JSON.stringify(file)}).handler)`]).toString()).toBe("function");
    expect(zipSingleFile("index.js", readFileSync(file)).equals(readFileSync(first.zipPath))).toBe(true);
  });
});

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
