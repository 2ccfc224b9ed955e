import { NetworkSecurityGroup, NetworkSecurityGroupSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-group";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { Construct } from "constructs";
import { assertNoOverlaps, parseCidr, within } from "../../core/cidr";
import { ConfigError } from "../../errors";
import { checkAt } from "../core/check-at";
import { checkIsolation, HubIsolation, isolationRules } from "./isolation";

/** Props of {@link HubNetwork}. */
export interface HubNetworkProps {
  /** Resource group created for the hub. */
  readonly resourceGroupName: string;
  /** Azure region. */
  readonly location: string;
  /** Virtual network name. */
  readonly vnetName: string;
  /** The VNet address space, e.g. "10.20.0.0/16". */
  readonly addressSpace: string;
  /** GatewaySubnet range: /27 or larger (Azure's minimum for VPN gateways that may grow). */
  readonly gatewaySubnetCidr: string;
  /** AKS node subnet range. */
  readonly aksNodeSubnetCidr: string;
  /** Subnet for database private endpoints, guarded by its own NSG. @default none */
  readonly databaseSubnetCidr?: string;
  /**
   * Customers and point-to-site clients arriving through the VPN gateway, and what each may reach:
   * the NSGs deny everything else from them (see isolation.ts).
   * @default nobody arrives through the gateway (only the internet deny)
   */
  readonly isolation?: HubIsolation;
}

const NO_ISOLATION: HubIsolation = { customers: [], pointToSitePool: [], pointToSiteDatabases: [] };

/** Smallest GatewaySubnet Azure supports for active-active, BGP and coexistence scenarios. */
const MAX_GATEWAY_SUBNET_PREFIX = 27;

/**
 * The hub virtual network: a GatewaySubnet for the VPN gateway, an AKS node subnet and an optional
 * database subnet, each guarded by an NSG that admits customers and VPN clients only to what
 * config grants them (isolation.ts). The address plan is checked before anything is built: every
 * subnet inside the VNet, no two overlapping, GatewaySubnet at least /27, grants inside guarded subnets.
 */
export class HubNetwork extends Construct {
  /** The hub resource group (the VPN gateway lives here too). */
  public readonly resourceGroup: ResourceGroup;
  /** The virtual network. */
  public readonly vnet: VirtualNetwork;
  /** The GatewaySubnet. */
  public readonly gatewaySubnet: Subnet;
  /** The AKS node subnet. */
  public readonly aksNodeSubnet: Subnet;
  /** The NSG on the AKS node subnet. */
  public readonly aksNodeSecurityGroup: NetworkSecurityGroup;
  /** The database subnet, when configured. */
  public readonly databaseSubnet?: Subnet;
  /** The NSG on the database subnet, when configured. */
  public readonly databaseSecurityGroup?: NetworkSecurityGroup;

  constructor(scope: Construct, id: string, props: HubNetworkProps) {
    super(scope, id);
    checkAt(this, () => this.checkAddressPlan(props));

    this.resourceGroup = new ResourceGroup(this, "resource-group", { name: props.resourceGroupName, location: props.location });
    this.vnet = new VirtualNetwork(this, "vnet", {
      name: props.vnetName,
      resourceGroupName: this.resourceGroup.name,
      location: props.location,
      addressSpace: [props.addressSpace],
    });
    // Azure requires this exact name; NSGs on it are unsupported, so it gets none.
    this.gatewaySubnet = new Subnet(this, "gateway-subnet", {
      name: "GatewaySubnet",
      resourceGroupName: this.resourceGroup.name,
      virtualNetworkName: this.vnet.name,
      addressPrefixes: [props.gatewaySubnetCidr],
    });
    this.aksNodeSubnet = new Subnet(this, "aks-node-subnet", {
      name: "snet-aks-nodes",
      resourceGroupName: this.resourceGroup.name,
      virtualNetworkName: this.vnet.name,
      addressPrefixes: [props.aksNodeSubnetCidr],
      // Nodes leave through the cluster's load balancer, never through implicit default outbound access.
      defaultOutboundAccessEnabled: false,
    });
    const isolation = props.isolation ?? NO_ISOLATION;
    this.aksNodeSecurityGroup = this.guard("aks-node", this.aksNodeSubnet, `nsg-${props.vnetName}-aks-nodes`, props, isolationRules(props.aksNodeSubnetCidr, isolation));
    if (props.databaseSubnetCidr) {
      this.databaseSubnet = new Subnet(this, "database-subnet", {
        name: "snet-databases",
        resourceGroupName: this.resourceGroup.name,
        virtualNetworkName: this.vnet.name,
        addressPrefixes: [props.databaseSubnetCidr],
        defaultOutboundAccessEnabled: false,
        // Without this, NSG rules do not apply to private endpoints and the database NSG would be decorative.
        privateEndpointNetworkPolicies: "Enabled",
      });
      this.databaseSecurityGroup = this.guard("database", this.databaseSubnet, `nsg-${props.vnetName}-databases`, props, isolationRules(props.databaseSubnetCidr, isolation));
    }
  }

  /** An NSG with `rules` on `subnet`. */
  private guard(id: string, subnet: Subnet, name: string, props: HubNetworkProps, rules: NetworkSecurityGroupSecurityRule[]): NetworkSecurityGroup {
    const nsg = new NetworkSecurityGroup(this, `${id}-nsg`, {
      name,
      resourceGroupName: this.resourceGroup.name,
      location: props.location,
      securityRule: rules,
    });
    new SubnetNetworkSecurityGroupAssociation(this, `${id}-nsg-association`, { subnetId: subnet.id, networkSecurityGroupId: nsg.id });
    return nsg;
  }

  private checkAddressPlan(props: HubNetworkProps): void {
    const vnet = parseCidr("vnetCidr", props.addressSpace);
    const subnets = [
      { name: "gatewaySubnetCidr", cidr: props.gatewaySubnetCidr },
      { name: "aksNodeSubnetCidr", cidr: props.aksNodeSubnetCidr },
      ...(props.databaseSubnetCidr ? [{ name: "databaseSubnetCidr", cidr: props.databaseSubnetCidr }] : []),
    ];
    for (const subnet of subnets) {
      if (!within(vnet, parseCidr(subnet.name, subnet.cidr))) {
        throw new ConfigError(`${subnet.name} ${subnet.cidr} is not inside the hub VNet ${props.addressSpace}; pick a range within it`);
      }
    }
    const gateway = parseCidr("gatewaySubnetCidr", props.gatewaySubnetCidr);
    if (gateway.bitmask > MAX_GATEWAY_SUBNET_PREFIX) {
      throw new ConfigError(
        `gatewaySubnetCidr ${props.gatewaySubnetCidr} is smaller than /${MAX_GATEWAY_SUBNET_PREFIX}; Azure VPN gateways need a GatewaySubnet of /27 or larger`,
      );
    }
    assertNoOverlaps(subnets, "give each subnet its own range");
    checkIsolation(
      props.isolation ?? NO_ISOLATION,
      props.addressSpace,
      subnets.filter((s) => s.name !== "gatewaySubnetCidr").map((s) => ({ field: s.name, cidr: s.cidr })),
    );
  }
}
