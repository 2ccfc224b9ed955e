/**
 * Imported first by __tests__/setup.ts, before anything loads cdktf: a unit test worker started
 * from the dependency snapshot (vitest.config.mts) checks once that the snapshot still serves what
 * is installed and built. vitest.config.mts picked the blob when it loaded; in a long watch session
 * an `npm install` may have changed node_modules since. If so, the snapshot's modules are switched
 * off and load from disk, as without a snapshot.
 *
 * Plain JavaScript, like tools/dependency-snapshot.mjs it imports.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { currentSnapshotKey } from "../tools/dependency-snapshot.mjs";

const active = globalThis[Symbol.for("infra.dependencySnapshot")];
if (active && !active.checkedByTests) {
  active.checkedByTests = true;
  if (currentSnapshotKey(join(dirname(fileURLToPath(import.meta.url)), "..")) !== active.key) active.disable();
}
