#!/usr/bin/env node
/**
 * `npm run build`: transpile every source .ts to dist/ (same layout, CommonJS) with esbuild, no
 * type-check. `tsc --noEmit` runs in `npm test` and CI instead: a type error must fail the test,
 * but it must never stand between a user and synth's own config errors, and it cost 5.7 s a call.
 *
 * Incremental: dist/.build-state.json records each source's mtime and size; only changed files
 * are transpiled (esbuild is not even loaded when nothing changed: about 70 ms, a full build about
 * 250 ms), outputs of deleted sources are removed, and a change of esbuild version or options
 * rebuilds the app's part of dist/ from scratch. Every tool script in package.json has the shape
 *
 *   "<name>": "node tools/build.mjs dist/tools/<name>.js"
 *
 * or, for the scripts that load cdktf, "sh tools/with-snapshot.sh dist/tools/<name>.js", which runs
 * this same file in a node started from the dependency snapshot (about 0.3 s less per run; other
 * tools start faster without one, deserializing costs 0.1 s);
 *
 * that is, build, then run that script in this same process with the arguments after it (what npm
 * appends after `--`), as `node dist/tools/<name>.js ...` would: one node start instead of two
 * saves about 0.1 s of CPU on every call (`npm run synth` has a 1 s budget). Without a script it
 * only builds (`npm run build`); `--verbose` before the script prints what was transpiled.
 *
 * Plain JavaScript on purpose: it has to run before anything is compiled.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "dist");
const STATE_FILE = join(OUT, ".build-state.json");
/** What the app, stacks, tools and Lambdas are made of (the library's own package build is `build:lib`). */
const SOURCES = ["main.ts", "environments", "constructs", "stacks", "tools", "lambdas"];
const SKIP_DIRS = new Set(["node_modules", "dist", "__tests__"]);
/**
 * tools/esbuild-options.json: matches tsconfig.json's target and module (CommonJS, where tsc turns
 * `await import()` into require, so a lazily loaded module resolves like any other). The unit
 * tests' workers transpile with the same options (tools/vitest-native-ts.cjs). esbuild options
 * that change output bump the state (they are part of its key).
 */
const OPTIONS = JSON.parse(readFileSync(join(ROOT, "tools", "esbuild-options.json"), "utf8"));
/** Version of .build-state.json's layout: { key, files: { source: [mtimeMs, size, deepImports?] } } (see dependency-snapshot.mjs). */
const STATE_FORMAT = 3;

function sourceFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(path);
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        files.push(path);
      }
    }
  };
  for (const source of SOURCES) {
    if (source.endsWith(".ts")) files.push(source);
    else walk(source);
  }
  return files;
}

const outputOf = (source) => join(OUT, source.replace(/\.ts$/, ".js"));

/** Write via rename, so a tool started by a concurrent build never reads half a file. */
function writeAtomic(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

function readState(key) {
  try {
    const state = JSON.parse(readFileSync(STATE_FILE, "utf8"));
    if (state.key === key) return state.files;
  } catch {
    // No state or unreadable: build everything.
  }
  return undefined;
}

/** build.mjs's own arguments, then the script to run after the build and its arguments. */
function splitArguments(argv) {
  const script = argv.findIndex((arg) => arg.endsWith(".js"));
  return script === -1 ? { own: argv, run: undefined } : { own: argv.slice(0, script), run: argv.slice(script) };
}

/**
 * Run a compiled script in this process as `node <script> <args>` would: argv, require.main, exit
 * code. Started by tools/with-snapshot.sh (it names the blob in INFRA_SNAPSHOT_BLOB) or from a
 * snapshot, it first checks that this process started from a current dependency snapshot, and
 * builds one for the next run if not.
 */
async function runScript([script, ...args], deepModules, verbose) {
  const path = resolve(script);
  if (!existsSync(path)) {
    console.error(`build: ${script} not found after the build (is its source under ${SOURCES.join(", ")}?)`);
    process.exit(1);
  }
  if (process.env.INFRA_SNAPSHOT_BLOB || globalThis[Symbol.for("infra.dependencySnapshot")]) {
    const { ensureDependencySnapshot } = await import("./dependency-snapshot.mjs");
    const snapshot = await ensureDependencySnapshot(ROOT, deepModules);
    if (verbose) console.error(`build: dependency snapshot ${snapshot}`);
  }
  process.argv = [process.argv[0], path, ...args];
  createRequire(import.meta.url)("node:module").runMain();
}

async function main(own) {
  const esbuildVersion = JSON.parse(readFileSync(join(ROOT, "node_modules/esbuild/package.json"), "utf8")).version;
  const key = JSON.stringify({ esbuildVersion, OPTIONS, STATE_FORMAT });
  const previous = readState(key);
  // Anything an older build (or tsc) left behind goes; other dist/ content (api-docs) stays.
  if (!previous) for (const source of SOURCES) rmSync(outputOf(source), { recursive: true, force: true });
  const files = {};
  const changed = [];
  for (const source of sourceFiles()) {
    const { mtimeMs, size } = statSync(join(ROOT, source));
    const before = previous?.[source];
    if (!before || before[0] !== mtimeMs || before[1] !== size || !existsSync(outputOf(source))) changed.push(source);
    files[source] = before?.[2] ? [mtimeMs, size, before[2]] : [mtimeMs, size];
  }
  const removed = Object.keys(previous ?? {}).filter((source) => !(source in files));
  for (const source of removed) rmSync(outputOf(source), { force: true });
  if (changed.length > 0) {
    const { build } = await import("esbuild");
    const result = await build({ ...OPTIONS, absWorkingDir: ROOT, entryPoints: changed, outdir: OUT, outbase: ".", bundle: false, write: false, logLevel: "silent" });
    for (const warning of result.warnings) console.error(`build: ${warning.location?.file ?? ""} ${warning.text}`);
    let deepImports;
    for (const file of result.outputFiles) {
      writeAtomic(file.path, file.contents);
      deepImports ??= (await import("./dependency-snapshot.mjs")).deepImports;
      const source = file.path.slice(OUT.length + 1).replace(/\.js$/, ".ts");
      const imports = deepImports(file.text);
      files[source] = imports.length > 0 ? [...files[source].slice(0, 2), imports] : files[source].slice(0, 2);
    }
  }
  if (changed.length > 0 || removed.length > 0 || !previous) {
    writeAtomic(STATE_FILE, JSON.stringify({ key, files }));
  }
  if (own.includes("--verbose")) console.error(`build: ${changed.length} transpiled, ${removed.length} removed into ${relative(process.cwd(), OUT) || "."}`);
  return [...new Set(Object.values(files).flatMap((entry) => entry[2] ?? []))].sort();
}

const { own, run } = splitArguments(process.argv.slice(2));
let deepModules;
try {
  deepModules = await main(own);
} catch (error) {
  // esbuild's BuildFailure carries one message per file: print them as file:line: text.
  const messages = error?.errors?.map((e) => `${e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : ""}${e.text}`);
  console.error(messages?.length ? messages.join("\n") : `build: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
if (run) await runScript(run, deepModules, own.includes("--verbose"));
