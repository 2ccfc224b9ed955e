import { TerraformStack, Testing } from "cdktf";
import { join } from "path";
import { EbsReaper, EbsReaperProps } from "../../../../constructs/aws/cost/ebs-reaper";
import { ReaperMemberRole } from "../../../../constructs/aws/cost/reaper-member-role";
import { bundleLambda, moduleFile } from "../../../../constructs/core/bundle";
import { emptyStack, synthJson } from "../../../helpers/synth";

const PROPS: EbsReaperProps = {
  name: "test-ebs-reaper",
  region: "eu-west-1",
  accountId: "111122223333",
  memberAccountIds: ["111122223333", "444455556666"],
  defaultRecipient: "platform",
};

function synth(props: Partial<EbsReaperProps> = {}) {
  const stack = emptyStack();
  const reaper = new EbsReaper(stack, "reaper", { ...PROPS, ...props });
  return { stack, reaper, json: synthJson(stack) };
}

const only = (blocks: Record<string, any> | undefined) => Object.values(blocks ?? {});
const statement = (json: ReturnType<typeof synthJson>, sid: string) =>
  only(json.data.aws_iam_policy_document)
    .flatMap((doc: any) => doc.statement)
    .find((s: any) => s.sid === sid);

/** One request as IAM sees it: action, resource ARN, the resource's tags, the tag keys in the request. */
interface Request {
  readonly action: string;
  readonly resource: string;
  readonly resourceTags?: Record<string, string>;
  readonly tagKeys?: string[];
}

const glob = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(value);

/** The documented semantics of the condition operators the reaper's policy uses. */
function conditionHolds(c: { test: string; variable: string; values: string[] }, r: Request): boolean {
  const tagKey = c.variable.startsWith("aws:ResourceTag/") ? c.variable.slice("aws:ResourceTag/".length) : undefined;
  const single = tagKey ? r.resourceTags?.[tagKey] : undefined;
  const many = c.variable === "aws:TagKeys" ? r.tagKeys : undefined;
  switch (c.test) {
    case "StringEquals":
      return single !== undefined && c.values.includes(single);
    case "StringLike":
      return single !== undefined && c.values.some((v) => glob(v, single));
    case "StringEqualsIgnoreCase":
      return single !== undefined && c.values.some((v) => v.toLowerCase() === single.toLowerCase());
    case "Null":
      return (c.values[0] === "true") === (c.variable === "aws:TagKeys" ? many === undefined : single === undefined);
    case "ForAllValues:StringEquals":
      return (many ?? []).every((k) => c.values.includes(k));
    case "ForAnyValue:StringEquals":
      return (many ?? []).some((k) => c.values.includes(k));
    default:
      throw new Error(`operator ${c.test} not modelled`);
  }
}

function allowed(statements: any[], r: Request): boolean {
  const matching = statements.filter(
    (s) => s.actions?.includes(r.action) && s.resources?.some((res: string) => glob(res.replace(/\$\{[^}]+\}/g, "aws"), r.resource)) && (s.condition ?? []).every((c: any) => conditionHolds(c, r)),
  );
  return !matching.some((s) => s.effect === "Deny") && matching.some((s) => s.effect !== "Deny");
}

describe("EbsReaper (default config)", () => {
  const { json } = synth();
  const fn = only(json.resource.aws_lambda_function)[0];

  it("runs a Node 22 arm64 function, one invocation at a time, with a DLQ and no retries", () => {
    expect(fn).toMatchObject({
      function_name: "test-ebs-reaper",
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      reserved_concurrent_executions: 1,
      timeout: 900,
    });
    expect(fn.dead_letter_config.target_arn).toMatch(/\$\{aws_sqs_queue\..*\.arn\}/);
    expect(fn.kms_key_arn).toMatch(/\$\{aws_kms_key\..*\.arn\}/);
    expect(only(json.resource.aws_lambda_function_event_invoke_config)[0]).toMatchObject({ maximum_retry_attempts: 0 });
  });

  it("passes the checked settings and the topic to the function", () => {
    const settings = JSON.parse(fn.environment.variables.REAPER_SETTINGS);
    expect(settings).toMatchObject({ accounts: ["111122223333", "444455556666"], roleName: "ebs-reaper-member", graceDays: 7, defaultRecipient: "platform" });
    expect(settings.prices.gp3).toBe(0.08);
    expect(fn.environment.variables.REAPER_TOPIC_ARN).toMatch(/\$\{aws_sns_topic\..*\.arn\}/);
  });

  it("encrypts the topic, the dead-letter queue and the log group with its own rotating key", () => {
    expect(only(json.resource.aws_sns_topic)[0].kms_master_key_id).toMatch(/\$\{aws_kms_key\..*\.arn\}/);
    expect(only(json.resource.aws_sqs_queue)[0]).toMatchObject({ name: "test-ebs-reaper-dlq", kms_master_key_id: expect.stringMatching(/aws_kms_key/) });
    expect(only(json.resource.aws_cloudwatch_log_group)[0]).toMatchObject({
      name: "/aws/lambda/test-ebs-reaper",
      retention_in_days: 90,
      kms_key_id: expect.stringMatching(/aws_kms_key/),
    });
    expect(only(json.resource.aws_kms_key)[0]).toMatchObject({ enable_key_rotation: true });
    expect(fn.logging_config.log_group).toMatch(/aws_cloudwatch_log_group\..*\.name/);
  });

  it("schedules a scan and a later reap, each allowed to invoke only through its own rule", () => {
    const rules = Object.fromEntries(only(json.resource.aws_cloudwatch_event_rule).map((r: any) => [r.name, r.schedule_expression]));
    expect(rules).toEqual({ "test-ebs-reaper-scan": "cron(0 6 ? * MON-FRI *)", "test-ebs-reaper-reap": "cron(0 8 ? * MON-FRI *)" });
    const inputs = only(json.resource.aws_cloudwatch_event_target).map((t: any) => JSON.parse(t.input).mode);
    expect(inputs.sort()).toEqual(["reap", "scan"]);
    const permissions = only(json.resource.aws_lambda_permission);
    expect(permissions).toHaveLength(2);
    for (const p of permissions) expect(p).toMatchObject({ principal: "events.amazonaws.com", source_arn: expect.stringMatching(/aws_cloudwatch_event_rule/) });
  });

  describe("its EC2 permissions, evaluated as IAM would (explicit Deny wins, conditions AND-ed)", () => {
    const statements = only(json.data.aws_iam_policy_document).flatMap((doc: any) => doc.statement);
    const volume = "arn:aws:ec2:eu-west-1:111122223333:volume/vol-1";
    const may = (action: string, request: Omit<Request, "action">) => allowed(statements, { action, ...request });
    const MARK = "2026-11-20T06:00:00.000Z";

    it("writes and removes only its own tag keys, always named: it can neither approve nor drop a keep", () => {
      expect(may("ec2:CreateTags", { resource: volume, tagKeys: ["ebs-reaper:marked-at"] })).toBe(true);
      expect(may("ec2:DeleteTags", { resource: volume, tagKeys: ["ebs-reaper:marked-at", "ebs-reaper:snapshot-id"] })).toBe(true);
      expect(may("ec2:CreateTags", { resource: volume, tagKeys: ["ebs-reaper:approved"] })).toBe(false);
      expect(may("ec2:CreateTags", { resource: volume, tagKeys: ["ebs-reaper:marked-at", "ebs-reaper:approved"] })).toBe(false);
      expect(may("ec2:DeleteTags", { resource: volume, tagKeys: ["ebs-reaper:keep"] })).toBe(false);
      expect(may("ec2:CreateTags", { resource: volume, tagKeys: ["owner"] })).toBe(false);
      // DeleteTags without a Tags list removes every tag; aws:TagKeys is then absent.
      expect(may("ec2:DeleteTags", { resource: volume })).toBe(false);
    });

    it("deletes only volumes approved with a mark value, never a kept one", () => {
      expect(may("ec2:DeleteVolume", { resource: volume, resourceTags: { "ebs-reaper:marked-at": MARK, "ebs-reaper:approved": MARK } })).toBe(true);
      expect(may("ec2:DeleteVolume", { resource: volume, resourceTags: { "ebs-reaper:marked-at": MARK } })).toBe(false);
      expect(may("ec2:DeleteVolume", { resource: volume, resourceTags: { "ebs-reaper:approved": "true" } })).toBe(false);
      expect(may("ec2:DeleteVolume", { resource: volume, resourceTags: { "ebs-reaper:approved": MARK, "ebs-reaper:keep": "TRUE" } })).toBe(false);
    });
  });

  it("assumes only the member roles of other accounts, and tags snapshots only while creating them", () => {
    expect(statement(json, "AssumeMemberRolesOnly")).toMatchObject({
      actions: ["sts:AssumeRole"],
      resources: [expect.stringMatching(/^arn:\$\{data\.aws_partition\..*\.partition\}:iam::444455556666:role\/ebs-reaper-member$/)],
    });
    expect(statement(json, "TagFinalSnapshotOnCreate").condition).toEqual([{ test: "StringEquals", variable: "ec2:CreateAction", values: ["CreateSnapshot"] }]);
    expect(statement(json, "Discover").actions).toEqual(["ec2:DescribeVolumes", "ec2:DescribeSnapshots", "ec2:DescribeRegions"]);
  });

  it("ships the bundled handler as a zip asset whose hash is known at synth", () => {
    expect(fn.filename).toMatch(/^assets\/.*\.zip$/);
    expect(fn.source_code_hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});

describe("EbsReaper options", () => {
  it("takes schedules, grace days, regions, prices, role name and retention", () => {
    const { json } = synth({
      scanSchedule: "rate(1 day)",
      reapSchedule: "cron(30 9 ? * MON *)",
      graceDays: 14,
      regions: ["eu-central-1"],
      prices: { gp3: 0.1 },
      memberRoleName: "reaper",
      logRetentionDays: 30,
    });
    const rules = Object.fromEntries(only(json.resource.aws_cloudwatch_event_rule).map((r: any) => [r.name, r.schedule_expression]));
    expect(rules).toEqual({ "test-ebs-reaper-scan": "rate(1 day)", "test-ebs-reaper-reap": "cron(30 9 ? * MON *)" });
    const settings = JSON.parse(only(json.resource.aws_lambda_function)[0].environment.variables.REAPER_SETTINGS);
    expect(settings).toMatchObject({ graceDays: 14, regions: ["eu-central-1"], prices: { gp3: 0.1 }, roleName: "reaper" });
    expect(statement(json, "AssumeMemberRolesOnly").resources[0]).toMatch(/:role\/reaper$/);
    expect(only(json.resource.aws_cloudwatch_log_group)[0].retention_in_days).toBe(30);
  });

  it("subscribes each owner's email with a filter on the owner attribute", () => {
    const { json } = synth({ notificationEmails: { payments: "payments@example.com" } });
    expect(only(json.resource.aws_sns_topic_subscription)[0]).toMatchObject({
      protocol: "email",
      endpoint: "payments@example.com",
      filter_policy: JSON.stringify({ owner: ["payments"] }),
    });
  });

  it("grants no sts:AssumeRole when the only member is its own account", () => {
    const { json } = synth({ memberAccountIds: ["111122223333"] });
    expect(statement(json, "AssumeMemberRolesOnly")).toBeUndefined();
  });
});

describe("EbsReaper rejected input", () => {
  it.each([
    [{ memberAccountIds: [] }, /memberAccountIds is empty/],
    [{ memberAccountIds: ["1234"] }, /^s\/reaper: memberAccountIds: account "1234" is not a 12-digit AWS account id/],
    [{ regions: ["moon-1"] }, /regions: region "moon-1" is not an AWS region name/],
    [{ graceDays: 0 }, /graceDays: grace days 0 must be a whole number of days, 1 or more/],
    [{ memberRoleName: "no spaces" }, /memberRoleName: role name "no spaces" is not a valid IAM role name/],
    [{ prices: { gp3: -1 } }, /prices: price for volume type "gp3" is -1/],
    [{ defaultRecipient: " " }, /defaultRecipient: default recipient is empty/],
    [{ scanSchedule: "every day" }, /scanSchedule "every day" is not an EventBridge schedule/],
    [{ reapSchedule: "cron(0 8 * * *)" }, /reapSchedule "cron\(0 8 \* \* \*\)" is not an EventBridge schedule/],
    [{ notificationEmails: { payments: "nobody" } }, /notificationEmails.payments "nobody" is not an email address/],
    [{ logRetentionDays: 10 }, /retentionDays 10 .* is not accepted by CloudWatch/],
    [{ name: "has space" }, /name "has space" must be 1-56 letters/],
  ])("rejects %j", (props, message) => {
    expect(() => new EbsReaper(emptyStack(), "reaper", { ...PROPS, ...props } as EbsReaperProps)).toThrow(message);
  });
});

describe("ReaperMemberRole", () => {
  it("trusts only the reaper's role and grants the same EC2 permissions", () => {
    const stack = emptyStack();
    new ReaperMemberRole(stack, "member", { reaperRoleArn: "arn:aws:iam::111122223333:role/test-ebs-reaper" });
    const json = synthJson(stack);
    expect(only(json.resource.aws_iam_role)[0].name).toBe("ebs-reaper-member");
    expect(statement(json, "OnlyTheReaper")).toMatchObject({
      actions: ["sts:AssumeRole"],
      principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111122223333:role/test-ebs-reaper"] }],
    });
    expect(statement(json, "DeleteApprovedVolumesOnly").condition[0].variable).toBe("aws:ResourceTag/ebs-reaper:approved");
    expect(statement(json, "NeverDeleteKeptVolumes")).toMatchObject({ effect: "Deny", actions: ["ec2:DeleteVolume"] });
  });

  it.each([
    [{ reaperRoleArn: "arn:aws:iam::111122223333:user/bob" }, /reaperRoleArn "arn:aws:iam::111122223333:user\/bob" is not an IAM role ARN/],
    [{ reaperRoleArn: "arn:aws:iam::111122223333:role/r", roleName: "a b" }, /roleName "a b" is not a valid IAM role name/],
  ])("rejects %j", (props, message) => {
    expect(() => new ReaperMemberRole(emptyStack(), "member", props)).toThrow(message);
  });
});

describe("bundleLambda", () => {
  // The bundle is built at most once per process: every later reaper reuses it instead of running
  // esbuild again. (Its speed is measured by `npm run bench`, not asserted here.)
  it("synthesizes two stacks from one bundle", () => {
    const app = Testing.app();
    const stacks = ["a", "b"].map((id) => new TerraformStack(app, id));
    for (const stack of stacks) new EbsReaper(stack, "reaper", PROPS);
    const again = bundleLambda(moduleFile(join(__dirname, "../../../../constructs/aws/cost"), "../../../lambdas/ebs-reaper/handler"));
    expect(again.cached).toBe(true);
    const functions = stacks.map((stack) => only(synthJson(stack).resource.aws_lambda_function)[0]);
    expect(functions.map((fn) => fn.source_code_hash)).toEqual([again.zipSha256, again.zipSha256]);
  });
});
