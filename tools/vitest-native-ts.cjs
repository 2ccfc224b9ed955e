/**
 * Teaches node's require() to load the project's TypeScript, for the unit tests' workers (required
 * by the stand-ins tools/vitest-cjs-shims.mjs writes for project files; never by synth or a tool).
 *
 * Why: vitest runs every project module through its module runner: each of the ~250 files is asked
 * from the main process, wrapped and evaluated on its own, and its imports go back through vitest.
 * Loading the project that way took about 0.35 s per worker, much of it waiting for the main
 * process while the other worker asked too (a test file importing main.ts: 1.2 s against 0.8 s for
 * an empty one). Through require() the project loads like any CommonJS package.
 *
 * How: a `.ts` file is transpiled with esbuild and the options tools/build.mjs uses for dist/
 * (tools/esbuild-options.json; the same output `npm run synth` runs), with an inline source map so
 * stack traces name the .ts lines (mapped here: vitest maps only the modules it runs itself). The output is cached in node_modules/.cache/vitest-native-ts/ by
 * a hash of path, source, esbuild version and options: an edited file is transpiled again the
 * next time a test loads it, never served stale. esbuild itself loads only on a cache miss.
 *
 * Trust: the cache is code the tests run, trusted on existence (named by the hash of its input,
 * never checked again), like node_modules beside it; whoever can write node_modules/.cache can
 * already change node_modules, and no workflow caches either. When the cache cannot be written
 * (a read-only node_modules) the file is transpiled for this run only.
 *
 * Plain CommonJS: it runs before anything is compiled.
 */
"use strict";
const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require("node:fs");
const { threadId } = require("node:worker_threads");
const Module = require("node:module");
const { join } = require("node:path");

const ROOT = join(__dirname, "..");
const CACHE = join(ROOT, "node_modules", ".cache", "vitest-native-ts");
const OPTIONS = JSON.parse(readFileSync(join(__dirname, "esbuild-options.json"), "utf8"));
// tsconfig.json's compiler options decide how esbuild emits class fields (target ES2022); its build
// reads them from the file, a transform only from here.
const TSCONFIG = JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8"));
const ESBUILD_VERSION = JSON.parse(readFileSync(join(ROOT, "node_modules", "esbuild", "package.json"), "utf8")).version;
/** Bumped when what this file adds to the options (loader, source map) or does with the output changes. */
const FORMAT = 1;
const TRANSFORM = { ...OPTIONS, loader: "ts", sourcemap: "inline", tsconfigRaw: { compilerOptions: TSCONFIG.compilerOptions } };
const SALT = JSON.stringify({ FORMAT, TRANSFORM, ESBUILD_VERSION });
/** Marks the `.ts` loader installed here (node 22.18+ has its own, type stripping, which this replaces). */
const MARK = Symbol.for("infra.vitestNativeTs");

/**
 * `source` (the text of `filename`) as CommonJS with an inline source map, from the cache or esbuild.
 * @param {string} filename @param {string} source
 */
function transpile(filename, source) {
  const key = createHash("sha256").update(SALT).update("\0").update(filename).update("\0").update(source).digest("hex");
  const cached = join(CACHE, `${key}.js`);
  try {
    return readFileSync(cached, "utf8");
  } catch {
    // Not cached (or pruned meanwhile): transpile.
  }
  const { code } = require("esbuild").transformSync(source, { ...TRANSFORM, sourcefile: filename });
  const partial = `${cached}.${process.pid}.${threadId}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(partial, code);
    renameSync(partial, cached);
  } catch {
    rmSync(partial, { force: true }); // not writable: used for this run only
  }
  return code;
}

/** The inline source map of each file loaded here, decoded when a stack trace first passes through it. */
const sourceMaps = new Map();
/** @type {Map<string, Module.SourceMap | null>} */
const decoded = new Map();

/** Where `line:column` (1-based, as a stack frame gives them) of the transpiled file was in the .ts. */
function originalPosition(file, line, column) {
  if (!decoded.has(file)) {
    const payload = /\/\/# sourceMappingURL=data:application\/json;base64,(\S+)\s*$/.exec(sourceMaps.get(file) ?? "")?.[1];
    decoded.set(file, payload ? new Module.SourceMap(JSON.parse(Buffer.from(payload, "base64").toString("utf8"))) : null);
  }
  const entry = decoded.get(file)?.findEntry(line - 1, column - 1);
  return entry && entry.originalLine !== undefined ? { line: entry.originalLine + 1, column: entry.originalColumn + 1 } : undefined;
}

/**
 * Stack traces name .ts lines: vitest formats stack traces itself (Error.prepareStackTrace, with
 * source maps only for the modules it ran), so frames in files loaded here are mapped before they
 * reach it. Installed on the first load, after vitest's own.
 */
function mapStackTraces() {
  const format = Error.prepareStackTrace;
  Error.prepareStackTrace = function prepareStackTrace(error, frames) {
    const mapped = frames.map((frame) => {
      const file = frame.getFileName();
      const position = file && sourceMaps.has(file) ? originalPosition(file, frame.getLineNumber(), frame.getColumnNumber()) : undefined;
      if (!position) return frame;
      return new Proxy(frame, {
        get(target, property) {
          if (property === "getLineNumber") return () => position.line;
          if (property === "getColumnNumber") return () => position.column;
          // V8's own text for the frame ("new Foo", "Foo.method", "async f", ...) with the position replaced.
          if (property === "toString") return () => String(target).replace(/:\d+:\d+(\)?)$/, `:${position.line}:${position.column}$1`);
          const value = Reflect.get(target, property);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    });
    return format ? format(error, mapped) : `${error}${mapped.map((frame) => `\n    at ${frame}`).join("")}`;
  };
}

module.exports = { transpile, CACHE };

if (!Module._extensions[".ts"]?.[MARK]) {
  mapStackTraces();
  const loadTypeScript = function loadTypeScript(module, filename) {
    const code = transpile(filename, readFileSync(filename, "utf8"));
    sourceMaps.set(filename, code.slice(code.lastIndexOf("\n//# sourceMappingURL=")));
    decoded.delete(filename);
    module._compile(code, filename);
  };
  loadTypeScript[MARK] = true;
  Module._extensions[".ts"] = loadTypeScript;
}
