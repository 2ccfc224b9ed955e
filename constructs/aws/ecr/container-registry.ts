import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy";
import { Construct } from "constructs";
import { ConfigError } from "../../errors";
import { EncryptionKey } from "../kms/encryption-key";

/** Props of {@link ContainerRegistry}. */
export interface ContainerRegistryProps {
  /** Repository name. Lower-case, 2-256 chars, may contain "/", ".", "_", "-". */
  readonly name: string;
  /**
   * Keep this many images; older ones expire.
   * @default 30
   */
  readonly keepImages?: number;
  /**
   * Expire untagged images (failed or superseded pushes) after this many days.
   * @default 7
   */
  readonly untaggedExpiryDays?: number;
  /**
   * Tags that running config pins (e.g. a Deployment's `image: repo:1.4.2`). Each gets its own
   * lifecycle rule ahead of "keep the last N", so that rule can never expire it: ECR lets an image
   * be expired only by the first rule whose tag selection matches it. Tags are immutable, so the
   * pinned rule (count more than 1) never has anything to expire.
   * @default none
   */
  readonly pinnedTags?: string[];
  /** KMS key ARN for encryption at rest. @default a new key with rotation on */
  readonly kmsKeyArn?: string;
  /** Roles allowed to pull (e.g. the EKS node role). @default none */
  readonly pullPrincipalArns?: string[];
  /** Roles allowed to push (e.g. the CI role). @default none */
  readonly pushPrincipalArns?: string[];
}

const DEFAULT_KEEP_IMAGES = 30;
const DEFAULT_UNTAGGED_EXPIRY_DAYS = 7;
/** Docker tag syntax; no "*", so a tag is its own exact ECR tagPatternList entry. */
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const NAME_PATTERN = /^(?=.{2,256}$)[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
const PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
const PUSH_ACTIONS = [...PULL_ACTIONS, "ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"];

/** An ECR repository with immutable tags, scan on push, KMS encryption, a lifecycle policy and least-privilege access. */
export class ContainerRegistry extends Construct {
  /** The repository resource. */
  public readonly repository: EcrRepository;
  /** Registry URL to push to and pull from. */
  public readonly repositoryUrl: string;
  /** Repository ARN. */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    const keepImages = props.keepImages ?? DEFAULT_KEEP_IMAGES;
    const untaggedExpiryDays = props.untaggedExpiryDays ?? DEFAULT_UNTAGGED_EXPIRY_DAYS;
    if (!NAME_PATTERN.test(props.name)) {
      throw new ConfigError(
        `name "${props.name}" is not a valid ECR repository name; use 2-256 lower-case letters and digits separated by ".", "_", "-" or "/"`,
        this,
      );
    }
    if (!Number.isInteger(keepImages) || keepImages < 1) {
      throw new ConfigError(`keepImages must be a positive integer, got ${keepImages}`, this);
    }
    if (!Number.isInteger(untaggedExpiryDays) || untaggedExpiryDays < 1) {
      throw new ConfigError(`untaggedExpiryDays must be a positive integer, got ${untaggedExpiryDays}`, this);
    }
    const pinnedTags = [...new Set(props.pinnedTags ?? [])].sort();
    const badTag = pinnedTags.find((tag) => !TAG_PATTERN.test(tag));
    if (badTag !== undefined) {
      throw new ConfigError(`pinnedTags has "${badTag}", which is not an image tag (1-128 of letters, digits, _ . -, not starting with . or -)`, this);
    }
    const kmsKeyArn =
      props.kmsKeyArn ?? new EncryptionKey(this, "key", { alias: `ecr/${props.name}`, description: `ECR repository ${props.name}` }).arn;

    this.repository = new EcrRepository(this, "repository", {
      name: props.name,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: kmsKeyArn }],
    });
    this.repositoryUrl = this.repository.repositoryUrl;
    this.arn = this.repository.arn;

    new EcrLifecyclePolicy(this, "lifecycle", {
      repository: this.repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `Expire untagged images after ${untaggedExpiryDays} days`,
            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: untaggedExpiryDays },
            action: { type: "expire" },
          },
          ...pinnedTags.map((tag, i) => ({
            rulePriority: 2 + i,
            description: `Never expire ${tag}: pinned by config`,
            selection: { tagStatus: "tagged", tagPatternList: [tag], countType: "imageCountMoreThan", countNumber: 1 },
            action: { type: "expire" },
          })),
          {
            // tagStatus "any" must have the highest priority number: it only sees images no rule above selected.
            rulePriority: 2 + pinnedTags.length,
            description: `Keep the last ${keepImages} images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keepImages },
            action: { type: "expire" },
          },
        ],
      }),
    });

    const statements: DataAwsIamPolicyDocumentStatement[] = [];
    const grant = (sid: string, principals: string[] | undefined, actions: string[]) => {
      if (principals && principals.length > 0) statements.push({ sid, actions, principals: [{ type: "AWS", identifiers: principals }] });
    };
    grant("Pull", props.pullPrincipalArns, PULL_ACTIONS);
    grant("Push", props.pushPrincipalArns, PUSH_ACTIONS);
    if (statements.length > 0) {
      const policy = new DataAwsIamPolicyDocument(this, "access", { statement: statements });
      new EcrRepositoryPolicy(this, "policy", { repository: this.repository.name, policy: policy.json });
    }
  }
}
