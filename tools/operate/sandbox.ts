/**
 * A local AWS emulator that outlives one command, for trying the operator commands by hand:
 * moto_server on a free 127.0.0.1 port, its pid, endpoint and log in the sandbox folder. It is
 * only ever stopped by the pid recorded here, and only if that process is still a moto_server.
 */
import { spawn } from "child_process";
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { freePort, motoAnswers, motoArgs, motoEnv, motoVersion, waitForMoto } from "../moto-server";

/** The sandbox's files. */
export interface SandboxPaths {
  readonly dir: string;
  readonly pidFile: string;
  readonly endpointFile: string;
  readonly logFile: string;
  /** Local state of the bootstrap stacks: only meaningful for the server that made it. */
  readonly stateDir: string;
}

/** What `status` finds. */
export interface SandboxStatus {
  readonly running: boolean;
  readonly pid?: number;
  readonly endpoint?: string;
  /** A pid file whose process is gone or is not moto_server. */
  readonly stale: boolean;
}

/** File locations inside `dir`. */
export function sandboxPaths(dir: string): SandboxPaths {
  return { dir, pidFile: join(dir, "moto.pid"), endpointFile: join(dir, "endpoint"), logFile: join(dir, "moto.log"), stateDir: join(dir, "state") };
}

/** Whether `pid` is alive and runs moto_server (so a recycled pid is never signalled). */
function isMoto(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("moto_server");
  } catch {
    return false;
  }
}

/**
 * Whether `pid` still exists and is not yet a zombie. While a process exits, the kernel releases
 * its memory (its cmdline reads empty, so {@link isMoto} already says false) before the state
 * turns Z; waiting on isMoto alone returned while the server was still tearing down.
 */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

function read(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8").trim() : undefined;
}

/** The recorded server, if it is still running and answering. */
export async function sandboxStatus(paths: SandboxPaths): Promise<SandboxStatus> {
  const pidText = read(paths.pidFile);
  if (pidText === undefined) return { running: false, stale: false };
  const pid = Number(pidText);
  const endpoint = read(paths.endpointFile);
  const running = Number.isInteger(pid) && isMoto(pid) && endpoint !== undefined && (await motoAnswers(endpoint));
  return { running, pid, endpoint, stale: !running };
}

/**
 * Start the sandbox unless it runs. The emulator's previous bootstrap state is removed: a new
 * server starts empty, so state from an earlier one would describe resources that do not exist.
 */
export async function sandboxUp(paths: SandboxPaths, accountId: string, timeoutMs = 20000): Promise<{ endpoint: string; pid: number; started: boolean; version: string }> {
  const status = await sandboxStatus(paths);
  if (status.running) return { endpoint: status.endpoint!, pid: status.pid!, started: false, version: motoVersion() };
  mkdirSync(paths.dir, { recursive: true });
  rmSync(paths.stateDir, { recursive: true, force: true });
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const log = openSync(paths.logFile, "w");
  const child = spawn("moto_server", motoArgs(port), { env: motoEnv(accountId), detached: true, stdio: ["ignore", log, log] });
  await new Promise<void>((resolveSpawn, reject) => {
    child.once("spawn", resolveSpawn);
    child.once("error", (error) => reject(new Error(`cannot start moto_server (is moto[server] installed? pip install "moto[server]==5.2.1"): ${error.message}`)));
  });
  const pid = child.pid as number;
  child.unref();
  try {
    await waitForMoto(endpoint, () => child.exitCode, timeoutMs, paths.logFile);
  } catch (error) {
    if (isMoto(pid)) process.kill(pid, "SIGKILL");
    throw error;
  }
  writeFileSync(paths.pidFile, `${pid}\n`);
  writeFileSync(paths.endpointFile, `${endpoint}\n`);
  return { endpoint, pid, started: true, version: motoVersion() };
}

/** Stop the recorded server (SIGTERM, then SIGKILL) and forget it; false when none was running. */
export async function sandboxDown(paths: SandboxPaths, graceMs = 3000): Promise<{ stopped: boolean; pid?: number }> {
  const pidText = read(paths.pidFile);
  const pid = pidText === undefined ? undefined : Number(pidText);
  let stopped = false;
  if (pid !== undefined && Number.isInteger(pid) && isMoto(pid)) {
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // It exited between the check and the signal (ESRCH): nothing left to kill.
      }
      const killDeadline = Date.now() + graceMs;
      while (alive(pid) && Date.now() < killDeadline) await new Promise((r) => setTimeout(r, 50));
    }
    stopped = true;
  }
  rmSync(paths.pidFile, { force: true });
  rmSync(paths.endpointFile, { force: true });
  rmSync(paths.stateDir, { recursive: true, force: true });
  return { stopped, pid };
}
