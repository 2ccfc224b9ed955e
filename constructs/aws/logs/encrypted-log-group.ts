import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { Construct } from "constructs";
import { ConfigError } from "../../errors";

/** Props of {@link EncryptedLogGroup}. */
export interface EncryptedLogGroupProps {
  /** Log group name, e.g. "/aws/eks/test-platform/cluster". */
  readonly name: string;
  /** KMS key ARN; the key policy must let the CloudWatch Logs service use it. */
  readonly kmsKeyArn: string;
  /** Days to keep events. Must be a value CloudWatch accepts. */
  readonly retentionDays: number;
}

/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** A CloudWatch log group that is always KMS-encrypted and always expires its events. */
export class EncryptedLogGroup extends Construct {
  /** The log group resource. */
  public readonly logGroup: CloudwatchLogGroup;
  /** Log group ARN. */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(props.retentionDays)) {
      throw new ConfigError(
        `retentionDays ${props.retentionDays} for log group "${props.name}" is not accepted by CloudWatch; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
        this,
      );
    }
    this.logGroup = new CloudwatchLogGroup(this, "group", {
      name: props.name,
      retentionInDays: props.retentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    this.arn = this.logGroup.arn;
  }
}

/** Key-policy statement letting CloudWatch Logs in `region` encrypt log groups of this account. */
export function logsKeyStatement(region: string, accountId: string): DataAwsIamPolicyDocumentStatement {
  return {
    sid: "CloudWatchLogsUse",
    actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    resources: ["*"],
    principals: [{ type: "Service", identifiers: [`logs.${region}.amazonaws.com`] }],
    condition: [
      {
        test: "ArnLike",
        variable: "kms:EncryptionContext:aws:logs:arn",
        values: [`arn:aws:logs:${region}:${accountId}:log-group:*`],
      },
    ],
  };
}
