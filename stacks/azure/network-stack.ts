import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { RbacKeyVault } from "../../constructs/azure/keyvault/rbac-key-vault";
import { FIREWALL_AUDIT_CATEGORIES, KEY_VAULT_AUDIT_CATEGORIES } from "../../constructs/azure/monitor/audit-categories";
import { AuditLogs, AuditWorkspace } from "../../constructs/azure/monitor/audit-logs";
import { HubIsolation } from "../../constructs/azure/network/isolation";
import { SecuredHub } from "../../constructs/azure/network/secured-hub";
import { SpokeNetwork } from "../../constructs/azure/network/spoke-network";
import { withRunnerEgress } from "../../constructs/core/ci-runners";
import { ConfigError } from "../../constructs/errors";
import { AzureProdEnvironment } from "../../environments/schema";
import { AzureEnvironmentStack } from "./azure-stack";

/** Who arrives through the virtual hub and what config grants each (customers, P2S DB admins). */
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
 * `<env>-azure-network`: the spoke VNet with its subnets and NSGs, the Virtual WAN secured hub
 * (firewall, routing intent, the spoke's hub connection), and the Key Vault holding customer
 * pre-shared keys. The vault lives here, one stack before the VPN, so keys can be stored in it
 * before the connections that reference them are deployed.
 */
export class AzureNetworkStack extends AzureEnvironmentStack {
  /** Spoke VNet, AKS node and database subnets with their NSGs. */
  public readonly spoke: SpokeNetwork;
  /** The virtual WAN, secured hub, firewall and routing intent. */
  public readonly securedHub: SecuredHub;
  /** Vault of the site-to-site pre-shared keys. */
  public readonly vpnKeyVault: RbacKeyVault;

  constructor(scope: Construct, env: AzureProdEnvironment) {
    super(scope, "network", { env });
    const isolation = hubIsolation(env);
    this.spoke = new SpokeNetwork(this, "hub", {
      resourceGroupName: env.network.resourceGroupName,
      location: env.location,
      vnetName: env.network.vnetName,
      addressSpace: env.network.vnetCidr,
      aksNodeSubnetCidr: env.network.aksNodeSubnetCidr,
      databaseSubnetCidr: env.network.databaseSubnetCidr,
      isolation,
    });
    const hub = env.network.virtualHub;
    this.securedHub = new SecuredHub(this, "secured-hub", {
      resourceGroupName: this.spoke.resourceGroup.name,
      location: env.location,
      virtualWanName: hub.virtualWanName,
      hubName: hub.name,
      hubAddressPrefix: hub.addressPrefix,
      firewall: hub.firewall,
      spoke: { name: env.network.vnetName, vnetId: this.spoke.vnet.id, addressSpace: env.network.vnetCidr },
      isolation,
    });
    this.vpnKeyVault = new RbacKeyVault(this, "vpn-key-vault", {
      name: env.keyVault.name,
      resourceGroupName: this.spoke.resourceGroup.name,
      location: env.location,
      tenantId: env.tenantId,
      softDeleteRetentionDays: env.keyVault.softDeleteRetentionDays,
      secretsOfficerObjectIds: env.keyVault.secretsOfficerObjectIds,
      // Nobody in CI reads the keys: Azure Resource Manager resolves them while deploying each
      // connection (site-to-site-vpn.ts). The apply identity's Contributor role carries the
      // Microsoft.KeyVault/vaults/deploy/action that a Key Vault reference requires.
      enabledForTemplateDeployment: true,
      allowedIpRanges: withRunnerEgress(env.keyVault.allowedIpRanges, env.ci.runners),
    });
    // Every read of a pre-shared key and every flow the hub firewall allows or denies is logged, into
    // the state stack's audit workspace (its id built from config: a data source would put the
    // workspace's shared keys in this stack's state), kept for audit.retentionDays.
    const workspaceId = AuditWorkspace.idFor(env.subscriptionId, env.state.resourceGroupName, env.audit.workspaceName);
    new AuditLogs(this, "vpn-key-vault-audit", { targetResourceId: this.vpnKeyVault.vault.id, workspaceId, categories: KEY_VAULT_AUDIT_CATEGORIES });
    new AuditLogs(this, "hub-firewall-audit", { targetResourceId: this.securedHub.firewall.id, workspaceId, categories: FIREWALL_AUDIT_CATEGORIES });
    new TerraformOutput(this, "vnet-id", { value: this.spoke.vnet.id });
    new TerraformOutput(this, "virtual-hub-id", { value: this.securedHub.hub.id });
    new TerraformOutput(this, "vpn-key-vault-uri", { value: this.vpnKeyVault.vault.vaultUri });
  }
}
