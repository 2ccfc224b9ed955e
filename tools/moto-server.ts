/**
 * A private moto_server (the AWS emulator) for end-to-end tests, drills and benchmarks: a free
 * 127.0.0.1 port, started here, stopped by its PID. Never a shared or remote endpoint.
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import { createWriteStream } from "fs";
import { createServer } from "net";

/** A running moto_server, reachable on 127.0.0.1 only. */
export interface MotoServer {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  readonly endpoint: string;
  /** Process id of the server: the only process `stop()` ever signals. */
  readonly pid: number;
  /** Installed moto version (the known-drift list is tied to it). */
  readonly version: string;
  /** Stop the server: SIGTERM, then SIGKILL after a grace period. Safe to call twice. */
  stop(): Promise<void>;
  /** Kill the server at once (for a synchronous `exit` handler). */
  killNow(): void;
}

/** Options for {@link startMoto}. */
export interface StartMotoOptions {
  /**
   * Account id the emulator answers with for every caller. moto 5.2.1 derives the account from
   * `MOTO_ACCOUNT_ID` (not from a 12-digit access key), so the provider's `allowed_account_ids`
   * check sees the environment's real account id (the terraform drills need this).
   * @default moto's multi-account behaviour: AssumeRole credentials act in the role's account,
   * which a reaper working across accounts needs
   */
  readonly accountId?: string;
  /** File receiving the server's request log (kept for debugging a failed run). @default discarded */
  readonly logFile?: string;
  /** @default 20000 */
  readonly startTimeoutMs?: number;
}

const STOP_GRACE_MS = 3000;

/** Ask the kernel for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}

/** The moto version importable by the python that runs moto_server, or "unknown". */
export function motoVersion(): string {
  try {
    return execFileSync("python3", ["-c", "import moto; print(moto.__version__)"], { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => resolveExit(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolveExit(true);
    });
  });
}

/**
 * moto_server's environment: AWS-managed IAM policies (e.g. AmazonEKSClusterPolicy) only exist
 * when MOTO_IAM_LOAD_MANAGED_POLICIES is set; MOTO_ACCOUNT_ID fixes the account (see StartMotoOptions).
 */
export function motoEnv(accountId?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" };
  if (accountId) env.MOTO_ACCOUNT_ID = accountId;
  return env;
}

/** The arguments that bind moto_server to 127.0.0.1 only. */
export function motoArgs(port: number): string[] {
  return ["-H", "127.0.0.1", "-p", String(port)];
}

/**
 * moto's own dashboard page: it answers as long as the server runs. (`/moto-api/data.json`
 * answers HTTP 500 once a Lambda function exists: it asks Docker, which is not here.)
 */
export const MOTO_PING_PATH = "/moto-api/";

/** Whether a moto_server answers at `endpoint`. */
export async function motoAnswers(endpoint: string): Promise<boolean> {
  try {
    return (await fetch(`${endpoint}${MOTO_PING_PATH}`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

/**
 * Wait until the server answers; throws when `exitCode()` reports it exited or the time is up
 * (the caller stops it).
 */
export async function waitForMoto(endpoint: string, exitCode: () => number | null, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const code = exitCode();
    if (code !== null) throw new Error(`moto_server exited with code ${code} before answering; see ${logFile}`);
    if (await motoAnswers(endpoint)) return;
    if (Date.now() > deadline) throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Start moto_server on a free 127.0.0.1 port and wait until it answers. */
export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const logFile = options.logFile ?? "/dev/null";
  const log = createWriteStream(logFile);
  const child = spawn("moto_server", motoArgs(port), { env: motoEnv(options.accountId), stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const spawned = new Promise<void>((resolveSpawn, reject) => {
    child.once("spawn", resolveSpawn);
    child.once("error", (error) => reject(new Error(`cannot start moto_server (is moto[server] installed?): ${error.message}`)));
  });
  await spawned;
  const pid = child.pid as number;

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    child.kill("SIGTERM");
    if (!(await waitForExit(child, STOP_GRACE_MS))) {
      child.kill("SIGKILL");
      await waitForExit(child, STOP_GRACE_MS);
    }
    log.end();
  };

  try {
    await waitForMoto(endpoint, () => child.exitCode, options.startTimeoutMs ?? 20000, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  const killNow = (): void => {
    if (!stopped && child.exitCode === null) child.kill("SIGKILL");
    stopped = true;
  };
  return { endpoint, pid, version: motoVersion(), stop, killNow };
}
