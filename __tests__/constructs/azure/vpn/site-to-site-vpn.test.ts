import { CustomerSite, SiteToSiteVpn, SiteToSiteVpnProps } from "../../../../constructs/azure/vpn/site-to-site-vpn";
import { appStackJson, azureStacks, prodAzure } from "../../../helpers/azure";
import { emptyStack, resourcesOf, synthJson } from "../../../helpers/synth";

const ACCESS = [{ cidr: "10.20.16.10/32", ports: [443] }];
const acme: CustomerSite = { name: "acme", gatewayAddress: "192.0.2.10", addressSpaces: ["172.16.10.0/24"], access: ACCESS };
const base: SiteToSiteVpnProps = {
  gatewayId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/vgw",
  resourceGroupName: "rg",
  location: "westeurope",
  occupiedRanges: [
    { name: "hub VNet[0]", cidr: "10.20.0.0/16" },
    { name: "pointToSite.addressPool[0]", cidr: "10.250.0.0/24" },
  ],
  customers: [acme],
  gatewaySubnetCidr: "10.20.0.0/26",
};

function s2s(customers: readonly CustomerSite[]) {
  const stack = emptyStack();
  const vpn = new SiteToSiteVpn(stack, "s2s", { ...base, customers });
  return { stack, vpn };
}

describe("SiteToSiteVpn", () => {
  describe("default config (one customer, static routing)", () => {
    const { stack, vpn } = s2s([acme]);

    it("creates a local network gateway for the customer device and networks", () => {
      expect(resourcesOf(stack, "azurerm_local_network_gateway")[0]).toMatchObject({
        name: "lgw-acme",
        gateway_address: "192.0.2.10",
        address_space: ["172.16.10.0/24"],
      });
    });

    it("connects over IKEv2 with the strong custom IPsec policy, DPD and no BGP", () => {
      expect(resourcesOf(stack, "azurerm_virtual_network_gateway_connection")[0]).toMatchObject({
        name: "cn-acme",
        type: "IPsec",
        connection_protocol: "IKEv2",
        virtual_network_gateway_id: base.gatewayId,
        enable_bgp: false,
        dpd_timeout_seconds: 45,
        ipsec_policy: { ike_encryption: "GCMAES256", ike_integrity: "SHA384", dh_group: "ECP384", ipsec_encryption: "GCMAES256", ipsec_integrity: "GCMAES256", pfs_group: "ECP384" },
      });
      expect(vpn.connectionNames).toEqual(["cn-acme"]);
    });

    it("narrows the tunnel to the customer's grants x its ranges, proposed by Azure as the initiator", () => {
      expect(resourcesOf(stack, "azurerm_virtual_network_gateway_connection")[0]).toMatchObject({
        use_policy_based_traffic_selectors: true,
        connection_mode: "InitiatorOnly",
        traffic_selector_policy: [{ local_address_cidrs: ["10.20.16.10/32"], remote_address_cidrs: ["172.16.10.0/24"] }],
      });
    });

    it("keeps the pre-shared key out of terraform: no Key Vault read, no shared_key, changes to it ignored", () => {
      const json = synthJson(stack);
      expect(json.data.azurerm_key_vault_secret).toBeUndefined();
      const connection = resourcesOf(stack, "azurerm_virtual_network_gateway_connection")[0];
      expect(connection.shared_key).toBeUndefined();
      expect(connection.lifecycle).toEqual({ ignore_changes: ["shared_key"] });
      expect(vpn.sharedKeySecretNames).toEqual({ "cn-acme": "s2s-psk-acme" });
    });
  });

  describe("options", () => {
    it("peers with BGP, uses an FQDN gateway, a custom secret name and a custom strong policy", () => {
      const { stack, vpn } = s2s([
        {
          name: "globex",
          gatewayAddress: "vpn.globex.example.com",
          addressSpaces: ["172.17.0.0/24"],
          access: ACCESS,
          bgp: { asn: 64601, peeringAddress: "172.17.0.254" },
          sharedKeySecretName: "globex-tunnel-psk",
          ipsecPolicy: { ikeEncryption: "AES256", ikeIntegrity: "SHA256", dhGroup: "DHGroup24", ipsecEncryption: "AES256", ipsecIntegrity: "SHA256", pfsGroup: "PFS24" },
        },
      ]);
      const local = resourcesOf(stack, "azurerm_local_network_gateway")[0];
      expect(local).toMatchObject({ gateway_fqdn: "vpn.globex.example.com", bgp_settings: { asn: 64601, bgp_peering_address: "172.17.0.254" } });
      expect(local.gateway_address).toBeUndefined();
      expect(resourcesOf(stack, "azurerm_virtual_network_gateway_connection")[0]).toMatchObject({
        enable_bgp: true,
        ipsec_policy: { dh_group: "DHGroup24", pfs_group: "PFS24", ipsec_integrity: "SHA256" },
        // A BGP customer's selectors also carry its session to the gateway's peering addresses.
        traffic_selector_policy: [{ local_address_cidrs: ["10.20.16.10/32", "10.20.0.0/26"], remote_address_cidrs: ["172.17.0.0/24"] }],
      });
      expect(vpn.sharedKeySecretNames).toEqual({ "cn-globex": "globex-tunnel-psk" });
    });

    it("adding a customer leaves the existing customers' resources untouched", () => {
      const before = synthJson(s2s([acme]).stack);
      const after = synthJson(s2s([acme, { name: "initech", gatewayAddress: "198.51.100.77", addressSpaces: ["192.168.40.0/22"], access: ACCESS }]).stack);
      for (const type of ["azurerm_local_network_gateway", "azurerm_virtual_network_gateway_connection"]) {
        for (const [key, resource] of Object.entries(before.resource[type])) expect(after.resource[type][key]).toEqual(resource);
        expect(Object.keys(after.resource[type])).toHaveLength(2);
      }
    });
  });

  describe("prod-azure-vpn", () => {
    const { vpn } = azureStacks();
    const json = appStackJson(vpn);

    it("has no Key Vault secret data source and no shared key: plan and its JSON never see a key", () => {
      expect(json.data?.azurerm_key_vault_secret).toBeUndefined();
      expect(JSON.stringify(json)).not.toMatch(/shared_key"\s*:|key_vault_secret/);
      const connections = Object.values(json.resource.azurerm_virtual_network_gateway_connection) as any[];
      expect(connections.length).toBeGreaterThan(0);
      for (const connection of connections) expect(connection.lifecycle.ignore_changes).toEqual(["shared_key"]);
    });

    it("outputs, per connection, the vault and secret name the trusted apply step copies the key from", () => {
      const source = json.output["shared-key-source"].value;
      expect(source.keyVault).toBe(prodAzure().keyVault.name);
      expect(Object.keys(source.secrets).sort()).toEqual([...vpn.siteToSite.connectionNames].sort());
      for (const secret of Object.values(source.secrets)) expect(secret).toMatch(/^[\w-]+$/);
    });

    it("exposes the connection name per customer for tunnel monitors", () => {
      expect(vpn.customerConnectionNames).toEqual({ "acme-bank": "cn-acme-bank", "globex-pay": "cn-globex-pay", initech: "cn-initech" });
    });
  });

  describe("rejected input", () => {
    it("rejects a customer granted nothing (its tunnel would carry no traffic)", () => {
      expect(() => s2s([{ ...acme, access: [] }])).toThrow(/customers\[acme\]\.access is empty: the customer could reach nothing through its tunnel/);
    });

    it("rejects two customers with overlapping ranges", () => {
      expect(() => s2s([acme, { name: "globex", gatewayAddress: "192.0.2.20", addressSpaces: ["172.16.0.0/16"], access: ACCESS }])).toThrow(
        /s\/s2s: customers\[globex\]\.addressSpaces\[0\] 172\.16\.0\.0\/16 overlaps customers\[acme\]\.addressSpaces\[0\] 172\.16\.10\.0\/24; every customer needs its own range/,
      );
    });

    it("rejects a customer overlapping the hub VNet", () => {
      expect(() => s2s([{ ...acme, addressSpaces: ["10.20.5.0/24"] }])).toThrow(
        /customers\[acme\]\.addressSpaces\[0\] 10\.20\.5\.0\/24 overlaps hub VNet\[0\] 10\.20\.0\.0\/16/,
      );
    });

    it("rejects a customer overlapping the point-to-site pool", () => {
      expect(() => s2s([{ ...acme, addressSpaces: ["10.250.0.0/16"] }])).toThrow(
        /customers\[acme\]\.addressSpaces\[0\] 10\.250\.0\.0\/16 overlaps pointToSite\.addressPool\[0\] 10\.250\.0\.0\/24/,
      );
    });

    it("rejects duplicate customer names", () => {
      expect(() => s2s([acme, { ...acme, addressSpaces: ["172.18.0.0/24"] }])).toThrow(/customers\[1\]\.name "acme" is used by another customer; customer names must be unique/);
    });

    it("rejects a customer BGP ASN reserved by Azure", () => {
      expect(() => s2s([{ ...acme, bgp: { asn: 65515, peeringAddress: "172.16.10.254" } }])).toThrow(
        /s\/s2s: customers\[acme\]\.bgp\.asn 65515 is reserved by Azure/,
      );
    });

    it("rejects a weak IPsec policy", () => {
      const weak = { ikeEncryption: "AES256", ikeIntegrity: "SHA1", dhGroup: "DHGroup2", ipsecEncryption: "AES256", ipsecIntegrity: "SHA256", pfsGroup: "None" };
      expect(() => s2s([{ ...acme, ipsecPolicy: weak }])).toThrow(/customers\[acme\]\.ipsecPolicy\.ikeIntegrity "SHA1" is weak: SHA-1 is deprecated/);
    });

    it.each([
      ["300.1.2.3", /gatewayAddress "300\.1\.2\.3" is neither a public IPv4 address nor an FQDN/],
      ["vpn..acme.example", /gatewayAddress "vpn\.\.acme\.example" is neither a public IPv4 address nor an FQDN/],
      ["https://vpn.acme.example", /is neither a public IPv4 address nor an FQDN/],
      ["10.1.2.3", /gatewayAddress "10\.1\.2\.3" is not a public address \(inside 10\.0\.0\.0\/8\)/],
      ["192.168.1.1", /is not a public address \(inside 192\.168\.0\.0\/16\)/],
    ])("rejects the malformed or private gateway address %s", (gatewayAddress, message) => {
      expect(() => s2s([{ ...acme, gatewayAddress }])).toThrow(message);
    });

    it("rejects a malformed BGP peering address", () => {
      expect(() => s2s([{ ...acme, bgp: { asn: 64601, peeringAddress: "172.16.10" } }])).toThrow(/customers\[acme\]\.bgp\.peeringAddress "172\.16\.10" must be an IPv4 address/);
    });

    it("rejects a customer without address ranges", () => {
      expect(() => s2s([{ ...acme, addressSpaces: [] }])).toThrow(/customers\[acme\]\.addressSpaces is empty/);
    });
  });
});
