import { prodAzure } from "../../environments/prod-azure";
import { azureProdEnvironmentSchema, parseEnvironment } from "../../environments/schema";

function parse(mutate: (raw: any) => void = () => undefined) {
  const raw: any = structuredClone(prodAzure);
  mutate(raw);
  return parseEnvironment(azureProdEnvironmentSchema, "environments/prod-azure.ts", raw);
}

describe("environments/prod-azure.ts", () => {
  it("parses, filling in the secure defaults from the schema", () => {
    const env = parse();
    expect(env.state).toMatchObject({ containerName: "tfstate", replication: "GZRS", softDeleteDays: 30 });
    expect(env.keyVault.softDeleteRetentionDays).toBe(90);
    expect(env.aks).toMatchObject({
      zones: ["1", "2", "3"],
      networkPolicy: "cilium",
      automaticUpgradeChannel: "patch",
      nodeOsUpgradeChannel: "NodeImage",
      logRetentionDays: 90,
      secretRotationInterval: "2m",
    });
    expect(env.network.virtualHub.firewall).toMatchObject({ sku: "Standard", threatIntelMode: "Deny", publicIpCount: 1 });
    expect(env.vpn.scaleUnits).toBe(1);
    expect(env.vpn.pointToSite.scaleUnits).toBe(1);
    // Every customer keeps its name, unique: it names the Azure resources and the Key Vault secret.
    expect(new Set(env.vpn.customers.map((c) => c.name)).size).toBe(env.vpn.customers.length);
  });

  it("defaults the API server to private when no access is configured (reached by runners in the VNet)", () => {
    const inVnet = (raw: any) => {
      delete raw.aks.apiServer;
      for (const role of ["plan", "apply"]) raw.ci.runners[role].network = { placement: "in-network", subnetCidr: "10.20.64.0/24", egressCidrs: ["198.51.100.30/32"] };
    };
    expect(parse(inVnet).aks.apiServer).toEqual({ private: true });
  });

  it("rejects a subscription id that is not a GUID", () => {
    expect(() => parse((raw) => (raw.subscriptionId = "prod-sub"))).toThrow(
      /environments\/prod-azure\.ts: subscriptionId must be a GUID like 00000000-0000-0000-0000-000000000000 \(got "prod-sub"\)/,
    );
  });

  it("rejects a region without availability zones", () => {
    expect(() => parse((raw) => (raw.location = "westus"))).toThrow(/location must be an Azure region with availability zones: westeurope/);
  });

  it("rejects an invalid availability zone", () => {
    expect(() => parse((raw) => (raw.aks.zones = ["1", "4"]))).toThrow(/aks\.zones\[1\] must be an availability zone: 1, 2, 3 \(got "4"\)/);
  });

  it("rejects an audit retention of 0 days", () => {
    expect(() => parse((raw) => (raw.audit.retentionDays = 0))).toThrow(/audit\.retentionDays must be 30-730 days \(0 keeps no audit trail; Log Analytics keeps at least 30\) \(got 0\)/);
  });

  it("rejects a P2S audience that is not a GUID", () => {
    expect(() => parse((raw) => (raw.vpn.pointToSite.audience = "vpn-db-admins"))).toThrow(/vpn\.pointToSite\.audience must be a GUID like 00000000-0000-0000-0000-000000000000 \(got "vpn-db-admins"\)/);
  });

  it("rejects an admin group id that is not a GUID", () => {
    expect(() => parse((raw) => (raw.aks.adminGroupObjectIds = ["aks-admins"]))).toThrow(/aks\.adminGroupObjectIds\[0\] must be a GUID/);
  });

  it("rejects a maintenance window shorter than the AKS minimum", () => {
    expect(() => parse((raw) => (raw.aks.upgradeWindow = { dayOfWeek: "Sunday", startTime: "02:00", durationHours: 2 }))).toThrow(
      /aks\.upgradeWindow\.durationHours must be at least 4 hours \(AKS minimum\) \(got 2\)/,
    );
  });

  it("rejects an empty authorized range list instead of opening the API server", () => {
    expect(() => parse((raw) => (raw.aks.apiServer = { authorizedIpRanges: [] }))).toThrow(/aks\.apiServer/);
  });

  it("rejects a customer without a name pattern Azure resources can carry", () => {
    expect(() => parse((raw) => (raw.vpn.customers[0].name = "Acme Bank"))).toThrow(/vpn\.customers\[0\]\.name must be 3-32 lower-case letters, digits or dashes \(got "Acme Bank"\)/);
  });

  it("rejects a key vault without anyone allowed to store pre-shared keys", () => {
    expect(() => parse((raw) => (raw.keyVault.secretsOfficerObjectIds = []))).toThrow(/keyVault\.secretsOfficerObjectIds needs at least one principal allowed to store pre-shared keys/);
  });

  it("rejects a hub gateway ASN other than 65515, saying Virtual WAN gateways always use it", () => {
    expect(() => parse((raw) => (raw.vpn.bgpAsn = 65010))).toThrow(
      /vpn\.bgpAsn must be 65515: Virtual WAN VPN gateways always use ASN 65515 \(not configurable\); remove vpn\.bgpAsn \(got 65010\)/,
    );
    expect(parse((raw) => (raw.vpn.bgpAsn = 65515)).vpn.bgpAsn).toBe(65515);
  });

  it("rejects BGP on a customer, naming the field, the value, the prefix-hijack threat and the fix", () => {
    expect(() => parse((raw) => (raw.vpn.customers[1].bgp = { asn: 64602, peeringAddress: "172.17.0.254" }))).toThrow(
      /environments\/prod-azure\.ts: vpn\.customers\[1\]\.bgp is not a known field; customers use static routing only: over BGP a customer could advertise a more specific prefix of the spoke .* another customer's range, and the hub would route other customers' allowed flows and DB admins' sessions to it.* Remove bgp: the hub routes exactly the customer's addressSpaces to its tunnel.* \(got \{"asn":64602,"peeringAddress":"172\.17\.0\.254"\}\)/,
    );
  });

  it("rejects the old VNet gateway fields with the fix", () => {
    expect(() => parse((raw) => (raw.vpn.sku = "VpnGw2AZ"))).toThrow(/vpn\.sku is not a known field.*Virtual WAN VPN gateways have no SKU: size them with vpn\.scaleUnits/);
    expect(() => parse((raw) => (raw.network.gatewaySubnetCidr = "10.20.0.0/26"))).toThrow(/network\.gatewaySubnetCidr is not a known field.*the VPN terminates in the virtual hub/);
  });

  it("rejects a firewall tier that cannot secure the hub and a misspelt threat-intel mode with a did-you-mean", () => {
    expect(() => parse((raw) => (raw.network.virtualHub.firewall.sku = "Basic"))).toThrow(/network\.virtualHub\.firewall\.sku must be Standard or Premium \(Basic cannot secure this hub\) \(got "Basic"\)/);
    expect(() => parse((raw) => (raw.network.virtualHub.firewall.threatIntelMod = "Deny"))).toThrow(/network\.virtualHub\.firewall\.threatIntelMod is not a known field; did you mean threatIntelMode\?/);
  });

  it("rejects scale units out of range", () => {
    expect(() => parse((raw) => (raw.vpn.scaleUnits = 0))).toThrow(/vpn\.scaleUnits must be >= 1 \(got 0\)/);
    expect(() => parse((raw) => (raw.vpn.scaleUnits = 41))).toThrow(/vpn\.scaleUnits must be 1-40/);
  });
});
