import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { Construct } from "constructs";
import { ConfigError } from "../../errors";
import { checkAt } from "../core/check-at";

/** Log Analytics interactive retention Azure allows, in days. */
export const AUDIT_RETENTION_DAYS = {
  /** Shortest retention Log Analytics accepts. */
  min: 30,
  /** Longest interactive retention. */
  max: 730,
} as const;
const WORKSPACE_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;

function checkWorkspaceName(name: string): void {
  if (!WORKSPACE_NAME.test(name)) {
    throw new ConfigError(`audit workspace name "${name}" must be 4-63 letters, digits or dashes, starting and ending with a letter or digit`);
  }
}

/** Props of {@link AuditWorkspace}. */
export interface AuditWorkspaceProps {
  /** Workspace name, 4-63 letters, digits or dashes. */
  readonly name: string;
  /** Resource group it lives in (the state resource group: it exists before every other stack). */
  readonly resourceGroupName: string;
  /** Azure region. */
  readonly location: string;
  /** Days audit logs are kept (30-730); a retention of 0 would keep no trail at all. */
  readonly retentionDays: number;
}

/**
 * The Log Analytics workspace audit logs go to: Entra ID access only (no shared workspace keys),
 * retention from config. Created with the state storage, so it exists before any other stack.
 */
export class AuditWorkspace extends Construct {
  /** The workspace. */
  public readonly workspace: LogAnalyticsWorkspace;

  /**
   * The workspace's resource id for another stack, built from config (subscription, resource group,
   * name): the state stack that creates it keeps local state, so no remote-state read can pass it.
   * Not a data source: azurerm's `azurerm_log_analytics_workspace` data source reads the workspace's
   * primary and secondary shared keys into the reading stack's state (and CI plans it with the plan
   * identity). The format is the one azurerm writes back on read (`workspaces.WorkspaceId.ID()`), so
   * a diagnostic setting using it shows no drift.
   */
  public static idFor(subscriptionId: string, resourceGroupName: string, name: string): string {
    if (!GUID.test(subscriptionId)) throw new ConfigError(`audit workspace subscriptionId "${subscriptionId}" must be a GUID like 00000000-0000-0000-0000-000000000000`);
    if (!RESOURCE_GROUP.test(resourceGroupName)) {
      throw new ConfigError(`audit workspace resourceGroupName "${resourceGroupName}" must be 1-90 letters, digits, underscores, dashes, periods or parentheses, not ending with a period`);
    }
    checkWorkspaceName(name);
    return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.OperationalInsights/workspaces/${name}`;
  }

  constructor(scope: Construct, id: string, props: AuditWorkspaceProps) {
    super(scope, id);
    checkAt(this, () => checkWorkspaceName(props.name));
    const { min, max } = AUDIT_RETENTION_DAYS;
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < min || props.retentionDays > max) {
      throw new ConfigError(`audit retentionDays must be a whole number of days from ${min} to ${max} (0 would keep no audit trail), got ${props.retentionDays}`, this);
    }
    this.workspace = new LogAnalyticsWorkspace(this, "workspace", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: "PerGB2018",
      retentionInDays: props.retentionDays,
      localAuthenticationEnabled: false,
    });
  }
}

/** Props of {@link AuditLogs}. */
export interface AuditLogsProps {
  /** Resource whose logs are sent (a Key Vault id, `<storage account id>/blobServices/default`, an Azure Firewall id). */
  readonly targetResourceId: string;
  /** Log Analytics workspace receiving them. */
  readonly workspaceId: string;
  /** Log categories to send. */
  readonly categories: readonly string[];
}

/**
 * A diagnostic setting sending a resource's audit log categories to Log Analytics, into
 * resource-specific tables (`Dedicated`), kept for the workspace's retention. Threat: reads of
 * pre-shared keys or state (which holds the live keys), or flows through the hub firewall (who
 * reached what, what was denied), would otherwise leave no trail.
 */
export class AuditLogs extends Construct {
  /** The diagnostic setting. */
  public readonly setting: MonitorDiagnosticSetting;

  constructor(scope: Construct, id: string, props: AuditLogsProps) {
    super(scope, id);
    if (props.categories.length === 0) throw new ConfigError("categories is empty; name the audit log categories to send", this);
    this.setting = new MonitorDiagnosticSetting(this, "setting", {
      name: "audit-to-log-analytics",
      targetResourceId: props.targetResourceId,
      logAnalyticsWorkspaceId: props.workspaceId,
      logAnalyticsDestinationType: "Dedicated",
      enabledLog: props.categories.map((category) => ({ category })),
    });
  }
}
