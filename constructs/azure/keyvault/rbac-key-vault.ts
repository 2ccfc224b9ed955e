import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { Construct } from "constructs";
import { parseCidr } from "../../core/cidr";
import { ConfigError } from "../../errors";
import { checkAt } from "../core/check-at";
import { BuiltInRoleName } from "../identity/built-in-roles";

/** Props of {@link RbacKeyVault}. */
export interface RbacKeyVaultProps {
  /** Globally unique vault name, 3-24 letters, digits or dashes. */
  readonly name: string;
  /** Existing resource group. */
  readonly resourceGroupName: string;
  /** Azure region. */
  readonly location: string;
  /** Entra ID tenant. */
  readonly tenantId: string;
  /**
   * Days a deleted vault or secret can be recovered (purge protection holds it that long).
   * @default 90
   */
  readonly softDeleteRetentionDays?: number;
  /** Principals granted "Key Vault Secrets Officer" (write secrets). @default [] */
  readonly secretsOfficerObjectIds?: readonly string[];
  /** Principals granted "Key Vault Secrets User" (read secrets), e.g. the terraform runner. @default [] */
  readonly secretsUserObjectIds?: readonly string[];
  /**
   * Public ranges allowed through the vault firewall. Empty means no public network access at all.
   * @default []
   */
  readonly allowedIpRanges?: readonly string[];
  /**
   * Let Azure Resource Manager read secrets named by Key Vault references in template deployment
   * parameters (resolved server-side; the deploying identity also needs
   * Microsoft.KeyVault/vaults/deploy/action). ARM is a trusted service, so the firewall's
   * AzureServices bypass lets it through.
   * @default false
   */
  readonly enabledForTemplateDeployment?: boolean;
}

const DEFAULT_SOFT_DELETE_DAYS = 90;
/** Role of `secretsOfficerObjectIds`: write (and read) secrets. */
export const KEY_VAULT_OFFICER_ROLE: BuiltInRoleName = "Key Vault Secrets Officer";
/** Role of `secretsUserObjectIds`: read secrets. */
export const KEY_VAULT_READER_ROLE: BuiltInRoleName = "Key Vault Secrets User";
const VAULT_NAME = /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;

/**
 * A Key Vault for secrets such as VPN pre-shared keys: RBAC authorization (no access policies),
 * purge protection, soft delete, a deny-by-default firewall, and `prevent_destroy`.
 */
export class RbacKeyVault extends Construct {
  /** The vault. */
  public readonly vault: KeyVault;

  constructor(scope: Construct, id: string, props: RbacKeyVaultProps) {
    super(scope, id);
    const retentionDays = props.softDeleteRetentionDays ?? DEFAULT_SOFT_DELETE_DAYS;
    const allowedIpRanges = props.allowedIpRanges ?? [];
    if (!VAULT_NAME.test(props.name)) {
      throw new ConfigError(`name "${props.name}" must be 3-24 letters, digits or single dashes, starting with a letter`, this);
    }
    if (!Number.isInteger(retentionDays) || retentionDays < 7 || retentionDays > 90) {
      throw new ConfigError(`softDeleteRetentionDays must be an integer from 7 to 90, got ${retentionDays}`, this);
    }
    checkAt(this, () =>
      allowedIpRanges.forEach((range, i) => {
        if (parseCidr(`allowedIpRanges[${i}]`, range).bitmask === 0) {
          throw new ConfigError(`allowedIpRanges[${i}] ${range} opens the vault to the whole internet; list specific ranges`);
        }
      }),
    );

    this.vault = new KeyVault(this, "vault", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tenantId: props.tenantId,
      skuName: "standard",
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: retentionDays,
      enabledForTemplateDeployment: props.enabledForTemplateDeployment ?? false,
      publicNetworkAccessEnabled: allowedIpRanges.length > 0,
      networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [...allowedIpRanges] },
      lifecycle: { preventDestroy: true },
    });
    this.grant(KEY_VAULT_OFFICER_ROLE, "officer", props.secretsOfficerObjectIds ?? []);
    this.grant(KEY_VAULT_READER_ROLE, "user", props.secretsUserObjectIds ?? []);
  }

  private grant(role: BuiltInRoleName, idPrefix: string, principalIds: readonly string[]): void {
    principalIds.forEach((principalId, index) => {
      new RoleAssignment(this, `${idPrefix}-${index}`, { scope: this.vault.id, roleDefinitionName: role, principalId });
    });
  }
}
