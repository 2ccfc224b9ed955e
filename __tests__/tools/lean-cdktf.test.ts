import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Lazy } from "cdktf";
import { deferModule, skipTokenCreationStacks } from "../../tools/lean-cdktf";

describe("deferModule", () => {
  const dir = mkdtempSync(join(tmpdir(), "defer-module-"));
  const path = join(dir, "heavy.js");
  const loads = () => (globalThis as { heavyLoads?: number }).heavyLoads ?? 0;
  writeFileSync(path, "globalThis.heavyLoads = (globalThis.heavyLoads ?? 0) + 1;\nmodule.exports = Object.assign((format, options) => ({ format, options }), { version: '7.0.0' });\n");

  afterAll(() => {
    delete require.cache[path];
    delete (globalThis as { heavyLoads?: number }).heavyLoads;
    rmSync(dir, { recursive: true, force: true });
  });

  it("loads the real module only when it is first called or read, then forwards to it", () => {
    deferModule(path);
    const heavy = require(path);
    expect(loads()).toBe(0);
    expect(heavy("zip", { zlib: { level: 9 } })).toEqual({ format: "zip", options: { zlib: { level: 9 } } });
    expect(loads()).toBe(1);
    expect(heavy.version).toBe("7.0.0");
    expect("version" in heavy).toBe(true);
    heavy("tar");
    expect(loads()).toBe(1);
  });

  it("leaves a module that is already loaded alone", () => {
    const loaded = require(path);
    deferModule(path);
    expect(require(path)).toBe(loaded);
  });
});

describe("skipTokenCreationStacks", () => {
  it("leaves cdktf's tokens without a creation stack (setup.ts applies it to every unit test)", () => {
    skipTokenCreationStacks();
    expect((Lazy.anyValue({ produce: () => "x" }) as unknown as { creationStack: string[] }).creationStack).toEqual([]);
  });
});
