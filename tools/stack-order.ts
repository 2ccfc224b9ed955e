/**
 * `node dist/tools/stack-order.js <cdktf.out> <environment>`: print the environment's stacks
 * (names starting with `<environment>-`), one per line, dependencies first, from the
 * `dependencies` cdktf records in manifest.json for every cross-stack reference. CI applies
 * saved plans in this order so a stack never reads outputs its producer has not written yet.
 */
import { readFileSync } from "fs";
import { join } from "path";

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

if (require.main === module) {
  const [outdir, environment] = process.argv.slice(2);
  if (!outdir || !environment) {
    console.error("usage: stack-order <cdktf.out> <environment, e.g. test-aws>");
    process.exit(1);
  }
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
  const order = stackOrder(manifest, environment);
  if (order.length === 0) {
    console.error(`stack-order: no stack named ${environment}-* in ${outdir}`);
    process.exit(1);
  }
  console.log(order.join("\n"));
}
