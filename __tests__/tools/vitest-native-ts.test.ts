/**
 * tools/vitest-native-ts.cjs: how `npm run unit` loads the project (through require(), see
 * vitest.config.mts). Whatever mode this file itself runs in, it loads the hook and the project
 * modules it needs through require().
 */
import { build } from "esbuild";
import { mkdtempSync, readFileSync, rmSync } from "fs";
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

  it("names the .ts line in stack traces of the code it loaded", () => {
    const { synthAtomically } = require(join(ROOT, "tools", "atomic-synth.ts")) as typeof import("../../tools/atomic-synth");
    const source = readFileSync(join(ROOT, "tools", "atomic-synth.ts"), "utf8").split("\n");
    const line = source.findIndex((text) => text.includes("throw new SynthFailed(outdir, error)")) + 1;
    expect(line).toBeGreaterThan(0);
    const parent = mkdtempSync(join(tmpdir(), "native-ts-"));
    let stack = "";
    try {
      synthAtomically(join(parent, "out"), () => {
        throw new Error("a failing build");
      });
    } catch (error) {
      stack = (error as Error).stack ?? "";
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
    expect(stack).toContain(`${join(ROOT, "tools", "atomic-synth.ts")}:${line}:`);
  });

  it("transpiles an edited file again instead of serving the old output", () => {
    const path = join(ROOT, "tools", "atomic-synth.ts");
    const source = readFileSync(path, "utf8");
    const edited = `${source}\nexport const editedForTheTest = 1;\n`;
    expect(hook.transpile(path, edited)).toContain("editedForTheTest");
    expect(hook.transpile(path, source)).not.toContain("editedForTheTest");
  });
});
