import { AksCluster, AksClusterProps } from "../../../../constructs/azure/aks/aks-cluster";
import { azureStacks, prodAzure, shippedAzureApp, shippedAzureResources } from "../../../helpers/azure";
import { emptyStack, resourcesOf } from "../../../helpers/synth";

const minimal: AksClusterProps = {
  name: "aks-t",
  resourceGroupName: "rg",
  location: "westeurope",
  kubernetesVersion: "1.32",
  tenantId: "00000000-0000-4000-8000-0000000000aa",
  adminGroupObjectIds: ["00000000-0000-4000-8000-0000000000c1"],
  nodeSubnetId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
  systemPool: { name: "system", minCount: 3, maxCount: 5 },
};

function clusterOf(props: Partial<AksClusterProps> = {}) {
  const stack = emptyStack();
  new AksCluster(stack, "aks", { ...minimal, ...props });
  return { stack, cluster: resourcesOf(stack, "azurerm_kubernetes_cluster")[0] };
}

describe("AksCluster", () => {
  describe("default config (minimal props)", () => {
    const { stack, cluster } = clusterOf();

    it("uses Entra ID with Azure RBAC and the admin groups, and disables local accounts", () => {
      expect(cluster).toMatchObject({
        local_account_disabled: true,
        role_based_access_control_enabled: true,
        azure_active_directory_role_based_access_control: {
          azure_rbac_enabled: true,
          tenant_id: "00000000-0000-4000-8000-0000000000aa",
          admin_group_object_ids: ["00000000-0000-4000-8000-0000000000c1"],
        },
        identity: { type: "UserAssigned", identity_ids: [expect.stringMatching(/azurerm_user_assigned_identity\..*\.id/)] },
      });
    });

    it("enables the OIDC issuer, workload identity, Standard tier and Azure Policy", () => {
      expect(cluster).toMatchObject({ oidc_issuer_enabled: true, workload_identity_enabled: true, sku_tier: "Standard", azure_policy_enabled: true });
    });

    it("runs a zonal, autoscaled, host-encrypted system pool for critical add-ons only", () => {
      expect(cluster.default_node_pool).toMatchObject({
        name: "system",
        zones: ["1", "2", "3"],
        auto_scaling_enabled: true,
        min_count: 3,
        max_count: 5,
        only_critical_addons_enabled: true,
        host_encryption_enabled: true,
        node_public_ip_enabled: false,
        os_sku: "AzureLinux",
        vnet_subnet_id: minimal.nodeSubnetId,
        upgrade_settings: { max_surge: "33%" },
      });
      expect(cluster.lifecycle).toEqual({ ignore_changes: ["default_node_pool[0].node_count"] });
    });

    it("uses Azure CNI overlay with Cilium network policy", () => {
      expect(cluster.network_profile).toEqual({
        network_plugin: "azure",
        network_plugin_mode: "overlay",
        network_policy: "cilium",
        network_data_plane: "cilium",
        pod_cidr: "100.64.0.0/16",
        service_cidr: "100.65.0.0/16",
        dns_service_ip: "100.65.0.10",
        load_balancer_sku: "standard",
        outbound_type: "loadBalancer",
      });
    });

    it("upgrades automatically (patch + node image) inside weekly maintenance windows", () => {
      expect(cluster).toMatchObject({ automatic_upgrade_channel: "patch", node_os_upgrade_channel: "NodeImage" });
      expect(cluster.maintenance_window_auto_upgrade).toEqual({
        frequency: "Weekly", interval: 1, day_of_week: "Sunday", start_time: "02:00", duration: 4, utc_offset: "+00:00",
      });
      expect(cluster.maintenance_window_node_os).toMatchObject({ frequency: "Weekly", day_of_week: "Saturday", duration: 4 });
    });

    it("sends Container Insights to a workspace with retention and no shared-key auth, through a data collection rule", () => {
      expect(cluster.oms_agent).toEqual({
        log_analytics_workspace_id: expect.stringMatching(/azurerm_log_analytics_workspace\..*\.id/),
        msi_auth_for_monitoring_enabled: true,
      });
      expect(resourcesOf(stack, "azurerm_log_analytics_workspace")[0]).toMatchObject({ retention_in_days: 90, local_authentication_enabled: false });
      const [rule] = resourcesOf(stack, "azurerm_monitor_data_collection_rule");
      expect(rule.data_sources.extension[0]).toMatchObject({ extension_name: "ContainerInsights", streams: ["Microsoft-ContainerInsights-Group-Default"] });
      expect(resourcesOf(stack, "azurerm_monitor_data_collection_rule_association")[0].target_resource_id).toMatch(/azurerm_kubernetes_cluster\..*\.id/);
    });

    it("rotates Key Vault secrets provider mounts and keeps the API server private", () => {
      expect(cluster.key_vault_secrets_provider).toEqual({ secret_rotation_enabled: true, secret_rotation_interval: "2m" });
      expect(cluster).toMatchObject({ private_cluster_enabled: true, private_dns_zone_id: "System" });
      expect(cluster.api_server_access_profile).toBeUndefined();
    });

    it("grants its control-plane identity the node subnet role before the cluster is created", () => {
      const [role] = resourcesOf(stack, "azurerm_role_assignment");
      expect(role).toMatchObject({
        scope: minimal.nodeSubnetId,
        role_definition_name: "Network Contributor",
        principal_id: expect.stringMatching(/azurerm_user_assigned_identity\..*\.principal_id/),
      });
      expect(cluster.depends_on).toEqual([expect.stringMatching(/^azurerm_role_assignment\./)]);
    });
  });

  describe("options", () => {
    it("adds autoscaled user pools with labels and taints", () => {
      const { stack } = clusterOf({ userPools: [{ name: "batch", minCount: 1, maxCount: 4, labels: { tier: "batch" }, taints: ["workload=batch:NoSchedule"] }] });
      expect(resourcesOf(stack, "azurerm_kubernetes_cluster_node_pool")[0]).toMatchObject({
        name: "batch",
        mode: "User",
        zones: ["1", "2", "3"],
        auto_scaling_enabled: true,
        min_count: 1,
        max_count: 4,
        host_encryption_enabled: true,
        node_labels: { tier: "batch" },
        node_taints: ["workload=batch:NoSchedule"],
        orchestrator_version: "1.32",
        lifecycle: { ignore_changes: ["node_count"] },
      });
    });

    it("exposes a public API server only to authorized ranges", () => {
      const { cluster } = clusterOf({ apiServer: { authorizedIpRanges: ["203.0.113.0/24"] } });
      expect(cluster.api_server_access_profile).toEqual({ authorized_ip_ranges: ["203.0.113.0/24"] });
      expect(cluster.private_cluster_enabled).toBeUndefined();
    });

    it("runs Calico on the Azure data plane when chosen", () => {
      const { cluster } = clusterOf({ networkPolicy: "calico" });
      expect(cluster.network_profile).toMatchObject({ network_policy: "calico", network_data_plane: "azure" });
    });

    it("takes upgrade channels, windows, zones, retention and rotation from props", () => {
      const { stack, cluster } = clusterOf({
        automaticUpgradeChannel: "stable",
        nodeOsUpgradeChannel: "SecurityPatch",
        upgradeWindow: { dayOfWeek: "Tuesday", startTime: "23:00", durationHours: 6, utcOffset: "+01:00" },
        zones: ["1", "2"],
        logRetentionDays: 365,
        secretRotationInterval: "10m",
      });
      expect(cluster).toMatchObject({ automatic_upgrade_channel: "stable", node_os_upgrade_channel: "SecurityPatch" });
      expect(cluster.maintenance_window_auto_upgrade).toMatchObject({ day_of_week: "Tuesday", start_time: "23:00", duration: 6, utc_offset: "+01:00" });
      expect(cluster.default_node_pool.zones).toEqual(["1", "2"]);
      expect(cluster.key_vault_secrets_provider.secret_rotation_interval).toBe("10m");
      expect(resourcesOf(stack, "azurerm_log_analytics_workspace")[0].retention_in_days).toBe(365);
    });
  });

  describe("prod-azure-aks", () => {
    it("builds the shipped cluster in the hub's node subnet with a user pool", () => {
      const [cluster] = Object.values(shippedAzureApp().aks.resource.azurerm_kubernetes_cluster) as any[];
      expect(cluster.default_node_pool.vnet_subnet_id).toMatch(/terraform_remote_state\.cross-stack-reference-input-prod-azure-network/);
      expect(cluster.api_server_access_profile.authorized_ip_ranges).toEqual(expect.arrayContaining((prodAzure().aks.apiServer as { authorizedIpRanges: string[] }).authorizedIpRanges));
      expect(shippedAzureResources("aks", "azurerm_kubernetes_cluster_node_pool").map((p) => p.name)).toEqual(["apps"]);
    });

    it("rejects a pod range colliding with a customer network", () => {
      expect(() => azureStacks((env) => (env.aks.podCidr = "172.16.0.0/12"))).toThrow(
        /prod-azure-aks\/cluster: podCidr 172\.16\.0\.0\/12 overlaps customers\[acme-bank\]\.addressSpaces\[0\] 172\.16\.10\.0\/24/,
      );
    });
  });

  describe("rejected input", () => {
    it("rejects an empty admin group list (lockout guard)", () => {
      expect(() => clusterOf({ adminGroupObjectIds: [] })).toThrow(
        /s\/aks: adminGroupObjectIds is empty: local accounts are disabled, so nobody could administer the cluster/,
      );
    });

    it("rejects an invalid availability zone", () => {
      expect(() => clusterOf({ zones: ["1", "4"] })).toThrow(/s\/aks: zones contains "4", which is not an availability zone; use "1", "2" and\/or "3"/);
    });

    it("rejects autoscaler minCount greater than maxCount", () => {
      expect(() => clusterOf({ userPools: [{ name: "apps", minCount: 6, maxCount: 3 }] })).toThrow(
        /node pool "apps" autoscaler minCount 6 is greater than maxCount 3; set minCount <= maxCount/,
      );
    });

    it("rejects duplicate pool names", () => {
      expect(() => clusterOf({ userPools: [{ name: "system", minCount: 1, maxCount: 3 }] })).toThrow(/node pool name "system" is used twice/);
    });

    it("rejects an authorized range open to the internet", () => {
      expect(() => clusterOf({ apiServer: { authorizedIpRanges: ["0.0.0.0/0"] } })).toThrow(
        /apiServer\.authorizedIpRanges\[0\] 0\.0\.0\.0\/0 allows the whole internet/,
      );
    });

    it("rejects a DNS service IP outside the service range", () => {
      expect(() => clusterOf({ dnsServiceIp: "10.0.0.10" })).toThrow(/dnsServiceIp 10\.0\.0\.10 must be a host address inside serviceCidr 100\.65\.0\.0\/16/);
    });

    it("rejects a maintenance window shorter than 4 hours", () => {
      expect(() => clusterOf({ nodeOsWindow: { dayOfWeek: "Sunday", startTime: "01:00", durationHours: 2, utcOffset: "+00:00" } })).toThrow(
        /nodeOsWindow\.durationHours must be at least 4 \(AKS minimum\), got 2/,
      );
    });
  });
});
