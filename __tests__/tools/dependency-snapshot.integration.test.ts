/**
 * The dependency snapshot (tools/dependency-snapshot.mjs, tools/with-snapshot.sh) as users start it:
 * built on the first run, used from the second, and invisible in what synth writes. Runs in its own
 * snapshot folder (INFRA_SNAPSHOT_DIR), so the checkout's snapshot is neither used nor replaced.
 */
import { execFileSync, spawnSync } from "child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { basename, join, resolve } from "path";
import { snapshot } from "../helpers/config-dir";

const ROOT = join(__dirname, "..", "..");

describe("synth from the dependency snapshot", () => {
  let work: string;
  let env: NodeJS.ProcessEnv;
  /** `sh tools/with-snapshot.sh --verbose dist/tools/synth.js <args>`: build.mjs says what it did with the snapshot. */
  const synth = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    spawnSync("sh", ["tools/with-snapshot.sh", "--verbose", "dist/tools/synth.js", ...args], { cwd: ROOT, encoding: "utf8", env: { ...env, ...extraEnv } });
  const snapshotLine = (stderr: string) => stderr.split("\n").find((line) => line.startsWith("build: dependency snapshot"));
  const blobs = () => readdirSync(join(work, "snapshot")).filter((name) => /^deps-\d+\.blob$/.test(name));

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "deps-snapshot-"));
    env = { ...process.env, INFRA_SNAPSHOT_DIR: join(work, "snapshot"), INFRA_NO_SNAPSHOT: "" };
    execFileSync("node", ["tools/build.mjs"], { cwd: ROOT });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("is built by the first run, used by the next, and changes nothing synth writes", () => {
    const first = synth([join(work, "first")]);
    expect(first.status).toBe(0);
    expect(snapshotLine(first.stderr)).toBe("build: dependency snapshot built");
    expect(blobs()).toHaveLength(1);

    const fromSnapshot = synth([join(work, "from-snapshot")]);
    expect(fromSnapshot.status).toBe(0);
    expect(snapshotLine(fromSnapshot.stderr)).toBe("build: dependency snapshot current");

    const without = synth([join(work, "without")], { INFRA_NO_SNAPSHOT: "1" });
    expect(without.status).toBe(0);
    expect(snapshotLine(without.stderr)).toBe("build: dependency snapshot off");

    expect(snapshot(join(work, "from-snapshot"))).toBe(snapshot(join(work, "without")));
    expect(snapshot(join(work, "first"))).toBe(snapshot(join(work, "without")));
  });

  it("starts a script as plain node would: the run's own folder, stack traces, console.Console", () => {
    // Built in the project root by the first test; run from another folder.
    const elsewhere = mkdtempSync(join(tmpdir(), "deps-snapshot-cwd-"));
    const script = join(elsewhere, "probe.js");
    writeFileSync(script, 'console.log(JSON.stringify({ cwd: process.cwd(), frames: new Error("x").stack.split("\\n").length, Console: typeof require("console").Console, cdktf: typeof require(process.argv[2]).App }))');
    const blob = join(work, "snapshot", blobs()[0]);
    const result = spawnSync("node", ["--snapshot-blob", blob, script, join(ROOT, "node_modules", "cdktf")], { cwd: elsewhere, encoding: "utf8", env });
    rmSync(elsewhere, { recursive: true, force: true });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ cwd: elsewhere, frames: expect.any(Number), Console: "function", cdktf: "function" });
    expect(JSON.parse(result.stdout).frames).toBeGreaterThan(2);
  });

  it("keeps one snapshot per NODE_OPTIONS, since node loads a snapshot only under the heap flags it was built with", () => {
    expect(snapshotLine(synth([join(work, "plain")]).stderr)).toBe("build: dependency snapshot current");
    // What cdktf-cli sets for the app it starts.
    const heap = { NODE_OPTIONS: "--max-old-space-size=3072" };
    const first = synth([join(work, "heap-first")], heap);
    expect(first.stderr).not.toContain("node could not start");
    expect(snapshotLine(first.stderr)).toBe("build: dependency snapshot built");
    const second = synth([join(work, "heap-second")], heap);
    expect(second.status).toBe(0);
    expect(snapshotLine(second.stderr)).toBe("build: dependency snapshot current");
    // The snapshot without NODE_OPTIONS is still there and still loads.
    const plainAgain = synth([join(work, "plain-again")]);
    expect(plainAgain.stderr).not.toContain("node could not start");
    expect(snapshotLine(plainAgain.stderr)).toBe("build: dependency snapshot current");
    expect(snapshot(join(work, "heap-second"))).toBe(snapshot(join(work, "plain-again")));
  });

  it("is offered to the unit tests' workers only while it is current for what is installed and built", async () => {
    const { workerSnapshotBlob } = (await import(join(ROOT, "tools", "dependency-snapshot.mjs"))) as { workerSnapshotBlob: (root: string) => string | undefined };
    const saved = { dir: process.env.INFRA_SNAPSHOT_DIR, off: process.env.INFRA_NO_SNAPSHOT, options: process.env.NODE_OPTIONS };
    try {
      process.env.INFRA_SNAPSHOT_DIR = join(work, "snapshot");
      delete process.env.INFRA_NO_SNAPSHOT;
      // The snapshot without NODE_OPTIONS (the test above made a second one, for a heap flag).
      delete process.env.NODE_OPTIONS;
      // Built here, or current from a test above.
      expect(snapshotLine(synth([join(work, "for-workers")], { NODE_OPTIONS: "" }).stderr)).toMatch(/^build: dependency snapshot (built|current)$/);
      // The blob the launcher starts synth from.
      const blob = resolve(ROOT, execFileSync("sh", ["tools/with-snapshot.sh", "--print-blob"], { cwd: ROOT, encoding: "utf8" }).split("\n")[0]);
      expect(blobs()).toContain(basename(blob));
      expect(workerSnapshotBlob(ROOT)).toBe(blob);
      // A key that is not the current one (another install, another build): the workers load from disk.
      writeFileSync(`${blob}.key`, "0123456789abcdef");
      expect(workerSnapshotBlob(ROOT)).toBeUndefined();
      // The next synth finds its snapshot current and records the key again.
      expect(snapshotLine(synth([join(work, "for-workers-again")], { NODE_OPTIONS: "" }).stderr)).toBe("build: dependency snapshot current");
      expect(workerSnapshotBlob(ROOT)).toBe(blob);
      process.env.INFRA_NO_SNAPSHOT = "1";
      expect(workerSnapshotBlob(ROOT)).toBeUndefined();
    } finally {
      for (const [name, value] of [["INFRA_SNAPSHOT_DIR", saved.dir], ["INFRA_NO_SNAPSHOT", saved.off], ["NODE_OPTIONS", saved.options]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it("passes the tool's own exit code and messages through", () => {
    const result = synth(["--no-such-flag"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("synth: unknown option --no-such-flag (see --help)");
  });
});
