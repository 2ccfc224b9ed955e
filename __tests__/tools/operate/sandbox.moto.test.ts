import { existsSync, mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { buildApp } from "../../../main";
import { EmulatorS3 } from "../../../tools/e2e/emulator-s3";
import { operate, OperateIo, OperateRequest } from "../../../tools/operate/operate";
import { sandboxDown, sandboxPaths, sandboxStatus, sandboxUp } from "../../../tools/operate/sandbox";
import { synthesizeStacks } from "../../../tools/operate/stacks";

const ACCOUNT = "111122223333";

/**
 * Whether `pid` still runs. A killed child of this process stays in /proc as a zombie until node
 * reaps it, which can lag under load; a zombie runs nothing, so it counts as stopped.
 */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

describe("sandbox and emulator mode against a real moto_server", () => {
  const dir = mkdtempSync(join(tmpdir(), "sandbox-test-"));
  const paths = sandboxPaths(dir);
  afterAll(() => sandboxDown(paths));

  /** `operate` in emulator mode against the sandbox at `endpoint`, with its environment set for this call only. */
  async function operateOnSandbox(endpoint: string, request: OperateRequest, io: OperateIo): Promise<number> {
    const saved = { ...process.env };
    process.env.AWS_ENDPOINT_URL = endpoint;
    process.env.SANDBOX_DIR = dir;
    try {
      return await operate(request, (outdir) => synthesizeStacks(outdir, (app) => buildApp(app)), io);
    } finally {
      process.env = saved;
    }
  }

  it("starts one moto_server on 127.0.0.1, reports it, reuses it, and stops it by its pid", async () => {
    const up = await sandboxUp(paths, ACCOUNT);
    expect(up.started).toBe(true);
    expect(up.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await sandboxStatus(paths)).toEqual({ running: true, pid: up.pid, endpoint: up.endpoint, stale: false });
    const again = await sandboxUp(paths, ACCOUNT);
    expect(again).toMatchObject({ started: false, pid: up.pid, endpoint: up.endpoint });
    expect(existsSync(paths.logFile)).toBe(true);
    expect(running(up.pid)).toBe(true);

    const down = await sandboxDown(paths);
    expect(down).toEqual({ stopped: true, pid: up.pid });
    expect(running(up.pid)).toBe(false);
    expect(await sandboxStatus(paths)).toEqual({ running: false, stale: false });
    expect(await sandboxDown(paths)).toEqual({ stopped: false, pid: undefined });
  });

  it("refuses a stack whose dependencies are not deployed, naming them and the command that includes them", async () => {
    const { endpoint } = await sandboxUp(paths, ACCOUNT);
    const lines: string[] = [];
    await expect(
      operateOnSandbox(
        endpoint,
        { action: "deploy", names: ["test-aws-eks"], autoApprove: true, emulator: true },
        { out: (line) => lines.push(line), interactive: false, ask: () => Promise.reject(new Error("no prompt expected")) },
      ),
    ).rejects.toThrow(
      /^test-aws-eks needs test-aws-network; test-aws-eks needs test-aws-state, which is not deployed; include it: npm run deploy -- test-aws-network test-aws-state test-aws-eks --emulator \(or the whole environment: npm run deploy -- test-aws --emulator\)$/,
    );
    expect(lines.some((l) => / deploy /.test(l) && /applied/.test(l))).toBe(false);
  });

  it("deploy without --auto-approve lists the changes, asks, and applies nothing when the answer is not yes", async () => {
    const { endpoint } = await sandboxUp(paths, ACCOUNT);
    const lines: string[] = [];
    const questions: string[] = [];
    const code = await operateOnSandbox(
      endpoint,
      { action: "deploy", names: ["test-aws-state"], autoApprove: false, emulator: true },
      { out: (line) => lines.push(line), interactive: true, ask: async (question) => (questions.push(question), "no") },
    );
    expect(code).toBe(1);
    expect(questions).toEqual([expect.stringMatching(/^Apply \d+ to add, 0 to change, 0 to destroy in test-aws-state\? Only "yes" is accepted: $/)]);
    expect(lines.some((l) => /test-aws-state +change +create +aws_s3_bucket\./.test(l))).toBe(true);
    expect(lines.some((l) => /test-aws-state +deploy +declined: nothing applied/.test(l))).toBe(true);
    expect(await new EmulatorS3(endpoint, "eu-west-1").versioning("fintech-test-aws-tfstate-111122223333").catch((e: Error) => e.message)).toMatch(/HTTP 404/);
  });
});
