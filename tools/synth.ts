/**
 * `npm run synth`: synthesize every stack of every environment into cdktf.out and print a
 * summary (stack, backend key, resource count). Exits 1 with the ConfigError message on bad config.
 */
import { App } from "cdktf";
import { resolve } from "path";
import { readReport, summaryLine } from "../constructs/policy/report";
import { buildApp } from "../main";
import { formatTable, summarizeStacks } from "./stack-summary";

function main(): void {
  const outdir = resolve(process.argv[2] ?? "cdktf.out");
  const started = process.hrtime.bigint();
  const app = new App({ outdir });
  buildApp(app);
  app.synth();
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const stacks = summarizeStacks(outdir);
  console.log(
    formatTable(
      ["stack", "backend", "resources", "data", "outputs"],
      stacks.map((s) => [s.stack, s.backend, s.resources, s.dataSources, s.outputs]),
    ),
  );
  const resources = stacks.reduce((sum, s) => sum + s.resources, 0);
  console.log(`\n${stacks.length} stacks, ${resources} resources synthesized into ${outdir} in ${elapsedMs.toFixed(0)} ms`);
  const policy = readReport(outdir);
  console.log(policy ? `policy: ${summaryLine(policy)}` : "policy: no report written (policy packs not applied)");
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
