/**
 * A private moto_server (the AWS emulator) for the EBS reaper's integration test and benchmark:
 * a free 127.0.0.1 port, started here, stopped by its PID. Never a shared or remote endpoint.
 *
 * Unlike tools/e2e/moto.ts (which pins every caller to one account with MOTO_ACCOUNT_ID, as the
 * terraform drills need), this keeps moto's multi-account behaviour: credentials from
 * AssumeRole act in the role's account, which is what a reaper working across accounts needs.
 */
import { ChildProcess, spawn } from "child_process";
import { createServer } from "net";

/** A running emulator. */
export interface MotoServer {
  /** http://127.0.0.1:<port>, for AWS_ENDPOINT_URL or an SDK client's `endpoint`. */
  readonly endpoint: string;
  readonly pid: number;
  /** Stop the server by PID and wait for it to exit. */
  stop(): Promise<void>;
}

/** A port the OS says is free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} before answering`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms`);
}

/**
 * Start `moto_server` (from the `moto[server]` Python package) on a free loopback port and wait
 * until it answers. Throws, naming the install command, when it is not installed.
 */
export async function startMoto(timeoutMs = 30_000): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const spawnError = new Promise<never>((_, reject) =>
    child.once("error", (error) => reject(new Error(`cannot start moto_server (${error.message}); install it with: pip install "moto[server]"`))),
  );
  try {
    await Promise.race([waitUntilUp(endpoint, child, timeoutMs), spawnError]);
  } catch (error) {
    if (child.pid) process.kill(child.pid);
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  const pid = child.pid!;
  return {
    endpoint,
    pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        process.kill(pid, "SIGTERM");
      }),
  };
}
