import { readFileSync } from "fs";
import { join } from "path";

/** The parts of a synthesized stack (cdk.tf.json) the e2e run reads or edits. */
export interface StackJson {
  terraform?: {
    backend?: Record<string, Record<string, unknown>>;
    required_providers?: Record<string, unknown>;
  };
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value?: unknown }>;
}

/** One synthesized stack. */
export interface SynthesizedStack {
  readonly name: string;
  readonly json: StackJson;
  /** Its folder in the synth output (cdk.tf.json plus assets such as Lambda bundles). */
  readonly dir?: string;
}

/** A resource left out of the emulator apply, and the ordering-only edges that pointed at it. */
export interface ExcludedResource {
  readonly address: string;
  readonly type: string;
  /** Resources whose `depends_on` named it; the edge only ordered creation, so it is dropped. */
  readonly droppedDependsOn: string[];
}

/** Read every stack cdktf synthesized into `outdir`. */
export function readSynthesizedStacks(outdir: string): SynthesizedStack[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { synthesizedStackPath: string; workingDirectory: string }>;
  };
  return Object.entries(manifest.stacks).map(([name, entry]) => ({
    name,
    json: JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), "utf8")) as StackJson,
    dir: join(outdir, entry.workingDirectory),
  }));
}

/**
 * A copy of `json` without the resources of `types`. A `depends_on` edge to a removed resource
 * only orders creation, so it is dropped and reported; any other reference (an interpolation)
 * would change what is applied, so it is an error rather than a silent edit.
 */
export function excludeResourceTypes(json: StackJson, types: readonly string[]): { json: StackJson; excluded: ExcludedResource[] } {
  const copy = structuredClone(json);
  const removed = new Set<string>();
  for (const type of types) {
    for (const name of Object.keys(copy.resource?.[type] ?? {})) removed.add(`${type}.${name}`);
    delete copy.resource?.[type];
  }
  const dropped = new Map<string, string[]>([...removed].map((address) => [address, []]));
  for (const [type, byName] of Object.entries(copy.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const dependsOn = body.depends_on as string[] | undefined;
      if (!dependsOn) continue;
      const kept = dependsOn.filter((target) => !removed.has(target));
      for (const target of dependsOn.filter((t) => removed.has(t))) dropped.get(target)?.push(`${type}.${name}`);
      if (kept.length > 0) body.depends_on = kept;
      else delete body.depends_on;
    }
  }
  const text = JSON.stringify({ resource: copy.resource, data: copy.data, output: copy.output });
  for (const address of removed) {
    if (text.includes(`\${${address}.`) || text.includes(`"${address}"`)) {
      throw new Error(`${address} cannot be excluded from the emulator run: other blocks reference its values`);
    }
  }
  const excluded = [...removed].map((address) => ({ address, type: address.split(".")[0], droppedDependsOn: dropped.get(address) ?? [] }));
  return { json: copy, excluded };
}
