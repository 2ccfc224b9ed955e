/**
 * `npm run validate` with real terraform (the offline aws provider): init runs only when the root
 * module needs it, and a root module that lost its installed provider is initialized again instead
 * of failing every stack. Uses the checkout's own .validate folder, under validate's own lock.
 */
import { spawnSync } from "child_process";
import { rmSync } from "fs";
import { join } from "path";

const ROOT = join(__dirname, "..", "..");
const env = { ...process.env, TF_CLI_CONFIG_FILE: join(ROOT, "terraform", "cli.tfrc"), CHECKPOINT_DISABLE: "1" };
const validate = () => spawnSync("npm", ["run", "--silent", "validate", "--", "--all"], { cwd: ROOT, encoding: "utf8", env });
const summary = (stdout: string) => stdout.split("\n").find((line) => line.startsWith("validate: ")) ?? stdout;

describe("npm run validate", () => {
  it("reuses the root module's init, and runs init again when the installed provider is gone", () => {
    const first = validate();
    expect(first.status, first.stderr).toBe(0);

    const reused = validate();
    expect(reused.status, reused.stderr).toBe(0);
    expect(summary(reused.stdout)).toMatch(/^validate: (\d+) valid \(\1 checked together in [\d.]+ s, terraform init reused, 0 unchanged/);

    rmSync(join(ROOT, ".validate", "root", ".terraform", "providers"), { recursive: true, force: true });
    const recovered = validate();
    expect(recovered.status, recovered.stdout + recovered.stderr).toBe(0);
    expect(summary(recovered.stdout)).toMatch(/^validate: (\d+) valid \(\1 checked together in [\d.]+ s, terraform init run, 0 unchanged/);
  });
});
