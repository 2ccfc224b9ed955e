/**
 * Everything the e2e run knows the emulator gets wrong, in one reviewed place (docs/e2e.md
 * explains each entry with the emulator's error text).
 *
 * Excluded resource types are checked live: each has a probe that must still show the gap on the
 * running emulator, so the run fails (asking to drop the exclusion) once moto fixes it. Known
 * drifts are tied to the moto version they were measured on and do not apply to any other.
 */
import { EmulatorS3 } from "./emulator-s3";

/** moto version the lists below were measured against. */
export const MEASURED_MOTO_VERSION = "5.2.1";

/** What a probe may use: the running emulator. */
export interface ProbeContext {
  readonly endpoint: string;
  readonly region: string;
  readonly s3: EmulatorS3;
}

/** A probe's finding: whether the gap is still there, and the emulator's own answer as evidence. */
export interface ProbeResult {
  readonly stillBroken: boolean;
  readonly evidence: string;
}

/** A resource type left out of the emulator apply. */
export interface EmulatorExclusion {
  /** Terraform resource type. */
  readonly type: string;
  /** What the emulator does wrong, in one line. */
  readonly why: string;
  /** Show the gap on the running emulator. */
  readonly probe: (ctx: ProbeContext) => Promise<ProbeResult>;
}

/** werkzeug's page for a URL no moto route matches: the API does not exist in the emulator. */
const NO_ROUTE = "The requested URL was not found on the server";

/** GET an EKS path and report whether moto has no route for it at all. */
async function eksRouteMissing(ctx: ProbeContext, path: string): Promise<ProbeResult> {
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, "");
  const response = await fetch(`${ctx.endpoint}${path}`, {
    headers: { authorization: `AWS4-HMAC-SHA256 Credential=emulator/${date}/${ctx.region}/eks/aws4_request, SignedHeaders=host, Signature=unsigned` },
  });
  const body = await response.text();
  const text = body.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim();
  return { stillBroken: response.status === 404 && body.includes(NO_ROUTE), evidence: `GET ${path} -> HTTP ${response.status} "${text.slice(0, 90)}"` };
}

/** Resource types excluded from the emulator apply; still covered by `terraform validate` and unit tests. */
export const EMULATOR_EXCLUSIONS: readonly EmulatorExclusion[] = [
  {
    type: "aws_eks_addon",
    why: "moto has no EKS add-on API (CreateAddon, POST /clusters/{name}/addons, answers HTTP 404)",
    probe: (ctx) => eksRouteMissing(ctx, "/clusters/probe/addons"),
  },
  {
    type: "aws_eks_access_entry",
    why: "moto has no EKS access-entry API (CreateAccessEntry, POST /clusters/{name}/access-entries, answers HTTP 404)",
    probe: (ctx) => eksRouteMissing(ctx, "/clusters/probe/access-entries"),
  },
  {
    type: "aws_eks_access_policy_association",
    why: "moto has no EKS access-entry API (AssociateAccessPolicy, POST /clusters/{name}/access-entries/{arn}/access-policies, answers HTTP 404)",
    probe: (ctx) => eksRouteMissing(ctx, "/clusters/probe/access-entries/probe/access-policies"),
  },
  {
    type: "aws_s3_bucket_policy",
    why:
      "moto enforces bucket policies but skips condition operators it does not implement (only StringEquals is), so the " +
      "state bucket's Deny-unless-aws:SecureTransport statement denies every object request, even over TLS, and the S3 " +
      "backend gets HTTP 403 on HeadObject",
    probe: (ctx) => tlsConditionIgnored(ctx),
  },
  {
    type: "aws_s3_bucket_logging",
    why:
      "server access logging needs the target bucket's policy granting logging.s3.amazonaws.com, and that policy is " +
      "left out with aws_s3_bucket_policy (above); moto checks the grant, so PutBucketLogging answers HTTP 400 " +
      "InvalidTargetBucketForLogging. It can return once bucket policies can",
    probe: (ctx) => tlsConditionIgnored(ctx),
  },
];

/**
 * A throwaway bucket under a Deny-unless-aws:SecureTransport policy: a real bucket answers a HEAD
 * over TLS with 404, moto with 403 while it ignores the condition.
 */
async function tlsConditionIgnored(ctx: ProbeContext): Promise<ProbeResult> {
  const bucket = `e2e-probe-tls-only-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await ctx.s3.createBucket(bucket);
  await ctx.s3.putBucketPolicy(bucket, {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
  const status = await ctx.s3.headStatus(bucket, "probe.tfstate");
  return { stillBroken: status === 403, evidence: `HEAD s3://${bucket}/probe.tfstate under a TLS-only policy -> HTTP ${status} (a real bucket answers 404 over TLS)` };
}

/** One attribute the emulator reads back differently from what was applied. */
export interface KnownDrift {
  /** Terraform resource type. */
  readonly type: string;
  /** Top-level attribute that differs in the plan right after apply. */
  readonly attribute: string;
  /** moto version the drift was observed on. */
  readonly moto: string;
  /** What the emulator does wrong. */
  readonly why: string;
}

/** Drifts accepted in the "plan is clean after apply" check; anything else fails the run. */
export const KNOWN_DRIFTS: readonly KnownDrift[] = [
  {
    type: "aws_kms_key",
    attribute: "rotation_period_in_days",
    moto: MEASURED_MOTO_VERSION,
    why: "GetKeyRotationStatus does not return RotationPeriodInDays, so the provider reads 0 and plans 0 -> 365",
  },
  {
    type: "aws_eks_cluster",
    attribute: "access_config",
    moto: MEASURED_MOTO_VERSION,
    why:
      "DescribeCluster does not return accessConfig, so access_config reads back empty and its " +
      "bootstrap_cluster_creator_admin_permissions forces a replacement (applying that plan crashes the provider)",
  },
  {
    type: "aws_eks_node_group",
    attribute: "remote_access",
    moto: MEASURED_MOTO_VERSION,
    why: 'DescribeNodegroup invents remoteAccess {ec2SshKey: "eksKeypair"} for a node group created without one, which forces a replacement',
  },
  {
    type: "aws_launch_template",
    attribute: "tag_specifications",
    moto: MEASURED_MOTO_VERSION,
    why:
      "DescribeLaunchTemplateVersions returns the template's own tags (CreateLaunchTemplate's launch-template " +
      "TagSpecifications) as an extra LaunchTemplateData.TagSpecifications entry, so the provider plans to remove it",
  },
  {
    type: "aws_lambda_function",
    attribute: "dead_letter_config",
    moto: MEASURED_MOTO_VERSION,
    why: "GetFunction's configuration omits DeadLetterConfig so the provider reads it back empty and plans to set it again",
  },
  {
    type: "aws_lambda_function",
    attribute: "kms_key_arn",
    moto: MEASURED_MOTO_VERSION,
    why: "GetFunction's configuration omits KMSKeyArn so the provider reads it back empty and plans to set it again",
  },
  {
    type: "aws_lambda_function",
    attribute: "logging_config",
    moto: MEASURED_MOTO_VERSION,
    why: "GetFunction's configuration omits LoggingConfig so the provider reads it back empty and plans to set it again",
  },
];
