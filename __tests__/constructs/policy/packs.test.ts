import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { DataAwsS3Bucket } from "@cdktf/provider-aws/lib/data-aws-s3-bucket";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { App, TerraformStack, Testing } from "cdktf";
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { EncryptedLogGroup } from "../../../constructs/aws/logs/encrypted-log-group";
import { EncryptionKey } from "../../../constructs/aws/kms/encryption-key";
import { applyPolicyPacks, PolicyOptions } from "../../../constructs/policy/packs";
import { PolicyReport, REPORT_FILES } from "../../../constructs/policy/report";
import { suppressRule } from "../../../constructs/policy/suppressions";
import { S3StateBucket } from "../../../constructs/state/s3-state-bucket";

/** An app with one AWS stack; `build` adds the resources under test. */
function awsApp(build: (stack: TerraformStack) => void, options: PolicyOptions = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test-aws-demo");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  build(stack);
  const check = applyPolicyPacks(app, options);
  return { app, stack, check };
}

function readReport(app: App): PolicyReport {
  return JSON.parse(readFileSync(join(app.outdir, REPORT_FILES.json), "utf8"));
}

describe("applyPolicyPacks", () => {
  it("passes a compliant stack and writes the JSON and markdown report into the synth output", () => {
    const { app, check } = awsApp((stack) => new S3StateBucket(stack, "state", { bucketName: "fintech-demo-state" }));
    app.synth();
    const report = readReport(app);
    expect(check.report).toEqual(report);
    expect(report.rules.length).toBeGreaterThanOrEqual(30);
    // Only the access-log bucket's two findings, each suppressed with its reason (SSE-S3, no self-logging).
    expect(report.findings.filter((f) => !f.suppressed)).toEqual([]);
    expect(report.findings.map((f) => f.ruleId).sort()).toEqual(["AWS-S3-002", "AWS-S3-005"]);
    // 4 S3 rules on the bucket, rotation on the key, IAM rules on the two policy documents.
    expect(report.checks).toBeGreaterThanOrEqual(9);
    expect(report.resources).toBeGreaterThanOrEqual(12);
    const markdown = readFileSync(join(app.outdir, REPORT_FILES.markdown), "utf8");
    expect(markdown).toMatch(/^# Policy report\n\n\d+ rules, \d+ checks over \d+ resources in 1 stack: 2 findings \(2 suppressed, 0 unsuppressed\)/);
    expect(markdown).toMatch(/\| AWS-S3-001 \| Checkov CKV_AWS_21 \| high \| S3 buckets have versioning enabled \| 2 \| 0 \|/);
    expect(report.rules.find((r) => r.id === "AWS-EKS-001")).toMatchObject({ checks: 0, findings: 0 });
  });

  it("fails synth with a report naming rule, external ids, resource path, message and fix", () => {
    const { app } = awsApp((stack) => new S3Bucket(stack, "uploads", { bucket: "fintech-uploads" }));
    expect(() => app.synth()).toThrow(
      /policy check failed: 5 unsuppressed violation\(s\)[\s\S]*AWS-S3-001 \(Checkov CKV_AWS_21\) high: test-aws-demo\/uploads \[aws_s3_bucket\.uploads\]\n {4}no aws_s3_bucket_versioning with status "Enabled" for this bucket\n {4}fix: Add an aws_s3_bucket_versioning/,
    );
    const report = readReport(app);
    expect(report.findings.map((f) => f.ruleId).sort()).toEqual(["AWS-S3-001", "AWS-S3-002", "AWS-S3-003", "AWS-S3-004", "AWS-S3-005"]);
    expect(report.findings[0]).toMatchObject({ stack: "test-aws-demo", path: "test-aws-demo/uploads", suppressed: false });
    expect(report.rules.find((r) => r.id === "AWS-S3-003")).toMatchObject({ checks: 1, findings: 1 });
    expect(existsSync(join(app.outdir, REPORT_FILES.markdown))).toBe(true);
  });

  it("reports suppressed findings with their reason and lets synth pass", () => {
    const { app } = awsApp((stack) => {
      const bucket = new S3Bucket(stack, "uploads", { bucket: "fintech-uploads" });
      for (const rule of ["AWS-S3-001", "AWS-S3-002", "AWS-S3-003", "AWS-S3-005"]) suppressRule(stack, rule, "scratch bucket for the demo, holds no data");
      suppressRule(bucket, "AWS-S3-004", "account-level public access block covers it");
    });
    app.synth();
    const report = readReport(app);
    expect(report.findings).toHaveLength(5);
    expect(report.findings.every((f) => f.suppressed)).toBe(true);
    expect(report.findings.find((f) => f.ruleId === "AWS-S3-004")).toMatchObject({
      suppressionReason: "account-level public access block covers it",
      suppressedAt: "test-aws-demo/uploads",
    });
    expect(report.findings.find((f) => f.ruleId === "AWS-S3-001")).toMatchObject({ suppressedAt: "test-aws-demo" });
    expect(readFileSync(join(app.outdir, REPORT_FILES.markdown), "utf8")).toMatch(
      /\| suppressed \| AWS-S3-004 \| critical \| `test-aws-demo\/uploads` \| .* \| suppressed at `test-aws-demo\/uploads`: account-level public access block covers it \|/,
    );
  });

  it("rejects a suppression reason shorter than 10 characters", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    expect(() => suppressRule(stack, "AWS-S3-001", "legacy  ")).toThrow(/s: suppression of AWS-S3-001 needs a reason of at least 10 characters.*got "legacy  "/);
  });

  it("rejects a malformed rule id at suppression time and an unknown one at synth", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    expect(() => suppressRule(stack, "CKV_AWS_21", "versioning handled elsewhere")).toThrow(/cannot suppress "CKV_AWS_21": not a policy rule id/);
    const { app } = awsApp((s) => suppressRule(s, "AWS-S3-999", "a rule that does not exist"));
    expect(() => app.synth()).toThrow(/suppressions name rules that do not exist: AWS-S3-999 at test-aws-demo/);
  });

  it("lists suppressions that matched nothing as unused", () => {
    const { app } = awsApp((stack) => suppressRule(stack, "AWS-EKS-001", "no cluster in this stack yet"));
    app.synth();
    expect(readReport(app).unusedSuppressions).toEqual([{ ruleId: "AWS-EKS-001", reason: "no cluster in this stack yet", path: "test-aws-demo" }]);
  });

  it("only reports, without failing, when enforce is explicitly false", () => {
    const { app } = awsApp((stack) => new S3Bucket(stack, "uploads", { bucket: "fintech-uploads" }), { enforce: false });
    app.synth();
    const report = readReport(app);
    expect(report.enforced).toBe(false);
    expect(report.findings.filter((f) => !f.suppressed)).toHaveLength(5);
    expect(readFileSync(join(app.outdir, REPORT_FILES.markdown), "utf8")).toMatch(/NOT ENFORCED \(enforce: false\)/);
  });

  it("checks the synthesized form: camelCase props become snake_case, tokens become references", () => {
    const { app } = awsApp((stack) => {
      const key = new EncryptionKey(stack, "key", { alias: "demo/logs", description: "demo" });
      new EncryptedLogGroup(stack, "logs", { name: "/demo", kmsKeyArn: key.arn, retentionDays: 30 });
      new EksCluster(stack, "cluster", {
        name: "demo",
        roleArn: "arn:aws:iam::111122223333:role/eks",
        vpcConfig: { subnetIds: ["subnet-1", "subnet-2"], endpointPublicAccess: true },
        enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
        encryptionConfig: { resources: ["secrets"], provider: { keyArn: key.arn } },
      });
    });
    expect(() => app.synth()).toThrow(/policy check failed: 1 unsuppressed violation\(s\)[\s\S]*AWS-EKS-003 .*test-aws-demo\/cluster[\s\S]*public_access_cidrs is unset/);
    expect(readReport(app).findings.map((f) => f.ruleId)).toEqual(["AWS-EKS-003"]);
  });

  it("relates resources across a stack: a Deployment without an HPA fails", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "test-aws-workloads");
    new KubernetesProvider(stack, "k8s", {});
    new DeploymentV1(stack, "api", {
      metadata: { name: "payments-api" },
      spec: {
        selector: { matchLabels: { app: "payments-api" } },
        template: { metadata: { labels: { app: "payments-api" } }, spec: { container: [{ name: "app", image: "api:1.0.0" }] } },
      },
    });
    applyPolicyPacks(app);
    expect(() => app.synth()).toThrow(/K8S-008 \(Kyverno check-hpa-exists\) high: test-aws-workloads\/api[\s\S]*no HPA targets Deployment "payments-api"/);
  });

  it("refuses an App that skips validation, which would skip the check silently", () => {
    expect(() => applyPolicyPacks(new App({ skipValidation: true, outdir: Testing.app().outdir }))).toThrow(/skipValidation, which would skip them silently/);
  });

  it("does not mistake a data source lookup for a managed resource", () => {
    const { app } = awsApp((stack) => {
      new DataAwsS3Bucket(stack, "existing", { bucket: "someone-elses-bucket" });
      new DataAwsEksCluster(stack, "cluster", { name: "managed-in-another-stack" });
    });
    app.synth();
    expect(readReport(app).findings).toEqual([]);
  });

  it("fails synth for a stack created after the packs were applied (it would go unchecked)", () => {
    const { app } = awsApp(() => undefined);
    new TerraformStack(app, "late-stack");
    expect(() => app.synth()).toThrow(/stacks late-stack were not policy-checked: they were created after applyPolicyPacks/);
  });

  it("refuses to be applied twice to one App", () => {
    const app = Testing.app();
    applyPolicyPacks(app);
    expect(() => applyPolicyPacks(app)).toThrow(/already applied/);
  });
});
