/**
 * `node dist/tools/stack-order.js <cdktf.out> <environment>` (`--help`): print the environment's stacks
 * (names starting with `<environment>-`), one per line, dependencies first, from the
 * `dependencies` cdktf records in manifest.json for every cross-stack reference. CI applies
 * saved plans in this order so a stack never reads outputs its producer has not written yet.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { CliSpec, main, UsageError } from "./cli";

/**
 * Order `names` so each comes after everything `dependenciesOf` names for it (dependencies outside
 * `names` are ignored); ties broken by name, so the order is stable. Throws on a cycle.
 */
export function topologicalOrder(names: readonly string[], dependenciesOf: (name: string) => Iterable<string>): string[] {
  const known = new Set(names);
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string): void => {
    if (order.includes(name)) return;
    if (visiting.has(name)) throw new Error(`stack dependency cycle through ${name}`);
    visiting.add(name);
    for (const dep of [...dependenciesOf(name)].sort()) if (known.has(dep)) visit(dep);
    visiting.delete(name);
    order.push(name);
  };
  [...names].sort().forEach(visit);
  return order;
}

/** Stacks of `environment` in dependency order (ties broken by name). Throws on a cycle. */
export function stackOrder(manifest: { stacks: Record<string, { dependencies?: string[] }> }, environment: string): string[] {
  const names = Object.keys(manifest.stacks).filter((name) => name.startsWith(`${environment}-`));
  return topologicalOrder(names, (name) => manifest.stacks[name]?.dependencies ?? []);
}

/** The command line, for the parser and --help. */
export const SPEC = {
  name: "stack-order",
  usage: "node dist/tools/stack-order.js <cdktf.out> <environment>",
  summary: "Print the environment's stacks one per line, dependencies first (the order CI applies saved plans in).",
  options: {},
  positionals: [
    { name: "cdktf.out", description: "a synth output folder (holding manifest.json)" },
    { name: "environment", description: "stack name prefix, e.g. test-aws or prod-azure" },
  ],
  exitCodes: { 0: "printed", 1: "no stack of that environment, or a dependency cycle", 2: "bad arguments" },
  examples: ["node dist/tools/stack-order.js cdktf.out test-aws"],
} as const satisfies CliSpec;

if (require.main === module) {
  main(SPEC, (_values, [outdir, environment]) => {
    const manifestPath = join(outdir, "manifest.json");
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    } catch (error) {
      throw new UsageError(`<cdktf.out> "${outdir}" holds no readable manifest.json (${(error as Error).message}); run npm run synth first`);
    }
    const order = stackOrder(manifest, environment);
    if (order.length === 0) throw new Error(`no stack named ${environment}-* in ${outdir}`);
    console.log(order.join("\n"));
    return 0;
  });
}
