import { Testing } from "cdktf";
import { buildAwsEnvironment } from "../../../stacks/aws";
import { environments, synthApp, synthJsonOnce } from "../../helpers/synth";

describe("AWS test environment stacks", () => {
  const stacks = buildAwsEnvironment(Testing.app(), environments().testAws);
  const remote = [stacks.network, stacks.eks, stacks.ecr];
  // Several tests read the same stacks.
  const synthJson = synthJsonOnce();

  it("names stacks <env>-aws-<unit>", () => {
    expect(Object.values(stacks).map((s) => s.node.id)).toEqual(expect.arrayContaining(["test-aws-state", "test-aws-network", "test-aws-eks", "test-aws-ecr"]));
  });

  it("gives every stack but the bootstrap its own encrypted, lock-file-locked S3 state key", () => {
    const keys = remote.map((stack) => {
      const backend = synthJson(stack).terraform.backend.s3;
      expect(backend).toMatchObject({ bucket: "fintech-test-aws-tfstate-111122223333", region: "eu-west-1", encrypt: true, use_lockfile: true });
      expect(backend.dynamodb_table).toBeUndefined();
      return backend.key;
    });
    expect(keys).toEqual(["test/aws/network.tfstate", "test/aws/eks.tfstate", "test/aws/ecr.tfstate"]);
  });

  it("encrypts every S3-backed stack's state with the state key the bootstrap stack creates (not AES256)", () => {
    const alias = Object.values(synthJson(stacks.state).resource.aws_kms_alias as Record<string, { name: string }>)[0].name;
    // The bootstrap stacks (state, ci) keep local state.
    const backed = Object.values(stacks).filter((s) => s && s !== stacks.state && s !== stacks.ci);
    expect(backed.length).toBeGreaterThanOrEqual(3);
    for (const stack of backed) {
      const backend = synthJson(stack!).terraform.backend.s3;
      expect(backend.kms_key_id).toBe(`arn:aws:kms:eu-west-1:111122223333:${alias}`);
    }
  });

  it("protects every ECR tag a service of the environment pins from the lifecycle policy", () => {
    const env = environments().testAws;
    const policies = Object.entries(synthJson(stacks.ecr).resource.aws_ecr_lifecycle_policy as Record<string, any>);
    const pinned = env.workloads.services.filter((s) => s.image.tag);
    expect(pinned.length).toBeGreaterThan(0);
    for (const service of pinned) {
      const [, policy] = policies.find(([id]) => id.startsWith(`repo-${service.image.repository}_`))!;
      const rules = JSON.parse(policy.policy).rules;
      const anyRule = rules.find((r: any) => r.selection.tagStatus === "any");
      const guarded = rules.filter((r: any) => r.rulePriority < anyRule.rulePriority).flatMap((r: any) => r.selection.tagPatternList ?? []);
      expect(guarded).toContain(service.image.tag);
    }
  });

  it("refuses a service that pins an ECR image by digest only (lifecycle rules cannot protect it)", () => {
    const env = environments().testAws;
    const service = { ...env.workloads.services[0], image: { repository: env.workloads.services[0].image.repository, digest: `sha256:${"a".repeat(64)}` } };
    expect(() => buildAwsEnvironment(Testing.app(), { ...env, workloads: { ...env.workloads, services: [service] } })).toThrow(
      /workloads.services "payments-api" pins ECR repository "payments-api" by digest only; add image.tag/,
    );
  });

  it("tags every AWS resource through provider default_tags and pins the account", () => {
    for (const stack of [stacks.state, ...remote]) {
      const provider = synthJson(stack).provider.aws[0];
      expect(provider.allowed_account_ids).toEqual(["111122223333"]);
      expect(provider.default_tags[0].tags).toEqual({
        environment: "test",
        owner: "platform",
        team: "platform",
        "cost-center": "CC-1042",
        "managed-by": "cdktf",
        repository: "fintech/platform-infra",
      });
    }
  });

  it("passes subnet ids and the node role across stacks through remote state, not hard-coded ids", () => {
    const app = Testing.app();
    buildAwsEnvironment(app, environments().testAws);
    const out = synthApp(app);
    const networkState = Object.values(out["test-aws-eks"].data.terraform_remote_state)[0] as any;
    expect(networkState).toMatchObject({ backend: "s3", config: { key: "test/aws/network.tfstate", bucket: "fintech-test-aws-tfstate-111122223333" } });
    expect(JSON.stringify(out["test-aws-eks"].resource.aws_eks_cluster)).toContain("data.terraform_remote_state");
    expect(JSON.stringify(out["test-aws-ecr"].data.aws_iam_policy_document)).toContain("data.terraform_remote_state");
  });
});
