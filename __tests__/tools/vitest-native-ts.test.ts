/**
 * tools/vitest-native-ts.cjs: how `npm run unit` loads the project (through require(), see
 * vitest.config.mts). Whatever mode this file itself runs in, it loads the hook and the project
 * modules it needs through require().
 */
import { build } from "esbuild";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

const ROOT = join(__dirname, "..", "..");
const hook = require(join(ROOT, "tools", "vitest-native-ts.cjs")) as { transpile(filename: string, source: string): string };

describe("the unit tests' TypeScript loader (tools/vitest-native-ts.cjs)", () => {
  it.each(["main.ts", "constructs/kubernetes/workload.ts", "tools/atomic-synth.ts"])("runs %s as tools/build.mjs compiles it for synth", async (file) => {
    const path = join(ROOT, file);
    const options = JSON.parse(readFileSync(join(ROOT, "tools", "esbuild-options.json"), "utf8"));
    const { outputFiles } = await build({ ...options, absWorkingDir: ROOT, entryPoints: [path], outdir: join(ROOT, "dist"), outbase: ".", bundle: false, write: false, logLevel: "silent" });
    const dist = outputFiles?.[0];
    const loaded = hook.transpile(path, readFileSync(path, "utf8"));
    // The same code; the test copy ends with its source map.
    expect(loaded.slice(0, loaded.lastIndexOf("//# sourceMappingURL=data:application/json;base64,"))).toBe(dist?.text);
  });

  it("names the .ts line and keeps V8's frame text in stack traces of the code it loaded", () => {
    // A file of its own: one that vitest's module runner also ran would be mapped by vitest again.
    const dir = mkdtempSync(join(tmpdir(), "native-ts-"));
    const file = join(dir, "thrower.ts");
    writeFileSync(file, ["type Reason = string;", "export class Thrower {", "  constructor(private readonly reason: Reason) {}", "  throwNow(): never {", "    throw new Error(this.reason);", "  }", "}", ""].join("\n"));
    let stack = "";
    try {
      const { Thrower } = require(file) as { Thrower: new (reason: string) => { throwNow(): never } };
      new Thrower("thrown on line 5").throwNow();
    } catch (error) {
      stack = (error as Error).stack ?? "";
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(stack.split("\n")[1]).toBe(`    at Thrower.throwNow (${file}:5:11)`);
  });

  it("transpiles an edited file again instead of serving the old output", () => {
    const path = join(ROOT, "tools", "atomic-synth.ts");
    const source = readFileSync(path, "utf8");
    const edited = `${source}\nexport const editedForTheTest = 1;\n`;
    expect(hook.transpile(path, edited)).toContain("editedForTheTest");
    expect(hook.transpile(path, source)).not.toContain("editedForTheTest");
  });
});
