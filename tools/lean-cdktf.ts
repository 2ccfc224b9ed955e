/**
 * Two things cdktf does on every synth that this project's synth does not need, each measured
 * (CPU profile and /usr/bin/time over `node dist/tools/synth.js`):
 *
 * - It requires `archiver` when it loads (for directory assets of type ARCHIVE): with its stream
 *   dependencies about 80 ms of CPU, half of loading cdktf. This app never zips a directory through
 *   cdktf (the reaper's zip is built by constructs/core/bundle), so a stand-in goes into the module
 *   cache first: called or read, it loads the real archiver and forwards to it.
 * - It captures a full stack trace for every token it creates (`creationStack`), printed only
 *   inside the message of a failed token resolution: about 5% of a synth, and more than a one-line
 *   CLI error should carry (synth already turns cdktf's construct stack traces off). Synth and the
 *   unit tests record none; the error itself is unchanged.
 */
import Module from "module";
import { dirname } from "path";

/**
 * Put a stand-in for the CommonJS module at `path` into the module cache: whoever requires it gets
 * a proxy that loads the real module on its first call or property read and forwards to it. For a
 * module that exports a function (or an object) and is loaded by many but used by few. No effect
 * when the module is already loaded.
 */
export function deferModule(path: string): void {
  if (require.cache[path]) return;
  let real: ((...args: unknown[]) => unknown) | undefined;
  const load = () => {
    if (!real) {
      delete require.cache[path];
      real = require(path) as (...args: unknown[]) => unknown;
    }
    return real;
  };
  const standIn = new Proxy(() => undefined, {
    apply: (_target, self, args) => Reflect.apply(load(), self, args),
    get: (_target, property) => Reflect.get(load(), property),
    has: (_target, property) => Reflect.has(load(), property),
  });
  const module = new Module(path);
  module.filename = path;
  module.loaded = true;
  module.exports = standIn;
  require.cache[path] = module;
}

/** Defer the archiver that cdktf will require. Call before cdktf is loaded. */
export function deferArchiver(): void {
  let path: string;
  try {
    path = require.resolve("archiver", { paths: [dirname(require.resolve("cdktf"))] });
  } catch {
    return; // cdktf no longer depends on archiver: nothing to defer
  }
  deferModule(path);
}

/**
 * Make cdktf record no creation stack for the tokens it creates from now on. Throws if this cdktf
 * version no longer has the function, so an upgrade cannot silently bring the cost back.
 */
export function skipTokenCreationStacks(): void {
  // require, not import: the module object cdktf itself requires, so the replacement is what it calls.
  const stackTrace = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace?: unknown };
  if (typeof stackTrace.captureStackTrace !== "function") {
    throw new Error("cdktf/lib/tokens/private/stack-trace no longer exports captureStackTrace: update tools/lean-cdktf.ts for this cdktf version");
  }
  stackTrace.captureStackTrace = (): string[] => [];
}

/** Both of the above, before cdktf is loaded. */
export function leanCdktf(): void {
  deferArchiver();
  skipTokenCreationStacks();
}
