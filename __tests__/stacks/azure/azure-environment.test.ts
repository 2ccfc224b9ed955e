import { TerraformOutput, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { readdirSync, readFileSync, rmSync } from "fs";
import { join } from "path";
import { appStackJson, azureStacks, prodAzure } from "../../helpers/azure";
import { shippedSynthCopy } from "../../helpers/shipped-synth";

const STANDARD_TAGS = {
  environment: "prod",
  owner: "platform",
  team: "platform",
  "cost-center": "CC-2001",
  "managed-by": "cdktf",
  repository: "fintech/platform-infra",
};

function resourcesIn(scope: IConstruct): TerraformResource[] {
  return scope.node.findAll().filter((c): c is TerraformResource => c instanceof TerraformResource);
}

describe("buildAzureEnvironment", () => {
  const stacks = azureStacks();
  const all = [stacks.state, stacks.network, stacks.aks, stacks.vpn];
  const json = Object.fromEntries(all.map((s) => [s.node.id, appStackJson(s)]));

  it("builds prod-azure-{state,network,aks,vpn}, each non-bootstrap stack with its own azurerm state blob", () => {
    expect(all.map((s) => s.node.id)).toEqual(["prod-azure-state", "prod-azure-network", "prod-azure-aks", "prod-azure-vpn"]);
    expect(json["prod-azure-state"].terraform.backend).toHaveProperty("local");
    for (const unit of ["network", "aks", "vpn"]) {
      expect(json[`prod-azure-${unit}`].terraform.backend.azurerm).toMatchObject({ key: `prod/azure/${unit}.tfstate`, use_azuread_auth: true });
    }
  });

  it("audits Key Vault reads and state blob access into one workspace, kept as long as config says", () => {
    const env = prodAzure();
    const [workspace] = Object.values(json["prod-azure-state"].resource.azurerm_log_analytics_workspace as Record<string, any>);
    expect(workspace).toMatchObject({ name: env.audit.workspaceName, retention_in_days: env.audit.retentionDays, local_authentication_enabled: false });
    const settings = (stack: string) => Object.values(json[stack].resource.azurerm_monitor_diagnostic_setting as Record<string, any>);
    const [blob] = settings("prod-azure-state");
    expect(blob.target_resource_id).toMatch(/^\$\{azurerm_storage_account\.[^}]+\.id\}\/blobServices\/default$/);
    expect(blob.enabled_log.map((l: any) => l.category)).toEqual(["StorageRead", "StorageWrite", "StorageDelete"]);
    expect(blob.log_analytics_workspace_id).toMatch(/azurerm_log_analytics_workspace\./);
    const [vault] = settings("prod-azure-network").filter((s) => s.target_resource_id.startsWith("${azurerm_key_vault."));
    expect(vault.enabled_log).toEqual([{ category: "AuditEvent" }]);
    // The network stack names the state stack's workspace by its resource id, built from config.
    expect(vault.log_analytics_workspace_id).toBe(
      `/subscriptions/${env.subscriptionId}/resourceGroups/${env.state.resourceGroupName}/providers/Microsoft.OperationalInsights/workspaces/${workspace.name}`,
    );
    expect(Object.values(json["prod-azure-state"].resource.azurerm_resource_group as Record<string, any>)[0].name).toBe(env.state.resourceGroupName);
  });

  it("logs every network rule match and threat-intel hit of the hub firewall into the audit workspace, in resource-specific tables", () => {
    const network = json["prod-azure-network"];
    const [firewallKey] = Object.keys(network.resource.azurerm_firewall as Record<string, any>);
    const settings = Object.values(network.resource.azurerm_monitor_diagnostic_setting as Record<string, any>);
    const [vault] = settings.filter((s) => s.target_resource_id.startsWith("${azurerm_key_vault."));
    const [firewall] = settings.filter((s) => s.target_resource_id === `\${azurerm_firewall.${firewallKey}.id}`);
    expect(firewall).toMatchObject({ log_analytics_destination_type: "Dedicated", log_analytics_workspace_id: vault.log_analytics_workspace_id });
    expect(firewall.enabled_log.map((l: any) => l.category)).toEqual(["AZFWNetworkRule", "AZFWThreatIntel", "AZFWNetworkRuleAggregation"]);
  });

  it("reads no Log Analytics workspace with a data source in any stack of any environment (its shared keys would land in state)", () => {
    const outdir = shippedSynthCopy();
    const stacks = readdirSync(join(outdir, "stacks"));
    const readers = stacks.filter((stack) => {
      const stackJson = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
      return stackJson.data?.azurerm_log_analytics_workspace !== undefined;
    });
    rmSync(outdir, { recursive: true, force: true });
    expect(stacks).toEqual(expect.arrayContaining(["prod-azure-network", "prod-azure-state"]));
    expect(readers).toEqual([]);
  });

  it("rejects an audit workspace reference that is not a resource id Azure accepts", () => {
    expect(() => azureStacks((env) => (env.state = { ...env.state, resourceGroupName: "rg/prod." }))).toThrow(
      /audit workspace resourceGroupName "rg\/prod\." must be 1-90 letters, digits, underscores, dashes, periods or parentheses, not ending with a period/,
    );
  });

  it("rejects an audit retention of 0 days", () => {
    expect(() => azureStacks((env) => (env.audit = { ...env.audit, retentionDays: 0 }))).toThrow(
      /audit retentionDays must be a whole number of days from 30 to 730 \(0 would keep no audit trail\), got 0/,
    );
  });

  it("pins the provider to the subscription and tenant, with Entra ID for storage and safe feature flags", () => {
    for (const stackJson of Object.values(json)) {
      expect(stackJson.provider.azurerm[0]).toMatchObject({
        subscription_id: "00000000-0000-4000-8000-000000000001",
        tenant_id: "00000000-0000-4000-8000-0000000000aa",
        storage_use_azuread: true,
        features: [
          {
            key_vault: [{ purge_soft_delete_on_destroy: false, recover_soft_deleted_key_vaults: true }],
            resource_group: [{ prevent_deletion_if_contains_resources: true }],
          },
        ],
      });
    }
  });

  it("tags every taggable resource with the standard tags", () => {
    const taggable = all.flatMap(resourcesIn).filter((r) => "tagsInput" in r);
    expect(taggable.length).toBeGreaterThanOrEqual(20);
    for (const resource of taggable) {
      const type = resource.terraformResourceType;
      const synthesized = Object.values(json[TerraformStack.of(resource).node.id].resource[type]).find(
        (r: any) => r["//"].metadata.path === resource.node.path,
      ) as any;
      expect({ path: resource.node.path, tags: synthesized.tags }).toEqual({ path: resource.node.path, tags: STANDARD_TAGS });
    }
  });

  it("keeps a resource's own tags while adding the standard ones", () => {
    const { network } = azureStacks();
    network.spoke.vnet.tags = { purpose: "hub" };
    expect(Object.values(appStackJson(network).resource.azurerm_virtual_network)[0]).toMatchObject({ tags: { ...STANDARD_TAGS, purpose: "hub" } });
  });

  it("wires the AKS and VPN stacks to the network stack through remote state, not hard-coded ids", () => {
    for (const unit of ["aks", "vpn"]) {
      expect(json[`prod-azure-${unit}`].data.terraform_remote_state["cross-stack-reference-input-prod-azure-network"].config).toMatchObject({
        key: "prod/azure/network.tfstate",
        use_azuread_auth: true,
      });
    }
    // The one id built from config: the audit workspace, created by the bootstrap state stack whose
    // state is local, so no remote state can carry it (and a data source would read its keys).
    const env = prodAzure();
    const auditWorkspace = `/subscriptions/${env.subscriptionId}/resourceGroups/${env.state.resourceGroupName}/providers/Microsoft.OperationalInsights/workspaces/${env.audit.workspaceName}`;
    expect(JSON.stringify(json).split(auditWorkspace).join("")).not.toMatch(/\/subscriptions\/[0-9a-f-]+\/resourceGroups/);
  });

  it("contains no secret values or secret reads: no shared keys, Key Vault secret reads, keys, passwords or client secrets", () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/"(client_secret|access_key|sas_token|admin_password|radius_server_secret|shared_key)":/);
    expect(text).not.toMatch(/azurerm_key_vault_secret/);
  });

  describe("interface for the workload and observability stacks", () => {
    const consumers = azureStacks();
    const consumer = new TerraformStack(consumers.aks.node.scope!, "consumer");
    new TerraformOutput(consumer, "host", { value: consumers.aks.kubeHost });
    new TerraformOutput(consumer, "ca", { value: consumers.aks.clusterCaCertificate });
    new TerraformOutput(consumer, "id", { value: consumers.aks.clusterId });
    new TerraformOutput(consumer, "name", { value: consumers.aks.clusterName });
    new TerraformOutput(consumer, "rg", { value: consumers.aks.resourceGroupName });
    new TerraformOutput(consumer, "gateway", { value: consumers.vpn.siteToSite.gateway.id });
    const aksJson = appStackJson(consumers.aks);
    const consumerJson = appStackJson(consumer);

    it("exports kube host, CA, cluster id/name and resource group as sensitive remote-state outputs", () => {
      const exported = Object.values(aksJson.output) as any[];
      expect(exported).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ value: expect.stringMatching(/azurerm_kubernetes_cluster\..*\.kube_config\[0\]\.host/), sensitive: true }),
          expect.objectContaining({ value: expect.stringMatching(/azurerm_kubernetes_cluster\..*\.kube_config\[0\]\.cluster_ca_certificate/), sensitive: true }),
          expect.objectContaining({ value: expect.stringMatching(/azurerm_kubernetes_cluster\..*\.name/) }),
          expect.objectContaining({ value: expect.stringMatching(/azurerm_resource_group\..*\.name/) }),
        ]),
      );
      expect(consumerJson.data.terraform_remote_state["cross-stack-reference-input-prod-azure-aks"].config.key).toBe("prod/azure/aks.tfstate");
      expect(consumerJson.data.terraform_remote_state["cross-stack-reference-input-prod-azure-vpn"].config.key).toBe("prod/azure/vpn.tfstate");
    });

    it("names the kubelogin server application and every customer connection", () => {
      expect(consumers.aks.kubeloginServerId).toBe("6dae42f8-4368-4678-94ff-3960e28e3630");
      const customers = prodAzure().vpn.customers.map((c) => c.name);
      expect(customers.length).toBeGreaterThan(0);
      expect(consumers.vpn.customerConnectionNames).toEqual(Object.fromEntries(customers.map((name) => [name, `cn-${name}`])));
    });
  });

  it("rejects an AKS cluster without admin groups when the whole environment is built", () => {
    expect(() => azureStacks((env) => (env.aks.adminGroupObjectIds = []))).toThrow(/prod-azure-aks\/cluster: adminGroupObjectIds is empty/);
  });

  it("rejects a point-to-site pool overlapping a customer network", () => {
    expect(() => azureStacks((env) => (env.vpn.pointToSite.addressPool = ["172.16.10.0/25"]))).toThrow(
      /prod-azure-network\/secured-hub: customers\[acme-bank\]\.addressSpaces\[0\] 172\.16\.10\.0\/24 overlaps pointToSite\.addressPool\[0\] 172\.16\.10\.0\/25/,
    );
  });
});
