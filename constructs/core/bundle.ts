/**
 * Bundle a Lambda's TypeScript entry with esbuild at synth time, fast enough to run on every synth:
 * once per process (memoized), and across processes through an on-disk cache whose entries are
 * trusted only while every input file still has the content hash recorded when it was built.
 */
import { buildSync, version as esbuildVersion } from "esbuild";
import { createHash } from "crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { dirname, join, resolve } from "path";

/**
 * Find a source file by its path from the project root, walking up from this module: the same
 * answer whether the construct runs from source (jest) or compiled into dist/ (npm run synth).
 */
export function projectFile(relativePath: string, from: string = __dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, relativePath);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`${relativePath} not found above ${from}; run from a checkout of the project`);
  }
}

/** A bundled Lambda: a directory holding index.js, and the bundle's content hash. */
export interface LambdaBundle {
  /** Directory to archive as the function's code; the handler is `index.<export>`. */
  readonly dir: string;
  /** sha256 of index.js: changes exactly when the deployed code changes. */
  readonly hash: string;
  /** True when this call did not run esbuild. */
  readonly cached: boolean;
}

/** Where bundles are cached across processes. @default $TMPDIR/cdktf-lambda-bundles */
const CACHE_ROOT = process.env.LAMBDA_BUNDLE_CACHE ?? join(tmpdir(), "cdktf-lambda-bundles");

const memo = new Map<string, LambdaBundle>();

function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

interface CacheManifest {
  readonly hash: string;
  /** Every input file esbuild read, with its content hash. */
  readonly inputs: Record<string, string>;
}

function cachedBundle(keyDir: string): LambdaBundle | undefined {
  const manifestPath = join(keyDir, "manifest.json");
  if (!existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as CacheManifest;
  for (const [file, hash] of Object.entries(manifest.inputs)) {
    if (!existsSync(file) || sha256(readFileSync(file)) !== hash) return undefined;
  }
  const dir = join(keyDir, manifest.hash);
  return existsSync(join(dir, "index.js")) ? { dir, hash: manifest.hash, cached: true } : undefined;
}

/**
 * Bundle `entry` (a .ts file) for Node 20 into one minified CommonJS file, SDK included so the
 * deployed code runs the versions the tests ran. Returns the cached bundle when nothing changed.
 */
export function bundleLambda(entry: string): LambdaBundle {
  const entryPath = resolve(entry);
  const remembered = memo.get(entryPath);
  if (remembered) return { ...remembered, cached: true };

  const options = { platform: "node", target: "node20", format: "cjs", minify: true, esbuild: esbuildVersion } as const;
  const keyDir = join(CACHE_ROOT, sha256(JSON.stringify({ entryPath, options })).slice(0, 16));
  const hit = cachedBundle(keyDir);
  if (hit) {
    memo.set(entryPath, hit);
    return hit;
  }

  const result = buildSync({
    entryPoints: [entryPath],
    bundle: true,
    platform: options.platform,
    target: options.target,
    format: options.format,
    minify: options.minify,
    legalComments: "none",
    metafile: true,
    write: false,
    logLevel: "silent",
    outfile: "index.js",
  });
  const code = Buffer.from(result.outputFiles[0].contents);
  const hash = sha256(code);
  const dir = join(keyDir, hash);
  mkdirSync(dir, { recursive: true });
  // Write then rename, so a parallel synth (e.g. jest workers) never reads half a file.
  const temp = join(dir, `index.js.${process.pid}`);
  writeFileSync(temp, code);
  renameSync(temp, join(dir, "index.js"));
  const cwd = process.cwd();
  const inputs = Object.fromEntries(
    Object.keys(result.metafile.inputs).map((file) => {
      const absolute = resolve(cwd, file);
      return [absolute, sha256(readFileSync(absolute))];
    }),
  );
  const manifestTemp = join(keyDir, `manifest.json.${process.pid}`);
  mkdirSync(dirname(manifestTemp), { recursive: true });
  writeFileSync(manifestTemp, JSON.stringify({ hash, inputs } satisfies CacheManifest));
  renameSync(manifestTemp, join(keyDir, "manifest.json"));
  const bundle = { dir, hash, cached: false };
  memo.set(entryPath, bundle);
  return bundle;
}
