/**
 * Emulator mode of the operator commands (`--emulator`): the AWS stacks against the moto_server at
 * AWS_ENDPOINT_URL, with exactly the adaptations the e2e run documents (docs/e2e.md,
 * tools/e2e/known-gaps.ts) and nothing else:
 * - resource types moto cannot create are left out (EMULATOR_EXCLUSIONS), each printed;
 * - the known drifts of the running moto version are accepted in a plan (KNOWN_DRIFTS);
 * - terraform gets `emulatorEnv()`: the endpoint, dummy credentials, every other AWS_* removed;
 * - the bootstrap stack's local state goes to the sandbox folder, never to .bootstrap-state/;
 * - stacks needing a provider moto cannot serve (kubernetes, datadog) are not run.
 * The synthesized variant lives in the sandbox folder, so cdktf.out stays what is reviewed.
 */
import { join } from "path";
import { emulatorEnv } from "../e2e/runner";
import { excludeResourceTypes, ExcludedResource } from "../e2e/emulator-stacks";
import { EMULATOR_EXCLUSIONS } from "../e2e/known-gaps";
import { MOTO_PING_PATH } from "../moto-server";
import { PROJECT_ROOT } from "../terraform";
import { OperatorStack, TargetError } from "./stacks";

/** The emulator a command runs against. */
export interface Emulator {
  readonly endpoint: string;
  /** Folder for the emulator synth output and the bootstrap stacks' local state. */
  readonly sandboxDir: string;
}

/** How to start one, for error messages. */
export const START_HINT = 'start one with: eval "$(npm run --silent sandbox -- up)"';

/** The sandbox folder: SANDBOX_DIR, or .sandbox/ in the project (git-ignored). */
export function sandboxDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SANDBOX_DIR || join(PROJECT_ROOT, ".sandbox");
}

/** Refuse stacks of a non-AWS environment before anything runs. */
export function checkEmulatedEnvironments(stacks: readonly OperatorStack[]): void {
  const other = [...new Set(stacks.map((s) => s.environment).filter((e) => e.split("-")[1] !== "aws"))];
  if (other.length > 0) {
    throw new TargetError(`--emulator emulates AWS only (moto_server); ${other.join(", ")} is not an AWS environment: plan it without --emulator against the real cloud`);
  }
}

/**
 * The endpoint from AWS_ENDPOINT_URL, checked to be a moto_server that answers. Throws a one-line
 * error naming the variable, the value and how to start a sandbox.
 */
export async function connectEmulator(env: NodeJS.ProcessEnv = process.env, timeoutMs = 3000): Promise<Emulator> {
  const endpoint = env.AWS_ENDPOINT_URL?.replace(/\/+$/, "");
  if (!endpoint) throw new TargetError(`--emulator needs AWS_ENDPOINT_URL (the moto_server to use), which is not set; ${START_HINT}`);
  if (!/^https?:\/\/[^/]+$/.test(endpoint)) throw new TargetError(`AWS_ENDPOINT_URL "${endpoint}" is not an http(s)://host:port URL; ${START_HINT}`);
  let status: number;
  try {
    status = (await fetch(`${endpoint}${MOTO_PING_PATH}`, { signal: AbortSignal.timeout(timeoutMs) })).status;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new TargetError(`AWS_ENDPOINT_URL ${endpoint} does not answer (${reason}); ${START_HINT}`);
  }
  if (status !== 200) throw new TargetError(`AWS_ENDPOINT_URL ${endpoint} is not a moto_server (GET ${MOTO_PING_PATH} answered HTTP ${status}); ${START_HINT}`);
  return { endpoint, sandboxDir: sandboxDir(env) };
}

/** The emulator variant of a stack's JSON and what was left out of it. */
export function emulatorVariant(stack: OperatorStack): { json: OperatorStack["json"]; excluded: ExcludedResource[] } {
  return excludeResourceTypes(stack.json, EMULATOR_EXCLUSIONS.map((e) => e.type));
}

/** Why a resource type is left out, in one line. */
export function exclusionReason(type: string): string {
  return EMULATOR_EXCLUSIONS.find((e) => e.type === type)?.why ?? "not emulated";
}

/** The AWS region a stack's provider block names. */
export function stackRegion(stack: OperatorStack): string {
  const provider = (stack.json as { provider?: { aws?: { region?: string }[] } }).provider?.aws?.[0];
  return provider?.region ?? "us-east-1";
}

/** Terraform's environment for a stack against the emulator. */
export function stackEnv(emulator: Emulator, stack: OperatorStack): NodeJS.ProcessEnv {
  return emulatorEnv(emulator.endpoint, stackRegion(stack));
}

/** Where a local-backend stack keeps its state in the sandbox. */
export function sandboxStatePath(emulator: Emulator, stack: OperatorStack): string {
  return join(emulator.sandboxDir, "state", `${stack.name}.tfstate`);
}
