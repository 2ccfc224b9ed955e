import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { PointToSiteVpn } from "../../constructs/azure/vpn/point-to-site";
import { SiteToSiteVpn } from "../../constructs/azure/vpn/site-to-site-vpn";
import { AzureProdEnvironment } from "../../environments/schema";
import { AzureEnvironmentStack } from "./azure-stack";
import { AzureNetworkStack } from "./network-stack";

/**
 * `<env>-azure-vpn`: the VPN gateways in the Virtual WAN secured hub — site-to-site with one VPN
 * site and connection per customer, and point-to-site for database administrators. Routing intent
 * in the network stack sends every flow from either through the hub firewall.
 */
export class AzureVpnStack extends AzureEnvironmentStack {
  /** The customers' gateway, sites and connections. */
  public readonly siteToSite: SiteToSiteVpn;
  /** The DB admins' point-to-site gateway. */
  public readonly pointToSite: PointToSiteVpn;
  /** Site-to-site gateway name. */
  public readonly gatewayName: string;
  /** Point-to-site gateway name. */
  public readonly pointToSiteGatewayName: string;
  /** Resource group of the gateways and the connections. */
  public readonly resourceGroupName: string;
  /** Customer name -> Azure connection name (`cn-<customer>`), for tunnel monitors. */
  public readonly customerConnectionNames: Readonly<Record<string, string>>;

  constructor(scope: Construct, env: AzureProdEnvironment, network: AzureNetworkStack) {
    super(scope, "vpn", { env });
    this.resourceGroupName = network.spoke.resourceGroup.name;
    const pool = env.vpn.pointToSite.addressPool;
    this.siteToSite = new SiteToSiteVpn(this, "customers", {
      gatewayName: env.vpn.gatewayName,
      virtualHubId: network.securedHub.hub.id,
      virtualWanId: network.securedHub.virtualWan.id,
      resourceGroupName: this.resourceGroupName,
      location: env.location,
      scaleUnits: env.vpn.scaleUnits,
      occupiedRanges: [
        { name: "spoke VNet", cidr: env.network.vnetCidr },
        { name: "network.virtualHub.addressPrefix", cidr: env.network.virtualHub.addressPrefix },
        ...pool.map((cidr, i) => ({ name: `pointToSite.addressPool[${i}]`, cidr })),
      ],
      customers: env.vpn.customers,
      keyVaultId: network.vpnKeyVault.vault.id,
    });
    this.pointToSite = new PointToSiteVpn(this, "point-to-site", {
      gatewayName: env.vpn.pointToSite.gatewayName,
      virtualHubId: network.securedHub.hub.id,
      resourceGroupName: this.resourceGroupName,
      location: env.location,
      scaleUnits: env.vpn.pointToSite.scaleUnits,
      pointToSite: {
        addressPool: pool,
        tenantId: env.tenantId,
        audience: env.vpn.pointToSite.audience,
        adminGroupObjectId: env.vpn.pointToSite.adminGroupObjectId,
        defaultAudienceReason: env.vpn.pointToSite.allowDefaultAudience?.reason,
        rootCertificates: env.vpn.pointToSite.rootCertificates,
      },
    });
    this.gatewayName = env.vpn.gatewayName;
    this.pointToSiteGatewayName = env.vpn.pointToSite.gatewayName;
    this.customerConnectionNames = Object.fromEntries(env.vpn.customers.map((c, i) => [c.name, this.siteToSite.connectionNames[i]]));
    new TerraformOutput(this, "gateway-id", { value: this.siteToSite.gateway.id });
    new TerraformOutput(this, "customer-connections", { value: this.customerConnectionNames });
    // Names only, never a key: where each connection's Key Vault reference points.
    new TerraformOutput(this, "shared-key-source", {
      value: { keyVault: env.keyVault.name, secrets: this.siteToSite.sharedKeySecretNames },
    });
  }
}
