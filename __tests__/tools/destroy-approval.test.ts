import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { commitIdentities, destroyApproval, IssueEvent, noreplyLogin, PullCommit, run } from "../../tools/destroy-approval";

const PLAN_AT = "2026-12-02T10:00:00Z";
const person = (login: string) => ({ login, type: "User" });
/** An entry of GitHub's pulls/{n}/commits as the API returns it (trimmed): mapped accounts or null, and the git identities. */
const commit = (sha: string, author: string | null, committer: string | null, emails: { author?: string; committer?: string } = {}): PullCommit => ({
  sha,
  author: author === null ? null : { login: author },
  committer: committer === null ? null : { login: committer },
  commit: { author: { email: emails.author ?? "someone@example.com" }, committer: { email: emails.committer ?? "someone@example.com" } },
});
/** alice opened the pull request and wrote its first commit. */
const ALICE_ONLY = [commit("a1a1a1a1a1", "alice", "web-flow")];
const label = (event: "labeled" | "unlabeled", actor: { login: string; type: string }, at: string, name = "destroy-approved"): IssueEvent => ({ event, created_at: at, actor, label: { name } });

describe("destroyApproval", () => {
  it("counts the label added by a reviewer other than the author, after the plan", () => {
    expect(destroyApproval([label("labeled", person("bob"), "2026-12-02T10:05:00Z")], "alice", PLAN_AT, ALICE_ONLY)).toEqual({ approved: true, by: "bob" });
  });

  it("refuses the author approving their own destroy (any letter case)", () => {
    const result = destroyApproval([label("labeled", person("Alice"), "2026-12-02T10:05:00Z")], "alice", PLAN_AT, ALICE_ONLY);
    expect(result).toEqual({ approved: false, reason: expect.stringMatching(/added by the pull request's author @Alice; a reviewer other than the author/) });
  });

  it("refuses a bot, e.g. a workflow token acting as github-actions[bot]", () => {
    const result = destroyApproval([label("labeled", { login: "github-actions[bot]", type: "Bot" }, "2026-12-02T10:05:00Z")], "alice", PLAN_AT, ALICE_ONLY);
    expect(result).toMatchObject({ approved: false, reason: expect.stringMatching(/github-actions\[bot\] \(Bot\); a person must add it/) });
  });

  it("refuses an approval given before the current plan (a push after approval needs a new one)", () => {
    expect(destroyApproval([label("labeled", person("bob"), "2026-12-02T09:59:00Z")], "alice", PLAN_AT, ALICE_ONLY)).toMatchObject({ approved: false, reason: expect.stringMatching(/before the current plan/) });
  });

  it("judges the latest label event: the author re-adding it after a reviewer removed it does not count", () => {
    const events = [
      label("labeled", person("bob"), "2026-12-02T10:05:00Z"),
      label("unlabeled", person("bob"), "2026-12-02T10:06:00Z"),
      label("labeled", person("alice"), "2026-12-02T10:07:00Z"),
    ];
    expect(destroyApproval([...events].reverse(), "alice", PLAN_AT, ALICE_ONLY)).toMatchObject({ approved: false, reason: expect.stringMatching(/author @alice/) });
    expect(destroyApproval(events.slice(0, 2), "alice", PLAN_AT, ALICE_ONLY)).toEqual({ approved: false, reason: 'no "destroy-approved" label' });
  });

  it("refuses a collaborator who authored a commit of someone else's pull request (the API's mapped account, any case)", () => {
    const commits = [...ALICE_ONLY, commit("b0b0b0b0b0ff", "Bob", "bob")];
    const result = destroyApproval([label("labeled", person("bob"), "2026-12-02T10:05:00Z")], "alice", PLAN_AT, commits);
    expect(result).toEqual({ approved: false, reason: expect.stringMatching(/added by @bob, who authored or committed b0b0b0b of this pull request; a reviewer who wrote none of its commits/) });
  });

  it("refuses the committer of a commit someone else authored (e.g. a rebase or cherry-pick pushed by them)", () => {
    const commits = [commit("c0ffee0000", "alice", "carol")];
    expect(destroyApproval([label("labeled", person("carol"), "2026-12-02T10:05:00Z")], "alice", PLAN_AT, commits)).toMatchObject({ approved: false, reason: expect.stringMatching(/@carol, who authored or committed c0ffee0/) });
  });

  it("refuses the login of a noreply author or committer email when GitHub mapped it to no account", () => {
    const byAuthor = [commit("d00d000000", null, null, { author: "12345+Dave@users.noreply.github.com" })];
    expect(destroyApproval([label("labeled", person("dave"), "2026-12-02T10:05:00Z")], "alice", PLAN_AT, byAuthor)).toMatchObject({ approved: false });
    const byCommitter = [commit("e0e0e00000", null, null, { committer: "erin@users.noreply.github.com" })];
    expect(destroyApproval([label("labeled", person("erin"), "2026-12-02T10:05:00Z")], "alice", PLAN_AT, byCommitter)).toMatchObject({ approved: false });
  });

  it("still counts a reviewer who wrote none of the commits", () => {
    const commits = [...ALICE_ONLY, commit("b0b0b0b0b0", "bob", "bob"), commit("f00f00f00f", null, null, { author: "frank@example.com" })];
    expect(destroyApproval([label("labeled", person("carol"), "2026-12-02T10:05:00Z")], "alice", PLAN_AT, commits)).toEqual({ approved: true, by: "carol" });
  });

  it("collects every author and committer login with the commits they touched", () => {
    const commits = [commit("1111111aaa", "alice", "web-flow"), commit("2222222bbb", "bob", "alice", { author: "9+Bob@users.noreply.github.com" })];
    expect(Object.fromEntries(commitIdentities(commits))).toEqual({ alice: ["1111111", "2222222"], "web-flow": ["1111111"], bob: ["2222222"] });
    expect(noreplyLogin("41898282+github-actions[bot]@users.noreply.github.com")).toBe("github-actions[bot]");
    expect(noreplyLogin("bob@example.com")).toBeUndefined();
  });

  it("ignores other labels and events", () => {
    const events: IssueEvent[] = [label("labeled", person("bob"), "2026-12-02T10:05:00Z", "destructive-change"), { event: "head_ref_force_pushed", created_at: "2026-12-02T10:06:00Z", actor: person("alice") }];
    expect(destroyApproval(events, "alice", PLAN_AT, ALICE_ONLY)).toMatchObject({ approved: false });
  });
});

describe("destroy-approval CLI", () => {
  async function cli(...argv: string[]) {
    let out = "";
    let err = "";
    const code = await run(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
    return { code, out, err };
  }
  const file = (content: string, name = "events.jsonl") => {
    const path = join(mkdtempSync(join(tmpdir(), "approval-")), name);
    writeFileSync(path, content);
    return path;
  };
  const jsonl = (items: readonly object[]) => items.map((i) => JSON.stringify(i)).join("\n") + "\n";
  const aliceCommits = () => file(jsonl(ALICE_ONLY), "commits.jsonl");

  it("exit 0 with the approver, exit 3 with the reason", async () => {
    const ok = file(JSON.stringify(label("labeled", person("bob"), "2026-12-02T10:05:00Z")) + "\n");
    expect(await cli("--author", "alice", "--commits", aliceCommits(), "--since", PLAN_AT, ok)).toEqual({ code: 0, out: "bob", err: "" });
    const own = file(JSON.stringify(label("labeled", person("alice"), "2026-12-02T10:05:00Z")) + "\n");
    expect((await cli("--author", "alice", "--commits", aliceCommits(), "--since", PLAN_AT, own)).code).toBe(3);
  });

  it("exit 3 when the approver pushed a commit of the pull request (commits file as gh api pulls/<n>/commits --jq '.[]' prints it)", async () => {
    const ok = file(jsonl([label("labeled", person("bob"), "2026-12-02T10:05:00Z")]));
    const commits = file(jsonl([...ALICE_ONLY, commit("b0b0b0b0b0", "bob", "bob")]), "commits.jsonl");
    expect(await cli("--author", "alice", "--commits", commits, "--since", PLAN_AT, ok)).toEqual({ code: 3, out: expect.stringMatching(/@bob, who authored or committed b0b0b0b/), err: "" });
  });

  it("requires --commits, refuses an empty or malformed commits file, and never approves 250 commits or more", async () => {
    const ok = file(jsonl([label("labeled", person("bob"), "2026-12-02T10:05:00Z")]));
    expect(await cli("--author", "alice", "--since", PLAN_AT, ok)).toMatchObject({ code: 2, err: expect.stringMatching(/--commits is required/) });
    expect(await cli("--author", "alice", "--commits", file("", "commits.jsonl"), "--since", PLAN_AT, ok)).toMatchObject({ code: 1, err: expect.stringMatching(/lists no commit/) });
    expect(await cli("--author", "alice", "--commits", file(jsonl([{ login: "x" }]), "commits.jsonl"), "--since", PLAN_AT, ok)).toMatchObject({ code: 1, err: expect.stringMatching(/without "sha"/) });
    const many = file(jsonl(Array.from({ length: 250 }, (_, i) => commit(`${i}`.padStart(10, "0"), "alice", "alice"))), "commits.jsonl");
    expect(await cli("--author", "alice", "--commits", many, "--since", PLAN_AT, ok)).toMatchObject({ code: 3, out: expect.stringMatching(/250 commits/) });
  });

  it("rejects a bad --since and a line that is not JSON, one line each", async () => {
    expect(await cli("--author", "alice", "--commits", aliceCommits(), "--since", "yesterday", file(""))).toMatchObject({ code: 2, err: expect.stringMatching(/--since must be an ISO 8601 time, got "yesterday"/) });
    expect(await cli("--author", "alice", "--commits", aliceCommits(), "--since", PLAN_AT, file("{}\nnot json\n"))).toMatchObject({ code: 1, err: expect.stringMatching(/line 2 is not JSON/) });
  });
});
