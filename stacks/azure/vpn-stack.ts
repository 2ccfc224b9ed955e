import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { SiteToSiteVpn } from "../../constructs/azure/vpn/site-to-site-vpn";
import { VpnGateway } from "../../constructs/azure/vpn/vpn-gateway";
import { AzureProdEnvironment } from "../../environments/schema";
import { AzureEnvironmentStack } from "./azure-stack";
import { AzureNetworkStack } from "./network-stack";

/**
 * `<env>-azure-vpn`: the zone-redundant active-active VPN gateway in the hub, point-to-site for
 * database administrators and one site-to-site tunnel per customer.
 */
export class AzureVpnStack extends AzureEnvironmentStack {
  /** The gateway construct. */
  public readonly vpn: VpnGateway;
  /** The customer tunnels. */
  public readonly siteToSite: SiteToSiteVpn;
  /** Azure resource id of the VPN gateway. */
  public readonly gatewayId: string;
  /** Gateway name. */
  public readonly gatewayName: string;
  /** Resource group of the gateway and the connections. */
  public readonly resourceGroupName: string;
  /** Customer name -> Azure connection name (`cn-<customer>`), for tunnel monitors. */
  public readonly customerConnectionNames: Readonly<Record<string, string>>;

  constructor(scope: Construct, env: AzureProdEnvironment, network: AzureNetworkStack) {
    super(scope, "vpn", { env });
    this.resourceGroupName = network.hub.resourceGroup.name;
    this.vpn = new VpnGateway(this, "gateway", {
      name: env.vpn.gatewayName,
      resourceGroupName: this.resourceGroupName,
      location: env.location,
      gatewaySubnetId: network.hub.gatewaySubnet.id,
      vnetAddressSpace: [env.network.vnetCidr],
      sku: env.vpn.sku,
      bgpAsn: env.vpn.bgpAsn,
      pointToSite: {
        addressPool: env.vpn.pointToSite.addressPool,
        tenantId: env.tenantId,
        audience: env.vpn.pointToSite.audience,
        adminGroupObjectId: env.vpn.pointToSite.adminGroupObjectId,
        defaultAudienceReason: env.vpn.pointToSite.allowDefaultAudience?.reason,
        rootCertificates: env.vpn.pointToSite.rootCertificates,
      },
    });
    this.siteToSite = new SiteToSiteVpn(this, "customers", {
      gatewayId: this.vpn.gateway.id,
      resourceGroupName: this.resourceGroupName,
      location: env.location,
      occupiedRanges: this.vpn.occupiedRanges,
      customers: env.vpn.customers,
      gatewaySubnetCidr: env.network.gatewaySubnetCidr,
    });
    this.gatewayId = this.vpn.gateway.id;
    this.gatewayName = this.vpn.gateway.name;
    this.customerConnectionNames = Object.fromEntries(env.vpn.customers.map((c, i) => [c.name, this.siteToSite.connectionNames[i]]));
    new TerraformOutput(this, "gateway-id", { value: this.gatewayId });
    new TerraformOutput(this, "gateway-public-ips", { value: this.vpn.publicIps.map((ip) => ip.ipAddress) });
    new TerraformOutput(this, "customer-connections", { value: this.customerConnectionNames });
    // Names only, no key: what .github/scripts/set-vpn-shared-keys.sh copies from the vault.
    new TerraformOutput(this, "shared-key-source", {
      value: { keyVault: env.keyVault.name, resourceGroup: this.resourceGroupName, secrets: this.siteToSite.sharedKeySecretNames },
    });
  }
}
