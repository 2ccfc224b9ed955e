import { ipsecPolicyFor, STRONG_IPSEC_POLICY } from "../../../../constructs/azure/vpn/ipsec-policy";

const FIELD = "customers[acme].ipsecPolicy";

describe("ipsecPolicyFor", () => {
  it("defaults to GCMAES256 / SHA384 / ECP384 with ECP384 PFS", () => {
    expect(ipsecPolicyFor(FIELD)).toEqual({
      ikeEncryption: "GCMAES256",
      ikeIntegrity: "SHA384",
      dhGroup: "ECP384",
      ipsecEncryption: "GCMAES256",
      ipsecIntegrity: "GCMAES256",
      pfsGroup: "ECP384",
      saLifetime: 27000,
      saDatasize: 102400000,
    });
  });

  it("accepts another strong policy (AES256 / SHA256 / DHGroup24 / PFS24) with custom SA limits", () => {
    const policy = { ikeEncryption: "AES256", ikeIntegrity: "SHA256", dhGroup: "DHGroup24", ipsecEncryption: "AES256", ipsecIntegrity: "SHA256", pfsGroup: "PFS24", saLifetimeSeconds: 3600, saDataSizeKb: 2048 };
    expect(ipsecPolicyFor(FIELD, policy)).toMatchObject({ dhGroup: "DHGroup24", pfsGroup: "PFS24", saLifetime: 3600, saDatasize: 2048 });
  });

  it.each([
    ["ikeEncryption", "DES", /ikeEncryption "DES" is weak: DES is broken/],
    ["ikeEncryption", "DES3", /ikeEncryption "DES3" is weak: 3DES is deprecated/],
    ["ikeIntegrity", "MD5", /ikeIntegrity "MD5" is weak: MD5 is broken/],
    ["ikeIntegrity", "SHA1", /ikeIntegrity "SHA1" is weak: SHA-1 is deprecated/],
    ["dhGroup", "DHGroup1", /dhGroup "DHGroup1" is weak: DH group 1 \(768-bit\) is broken/],
    ["dhGroup", "DHGroup2", /dhGroup "DHGroup2" is weak: DH group 2 \(1024-bit\) is broken; use one of ECP384, ECP256, DHGroup24/],
    ["ipsecEncryption", "None", /ipsecEncryption "None" is weak: None turns the protection off/],
    ["ipsecIntegrity", "SHA1", /ipsecIntegrity "SHA1" is weak/],
    ["pfsGroup", "None", /pfsGroup "None" is weak: None turns the protection off \(no perfect forward secrecy/],
    ["pfsGroup", "PFS2", /pfsGroup "PFS2" is weak: PFS group 2 \(1024-bit\) is broken/],
    ["pfsGroup", "PFSMM", /pfsGroup "PFSMM" is weak/],
    ["dhGroup", "ECP521", /dhGroup "ECP521" is not an Azure IPsec\/IKE value/],
  ])("rejects %s %s", (field, value, message) => {
    const weak = { ...STRONG_IPSEC_POLICY, ipsecEncryption: "AES256", ipsecIntegrity: "SHA256", [field]: value };
    expect(() => ipsecPolicyFor(FIELD, weak)).toThrow(new RegExp(`customers\\[acme\\]\\.ipsecPolicy\\.${message.source}`));
  });

  it("rejects a GCM cipher paired with a different integrity algorithm", () => {
    expect(() => ipsecPolicyFor(FIELD, { ...STRONG_IPSEC_POLICY, ipsecIntegrity: "SHA256" })).toThrow(
      /ipsecPolicy\.ipsecIntegrity "SHA256" must match ipsecEncryption "GCMAES256" when either uses AES-GCM/,
    );
  });

  it("rejects an SA lifetime outside Azure's range", () => {
    expect(() => ipsecPolicyFor(FIELD, { ...STRONG_IPSEC_POLICY, saLifetimeSeconds: 60 })).toThrow(/saLifetimeSeconds must be an integer from 300 to 172799, got 60/);
  });
});
