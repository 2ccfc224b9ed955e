import { Construct } from "constructs";
import { ConfigError } from "../errors";
import { AlertMonitor } from "./alert-monitor";
import { NotificationTargets } from "./notifications";
import { Ownership } from "./ownership";
import { metric, monitorQuery } from "./query";

/** Props of {@link VpnMonitors}. */
export interface VpnMonitorsProps {
  /** Owner of the VPN (the platform team); the service tag is set per monitor. */
  readonly owner: Omit<Ownership, "service">;
  /** Who is told when a tunnel or the gateway is down (prod: the platform on-call). */
  readonly notifications: NotificationTargets;
  /** Azure name of the hub's site-to-site VPN gateway. */
  readonly gatewayName: string;
  /** Azure name of the hub's point-to-site VPN gateway. @default none (no point-to-site monitor) */
  readonly pointToSiteGatewayName?: string;
  /** Customer name -> Azure name of its site-to-site connection. */
  readonly customerConnections: Readonly<Record<string, string>>;
}

/**
 * Virtual WAN hub VPN monitors (Datadog Azure integration metrics): one "tunnel down" monitor per
 * customer, so each customer's outage is its own alert with its own name, and the health of the
 * site-to-site gateway and of the point-to-site gateway (the database administrators' access).
 */
export class VpnMonitors extends Construct {
  /** Tunnel monitor per customer name. */
  public readonly tunnels: Readonly<Record<string, AlertMonitor>>;
  /** Resource health of the site-to-site gateway (every tunnel depends on it). */
  public readonly gatewayHealth: AlertMonitor;
  /** Resource health of the point-to-site gateway, when there is one. */
  public readonly pointToSiteHealth?: AlertMonitor;

  constructor(scope: Construct, id: string, props: VpnMonitorsProps) {
    super(scope, id);
    const tunnels: Record<string, AlertMonitor> = {};
    for (const [customer, connection] of Object.entries(props.customerConnections)) {
      if (!/^[a-z][a-z0-9-]*$/.test(customer)) {
        throw new ConfigError(`customer "${customer}" must be lower-case letters, digits and dashes (it becomes a tag)`, this);
      }
      tunnels[customer] = new AlertMonitor(this, `tunnel-${customer}`, {
        owner: { ...props.owner, service: `vpn-s2s-${customer}` },
        notifications: props.notifications,
        title: `site-to-site tunnel to ${customer} down`,
        description: `No traffic through the IPsec tunnel ${connection} (customer ${customer}) on ${props.gatewayName} for 15 minutes. Check the connection status and IKE logs in Azure, then call the customer's network contact.`,
        query: monitorQuery(
          {
            aggregator: "max",
            window: "last_15m",
            expression: metric({
              aggregator: "sum",
              metric: "azure.network_vpngateways.tunnel_average_bandwidth",
              filter: { name: props.gatewayName.toLowerCase(), connectionname: connection.toLowerCase() },
            }),
            comparator: "<=",
            threshold: 0,
          },
          this,
        ),
        thresholds: { critical: 0 },
        unit: "bytes-per-second",
        // A torn-down tunnel stops reporting entirely: that is the outage too.
        noData: { notify: true, afterMinutes: 30 },
      });
    }
    this.tunnels = tunnels;

    this.gatewayHealth = this.health("gateway-health", "vpn-gateway", "azure.network_vpngateways.count", props.gatewayName, props,
      `Azure Resource Health does not report the site-to-site gateway ${props.gatewayName} as Running: every customer tunnel is at risk. Check Resource Health and the gateway's activity log in the virtual hub.`,
      "site-to-site VPN gateway unhealthy");
    if (props.pointToSiteGatewayName) {
      this.pointToSiteHealth = this.health("p2s-gateway-health", "vpn-p2s-gateway", "azure.network_p2svpngateways.count", props.pointToSiteGatewayName, props,
        `Azure Resource Health does not report the point-to-site gateway ${props.pointToSiteGatewayName} as Running: database administrators cannot connect. Check Resource Health and the gateway's activity log in the virtual hub.`,
        "point-to-site VPN gateway unhealthy");
    }
  }

  /** A Resource Health monitor of one hub gateway: its running series under 1 (or gone: no data). */
  private health(id: string, service: string, metricName: string, gateway: string, props: VpnMonitorsProps, description: string, title: string): AlertMonitor {
    return new AlertMonitor(this, id, {
      owner: { ...props.owner, service },
      notifications: props.notifications,
      title,
      description,
      query: monitorQuery(
        {
          aggregator: "max",
          window: "last_15m",
          expression: metric({ aggregator: "sum", metric: metricName, filter: { name: gateway.toLowerCase(), status: "running" } }),
          comparator: "<",
          threshold: 1,
        },
        this,
      ),
      thresholds: { critical: 1 },
      unit: "count",
      noData: { notify: true, afterMinutes: 30 },
    });
  }
}
