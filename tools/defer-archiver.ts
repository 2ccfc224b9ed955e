/**
 * cdktf requires `archiver` when it loads (for directory assets of type ARCHIVE), and archiver with
 * its stream dependencies costs about 80 ms of CPU: half of loading cdktf, about 7% of a synth.
 * This app never zips a directory through cdktf (the reaper's zip is built by constructs/core/bundle),
 * so synth puts a stand-in for archiver into the module cache first: called or read, it loads the
 * real archiver and forwards to it. Nothing changes for code that does use archiver, except when
 * the cost is paid.
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
