/**
 * Bundle a Lambda's TypeScript entry with esbuild at synth time, fast enough to run on every synth:
 * once per process (memoized), and across processes through an on-disk cache whose entries are
 * trusted only while every input file still has the content hash recorded when it was built.
 *
 * The bundle is zipped here, deterministically (fixed timestamps), so the package's SHA-256 is
 * known at synth: `source_code_hash` is then a literal that changes exactly when the code does,
 * and terraform validate/plan need no file functions over assets.
 *
 * The published library ships each Lambda prebuilt (`<handler>.js.zip`, written by
 * `writePrebuiltBundle` when the package is packed), so a consumer needs neither esbuild nor the
 * AWS SDK the bundle contains: esbuild is only loaded when no prebuilt zip sits next to the entry.
 */
import type * as Esbuild from "esbuild";
import { createHash } from "crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { dirname, join, resolve } from "path";
import { crc32, deflateRawSync } from "zlib";

/**
 * The file of a module given without extension, relative to `from`: the TypeScript source in a
 * checkout (vitest, ts-node), else the compiled JavaScript (dist/, or the installed package, which
 * ships no sources).
 */
export function moduleFile(from: string, relativePath: string): string {
  const base = resolve(from, relativePath);
  for (const extension of [".ts", ".js"]) {
    if (existsSync(base + extension)) return base + extension;
  }
  throw new Error(`${base}.ts or .js not found: the package or checkout is incomplete`);
}

/** A bundled Lambda, ready to deploy. */
export interface LambdaBundle {
  /** Zip holding index.js; the handler is `index.<export>`. */
  readonly zipPath: string;
  /** Base64 SHA-256 of the zip: the form Lambda's `source_code_hash` expects. */
  readonly zipSha256: string;
  /** True when this call did not run esbuild. */
  readonly cached: boolean;
}

/** Suffix of a Lambda bundle prebuilt next to its compiled entry (`handler.js` -> `handler.js.zip`). */
export const PREBUILT_SUFFIX = ".zip";

/** Where bundles are cached across processes. @default $TMPDIR/cdktf-lambda-bundles */
const CACHE_ROOT = process.env.LAMBDA_BUNDLE_CACHE ?? join(tmpdir(), "cdktf-lambda-bundles");

const memo = new Map<string, LambdaBundle>();

function sha256(data: string | Buffer, encoding: "hex" | "base64" = "hex"): string {
  return createHash("sha256").update(data).digest(encoding);
}

interface CacheManifest {
  readonly zip: string;
  /** Every input file esbuild read, with its content hash. */
  readonly inputs: Record<string, string>;
}

/** One-file zip (deflate, DOS date 1980-01-01, mode 0644): identical bytes for identical code. */
export function zipSingleFile(name: string, content: Buffer): Buffer {
  const data = deflateRawSync(content, { level: 9 });
  const nameBytes = Buffer.from(name, "utf8");
  const crc = crc32(content);
  const DOS_DATE_1980_01_01 = 0x21;
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(0, 6); // flags
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt16LE(0, 10); // time
  local.writeUInt16LE(DOS_DATE_1980_01_01, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  local.writeUInt16LE(0, 28);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE((3 << 8) | 20, 4); // made by unix, so the external attributes carry the mode
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt16LE(0, 12);
  central.writeUInt16LE(DOS_DATE_1980_01_01, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(0o100644 * 0x10000, 38); // regular file, rw-r--r--
  central.writeUInt32LE(0, 42); // local header offset
  const centralOffset = local.length + nameBytes.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, nameBytes, data, central, nameBytes, end]);
}

function cachedBundle(keyDir: string): LambdaBundle | undefined {
  const manifestPath = join(keyDir, "manifest.json");
  if (!existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as CacheManifest;
  for (const [file, hash] of Object.entries(manifest.inputs)) {
    if (!existsSync(file) || sha256(readFileSync(file)) !== hash) return undefined;
  }
  const zipPath = join(keyDir, manifest.zip);
  return existsSync(zipPath) ? { zipPath, zipSha256: sha256(readFileSync(zipPath), "base64"), cached: true } : undefined;
}

/** Write then rename, so a parallel synth (e.g. another test worker) never reads half a file. */
function writeAtomically(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}`;
  writeFileSync(temp, content);
  renameSync(temp, path);
}

/**
 * Node.js major version of the Lambda runtime; the bundle targets the same version, so the code
 * esbuild emits is exactly what the runtime runs. nodejs20.x reaches end of life on 2026-04-30.
 */
export const LAMBDA_NODE_MAJOR = 22;
/** The Lambda runtime identifier bundles are built for. */
export const LAMBDA_RUNTIME = `nodejs${LAMBDA_NODE_MAJOR}.x`;

/**
 * Bundle `entry` (a .ts file) for the Lambda runtime's Node version into one minified CommonJS index.js, SDK included so the
 * deployed code runs the versions the tests ran, and zip it. Returns the cached zip when nothing
 * the bundle was built from has changed.
 */
export function bundleLambda(entry: string): LambdaBundle {
  const entryPath = resolve(entry);
  const remembered = memo.get(entryPath);
  if (remembered) return { ...remembered, cached: true };
  const prebuilt = `${entryPath}${PREBUILT_SUFFIX}`;
  if (existsSync(prebuilt)) {
    const bundle = { zipPath: prebuilt, zipSha256: sha256(readFileSync(prebuilt), "base64"), cached: true };
    memo.set(entryPath, bundle);
    return bundle;
  }
  // esbuild's version from its package.json: a cache hit never loads esbuild itself (about 15 ms of synth).
  const esbuildVersion = (JSON.parse(readFileSync(require.resolve("esbuild/package.json"), "utf8")) as { version: string }).version;

  // `cache` versions the cache layout: a new layout never reads an old entry.
  const options = { platform: "node", target: `node${LAMBDA_NODE_MAJOR}`, format: "cjs", minify: true, esbuild: esbuildVersion, cache: 2 } as const;
  const keyDir = join(CACHE_ROOT, sha256(JSON.stringify({ entryPath, options })).slice(0, 16));
  const hit = cachedBundle(keyDir);
  if (hit) {
    memo.set(entryPath, hit);
    return hit;
  }

  // Loaded here, not at the top: consumers of the packed library use the prebuilt zip and do not install esbuild.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildSync } = require("esbuild") as typeof Esbuild;
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
  const zip = zipSingleFile("index.js", Buffer.from(result.outputFiles[0].contents));
  const zipName = `${sha256(zip).slice(0, 32)}.zip`;
  writeAtomically(join(keyDir, zipName), zip);
  const inputs = Object.fromEntries(
    Object.keys(result.metafile.inputs).map((file) => {
      const absolute = resolve(process.cwd(), file);
      return [absolute, sha256(readFileSync(absolute))];
    }),
  );
  writeAtomically(join(keyDir, "manifest.json"), JSON.stringify({ zip: zipName, inputs } satisfies CacheManifest));
  const bundle = { zipPath: join(keyDir, zipName), zipSha256: sha256(zip, "base64"), cached: false };
  memo.set(entryPath, bundle);
  return bundle;
}

/**
 * Bundle a compiled entry and write the zip next to it as `<entry>.zip`, which `bundleLambda` then
 * uses without esbuild. Run when the library is packed (constructs/package.json `prepack`).
 */
export function writePrebuiltBundle(entry: string): string {
  const entryPath = resolve(entry);
  const target = `${entryPath}${PREBUILT_SUFFIX}`;
  rmSync(target, { force: true });
  memo.delete(entryPath);
  const built = bundleLambda(entryPath);
  writeFileSync(target, readFileSync(built.zipPath));
  memo.delete(entryPath);
  return target;
}
