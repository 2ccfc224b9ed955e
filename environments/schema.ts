/**
 * Typed, validated configuration for every environment.
 *
 * This is the only place where configuration defaults live: constructs receive values that
 * have already been parsed here, and `parseEnvironment` turns any schema violation into a
 * ConfigError naming the environment, the field, the value and the fix.
 */
import { z } from "zod";
import { ConfigError } from "../constructs/errors";

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

/** AWS commercial regions this platform may deploy to. */
export const AWS_REGIONS = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1",
  "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
  "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
  "sa-east-1", "me-central-1", "af-south-1",
] as const;

/** Kubernetes minor versions EKS offers in standard or extended support when this was written. */
export const EKS_VERSIONS = ["1.30", "1.31", "1.32", "1.33", "1.34"] as const;

const cidr = z
  .string()
  .regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, { message: "must be an IPv4 CIDR like 10.0.0.0/16" });

/** Tags every resource carries; the cost reaper and owner notifications depend on them. */
export const tagsSchema = z.object({
  /** Team that owns the resources; notifications go here. */
  owner: z.string().min(1, { message: "must name the owning team" }),
  /** Finance cost center, e.g. "CC-1042". */
  costCenter: z.string().regex(/^CC-\d{3,6}$/, { message: "must look like CC-1042" }),
  /** Repository that manages the resources, "org/repo". */
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { message: "must be org/repo" }),
});
export type Tags = z.infer<typeof tagsSchema>;

const environmentName = z
  .string()
  .regex(/^[a-z][a-z0-9]{1,9}$/, { message: "must be 2-10 lower-case letters or digits, e.g. test" });

// ---------------------------------------------------------------------------------------------
// AWS test environment
// ---------------------------------------------------------------------------------------------

const awsAccountId = z.string().regex(/^\d{12}$/, { message: "must be a 12-digit AWS account id" });

const iamPrincipalArn = z
  .string()
  .regex(/^arn:aws:(iam|sts)::\d{12}:(role|user|assumed-role)\/[\w+=,.@/-]+$/, {
    message: "must be an IAM role or user ARN like arn:aws:iam::123456789012:role/platform-admin",
  });

export const awsNodeGroupSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{1,38}$/, { message: "must be 2-39 chars, lower-case, digits, dashes" }),
  capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND"),
  instanceTypes: z.array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { message: "must be an EC2 instance type like m6i.large" })).min(1),
  minSize: z.number().int().min(0),
  maxSize: z.number().int().min(1),
  desiredSize: z.number().int().min(0),
  diskSizeGiB: z.number().int().min(20).max(16384).default(50),
  labels: z.record(z.string(), z.string()).default({}),
  taints: z
    .array(z.object({ key: z.string(), value: z.string().optional(), effect: z.enum(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]) }))
    .default([]),
});
export type AwsNodeGroupConfig = z.infer<typeof awsNodeGroupSchema>;

export const awsRepositorySchema = z.object({
  name: z.string(),
  keepImages: z.number().default(30),
  untaggedExpiryDays: z.number().default(7),
});
export type AwsRepositoryConfig = z.infer<typeof awsRepositorySchema>;

export const awsTestEnvironmentSchema = z.object({
  name: environmentName,
  cloud: z.literal("aws"),
  region: z.enum(AWS_REGIONS, { message: `must be one of ${AWS_REGIONS.join(", ")}` }),
  accountId: awsAccountId,
  tags: tagsSchema,
  state: z.object({
    /** Globally unique S3 bucket name for this environment's state. */
    bucketName: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: "must be a valid S3 bucket name" }),
    /** Days to keep non-current state versions (the recovery window). */
    noncurrentVersionDays: z.number().int().min(30).default(90),
  }),
  network: z.object({
    vpcCidr: cidr,
    azCount: z.number().int().min(2, { message: "must be at least 2 (EKS needs two AZs)" }).max(6).default(3),
    publicSubnetPrefix: z.number().int().min(16).max(28).default(24),
    privateSubnetPrefix: z.number().int().min(16).max(28).default(20),
    natGateways: z.enum(["single", "per-az"]).default("single"),
    flowLogRetentionDays: z.number().int().min(1).default(365),
  }),
  eks: z.object({
    clusterName: z.string().regex(/^[a-zA-Z][a-zA-Z0-9-]{0,99}$/, { message: "must start with a letter; letters, digits, dashes" }),
    version: z.enum(EKS_VERSIONS, { message: `must be a supported EKS version: ${EKS_VERSIONS.join(", ")}` }),
    adminPrincipals: z.array(iamPrincipalArn).default([]),
    publicEndpoint: z
      .object({
        enabled: z.boolean().default(false),
        allowedCidrs: z.array(cidr).default([]),
        allowWorld: z.boolean().default(false),
      })
      .default({ enabled: false, allowedCidrs: [], allowWorld: false }),
    logRetentionDays: z.number().int().min(1).default(90),
    nodeGroups: z.array(awsNodeGroupSchema).min(1, { message: "needs at least one node group" }),
  }),
  ecr: z.object({
    repositories: z.array(awsRepositorySchema).default([]),
    ci: z.object({
      /** GitHub repository allowed to push, "org/repo". */
      githubRepository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { message: "must be org/repo" }),
      /** Branch whose workflows may push. */
      branch: z.string().min(1).default("main"),
    }),
  }),
});
export type AwsTestEnvironment = z.infer<typeof awsTestEnvironmentSchema>;
/** What a config file writes: defaults may be omitted. */
export type AwsTestEnvironmentInput = z.input<typeof awsTestEnvironmentSchema>;

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === "number" ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`)).join("");
}

/**
 * Parse raw environment config with a schema. Every problem found is reported at once, each as
 * `<env>: <field> <message> (got <value>)`, so a typo is fixed in one round trip.
 */
export function parseEnvironment<S extends z.ZodType>(schema: S, source: string, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const value = valueAt(raw, issue.path);
    const got = value === undefined ? "missing" : `got ${JSON.stringify(value)}`;
    return `${source}: ${formatPath(issue.path) || "(root)"} ${issue.message} (${got})`;
  });
  throw new ConfigError(lines.join("\n"));
}
