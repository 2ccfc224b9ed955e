import { App, Testing, TerraformStack } from "cdktf";
import { readFileSync } from "fs";
import { join } from "path";
import { loadEnvironments } from "../../environments";

let shippedEnvironments: ReturnType<typeof loadEnvironments> | undefined;

/**
 * A parsed copy of the shipped environments, safe for a test to modify. The shipped config is
 * parsed once per worker (zod, both files: a few milliseconds that added up over some 50 calls);
 * each call gets its own deep copy, so no test sees another's changes.
 */
export function environments() {
  shippedEnvironments ??= loadEnvironments();
  return structuredClone(shippedEnvironments);
}

/** Synthesize a stack and parse it: `resource`/`data` blocks keyed by type then name. */
export function synthJson(stack: TerraformStack): {
  resource: Record<string, Record<string, any>>;
  data: Record<string, Record<string, any>>;
  output: Record<string, any>;
  terraform: Record<string, any>;
  provider: Record<string, any>;
} {
  const json = JSON.parse(Testing.synth(stack));
  return { resource: {}, data: {}, output: {}, provider: {}, ...json };
}

/**
 * `synthJson` for a file whose tests read one stack several times: a stack is synthesized again
 * only when constructs were added to it since (changing a built construct's properties is not
 * noticed: such a test synthesizes with `synthJson`). Every call parses its own copy.
 */
export function synthJsonOnce(): typeof synthJson {
  const synthesized = new Map<TerraformStack, { readonly constructs: number; readonly text: string }>();
  return (stack) => {
    const constructs = stack.node.findAll().length;
    let entry = synthesized.get(stack);
    if (entry?.constructs !== constructs) synthesized.set(stack, (entry = { constructs, text: Testing.synth(stack) }));
    return { resource: {}, data: {}, output: {}, provider: {}, ...JSON.parse(entry.text) };
  };
}

/** Every resource of `type` in a synthesized stack, as a list. */
export function resourcesOf(stack: TerraformStack, type: string): any[] {
  return Object.values(synthJson(stack).resource[type] ?? {});
}

/** An empty stack named "s" in a fresh test app, for constructing a construct in isolation. */
export function emptyStack(): TerraformStack {
  return new TerraformStack(Testing.app(), "s");
}

/**
 * Synthesize a whole app (cross-stack references become remote-state data sources only here,
 * not in single-stack Testing.synth) and return each stack's parsed JSON by stack name.
 */
export function synthApp(app: App): Record<string, any> {
  app.synth();
  const manifest = JSON.parse(readFileSync(join(app.outdir, "manifest.json"), "utf8"));
  return Object.fromEntries(
    Object.entries(manifest.stacks).map(([name, entry]: [string, any]) => [
      name,
      JSON.parse(readFileSync(join(app.outdir, entry.synthesizedStackPath), "utf8")),
    ]),
  );
}
