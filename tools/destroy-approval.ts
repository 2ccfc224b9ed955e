/**
 * `npm run --silent destroy-approval -- --author <login> --since <time> <events.jsonl>`: decide whether
 * the `destroy-approved` label on a pull request counts, from the pull request's issue events
 * (`gh api repos/<repo>/issues/<n>/events --paginate --jq '.[]'`, one JSON object per line).
 *
 * It counts only when its latest labeling event is still in effect (not undone by an unlabel), was
 * done by a person (not a bot: a workflow token acting as github-actions[bot] must not approve)
 * other than the pull request's author, and happened after `--since` (when the plan of the current
 * head was made: an approval given before a push does not carry over to the new plan). review.yml
 * then checks that this person has write access. Runs from the base branch only (review.yml).
 */
import { readFileSync } from "fs";
import { CliIo, CliSpec, processIo, runCli, UsageError } from "./cli";

/** The label that approves deletes and stateful replacements. */
export const APPROVAL_LABEL = "destroy-approved";

/** The fields of a GitHub issue event read here. */
export interface IssueEvent {
  readonly event: string;
  readonly created_at: string;
  readonly actor?: { readonly login: string; readonly type: string } | null;
  readonly label?: { readonly name: string } | null;
}

/** The decision. */
export type Approval = { readonly approved: true; readonly by: string } | { readonly approved: false; readonly reason: string };

/** Decide from the pull request's events (any order) whether the approval label counts. */
export function destroyApproval(events: readonly IssueEvent[], author: string, since: string): Approval {
  const labelEvents = events
    .filter((e) => (e.event === "labeled" || e.event === "unlabeled") && e.label?.name === APPROVAL_LABEL)
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  const last = labelEvents.at(-1);
  if (!last || last.event !== "labeled") return { approved: false, reason: `no "${APPROVAL_LABEL}" label` };
  const login = last.actor?.login ?? "(unknown)";
  if (last.actor?.type !== "User") return { approved: false, reason: `"${APPROVAL_LABEL}" was added by @${login} (${last.actor?.type ?? "no actor"}); a person must add it` };
  if (login.toLowerCase() === author.toLowerCase()) {
    return { approved: false, reason: `"${APPROVAL_LABEL}" was added by the pull request's author @${login}; a reviewer other than the author must add it` };
  }
  if (Date.parse(last.created_at) < Date.parse(since)) {
    return { approved: false, reason: `"${APPROVAL_LABEL}" was added at ${last.created_at}, before the current plan (${since}); review the new plan and add it again` };
  }
  return { approved: true, by: login };
}

export const SPEC = {
  name: "destroy-approval",
  usage: "npm run --silent destroy-approval -- --author <login> --since <time> <events.jsonl>",
  summary: `Decides whether the "${APPROVAL_LABEL}" label of a pull request counts: latest label event still in effect, added by a person other than the author, after the current plan was made.`,
  options: {
    author: { type: "string", description: "login of the pull request's author", valueName: "login" },
    since: { type: "string", description: "when the plan of the current head was made (ISO 8601)", valueName: "time" },
  },
  positionals: [{ name: "events.jsonl", description: "the pull request's issue events, one JSON object per line" }],
  exitCodes: { 0: "approved: prints the approver's login", 1: "unreadable events file", 2: "bad arguments", 3: "not approved: prints why" },
  examples: ["npm run --silent destroy-approval -- --author alice --since 2026-12-02T10:00:00Z events.jsonl"],
} as const satisfies CliSpec;

/** Run the tool; returns the exit code. */
export function run(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCli(
    SPEC,
    argv,
    (values, [path]) => {
      if (!values.author) throw new UsageError("--author is required");
      if (!values.since || Number.isNaN(Date.parse(values.since))) throw new UsageError(`--since must be an ISO 8601 time, got "${values.since ?? ""}"`);
      const lines = readFileSync(path, "utf8").split("\n").filter((line) => line.trim() !== "");
      const events = lines.map((line, i) => {
        try {
          return JSON.parse(line) as IssueEvent;
        } catch {
          throw new Error(`${path} line ${i + 1} is not JSON: pass one event object per line (gh api ... --jq '.[]')`);
        }
      });
      const approval = destroyApproval(events, values.author, values.since);
      io.stdout(approval.approved ? approval.by : approval.reason);
      return approval.approved ? 0 : 3;
    },
    io,
  );
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
