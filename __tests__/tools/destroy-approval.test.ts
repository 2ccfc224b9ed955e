import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { destroyApproval, IssueEvent, run } from "../../tools/destroy-approval";

const PLAN_AT = "2026-12-02T10:00:00Z";
const person = (login: string) => ({ login, type: "User" });
const label = (event: "labeled" | "unlabeled", actor: { login: string; type: string }, at: string, name = "destroy-approved"): IssueEvent => ({ event, created_at: at, actor, label: { name } });

describe("destroyApproval", () => {
  it("counts the label added by a reviewer other than the author, after the plan", () => {
    expect(destroyApproval([label("labeled", person("bob"), "2026-12-02T10:05:00Z")], "alice", PLAN_AT)).toEqual({ approved: true, by: "bob" });
  });

  it("refuses the author approving their own destroy (any letter case)", () => {
    const result = destroyApproval([label("labeled", person("Alice"), "2026-12-02T10:05:00Z")], "alice", PLAN_AT);
    expect(result).toEqual({ approved: false, reason: expect.stringMatching(/added by the pull request's author @Alice; a reviewer other than the author/) });
  });

  it("refuses a bot, e.g. a workflow token acting as github-actions[bot]", () => {
    const result = destroyApproval([label("labeled", { login: "github-actions[bot]", type: "Bot" }, "2026-12-02T10:05:00Z")], "alice", PLAN_AT);
    expect(result).toMatchObject({ approved: false, reason: expect.stringMatching(/github-actions\[bot\] \(Bot\); a person must add it/) });
  });

  it("refuses an approval given before the current plan (a push after approval needs a new one)", () => {
    expect(destroyApproval([label("labeled", person("bob"), "2026-12-02T09:59:00Z")], "alice", PLAN_AT)).toMatchObject({ approved: false, reason: expect.stringMatching(/before the current plan/) });
  });

  it("judges the latest label event: the author re-adding it after a reviewer removed it does not count", () => {
    const events = [
      label("labeled", person("bob"), "2026-12-02T10:05:00Z"),
      label("unlabeled", person("bob"), "2026-12-02T10:06:00Z"),
      label("labeled", person("alice"), "2026-12-02T10:07:00Z"),
    ];
    expect(destroyApproval([...events].reverse(), "alice", PLAN_AT)).toMatchObject({ approved: false, reason: expect.stringMatching(/author @alice/) });
    expect(destroyApproval(events.slice(0, 2), "alice", PLAN_AT)).toEqual({ approved: false, reason: 'no "destroy-approved" label' });
  });

  it("ignores other labels and events", () => {
    const events: IssueEvent[] = [label("labeled", person("bob"), "2026-12-02T10:05:00Z", "destructive-change"), { event: "head_ref_force_pushed", created_at: "2026-12-02T10:06:00Z", actor: person("alice") }];
    expect(destroyApproval(events, "alice", PLAN_AT)).toMatchObject({ approved: false });
  });
});

describe("destroy-approval CLI", () => {
  async function cli(...argv: string[]) {
    let out = "";
    let err = "";
    const code = await run(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
    return { code, out, err };
  }
  const file = (content: string) => {
    const path = join(mkdtempSync(join(tmpdir(), "approval-")), "events.jsonl");
    writeFileSync(path, content);
    return path;
  };

  it("exit 0 with the approver, exit 3 with the reason", async () => {
    const ok = file(JSON.stringify(label("labeled", person("bob"), "2026-12-02T10:05:00Z")) + "\n");
    expect(await cli("--author", "alice", "--since", PLAN_AT, ok)).toEqual({ code: 0, out: "bob", err: "" });
    const own = file(JSON.stringify(label("labeled", person("alice"), "2026-12-02T10:05:00Z")) + "\n");
    expect((await cli("--author", "alice", "--since", PLAN_AT, own)).code).toBe(3);
  });

  it("rejects a bad --since and a line that is not JSON, one line each", async () => {
    expect(await cli("--author", "alice", "--since", "yesterday", file(""))).toMatchObject({ code: 2, err: expect.stringMatching(/--since must be an ISO 8601 time, got "yesterday"/) });
    expect(await cli("--author", "alice", "--since", PLAN_AT, file("{}\nnot json\n"))).toMatchObject({ code: 1, err: expect.stringMatching(/line 2 is not JSON/) });
  });
});
