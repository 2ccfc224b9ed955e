import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { checkSettings, DEFAULT_PRICES, REAPER_DEFAULTS, ReaperSettings, SettingError } from "../../../lambdas/ebs-reaper/config";
import { bundleLambda, LAMBDA_RUNTIME, moduleFile } from "../../core/bundle";
import { ConfigError } from "../../errors";
import { EncryptionKey } from "../kms/encryption-key";
import { EncryptedLogGroup, logsKeyStatement } from "../logs/encrypted-log-group";
import { reaperEc2Statements } from "./reaper-permissions";

/** Settings of an EbsReaper; the runtime ones are checked with the same rules as the CLI and Lambda. */
export interface EbsReaperProps {
  /** Name of the function, topic, queue, key alias and schedules, e.g. "test-ebs-reaper". */
  readonly name: string;
  /** Region the reaper is deployed in (for the log group's key policy). */
  readonly region: string;
  /** Account the reaper is deployed in; if it is also a member, it is scanned with the function's own role. */
  readonly accountId: string;
  /** Member accounts to scan; each needs a ReaperMemberRole named `memberRoleName`. */
  readonly memberAccountIds: readonly string[];
  /**
   * Role assumed in member accounts.
   * @default REAPER_DEFAULTS.roleName ("ebs-reaper-member")
   */
  readonly memberRoleName?: string;
  /**
   * Regions to scan in each account.
   * @default every region enabled in the account
   */
  readonly regions?: readonly string[];
  /**
   * Days a volume stays marked before it may be deleted (with its owner's approval).
   * @default REAPER_DEFAULTS.graceDays (7)
   */
  readonly graceDays?: number;
  /**
   * USD per GiB-month by volume type, for the cost shown to owners.
   * @default DEFAULT_PRICES (us-east-1 list prices)
   */
  readonly prices?: Readonly<Record<string, number>>;
  /** Recipient of reports for volumes without an `owner` or `team` tag. */
  readonly defaultRecipient: string;
  /**
   * Email subscriptions by owner; each receives only reports for that owner.
   * @default none (subscribe later, filtering on the `owner` message attribute)
   */
  readonly notificationEmails?: Readonly<Record<string, string>>;
  /**
   * When to scan (EventBridge schedule expression, UTC).
   * @default "cron(0 6 ? * MON-FRI *)"
   */
  readonly scanSchedule?: string;
  /**
   * When to reap; after the scan, so a volume attached since is unmarked first.
   * @default "cron(0 8 ? * MON-FRI *)"
   */
  readonly reapSchedule?: string;
  /**
   * Days to keep the function's logs (a CloudWatch-accepted value).
   * @default 90
   */
  readonly logRetentionDays?: number;
}

const DEFAULT_SCAN_SCHEDULE = "cron(0 6 ? * MON-FRI *)";
const DEFAULT_REAP_SCHEDULE = "cron(0 8 ? * MON-FRI *)";
const DEFAULT_LOG_RETENTION_DAYS = 90;
const SCHEDULE_PATTERN = /^(cron\(\S+( \S+){5}\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/;
const NAME_PATTERN = /^[a-zA-Z0-9-_]{1,56}$/;
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** A run waits for final snapshots; 15 minutes is Lambda's ceiling, the handler keeps a margin. */
const TIMEOUT_SECONDS = 900;
/** The handler, relative to this file: the same layout in the checkout, dist/ and the package. */
const HANDLER_MODULE = "../../../lambdas/ebs-reaper/handler";

/**
 * The scheduled EBS reaper: a Node 22 arm64 Lambda (bundled with esbuild at synth) that scans
 * member accounts for unattached volumes and reports them to their owners, and deletes (after a
 * final snapshot) only those the owners approved. One run at a time (reserved concurrency 1),
 * failed runs land in an encrypted dead-letter queue, logs and reports are KMS-encrypted.
 */
export class EbsReaper extends Construct {
  /** The function. */
  public readonly function: LambdaFunction;
  /** The function's role; member accounts trust it (ReaperMemberRole's `reaperRoleArn`). */
  public readonly role: IamRole;
  /** Owner reports; subscribe with a filter policy on the `owner` message attribute. */
  public readonly topic: SnsTopic;
  /** Events of failed runs. */
  public readonly deadLetterQueue: SqsQueue;
  /** Key encrypting logs, topic, queue and the function's environment. */
  public readonly key: EncryptionKey;
  /** The function's log group. */
  public readonly logGroup: EncryptedLogGroup;
  /** The schedules, by mode. */
  public readonly schedules: {
    /** Marks and reports unattached volumes. */
    readonly scan: CloudwatchEventRule;
    /** Snapshots and deletes approved volumes past the grace period. */
    readonly reap: CloudwatchEventRule;
  };

  constructor(scope: Construct, id: string, props: EbsReaperProps) {
    super(scope, id);
    const settings = this.checkProps(props);
    const scanSchedule = props.scanSchedule ?? DEFAULT_SCAN_SCHEDULE;
    const reapSchedule = props.reapSchedule ?? DEFAULT_REAP_SCHEDULE;
    for (const [field, value] of [["scanSchedule", scanSchedule], ["reapSchedule", reapSchedule]] as const) {
      if (!SCHEDULE_PATTERN.test(value)) {
        throw new ConfigError(`${field} "${value}" is not an EventBridge schedule; use cron(min hour day month weekday year) or rate(N unit)`, this);
      }
    }
    const name = props.name;
    const partition = new DataAwsPartition(this, "partition");

    this.key = new EncryptionKey(this, "key", {
      alias: name,
      description: `${name}: logs, reports, dead letters and settings of the EBS reaper`,
      statements: [logsKeyStatement(props.region, props.accountId)],
    });
    this.logGroup = new EncryptedLogGroup(this, "logs", {
      name: `/aws/lambda/${name}`,
      kmsKeyArn: this.key.arn,
      retentionDays: props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
    });
    this.topic = new SnsTopic(this, "topic", { name, kmsMasterKeyId: this.key.arn });
    for (const [owner, email] of Object.entries(props.notificationEmails ?? {})) {
      if (!EMAIL_PATTERN.test(email)) {
        throw new ConfigError(`notificationEmails.${owner} "${email}" is not an email address; give one like team@example.com`, this);
      }
      new SnsTopicSubscription(this, `email-${owner}`, {
        topicArn: this.topic.arn,
        protocol: "email",
        endpoint: email,
        filterPolicy: JSON.stringify({ owner: [owner] }),
      });
    }
    this.deadLetterQueue = new SqsQueue(this, "dlq", {
      name: `${name}-dlq`,
      kmsMasterKeyId: this.key.arn,
      messageRetentionSeconds: 1_209_600,
    });

    this.role = this.createRole(name, props, partition.partition);

    const bundle = bundleLambda(moduleFile(__dirname, HANDLER_MODULE));
    const code = new TerraformAsset(this, "code", { path: bundle.zipPath, type: AssetType.FILE });
    this.function = new LambdaFunction(this, "function", {
      functionName: name,
      description: "EBS reaper: reports unattached volumes to owners, deletes owner-approved ones after a final snapshot",
      role: this.role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: ["arm64"],
      handler: "index.handler",
      filename: code.path,
      sourceCodeHash: bundle.zipSha256,
      timeout: TIMEOUT_SECONDS,
      memorySize: 512,
      // Scan and reap must never overlap, nor two reaps race on the same volume.
      reservedConcurrentExecutions: 1,
      kmsKeyArn: this.key.arn,
      // The topic ARN is a separate variable: it is only known to terraform, not at synth.
      environment: { variables: { REAPER_SETTINGS: JSON.stringify(settings), REAPER_TOPIC_ARN: this.topic.arn } },
      deadLetterConfig: { targetArn: this.deadLetterQueue.arn },
      loggingConfig: { logFormat: "Text", logGroup: this.logGroup.logGroup.name },
      dependsOn: [this.logGroup.logGroup],
    });
    // A failed run is not retried (a retried scan would mail owners twice); it goes to the DLQ
    // and the next schedule picks up where it left off.
    new LambdaFunctionEventInvokeConfig(this, "invoke-config", {
      functionName: this.function.functionName,
      maximumRetryAttempts: 0,
      maximumEventAgeInSeconds: 3600,
    });
    this.schedules = {
      scan: this.schedule(name, "scan", scanSchedule),
      reap: this.schedule(name, "reap", reapSchedule),
    };
  }

  private checkProps(props: EbsReaperProps): ReaperSettings & { accounts: readonly string[] } {
    if (!NAME_PATTERN.test(props.name)) {
      throw new ConfigError(`name "${props.name}" must be 1-56 letters, digits, - or _ (it names the function, topic and queue)`, this);
    }
    if (props.memberAccountIds.length === 0) {
      throw new ConfigError("memberAccountIds is empty; list the accounts to scan (the reaper's own account may be one of them)", this);
    }
    try {
      const settings = checkSettings({
        accounts: [...new Set(props.memberAccountIds)],
        regions: props.regions,
        roleName: props.memberRoleName ?? REAPER_DEFAULTS.roleName,
        graceDays: props.graceDays ?? REAPER_DEFAULTS.graceDays,
        prices: props.prices ?? DEFAULT_PRICES,
        defaultRecipient: props.defaultRecipient,
      });
      return { ...settings, accounts: settings.accounts ?? [] };
    } catch (error) {
      if (error instanceof SettingError) throw new ConfigError(`${PROP_OF_SETTING[error.setting]}: ${error.message}`, this);
      throw error;
    }
  }

  private createRole(name: string, props: EbsReaperProps, partition: string): IamRole {
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
        },
      ],
    });
    const role = new IamRole(this, "role", { name, assumeRolePolicy: trust.json });
    const roleName = props.memberRoleName ?? REAPER_DEFAULTS.roleName;
    const memberRoles = props.memberAccountIds
      .filter((account) => account !== props.accountId)
      .map((account) => `arn:${partition}:iam::${account}:role/${roleName}`);
    const policy = new DataAwsIamPolicyDocument(this, "permissions", {
      statement: [
        ...reaperEc2Statements(partition),
        ...(memberRoles.length > 0 ? [{ sid: "AssumeMemberRolesOnly", actions: ["sts:AssumeRole"], resources: memberRoles }] : []),
        { sid: "WriteOwnLogs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${this.logGroup.arn}:*`] },
        { sid: "PublishReports", actions: ["sns:Publish"], resources: [this.topic.arn] },
        { sid: "DeadLetters", actions: ["sqs:SendMessage"], resources: [this.deadLetterQueue.arn] },
        { sid: "UseOwnKey", actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [this.key.arn] },
      ],
    });
    new IamRolePolicy(this, "policy", { name, role: role.id, policy: policy.json });
    return role;
  }

  private schedule(name: string, mode: "scan" | "reap", expression: string): CloudwatchEventRule {
    const rule = new CloudwatchEventRule(this, `${mode}-schedule`, {
      name: `${name}-${mode}`,
      description: `EBS reaper ${mode}`,
      scheduleExpression: expression,
    });
    new CloudwatchEventTarget(this, `${mode}-target`, {
      rule: rule.name,
      arn: this.function.arn,
      input: JSON.stringify({ mode }),
    });
    new LambdaPermission(this, `${mode}-permission`, {
      statementId: `ebs-reaper-${mode}`,
      action: "lambda:InvokeFunction",
      functionName: this.function.functionName,
      principal: "events.amazonaws.com",
      sourceArn: rule.arn,
    });
    return rule;
  }
}

/** Which prop each runtime setting comes from, for error messages. */
const PROP_OF_SETTING: Record<keyof ReaperSettings, string> = {
  accounts: "memberAccountIds",
  regions: "regions",
  roleName: "memberRoleName",
  graceDays: "graceDays",
  prices: "prices",
  defaultRecipient: "defaultRecipient",
  topicArn: "topicArn",
};
