import { AzureProdEnvironmentInput } from "./schema";

/**
 * The Azure production environment. Values only: defaults and validation live in schema.ts.
 * GUIDs are placeholders for the real subscription, tenant and Entra ID groups.
 */
export const prodAzure: AzureProdEnvironmentInput = {
  name: "prod",
  cloud: "azure",
  subscriptionId: "00000000-0000-4000-8000-000000000001",
  tenantId: "00000000-0000-4000-8000-0000000000aa",
  location: "westeurope",
  tags: {
    owner: "platform",
    costCenter: "CC-2001",
    repository: "fintech/platform-infra",
  },
  state: {
    resourceGroupName: "rg-prod-tfstate",
    storageAccountName: "stprodtfstate7f3a",
  },
  // Address plan: 10.20.0.0/16 hub; 10.250.0.0/24 VPN clients; customers in their own ranges;
  // AKS pods/services on 100.64.0.0/10 (overlay, never routed outside the cluster).
  network: {
    resourceGroupName: "rg-prod-hub",
    vnetName: "vnet-prod-hub",
    vnetCidr: "10.20.0.0/16",
    gatewaySubnetCidr: "10.20.0.0/26",
    aksNodeSubnetCidr: "10.20.16.0/20",
  },
  keyVault: {
    name: "kv-prod-vpn-7f3a",
    // Entra ID group "network-operators": the only people who store customer pre-shared keys.
    secretsOfficerObjectIds: ["00000000-0000-4000-8000-0000000000b1"],
    // Office egress and the CI runners' NAT.
    allowedIpRanges: ["203.0.113.0/24", "198.51.100.10/32"],
  },
  aks: {
    resourceGroupName: "rg-prod-aks",
    clusterName: "aks-prod",
    kubernetesVersion: "1.32",
    // Entra ID group "aks-prod-admins".
    adminGroupObjectIds: ["00000000-0000-4000-8000-0000000000c1"],
    systemPool: { name: "system", vmSize: "Standard_D4ds_v5", minCount: 3, maxCount: 5 },
    userPools: [
      { name: "apps", vmSize: "Standard_D8ds_v5", minCount: 3, maxCount: 12, labels: { "node-role": "apps" } },
    ],
    apiServer: { authorizedIpRanges: ["203.0.113.0/24", "198.51.100.10/32"] },
  },
  vpn: {
    gatewayName: "vgw-prod-hub",
    sku: "VpnGw2AZ",
    bgpAsn: 65010,
    pointToSite: {
      addressPool: ["10.250.0.0/24"],
    },
    customers: [
      {
        name: "acme-bank",
        gatewayAddress: "192.0.2.10",
        addressSpaces: ["172.16.10.0/24"],
        bgp: { asn: 64601, peeringAddress: "172.16.10.254" },
      },
      {
        name: "globex-pay",
        gatewayAddress: "vpn.globex.example.com",
        addressSpaces: ["172.17.0.0/24", "172.17.8.0/24"],
        ipsecPolicy: {
          ikeEncryption: "AES256",
          ikeIntegrity: "SHA256",
          dhGroup: "DHGroup24",
          ipsecEncryption: "AES256",
          ipsecIntegrity: "SHA256",
          pfsGroup: "PFS24",
        },
      },
      {
        name: "initech",
        gatewayAddress: "198.51.100.77",
        addressSpaces: ["192.168.40.0/22"],
      },
    ],
  },
};
