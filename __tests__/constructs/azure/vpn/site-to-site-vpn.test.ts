import { CustomerSite, SiteToSiteVpn, SiteToSiteVpnProps } from "../../../../constructs/azure/vpn/site-to-site-vpn";
import { vpnConnectionsIn } from "../../../../constructs/azure/vpn/vpn-connection-template";
import { azureStacks, prodAzure, shippedAzureApp } from "../../../helpers/azure";
import { emptyStack, resourcesOf, synthJson } from "../../../helpers/synth";

const ACCESS = [{ cidr: "10.20.16.10/32", ports: [443] }];
const VAULT = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-vpn";
const acme: CustomerSite = { name: "acme", gatewayAddress: "192.0.2.10", addressSpaces: ["172.16.10.0/24"], access: ACCESS };
const base: SiteToSiteVpnProps = {
  gatewayName: "vpngw",
  virtualHubId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualHubs/vhub",
  virtualWanId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualWans/vwan",
  resourceGroupName: "rg",
  location: "westeurope",
  occupiedRanges: [
    { name: "spoke VNet", cidr: "10.20.0.0/16" },
    { name: "pointToSite.addressPool[0]", cidr: "10.250.0.0/24" },
  ],
  customers: [acme],
  keyVaultId: VAULT,
};

function s2s(customers: readonly CustomerSite[], over: Partial<SiteToSiteVpnProps> = {}) {
  const stack = emptyStack();
  const vpn = new SiteToSiteVpn(stack, "s2s", { ...base, ...over, customers });
  return { stack, vpn };
}

/** The one vpnConnections resource of a customer's deployment, and the deployment. */
function connectionOf(stack: ReturnType<typeof emptyStack>, name: string) {
  const deployment = resourcesOf(stack, "azurerm_resource_group_template_deployment").find((d) => d.name === name)!;
  const [connection] = vpnConnectionsIn(deployment.template_content);
  return { deployment, connection, link: connection.properties.vpnLinkConnections[0].properties };
}

describe("SiteToSiteVpn (Virtual WAN hub)", () => {
  describe("default config (one customer, static routing)", () => {
    const { stack, vpn } = s2s([acme]);

    it("creates one site-to-site gateway in the hub with one scale unit (Azure assigns ASN 65515)", () => {
      expect(resourcesOf(stack, "azurerm_vpn_gateway")).toEqual([expect.objectContaining({ name: "vpngw", virtual_hub_id: base.virtualHubId, scale_unit: 1 })]);
      expect(resourcesOf(stack, "azurerm_vpn_gateway")[0].bgp_settings).toBeUndefined();
    });

    it("creates a VPN site for the customer device and networks", () => {
      expect(resourcesOf(stack, "azurerm_vpn_site")[0]).toMatchObject({
        name: "vst-acme",
        virtual_wan_id: base.virtualWanId,
        address_cidrs: ["172.16.10.0/24"],
        link: [{ name: "primary", ip_address: "192.0.2.10" }],
      });
    });

    it("connects over IKEv2 with the strong custom IPsec policy, DPD, no BGP and no internet route, in an incremental ARM deployment", () => {
      const { deployment, connection, link } = connectionOf(stack, "cn-acme");
      expect(deployment.deployment_mode).toBe("Incremental");
      expect(connection.name).toMatch(/\/cn-acme$/);
      expect(connection.properties.enableInternetSecurity).toBe(false);
      expect(link).toMatchObject({
        vpnConnectionProtocolType: "IKEv2",
        enableBgp: false,
        dpdTimeoutSeconds: 45,
        ipsecPolicies: [{ ikeEncryption: "GCMAES256", ikeIntegrity: "SHA384", dhGroup: "ECP384", ipsecEncryption: "GCMAES256", ipsecIntegrity: "GCMAES256", pfsGroup: "ECP384", saLifeTimeSeconds: 27000 }],
      });
      expect(vpn.connectionNames).toEqual(["cn-acme"]);
    });

    it("declares an API version whose link connections have dpdTimeoutSeconds (added to VpnSiteLinkConnection in 2023-11-01)", () => {
      const { connection, link } = connectionOf(stack, "cn-acme");
      expect(link.dpdTimeoutSeconds).toBeDefined();
      expect(connection.apiVersion >= "2023-11-01").toBe(true);
    });

    it("hands the pre-shared key over as a Key Vault reference ARM resolves: no key, no secret read, no outputs to bring it into state", () => {
      const json = synthJson(stack);
      expect(json.data?.azurerm_key_vault_secret).toBeUndefined();
      expect(resourcesOf(stack, "azurerm_vpn_gateway_connection")).toEqual([]);
      const { deployment, link } = connectionOf(stack, "cn-acme");
      expect(JSON.parse(deployment.parameters_content)).toEqual({ sharedKey: { reference: { keyVault: { id: VAULT }, secretName: "s2s-psk-acme" } } });
      const template = JSON.parse(deployment.template_content);
      expect(template.parameters.sharedKey).toEqual({ type: "securestring" });
      expect(link.sharedKey).toBe("[parameters('sharedKey')]");
      expect(template.outputs).toEqual({});
      // ARM records request/response bodies of a deployment's operations only with a debug level,
      // and its docs warn that this can expose secure values: never set one here.
      expect(deployment.debug_level).toBeUndefined();
      expect(vpn.sharedKeySecretNames).toEqual({ "cn-acme": "s2s-psk-acme" });
    });
  });

  describe("options", () => {
    it("uses an FQDN gateway, a custom secret name, a custom strong policy and more scale units, still with static routing", () => {
      const { stack, vpn } = s2s(
        [
          {
            name: "globex",
            gatewayAddress: "vpn.globex.example.com",
            addressSpaces: ["172.17.0.0/24"],
            access: ACCESS,
            sharedKeySecretName: "globex-tunnel-psk",
            ipsecPolicy: { ikeEncryption: "AES256", ikeIntegrity: "SHA256", dhGroup: "DHGroup24", ipsecEncryption: "AES256", ipsecIntegrity: "SHA256", pfsGroup: "PFS24" },
          },
        ],
        { scaleUnits: 2 },
      );
      expect(resourcesOf(stack, "azurerm_vpn_gateway")[0].scale_unit).toBe(2);
      const site = resourcesOf(stack, "azurerm_vpn_site")[0];
      expect(site.link[0]).toMatchObject({ fqdn: "vpn.globex.example.com" });
      expect(site.link[0].bgp).toBeUndefined();
      expect(site.link[0].ip_address).toBeUndefined();
      const { deployment, link } = connectionOf(stack, "cn-globex");
      expect(link).toMatchObject({ enableBgp: false, ipsecPolicies: [expect.objectContaining({ dhGroup: "DHGroup24", pfsGroup: "PFS24", ipsecIntegrity: "SHA256" })] });
      expect(JSON.parse(deployment.parameters_content).sharedKey.reference.secretName).toBe("globex-tunnel-psk");
      expect(vpn.sharedKeySecretNames).toEqual({ "cn-globex": "globex-tunnel-psk" });
    });

    it("pins a Key Vault secret version when given, so a rotation is a reviewed redeploy", () => {
      const { stack } = s2s([{ ...acme, sharedKeyVersion: "0123456789abcdef0123456789abcdef" }]);
      const { deployment } = connectionOf(stack, "cn-acme");
      expect(JSON.parse(deployment.parameters_content).sharedKey.reference).toEqual({ keyVault: { id: VAULT }, secretName: "s2s-psk-acme", secretVersion: "0123456789abcdef0123456789abcdef" });
      expect(() => s2s([{ ...acme, sharedKeyVersion: "latest" }])).toThrow(/customers\[acme\]\.sharedKeyVersion "latest" is not a Key Vault secret version/);
    });

    it("adding a customer leaves the existing customers' resources untouched", () => {
      const before = synthJson(s2s([acme]).stack);
      const after = synthJson(s2s([acme, { name: "initech", gatewayAddress: "198.51.100.77", addressSpaces: ["192.168.40.0/22"], access: ACCESS }]).stack);
      for (const type of ["azurerm_vpn_site", "azurerm_resource_group_template_deployment"]) {
        for (const [key, resource] of Object.entries(before.resource[type])) expect(after.resource[type][key]).toEqual(resource);
        expect(Object.keys(after.resource[type])).toHaveLength(2);
      }
    });
  });

  describe("prod-azure-vpn", () => {
    // Built for its construct properties (connection names); the JSON is the shared synth's.
    const { vpn } = azureStacks();
    const json = shippedAzureApp().vpn;

    it("has no key value, no Key Vault secret data source and no resource whose refresh would read a key into state", () => {
      expect(json.data?.azurerm_key_vault_secret).toBeUndefined();
      // azurerm_vpn_gateway_connection and azurerm_virtual_network_gateway_connection read shared keys back into state.
      expect(json.resource.azurerm_vpn_gateway_connection).toBeUndefined();
      expect(json.resource.azurerm_virtual_network_gateway_connection).toBeUndefined();
      expect(JSON.stringify(json)).not.toMatch(/shared_key"\s*:|key_vault_secret/);
      const deployments = Object.values(json.resource.azurerm_resource_group_template_deployment) as any[];
      expect(deployments).toHaveLength(prodAzure().vpn.customers.length);
      for (const deployment of deployments) {
        // The only sharedKey in the template is the parameter expression; the only parameter is a Key Vault reference; no outputs.
        const template = JSON.parse(deployment.template_content);
        expect(JSON.stringify(template).match(/"sharedKey":"[^"]*"/g)).toEqual([`"sharedKey":"[parameters('sharedKey')]"`]);
        expect(Object.keys(template.outputs)).toEqual([]);
        const parameters = JSON.parse(deployment.parameters_content);
        expect(Object.keys(parameters)).toEqual(["sharedKey"]);
        expect(Object.keys(parameters.sharedKey)).toEqual(["reference"]);
        expect(parameters.sharedKey.reference.keyVault.id).toMatch(/^\$\{data\.terraform_remote_state\./);
      }
    });

    it("outputs, per connection, the vault and secret name its Key Vault reference points to", () => {
      const source = json.output["shared-key-source"].value;
      expect(source.keyVault).toBe(prodAzure().keyVault.name);
      expect(Object.keys(source.secrets).sort()).toEqual([...vpn.siteToSite.connectionNames].sort());
      for (const secret of Object.values(source.secrets)) expect(secret).toMatch(/^[\w-]+$/);
    });

    it("exposes the connection name per customer for tunnel monitors", () => {
      expect(vpn.customerConnectionNames).toEqual(Object.fromEntries(prodAzure().vpn.customers.map((c) => [c.name, `cn-${c.name}`])));
    });
  });

  describe("rejected input", () => {
    it("rejects a customer granted nothing (its tunnel would carry no traffic)", () => {
      expect(() => s2s([{ ...acme, access: [] }])).toThrow(/customers\[acme\]\.access is empty: the customer could reach nothing through its tunnel/);
    });

    it("rejects scale units out of range, naming the field", () => {
      expect(() => s2s([acme], { scaleUnits: 0 })).toThrow(/s\/s2s: vpn\.scaleUnits 0 must be an integer from 1 to 40/);
    });

    it("rejects two customers with overlapping ranges", () => {
      expect(() => s2s([acme, { name: "globex", gatewayAddress: "192.0.2.20", addressSpaces: ["172.16.0.0/16"], access: ACCESS }])).toThrow(
        /s\/s2s: customers\[globex\]\.addressSpaces\[0\] 172\.16\.0\.0\/16 overlaps customers\[acme\]\.addressSpaces\[0\] 172\.16\.10\.0\/24; every customer needs its own range/,
      );
    });

    it("rejects a customer overlapping the spoke VNet", () => {
      expect(() => s2s([{ ...acme, addressSpaces: ["10.20.5.0/24"] }])).toThrow(
        /customers\[acme\]\.addressSpaces\[0\] 10\.20\.5\.0\/24 overlaps spoke VNet 10\.20\.0\.0\/16/,
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

    it("refuses BGP on a customer from an untyped caller, naming the field, the value, the threat and the fix", () => {
      const withBgp = { ...acme, bgp: { asn: 64601, peeringAddress: "172.16.10.254" } } as CustomerSite;
      expect(() => s2s([withBgp])).toThrow(
        /s\/s2s: customers\[acme\]\.bgp \{"asn":64601,"peeringAddress":"172\.16\.10\.254"\}: customers use static routing only: over BGP a customer could advertise a more specific prefix of the spoke .* Remove bgp/,
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

    it("rejects a customer without address ranges", () => {
      expect(() => s2s([{ ...acme, addressSpaces: [] }])).toThrow(/customers\[acme\]\.addressSpaces is empty/);
    });
  });
});
