import { RbacKeyVault } from "../../../../constructs/azure/keyvault/rbac-key-vault";
import { prodAzure, shippedAzureResources } from "../../../helpers/azure";
import { emptyStack, resourcesOf } from "../../../helpers/synth";

const base = { name: "kv-test-1", resourceGroupName: "rg", location: "westeurope", tenantId: "00000000-0000-4000-8000-0000000000aa" };

describe("RbacKeyVault (the VPN pre-shared key vault)", () => {
  it("uses RBAC, purge protection, 90-day soft delete, a deny-by-default firewall and prevent_destroy", () => {
    expect(shippedAzureResources("network", "azurerm_key_vault")[0]).toMatchObject({
      name: "kv-prod-vpn-7f3a",
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      soft_delete_retention_days: 90,
      public_network_access_enabled: true,
      network_acls: { default_action: "Deny", bypass: "AzureServices", ip_rules: expect.arrayContaining(prodAzure().keyVault.allowedIpRanges) },
      lifecycle: { prevent_destroy: true },
    });
  });

  it("lets the officers write secrets, nobody read them, and Azure Resource Manager resolve them for template deployments", () => {
    const roles = shippedAzureResources("network", "azurerm_role_assignment").map((r) => [r.role_definition_name, r.principal_id]);
    expect(roles).toContainEqual(["Key Vault Secrets Officer", "00000000-0000-4000-8000-0000000000b1"]);
    expect(roles.filter(([role]) => role === "Key Vault Secrets User")).toEqual([]);
    expect(shippedAzureResources("network", "azurerm_key_vault")[0]).toMatchObject({ enabled_for_template_deployment: true, network_acls: { bypass: "AzureServices", default_action: "Deny" } });
  });

  it("keeps template deployment off unless asked", () => {
    const stack = emptyStack();
    new RbacKeyVault(stack, "kv", base);
    expect(resourcesOf(stack, "azurerm_key_vault")[0].enabled_for_template_deployment).toBe(false);
  });

  it("turns public network access off when no ranges are allowed", () => {
    const stack = emptyStack();
    new RbacKeyVault(stack, "kv", base);
    expect(resourcesOf(stack, "azurerm_key_vault")[0]).toMatchObject({ public_network_access_enabled: false, soft_delete_retention_days: 90 });
    expect(resourcesOf(stack, "azurerm_role_assignment")).toEqual([]);
  });

  it("rejects a firewall rule open to the whole internet", () => {
    expect(() => new RbacKeyVault(emptyStack(), "kv", { ...base, allowedIpRanges: ["0.0.0.0/0"] })).toThrow(
      /s\/kv: allowedIpRanges\[0\] 0\.0\.0\.0\/0 opens the vault to the whole internet/,
    );
  });

  it("rejects a soft-delete retention Azure does not allow", () => {
    expect(() => new RbacKeyVault(emptyStack(), "kv", { ...base, softDeleteRetentionDays: 120 })).toThrow(
      /softDeleteRetentionDays must be an integer from 7 to 90, got 120/,
    );
  });

  it("rejects an invalid vault name", () => {
    expect(() => new RbacKeyVault(emptyStack(), "kv", { ...base, name: "1-bad--name" })).toThrow(/name "1-bad--name" must be 3-24 letters/);
  });
});
