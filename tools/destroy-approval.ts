/**
 * `npm run --silent destroy-approval -- --author <login> --commits <commits.jsonl> --since <time> <events.jsonl>`:
 * decide whether the `destroy-approved` label on a pull request counts, from the pull request's
 * issue events (`gh api repos/<repo>/issues/<n>/events --paginate --jq '.[]'`, one JSON object per
 * line) and its commits (`gh api repos/<repo>/pulls/<n>/commits --paginate --jq '.[]'`).
 *
 * It counts only when its latest labeling event is still in effect (not undone by an unlabel), was
 * done by a person (not a bot: a workflow token acting as github-actions[bot] must not approve)
 * who is neither the pull request's opener nor an author or committer of any of its commits (a
 * collaborator who pushed the destructive commit onto someone else's pull request must not approve
 * it), and happened after `--since` (when the plan of the current head was made: an approval given
 * before a push does not carry over to the new plan). review.yml then checks that this person has
 * write access. Runs from the base branch only (review.yml).
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

/** The fields of one entry of GitHub's `pulls/{n}/commits` read here. */
export interface PullCommit {
  readonly sha: string;
  /** The GitHub account GitHub mapped the git author's email to (null when it maps to none). */
  readonly author?: { readonly login: string } | null;
  /** The GitHub account GitHub mapped the git committer's email to. */
  readonly committer?: { readonly login: string } | null;
  readonly commit?: {
    readonly author?: { readonly email?: string } | null;
    readonly committer?: { readonly email?: string } | null;
  } | null;
}

/** GitHub's pulls/{n}/commits lists at most this many commits: with more, some authors are unseen. */
export const MAX_PULL_COMMITS = 250;

/** The login in a GitHub noreply address (`123+login@users.noreply.github.com`, `login@users.noreply.github.com`). */
export function noreplyLogin(email: string | undefined): string | undefined {
  return /^(?:\d+\+)?([A-Za-z0-9][A-Za-z0-9-]*(?:\[bot\])?)@users\.noreply\.github\.com$/i.exec(email ?? "")?.[1];
}

/**
 * Every person who wrote or committed a commit of the pull request, as lower-case login -> the
 * short SHAs: the accounts GitHub mapped the git author and committer to, and the logins in
 * noreply author/committer emails where GitHub mapped none.
 */
export function commitIdentities(commits: readonly PullCommit[]): Map<string, string[]> {
  const identities = new Map<string, string[]>();
  for (const c of commits) {
    const logins = [c.author?.login, c.committer?.login, noreplyLogin(c.commit?.author?.email ?? undefined), noreplyLogin(c.commit?.committer?.email ?? undefined)];
    for (const login of new Set(logins.filter((l): l is string => !!l).map((l) => l.toLowerCase()))) {
      identities.set(login, [...(identities.get(login) ?? []), c.sha.slice(0, 7)]);
    }
  }
  return identities;
}

/** The decision. */
export type Approval = { readonly approved: true; readonly by: string } | { readonly approved: false; readonly reason: string };

/**
 * Decide from the pull request's events (any order) whether the approval label counts. `author` is
 * the pull request's opener, `commits` its commits (pulls/{n}/commits): their authors and
 * committers may not approve either.
 */
export function destroyApproval(events: readonly IssueEvent[], author: string, since: string, commits: readonly PullCommit[]): Approval {
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
  const wrote = commitIdentities(commits).get(login.toLowerCase());
  if (wrote) {
    return {
      approved: false,
      reason: `"${APPROVAL_LABEL}" was added by @${login}, who authored or committed ${wrote.join(", ")} of this pull request; a reviewer who wrote none of its commits must add it`,
    };
  }
  if (Date.parse(last.created_at) < Date.parse(since)) {
    return { approved: false, reason: `"${APPROVAL_LABEL}" was added at ${last.created_at}, before the current plan (${since}); review the new plan and add it again` };
  }
  return { approved: true, by: login };
}

export const SPEC = {
  name: "destroy-approval",
  usage: "npm run --silent destroy-approval -- --author <login> --commits <commits.jsonl> --since <time> <events.jsonl>",
  summary: `Decides whether the "${APPROVAL_LABEL}" label of a pull request counts: latest label event still in effect, added by a person who is neither the pull request's author nor an author or committer of its commits, after the current plan was made.`,
  options: {
    author: { type: "string", description: "login of the pull request's author", valueName: "login" },
    commits: { type: "string", description: "the pull request's commits (gh api repos/<repo>/pulls/<n>/commits --paginate --jq '.[]'), one JSON object per line", valueName: "commits.jsonl" },
    since: { type: "string", description: "when the plan of the current head was made (ISO 8601)", valueName: "time" },
  },
  positionals: [{ name: "events.jsonl", description: "the pull request's issue events, one JSON object per line" }],
  exitCodes: { 0: "approved: prints the approver's login", 1: "unreadable events or commits file", 2: "bad arguments", 3: "not approved: prints why" },
  examples: ["npm run --silent destroy-approval -- --author alice --commits commits.jsonl --since 2026-12-02T10:00:00Z events.jsonl"],
} as const satisfies CliSpec;

/** Run the tool; returns the exit code. */
export function run(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCli(
    SPEC,
    argv,
    (values, [path]) => {
      if (!values.author) throw new UsageError("--author is required");
      if (!values.commits) throw new UsageError("--commits is required: the pull request's commits, whose authors and committers may not approve");
      if (!values.since || Number.isNaN(Date.parse(values.since))) throw new UsageError(`--since must be an ISO 8601 time, got "${values.since ?? ""}"`);
      const events = readJsonLines<IssueEvent>(path, "event");
      const commits = readJsonLines<PullCommit>(values.commits, "commit");
      if (commits.length === 0) throw new Error(`${values.commits} lists no commit: a pull request has at least one`);
      if (commits.some((c) => typeof c?.sha !== "string")) throw new Error(`${values.commits} has an entry without "sha": pass pulls/<n>/commits objects`);
      if (commits.length >= MAX_PULL_COMMITS) {
        io.stdout(`the pull request has ${commits.length} commits, GitHub lists at most ${MAX_PULL_COMMITS}: their authors cannot all be excluded; split it`);
        return 3;
      }
      const approval = destroyApproval(events, values.author, values.since, commits);
      io.stdout(approval.approved ? approval.by : approval.reason);
      return approval.approved ? 0 : 3;
    },
    io,
  );
}

/** One JSON object per non-empty line of a file. */
function readJsonLines<T>(path: string, what: string): T[] {
  const lines = readFileSync(path, "utf8").split("\n").filter((line) => line.trim() !== "");
  return lines.map((line, i) => {
    try {
      return JSON.parse(line) as T;
    } catch {
      throw new Error(`${path} line ${i + 1} is not JSON: pass one ${what} object per line (gh api ... --jq '.[]')`);
    }
  });
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
