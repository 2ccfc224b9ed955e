/**
 * Policy packs: the rules grouped per cloud, and `applyPolicyPacks`, which runs them as Aspects
 * over every stack of an App and fails synth on any unsuppressed violation.
 */
import { App, Aspects, TerraformStack } from "cdktf";
import { ConfigError } from "../errors";
import { PolicyCheck } from "./policy-check";
import { PolicyRule } from "./rule";
import { ecrImmutableTags } from "./rules/aws/ecr-immutable-tags";
import { ecrKmsEncryption } from "./rules/aws/ecr-kms-encryption";
import { ecrScanOnPush } from "./rules/aws/ecr-scan-on-push";
import { eksControlPlaneLogs } from "./rules/aws/eks-control-plane-logs";
import { eksEndpointRestricted } from "./rules/aws/eks-endpoint-restricted";
import { eksSecretsEncryption } from "./rules/aws/eks-secrets-encryption";
import { iamNoAdminWildcard } from "./rules/aws/iam-no-admin-wildcard";
import { iamNoWildcardTrust } from "./rules/aws/iam-no-wildcard-trust";
import { imdsHopLimitOne } from "./rules/aws/imds-hop-limit-one";
import { imdsv2Required } from "./rules/aws/imdsv2-required";
import { kmsKeyRotation } from "./rules/aws/kms-key-rotation";
import { logGroupKms } from "./rules/aws/log-group-kms";
import { logGroupRetention } from "./rules/aws/log-group-retention";
import { s3AccessLogging } from "./rules/aws/s3-access-logging";
import { s3DenyPutWithoutKey } from "./rules/aws/s3-deny-put-without-key";
import { serviceTrustSourceAccount } from "./rules/aws/service-trust-source-account";
import { s3KmsEncryption } from "./rules/aws/s3-kms-encryption";
import { s3PublicAccessBlock } from "./rules/aws/s3-public-access-block";
import { s3TlsOnly } from "./rules/aws/s3-tls-only";
import { s3Versioning } from "./rules/aws/s3-versioning";
import { vpcFlowLogs } from "./rules/aws/vpc-flow-logs";
import { aksAutoscaler } from "./rules/azure/aks-autoscaler";
import { aksAzureRbac } from "./rules/azure/aks-azure-rbac";
import { aksEntraIntegration } from "./rules/azure/aks-entra-integration";
import { aksLocalAccountsDisabled } from "./rules/azure/aks-local-accounts-disabled";
import { aksNetworkPolicy } from "./rules/azure/aks-network-policy";
import { aksUpgradeChannel } from "./rules/azure/aks-upgrade-channel";
import { aksZones } from "./rules/azure/aks-zones";
import { keyVaultPurgeProtection } from "./rules/azure/key-vault-purge-protection";
import { firewallAuditLogs } from "./rules/azure/firewall-audit-logs";
import { keyVaultAuditLogs } from "./rules/azure/key-vault-audit-logs";
import { keyVaultRbac } from "./rules/azure/key-vault-rbac";
import { storageBlobAuditLogs } from "./rules/azure/storage-blob-audit-logs";
import { storageBlobVersioning } from "./rules/azure/storage-blob-versioning";
import { storageMinTls } from "./rules/azure/storage-min-tls";
import { storageNoPublicBlobs } from "./rules/azure/storage-no-public-blobs";
import { storageSharedKeyDisabled } from "./rules/azure/storage-shared-key-disabled";
import { vpnActiveActive } from "./rules/azure/vpn-active-active";
import { vpnIkev2 } from "./rules/azure/vpn-ikev2";
import { vpnP2sCustomAudience } from "./rules/azure/vpn-p2s-custom-audience";
import { vpnP2sEntra } from "./rules/azure/vpn-p2s-entra";
import { vpnStrongIpsecPolicy } from "./rules/azure/vpn-strong-ipsec-policy";
import { vpnStaticRouting } from "./rules/azure/vpn-static-routing";
import { vpnZoneRedundantSku } from "./rules/azure/vpn-zone-redundant-sku";
import { vhubRoutingIntent } from "./rules/azure/vhub-routing-intent";
import { containerProbes } from "./rules/kubernetes/container-probes";
import { containerResources } from "./rules/kubernetes/container-resources";
import { deploymentHasHpa } from "./rules/kubernetes/deployment-has-hpa";
import { dropAllCapabilities } from "./rules/kubernetes/drop-all-capabilities";
import { hpaMinReplicas } from "./rules/kubernetes/hpa-min-replicas";
import { noPrivilegeEscalation } from "./rules/kubernetes/no-privilege-escalation";
import { pdbAllowsDrain } from "./rules/kubernetes/pdb-allows-drain";
import { readOnlyRootFilesystem } from "./rules/kubernetes/read-only-root-filesystem";
import { runAsNonRoot } from "./rules/kubernetes/run-as-non-root";
import { seccompRuntimeDefault } from "./rules/kubernetes/seccomp-runtime-default";

/** A named group of rules. */
export interface PolicyPack {
  /** Short label of the pack, e.g. "aws"; for people, the check does not use it. */
  readonly name: string;
  /** The rules the pack runs; each applies only to the terraform types in its `appliesTo`. */
  readonly rules: readonly PolicyRule[];
}

/** AWS: EKS, EC2 launch templates, ECR, S3, KMS, IAM, VPC, CloudWatch Logs. */
export const AWS_PACK: PolicyPack = {
  name: "aws",
  rules: [
    imdsv2Required,
    imdsHopLimitOne,
    ecrImmutableTags,
    ecrScanOnPush,
    ecrKmsEncryption,
    eksSecretsEncryption,
    eksControlPlaneLogs,
    eksEndpointRestricted,
    iamNoAdminWildcard,
    iamNoWildcardTrust,
    serviceTrustSourceAccount,
    kmsKeyRotation,
    logGroupKms,
    logGroupRetention,
    s3Versioning,
    s3KmsEncryption,
    s3TlsOnly,
    s3PublicAccessBlock,
    s3AccessLogging,
    s3DenyPutWithoutKey,
    vpcFlowLogs,
  ],
};

/** Azure: AKS, storage accounts, Key Vault, VPN gateways and connections. */
export const AZURE_PACK: PolicyPack = {
  name: "azure",
  rules: [
    aksEntraIntegration,
    aksAzureRbac,
    aksLocalAccountsDisabled,
    aksNetworkPolicy,
    aksZones,
    aksAutoscaler,
    aksUpgradeChannel,
    keyVaultPurgeProtection,
    keyVaultRbac,
    keyVaultAuditLogs,
    storageMinTls,
    storageNoPublicBlobs,
    storageSharedKeyDisabled,
    storageBlobVersioning,
    storageBlobAuditLogs,
    vpnZoneRedundantSku,
    vpnActiveActive,
    vpnIkev2,
    vpnStrongIpsecPolicy,
    vpnP2sEntra,
    vpnP2sCustomAudience,
    vpnStaticRouting,
    vhubRoutingIntent,
    firewallAuditLogs,
  ],
};

/** Kubernetes workloads: resources, probes, pod security, HPA and PDB. */
export const KUBERNETES_PACK: PolicyPack = {
  name: "kubernetes",
  rules: [
    containerResources,
    containerProbes,
    runAsNonRoot,
    readOnlyRootFilesystem,
    noPrivilegeEscalation,
    dropAllCapabilities,
    seccompRuntimeDefault,
    deploymentHasHpa,
    hpaMinReplicas,
    pdbAllowsDrain,
  ],
};

/** Every pack; each rule only looks at its own terraform types, so all packs run on every stack. */
export const DEFAULT_PACKS: readonly PolicyPack[] = [AWS_PACK, AZURE_PACK, KUBERNETES_PACK];

/** How the packs run. */
export interface PolicyOptions {
  /**
   * Packs to run.
   * @default DEFAULT_PACKS
   */
  readonly packs?: readonly PolicyPack[];
  /**
   * Fail synth with a ConfigError when a violation is not suppressed. `false` only reports
   * (files and warnings) — for looking at the findings of a tree being fixed, never for CI.
   * @default true
   */
  readonly enforce?: boolean;
}

const APPLIED = Symbol.for("fintech-platform/policy-packs");

/**
 * Run the packs over every stack of `app` at synth time. Call it after all stacks exist (last
 * in `buildApp`): stacks added later are not checked. The report is written to
 * `<outdir>/policy-report.json` and `.md`; see docs/policy-packs.md.
 */
export function applyPolicyPacks(app: App, options: PolicyOptions = {}): PolicyCheck {
  if (app.skipValidation) {
    throw new ConfigError("policy packs run as an App validation, and this App sets skipValidation, which would skip them silently; remove skipValidation");
  }
  if ((app as unknown as Record<symbol, unknown>)[APPLIED]) {
    throw new ConfigError("policy packs are already applied to this App; apply them once, in buildApp");
  }
  Object.defineProperty(app, APPLIED, { value: true });
  const check = new PolicyCheck(app, {
    rules: (options.packs ?? DEFAULT_PACKS).flatMap((pack) => pack.rules),
    enforce: options.enforce ?? true,
  });
  for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
    // On each stack, not on the App: cdktf 0.21 never visits aspects added to the App.
    Aspects.of(stack).add(check.aspectFor(stack));
  }
  app.node.addValidation({
    validate: () => {
      check.finish();
      return [];
    },
  });
  return check;
}
