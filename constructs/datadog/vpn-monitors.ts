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
  /** Azure name of the virtual network gateway. */
  readonly gatewayName: string;
  /** Customer name -> Azure name of its site-to-site connection. */
  readonly customerConnections: Readonly<Record<string, string>>;
}

/**
 * Azure VPN gateway monitors (Datadog Azure integration metrics): one "tunnel down" monitor per
 * customer, so each customer's outage is its own alert with its own name, and the gateway's
 * health, which carries the database administrators' point-to-site access.
 */
export class VpnMonitors extends Construct {
  /** Tunnel monitor per customer name. */
  public readonly tunnels: Readonly<Record<string, AlertMonitor>>;
  /** Resource health of the gateway (point-to-site and every tunnel depend on it). */
  public readonly gatewayHealth: AlertMonitor;

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
              metric: "azure.network_virtualnetworkgateways.tunnel_average_bandwidth",
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

    this.gatewayHealth = new AlertMonitor(this, "gateway-health", {
      owner: { ...props.owner, service: "vpn-gateway" },
      notifications: props.notifications,
      title: "VPN gateway (point-to-site) unhealthy",
      description: `Azure Resource Health does not report ${props.gatewayName} as Running: point-to-site access for database administrators and every customer tunnel are at risk. Check Resource Health and the gateway's activity log.`,
      query: monitorQuery(
        {
          aggregator: "max",
          window: "last_15m",
          expression: metric({ aggregator: "sum", metric: "azure.network_virtualnetworkgateways.count", filter: { name: props.gatewayName.toLowerCase(), status: "running" } }),
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
