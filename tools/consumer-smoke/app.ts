// A consumer's cdktf app, as another team writes it against the published package, compiled by
// tools/consumer-smoke/run.sh with the tsconfig `cdktf init` generates (module commonjs, classic
// node resolution) in a fresh project outside this repository. Not part of the repo's own build.
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ConfigError } from "@fintech-platform/constructs";
import { ContainerRegistry, EbsReaper } from "@fintech-platform/constructs/aws";
import { Workload } from "@fintech-platform/constructs/kubernetes";
import { applyPolicyPacks, suppressRule } from "@fintech-platform/constructs/policy";

const outdir = process.argv[2];
const app = new App({ outdir });
const stack = new TerraformStack(app, "team-x");
new AwsProvider(stack, "aws", { region: "eu-west-1" });
new KubernetesProvider(stack, "k8s", { configPath: "~/.kube/config" });

// The registry's URL is only known at apply time: the Workload takes the reference as it is.
const registry = new ContainerRegistry(stack, "repo", { name: "team-x/api", keepImages: 10 });
new Workload(stack, "api", {
  name: "api",
  namespace: "team-x",
  image: { repository: registry.repositoryUrl, tag: "2.0.1" },
  port: 8080,
  resources: { cpuRequest: "100m", memoryRequest: "128Mi", memoryLimit: "256Mi" },
  probes: { readiness: { type: "http", path: "/ready" }, liveness: { type: "http", path: "/healthz" } },
});
// The reaper's Lambda comes prebuilt in the package: no esbuild or AWS SDK in this project.
new EbsReaper(stack, "reaper", {
  name: "team-x-ebs-reaper",
  region: "eu-west-1",
  accountId: "111122223333",
  memberAccountIds: ["111122223333"],
  defaultRecipient: "team-x",
});

// A hand-written repository that breaks the immutability rule, suppressed with a reason: the
// finding must appear in the report as suppressed instead of failing synth.
const legacy = new EcrRepository(stack, "legacy", {
  name: "team-x/legacy",
  imageTagMutability: "MUTABLE",
  imageScanningConfiguration: { scanOnPush: true },
  encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: "arn:aws:kms:eu-west-1:111122223333:key/team-x" }],
});
suppressRule(legacy, "AWS-ECR-001", "legacy repository retagged by a vendor tool until Q3");

// Bad input is rejected at synth with the construct path, field, value and fix.
assert.throws(
  () => new ContainerRegistry(stack, "bad", { name: "x", keepImages: 0 }),
  (error: unknown) => {
    assert.ok(error instanceof ConfigError, "a ConfigError from the package");
    assert.match(error.message, /team-x\/bad: .*keepImages must be a positive integer, got 0|team-x\/bad: name "x"/);
    return true;
  },
);
stack.node.tryRemoveChild("bad");

applyPolicyPacks(app);
app.synth();

type Resource = Record<string, any>;
const json = JSON.parse(readFileSync(join(outdir, "stacks", "team-x", "cdk.tf.json"), "utf8")) as { resource: Record<string, Record<string, Resource>> };
const only = (type: string): Resource[] => Object.values(json.resource[type]);
const [repositoryName] = Object.entries(json.resource.aws_ecr_repository).find(([, r]) => r.name === "team-x/api")!;
const managed = json.resource.aws_ecr_repository[repositoryName];
assert.equal(managed.image_tag_mutability, "IMMUTABLE");
assert.equal(managed.image_scanning_configuration.scan_on_push, true);
const deployment = only("kubernetes_deployment_v1")[0];
assert.equal(deployment.spec.template.spec.container[0].image, `\${aws_ecr_repository.${repositoryName}.repository_url}:2.0.1`);
assert.equal(deployment.spec.replicas, "2");
assert.equal(only("kubernetes_horizontal_pod_autoscaler_v2")[0].spec.min_replicas, 2);
assert.equal(only("kubernetes_pod_disruption_budget_v1")[0].spec.max_unavailable, "1");
const lambda = only("aws_lambda_function")[0];
assert.equal(lambda.runtime, "nodejs22.x");
assert.deepEqual(lambda.architectures, ["arm64"]);
assert.equal(lambda.reserved_concurrent_executions, 1);
const report = JSON.parse(readFileSync(join(outdir, "policy-report.json"), "utf8")) as { rules: unknown[]; findings: { ruleId: string; suppressed: boolean; suppressionReason?: string }[] };
assert.ok(report.rules.length >= 30, `policy report lists ${report.rules.length} rules`);
assert.ok(report.findings.every((f) => f.suppressed), "no unsuppressed findings");
const suppressed = report.findings.find((f) => f.ruleId === "AWS-ECR-001");
assert.ok(suppressed?.suppressionReason?.includes("vendor tool"), "the suppressed finding is reported with its reason");

const rootImports = Object.keys(require.cache).filter((p) => /@cdktf[\\/]provider-[a-z]+[\\/](lib[\\/])?index\.js$/.test(p));
assert.deepEqual(rootImports, [], "no provider root index was loaded");
console.log(
  `consumer smoke: synthesized ${Object.keys(json.resource).length} resource types; ContainerRegistry.repositoryUrl -> Workload image; ` +
    `${report.rules.length} policy rules, ${report.findings.length} finding(s), all suppressed with a reason; no provider root import`,
);
