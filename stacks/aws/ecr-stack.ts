import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { ContainerRegistry } from "../../constructs/aws/ecr/container-registry";
import { githubOidcProviderArn } from "../../constructs/aws/iam/github-oidc-provider";
import { GithubOidcRole } from "../../constructs/aws/iam/github-oidc-role";
import { EncryptionKey } from "../../constructs/aws/kms/encryption-key";
import { ConfigError } from "../../constructs/errors";
import { AwsTestEnvironment } from "../../environments/schema";
import { AwsEnvironmentStack } from "./aws-stack";

/** What the ECR stack needs from the EKS stack. */
export interface AwsEcrStackProps {
  /** The EKS node role, granted pull. */
  readonly nodeRoleArn: string;
}

/**
 * Tags the environment's services pin in `repository`. A service pinning only a digest is
 * refused: a lifecycle rule cannot select by digest, so "keep the last N" could expire it.
 */
function pinnedTags(scope: Construct, env: AwsTestEnvironment, repository: string): string[] {
  const users = env.workloads.services.filter((service) => !env.workloads.registry && service.image.repository === repository);
  const digestOnly = users.find((service) => !service.image.tag);
  if (digestOnly) {
    throw new ConfigError(
      `workloads.services "${digestOnly.name}" pins ECR repository "${repository}" by digest only; add image.tag (ECR lifecycle rules select by tag, so an untagged pin could expire)`,
      scope,
    );
  }
  return users.map((service) => service.image.tag!);
}

/** `<env>-aws-ecr`: the repositories CI pushes to and EKS pulls from, and the CI push role. */
export class AwsEcrStack extends AwsEnvironmentStack {
  /** Repositories by name. */
  public readonly registries: Record<string, ContainerRegistry> = {};

  constructor(scope: Construct, env: AwsTestEnvironment, props: AwsEcrStackProps) {
    super(scope, "ecr", { env });
    const key = new EncryptionKey(this, "key", { alias: `${env.name}/ecr`, description: `ECR repositories of ${env.name}` });
    const repositoryArns = env.ecr.repositories.map((r) => `arn:aws:ecr:${env.region}:${env.accountId}:repository/${r.name}`);
    const ci = new GithubOidcRole(this, "ci", {
      name: `${env.name}-ci-ecr-push`,
      repository: env.ecr.ci.githubRepository,
      subjects: [`ref:refs/heads/${env.ecr.ci.branch}`],
      // Owned by <env>-aws-ci: one provider per account, never created by an application stack.
      oidcProviderArn: githubOidcProviderArn(env.accountId),
      statements: [
        { sid: "Login", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
        {
          sid: "Push",
          actions: ["ecr:BatchCheckLayerAvailability", "ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart", "ecr:BatchGetImage"],
          resources: repositoryArns,
        },
        { sid: "EncryptLayers", actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [key.arn] },
      ],
    });
    for (const repo of env.ecr.repositories) {
      const registry = new ContainerRegistry(this, `repo-${repo.name}`, {
        name: repo.name,
        keepImages: repo.keepImages,
        untaggedExpiryDays: repo.untaggedExpiryDays,
        pinnedTags: pinnedTags(this, env, repo.name),
        kmsKeyArn: key.arn,
        pullPrincipalArns: [props.nodeRoleArn],
        pushPrincipalArns: [ci.arn],
      });
      this.registries[repo.name] = registry;
      new TerraformOutput(this, `url-${repo.name}`, { value: registry.repositoryUrl });
    }
    new TerraformOutput(this, "ci-role-arn", { value: ci.arn });
  }
}
