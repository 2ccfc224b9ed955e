import { AwsTestEnvironmentInput } from "./schema";

/** The AWS test environment. Values only: defaults and validation live in schema.ts. */
export const testAws: AwsTestEnvironmentInput = {
  name: "test",
  cloud: "aws",
  region: "eu-west-1",
  accountId: "111122223333",
  tags: {
    owner: "platform",
    costCenter: "CC-1042",
    repository: "fintech/platform-infra",
  },
  state: {
    bucketName: "fintech-test-aws-tfstate-111122223333",
  },
  network: {
    vpcCidr: "10.40.0.0/16",
    azCount: 3,
    natGateways: "single",
  },
  eks: {
    clusterName: "test-platform",
    version: "1.32",
    adminPrincipals: ["arn:aws:iam::111122223333:role/platform-admin"],
    publicEndpoint: {
      enabled: true,
      // Office egress and the CI runners' NAT; never 0.0.0.0/0.
      allowedCidrs: ["203.0.113.0/24", "198.51.100.10/32"],
    },
    nodeGroups: [
      {
        name: "system",
        capacityType: "ON_DEMAND",
        instanceTypes: ["m6i.large"],
        minSize: 2,
        maxSize: 4,
        desiredSize: 2,
        labels: { "node-role": "system" },
        taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
      },
      {
        name: "workload",
        capacityType: "SPOT",
        instanceTypes: ["m6i.xlarge", "m6a.xlarge", "m5.xlarge", "m7i.xlarge"],
        minSize: 2,
        maxSize: 10,
        desiredSize: 3,
        labels: { "node-role": "workload" },
      },
    ],
  },
  ecr: {
    repositories: [
      { name: "payments-api", keepImages: 30, untaggedExpiryDays: 7 },
      { name: "payments-worker", keepImages: 30, untaggedExpiryDays: 7 },
    ],
    ci: { githubRepository: "fintech/payments", branch: "main" },
  },
  ebsReaper: {
    // The test account itself (scanned with the reaper's own role) and the two sandbox accounts,
    // each with a ReaperMemberRole named below.
    memberAccountIds: ["111122223333", "444455556666", "777788889999"],
    regions: ["eu-west-1", "eu-central-1"],
    memberRoleName: "ebs-reaper-member",
    graceDays: 7,
    // eu-west-1 list prices, USD per GiB-month.
    prices: { gp2: 0.11, gp3: 0.088, io1: 0.138, io2: 0.138, st1: 0.05, sc1: 0.0168, standard: 0.055 },
    defaultRecipient: "platform",
    notificationEmails: { platform: "platform-team@example.com", payments: "payments-team@example.com" },
    scanSchedule: "cron(0 6 ? * MON-FRI *)",
    reapSchedule: "cron(0 8 ? * MON-FRI *)",
    logRetentionDays: 90,
  },
};
