/**
 * The one command-line parser every tool under tools/ uses: `node:util` parseArgs underneath, with
 * what people expect of a real CLI on top.
 *
 * - `--help` / `-h` prints usage, arguments, options with their defaults, environment variables and
 *   exit codes, and exits 0.
 * - An unknown option is rejected by name, with a did-you-mean when one is close.
 * - A value option without a value, a value for a flag, a value outside its choices and a wrong
 *   number of positional arguments are each one line naming the argument, the value and the fix.
 * - `--no-<flag>` turns a boolean off (e.g. `--no-dry-run`).
 * - Errors print as one line (`<tool>: <message>`), never a stack trace; set DEBUG=1 to see the
 *   stack of an unexpected failure.
 */
import { parseArgs } from "node:util";
import { didYouMean } from "../constructs/core/did-you-mean";
import { ConfigError } from "../constructs/errors";

/** One `--option`. */
export interface CliOption {
  /** A flag (`boolean`) or an option that takes a value (`string`). */
  readonly type: "string" | "boolean";
  /** What it does, one line, for `--help`. */
  readonly description: string;
  /** One-letter alias, e.g. `f` for `-f`. */
  readonly short?: string;
  /** Name of the value in `--help`, e.g. `N` or `r1,r2`. @default "VALUE" */
  readonly valueName?: string;
  /** The value used when the option is absent, shown in `--help`. */
  readonly default?: string | boolean;
  /** Allowed values of a string option. */
  readonly choices?: readonly string[];
  /** The option may be given more than once (string options only); its value is then a list. */
  readonly multiple?: boolean;
}

/** One positional argument. */
export interface CliPositional {
  /** Name shown in usage, e.g. `plan.json` or `env|stack`. */
  readonly name: string;
  /** What it is, for `--help`. */
  readonly description: string;
  /** It may be left out. @default false */
  readonly optional?: boolean;
  /** It takes every remaining argument (last positional only). @default false */
  readonly variadic?: boolean;
  /** Allowed values. */
  readonly choices?: readonly string[];
}

/** Everything a tool says about its command line; the parser and `--help` both read it. */
export interface CliSpec<O extends Record<string, CliOption> = Record<string, CliOption>> {
  /** Tool name, used as the error prefix, e.g. `ebs-reaper`. */
  readonly name: string;
  /** How to run it, e.g. `npm run --silent ebs-reaper -- <scan|reap> [options]`. */
  readonly usage: string;
  /** One or two sentences on what it does. */
  readonly summary: string;
  readonly options: O;
  readonly positionals?: readonly CliPositional[];
  /** Environment variables it reads, with what each does. */
  readonly env?: Readonly<Record<string, string>>;
  /** Every exit code with its meaning. */
  readonly exitCodes: Readonly<Record<number, string>>;
  /** Example command lines. */
  readonly examples?: readonly string[];
  /** Exit code for a bad command line. @default 2 (1 for tools whose 2 means something else) */
  readonly usageExitCode?: number;
}

type OptionValue<T extends CliOption> = T["type"] extends "boolean"
  ? boolean
  : T["multiple"] extends true
    ? string[]
    : T extends { default: string }
      ? string
      : string | undefined;

/** Parsed option values, typed from the spec. */
export type CliValues<O extends Record<string, CliOption>> = { -readonly [K in keyof O]: OptionValue<O[K]> };

/** A parsed command line: either a request for help or the values. */
export type CliParse<O extends Record<string, CliOption>> =
  | { readonly help: true; readonly text: string }
  | { readonly help: false; readonly values: CliValues<O>; readonly positionals: string[] };

/** A mistake on the command line; the message names the argument, the value and the fix. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

// Shared with the config schema's unknown-field and enum hints; re-exported for the tools.
export { closest, didYouMean } from "../constructs/core/did-you-mean";

function optionLabel(name: string, option: CliOption): string {
  const short = option.short ? `-${option.short}, ` : "";
  if (option.type === "boolean") return option.default === true ? `${short}--${name} / --no-${name}` : `${short}--${name}`;
  return `${short}--${name} ${option.valueName ?? "VALUE"}`;
}

function section(title: string, rows: [string, string][]): string {
  if (rows.length === 0) return "";
  const width = Math.max(...rows.map(([left]) => left.length));
  return `\n${title}:\n${rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`).join("\n")}\n`;
}

/** The `--help` text. */
export function helpText(spec: CliSpec): string {
  const positionals = (spec.positionals ?? []).map((p): [string, string] => [
    p.variadic ? `${p.name}...` : p.name,
    p.description + (p.choices ? ` (one of ${p.choices.join(", ")})` : "") + (p.optional ? " (optional)" : ""),
  ]);
  const options = Object.entries(spec.options).map(([name, o]): [string, string] => {
    const extras: string[] = [];
    if (o.choices) extras.push(`one of ${o.choices.join(", ")}`);
    if (o.default !== undefined && o.default !== false) extras.push(`default: ${o.default}`);
    if (o.multiple) extras.push("repeatable");
    return [optionLabel(name, o), extras.length ? `${o.description} (${extras.join("; ")})` : o.description];
  });
  options.push(["-h, --help", "print this help and exit 0"]);
  const env = Object.entries(spec.env ?? {});
  const codes = Object.entries(spec.exitCodes).map(([code, meaning]): [string, string] => [code, meaning]);
  const examples = (spec.examples ?? []).map((e) => `  ${e}`).join("\n");
  return (
    `usage: ${spec.usage}\n\n${spec.summary}\n` +
    section("arguments", positionals) +
    section("options", options) +
    section("environment", env) +
    section("exit codes", codes) +
    (examples ? `\nexamples:\n${examples}\n` : "")
  );
}

/**
 * Parse `argv` (without node and the script) against the spec. Returns `{ help: true }` when help was
 * asked for; throws UsageError on any mistake. Nothing has run when it throws.
 */
export function parseCli<O extends Record<string, CliOption>>(spec: CliSpec<O>, argv: readonly string[]): CliParse<O> {
  if (argv.includes("--help") || argv.includes("-h")) return { help: true, text: helpText(spec) };
  const see = `(see --help)`;
  const names = Object.keys(spec.options);
  const config: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    config[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  const { tokens } = parseArgs({ args: [...argv], options: config, strict: false, allowPositionals: true, tokens: true });

  const values: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    values[name] = o.multiple ? [] : o.type === "boolean" ? (o.default ?? false) : o.default;
  }
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== "option") continue;
    const negated = token.name.startsWith("no-") && spec.options[token.name.slice(3)]?.type === "boolean";
    const name = negated ? token.name.slice(3) : token.name;
    const option = spec.options[name];
    if (!option) {
      throw new UsageError(`unknown option ${token.rawName}${didYouMean(`--${token.name}`, names.map((n) => `--${n}`))} ${see}`);
    }
    if (option.type === "boolean") {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} is a flag and takes no value (got "${token.value}") ${see}`);
      values[name] = !negated;
      continue;
    }
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith("-"))) {
      throw new UsageError(`${token.rawName} needs a value, e.g. ${token.rawName} ${option.valueName ?? "VALUE"} ${see}`);
    }
    if (option.choices && !option.choices.includes(value)) {
      throw new UsageError(`${token.rawName} "${value}" is not one of ${option.choices.join(", ")}${didYouMean(value, option.choices)}`);
    }
    if (option.multiple) (values[name] as string[]).push(value);
    else values[name] = value;
  }

  checkPositionals(spec, positionals);
  return { help: false, values: values as CliValues<O>, positionals };
}

function checkPositionals(spec: CliSpec<Record<string, CliOption>>, positionals: readonly string[]): void {
  const declared = spec.positionals ?? [];
  const variadic = declared.at(-1)?.variadic === true;
  const required = declared.filter((p) => !p.optional);
  if (positionals.length < required.length) {
    const missing = required[positionals.length];
    throw new UsageError(`missing argument <${missing.name}>: ${missing.description}; usage: ${spec.usage}`);
  }
  if (!variadic && positionals.length > declared.length) {
    const extra = positionals[declared.length];
    throw new UsageError(
      extra.startsWith("-") ? `unknown option ${extra} (see --help)` : `unexpected argument "${extra}"; usage: ${spec.usage}`,
    );
  }
  positionals.forEach((value, i) => {
    const p = declared[Math.min(i, declared.length - 1)];
    if (p?.choices && !p.choices.includes(value)) {
      throw new UsageError(`<${p.name}> "${value}" is not one of ${p.choices.join(", ")}${didYouMean(value, p.choices)}`);
    }
  });
}

/** A whole-number option value of at least `min`; otherwise a UsageError naming the option and the value. */
export function wholeNumber(option: string, value: string, min = 0): number {
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`--${option} "${value}" must be a whole number >= ${min}`);
  return Number(value);
}

/** Where a CLI writes; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Writes to the process's own streams, one line per call. */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
};

/**
 * Parse, then run `body` with the values, and turn the outcome into an exit code: help → 0, a
 * UsageError → the spec's usage exit code, a ConfigError or any other failure → 1, each as one
 * line on stderr. `body` returns its own exit code.
 */
export async function runCli<O extends Record<string, CliOption>>(
  spec: CliSpec<O>,
  argv: readonly string[],
  body: (values: CliValues<O>, positionals: string[]) => number | Promise<number>,
  io: CliIo = processIo,
): Promise<number> {
  let parsed: CliParse<O>;
  try {
    parsed = parseCli(spec, argv);
  } catch (error) {
    io.stderr(`${spec.name}: ${(error as Error).message}`);
    return spec.usageExitCode ?? 2;
  }
  if (parsed.help) {
    io.stdout(parsed.text);
    return 0;
  }
  try {
    return await body(parsed.values, parsed.positionals);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${spec.name}: ${error.message}`);
      return spec.usageExitCode ?? 2;
    }
    const known = error instanceof ConfigError;
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`${spec.name}: ${message}`);
    if (!known && process.env.DEBUG && error instanceof Error && error.stack) io.stderr(error.stack);
    return 1;
  }
}

/** For `if (require.main === module)`: run the CLI on process.argv and exit with its code. */
export function main<O extends Record<string, CliOption>>(
  spec: CliSpec<O>,
  body: (values: CliValues<O>, positionals: string[]) => number | Promise<number>,
): void {
  runCli(spec, process.argv.slice(2), body).then((code) => {
    process.exitCode = code;
  });
}
