import { ecrImmutableTags } from "../../../../constructs/policy/rules/aws/ecr-immutable-tags";
import { ecrKmsEncryption } from "../../../../constructs/policy/rules/aws/ecr-kms-encryption";
import { ecrScanOnPush } from "../../../../constructs/policy/rules/aws/ecr-scan-on-push";
import { eksControlPlaneLogs } from "../../../../constructs/policy/rules/aws/eks-control-plane-logs";
import { eksEndpointRestricted } from "../../../../constructs/policy/rules/aws/eks-endpoint-restricted";
import { eksSecretsEncryption } from "../../../../constructs/policy/rules/aws/eks-secrets-encryption";
import { iamNoAdminWildcard } from "../../../../constructs/policy/rules/aws/iam-no-admin-wildcard";
import { iamNoWildcardTrust } from "../../../../constructs/policy/rules/aws/iam-no-wildcard-trust";
import { imdsHopLimitOne } from "../../../../constructs/policy/rules/aws/imds-hop-limit-one";
import { imdsv2Required } from "../../../../constructs/policy/rules/aws/imdsv2-required";
import { kmsKeyRotation } from "../../../../constructs/policy/rules/aws/kms-key-rotation";
import { logGroupKms } from "../../../../constructs/policy/rules/aws/log-group-kms";
import { logGroupRetention } from "../../../../constructs/policy/rules/aws/log-group-retention";
import { s3AccessLogging } from "../../../../constructs/policy/rules/aws/s3-access-logging";
import { s3DenyPutWithoutKey } from "../../../../constructs/policy/rules/aws/s3-deny-put-without-key";
import { serviceTrustSourceAccount } from "../../../../constructs/policy/rules/aws/service-trust-source-account";
import { s3KmsEncryption } from "../../../../constructs/policy/rules/aws/s3-kms-encryption";
import { s3PublicAccessBlock } from "../../../../constructs/policy/rules/aws/s3-public-access-block";
import { s3TlsOnly } from "../../../../constructs/policy/rules/aws/s3-tls-only";
import { s3Versioning } from "../../../../constructs/policy/rules/aws/s3-versioning";
import { vpcFlowLogs } from "../../../../constructs/policy/rules/aws/vpc-flow-logs";
import { res, RuleCases } from "../fixtures";

const KEY = "${aws_kms_key.key.arn}";
const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
const cluster = (extra: Record<string, unknown>) =>
  res("aws_eks_cluster", "cluster", {
    name: "test",
    enabled_cluster_log_types: LOG_TYPES,
    encryption_config: { provider: { key_arn: KEY }, resources: ["secrets"] },
    vpc_config: { endpoint_private_access: true, endpoint_public_access: false },
    ...extra,
  });
const repo = (extra: Record<string, unknown>) =>
  res("aws_ecr_repository", "repo", {
    name: "payments-api",
    image_tag_mutability: "IMMUTABLE",
    image_scanning_configuration: { scan_on_push: true },
    encryption_configuration: [{ encryption_type: "KMS", kms_key: KEY }],
    ...extra,
  });
const bucket = res("aws_s3_bucket", "bucket", { bucket: "fintech-state" });
const bucketRef = "${aws_s3_bucket.bucket.id}";
const otherBucket = res("aws_s3_bucket", "bucket2", { bucket: "other" });
const tlsDocument = res(
  "aws_iam_policy_document",
  "tls",
  {
    statement: [
      {
        effect: "Deny",
        actions: ["s3:*"],
        resources: ["${aws_s3_bucket.bucket.arn}", "${aws_s3_bucket.bucket.arn}/*"],
        principals: [{ type: "*", identifiers: ["*"] }],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
    ],
  },
  "data",
);
const policyDocument = (statement: Record<string, unknown>) => res("aws_iam_policy_document", "doc", { statement: [statement] }, "data");
const vpc = res("aws_vpc", "vpc", { cidr_block: "10.0.0.0/16" });
const denyPut = (variable: string, value: string) => ({
  effect: "Deny",
  actions: ["s3:PutObject"],
  resources: ["${aws_s3_bucket.bucket.arn}/*"],
  principals: [{ type: "*", identifiers: ["*"] }],
  condition: [{ test: "StringNotEquals", variable, values: [value] }],
});
/** A bucket encrypted by default with KEY whose policy document holds `statements`. */
const kmsBucketWithDenies = (...statements: Record<string, unknown>[]) => [
  res("aws_s3_bucket_server_side_encryption_configuration", "sse", { bucket: bucketRef, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: KEY } }] }),
  res("aws_s3_bucket_policy", "p", { bucket: bucketRef, policy: "${data.aws_iam_policy_document.puts.json}" }),
  res("aws_iam_policy_document", "puts", { statement: statements }, "data"),
];

/** One compliant and one non-compliant case per AWS rule. */
export const AWS_CASES: RuleCases[] = [
  {
    rule: eksSecretsEncryption,
    compliant: { target: cluster({}) },
    nonCompliant: { target: cluster({ encryption_config: undefined }) },
    message: /no encryption_config covers "secrets"/,
  },
  {
    rule: eksControlPlaneLogs,
    compliant: { target: cluster({}) },
    nonCompliant: { target: cluster({ enabled_cluster_log_types: ["api", "audit"] }) },
    message: /lacks authenticator, controllerManager, scheduler/,
  },
  {
    rule: eksEndpointRestricted,
    compliant: { target: cluster({ vpc_config: { endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] } }) },
    nonCompliant: { target: cluster({ vpc_config: { endpoint_public_access: true, public_access_cidrs: ["0.0.0.0/0"] } }) },
    message: /public_access_cidrs includes 0\.0\.0\.0\/0/,
  },
  {
    rule: imdsv2Required,
    compliant: { target: res("aws_launch_template", "lt", { metadata_options: { http_tokens: "required", http_put_response_hop_limit: 2 } }) },
    nonCompliant: { target: res("aws_launch_template", "lt", { metadata_options: { http_tokens: "optional" } }) },
    message: /http_tokens is "optional"/,
  },
  {
    rule: imdsHopLimitOne,
    compliant: { target: res("aws_launch_template", "lt", { metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 } }) },
    nonCompliant: { target: res("aws_launch_template", "lt", { metadata_options: { http_tokens: "required", http_put_response_hop_limit: 2 } }) },
    message: /http_put_response_hop_limit is 2 \(pods can reach IMDS/,
  },
  {
    rule: ecrImmutableTags,
    compliant: { target: repo({}) },
    nonCompliant: { target: repo({ image_tag_mutability: undefined }) },
    message: /image_tag_mutability is "MUTABLE"/,
  },
  {
    rule: ecrScanOnPush,
    compliant: {
      target: repo({ image_scanning_configuration: undefined }),
      others: [res("aws_ecr_registry_scanning_configuration", "scan", { scan_type: "ENHANCED", rule: [{ scan_frequency: "CONTINUOUS_SCAN" }] })],
    },
    nonCompliant: { target: repo({ image_scanning_configuration: { scan_on_push: false } }) },
    message: /scan_on_push is not true/,
  },
  {
    rule: ecrKmsEncryption,
    compliant: { target: repo({}) },
    nonCompliant: { target: repo({ encryption_configuration: [{ encryption_type: "KMS" }] }) },
    message: /kms_key is unset/,
  },
  {
    rule: s3Versioning,
    compliant: { target: bucket, others: [res("aws_s3_bucket_versioning", "v", { bucket: bucketRef, versioning_configuration: { status: "Enabled" } })] },
    nonCompliant: {
      target: bucket,
      others: [res("aws_s3_bucket_versioning", "v", { bucket: "${aws_s3_bucket.bucket2.id}", versioning_configuration: { status: "Enabled" } }), otherBucket],
    },
    message: /no aws_s3_bucket_versioning/,
  },
  {
    rule: s3KmsEncryption,
    compliant: {
      target: bucket,
      others: [
        res("aws_s3_bucket_server_side_encryption_configuration", "sse", {
          bucket: "fintech-state",
          rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: KEY } }],
        }),
      ],
    },
    nonCompliant: {
      target: bucket,
      others: [
        res("aws_s3_bucket_server_side_encryption_configuration", "sse", {
          bucket: bucketRef,
          rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
        }),
      ],
    },
    message: /sse_algorithm aws:kms/,
  },
  {
    rule: s3TlsOnly,
    compliant: {
      target: bucket,
      others: [res("aws_s3_bucket_policy", "p", { bucket: bucketRef, policy: "${data.aws_iam_policy_document.tls.json}" }), tlsDocument],
    },
    nonCompliant: {
      target: bucket,
      others: [
        res("aws_s3_bucket_policy", "p", {
          bucket: bucketRef,
          policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "s3:GetObject", Resource: "*" }] }),
        }),
      ],
    },
    message: /no Deny statement on aws:SecureTransport/,
  },
  {
    rule: s3PublicAccessBlock,
    compliant: {
      target: bucket,
      others: [
        res("aws_s3_bucket_public_access_block", "pab", {
          bucket: bucketRef,
          block_public_acls: true,
          block_public_policy: true,
          ignore_public_acls: true,
          restrict_public_buckets: true,
        }),
      ],
    },
    nonCompliant: {
      target: bucket,
      others: [res("aws_s3_bucket_public_access_block", "pab", { bucket: bucketRef, block_public_acls: true, block_public_policy: true, ignore_public_acls: true })],
    },
    message: /restrict_public_buckets is not true/,
  },
  {
    rule: s3AccessLogging,
    compliant: { target: bucket, others: [res("aws_s3_bucket_logging", "l", { bucket: bucketRef, target_bucket: "${aws_s3_bucket.bucket2.id}" }), otherBucket] },
    nonCompliant: { target: bucket, others: [res("aws_s3_bucket_logging", "l", { bucket: bucketRef, target_bucket: bucketRef })] },
    message: /aws_s3_bucket_logging targets the bucket itself/,
  },
  {
    rule: s3DenyPutWithoutKey,
    compliant: { target: bucket, others: kmsBucketWithDenies(denyPut("s3:x-amz-server-side-encryption", "aws:kms"), denyPut("s3:x-amz-server-side-encryption-aws-kms-key-id", KEY)) },
    nonCompliant: { target: bucket, others: kmsBucketWithDenies(denyPut("s3:x-amz-server-side-encryption", "aws:kms")) },
    message: /no Deny of s3:PutObject when s3:x-amz-server-side-encryption-aws-kms-key-id is not \$\{aws_kms_key\.key\.arn\}/,
  },
  {
    rule: serviceTrustSourceAccount,
    compliant: {
      target: policyDocument({
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["111122223333"] }],
      }),
    },
    nonCompliant: { target: policyDocument({ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }] }) },
    message: /"vpc-flow-logs\.amazonaws\.com" is trusted without aws:SourceAccount/,
  },
  {
    rule: kmsKeyRotation,
    compliant: { target: res("aws_kms_key", "key", { enable_key_rotation: true, rotation_period_in_days: 365 }) },
    nonCompliant: { target: res("aws_kms_key", "key", { description: "no rotation" }) },
    message: /enable_key_rotation is not true/,
  },
  {
    rule: iamNoAdminWildcard,
    compliant: { target: policyDocument({ actions: ["kms:*"], resources: ["*"], principals: [{ type: "AWS", identifiers: ["arn:aws:iam::1:root"] }] }) },
    nonCompliant: {
      target: res("aws_iam_role_policy", "admin", { role: "x", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) }),
    },
    message: /allows Action "\*" on Resource "\*"/,
  },
  {
    rule: iamNoWildcardTrust,
    compliant: {
      target: policyDocument({
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: ["${aws_iam_openid_connect_provider.github.arn}"] }],
      }),
    },
    nonCompliant: {
      target: res("aws_iam_role", "role", {
        assume_role_policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }] }),
      }),
    },
    message: /principal "\*" may sts:AssumeRole/,
  },
  {
    rule: vpcFlowLogs,
    compliant: { target: vpc, others: [res("aws_flow_log", "fl", { vpc_id: "${aws_vpc.vpc.id}", traffic_type: "ALL" })] },
    nonCompliant: { target: vpc, others: [res("aws_flow_log", "fl", { vpc_id: "${aws_vpc.vpc2.id}", traffic_type: "ALL" })] },
    message: /no aws_flow_log references this VPC/,
  },
  {
    rule: logGroupKms,
    compliant: { target: res("aws_cloudwatch_log_group", "lg", { kms_key_id: KEY, retention_in_days: 30 }) },
    nonCompliant: { target: res("aws_cloudwatch_log_group", "lg", { retention_in_days: 30 }) },
    message: /kms_key_id is unset/,
  },
  {
    rule: logGroupRetention,
    compliant: { target: res("aws_cloudwatch_log_group", "lg", { kms_key_id: KEY, retention_in_days: 90 }) },
    nonCompliant: { target: res("aws_cloudwatch_log_group", "lg", { kms_key_id: KEY, retention_in_days: 0 }) },
    message: /retention_in_days is 0/,
  },
];
