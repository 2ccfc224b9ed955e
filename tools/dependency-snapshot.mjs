/**
 * A V8 start-up snapshot of the app's third-party modules (cdktf, constructs, zod, netmask and every
 * provider module dist/ imports), so synth starts with them already loaded.
 *
 * Why: loading them was 0.35 of `npm run synth`'s 0.9 s (compiling and running about 380 CommonJS
 * files; a CPU profile and a load-only run agree). Node 20 cannot cache compiled code between runs
 * (module.enableCompileCache is Node 22), but it can start from a heap snapshot
 * (`node --build-snapshot`): deserializing the 25 MB heap costs about 0.1 s. Measured:
 * `npm run synth` 1.14 s -> 0.71 s median wall in `npm run bench` (docs/testing.md#synth-speed).
 *
 * How: tools/with-snapshot.sh starts `node --snapshot-blob <dir>/deps-<id>.blob tools/build.mjs …`
 * when the blob exists (one blob per node binary and NODE_OPTIONS value: node loads a snapshot only
 * with the binary and heap flags it was built with). In such a process a require() that resolves
 * to a snapshotted file returns the snapshot's module; everything else loads from disk, and a
 * provider module missing from the snapshot still gets the snapshot's cdktf (one cdktf per
 * process). The project's own code (config, constructs, stacks, tools) always loads from dist/, so
 * editing config or code never rebuilds it.
 * build.mjs then calls ensureDependencySnapshot: the snapshot's key (node version and architecture,
 * npm's record of the installed tree node_modules/.package-lock.json, the module list) must match
 * what is installed now; if not, the snapshot's modules are switched off for this run (they load
 * from disk as without one) and a current snapshot is built for the next run (about 1.5 s, once
 * per install), written via rename so a concurrent run never reads half a blob.
 *
 * Trust: the blob is code node runs at start, made from node_modules (what npm installed) and
 * whatever NODE_OPTIONS preloads (`--require`) into the builder; whoever can write it could
 * already change node_modules. It lives in node_modules/.cache/ and is never cached or shared
 * between CI jobs (no workflow caches node_modules). INFRA_SNAPSHOT_DIR must name a folder only
 * you can write (the builder's temporary files there have predictable names).
 *
 * Frozen at build time, so not read again: the environment cdktf reads while loading
 * (TERRAFORM_BINARY_NAME, used only by cdktf's test matchers: synth does not load them; the unit
 * tests, whose workers start from the snapshot too, use none of the matchers that run terraform).
 * INFRA_NO_SNAPSHOT=1 turns it off; INFRA_SNAPSHOT_DIR moves it.
 *
 * Plain JavaScript: build.mjs uses it before anything is compiled.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { spawnSync } from "node:child_process";

/** Packages always in the snapshot (what synth loads besides the provider modules). */
const PACKAGES = ["constructs", "cdktf", "zod", "netmask"];
/**
 * A module path inside those packages or a provider in compiled code:
 * `require("@cdktf/provider-aws/lib/eks-cluster")`, `require("cdktf/lib/tokens/private/stack-trace")`.
 * The latter matters beyond speed: tools/lean-cdktf.ts patches that module, and the patch must reach
 * the cdktf in the snapshot, so the module must be the snapshot's own.
 */
const DEEP_IMPORT = /require\("((?:@cdktf\/provider-[a-z0-9-]+|cdktf|constructs|zod|netmask)\/[a-zA-Z0-9/._-]+)"\)/g;
/** Bumped when the snapshot's entry code changes. */
const FORMAT = 7;
export const NO_SNAPSHOT_ENV = "INFRA_NO_SNAPSHOT";

/** The module paths inside snapshotted packages a compiled file imports (build.mjs keeps them per file in its state). */
export function deepImports(code) {
  return [...new Set([...code.matchAll(DEEP_IMPORT)].map((m) => m[1]))].sort();
}

/** Set by tools/with-snapshot.sh: where the snapshot for this process's NODE_OPTIONS lives. */
const BLOB_ENV = "INFRA_SNAPSHOT_BLOB";
/** What a process started from the snapshot finds on globalThis: the snapshot's key and an off switch. */
const ACTIVE = Symbol.for("infra.dependencySnapshot");

/**
 * The code that runs inside `node --build-snapshot`: load every module into P (absolute path ->
 * exports), then, when a run starts from the snapshot, route require() of those files to P and run
 * the script named on the command line as node would.
 */
function entrySource(key, paths) {
  const loads = paths.map((path) => `P[${JSON.stringify(path)}] = require(${JSON.stringify(path)});`).join("\n");
  return `"use strict";
// Node 20 drops console.Console from a deserialized snapshot (the global console and node:console);
// vitest constructs its own Console, so it is put back from here.
const SavedConsole = require("console").Console;
const P = Object.create(null);
${loads}
require("v8").startupSnapshot.setDeserializeMainFunction(() => {
  // Into node's module cache, as if each file had just been required: require() and import of
  // them (vitest imports its externals) find them there and load nothing.
  const Module = require("module");
  const path = require("path");
  // Node takes Error.stackTraceLimit out of a snapshot and has not put it back when this runs: without
  // it errors carry no stack. V8's default (node's unless --stack-trace-limit says otherwise).
  if (typeof Error.stackTraceLimit !== "number") Error.stackTraceLimit = 10;
  if (typeof require("console").Console !== "function") require("console").Console = SavedConsole;
  if (typeof console.Console !== "function") console.Console = SavedConsole;
  for (const file of Object.keys(P)) {
    const module = new Module(file, null);
    module.filename = file;
    module.paths = Module._nodeModulePaths(path.dirname(file));
    module.exports = P[file];
    module.loaded = true;
    Module._cache[file] = module;
  }
  globalThis[Symbol.for(${JSON.stringify(ACTIVE.description)})] = {
    key: ${JSON.stringify(key)},
    disable: () => { for (const file of Object.keys(P)) if (Module._cache[file]?.exports === P[file]) delete Module._cache[file]; },
  };
  process.argv[1] = path.resolve(process.argv[1]);
  Module.runMain();
});
`;
}

/**
 * Packages the snapshot must not contain, each replaced by a stand-in that loads the real one from
 * disk on first use (after start-up). `archiver`: cdktf requires it when it loads, only to zip
 * directory assets, and it brings graceful-fs, which replaces process.cwd with a function that
 * caches its first answer: in a snapshot that answer is the folder the snapshot was built in, so
 * a run from another folder (or a moved checkout) would resolve paths against the old one.
 * tools/lean-cdktf.ts defers it for the same cost reason in runs without a snapshot.
 */
const DEFERRED = ["archiver"];
const deferredModules = {
  name: "deferred-modules",
  setup(build) {
    const filter = new RegExp(`^(${DEFERRED.join("|")})$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: "deferred", pluginData: { importer: args.importer } }));
    build.onLoad({ filter: /.*/, namespace: "deferred" }, (args) => ({
      loader: "js",
      contents: `let real;
const load = () => (real ??= require("module").createRequire(${JSON.stringify(args.pluginData.importer)})(${JSON.stringify(args.path)}));
module.exports = new Proxy(function () {}, {
  apply: (_target, self, params) => Reflect.apply(load(), self, params),
  construct: (_target, params) => Reflect.construct(load(), params),
  get: (_target, property) => Reflect.get(load(), property),
  has: (_target, property) => Reflect.has(load(), property),
});`,
    }));
  },
};

/**
 * What a snapshot for these modules contains and its key: the node version and architecture, npm's
 * record of the installed tree (node_modules/.package-lock.json), and the files the modules resolve
 * to. Undefined when something is not installed.
 * @param root the project root (where node_modules is)
 * @param deepModules the module paths inside those packages that dist/ imports (see deepImports)
 */
function snapshotModules(root, deepModules) {
  const require = createRequire(join(root, "package.json"));
  try {
    const paths = [...PACKAGES, ...deepModules].map((id) => require.resolve(id));
    const installed = readFileSync(join(root, "node_modules", ".package-lock.json"));
    return { key: hashOf(String(FORMAT), process.version, process.arch, installed, paths.join("\n")), paths };
  } catch {
    return undefined;
  }
}

/**
 * The blob's key, next to it (`<blob>.key`), for processes that decide whether to start from a blob
 * before starting (the unit tests' workers, see workerSnapshotBlob). Written after the blob, so a
 * reader can only see an older key beside a newer blob (it then runs without), never the reverse.
 */
function recordKey(blob, key) {
  const file = `${blob}.key`;
  if (existsSync(file) && readFileSync(file, "utf8") === key) return;
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, key);
  renameSync(partial, file);
}

/** The deep imports dist/ was last built with, as tools/build.mjs records them in dist/.build-state.json. */
function builtDeepModules(root) {
  const { files } = JSON.parse(readFileSync(join(root, "dist", ".build-state.json"), "utf8"));
  return [...new Set(Object.values(files).flatMap((entry) => entry[2] ?? []))].sort();
}

/**
 * For the unit tests' workers (vitest.config.mts): the blob `npm run synth` starts from, when it is
 * current for what is installed and what dist/ was last built from (the rule ensureDependencySnapshot
 * applies); otherwise undefined and the workers load everything from disk. Never builds one: that
 * is synth's job (about 1.5 s, once per install). A worker started from it gets the snapshot's
 * cdktf, constructs and provider modules from require(), as synth does; the tests' CommonJS imports
 * go through require (tools/vitest-cjs-shims.mjs), so they get the same.
 * @param root the project root
 */
export function workerSnapshotBlob(root) {
  if (process.env[NO_SNAPSHOT_ENV] === "1") return undefined;
  // The launcher names the blob (node binary, NODE_OPTIONS): ask it rather than repeat its rule.
  const printed = spawnSync("sh", [join(root, "tools", "with-snapshot.sh"), "--print-blob"], { cwd: root, encoding: "utf8" });
  const [path, node] = printed.status === 0 ? printed.stdout.split("\n") : [];
  if (!path || !node) return undefined;
  const blob = resolve(root, path);
  try {
    // The workers run the node running vitest: the blob must be that binary's.
    if (realpathSync(node) !== realpathSync(process.execPath)) return undefined;
    return readFileSync(`${blob}.key`, "utf8") === currentSnapshotKey(root) && existsSync(blob) ? blob : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The key a snapshot must have to serve what is installed and what dist/ was last built from; undefined
 * when nothing was built or installed yet. A unit test worker started from a blob compares it with
 * the snapshot's own (__tests__/setup-snapshot.mjs, first import of __tests__/setup.ts): an `npm install` during a watch session makes
 * the next run's workers load from disk.
 * @param root the project root
 */
export function currentSnapshotKey(root) {
  try {
    return snapshotModules(root, builtDeepModules(root))?.key;
  } catch {
    return undefined; // never built: synth has not run here yet
  }
}

function hashOf(...parts) {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex").slice(0, 16);
}

/**
 * Make sure the modules the script is about to load come from a snapshot of what is installed now:
 * when this process started from a current snapshot, nothing to do; otherwise turn the outdated
 * one off (modules load from disk, as without a snapshot) and build a new one for the next run
 * (about 1.5 s, once per install) at the path tools/with-snapshot.sh gave (INFRA_SNAPSHOT_BLOB).
 * Never fails the run: when node cannot build a snapshot, the reason is kept next to the blob and
 * no further attempt is made for the same installation.
 * @param root the project root (where node_modules is)
 * @param deepModules the module paths inside those packages that dist/ imports (see deepImports)
 */
export async function ensureDependencySnapshot(root, deepModules) {
  const active = globalThis[ACTIVE];
  // Read once and not passed on: a tool's own child processes may run under other NODE_OPTIONS.
  const blob = process.env[BLOB_ENV];
  delete process.env[BLOB_ENV];
  if (process.env[NO_SNAPSHOT_ENV] === "1") {
    active?.disable();
    return "off";
  }
  const current = snapshotModules(root, deepModules);
  if (!current) {
    active?.disable();
    return "off"; // not installed (yet): the script itself reports what is missing
  }
  const { key, paths } = current;
  if (active?.key === key) {
    if (blob) recordKey(resolve(root, blob), key);
    return "current";
  }
  active?.disable();
  // Not started by tools/with-snapshot.sh: no run would start from a snapshot built here.
  if (!blob) return "off";
  const target = resolve(root, blob);
  const dir = dirname(target);
  const failed = `${target}.failed-${key}`;
  if (existsSync(failed)) return "failed";

  mkdirSync(dir, { recursive: true });
  const entry = join(dir, `entry.${process.pid}.js`);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    const { build } = await import("esbuild");
    await build({
      stdin: { contents: entrySource(key, paths), resolveDir: root, loader: "js" },
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      outfile: entry,
      logLevel: "silent",
      plugins: [deferredModules],
    });
    // The builder inherits NODE_OPTIONS: node loads a snapshot only under the heap flags it was built with.
    const built = spawnSync(process.execPath, ["--snapshot-blob", temporary, "--build-snapshot", entry], { cwd: root, encoding: "utf8" });
    if (built.status !== 0 || !existsSync(temporary)) throw new Error(built.stderr || built.error?.message || `exit ${built.status}`);
    renameSync(temporary, target);
    recordKey(target, key);
    // Blobs of other node binaries or NODE_OPTIONS stay for their runs, unless unused for 30 days.
    const stale = Date.now() - 30 * 24 * 3600 * 1000;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name.includes(".failed-") || (name.endsWith(".blob") && path !== target && statSync(path).atimeMs < stale && statSync(path).mtimeMs < stale)) {
        rmSync(path, { force: true });
        rmSync(`${path}.key`, { force: true });
      }
    }
    return "built";
  } catch (error) {
    writeFileSync(failed, String(error instanceof Error ? error.message : error));
    return "failed";
  } finally {
    rmSync(entry, { force: true });
    rmSync(temporary, { force: true });
  }
}
