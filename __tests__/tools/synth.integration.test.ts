/**
 * `npm run synth` itself (npm, the esbuild transpile, the CLI): a config with a type error is judged
 * by the config check, not by tsc, and the previous output stays as it was.
 */
import { execFileSync, spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { configDir, snapshot } from "../helpers/config-dir";

const ROOT = join(__dirname, "..", "..");

describe("npm run synth", () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "synth-npm-"));
    execFileSync("node", ["tools/build.mjs"], { cwd: ROOT });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("prints the field and the value of a type error (no tsc on the path) and writes nothing", () => {
    const outdir = join(work, "cdktf.out");
    mkdirSync(outdir);
    writeFileSync(join(outdir, "manifest.json"), "previous");
    const before = snapshot(outdir);
    const dir = configDir(work, { testAws: (e) => (e.eks.nodeGroups[0].maxSize = "three") });
    const result = spawnSync("npm", ["run", "--silent", "synth", "--", "--config-dir", dir, outdir], { cwd: ROOT, encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `synth: nothing written: ${outdir} is as the last successful synth left it:\n${join(dir, "test-aws.ts")}: eks.nodeGroups[0].maxSize must be a number (got "three")\n`,
    );
    expect(snapshot(outdir)).toBe(before);
  });
});
