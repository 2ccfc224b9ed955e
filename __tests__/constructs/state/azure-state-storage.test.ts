import { AzureStateStorage } from "../../../constructs/state/azure-state-storage";
import { prodAzure, shippedAzureResources, shippedAzureStack } from "../../helpers/azure";
import { emptyStack, resourcesOf } from "../../helpers/synth";

const ADMIN = "00000000-0000-4000-8000-0000000000d9";

describe("AzureStateStorage (prod-azure-state)", () => {
  const json = shippedAzureStack("state");

  it("hardens the storage account: TLS 1.2, HTTPS only, no public blobs, no shared keys, double encryption", () => {
    const [account] = shippedAzureResources("state", "azurerm_storage_account");
    expect(account).toMatchObject({
      name: "stprodtfstate7f3a",
      account_kind: "StorageV2",
      account_replication_type: "GZRS",
      min_tls_version: "TLS1_2",
      https_traffic_only_enabled: true,
      allow_nested_items_to_be_public: false,
      shared_access_key_enabled: false,
      default_to_oauth_authentication: true,
      infrastructure_encryption_enabled: true,
      cross_tenant_replication_enabled: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("keeps versions and soft-deleted blobs and containers for the recovery window", () => {
    const [account] = shippedAzureResources("state", "azurerm_storage_account");
    expect(account.blob_properties).toEqual({
      versioning_enabled: true,
      delete_retention_policy: { days: 30 },
      container_delete_retention_policy: { days: 30 },
    });
  });

  it("creates a private tfstate container, a CanNotDelete lock and prevent_destroy on the group", () => {
    expect(shippedAzureResources("state", "azurerm_storage_container")[0]).toMatchObject({
      name: "tfstate",
      container_access_type: "private",
      lifecycle: { prevent_destroy: true },
    });
    expect(shippedAzureResources("state", "azurerm_management_lock")[0]).toMatchObject({
      lock_level: "CanNotDelete",
      scope: expect.stringMatching(/azurerm_storage_account\..*\.id/),
    });
    expect(shippedAzureResources("state", "azurerm_resource_group")[0].lifecycle).toEqual({ prevent_destroy: true });
  });

  it("grants blob data roles to identities from config only: apply (and admins) write, plan reads, never whoever runs terraform", () => {
    const env = prodAzure();
    const grants = shippedAzureResources("state", "azurerm_role_assignment").map((r) => [r.role_definition_name, r.principal_id]);
    expect(grants).toEqual([
      ["Storage Blob Data Contributor", env.ci.identities.apply.objectId],
      ...env.state.dataContributorObjectIds.map((id) => ["Storage Blob Data Contributor", id]),
      ["Storage Blob Data Reader", env.ci.identities.plan.objectId],
    ]);
    expect(shippedAzureStack("state").data.azurerm_client_config).toBeUndefined();
  });

  it("keeps its own state locally and every other stack in the account with Entra ID auth", () => {
    expect(json.terraform.backend).toEqual({ local: { path: "../../../.bootstrap-state/prod-azure-state.tfstate" } });
    expect(shippedAzureStack("network").terraform.backend.azurerm).toEqual({
      resource_group_name: "rg-prod-tfstate",
      storage_account_name: "stprodtfstate7f3a",
      container_name: "tfstate",
      key: "prod/azure/network.tfstate",
      subscription_id: "00000000-0000-4000-8000-000000000001",
      tenant_id: "00000000-0000-4000-8000-0000000000aa",
      use_azuread_auth: true,
    });
  });

  it("grants extra principals and honours replication and retention options", () => {
    const stack = emptyStack();
    new AzureStateStorage(stack, "s", {
      resourceGroupName: "rg",
      storageAccountName: "stateacct",
      location: "westeurope",
      replication: "ZRS",
      softDeleteDays: 90,
      dataContributorObjectIds: ["00000000-0000-4000-8000-0000000000d1"],
    });
    const [account] = resourcesOf(stack, "azurerm_storage_account");
    expect(account.account_replication_type).toBe("ZRS");
    expect(account.blob_properties.delete_retention_policy).toEqual({ days: 90 });
    expect(resourcesOf(stack, "azurerm_role_assignment").map((r) => r.principal_id)).toContain("00000000-0000-4000-8000-0000000000d1");
  });

  it("rejects replication that does not survive a zone outage", () => {
    expect(
      () => new AzureStateStorage(emptyStack(), "s", { resourceGroupName: "rg", storageAccountName: "stateacct", location: "westeurope", replication: "LRS" as never, dataContributorObjectIds: [ADMIN] }),
    ).toThrow(/s\/s: replication "LRS" does not survive a zone outage; use ZRS, GZRS or RAGZRS/);
  });

  it("rejects an invalid storage account name", () => {
    expect(() => new AzureStateStorage(emptyStack(), "s", { resourceGroupName: "rg", storageAccountName: "State_Acct", location: "westeurope", dataContributorObjectIds: [ADMIN] })).toThrow(
      /storageAccountName "State_Acct" must be 3-24 lower-case letters or digits/,
    );
  });

  it("rejects an empty contributor list (with shared keys off nobody could write state)", () => {
    expect(() => new AzureStateStorage(emptyStack(), "s", { resourceGroupName: "rg", storageAccountName: "stateacct", location: "westeurope", dataContributorObjectIds: [] })).toThrow(
      /dataContributorObjectIds is empty: list the CI apply identity and the bootstrap administrators/,
    );
  });

  it("rejects a soft-delete window under 7 days", () => {
    expect(
      () => new AzureStateStorage(emptyStack(), "s", { resourceGroupName: "rg", storageAccountName: "stateacct", location: "westeurope", softDeleteDays: 1, dataContributorObjectIds: [ADMIN] }),
    ).toThrow(/softDeleteDays must be an integer from 7 to 365 \(the state recovery window\), got 1/);
  });
});
