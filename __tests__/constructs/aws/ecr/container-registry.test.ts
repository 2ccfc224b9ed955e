import { TerraformStack } from "cdktf";
import { ContainerRegistry, ContainerRegistryProps } from "../../../../constructs/aws/ecr/container-registry";
import { emptyStack, synthJson } from "../../../helpers/synth";

function build(props: Partial<ContainerRegistryProps> = {}): TerraformStack {
  const stack = emptyStack();
  new ContainerRegistry(stack, "repo", { name: "payments-api", ...props });
  return stack;
}
const all = (stack: TerraformStack, type: string, block: "resource" | "data" = "resource") =>
  Object.values(synthJson(stack)[block][type] ?? {}) as any[];

/**
 * ECR lifecycle evaluation, as documented: rules by ascending priority; an image belongs to the
 * first rule whose tag selection matches it and only that rule may expire it; imageCountMoreThan
 * expires a rule's images beyond the newest countNumber. Images are given newest first.
 */
function expiredBy(rules: any[], images: { tag: string }[]): string[] {
  const owner = new Map<string, any>();
  for (const rule of [...rules].sort((a, b) => a.rulePriority - b.rulePriority)) {
    const { tagStatus, tagPatternList } = rule.selection;
    for (const image of images) {
      if (owner.has(image.tag) || tagStatus === "untagged") continue;
      if (tagStatus === "any" || !tagPatternList || tagPatternList.every((p: string) => p === image.tag)) owner.set(image.tag, rule);
    }
  }
  return rules
    .filter((rule) => rule.selection.countType === "imageCountMoreThan")
    .flatMap((rule) => images.filter((image) => owner.get(image.tag) === rule).slice(rule.selection.countNumber).map((image) => image.tag));
}

describe("ContainerRegistry", () => {
  describe("default config", () => {
    const stack = build();
    it("is immutable, scanned on push and encrypted with its own rotating KMS key", () => {
      expect(all(stack, "aws_ecr_repository")[0]).toMatchObject({
        name: "payments-api",
        image_tag_mutability: "IMMUTABLE",
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: "KMS", kms_key: expect.stringMatching(/aws_kms_key\./) }],
      });
      expect(all(stack, "aws_kms_key")[0].enable_key_rotation).toBe(true);
    });
    it("expires untagged images after 7 days and keeps the last 30", () => {
      const policy = JSON.parse(all(stack, "aws_ecr_lifecycle_policy")[0].policy);
      expect(policy.rules.map((r: any) => r.selection)).toEqual([
        { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
        { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 },
      ]);
    });
    it("grants nobody access when no principal is given", () => {
      expect(all(stack, "aws_ecr_repository_policy")).toHaveLength(0);
    });
  });

  it("uses a shared key when given one", () => {
    const stack = build({ kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/shared" });
    expect(all(stack, "aws_kms_key")).toHaveLength(0);
    expect(all(stack, "aws_ecr_repository")[0].encryption_configuration[0].kms_key).toBe("arn:aws:kms:eu-west-1:111122223333:key/shared");
  });

  it("lets the node role pull and the CI role push, nothing more", () => {
    const stack = build({ pullPrincipalArns: ["arn:aws:iam::1:role/node"], pushPrincipalArns: ["arn:aws:iam::1:role/ci"], keepImages: 5 });
    const doc = all(stack, "aws_iam_policy_document", "data")[0];
    const pull = doc.statement.find((s: any) => s.sid === "Pull");
    const push = doc.statement.find((s: any) => s.sid === "Push");
    expect(pull.principals[0].identifiers).toEqual(["arn:aws:iam::1:role/node"]);
    expect(pull.actions).not.toContain("ecr:PutImage");
    expect(push.actions).toContain("ecr:PutImage");
    expect(push.actions.some((a: string) => a.includes("*"))).toBe(false);
    expect(JSON.parse(all(stack, "aws_ecr_lifecycle_policy")[0].policy).rules[1].selection.countNumber).toBe(5);
  });

  it("never lets keep-the-last-N expire a pinned tag, however old (ECR rule semantics)", () => {
    const stack = build({ keepImages: 3, pinnedTags: ["1.0.0", "0.9.0"] });
    const rules = JSON.parse(all(stack, "aws_ecr_lifecycle_policy")[0].policy).rules;
    // 20 tagged images, newest first; the pinned ones are the oldest.
    const images = Array.from({ length: 20 }, (_, i) => ({ tag: i === 18 ? "1.0.0" : i === 19 ? "0.9.0" : `2.${19 - i}.0` }));
    const expired = expiredBy(rules, images);
    expect(expired).not.toContain("1.0.0");
    expect(expired).not.toContain("0.9.0");
    expect(expired).toHaveLength(15);
    expect(rules[rules.length - 1].selection.tagStatus).toBe("any");
  });

  describe("rejects", () => {
    it("a pinned tag that is not an image tag", () => {
      expect(() => build({ pinnedTags: ["1.*"] })).toThrow(/pinnedTags has "1\.\*", which is not an image tag/);
    });
    it("an invalid repository name", () => {
      expect(() => build({ name: "Payments_API!" })).toThrow(/s\/repo: name "Payments_API!" is not a valid ECR repository name/);
    });
    it("a non-positive image count", () => {
      expect(() => build({ keepImages: 0 })).toThrow(/keepImages must be a positive integer, got 0/);
    });
    it("a non-integer untagged expiry", () => {
      expect(() => build({ untaggedExpiryDays: 1.5 })).toThrow(/untaggedExpiryDays must be a positive integer, got 1.5/);
    });
  });
});
