import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { GithubOidcProvider } from "../../constructs/aws/iam/github-oidc-provider";
import { GithubOidcRole } from "../../constructs/aws/iam/github-oidc-role";
import { stateKeyAliasArn } from "../../constructs/state/s3-state-bucket";
import { AwsTestEnvironment } from "../../environments/schema";
import { AwsEnvironmentStack } from "./aws-stack";

/** Names and ARNs of an environment's CI roles (known from config, so other stacks need no state read). */
export function ciRoles(env: Pick<AwsTestEnvironment, "name" | "accountId">): { readonly plan: { name: string; arn: string }; readonly apply: { name: string; arn: string } } {
  const role = (kind: string) => ({ name: `${env.name}-ci-${kind}`, arn: `arn:aws:iam::${env.accountId}:role/${env.name}-ci-${kind}` });
  return { plan: role("plan"), apply: role("apply") };
}

const READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const ADMINISTRATOR = "arn:aws:iam::aws:policy/AdministratorAccess";

/**
 * `<env>-aws-ci`: the account-wide GitHub OIDC provider and the pipeline's two roles. A bootstrap
 * stack (local state, applied by an account administrator like the state stack): the apply role is
 * denied changing these, so no workflow can widen its own trust.
 *
 * - plan role (`<env>-ci-plan`): trusted by pull-request jobs (`repo:<repo>:pull_request`) and the
 *   nightly drift job on main (`ref:refs/heads/main`). ReadOnlyAccess plus decrypting state with
 *   the state key; writing state (the S3 lock file) is denied, so plans run with -lock=false.
 * - apply role (`<env>-ci-apply`): trusted only by jobs in the `<env>-aws` GitHub environment
 *   (`environment:<env>-aws`, main only, after its protection rules). The stacks create IAM roles, so
 *   no narrower policy can apply them; it is limited by its trust and by explicit denies on the CI
 *   identities, on deleting or weakening the state bucket (policy, versioning, lifecycle,
 *   encryption, object versions) and on disabling or deleting the state key or moving its alias.
 */
export class AwsCiStack extends AwsEnvironmentStack {
  /** The account's GitHub OIDC provider. */
  public readonly provider: GithubOidcProvider;
  /** Read-only role of pull-request plans and drift detection. */
  public readonly planRole: GithubOidcRole;
  /** Role of the environment-protected apply job. */
  public readonly applyRole: GithubOidcRole;

  constructor(scope: Construct, env: AwsTestEnvironment) {
    super(scope, "ci", { env, localState: true });
    const roles = ciRoles(env);
    const stateBucket = `arn:aws:s3:::${env.state.bucketName}`;
    const stateKeyAliasArnValue = stateKeyAliasArn({ region: env.region, accountId: env.accountId, bucketName: env.state.bucketName });
    const stateKeyAlias = stateKeyAliasArnValue.replace(/^.*:(alias\/)/, "$1");
    // The key's id is not known here (this stack is applied before, and apart from, the state
    // stack), so the key is named by its alias; the alias itself is pinned below.
    const stateKey = {
      resources: [`arn:aws:kms:${env.region}:${env.accountId}:key/*`],
      condition: [{ test: "ForAnyValue:StringEquals", variable: "kms:ResourceAliases", values: [stateKeyAlias] }],
    };
    this.provider = new GithubOidcProvider(this, "github");
    this.planRole = new GithubOidcRole(this, "plan", {
      name: roles.plan.name,
      repository: env.ci.githubRepository,
      subjects: ["pull_request", "ref:refs/heads/main"],
      oidcProviderArn: this.provider.arn,
      managedPolicyArns: [READ_ONLY],
      statements: [
        { sid: "ReadState", actions: ["kms:Decrypt"], ...stateKey },
        { sid: "NoStateWritesNoLocks", effect: "Deny", actions: ["s3:PutObject", "s3:DeleteObject"], resources: [`${stateBucket}/*`] },
      ],
    });
    this.applyRole = new GithubOidcRole(this, "apply", {
      name: roles.apply.name,
      repository: env.ci.githubRepository,
      subjects: [`environment:${env.name}-aws`],
      oidcProviderArn: this.provider.arn,
      managedPolicyArns: [ADMINISTRATOR],
      statements: [
        { sid: "NoChangesToCiIdentities", effect: "Deny", actions: ["iam:*"], resources: [roles.plan.arn, roles.apply.arn, this.provider.arn] },
        // CI never applies the state stack (bootstrap, local state; apply-stacks.sh skips local
        // backends), so none of these is needed by any apply. The apply job still writes state and
        // its lock file (s3:PutObject, s3:DeleteObject), which stay allowed.
        // Threat: a merged change (or code in the apply job) deletes the bucket, opens it through
        // its policy, turns off versioning, shortens the lifecycle so old versions expire at once,
        // or points default encryption away from the state key: state lost or readable.
        {
          sid: "KeepState",
          effect: "Deny",
          actions: [
            "s3:DeleteBucket",
            "s3:PutBucketPolicy",
            "s3:DeleteBucketPolicy",
            "s3:PutBucketVersioning",
            "s3:PutLifecycleConfiguration",
            "s3:PutEncryptionConfiguration",
          ],
          resources: [stateBucket],
        },
        // Threat: deleting specific versions erases the recovery copies that versioning keeps
        // (a plain DeleteObject only adds a delete marker, which terraform's lock file needs).
        { sid: "KeepStateVersions", effect: "Deny", actions: ["s3:DeleteObjectVersion"], resources: [`${stateBucket}/*`] },
        // Threat: moving or deleting the alias first, so KeepStateKey's alias condition no longer
        // matches the key and it can then be disabled or scheduled for deletion (state unreadable).
        // CreateAlias is denied too so the alias cannot be recreated on another key after a gap.
        { sid: "KeepStateKeyAlias", effect: "Deny", actions: ["kms:DeleteAlias", "kms:UpdateAlias", "kms:CreateAlias"], resources: [stateKeyAliasArnValue] },
        // Threat: disabling or scheduling deletion of the state key, or rewriting its policy to lock
        // the account out of it. Holds while the key carries the alias, which KeepStateKeyAlias keeps;
        // the same deny also sits in the key's own policy (S3StateBucket keyGuardedFrom, applied
        // with the state stack), which names the key itself, so re-pointing the alias bypasses neither.
        { sid: "KeepStateKey", effect: "Deny", actions: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"], ...stateKey },
      ],
    });
    new TerraformOutput(this, "github-oidc-provider-arn", { value: this.provider.arn });
    new TerraformOutput(this, "plan-role-arn", { value: this.planRole.arn, description: "GitHub secret AWS_PLAN_ROLE_ARN" });
    new TerraformOutput(this, "apply-role-arn", { value: this.applyRole.arn, description: "GitHub secret AWS_APPLY_ROLE_ARN of the environment" });
  }
}
