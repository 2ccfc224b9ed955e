import { TerraformOutput, TerraformStack } from "cdktf";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { SynthFailed, synthAtomically } from "../../tools/atomic-synth";

let parent: string;
beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), "atomic-synth-"));
});
afterEach(() => rmSync(parent, { recursive: true, force: true }));

function stack(app: import("cdktf").App, id: string, value = id): TerraformStack {
  const s = new TerraformStack(app, id);
  new TerraformOutput(s, "value", { value });
  return s;
}

/** An outdir as a previous synth (and a later terraform init) left it. */
function previousOutput(outdir: string): void {
  for (const name of ["kept", "retired"]) {
    mkdirSync(join(outdir, "stacks", name, ".terraform"), { recursive: true });
    writeFileSync(join(outdir, "stacks", name, "cdk.tf.json"), `{"old": "${name}"}`);
    writeFileSync(join(outdir, "stacks", name, ".terraform", "marker"), "initialized");
    writeFileSync(join(outdir, "stacks", name, ".terraform.lock.hcl"), "# lock");
  }
  writeFileSync(join(outdir, "manifest.json"), "previous");
}

describe("synthAtomically", () => {
  it("replaces the output whole: removed stacks go, terraform's own files of kept stacks stay", () => {
    const outdir = join(parent, "cdktf.out");
    previousOutput(outdir);
    synthAtomically(outdir, (app) => stack(app, "kept", "new"));
    expect(readdirSync(join(outdir, "stacks"))).toEqual(["kept"]);
    expect(JSON.parse(readFileSync(join(outdir, "stacks", "kept", "cdk.tf.json"), "utf8")).output.value.value).toBe("new");
    expect(readFileSync(join(outdir, "stacks", "kept", ".terraform", "marker"), "utf8")).toBe("initialized");
    expect(existsSync(join(outdir, "stacks", "kept", ".terraform.lock.hcl"))).toBe(true);
    expect(readdirSync(parent)).toEqual(["cdktf.out"]);
  });

  it("leaves the previous output untouched when a check fails after some stacks were synthesized", () => {
    const outdir = join(parent, "cdktf.out");
    previousOutput(outdir);
    const build = (app: import("cdktf").App) => {
      stack(app, "first");
      stack(app, "second").node.addValidation({ validate: () => ["second: quota 0 is below 1; raise it"] });
    };
    expect(() => synthAtomically(outdir, build)).toThrow(SynthFailed);
    expect(() => synthAtomically(outdir, build)).toThrow(new RegExp(`^nothing written: ${outdir} is as the last successful synth left it:\\n[^]*second: quota 0 is below 1`));
    expect(readFileSync(join(outdir, "manifest.json"), "utf8")).toBe("previous");
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["kept", "retired"]);
    expect(readdirSync(parent)).toEqual(["cdktf.out"]);
  });

  it("creates nothing when the first synth fails while building", () => {
    const outdir = join(parent, "cdktf.out");
    expect(() =>
      synthAtomically(outdir, () => {
        throw new Error("workloads.services payments-api image.repository is not an ECR repository");
      }),
    ).toThrow(/^nothing written: .*cdktf\.out was not created:\nworkloads\.services payments-api/);
    expect(readdirSync(parent)).toEqual([]);
  });
});
