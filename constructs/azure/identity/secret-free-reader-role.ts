import { RoleDefinition } from "@cdktf/provider-azurerm/lib/role-definition";
import { Construct } from "constructs";
import { ConfigError } from "../../errors";

/** One operation a reader must not have, and why. */
export interface SecretRead {
  /** Azure operation (wildcards allowed), used as a NotAction. */
  readonly action: string;
  /** What the operation returns. */
  readonly leaks: string;
}

/**
 * Reads that return a secret although Azure files them under `read`, so the built-in Reader role
 * (every action ending in `/read`) grants them. Each entry says what leaks; wildcards cover the whole family so a new
 * API version's variant is denied too.
 */
export const SECRET_READS: readonly SecretRead[] = [
  // Threat: a plan identity (pull-request code after approval, or a stolen token) reads every
  // customer's IPsec pre-shared key and can impersonate the customer's side of the tunnel.
  { action: "Microsoft.Network/connections/sharedKey/read", leaks: "VPN gateway connection pre-shared key (VirtualNetworkGatewayConnections_GetSharedKey)" },
  { action: "Microsoft.Network/connections/sharedKey/*", leaks: "VPN gateway connection pre-shared key, any verb" },
  // Virtual WAN keeps the key per link: GET/POST .../vpnLinkConnections/<link>/sharedKeys/default[/listSharedKey].
  { action: "Microsoft.Network/vpnGateways/vpnConnections/vpnLinkConnections/sharedKeys/*", leaks: "Virtual WAN VPN link connection pre-shared key (VpnLinkConnections_GetDefaultSharedKey / ListDefaultSharedKey)" },
  { action: "Microsoft.Network/vpnGateways/vpnConnections/sharedKeys/*", leaks: "Virtual WAN VPN connection pre-shared key (defensive: the key moved to the links)" },
  // A plain GET of a Virtual WAN connection has returned each link's sharedKey (azurerm's
  // vpn_gateway_connection reads its shared_key from it; Microsoft's API notes say responses will
  // stop carrying it). Terraform deploys these connections as ARM templates and never reads them.
  // Residual: GET of the gateway (vpnGateways/read, needed to plan azurerm_vpn_gateway) embeds them.
  { action: "Microsoft.Network/vpnGateways/vpnConnections/read", leaks: "Virtual WAN VPN connection, with each link's sharedKey where Azure still returns it (VpnConnections_Get)" },
  { action: "Microsoft.Network/vpnGateways/vpnConnections/vpnLinkConnections/read", leaks: "Virtual WAN VPN link connection, with its sharedKey where Azure still returns it" },
  // Threat: the workspace key lets anyone write (forge or flood) records into the audit workspace.
  { action: "Microsoft.OperationalInsights/workspaces/sharedKeys/read", leaks: "Log Analytics workspace shared keys (data ingestion into the audit workspace)" },
  { action: "Microsoft.AppConfiguration/configurationStores/keyValues/read", leaks: "App Configuration values (often connection strings)" },
  { action: "Microsoft.Insights/actionGroups/read", leaks: "action group webhook URLs with their embedded tokens" },
  { action: "Microsoft.Insights/webtests/read", leaks: "availability test definitions with request headers (credentials)" },
  { action: "Microsoft.Insights/generateLiveToken/read", leaks: "Application Insights live-metrics token" },
  { action: "Microsoft.ApiManagement/service/policies/read", leaks: "API Management policies (named values, backend credentials)" },
  { action: "Microsoft.ApiManagement/service/*/policies/read", leaks: "API Management API/product/operation policies" },
];

/** Props of {@link SecretFreeReaderRole}. */
export interface SecretFreeReaderRoleProps {
  /** Role name, unique in the tenant, e.g. "ci-plan-reader-prod". */
  readonly name: string;
  /** Scope the role is defined at and assignable to, e.g. `/subscriptions/<id>`. */
  readonly scope: string;
  /** Further reads to deny besides {@link SECRET_READS}. @default [] */
  readonly extraNotActions?: readonly string[];
  /**
   * Non-read actions the identity needs to see what terraform plans, e.g.
   * {@link DEPLOYMENT_TEMPLATE_EXPORT_ACTION}. The denied reads still win (Azure subtracts
   * notActions from actions). @default []
   */
  readonly extraActions?: readonly string[];
}

/**
 * POST .../deployments/<name>/exportTemplate: azurerm reads `template_content` of every
 * azurerm_*_template_deployment with it on refresh, so a plan identity without it fails with 403
 * once a deployment exists. It returns the template only, never parameter values (a Key Vault
 * reference stays a reference).
 */
export const DEPLOYMENT_TEMPLATE_EXPORT_ACTION = "Microsoft.Resources/deployments/exportTemplate/action";

const SCOPE = /^\/subscriptions\/[0-9a-fA-F-]{36}(\/resourceGroups\/[\w().-]+)?$/;

/**
 * A custom role like the built-in Reader (every `/read` action on the scope) minus every read that returns a
 * secret ({@link SECRET_READS}): for identities that must see everything terraform plans, like the
 * CI plan identity, but must never hold a key.
 */
export class SecretFreeReaderRole extends Construct {
  /** The role definition. */
  public readonly definition: RoleDefinition;
  /** Resource id to use as `roleDefinitionId` of a role assignment. */
  public readonly roleDefinitionId: string;

  constructor(scope: Construct, id: string, props: SecretFreeReaderRoleProps) {
    super(scope, id);
    if (!SCOPE.test(props.scope)) {
      throw new ConfigError(`scope "${props.scope}" must be a subscription or resource group id like /subscriptions/<guid>`, this);
    }
    this.definition = new RoleDefinition(this, "role", {
      name: props.name,
      scope: props.scope,
      description: "Reader without the reads that return secrets (VPN pre-shared keys, workspace keys, webhook tokens). Defined in code: constructs/azure/identity/secret-free-reader-role.ts",
      permissions: [{ actions: ["*/read", ...(props.extraActions ?? [])], notActions: [...SECRET_READS.map((r) => r.action), ...(props.extraNotActions ?? [])], dataActions: [], notDataActions: [] }],
      assignableScopes: [props.scope],
    });
    this.roleDefinitionId = this.definition.roleDefinitionResourceId;
  }
}
