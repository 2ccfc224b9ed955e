import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { RbacKeyVault } from "../../constructs/azure/keyvault/rbac-key-vault";
import { KEY_VAULT_AUDIT_CATEGORIES } from "../../constructs/azure/monitor/audit-categories";
import { AuditLogs, AuditWorkspace } from "../../constructs/azure/monitor/audit-logs";
import { HubNetwork } from "../../constructs/azure/network/hub-network";
import { HubIsolation } from "../../constructs/azure/network/isolation";
import { withRunnerEgress } from "../../constructs/core/ci-runners";
import { ConfigError } from "../../constructs/errors";
import { AzureProdEnvironment } from "../../environments/schema";
import { AzureEnvironmentStack } from "./azure-stack";

/** Who arrives through the VPN gateway and what config grants each (customers, P2S DB admins). */
export function hubIsolation(env: AzureProdEnvironment): HubIsolation {
  const databases = env.vpn.pointToSite.databases.map((name) => {
    const db = env.workloads.databases.find((d) => d.name === name);
    if (!db) {
      throw new ConfigError(`vpn.pointToSite.databases "${name}" is not one of workloads.databases (${env.workloads.databases.map((d) => d.name).join(", ") || "none defined"})`);
    }
    return db;
  });
  return {
    customers: env.vpn.customers.map((c) => ({ name: c.name, addressSpaces: c.addressSpaces, access: c.access })),
    pointToSitePool: env.vpn.pointToSite.addressPool,
    pointToSiteDatabases: databases,
  };
}

/**
 * `<env>-azure-network`: the hub VNet with its subnets and NSG, and the Key Vault holding customer
 * pre-shared keys. The vault lives here, one stack before the VPN, so keys can be stored in it before
 * the tunnels that read them are planned.
 */
export class AzureNetworkStack extends AzureEnvironmentStack {
  /** Hub VNet, GatewaySubnet and AKS node subnet. */
  public readonly hub: HubNetwork;
  /** Vault of the site-to-site pre-shared keys. */
  public readonly vpnKeyVault: RbacKeyVault;

  constructor(scope: Construct, env: AzureProdEnvironment) {
    super(scope, "network", { env });
    this.hub = new HubNetwork(this, "hub", {
      resourceGroupName: env.network.resourceGroupName,
      location: env.location,
      vnetName: env.network.vnetName,
      addressSpace: env.network.vnetCidr,
      gatewaySubnetCidr: env.network.gatewaySubnetCidr,
      aksNodeSubnetCidr: env.network.aksNodeSubnetCidr,
      databaseSubnetCidr: env.network.databaseSubnetCidr,
      isolation: hubIsolation(env),
    });
    this.vpnKeyVault = new RbacKeyVault(this, "vpn-key-vault", {
      name: env.keyVault.name,
      resourceGroupName: this.hub.resourceGroup.name,
      location: env.location,
      tenantId: env.tenantId,
      softDeleteRetentionDays: env.keyVault.softDeleteRetentionDays,
      secretsOfficerObjectIds: env.keyVault.secretsOfficerObjectIds,
      // Only the apply identity reads the keys (set-vpn-shared-keys.sh); plans never need them.
      secretsUserObjectIds: [env.ci.identities.apply.objectId],
      allowedIpRanges: withRunnerEgress(env.keyVault.allowedIpRanges, env.ci.runners),
    });
    // Every read of a pre-shared key is logged, into the state stack's audit workspace (looked up by name).
    new AuditLogs(this, "vpn-key-vault-audit", {
      targetResourceId: this.vpnKeyVault.vault.id,
      workspaceId: AuditWorkspace.lookup(this, "audit-workspace", env.state.resourceGroupName, env.audit.workspaceName),
      categories: KEY_VAULT_AUDIT_CATEGORIES,
    });
    new TerraformOutput(this, "vnet-id", { value: this.hub.vnet.id });
    new TerraformOutput(this, "vpn-key-vault-uri", { value: this.vpnKeyVault.vault.vaultUri });
  }
}
