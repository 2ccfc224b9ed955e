import { block, blocks, isSet, strings } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

/** EKS encrypts Kubernetes secrets with a KMS key (envelope encryption). */
export const eksSecretsEncryption: PolicyRule = {
  id: "AWS-EKS-001",
  externalIds: ["Checkov CKV_AWS_58"],
  description: "EKS clusters encrypt Kubernetes secrets with a customer-managed KMS key",
  severity: "high",
  fix: "Set encryption_config { resources = [\"secrets\"], provider { key_arn = <KMS key ARN> } } on the cluster",
  appliesTo: ["aws_eks_cluster"],
  check(resource) {
    const secrets = blocks(resource.attributes.encryption_config).find((c) => strings(c.resources).includes("secrets"));
    if (!secrets) return nonCompliant("no encryption_config covers \"secrets\"");
    return isSet(block(secrets.provider)?.key_arn) ? COMPLIANT : nonCompliant("encryption_config has no provider.key_arn");
  },
};
