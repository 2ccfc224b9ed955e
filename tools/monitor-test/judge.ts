/**
 * One monitor on one scenario: evaluate every minute of the scenario's range and compare with what
 * it expects, as a row `{stack, monitor, scenario, expected, got, pass}`.
 */
import { evaluateRange, MonitorEvaluation, MonitorUnderTest, Outcome } from "./evaluate";
import { Expectation, Scenario } from "./scenarios";

/** One result: `{stack, monitor, scenario, expected, got, pass}`. */
export interface Row {
  readonly stack: string;
  readonly monitor: string;
  readonly scenario: string;
  readonly expected: string;
  readonly got: string;
  readonly pass: boolean;
}

function describe(expect: Expectation, reaction: number): string {
  if (expect.status === "ok") return "ok";
  return `${expect.status} within ${reaction} min${expect.group ? ` in ${expect.group} only` : ""}`;
}

/** The state that matters for `expect` (the first alert when an alert is expected, else the first trouble), in words. */
function describeOutcome(outcome: Outcome, expect: Expectation, from: number): string {
  const state = (expect.status !== "ok" && outcome.firstIn.get(expect.status)) || outcome.first;
  if (!state) return "ok";
  const offset = state.minute - from;
  const others = [...outcome.troubled].filter((g) => !state.groups.includes(g));
  return `${state.status} at ${offset >= 0 ? "+" : ""}${offset} min in ${state.groups.join(" ")}${others.length > 0 ? ` (also ${others.join(" ")})` : ""}`;
}

/** Evaluate one monitor on one scenario. */
export function judge(monitor: MonitorUnderTest, scenario: Scenario, context = `${monitor.stack} / ${monitor.name} / ${scenario.name}`): Row {
  const row = { stack: monitor.stack, monitor: monitor.name, scenario: scenario.name };
  try {
    const evaluation = new MonitorEvaluation(monitor, scenario.fixture(), context);
    const outcome = evaluateRange(evaluation, scenario.range[0], scenario.range[1]);
    const { expect } = scenario;
    const from = expect.status === "ok" ? scenario.range[0] : expect.from;
    const reaction = evaluation.reactionMinutes(expect.status);
    const expected = describe(expect, reaction);
    const got = describeOutcome(outcome, expect, from);
    if (expect.status === "ok") return { ...row, expected, got, pass: outcome.first === undefined };
    const state = outcome.firstIn.get(expect.status);
    const pass =
      state !== undefined &&
      (outcome.first?.minute ?? Infinity) >= expect.from &&
      state.minute <= expect.from + reaction &&
      (expect.group === undefined || [...outcome.troubled].every((g) => g === expect.group));
    return { ...row, expected, got, pass };
  } catch (error) {
    return { ...row, expected: describe(scenario.expect, 0), got: `error: ${error instanceof Error ? error.message : String(error)}`, pass: false };
  }
}

