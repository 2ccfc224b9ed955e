import { readFileSync } from "fs";
import { join } from "path";

/** One synthesized stack as the summary table shows it. */
export interface StackSummary {
  readonly stack: string;
  /** "s3 <bucket>/<key>", "azurerm <container>/<key>" or "local <path>". */
  readonly backend: string;
  readonly resources: number;
  readonly dataSources: number;
  readonly outputs: number;
}

interface StackJson {
  terraform?: { backend?: Record<string, Record<string, string>> };
  resource?: Record<string, Record<string, unknown>>;
  data?: Record<string, Record<string, unknown>>;
  output?: Record<string, unknown>;
}

function count(blocks: Record<string, Record<string, unknown>> | undefined): number {
  return Object.values(blocks ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
}

function describeBackend(json: StackJson): string {
  const [type, config] = Object.entries(json.terraform?.backend ?? {})[0] ?? ["none", {}];
  if (type === "s3") return `s3 ${config.bucket}/${config.key}`;
  if (type === "azurerm") return `azurerm ${config.container_name}/${config.key}`;
  if (type === "local") return `local ${config.path}`;
  return type;
}

/** Read cdktf.out's manifest and summarize every stack. */
export function summarizeStacks(outdir: string): StackSummary[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  return Object.entries(manifest.stacks).map(([stack, entry]) => {
    const json = JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), "utf8")) as StackJson;
    return {
      stack,
      backend: describeBackend(json),
      resources: count(json.resource),
      dataSources: count(json.data),
      outputs: Object.keys(json.output ?? {}).length,
    };
  });
}

/** Render rows as an aligned plain-text table. */
export function formatTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
  return [line(cells[0]), line(widths.map((w) => "-".repeat(w))), ...cells.slice(1).map(line)].join("\n");
}
