import { Firewall } from "@cdktf/provider-azurerm/lib/firewall";
import { FirewallPolicy } from "@cdktf/provider-azurerm/lib/firewall-policy";
import { FirewallPolicyRuleCollectionGroup } from "@cdktf/provider-azurerm/lib/firewall-policy-rule-collection-group";
import { VirtualHub } from "@cdktf/provider-azurerm/lib/virtual-hub";
import { VirtualHubConnection } from "@cdktf/provider-azurerm/lib/virtual-hub-connection";
import { VirtualHubRoutingIntent } from "@cdktf/provider-azurerm/lib/virtual-hub-routing-intent";
import { VirtualWan } from "@cdktf/provider-azurerm/lib/virtual-wan";
import { Construct } from "constructs";
import { assertNoOverlaps, NamedCidr, parseCidr, within } from "../../core/cidr";
import { ConfigError } from "../../errors";
import { checkAt } from "../core/check-at";
import { firewallRuleCollections, ISOLATION_RULE_GROUP_PRIORITY } from "./firewall-rules";
import { HubIsolation } from "./isolation";

/** Azure Firewall tiers that can sit in a virtual hub with a firewall policy. */
export const HUB_FIREWALL_SKUS = ["Standard", "Premium"] as const;
/** Threat-intelligence modes of a firewall policy. */
export const THREAT_INTEL_MODES = ["Deny", "Alert", "Off"] as const;

/** The hub's Azure Firewall. */
export interface HubFirewallProps {
  /** Firewall name (its policy is `<name>-policy`). */
  readonly name: string;
  /** Tier. Basic is refused: it lacks the throughput and threat intelligence a customer hub needs. @default "Standard" */
  readonly sku?: (typeof HUB_FIREWALL_SKUS)[number];
  /** Threat intelligence on the policy: Deny drops traffic to and from known-malicious addresses. @default "Deny" */
  readonly threatIntelMode?: (typeof THREAT_INTEL_MODES)[number];
  /** Public IPs the firewall gets in the hub (it needs at least one). @default 1 */
  readonly publicIpCount?: number;
}

/** Props of {@link SecuredHub}. */
export interface SecuredHubProps {
  /** Resource group of the virtual WAN, hub and firewall. */
  readonly resourceGroupName: string;
  /** Azure region of the hub. */
  readonly location: string;
  /** Virtual WAN name (Standard type: the only one with routing intent, firewalls and P2S). */
  readonly virtualWanName: string;
  /** Virtual hub name. */
  readonly hubName: string;
  /**
   * The hub's own range: the VPN gateways, firewall and router live in it. /24 at least (Azure's
   * minimum), /23 recommended; never overlapping the spoke, a customer or the P2S pool.
   */
  readonly hubAddressPrefix: string;
  /** The firewall every private flow passes. */
  readonly firewall: HubFirewallProps;
  /** The spoke VNet (AKS, databases) connected to the hub. */
  readonly spoke: {
    /** VNet name; the hub connection is `hc-<name>`. */
    readonly name: string;
    /** VNet resource id. */
    readonly vnetId: string;
    /** VNet address space, checked against the hub prefix. */
    readonly addressSpace: string;
  };
  /** Who arrives through the hub and what each may reach: the firewall policy's only allow rules. */
  readonly isolation: HubIsolation;
}

/** Largest prefix length Azure accepts for a virtual hub's address space. */
export const MAX_HUB_PREFIX_LENGTH = 24;
const DEFAULT_FIREWALL_SKU = "Standard";
const DEFAULT_THREAT_INTEL_MODE = "Deny";
const DEFAULT_FIREWALL_PUBLIC_IPS = 1;
/** Name of the routing intent's only policy: every RFC 1918 flow goes to the firewall. */
export const PRIVATE_TRAFFIC_POLICY = "PrivateTrafficPolicy";
/** Ranges routing intent's PrivateTraffic policy covers by default (RFC 1918). */
export const PRIVATE_TRAFFIC_PREFIXES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/**
 * A Virtual WAN (Standard) secured hub: Azure Firewall (AZFW_Hub) with a firewall policy whose
 * only allows are what config grants, and routing intent with a Private Traffic policy whose next
 * hop is that firewall, so every branch-to-branch (site-to-site and point-to-site) and
 * branch-to-VNet flow is routed through the firewall by Azure itself. The AKS/database VNet is a
 * spoke connected to the hub (without internet security: its internet egress stays its own).
 *
 * Threat: a customer reaching another customer or the VPN clients. On a single VNet gateway that
 * hinges on traffic selectors a customer's device may widen; here the hub's routing hands every
 * private flow to the firewall, whose default deny drops what no rule allows.
 */
export class SecuredHub extends Construct {
  /** The virtual WAN. */
  public readonly virtualWan: VirtualWan;
  /** The virtual hub (VPN gateways attach here). */
  public readonly hub: VirtualHub;
  /** The firewall policy (network rules from config). */
  public readonly firewallPolicy: FirewallPolicy;
  /** The hub's firewall. */
  public readonly firewall: Firewall;
  /** Routing intent: private traffic to the firewall. */
  public readonly routingIntent: VirtualHubRoutingIntent;
  /** The spoke's connection to the hub. */
  public readonly spokeConnection: VirtualHubConnection;

  constructor(scope: Construct, id: string, props: SecuredHubProps) {
    super(scope, id);
    const sku = props.firewall.sku ?? DEFAULT_FIREWALL_SKU;
    const threatIntelMode = props.firewall.threatIntelMode ?? DEFAULT_THREAT_INTEL_MODE;
    const publicIpCount = props.firewall.publicIpCount ?? DEFAULT_FIREWALL_PUBLIC_IPS;
    checkAt(this, () => checkHub(props, sku, threatIntelMode, publicIpCount));

    this.virtualWan = new VirtualWan(this, "virtual-wan", {
      name: props.virtualWanName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      type: "Standard",
      // No branch-to-branch transit at all (defense in depth). Not relied on: the reachability model
      // assumes transit is possible and proves the firewall denies it anyway.
      allowBranchToBranchTraffic: false,
    });
    this.hub = new VirtualHub(this, "hub", {
      name: props.hubName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      virtualWanId: this.virtualWan.id,
      addressPrefix: props.hubAddressPrefix,
      sku: "Standard",
      branchToBranchTrafficEnabled: false,
    });
    this.firewallPolicy = new FirewallPolicy(this, "firewall-policy", {
      name: `${props.firewall.name}-policy`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku,
      threatIntelligenceMode: threatIntelMode,
    });
    const collections = firewallRuleCollections(props.isolation);
    if (collections.length > 0) {
      new FirewallPolicyRuleCollectionGroup(this, "isolation-rules", {
        name: "isolation",
        firewallPolicyId: this.firewallPolicy.id,
        priority: ISOLATION_RULE_GROUP_PRIORITY,
        networkRuleCollection: collections,
      });
    }
    this.firewall = new Firewall(this, "firewall", {
      name: props.firewall.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      skuName: "AZFW_Hub",
      skuTier: sku,
      firewallPolicyId: this.firewallPolicy.id,
      virtualHub: { virtualHubId: this.hub.id, publicIpCount },
    });
    this.routingIntent = new VirtualHubRoutingIntent(this, "routing-intent", {
      name: "routing-intent",
      virtualHubId: this.hub.id,
      routingPolicy: [{ name: PRIVATE_TRAFFIC_POLICY, destinations: ["PrivateTraffic"], nextHop: this.firewall.id }],
    });
    this.spokeConnection = new VirtualHubConnection(this, "spoke-connection", {
      name: `hc-${props.spoke.name}`,
      virtualHubId: this.hub.id,
      remoteVirtualNetworkId: props.spoke.vnetId,
      // No 0.0.0.0/0 from the hub: only private traffic is steered; AKS keeps its own egress.
      internetSecurityEnabled: false,
      // Routing intent owns the hub's route tables; the connection's routing stays Azure-managed.
      dependsOn: [this.routingIntent],
    });
  }
}

function checkHub(props: SecuredHubProps, sku: string, threatIntelMode: string, publicIpCount: number): void {
  const hub = parseCidr("hubAddressPrefix", props.hubAddressPrefix);
  if (hub.bitmask > MAX_HUB_PREFIX_LENGTH) {
    throw new ConfigError(`hubAddressPrefix ${props.hubAddressPrefix} is smaller than /${MAX_HUB_PREFIX_LENGTH}, Azure's minimum for a virtual hub; use a /23 (recommended) or /24`);
  }
  if (!HUB_FIREWALL_SKUS.some((s) => s === sku)) {
    throw new ConfigError(`firewall.sku "${sku}" cannot secure this hub; use one of ${HUB_FIREWALL_SKUS.join(", ")}`);
  }
  if (!THREAT_INTEL_MODES.some((m) => m === threatIntelMode)) {
    throw new ConfigError(`firewall.threatIntelMode "${threatIntelMode}" is not one of ${THREAT_INTEL_MODES.join(", ")}`);
  }
  if (!Number.isInteger(publicIpCount) || publicIpCount < 1 || publicIpCount > 250) {
    throw new ConfigError(`firewall.publicIpCount ${publicIpCount} must be an integer from 1 to 250`);
  }
  const ranges: NamedCidr[] = [
    { name: "hubAddressPrefix", cidr: props.hubAddressPrefix },
    { name: "spoke VNet", cidr: props.spoke.addressSpace },
    ...props.isolation.pointToSitePool.map((cidr, i) => ({ name: `pointToSite.addressPool[${i}]`, cidr })),
    ...props.isolation.customers.flatMap((c) => c.addressSpaces.map((cidr, i) => ({ name: `customers[${c.name}].addressSpaces[${i}]`, cidr }))),
  ];
  assertNoOverlaps(ranges, "the hub, the spoke VNet, the point-to-site pool and every customer each need their own range");
  // Routing intent's PrivateTraffic policy covers RFC 1918 only: a range outside it would bypass the firewall.
  const privateBlocks = PRIVATE_TRAFFIC_PREFIXES.map((cidr) => parseCidr("private", cidr));
  for (const range of ranges.filter((r) => r.name !== "hubAddressPrefix")) {
    if (!privateBlocks.some((p) => within(p, parseCidr(range.name, range.cidr)))) {
      throw new ConfigError(
        `${range.name} ${range.cidr} is outside RFC 1918 (${PRIVATE_TRAFFIC_PREFIXES.join(", ")}), the ranges routing intent's PrivateTraffic policy sends through the firewall; traffic to it would bypass the firewall. Agree a NAT range inside RFC 1918 with the customer`,
      );
    }
  }
}
