import { cpSync, mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { buildApp } from "../../main";
import { synthAtomically } from "../../tools/atomic-synth";

let shipped: string | undefined;

/**
 * A private copy of what `npm run synth` writes for the shipped config (every stack of every
 * environment, the policy report), in a fresh temporary folder the caller may change or delete.
 *
 * Several test files read the same synth output; a full synth costs about a third of a second of
 * CPU, a copy a few milliseconds. So the app is synthesized once per test worker (with isolate
 * off, workers keep this module between files) and every caller gets its own copy: no test can
 * see what another wrote. A test of a changed config still synthesizes its own app.
 */
export function shippedSynthCopy(): string {
  const copy = mkdtempSync(join(tmpdir(), "shipped-synth-copy-"));
  cpSync(shippedSynth(), copy, { recursive: true });
  return copy;
}

/** The one synth of the shipped config in this worker: never handed out, only copied or read. */
function shippedSynth(): string {
  if (shipped === undefined) {
    const original = join(mkdtempSync(join(tmpdir(), "shipped-synth-")), "cdktf.out");
    synthAtomically(original, (app) => buildApp(app));
    process.once("exit", () => rmSync(join(original, ".."), { recursive: true, force: true }));
    shipped = original;
  }
  return shipped;
}

/**
 * One stack of the shipped synth, as `npm run synth` writes it (cdk.tf.json, parsed: the caller's
 * own copy), and the stacks it depends on (from the manifest), without copying the whole output.
 */
export function shippedStack(id: string): { readonly json: any; readonly dependencies: string[] } {
  const outdir = shippedSynth();
  const entry = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).stacks[id];
  if (!entry) throw new Error(`the shipped synth has no stack ${id}`);
  return { json: JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), "utf8")), dependencies: entry.dependencies };
}
