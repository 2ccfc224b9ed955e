import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { MonitorDataCollectionRule } from "@cdktf/provider-azurerm/lib/monitor-data-collection-rule";
import { MonitorDataCollectionRuleAssociation } from "@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association";
import { Construct } from "constructs";
import { ConfigError } from "../../errors";

/** Props of {@link ContainerInsights}. */
export interface ContainerInsightsProps {
  /** Name for the workspace and rule, e.g. the cluster name. */
  readonly name: string;
  /** Existing resource group. */
  readonly resourceGroupName: string;
  /** Azure region. */
  readonly location: string;
  /** Days logs are kept (audit evidence). @default 90 */
  readonly retentionDays?: number;
}

const DEFAULT_RETENTION_DAYS = 90;
/** The stream group the Container Insights agent sends when authenticated with managed identity. */
const CONTAINER_INSIGHTS_STREAMS = ["Microsoft-ContainerInsights-Group-Default"];

/**
 * Container Insights for an AKS cluster: a Log Analytics workspace with retention and local
 * (shared-key) auth off, and the data collection rule the managed-identity agent needs. Call
 * `associate(clusterId)` once the cluster exists.
 */
export class ContainerInsights extends Construct {
  /** The workspace logs land in. */
  public readonly workspace: LogAnalyticsWorkspace;
  /** The data collection rule. */
  public readonly rule: MonitorDataCollectionRule;

  constructor(scope: Construct, id: string, props: ContainerInsightsProps) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? DEFAULT_RETENTION_DAYS;
    if (!Number.isInteger(retentionDays) || retentionDays < 30 || retentionDays > 730) {
      throw new ConfigError(`retentionDays must be an integer from 30 to 730, got ${retentionDays}`, this);
    }
    this.workspace = new LogAnalyticsWorkspace(this, "workspace", {
      name: `log-${props.name}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: "PerGB2018",
      retentionInDays: retentionDays,
      localAuthenticationEnabled: false,
    });
    this.rule = new MonitorDataCollectionRule(this, "rule", {
      name: `dcr-${props.name}-container-insights`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      kind: "Linux",
      destinations: { logAnalytics: [{ name: "workspace", workspaceResourceId: this.workspace.id }] },
      dataFlow: [{ streams: CONTAINER_INSIGHTS_STREAMS, destinations: ["workspace"] }],
      dataSources: {
        extension: [
          {
            name: "ContainerInsightsExtension",
            extensionName: "ContainerInsights",
            streams: CONTAINER_INSIGHTS_STREAMS,
            extensionJson: JSON.stringify({
              dataCollectionSettings: { interval: "1m", namespaceFilteringMode: "Off", enableContainerLogV2: true },
            }),
          },
        ],
      },
    });
  }

  /** Attach the rule to a cluster so its monitoring agent starts sending. */
  public associate(clusterId: string): MonitorDataCollectionRuleAssociation {
    return new MonitorDataCollectionRuleAssociation(this, "association", {
      name: "ContainerInsightsExtension",
      targetResourceId: clusterId,
      dataCollectionRuleId: this.rule.id,
    });
  }
}
