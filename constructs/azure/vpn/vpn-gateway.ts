import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { VirtualNetworkGateway } from "@cdktf/provider-azurerm/lib/virtual-network-gateway";
import { Construct } from "constructs";
import { assertNoOverlaps, NamedCidr } from "../../core/cidr";
import { ConfigError } from "../../errors";
import { vpnP2sCustomAudience } from "../../policy/rules/azure/vpn-p2s-custom-audience";
import { suppressRule } from "../../policy/suppressions";
import { checkAt } from "../core/check-at";
import { checkBgpAsn } from "./bgp-asn";
import { pointToSiteConfiguration, PointToSiteProps } from "./point-to-site";

/** Props of {@link VpnGateway}. */
export interface VpnGatewayProps {
  /** Gateway name. */
  readonly name: string;
  /** Resource group of the hub VNet. */
  readonly resourceGroupName: string;
  /** Azure region. */
  readonly location: string;
  /** Id of the hub's GatewaySubnet. */
  readonly gatewaySubnetId: string;
  /** The hub VNet address space, for the point-to-site overlap check. */
  readonly vnetAddressSpace: readonly string[];
  /** Zone-redundant SKU. @default "VpnGw2AZ" */
  readonly sku?: string;
  /** Our BGP ASN. @default 65010 */
  readonly bgpAsn?: number;
  /** Point-to-site VPN; none when absent. */
  readonly pointToSite?: PointToSiteProps;
}

const DEFAULT_SKU = "VpnGw2AZ";
const DEFAULT_ASN = 65010;
const ZONES = ["1", "2", "3"];
const AZ_SKUS = ["VpnGw1AZ", "VpnGw2AZ", "VpnGw3AZ", "VpnGw4AZ", "VpnGw5AZ"];
const NON_AZ_SKUS = ["VpnGw1", "VpnGw2", "VpnGw3", "VpnGw4", "VpnGw5"];
const LEGACY_SKUS = ["Basic", "Standard", "HighPerformance"];
/** Only VpnGw1AZ is a Generation1 SKU; every other AZ SKU runs on the faster Generation2. */
const GENERATION1_SKUS = new Set(["VpnGw1AZ"]);

/**
 * A route-based, zone-redundant VPN gateway (AZ SKUs only) in active-active mode with BGP: two
 * zone-redundant Standard public IPs, one per instance, plus a third when point-to-site is on
 * (Azure requires exactly three IP configurations for active-active with VPN clients).
 */
export class VpnGateway extends Construct {
  /** The gateway. */
  public readonly gateway: VirtualNetworkGateway;
  /** Public IPs: the two instances' (S2S), then the point-to-site one if any. */
  public readonly publicIps: readonly PublicIp[];
  /** Address ranges in use on this side of the gateway (VNet, P2S pools), for customer overlap checks. */
  public readonly occupiedRanges: readonly NamedCidr[];

  constructor(scope: Construct, id: string, props: VpnGatewayProps) {
    super(scope, id);
    const sku = props.sku ?? DEFAULT_SKU;
    const bgpAsn = props.bgpAsn ?? DEFAULT_ASN;
    checkSku(this, sku);
    checkAt(this, () => checkBgpAsn("bgpAsn", bgpAsn));
    const vpnClientConfiguration = props.pointToSite && checkAt(this, () => pointToSiteConfiguration(props.pointToSite!));
    this.occupiedRanges = [
      ...props.vnetAddressSpace.map((cidr, i) => ({ name: `hub VNet[${i}]`, cidr })),
      ...(props.pointToSite?.addressPool ?? []).map((cidr, i) => ({ name: `pointToSite.addressPool[${i}]`, cidr })),
    ];
    checkAt(this, () => assertNoOverlaps(this.occupiedRanges, "the point-to-site pool must lie outside the VNet"));

    const ipNames = vpnClientConfiguration ? ["instance-0", "instance-1", "point-to-site"] : ["instance-0", "instance-1"];
    this.publicIps = ipNames.map(
      (ipName) =>
        new PublicIp(this, `pip-${ipName}`, {
          name: `pip-${props.name}-${ipName}`,
          resourceGroupName: props.resourceGroupName,
          location: props.location,
          sku: "Standard",
          allocationMethod: "Static",
          zones: ZONES,
        }),
    );
    this.gateway = new VirtualNetworkGateway(this, "gateway", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      type: "Vpn",
      vpnType: "RouteBased",
      sku,
      generation: GENERATION1_SKUS.has(sku) ? "Generation1" : "Generation2",
      activeActive: true,
      enableBgp: true,
      bgpSettings: { asn: bgpAsn },
      ipConfiguration: this.publicIps.map((ip, i) => ({
        name: ipNames[i],
        publicIpAddressId: ip.id,
        privateIpAddressAllocation: "Dynamic",
        subnetId: props.gatewaySubnetId,
      })),
      vpnClientConfiguration,
    });
    if (vpnClientConfiguration && props.pointToSite?.defaultAudienceReason) {
      suppressRule(this.gateway, vpnP2sCustomAudience.id, `point-to-site uses Microsoft's audience: ${props.pointToSite.defaultAudienceReason}`);
    }
  }
}

function checkSku(scope: Construct, sku: string): void {
  if (AZ_SKUS.includes(sku)) return;
  const fix = `use a zone-redundant SKU: ${AZ_SKUS.join(", ")}`;
  if (LEGACY_SKUS.includes(sku)) {
    throw new ConfigError(`sku "${sku}" is a legacy SKU Azure no longer creates and has no zone redundancy; ${fix}`, scope);
  }
  if (NON_AZ_SKUS.includes(sku)) {
    throw new ConfigError(`sku "${sku}" is not zone-redundant and Azure no longer creates non-AZ VPN gateway SKUs; ${fix}`, scope);
  }
  throw new ConfigError(`sku "${sku}" is not a VPN gateway SKU; ${fix}`, scope);
}
