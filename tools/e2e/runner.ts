import { terraform, terraformEnv } from "../terraform";

/** Progress printer: one line per event, prefixed with the time since the run started. */
export class Progress {
  private readonly started = Date.now();

  /** Print `message` for `stack` / `step`. */
  line(stack: string, step: string, message: string): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1).padStart(6);
    console.log(`[${seconds}s] ${stack.padEnd(17)} ${step.padEnd(8)} ${message}`);
  }

  /** Seconds since the run started. */
  elapsedSeconds(): number {
    return (Date.now() - this.started) / 1000;
  }
}

/** Error raised when a step fails; carries terraform's output for the log. */
export class StepError extends Error {
  constructor(
    readonly stack: string,
    readonly step: string,
    message: string,
  ) {
    super(`${stack} ${step}: ${message}`);
  }
}

/**
 * Environment for terraform against the emulator: the offline provider mirror from
 * `terraformEnv()`, every AWS_* variable of the caller removed (no real credentials or profile
 * can leak in), and the standard endpoint variables pointing the provider, the S3 backend and
 * S3 remote-state data sources at the emulator.
 */
export function emulatorEnv(endpoint: string, region: string): NodeJS.ProcessEnv {
  const env = terraformEnv();
  for (const name of Object.keys(env)) if (name.startsWith("AWS_")) delete env[name];
  return {
    ...env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    // Not a secret: moto accepts any key and answers with MOTO_ACCOUNT_ID.
    AWS_ACCESS_KEY_ID: "emulator",
    AWS_SECRET_ACCESS_KEY: "emulator",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

/** One terraform working directory bound to the emulator. */
export class StackDir {
  constructor(
    readonly stack: string,
    readonly dir: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Run terraform; throw a StepError with its output unless the exit code is allowed. */
  async run(step: string, args: string[], allowed: number[] = [0]): Promise<{ code: number; stdout: string; stderr: string }> {
    const result = await terraform([...args, "-no-color"], this.dir, this.env);
    if (!allowed.includes(result.code)) {
      throw new StepError(this.stack, step, `terraform ${args[0]} exited ${result.code}\n${tail(result.stderr || result.stdout)}`);
    }
    return result;
  }

  /**
   * `plan -detailed-exitcode -json -out=tfplan`: the exit code and every planned change as
   * address -> action ("create", "update", "replace", "delete"), read from terraform's
   * machine-readable UI stream, so no second terraform process is needed.
   */
  async planChanges(step: string, extra: string[] = []): Promise<PlanOutcome> {
    const { code, stdout } = await this.run(step, ["plan", "-input=false", "-detailed-exitcode", "-json", "-lock-timeout=30s", "-out=tfplan", ...extra], [0, 2]);
    const changes = new Map<string, string>();
    for (const line of stdout.split("\n")) {
      if (!line.startsWith("{")) continue;
      const message = JSON.parse(line) as { type?: string; change?: { resource: { addr: string }; action: string } };
      if (message.type === "planned_change" && message.change) changes.set(message.change.resource.addr, message.change.action);
    }
    return { code, changes };
  }

  /** Addresses of the managed resources in the current state. */
  async stateList(): Promise<string[]> {
    const { stdout } = await this.run("state", ["state", "list"], [0, 1]);
    return stdout.split("\n").filter((line) => line && !line.startsWith("data."));
  }
}

/** A plan's exit code (0 no changes, 2 changes) and its changes by address. */
export interface PlanOutcome {
  readonly code: number;
  readonly changes: Map<string, string>;
}

/** Last lines of terraform output: the error is at the end. */
export function tail(text: string, lines = 25): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/** Addresses a plan creates. */
export function creates(outcome: PlanOutcome): string[] {
  return [...outcome.changes].filter(([, action]) => action === "create").map(([address]) => address);
}

/** The same changes, address by address (a plan "back to its previous state"). */
export function sameChanges(a: PlanOutcome, b: PlanOutcome): boolean {
  return a.changes.size === b.changes.size && [...a.changes].every(([address, action]) => b.changes.get(address) === action);
}
