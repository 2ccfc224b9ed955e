import { pointToSiteConfiguration, PointToSiteProps } from "../../../../constructs/azure/vpn/point-to-site";

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
      addressSpace: ["10.250.0.0/24"],
      vpnClientProtocols: ["OpenVPN"],
      vpnAuthTypes: ["AAD"],
      aadTenant: `https://login.microsoftonline.com/${TENANT}/`,
      aadAudience: "00000000-0000-4000-8000-0000000000e1",
      aadIssuer: `https://sts.windows.net/${TENANT}/`,
      rootCertificate: [],
    });
  });

  it("adds certificate auth with public root certificate data", () => {
    const config = pointToSiteConfiguration({ ...CUSTOM, rootCertificates: [{ name: "dba-root", publicCertData: "MIIC5zCCAc+gAwIBAgIQ" }] });
    expect(config.vpnAuthTypes).toEqual(["AAD", "Certificate"]);
    expect(config.rootCertificate).toEqual([{ name: "dba-root", publicCertData: "MIIC5zCCAc+gAwIBAgIQ" }]);
  });

  it.each(["c632b3df-fb67-4d84-bdcf-b95ad541b5c8", "41b23e61-6c1e-4545-b367-cd054e0ed4b4"])(
    "refuses Microsoft's multi-tenant audience %s without an opt-in reason, accepts it with one",
    (audience) => {
      expect(() => pointToSiteConfiguration({ ...CUSTOM, audience })).toThrow(
        new RegExp(`pointToSite\\.audience "${audience}" is Microsoft's multi-tenant Azure VPN Client app: every user of the tenant can connect`),
      );
      expect(() => pointToSiteConfiguration({ ...CUSTOM, audience, defaultAudienceReason: "short" })).toThrow(/allowDefaultAudience\.reason \(at least 20 characters\)/);
      expect(pointToSiteConfiguration({ ...CUSTOM, audience, defaultAudienceReason: "break-glass tenant with two guest admins only" }).aadAudience).toBe(audience);
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
