import { createHash } from "crypto";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "fs";
import { join, relative } from "path";
import { prodAzure } from "../../environments/prod-azure";
import { testAws } from "../../environments/test-aws";

/** Changes to a copy of the shipped config (raw input, as a config file writes it). */
export interface ConfigChange {
  readonly testAws?: (raw: any) => void;
  readonly prodAzure?: (raw: any) => void;
}

/**
 * A folder under `parent` holding the shipped config with `change` applied, as the TypeScript
 * modules synth's --config-dir reads (test-aws.ts, prod-azure.ts).
 */
export function configDir(parent: string, change: ConfigChange = {}): string {
  const dir = mkdtempSync(join(parent, "config-"));
  const aws = structuredClone(testAws) as any;
  const azure = structuredClone(prodAzure) as any;
  change.testAws?.(aws);
  change.prodAzure?.(azure);
  writeFileSync(join(dir, "test-aws.ts"), `import { AwsTestEnvironmentInput } from "./schema";\nexport const testAws: AwsTestEnvironmentInput = ${JSON.stringify(aws, null, 2)};\n`);
  writeFileSync(join(dir, "prod-azure.ts"), `export const prodAzure = ${JSON.stringify(azure, null, 2)};\n`);
  return dir;
}

/** Every file under `dir` with its content hash: equal snapshots mean nothing was written. */
export function snapshot(dir: string): string {
  const lines: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else lines.push(`${relative(dir, path)} ${createHash("sha256").update(readFileSync(path)).digest("hex")}`);
    }
  };
  walk(dir);
  return lines.join("\n");
}
