/**
 * The command line shared by `npm run plan`, `npm run deploy` and `npm run destroy`: the three
 * tools differ only in the action and its help text.
 */
import type { App } from "cdktf";
import { CliSpec, runCli } from "../cli";
import { Action, operate, OperateIo, STATE_RUNBOOK, terminalIo } from "./operate";
import { synthesizeStacks } from "./stacks";

const WHAT: Record<Action, { summary: string; exit: Record<number, string>; examples: string[] }> = {
  plan: {
    summary:
      "Synthesizes the app and runs terraform plan for every named stack, or every stack of a named environment, dependencies first; " +
      "stacks that do not depend on each other run at the same time. A stack whose dependencies are not deployed yet is listed as not planned.",
    exit: { 0: "no changes (with --emulator: none beyond the documented known emulator drifts)", 1: "an error (bad arguments, a failed plan)", 2: "changes pending" },
    examples: ["npm run plan -- test-aws", "npm run plan -- test-aws-network test-aws-eks", "npm run plan -- test-aws --emulator"],
  },
  deploy: {
    summary:
      "Synthesizes the app and applies every named stack, or every stack of a named environment, dependencies first. Without --auto-approve " +
      "each stack's changes are listed and applied only after you type yes (needs a terminal); with it, independent stacks apply at the same time.",
    exit: { 0: "every stack applied (or had nothing to change)", 1: "an error, a declined approval, or a failed stack (the stacks depending on it are not run)" },
    examples: ["npm run deploy -- test-aws-network", "npm run deploy -- test-aws --auto-approve", "npm run deploy -- test-aws --emulator --auto-approve"],
  },
  destroy: {
    summary:
      "Destroys every named stack, or every stack of a named environment, dependents first. The state stacks (prevent_destroy) are never destroyed: " +
      `named, they are refused; as part of an environment, they are kept and listed (removing them: ${STATE_RUNBOOK}).`,
    exit: { 0: "every stack destroyed (or already empty)", 1: "an error, a declined approval, or a failed stack" },
    examples: ["npm run destroy -- test-aws-ecr", "npm run destroy -- test-aws --emulator --auto-approve"],
  },
};

/** The spec of one of the three commands. */
export function operatorSpec(action: Action) {
  return {
    name: action,
    usage: `npm run ${action} -- <env|stack>... ${action === "plan" ? "" : "[--auto-approve] "}[--emulator]`,
    summary: WHAT[action].summary + "\nProgress is one plain line per event and a final table, with or without a terminal.",
    options: {
      ...(action === "plan" ? {} : { "auto-approve": { type: "boolean" as const, description: "apply without asking (required when stdin is not a terminal, e.g. in CI)" } }),
      emulator: {
        type: "boolean" as const,
        description: "run the AWS stacks against the moto_server at AWS_ENDPOINT_URL with the emulator adaptations of docs/e2e.md",
      },
    },
    positionals: [{ name: "env|stack", description: "an environment (test-aws, prod-azure) or a stack (test-aws-network)", variadic: true }],
    env: {
      AWS_ENDPOINT_URL: "with --emulator: the moto_server (eval \"$(npm run --silent sandbox -- up)\" sets it)",
      SANDBOX_DIR: "with --emulator: folder for the emulator synth output and bootstrap state (default .sandbox/)",
    },
    exitCodes: WHAT[action].exit,
    examples: WHAT[action].examples,
    usageExitCode: 1,
  } satisfies CliSpec;
}

/** Run one of the commands on `argv`; returns the exit code. */
export function runOperatorCommand(action: Action, argv: readonly string[], io: OperateIo = terminalIo()): Promise<number> {
  const spec = operatorSpec(action);
  return runCli(
    spec,
    argv,
    (values, positionals) =>
      operate(
        { action, names: positionals, autoApprove: (values as { "auto-approve"?: boolean })["auto-approve"] === true, emulator: values.emulator },
        (outdir) => {
          // Loaded only when synthesizing, so --help and argument errors answer without cdktf.
          const { buildApp } = require("../../main") as typeof import("../../main");
          return synthesizeStacks(outdir, (app: App) => buildApp(app));
        },
        io,
      ),
    { stdout: io.out, stderr: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`) },
  );
}
