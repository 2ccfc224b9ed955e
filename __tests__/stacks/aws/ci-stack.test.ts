import { Testing } from "cdktf";
import { buildAwsEnvironment } from "../../../stacks/aws";
import { ciRoles } from "../../../stacks/aws/ci-stack";
import { testAws as testAwsInput } from "../../../environments/test-aws";
import { awsTestEnvironmentSchema, parseEnvironment } from "../../../environments/schema";
import { environments, synthJson } from "../../helpers/synth";

const env = environments().testAws;
const stacks = buildAwsEnvironment(Testing.app(), env);
const json = synthJson(stacks.ci);
const roles = ciRoles(env);

/** The trust and permission documents of one role, by role name. */
function role(name: string) {
  const [id] = Object.entries(json.resource.aws_iam_role).find(([, r]: [string, any]) => r.name === name)!;
  const prefix = id.replace(/_role_[^_]+$/, "");
  const documents = Object.entries(json.data.aws_iam_policy_document).filter(([key]) => key.startsWith(prefix)).map(([, d]) => d as any);
  const trust = documents.find((d) => d.statement[0].actions[0] === "sts:AssumeRoleWithWebIdentity");
  const permissions = documents.find((d) => d !== trust);
  const managed = Object.values(json.resource.aws_iam_role_policy_attachment ?? {}).filter((a: any) => a.role.includes(id)).map((a: any) => a.policy_arn);
  return { subjects: trust.statement[0].condition[1].values, statements: permissions?.statement ?? [], managed };
}

describe("<env>-aws-ci", () => {
  it("owns the account's one GitHub OIDC provider, kept from destruction; no other stack creates one", () => {
    expect(Object.values(json.resource.aws_iam_openid_connect_provider)).toEqual([
      expect.objectContaining({ url: "https://token.actions.githubusercontent.com", lifecycle: { prevent_destroy: true } }),
    ]);
    for (const stack of [stacks.ecr, stacks.eks, stacks.network, stacks.workloads]) {
      const providers = Object.values(synthJson(stack).resource.aws_iam_openid_connect_provider ?? {}) as any[];
      expect(providers.filter((p) => /githubusercontent/.test(String(p.url)))).toEqual([]);
    }
  });

  it("is a bootstrap stack with local state (the apply role may not change it)", () => {
    expect(json.terraform.backend.local).toBeDefined();
  });

  it("plan role: pull requests and main's drift job only, read-only, no state writes (so no lock)", () => {
    const plan = role(roles.plan.name);
    expect(plan.subjects).toEqual([`repo:${env.ci.githubRepository}:pull_request`, `repo:${env.ci.githubRepository}:ref:refs/heads/main`]);
    expect(plan.managed).toEqual(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    expect(plan.statements).toContainEqual(expect.objectContaining({ effect: "Deny", actions: ["s3:PutObject", "s3:DeleteObject"], resources: [`arn:aws:s3:::${env.state.bucketName}/*`] }));
    expect(plan.statements.filter((s: any) => s.effect !== "Deny").flatMap((s: any) => s.actions)).toEqual(["kms:Decrypt"]);
  });

  it("apply role: only jobs in the environment's GitHub environment, and it cannot touch the CI identities or delete state", () => {
    const apply = role(roles.apply.name);
    // The GitHub environment apply-environment.yml runs in (test-aws).
    expect(apply.subjects).toEqual([`repo:${env.ci.githubRepository}:environment:${env.name}-aws`]);
    const denied = apply.statements.filter((s: any) => s.effect === "Deny");
    expect(denied).toContainEqual(expect.objectContaining({ actions: ["iam:*"], resources: expect.arrayContaining([roles.plan.arn, roles.apply.arn]) }));
    expect(denied).toContainEqual(expect.objectContaining({ actions: expect.arrayContaining(["s3:DeleteBucket"]), resources: [`arn:aws:s3:::${env.state.bucketName}`] }));
  });

  it("apply role: the state key stays protected after its alias is retargeted, and the state bucket's recovery settings cannot be changed", () => {
    const apply = role(roles.apply.name);
    const denied = apply.statements.filter((s: any) => s.effect === "Deny");
    const aliasArn = `arn:aws:kms:${env.region}:${env.accountId}:alias/tfstate/${env.state.bucketName}`;
    // Without this the role could DeleteAlias/UpdateAlias first, after which the alias-keyed Deny below no longer matches the key.
    expect(denied).toContainEqual(expect.objectContaining({ actions: expect.arrayContaining(["kms:DeleteAlias", "kms:UpdateAlias", "kms:CreateAlias"]), resources: [aliasArn] }));
    expect(denied).toContainEqual(
      expect.objectContaining({
        actions: expect.arrayContaining(["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"]),
        condition: [expect.objectContaining({ variable: "kms:ResourceAliases", values: [`alias/tfstate/${env.state.bucketName}`] })],
      }),
    );
    const bucket = `arn:aws:s3:::${env.state.bucketName}`;
    const deniedOn = (resource: string) => denied.filter((s: any) => s.resources.includes(resource) && !s.condition).flatMap((s: any) => s.actions);
    expect(deniedOn(bucket)).toEqual(
      expect.arrayContaining(["s3:PutLifecycleConfiguration", "s3:PutEncryptionConfiguration", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketVersioning"]),
    );
    expect(deniedOn(`${bucket}/*`)).toContain("s3:DeleteObjectVersion");
    // The apply job writes state and its lock file: those must stay allowed.
    expect([...deniedOn(bucket), ...deniedOn(`${bucket}/*`)]).not.toEqual(expect.arrayContaining(["s3:PutObject"]));
    expect([...deniedOn(`${bucket}/*`)]).not.toContain("s3:DeleteObject");
  });

  it("the state key's own policy denies the apply role disabling, deleting, re-policying or re-aliasing it, naming no alias (a re-pointed alias bypasses nothing)", () => {
    const state = synthJson(stacks.state);
    const [[keyId, key]] = Object.entries(state.resource.aws_kms_key) as [string, any][];
    const [docId, doc] = Object.entries(state.data.aws_iam_policy_document).find(([, d]: [string, any]) => d.statement.some((st: any) => st.sid === "KeepStateKey")) as [string, any];
    expect(key.policy).toBe(`\${data.aws_iam_policy_document.${docId}.json}`);
    expect(keyId).toMatch(/state-bucket_key/);
    const keep = doc.statement.find((st: any) => st.sid === "KeepStateKey");
    expect(keep).toEqual({
      sid: "KeepStateKey",
      effect: "Deny",
      actions: expect.arrayContaining(["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "kms:UpdateAlias", "kms:DeleteAlias"]),
      resources: ["*"],
      principals: [{ type: "AWS", identifiers: ["*"] }],
      condition: [{ test: "ArnEquals", variable: "aws:PrincipalArn", values: [roles.apply.arn] }],
    });
    expect(JSON.stringify(keep)).not.toMatch(/alias\//);
    // The deny follows the key, and the account root still administers it (the bootstrap admin).
    expect(doc.statement.find((st: any) => st.sid === "AccountAdministers")).toMatchObject({ actions: ["kms:*"] });
  });

  it("the ECR push role trusts the CI stack's provider by ARN instead of creating one", () => {
    const trust = Object.values(synthJson(stacks.ecr).data.aws_iam_policy_document).find((d: any) => d.statement[0].actions[0] === "sts:AssumeRoleWithWebIdentity") as any;
    expect(trust.statement[0].principals[0].identifiers).toEqual([`arn:aws:iam::${env.accountId}:oidc-provider/token.actions.githubusercontent.com`]);
  });

  it("EKS access entries: the plan role views, the apply role administers", () => {
    const eks = synthJson(stacks.eks);
    const policies = Object.values(eks.resource.aws_eks_access_policy_association) as any[];
    const entries = Object.values(eks.resource.aws_eks_access_entry) as any[];
    for (const [arn, policy] of [[roles.plan.arn, "AmazonEKSViewPolicy"], [roles.apply.arn, "AmazonEKSClusterAdminPolicy"]]) {
      expect(entries.map((e) => e.principal_arn)).toContain(arn);
      const entry = Object.entries(eks.resource.aws_eks_access_entry).find(([, e]: [string, any]) => e.principal_arn === arn)![0];
      expect(policies.find((p) => p.principal_arn.includes(entry))).toMatchObject({ policy_arn: `arn:aws:eks::aws:cluster-access-policy/${policy}`, access_scope: { type: "cluster" } });
    }
  });

  it("rejects a missing ci section, naming the field and the fix", () => {
    const { ci: _ci, ...withoutCi } = structuredClone(testAwsInput) as any;
    expect(() => parseEnvironment(awsTestEnvironmentSchema, "environments/test-aws.ts", withoutCi)).toThrow(
      /environments\/test-aws\.ts: ci is missing: add ci: \{ githubRepository: "org\/repo", runners: \{ plan: \{ labels/,
    );
  });
});
