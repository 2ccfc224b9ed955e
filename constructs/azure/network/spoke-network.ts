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
import { PRIVATE_ENDPOINT_POLICIES } from "./reachability";

/** Props of {@link SpokeNetwork}. */
export interface SpokeNetworkProps {
  /** Resource group created for the spoke (the virtual WAN, hub and VPN live here too). */
  readonly resourceGroupName: string;
  /** Azure region. */
  readonly location: string;
  /** Virtual network name. */
  readonly vnetName: string;
  /** The VNet address space, e.g. "10.20.0.0/16". */
  readonly addressSpace: string;
  /** AKS node subnet range. */
  readonly aksNodeSubnetCidr: string;
  /** Subnet for database private endpoints, guarded by its own NSG. @default none */
  readonly databaseSubnetCidr?: string;
  /**
   * Customers and point-to-site clients arriving through the virtual hub, and what each may reach:
   * the NSGs deny everything else from them (see isolation.ts), behind the hub firewall.
   * @default nobody arrives through the hub (only the internet deny)
   */
  readonly isolation?: HubIsolation;
}

const NO_ISOLATION: HubIsolation = { customers: [], pointToSitePool: [], pointToSiteDatabases: [] };

/**
 * The spoke virtual network connected to the Virtual WAN hub: an AKS node subnet and an optional
 * database subnet, each guarded by an NSG that admits customers and VPN clients only to what
 * config grants them (isolation.ts) — defense in depth behind the hub firewall. It has no gateway
 * (a VNet connected to a virtual hub must not have one). The address plan is checked before
 * anything is built: every subnet inside the VNet, no two overlapping, grants inside guarded subnets.
 */
export class SpokeNetwork extends Construct {
  /** The resource group (the virtual WAN, hub and VPN gateways live here too). */
  public readonly resourceGroup: ResourceGroup;
  /** The virtual network. */
  public readonly vnet: VirtualNetwork;
  /** The AKS node subnet. */
  public readonly aksNodeSubnet: Subnet;
  /** The NSG on the AKS node subnet. */
  public readonly aksNodeSecurityGroup: NetworkSecurityGroup;
  /** The database subnet, when configured. */
  public readonly databaseSubnet?: Subnet;
  /** The NSG on the database subnet, when configured. */
  public readonly databaseSecurityGroup?: NetworkSecurityGroup;

  constructor(scope: Construct, id: string, props: SpokeNetworkProps) {
    super(scope, id);
    checkAt(this, () => this.checkAddressPlan(props));

    this.resourceGroup = new ResourceGroup(this, "resource-group", { name: props.resourceGroupName, location: props.location });
    this.vnet = new VirtualNetwork(this, "vnet", {
      name: props.vnetName,
      resourceGroupName: this.resourceGroup.name,
      location: props.location,
      addressSpace: [props.addressSpace],
    });
    this.aksNodeSubnet = new Subnet(this, "aks-node-subnet", {
      name: "snet-aks-nodes",
      resourceGroupName: this.resourceGroup.name,
      virtualNetworkName: this.vnet.name,
      addressPrefixes: [props.aksNodeSubnetCidr],
      // Nodes leave through the cluster's load balancer, never through implicit default outbound access.
      defaultOutboundAccessEnabled: false,
      // A private endpoint placed here later stays behind the hub firewall and this NSG (see below).
      privateEndpointNetworkPolicies: PRIVATE_ENDPOINT_POLICIES,
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
        // Without this, NSG rules do not apply to private endpoints and the database NSG would be
        // decorative, and branch traffic to an endpoint would bypass the hub firewall: Azure routes
        // on-premises traffic to a spoke's private endpoints around routing intent unless the
        // route-table policy applies (reachability.ts refuses a spoke subnet without it).
        privateEndpointNetworkPolicies: PRIVATE_ENDPOINT_POLICIES,
      });
      this.databaseSecurityGroup = this.guard("database", this.databaseSubnet, `nsg-${props.vnetName}-databases`, props, isolationRules(props.databaseSubnetCidr, isolation));
    }
  }

  /** An NSG with `rules` on `subnet`. */
  private guard(id: string, subnet: Subnet, name: string, props: SpokeNetworkProps, rules: NetworkSecurityGroupSecurityRule[]): NetworkSecurityGroup {
    const nsg = new NetworkSecurityGroup(this, `${id}-nsg`, {
      name,
      resourceGroupName: this.resourceGroup.name,
      location: props.location,
      securityRule: rules,
    });
    new SubnetNetworkSecurityGroupAssociation(this, `${id}-nsg-association`, { subnetId: subnet.id, networkSecurityGroupId: nsg.id });
    return nsg;
  }

  private checkAddressPlan(props: SpokeNetworkProps): void {
    const vnet = parseCidr("vnetCidr", props.addressSpace);
    const subnets = [
      { name: "aksNodeSubnetCidr", cidr: props.aksNodeSubnetCidr },
      ...(props.databaseSubnetCidr ? [{ name: "databaseSubnetCidr", cidr: props.databaseSubnetCidr }] : []),
    ];
    for (const subnet of subnets) {
      if (!within(vnet, parseCidr(subnet.name, subnet.cidr))) {
        throw new ConfigError(`${subnet.name} ${subnet.cidr} is not inside the spoke VNet ${props.addressSpace}; pick a range within it`);
      }
    }
    assertNoOverlaps(subnets, "give each subnet its own range");
    checkIsolation(
      props.isolation ?? NO_ISOLATION,
      props.addressSpace,
      subnets.map((s) => ({ field: s.name, cidr: s.cidr })),
    );
  }
}
