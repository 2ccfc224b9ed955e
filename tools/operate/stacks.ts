/**
 * Which stacks an operator command runs, and in which order: environment names expand to their
 * stacks, dependencies come first (last for destroy), unknown names get a did-you-mean.
 */
import type { App } from "cdktf";
import { mkdirSync, readFileSync } from "fs";
import { join } from "path";
import { closest } from "../cli";
import { readSynthesizedStacks, StackJson, SynthesizedStack } from "../e2e/emulator-stacks";
import { topologicalOrder } from "../stack-order";
import { OFFLINE_PROVIDERS } from "../terraform";

/** A synthesized stack with what the operator commands need to know about it. */
export interface OperatorStack {
  readonly name: string;
  /** `<env>-<cloud>`, e.g. test-aws. */
  readonly environment: string;
  readonly json: StackJson;
  /** Its terraform working directory in the synth output. */
  readonly dir: string;
  /** Stacks it reads outputs from, or whose bucket/storage holds its state. */
  readonly dependencies: readonly string[];
  /** Providers it needs, e.g. ["aws"], ["kubernetes"]. */
  readonly providers: readonly string[];
  /** A resource carries lifecycle prevent_destroy (the bootstrap state stacks). */
  readonly preventDestroy: boolean;
}

/** A mistake in the names given: one line, nothing has run. */
export class TargetError extends Error {}

/** Synthesize the whole app into `outdir` (in process: about a second). */
export function synthesize(outdir: string, build: (app: App) => void): void {
  mkdirSync(outdir, { recursive: true });
  const { App } = require("cdktf") as typeof import("cdktf");
  const app = new App({ outdir });
  build(app);
  app.synth();
}

/** Synthesize the whole app into `outdir` and read its stacks with their dependencies. */
export function synthesizeStacks(outdir: string, build: (app: App) => void): OperatorStack[] {
  synthesize(outdir, build);
  return readStacks(outdir);
}

/** cdktf's recorded cross-stack dependencies (manifest.json) of a synth output, by stack name. */
export function manifestDependencies(outdir: string): (name: string) => readonly string[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { dependencies?: string[] }> };
  return (name) => manifest.stacks[name]?.dependencies ?? [];
}

function environmentOf(name: string): string {
  return name.split("-").slice(0, 2).join("-");
}

function hasPreventDestroy(json: StackJson): boolean {
  return Object.values(json.resource ?? {}).some((byName) =>
    Object.values(byName).some((body) => (body.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy === true),
  );
}

/** The storage account an azurerm backend names -> the stack creating it (the manifest misses that edge). */
function stateStorageCreators(stacks: readonly SynthesizedStack[]): Map<string, string> {
  const creators = new Map<string, string>();
  for (const s of stacks) {
    for (const body of Object.values(s.json.resource?.aws_s3_bucket ?? {})) creators.set(`s3:${String(body.bucket)}`, s.name);
    for (const body of Object.values(s.json.resource?.azurerm_storage_account ?? {})) creators.set(`azurerm:${String(body.name)}`, s.name);
  }
  return creators;
}

/**
 * Read every stack of a synth output with its dependencies: cdktf's own (cross-stack references,
 * from manifest.json) plus the stack that creates the bucket or storage account holding its state.
 */
export function readStacks(outdir: string, cdktfDependencies: (name: string) => readonly string[] = manifestDependencies(outdir)): OperatorStack[] {
  const stacks = readSynthesizedStacks(outdir);
  const creators = stateStorageCreators(stacks);
  return stacks.map((s) => {
    const backend = s.json.terraform?.backend ?? {};
    const storage = backend.s3 ? `s3:${String(backend.s3.bucket)}` : backend.azurerm ? `azurerm:${String(backend.azurerm.storage_account_name)}` : "";
    const creator = creators.get(storage);
    const dependencies = [...new Set([...cdktfDependencies(s.name), ...(creator && creator !== s.name ? [creator] : [])])].sort();
    return {
      name: s.name,
      environment: environmentOf(s.name),
      json: s.json,
      dir: s.dir!,
      dependencies,
      providers: Object.keys(s.json.terraform?.required_providers ?? {}).sort(),
      preventDestroy: hasPreventDestroy(s.json),
    };
  });
}

/** What the names on the command line select. */
export interface Selection {
  /** Stacks to run, dependencies first. */
  readonly stacks: OperatorStack[];
  /** Environments named as a whole (so their protected stacks are skipped, not refused, on destroy). */
  readonly environments: string[];
}

/** Resolve environment and stack names; throws TargetError naming the unknown one with a did-you-mean. */
export function selectStacks(names: readonly string[], all: readonly OperatorStack[]): Selection {
  const environments = [...new Set(all.map((s) => s.environment))].sort();
  const known = [...environments, ...all.map((s) => s.name)];
  const chosen = new Set<string>();
  const named: string[] = [];
  for (const name of names) {
    if (environments.includes(name)) {
      named.push(name);
      for (const s of all) if (s.environment === name) chosen.add(s.name);
    } else if (all.some((s) => s.name === name)) {
      chosen.add(name);
    } else {
      const hint = closest(name, known);
      throw new TargetError(
        `unknown environment or stack "${name}"${hint ? `; did you mean ${hint}?` : ""} (environments: ${environments.join(", ")}; stacks: npm run synth lists them)`,
      );
    }
  }
  const byName = new Map(all.map((s) => [s.name, s]));
  const order = topologicalOrder([...chosen], (name) => byName.get(name)?.dependencies ?? []);
  return { stacks: order.map((name) => byName.get(name)!), environments: named };
}

/** Providers of `stack` that the offline mirror does not hold. */
export function missingProviders(stack: OperatorStack): string[] {
  return stack.providers.filter((p) => !OFFLINE_PROVIDERS.has(p));
}

/** Stacks of `all` that read `stack` (direct dependents). */
export function dependentsOf(stack: OperatorStack, all: readonly OperatorStack[]): OperatorStack[] {
  return all.filter((s) => s.dependencies.includes(stack.name));
}

