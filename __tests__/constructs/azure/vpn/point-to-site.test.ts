import { PointToSiteVpn, pointToSiteConfiguration, PointToSiteProps } from "../../../../constructs/azure/vpn/point-to-site";
import { emptyStack, resourcesOf } from "../../../helpers/synth";

const TENANT = "00000000-0000-4000-8000-0000000000aa";
const CUSTOM: PointToSiteProps = {
  addressPool: ["10.250.0.0/24"],
  tenantId: TENANT,
  audience: "00000000-0000-4000-8000-0000000000e1",
  adminGroupObjectId: "00000000-0000-4000-8000-0000000000e2",
};

describe("pointToSiteConfiguration", () => {
  it("uses OpenVPN with Entra ID only: tenant, the custom audience and issuer", () => {
    expect(pointToSiteConfiguration(CUSTOM)).toEqual({
      vpnProtocols: ["OpenVPN"],
      vpnAuthenticationTypes: ["AAD"],
      azureActiveDirectoryAuthentication: [
        { tenant: `https://login.microsoftonline.com/${TENANT}/`, audience: "00000000-0000-4000-8000-0000000000e1", issuer: `https://sts.windows.net/${TENANT}/` },
      ],
      clientRootCertificate: [],
    });
  });

  it("adds certificate auth with public root certificate data", () => {
    const config = pointToSiteConfiguration({ ...CUSTOM, rootCertificates: [{ name: "dba-root", publicCertData: "MIIC5zCCAc+gAwIBAgIQ" }] });
    expect(config.vpnAuthenticationTypes).toEqual(["AAD", "Certificate"]);
    expect(config.clientRootCertificate).toEqual([{ name: "dba-root", publicCertData: "MIIC5zCCAc+gAwIBAgIQ" }]);
  });

  it.each(["c632b3df-fb67-4d84-bdcf-b95ad541b5c8", "41b23e61-6c1e-4545-b367-cd054e0ed4b4"])(
    "refuses Microsoft's multi-tenant audience %s without an opt-in reason, accepts it with one",
    (audience) => {
      expect(() => pointToSiteConfiguration({ ...CUSTOM, audience })).toThrow(
        new RegExp(`pointToSite\\.audience "${audience}" is Microsoft's multi-tenant Azure VPN Client app: every user of the tenant can connect`),
      );
      expect(() => pointToSiteConfiguration({ ...CUSTOM, audience, defaultAudienceReason: "short" })).toThrow(/allowDefaultAudience\.reason \(at least 20 characters\)/);
      expect(pointToSiteConfiguration({ ...CUSTOM, audience, defaultAudienceReason: "break-glass tenant with two guest admins only" }).azureActiveDirectoryAuthentication).toEqual([expect.objectContaining({ audience })]);
    },
  );

  it("rejects an audience that is not a GUID", () => {
    expect(() => pointToSiteConfiguration({ ...CUSTOM, audience: "api://vpn-db-admins" })).toThrow(
      /pointToSite\.audience "api:\/\/vpn-db-admins" must be a GUID \(the app registration's application \(client\) id\)/,
    );
  });

  it("rejects a custom audience without the admins' group", () => {
    expect(() => pointToSiteConfiguration({ ...CUSTOM, adminGroupObjectId: undefined })).toThrow(
      /pointToSite\.adminGroupObjectId "" must be the object id \(GUID\) of the DB admins' Entra group/,
    );
  });

  it("rejects private key material in place of a root certificate", () => {
    expect(() => pointToSiteConfiguration({ ...CUSTOM, rootCertificates: [{ name: "oops", publicCertData: "-----BEGIN PRIVATE KEY-----\nMIIE" }] })).toThrow(
      /pointToSite\.rootCertificates\[0\] \(oops\) contains a private key; supply only the public certificate data/,
    );
  });

  it("rejects an empty client pool", () => {
    expect(() => pointToSiteConfiguration({ ...CUSTOM, addressPool: [] })).toThrow(/pointToSite\.addressPool is empty/);
  });

  it("rejects a tenant that is not a GUID", () => {
    expect(() => pointToSiteConfiguration({ ...CUSTOM, tenantId: "contoso.onmicrosoft.com" })).toThrow(/pointToSite\.tenantId "contoso\.onmicrosoft\.com" must be a GUID/);
  });
});

describe("PointToSiteVpn (Virtual WAN hub)", () => {
  const props = { gatewayName: "p2sgw", virtualHubId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualHubs/vhub", resourceGroupName: "rg", location: "westeurope", pointToSite: CUSTOM };

  it("creates a server configuration with Entra ID and a hub gateway handing out the pool, without a default route", () => {
    const stack = emptyStack();
    new PointToSiteVpn(stack, "p2s", props);
    expect(resourcesOf(stack, "azurerm_vpn_server_configuration")[0]).toMatchObject({
      name: "p2sgw-config",
      vpn_authentication_types: ["AAD"],
      vpn_protocols: ["OpenVPN"],
      azure_active_directory_authentication: [{ audience: CUSTOM.audience, tenant: `https://login.microsoftonline.com/${TENANT}/`, issuer: `https://sts.windows.net/${TENANT}/` }],
    });
    expect(resourcesOf(stack, "azurerm_point_to_site_vpn_gateway")[0]).toMatchObject({
      name: "p2sgw",
      virtual_hub_id: props.virtualHubId,
      scale_unit: 1,
      connection_configuration: [{ name: "db-admins", vpn_client_address_pool: { address_prefixes: ["10.250.0.0/24"] }, internet_security_enabled: false }],
    });
  });

  it("takes scale units from props and rejects out-of-range ones naming the field", () => {
    const stack = emptyStack();
    new PointToSiteVpn(stack, "p2s", { ...props, scaleUnits: 3 });
    expect(resourcesOf(stack, "azurerm_point_to_site_vpn_gateway")[0].scale_unit).toBe(3);
    expect(() => new PointToSiteVpn(emptyStack(), "p2s", { ...props, scaleUnits: 0 })).toThrow(/s\/p2s: vpn\.pointToSite\.scaleUnits 0 must be an integer from 1 to 200/);
  });
});
