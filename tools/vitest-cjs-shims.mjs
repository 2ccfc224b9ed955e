/**
 * A vite plugin for the test runs: a CommonJS package the tests import is loaded through a
 * one-line CommonJS stand-in that `require`s it, instead of being imported as is.
 *
 * Why: vitest imports every package from node_modules with node's `import()`. For a CommonJS file
 * node then scans the whole source for its export names (cjs-module-lexer), and follows every
 * re-export: cdktf's index re-exports its whole lib folder, and the 101 provider modules the
 * constructs use (`@cdktf/provider-aws/lib/eks-cluster`, ...) are 17 MB of JavaScript, plus 2 MB of
 * the EC2 client. Each test worker scanned all of it once more than it compiles it: about 0.25 s of
 * CPU per worker (CPU profile of `npm run unit`). The stand-in's only statement,
 * `module.exports = load(<file>)`, has no export node can see, so the scan is a few bytes, and the
 * package loads through `require` as it does in `npm run synth`. Named imports keep working:
 * vitest reads a name it does not find in the module's namespace from its `module.exports`.
 *
 * What it does not change: which file loads (the stand-in requires exactly the file vite resolved
 * for the import), ES module packages (left as they are), and anything outside the test runs.
 *
 * Trust: a stand-in is code the tests run, like node_modules it lives beside and is trusted on
 * existence (named by its content, never checked again). Whoever can write node_modules/.cache can
 * already change node_modules; no workflow caches either. A stand-in that cannot be written (a
 * read-only node_modules) only means that import loads as vitest would load it.
 *
 * Plain JavaScript, like the vitest configs that load it (vite loads a config's imports as they are).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, join, relative, sep } from "node:path";

/** Where the stand-ins are written (one per resolved file, named by a hash of its content). */
export const SHIM_DIR = join("node_modules", ".cache", "vitest-cjs-shims");
/** In SHIM_DIR: an id made when the folder is, part of vitest's transform cache key (see configureVitest). */
const GENERATION = ".generation";

/** A temporary name no other process or thread writing the same file uses. */
function partialName(path) {
  return `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
}

/** @type {Map<string, string | undefined>} */
const typeOfPackage = new Map();

/** The "type" of the package.json nearest to `dir` (node's rule for what a `.js` file is). */
/** @param {string} dir @returns {string | undefined} */
function packageType(dir) {
  if (typeOfPackage.has(dir)) return typeOfPackage.get(dir);
  let type;
  const manifest = join(dir, "package.json");
  if (existsSync(manifest)) type = JSON.parse(readFileSync(manifest, "utf8")).type ?? "commonjs";
  else if (dirname(dir) !== dir) type = packageType(dirname(dir));
  typeOfPackage.set(dir, type);
  return type;
}

/** @param {string} file */
function isCommonJs(file) {
  if (file.endsWith(".cjs")) return true;
  return file.endsWith(".js") && packageType(dirname(file)) === "commonjs";
}

/**
 * The stand-in for `file`, written once (atomically: a rename). For a project file it first
 * requires tools/vitest-native-ts.cjs, which teaches require() TypeScript.
 * @param {string} root @param {string} file
 */
function shimFor(root, file) {
  const typescript = file.endsWith(".ts") ? `require(${JSON.stringify(join(root, "tools", "vitest-native-ts.cjs"))});\n` : "";
  // `load`, not `require`: node's scanner would follow `module.exports = require(...)`.
  const code = `// ${file}\n${typescript}const load = require;\nmodule.exports = load(${JSON.stringify(file)});\n`;
  // Named by its content: a file written by another version of this plugin is never reused.
  const dir = join(root, SHIM_DIR);
  const shim = join(dir, `${createHash("sha256").update(code).digest("hex").slice(0, 16)}.cjs`);
  if (existsSync(shim)) return shim;
  const partial = partialName(shim);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(partial, code);
    renameSync(partial, shim);
    return shim;
  } catch {
    rmSync(partial, { force: true });
    return existsSync(shim) ? shim : undefined; // written meanwhile by another run, or not writable
  }
}

/** The id of the stand-ins' folder as it is now (made with the folder; "none" if it cannot be). */
function generation(root) {
  const file = join(root, SHIM_DIR, GENERATION);
  try {
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      const partial = partialName(file);
      writeFileSync(partial, `${Date.now()}-${Math.random().toString(36).slice(2)}`);
      renameSync(partial, file);
    }
    return readFileSync(file, "utf8");
  } catch {
    return "none";
  }
}

/** How long a transpiled project file stays cached (tools/vitest-native-ts.cjs) after it was written: edits leave old ones behind. */
const TRANSPILED_DAYS = 30;

function pruneTranspiled(root) {
  const dir = join(root, "node_modules", ".cache", "vitest-native-ts");
  if (!existsSync(dir)) return;
  const oldest = Date.now() - TRANSPILED_DAYS * 24 * 3600 * 1000;
  try {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      // statSync throws if a concurrent run pruned it first: either way it is gone.
      if ((statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) < oldest) rmSync(path, { force: true });
    }
  } catch {
    // Pruning is housekeeping: a folder that cannot be read or written is left as it is.
  }
}

/** A project source (what tools/build.mjs compiles to dist/), as opposed to a test, a helper or a package. */
function isProjectSource(root, file) {
  const path = relative(root, file);
  return file.endsWith(".ts") && !file.endsWith(".d.ts") && !path.startsWith("..") && !path.split(sep).some((part) => part === "node_modules" || part === "__tests__" || part === "dist");
}

/**
 * The plugin (for vite's `plugins`); `root` is the project folder (node_modules/.cache lives there).
 * With `projectSources`, in a run that does not watch, a test's import of a project file (relative,
 * from __tests__/) also gets a stand-in, and the project loads through require()
 * (tools/vitest-native-ts.cjs). vitest then no longer sees the project's modules, which watch mode
 * needs to know which tests an edit affects: watching, the project goes through vitest as before.
 * @param {string} root
 * @param {{ projectSources?: boolean }} [options]
 */
export function commonJsShims(root, { projectSources = false } = {}) {
  /** Decided once vitest has resolved whether it watches (configureVitest). */
  let projectThroughRequire = false;
  // Bare imports resolve alike from every file of one folder: vite asks once per import per module.
  /** @type {Map<string, Promise<{ id: string } | string | null>>} */
  const byFolder = new Map();
  /** The stand-in for a resolved file, or the resolution itself when there is none. */
  const standIn = (resolved) => shimFor(root, resolved.id) ?? resolved;
  return {
    name: "infra:commonjs-shims",
    enforce: "pre",
    configureVitest({ vitest, experimental_defineCacheKeyGenerator: defineCacheKey }) {
      projectThroughRequire = projectSources && !vitest.config.watch;
      if (projectThroughRequire) pruneTranspiled(root);
      // vitest's transform cache keeps each test file's resolved imports. A run that loads the project
      // through require() must not reuse a watching run's transforms, nor the reverse (two copies of
      // a project module in one worker); and if the stand-ins' folder was deleted, no cached transform
      // may name a stand-in it held (a new folder has a new id).
      const key = `infra-commonjs-shims:${projectThroughRequire ? "project-through-require" : "project-through-vitest"}:${generation(root)}`;
      defineCacheKey?.(() => key);
    },
    resolveId(source, importer, options) {
      if (projectThroughRequire && source.startsWith(".") && importer && relative(root, importer).split(sep)[0] === "__tests__") {
        return this.resolve(source, importer, { ...options, skipSelf: true }).then((resolved) => (resolved && isProjectSource(root, resolved.id) ? standIn(resolved) : resolved));
      }
      if (source.startsWith(".") || source.startsWith("/") || source.startsWith("\0") || source.includes(":") || isBuiltin(source)) return null;
      const key = `${importer ? dirname(importer) : ""}\0${source}`;
      let resolution = byFolder.get(key);
      if (!resolution) {
        resolution = this.resolve(source, importer, { ...options, skipSelf: true }).then((resolved) =>
          resolved && !resolved.id.includes("?") && resolved.id.includes("/node_modules/") && isCommonJs(resolved.id) ? standIn(resolved) : resolved,
        );
        byFolder.set(key, resolution);
      }
      return resolution;
    },
  };
}
