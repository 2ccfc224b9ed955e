import { aksAutoscaler } from "../../../../constructs/policy/rules/azure/aks-autoscaler";
import { aksAzureRbac } from "../../../../constructs/policy/rules/azure/aks-azure-rbac";
import { aksEntraIntegration } from "../../../../constructs/policy/rules/azure/aks-entra-integration";
import { aksLocalAccountsDisabled } from "../../../../constructs/policy/rules/azure/aks-local-accounts-disabled";
import { aksNetworkPolicy } from "../../../../constructs/policy/rules/azure/aks-network-policy";
import { aksUpgradeChannel } from "../../../../constructs/policy/rules/azure/aks-upgrade-channel";
import { aksZones } from "../../../../constructs/policy/rules/azure/aks-zones";
import { keyVaultPurgeProtection } from "../../../../constructs/policy/rules/azure/key-vault-purge-protection";
import { firewallAuditLogs } from "../../../../constructs/policy/rules/azure/firewall-audit-logs";
import { keyVaultAuditLogs } from "../../../../constructs/policy/rules/azure/key-vault-audit-logs";
import { keyVaultRbac } from "../../../../constructs/policy/rules/azure/key-vault-rbac";
import { storageBlobAuditLogs } from "../../../../constructs/policy/rules/azure/storage-blob-audit-logs";
import { storageBlobVersioning } from "../../../../constructs/policy/rules/azure/storage-blob-versioning";
import { storageMinTls } from "../../../../constructs/policy/rules/azure/storage-min-tls";
import { storageNoPublicBlobs } from "../../../../constructs/policy/rules/azure/storage-no-public-blobs";
import { storageSharedKeyDisabled } from "../../../../constructs/policy/rules/azure/storage-shared-key-disabled";
import { vpnActiveActive } from "../../../../constructs/policy/rules/azure/vpn-active-active";
import { vpnIkev2 } from "../../../../constructs/policy/rules/azure/vpn-ikev2";
import { vpnP2sCustomAudience } from "../../../../constructs/policy/rules/azure/vpn-p2s-custom-audience";
import { vpnP2sEntra } from "../../../../constructs/policy/rules/azure/vpn-p2s-entra";
import { vpnStaticRouting } from "../../../../constructs/policy/rules/azure/vpn-static-routing";
import { vpnStrongIpsecPolicy } from "../../../../constructs/policy/rules/azure/vpn-strong-ipsec-policy";
import { vpnZoneRedundantSku } from "../../../../constructs/policy/rules/azure/vpn-zone-redundant-sku";
import { vhubRoutingIntent } from "../../../../constructs/policy/rules/azure/vhub-routing-intent";
import { res, RuleCases } from "../fixtures";

const TENANT = "00000000-0000-0000-0000-000000000001";
const aks = (extra: Record<string, unknown>) =>
  res("azurerm_kubernetes_cluster", "aks", {
    name: "prod-aks",
    local_account_disabled: true,
    automatic_upgrade_channel: "patch",
    azure_active_directory_role_based_access_control: { tenant_id: TENANT, admin_group_object_ids: ["g"], azure_rbac_enabled: true },
    network_profile: { network_plugin: "azure", network_policy: "cilium" },
    default_node_pool: { name: "system", zones: ["1", "2", "3"], auto_scaling_enabled: true, min_count: 3, max_count: 6 },
    ...extra,
  });
const storage = (extra: Record<string, unknown>) =>
  res("azurerm_storage_account", "st", {
    name: "fintechstate",
    min_tls_version: "TLS1_2",
    allow_nested_items_to_be_public: false,
    shared_access_key_enabled: false,
    blob_properties: { versioning_enabled: true },
    ...extra,
  });
const vault = (extra: Record<string, unknown>) =>
  res("azurerm_key_vault", "kv", { name: "prod-kv", purge_protection_enabled: true, rbac_authorization_enabled: true, ...extra });
const WORKSPACE = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log-audit";
const diagnostic = (target: string, categories: string[], workspace: string | null = WORKSPACE) =>
  res("azurerm_monitor_diagnostic_setting", "diag", { name: "audit", target_resource_id: target, log_analytics_workspace_id: workspace, enabled_log: categories.map((category) => ({ category })) });
const FIREWALL_LOGS = ["AZFWNetworkRule", "AZFWThreatIntel", "AZFWNetworkRuleAggregation"];
const dedicated = (setting: ReturnType<typeof diagnostic>) => ({ ...setting, attributes: { ...setting.attributes, log_analytics_destination_type: "Dedicated" } });
const gateway = (extra: Record<string, unknown>) =>
  res("azurerm_virtual_network_gateway", "gw", { name: "prod-vpn", type: "Vpn", vpn_type: "RouteBased", sku: "VpnGw2AZ", active_active: true, ...extra });
const STRONG_POLICY = {
  ike_encryption: "GCMAES256",
  ike_integrity: "SHA384",
  dh_group: "ECP384",
  ipsec_encryption: "GCMAES256",
  ipsec_integrity: "GCMAES256",
  pfs_group: "ECP384",
  sa_lifetime: 27000,
};
const connection = (extra: Record<string, unknown>) =>
  res("azurerm_virtual_network_gateway_connection", "acme", { name: "acme", type: "IPsec", connection_protocol: "IKEv2", ipsec_policy: STRONG_POLICY, ...extra });

/** A Virtual WAN connection deployed by ARM template, as SiteToSiteVpn synthesizes it. */
const templateConnection = (link: Record<string, unknown>) =>
  res("azurerm_resource_group_template_deployment", "cn", {
    name: "cn-acme",
    template_content: JSON.stringify({
      resources: [
        {
          type: "Microsoft.Network/vpnGateways/vpnConnections",
          name: "vpngw/cn-acme",
          properties: {
            vpnLinkConnections: [
              {
                name: "cn-acme",
                properties: {
                  vpnConnectionProtocolType: "IKEv2",
                  ipsecPolicies: [{ ikeEncryption: "GCMAES256", ikeIntegrity: "SHA384", dhGroup: "ECP384", ipsecEncryption: "GCMAES256", ipsecIntegrity: "GCMAES256", pfsGroup: "ECP384" }],
                  ...link,
                },
              },
            ],
          },
        },
      ],
    }),
  });
const vpnSite = (link: Record<string, unknown>) =>
  res("azurerm_vpn_site", "acme", { name: "vst-acme", address_cidrs: ["172.16.10.0/24"], link: [{ name: "primary", ip_address: "192.0.2.10", ...link }] });
const serverConfiguration = (extra: Record<string, unknown>) =>
  res("azurerm_vpn_server_configuration", "p2s", {
    name: "p2sgw-config",
    vpn_authentication_types: ["AAD"],
    vpn_protocols: ["OpenVPN"],
    azure_active_directory_authentication: { tenant: `https://login.microsoftonline.com/${TENANT}/`, audience: "00000000-0000-4000-8000-0000000000e1", issuer: `https://sts.windows.net/${TENANT}/` },
    ...extra,
  });
const vhub = res("azurerm_virtual_hub", "vhub", { name: "vhub-prod" });
const hubFirewall = res("azurerm_firewall", "afw", { name: "afw", sku_name: "AZFW_Hub", virtual_hub: { virtual_hub_id: "${azurerm_virtual_hub.vhub.id}" } });
const intent = (policy: Record<string, unknown>) =>
  res("azurerm_virtual_hub_routing_intent", "ri", { name: "ri", virtual_hub_id: "${azurerm_virtual_hub.vhub.id}", routing_policy: [{ name: "PrivateTrafficPolicy", ...policy }] });

/** One compliant and one non-compliant case per Azure rule. */
export const AZURE_CASES: RuleCases[] = [
  {
    rule: vhubRoutingIntent,
    compliant: { target: vhub, others: [hubFirewall, intent({ destinations: ["PrivateTraffic"], next_hop: "${azurerm_firewall.afw.id}" })] },
    nonCompliant: { target: vhub, others: [hubFirewall, intent({ destinations: ["Internet"], next_hop: "${azurerm_firewall.afw.id}" })] },
    message: /the routing intent has no routing_policy for PrivateTraffic/,
  },
  {
    rule: vhubRoutingIntent,
    compliant: { target: vhub, others: [hubFirewall, intent({ destinations: ["PrivateTraffic", "Internet"], next_hop: "${azurerm_firewall.afw.id}" })] },
    nonCompliant: { target: vhub, others: [hubFirewall] },
    message: /no azurerm_virtual_hub_routing_intent for this hub/,
  },
  {
    rule: vpnIkev2,
    compliant: { target: templateConnection({ vpnConnectionProtocolType: undefined }) },
    nonCompliant: { target: templateConnection({ vpnConnectionProtocolType: "IKEv1" }) },
    message: /template vpngw\/cn-acme link cn-acme: vpnConnectionProtocolType is "IKEv1"/,
  },
  {
    rule: vpnStaticRouting,
    compliant: { target: templateConnection({ enableBgp: false }) },
    nonCompliant: { target: templateConnection({ enableBgp: true }) },
    message: /template vpngw\/cn-acme link cn-acme: enableBgp is true/,
  },
  {
    rule: vpnStaticRouting,
    compliant: { target: connection({}) },
    nonCompliant: { target: connection({ bgp_enabled: true }) },
    message: /bgp_enabled is true/,
  },
  {
    rule: vpnStaticRouting,
    compliant: { target: vpnSite({}) },
    nonCompliant: { target: vpnSite({ bgp: { asn: 64601, peering_address: "172.16.10.254" } }) },
    message: /link "primary" has a bgp block/,
  },
  {
    rule: vpnStrongIpsecPolicy,
    compliant: { target: templateConnection({}) },
    nonCompliant: { target: templateConnection({ ipsecPolicies: [{ ikeEncryption: "AES256", ikeIntegrity: "SHA1", dhGroup: "DHGroup2", ipsecEncryption: "AES256", ipsecIntegrity: "SHA256", pfsGroup: "None" }] }) },
    message: /ike_integrity is "SHA1".*dh_group is "DHGroup2".*pfs_group is "None"/,
  },
  {
    rule: vpnP2sEntra,
    compliant: { target: serverConfiguration({}) },
    nonCompliant: { target: serverConfiguration({ vpn_authentication_types: ["Certificate"], vpn_protocols: ["IkeV2", "OpenVPN"] }) },
    message: /vpn_authentication_types is \["Certificate"\], expected \["AAD"\].*vpn_protocols is \["IkeV2","OpenVPN"\]/,
  },
  {
    rule: vpnP2sCustomAudience,
    compliant: { target: serverConfiguration({}) },
    nonCompliant: { target: serverConfiguration({ azure_active_directory_authentication: { tenant: "t", audience: "41b23e61-6c1e-4545-b367-cd054e0ed4b4", issuer: "i" } }) },
    message: /azure_active_directory_authentication\.audience is 41b23e61-6c1e-4545-b367-cd054e0ed4b4, Microsoft's multi-tenant/,
  },
  {
    rule: aksEntraIntegration,
    compliant: { target: aks({}) },
    nonCompliant: { target: aks({ azure_active_directory_role_based_access_control: undefined }) },
    message: /azure_active_directory_role_based_access_control is not configured/,
  },
  {
    rule: aksAzureRbac,
    compliant: { target: aks({}) },
    nonCompliant: { target: aks({ azure_active_directory_role_based_access_control: { tenant_id: TENANT, azure_rbac_enabled: false } }) },
    message: /azure_rbac_enabled is not true/,
  },
  {
    rule: aksLocalAccountsDisabled,
    compliant: { target: aks({}) },
    nonCompliant: { target: aks({ local_account_disabled: false }) },
    message: /local_account_disabled is not true/,
  },
  {
    rule: aksNetworkPolicy,
    compliant: { target: aks({}) },
    nonCompliant: { target: aks({ network_profile: { network_plugin: "kubenet" } }) },
    message: /network_policy is unset/,
  },
  {
    rule: aksZones,
    compliant: { target: res("azurerm_kubernetes_cluster_node_pool", "user", { zones: ["1", "2", "3"] }) },
    nonCompliant: { target: aks({ default_node_pool: { name: "system", zones: ["1"], auto_scaling_enabled: true, min_count: 1, max_count: 3 } }) },
    message: /spans 1 zone/,
  },
  {
    rule: aksAutoscaler,
    compliant: { target: aks({}) },
    nonCompliant: { target: res("azurerm_kubernetes_cluster_node_pool", "user", { zones: ["1", "2"], node_count: 3 }) },
    message: /auto_scaling_enabled is not true/,
  },
  {
    rule: aksUpgradeChannel,
    compliant: { target: aks({}) },
    nonCompliant: { target: aks({ automatic_upgrade_channel: "none" }) },
    message: /automatic_upgrade_channel is "none"/,
  },
  {
    rule: storageMinTls,
    compliant: { target: storage({}) },
    nonCompliant: { target: storage({ min_tls_version: "TLS1_0" }) },
    message: /min_tls_version is "TLS1_0"/,
  },
  {
    rule: storageNoPublicBlobs,
    compliant: { target: storage({}) },
    nonCompliant: { target: storage({ allow_nested_items_to_be_public: undefined }) },
    message: /allow_nested_items_to_be_public is true/,
  },
  {
    rule: storageSharedKeyDisabled,
    compliant: { target: storage({}) },
    nonCompliant: { target: storage({ shared_access_key_enabled: true }) },
    message: /shared_access_key_enabled is true/,
  },
  {
    rule: storageBlobVersioning,
    compliant: { target: storage({}) },
    nonCompliant: { target: storage({ blob_properties: { delete_retention_policy: { days: 30 } } }) },
    message: /versioning_enabled is not true/,
  },
  {
    rule: keyVaultPurgeProtection,
    compliant: { target: vault({}) },
    nonCompliant: { target: vault({ purge_protection_enabled: false }) },
    message: /purge_protection_enabled is not true/,
  },
  {
    rule: keyVaultAuditLogs,
    compliant: { target: vault({}), others: [diagnostic("${azurerm_key_vault.kv.id}", ["AuditEvent"])] },
    nonCompliant: { target: vault({}), others: [diagnostic("${azurerm_key_vault.kv.id}", ["AuditEvent"], null)] },
    message: /no diagnostic setting sends AuditEvent to a Log Analytics workspace/,
  },
  {
    rule: firewallAuditLogs,
    compliant: { target: hubFirewall, others: [dedicated(diagnostic("${azurerm_firewall.afw.id}", FIREWALL_LOGS))] },
    // Network rule hits only, and into the shared AzureDiagnostics table.
    nonCompliant: { target: hubFirewall, others: [diagnostic("${azurerm_firewall.afw.id}", ["AZFWNetworkRule"])] },
    message: /no diagnostic setting sends AZFWThreatIntel, AZFWNetworkRuleAggregation to a Log Analytics workspace; diagnostic setting "audit" has log_analytics_destination_type "AzureDiagnostics", not "Dedicated"/,
  },
  {
    rule: storageBlobAuditLogs,
    compliant: { target: storage({}), others: [diagnostic("${azurerm_storage_account.st.id}/blobServices/default", ["StorageRead", "StorageWrite", "StorageDelete"])] },
    // On the account itself (not its blob service), and without deletes: blob reads are not covered.
    nonCompliant: { target: storage({}), others: [diagnostic("${azurerm_storage_account.st.id}", ["StorageRead", "StorageWrite", "StorageDelete"])] },
    message: /no diagnostic setting on blobServices\/default sends StorageRead, StorageWrite, StorageDelete/,
  },
  {
    rule: keyVaultRbac,
    compliant: { target: vault({ rbac_authorization_enabled: undefined, enable_rbac_authorization: true }) },
    nonCompliant: { target: vault({ rbac_authorization_enabled: false }) },
    message: /rbac_authorization_enabled is not true/,
  },
  {
    rule: vpnZoneRedundantSku,
    compliant: { target: gateway({}) },
    nonCompliant: { target: gateway({ sku: "VpnGw2" }) },
    message: /sku is "VpnGw2"/,
  },
  {
    rule: vpnActiveActive,
    compliant: { target: gateway({}) },
    nonCompliant: { target: gateway({ active_active: false }) },
    message: /active_active is not true/,
  },
  {
    rule: vpnIkev2,
    compliant: { target: connection({ connection_protocol: undefined }) },
    nonCompliant: { target: connection({ connection_protocol: "IKEv1" }) },
    message: /connection_protocol is "IKEv1"/,
  },
  {
    rule: vpnStrongIpsecPolicy,
    compliant: { target: connection({}) },
    nonCompliant: { target: connection({ ipsec_policy: { ...STRONG_POLICY, dh_group: "DHGroup2", ipsec_integrity: "SHA256" } }) },
    message: /dh_group is "DHGroup2".*ipsec_integrity must equal ipsec_encryption "GCMAES256"/,
  },
  {
    rule: vpnP2sCustomAudience,
    compliant: { target: gateway({ vpn_client_configuration: { address_space: ["172.16.0.0/24"], aad_audience: "00000000-0000-4000-8000-0000000000e1" } }) },
    nonCompliant: { target: gateway({ vpn_client_configuration: { address_space: ["172.16.0.0/24"], aad_audience: "c632b3df-fb67-4d84-bdcf-b95ad541b5c8" } }) },
    message: /aad_audience is c632b3df-fb67-4d84-bdcf-b95ad541b5c8, Microsoft's multi-tenant Azure VPN Client app/,
  },
  {
    rule: vpnP2sEntra,
    compliant: {
      target: gateway({
        vpn_client_configuration: {
          address_space: ["172.16.0.0/24"],
          vpn_auth_types: ["AAD"],
          vpn_client_protocols: ["OpenVPN"],
          aad_tenant: `https://login.microsoftonline.com/${TENANT}/`,
          aad_audience: "c632b3df-fb67-4d84-bdcf-b95ad541b5c8",
          aad_issuer: `https://sts.windows.net/${TENANT}/`,
        },
      }),
    },
    nonCompliant: {
      target: gateway({
        vpn_client_configuration: { address_space: ["172.16.0.0/24"], vpn_client_protocols: ["IkeV2"], root_certificate: [{ name: "ca", public_cert_data: "MII..." }] },
      }),
    },
    message: /root_certificate enable non-Entra authentication.*vpn_client_protocols is \["IkeV2"\].*aad_tenant is unset/,
  },
];
