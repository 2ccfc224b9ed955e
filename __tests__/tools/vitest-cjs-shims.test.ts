import * as cdktf from "cdktf";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { readFileSync, mkdtempSync, rmSync } from "fs";
import { createRequire } from "module";
import { tmpdir } from "os";
import { dirname, join } from "path";

/** tools/vitest-cjs-shims.mjs (plain JavaScript, as the vitest configs load it). */
interface ShimsModule {
  readonly SHIM_DIR: string;
  commonJsShims(root: string, options?: { projectSources?: boolean }): {
    configureVitest(context: { vitest: { config: { watch: boolean } }; experimental_defineCacheKeyGenerator(generator: () => string): void }): void;
    resolveId(this: { resolve(source: string, importer: string | undefined, options: object): Promise<{ id: string } | null> }, source: string, importer: string, options: object): Promise<unknown> | null;
  };
}
let shims: ShimsModule;
beforeAll(async () => {
  shims = (await import(join(__dirname, "..", "..", "tools", "vitest-cjs-shims.mjs"))) as ShimsModule;
});

const requireHere = createRequire(__filename);

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cjs-shims-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The plugin's answer for `source`, with vite's own resolution stubbed by `resolved`. */
async function shimOf(source: string, resolved: string | null): Promise<unknown> {
  const plugin = shims.commonJsShims(root);
  const context = { resolve: async () => (resolved === null ? null : { id: resolved }) };
  return plugin.resolveId.call(context, source, join(root, "constructs", "x.ts"), {});
}

describe("CommonJS packages in the unit tests (tools/vitest-cjs-shims.mjs)", () => {
  it("are the very modules require() returns: one cdktf and one provider module per worker", () => {
    expect(cdktf.App).toBe(requireHere("cdktf").App);
    expect(Vpc).toBe(requireHere("@cdktf/provider-aws/lib/vpc").Vpc);
  });

  it("load through a stand-in that requires the file vite resolved and shows node's scanner no export to follow", async () => {
    const target = requireHere.resolve("cdktf");
    const shim = await shimOf("cdktf", target);
    expect(shim).toEqual(expect.stringContaining(join(root, shims.SHIM_DIR)));
    expect(requireHere(shim as string)).toBe(requireHere("cdktf"));
    // What node's export scanner looks for (`exports.x =`, `module.exports = require(...)`) is not
    // there: it finds no name and no re-export to follow into cdktf's lib.
    const code = readFileSync(shim as string, "utf8").replace(/^\/\/.*\n/gm, "");
    expect(code).toBe(`const load = require;\nmodule.exports = load(${JSON.stringify(target)});\n`);
  });

  /** The plugin as vitest sets it up, and the key it adds to vitest's transform cache. */
  function configured(watch: boolean) {
    const plugin = shims.commonJsShims(root, { projectSources: true });
    let key = "";
    plugin.configureVitest({ vitest: { config: { watch } }, experimental_defineCacheKeyGenerator: (generator) => (key = generator()) });
    return { plugin, key };
  }

  it("with projectSources, give a test's import of a project file a stand-in that loads it through the TypeScript loader", async () => {
    const { plugin } = configured(false);
    const source = join(root, "constructs", "thing.ts");
    const resolve = async () => ({ id: source });
    const shim = (await plugin.resolveId.call({ resolve }, "../../constructs/thing", join(root, "__tests__", "constructs", "thing.test.ts"), {})) as string;
    expect(readFileSync(shim, "utf8")).toContain(`require(${JSON.stringify(join(root, "tools", "vitest-native-ts.cjs"))});`);
    expect(readFileSync(shim, "utf8")).toContain(`module.exports = load(${JSON.stringify(source)});`);
    // Not for a test helper, nor for imports between project files (those never reach vite: require loads them).
    const helper = join(root, "__tests__", "helpers", "synth.ts");
    expect(await plugin.resolveId.call({ resolve: async () => ({ id: helper }) }, "../helpers/synth", join(root, "__tests__", "x.test.ts"), {})).toEqual({ id: helper });
    expect(await plugin.resolveId.call({ resolve }, "./thing", join(root, "constructs", "other.ts"), {})).toBeNull();
  });

  it("leave the project to vitest while it watches, and keep the two modes' cached transforms apart", async () => {
    const watching = configured(true);
    const source = join(root, "constructs", "thing.ts");
    const test = join(root, "__tests__", "constructs", "thing.test.ts");
    // null: vite resolves the import itself, and vitest's module runner loads the file.
    expect(await watching.plugin.resolveId.call({ resolve: async () => ({ id: source }) }, "../../constructs/thing", test, {})).toBeNull();
    const running = configured(false);
    expect(running.key).not.toBe(watching.key);
    // A deleted stand-in folder comes back with another id: no cached transform names a lost stand-in.
    rmSync(join(root, shims.SHIM_DIR), { recursive: true, force: true });
    expect(configured(false).key).not.toBe(running.key);
  });

  it("leave ES modules, project files, relative and built-in imports to vite", async () => {
    // zod's import entry (a "type": "module" package), as vite resolves it for an import.
    const zod = join(dirname(requireHere.resolve("zod/package.json")), "index.js");
    expect(await shimOf("zod", zod)).toEqual({ id: zod });
    expect(await shimOf("@local/thing", join(root, "constructs", "thing.js"))).toEqual({ id: join(root, "constructs", "thing.js") });
    expect(await shimOf("missing-package", null)).toBeNull();
    expect(await shimOf("./neighbour", "irrelevant")).toBeNull();
    expect(await shimOf("fs", "irrelevant")).toBeNull();
    expect(await shimOf("node:path", "irrelevant")).toBeNull();
  });
});
