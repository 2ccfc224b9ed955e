import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import { ConfigError } from "../../errors";

/** Props of {@link EncryptionKey}. */
export interface EncryptionKeyProps {
  /** Alias without the "alias/" prefix, e.g. "test/eks-secrets". */
  readonly alias: string;
  /** What the key protects; shown in the console and in audits. */
  readonly description: string;
  /**
   * Extra key-policy statements, e.g. letting CloudWatch Logs use the key.
   * The account root always administers the key, so IAM policies can grant use of it.
   * @default none
   */
  readonly statements?: DataAwsIamPolicyDocumentStatement[];
  /**
   * Days before a scheduled deletion takes effect.
   * @default 30
   */
  readonly deletionWindowDays?: number;
}

const DEFAULT_DELETION_WINDOW_DAYS = 30;
const ALIAS_PATTERN = /^[a-zA-Z0-9/_-]{1,250}$/;

/** A customer-managed KMS key with yearly rotation, an alias and an explicit key policy. */
export class EncryptionKey extends Construct {
  /** The key resource. */
  public readonly key: KmsKey;
  /** Key ARN, for encryption settings and IAM policies. */
  public readonly arn: string;
  /** Alias ARN (`arn:...:alias/<alias>`): what a client that only knows the alias sends. */
  public readonly aliasArn: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const deletionWindowDays = props.deletionWindowDays ?? DEFAULT_DELETION_WINDOW_DAYS;
    if (!Number.isInteger(deletionWindowDays) || deletionWindowDays < 7 || deletionWindowDays > 30) {
      throw new ConfigError(`deletionWindowDays must be an integer from 7 to 30, got ${deletionWindowDays}`, this);
    }
    if (!ALIAS_PATTERN.test(props.alias) || props.alias.startsWith("aws/")) {
      throw new ConfigError(`alias "${props.alias}" must be 1-250 of [a-zA-Z0-9/_-] and not start with "aws/"`, this);
    }
    const partition = new DataAwsPartition(this, "partition");
    const caller = new DataAwsCallerIdentity(this, "caller");
    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: [
        {
          sid: "AccountAdministers",
          actions: ["kms:*"],
          resources: ["*"],
          principals: [{ type: "AWS", identifiers: [`arn:${partition.partition}:iam::${caller.accountId}:root`] }],
        },
        ...(props.statements ?? []),
      ],
    });
    this.key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: deletionWindowDays,
      policy: policy.json,
    });
    const alias = new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
    this.aliasArn = alias.arn;
  }
}
