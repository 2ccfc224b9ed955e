import { pointToSiteConfiguration } from "../../../../constructs/azure/vpn/point-to-site";

const TENANT = "00000000-0000-4000-8000-0000000000aa";

describe("pointToSiteConfiguration", () => {
  it("defaults to OpenVPN with Entra ID only: tenant, Azure VPN Client audience and issuer", () => {
    expect(pointToSiteConfiguration({ addressPool: ["10.250.0.0/24"], tenantId: TENANT })).toEqual({
      addressSpace: ["10.250.0.0/24"],
      vpnClientProtocols: ["OpenVPN"],
      vpnAuthTypes: ["AAD"],
      aadTenant: `https://login.microsoftonline.com/${TENANT}/`,
      aadAudience: "c632b3df-fb67-4d84-bdcf-b95ad541b5c8",
      aadIssuer: `https://sts.windows.net/${TENANT}/`,
      rootCertificate: [],
    });
  });

  it("adds certificate auth with public root certificate data and a custom audience", () => {
    const config = pointToSiteConfiguration({
      addressPool: ["10.250.0.0/24"],
      tenantId: TENANT,
      audience: "41b23e61-6c1e-4545-b367-cd054e0ed4b4",
      rootCertificates: [{ name: "dba-root", publicCertData: "MIIC5zCCAc+gAwIBAgIQ" }],
    });
    expect(config.vpnAuthTypes).toEqual(["AAD", "Certificate"]);
    expect(config.aadAudience).toBe("41b23e61-6c1e-4545-b367-cd054e0ed4b4");
    expect(config.rootCertificate).toEqual([{ name: "dba-root", publicCertData: "MIIC5zCCAc+gAwIBAgIQ" }]);
  });

  it("rejects private key material in place of a root certificate", () => {
    expect(() =>
      pointToSiteConfiguration({
        addressPool: ["10.250.0.0/24"],
        tenantId: TENANT,
        rootCertificates: [{ name: "oops", publicCertData: "-----BEGIN PRIVATE KEY-----\nMIIE" }],
      }),
    ).toThrow(/pointToSite\.rootCertificates\[0\] \(oops\) contains a private key; supply only the public certificate data/);
  });

  it("rejects an empty client pool", () => {
    expect(() => pointToSiteConfiguration({ addressPool: [], tenantId: TENANT })).toThrow(/pointToSite\.addressPool is empty/);
  });

  it("rejects a tenant that is not a GUID", () => {
    expect(() => pointToSiteConfiguration({ addressPool: ["10.250.0.0/24"], tenantId: "contoso.onmicrosoft.com" })).toThrow(
      /pointToSite\.tenantId "contoso\.onmicrosoft\.com" must be a GUID/,
    );
  });
});
