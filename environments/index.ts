import type * as Esbuild from "esbuild";
import { existsSync, readFileSync } from "fs";
import Module from "module";
import { relative, resolve } from "path";
import { ConfigError } from "../constructs/errors";
import { CONFIG_DIR_ENV } from "./config-dir";
import { prodAzure } from "./prod-azure";
import { awsTestEnvironmentSchema, AwsTestEnvironment, azureProdEnvironmentSchema, AzureProdEnvironment, checkConfig } from "./schema";
import { testAws } from "./test-aws";

/** Every environment, parsed and validated. */
export interface Environments {
  readonly testAws: AwsTestEnvironment;
  readonly prodAzure: AzureProdEnvironment;
}

export { CONFIG_DIR_ENV } from "./config-dir";

/** The config files: file name, exported value, schema. Add an environment here. */
const FILES = {
  testAws: { file: "test-aws.ts", schema: awsTestEnvironmentSchema, shipped: testAws },
  prodAzure: { file: "prod-azure.ts", schema: azureProdEnvironmentSchema, shipped: prodAzure },
} as const;

/** Transpiled config sources by text (the output does not depend on the path): the same text is evaluated again, never transpiled again. */
const transpiled = new Map<string, string>();

/**
 * A TypeScript config file from another folder, transpiled (no type-check: the schema judges the
 * values) and evaluated. Its imports of ./schema are type-only and vanish in transpiling. esbuild
 * is loaded only here: synth of the shipped config never needs it.
 */
function loadConfigModule(path: string): Record<string, unknown> {
  if (!existsSync(path)) throw new ConfigError(`${path}: config file not found (${CONFIG_DIR_ENV} or --config-dir must name a folder holding ${Object.values(FILES).map((f) => f.file).join(", ")})`);
  const source = readFileSync(path, "utf8");
  let code = transpiled.get(source);
  if (code === undefined) {
    const { transformSync } = require("esbuild") as typeof Esbuild;
    code = transformSync(source, { loader: "ts", format: "cjs", sourcefile: path, target: "es2022" }).code;
    transpiled.set(source, code);
  }
  const module = new Module(path);
  module.filename = path;
  module.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(resolve(path, ".."));
  (module as unknown as { _compile(code: string, filename: string): void })._compile(code, path);
  return module.exports as Record<string, unknown>;
}

/**
 * Parse every environment's config, from environments/ or from `configDir`. Throws one ConfigError
 * listing every problem of every file, each `<file>: <field> <problem> (got <value>)`.
 */
export function loadEnvironments(configDir?: string): Environments {
  const problems: string[] = [];
  const parsed: Record<string, unknown> = {};
  for (const [key, { file, schema, shipped }] of Object.entries(FILES)) {
    let raw: unknown = shipped;
    let source = `environments/${file}`;
    if (configDir) {
      const path = resolve(configDir, file);
      const fromHere = relative(process.cwd(), path);
      source = fromHere && !fromHere.startsWith("..") ? fromHere : path;
      const exported = loadConfigModule(path);
      raw = exported[key];
      if (raw === undefined) {
        problems.push(`${source}: ${key} is not exported; export const ${key} = { ... } (got exports ${Object.keys(exported).join(", ") || "none"})`);
        continue;
      }
    }
    const result = checkConfig(schema, source, raw);
    problems.push(...result.problems);
    parsed[key] = result.data;
  }
  if (problems.length > 0) throw new ConfigError(problems.join("\n"));
  return parsed as unknown as Environments;
}
