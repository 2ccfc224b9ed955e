import { DEPLOYMENT_TEMPLATE_EXPORT_ACTION, SECRET_READS, SecretFreeReaderRole } from "../../../../constructs/azure/identity/secret-free-reader-role";
import { emptyStack, resourcesOf } from "../../../helpers/synth";

const scope = "/subscriptions/00000000-0000-4000-8000-000000000001";

describe("SecretFreeReaderRole", () => {
  it("is Reader (every read) minus every secret-returning read, assignable only at its scope, with no data actions", () => {
    const stack = emptyStack();
    new SecretFreeReaderRole(stack, "reader", { name: "ci-plan-reader-test", scope });
    const [role] = resourcesOf(stack, "azurerm_role_definition");
    expect(role).toMatchObject({ name: "ci-plan-reader-test", scope, assignable_scopes: [scope] });
    expect(role.permissions).toEqual([{ actions: ["*/read"], not_actions: SECRET_READS.map((r) => r.action), data_actions: [], not_data_actions: [] }]);
  });

  it("denies the shared-key reads of both VPN designs: gateway connections and Virtual WAN connections and links", () => {
    const denied = SECRET_READS.map((r) => r.action);
    const matches = (operation: string) => denied.some((pattern) => new RegExp(`^${pattern.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`, "i").test(operation));
    for (const operation of [
      "Microsoft.Network/connections/sharedKey/read",
      "Microsoft.Network/vpnGateways/vpnConnections/vpnLinkConnections/sharedKeys/read",
      "Microsoft.Network/vpnGateways/vpnConnections/vpnLinkConnections/sharedKeys/listSharedKey/action",
      // A connection's GET has carried its links' sharedKey (azurerm reads shared_key from it).
      "Microsoft.Network/vpnGateways/vpnConnections/read",
      "Microsoft.Network/vpnGateways/vpnConnections/vpnLinkConnections/read",
    ]) {
      expect([operation, matches(operation)]).toEqual([operation, true]);
    }
    expect(matches("Microsoft.Network/connections/read")).toBe(false);
    // What a plan of the VPN stack refreshes stays readable: the gateway and the sites.
    expect(matches("Microsoft.Network/vpnGateways/read")).toBe(false);
    expect(matches("Microsoft.Network/vpnSites/read")).toBe(false);
  });

  it("adds extra denied reads", () => {
    const stack = emptyStack();
    new SecretFreeReaderRole(stack, "reader", { name: "r", scope, extraNotActions: ["Microsoft.Web/sites/config/read"] });
    expect(resourcesOf(stack, "azurerm_role_definition")[0].permissions[0].not_actions).toContain("Microsoft.Web/sites/config/read");
  });

  it("adds extra actions beside every read, the secret reads still denied", () => {
    const stack = emptyStack();
    new SecretFreeReaderRole(stack, "reader", { name: "r", scope, extraActions: [DEPLOYMENT_TEMPLATE_EXPORT_ACTION] });
    const [permissions] = resourcesOf(stack, "azurerm_role_definition")[0].permissions;
    expect(permissions.actions).toEqual(["*/read", "Microsoft.Resources/deployments/exportTemplate/action"]);
    expect(permissions.not_actions).toEqual(SECRET_READS.map((r) => r.action));
  });

  it("rejects a scope that is not a subscription or resource group id", () => {
    expect(() => new SecretFreeReaderRole(emptyStack(), "reader", { name: "r", scope: "prod" })).toThrow(/s\/reader: scope "prod" must be a subscription or resource group id like \/subscriptions\/<guid>/);
  });
});
