/**
 * `ci.runners`: where plan and apply jobs run, checked at the config edge before any construct
 * runs (environments/schema.ts, constructs/core/ci-runners.ts). Each mistake is reported as
 * `<file>: <path> <problem> (got <value>)`.
 */
import { prodAzure } from "../../environments/prod-azure";
import { awsTestEnvironmentSchema, azureProdEnvironmentSchema, parseEnvironment } from "../../environments/schema";
import { testAws } from "../../environments/test-aws";

function aws(mutate: (raw: any) => void) {
  const raw: any = structuredClone(testAws);
  mutate(raw);
  return () => parseEnvironment(awsTestEnvironmentSchema, "environments/test-aws.ts", raw);
}

function azure(mutate: (raw: any) => void) {
  const raw: any = structuredClone(prodAzure);
  mutate(raw);
  return () => parseEnvironment(azureProdEnvironmentSchema, "environments/prod-azure.ts", raw);
}

const inNetwork = (subnetCidr: string, egressCidrs?: string[]) => ({ placement: "in-network", subnetCidr, ...(egressCidrs ? { egressCidrs } : {}) });
/** Both job kinds on the same network (labels stay distinct). */
const bothOn = (raw: any, network: object) => {
  for (const role of ["plan", "apply"]) raw.ci.runners[role].network = structuredClone(network);
};

describe("ci.runners", () => {
  it("defaults runners to ephemeral and in-network runners to no egress", () => {
    const env = aws((raw) => bothOn(raw, inNetwork("10.40.200.0/24")))();
    expect(env.ci.runners.plan.network).toEqual({ placement: "in-network", subnetCidr: "10.40.200.0/24", egressCidrs: [], ephemeral: true });
  });

  describe("a runner network that cannot reach a private endpoint", () => {
    it("EKS with its public endpoint off and runners outside the VPC", () => {
      expect(aws((raw) => (raw.eks.publicEndpoint.enabled = false))).toThrow(
        /environments\/test-aws\.ts: ci\.runners\.plan\.network cannot reach the EKS API of test-platform: the plan runner runs outside the network \(egress [\d./]+\) and eks\.publicEndpoint is disabled \(private endpoint only, reachable inside the VPC\); set eks\.publicEndpoint\.enabled: true .* or run the runners in the VPC .* \(got \{"placement":"static-egress"/,
      );
    });

    it("EKS with its public endpoint off is reached by runners in the VPC", () => {
      expect(aws((raw) => { raw.eks.publicEndpoint.enabled = false; bothOn(raw, inNetwork("10.40.200.0/24")); })()).toBeTruthy();
    });

    it("a private AKS API with runners outside the VNet", () => {
      expect(azure((raw) => (raw.aks.apiServer = { private: true }))).toThrow(
        /environments\/prod-azure\.ts: ci\.runners\.plan\.network cannot reach the AKS API of aks-prod: .* aks\.apiServer is private .*; run the runners in the VNet/,
      );
    });

    it("an AKS with authorized ranges, and runners in the VNet with no egress in them", () => {
      const error = azure((raw) => bothOn(raw, inNetwork("10.20.64.0/24")));
      expect(error).toThrow(/ci\.runners\.apply\.network cannot reach the AKS API of aks-prod: the apply runner runs in subnet 10\.20\.64\.0\/24 with no egressCidrs and aks\.apiServer is public behind authorizedIpRanges/);
    });

    it("the Key Vault (no private endpoint) from runners in the VNet without egress", () => {
      const error = azure((raw) => { raw.aks.apiServer = { private: true }; bothOn(raw, inNetwork("10.20.64.0/24")); });
      expect(error).toThrow(/ci\.runners\.plan\.network cannot reach the Key Vault kv-prod-vpn-7f3a: .*; set the runners' egressCidrs/);
      expect(error).not.toThrow(/AKS API/);
    });

    it("private AKS and the Key Vault are both reached by runners in the VNet with a NAT egress", () => {
      expect(azure((raw) => { raw.aks.apiServer = { private: true }; bothOn(raw, inNetwork("10.20.64.0/24", ["198.51.100.30/32"])); })()).toBeTruthy();
    });
  });

  describe("a CIDR that is not a CIDR", () => {
    it.each([
      ["198.51.100.300/32", /egressCidrs\[0\] must be an IPv4 CIDR like 198\.51\.100\.10\/32 \(each octet is at most 255\) \(got "198\.51\.100\.300\/32"\)/],
      ["198.51.100.10/33", /egressCidrs\[0\] must be an IPv4 CIDR like 198\.51\.100\.10\/32 \(the prefix is at most \/32\) \(got "198\.51\.100\.10\/33"\)/],
      ["runner-nat", /egressCidrs\[0\] must be an IPv4 CIDR like 10\.0\.0\.0\/16 \(got "runner-nat"\)/],
      ["198.51.100.10/24", /egressCidrs\[0\] is not a network address; use 198\.51\.100\.0\/24 \(got "198\.51\.100\.10\/24"\)/],
      ["0.0.0.0/0", /egressCidrs\[0\] would open every allow-list to the internet.* \(got "0\.0\.0\.0\/0"\)/],
    ])("egress %s", (value, message) => {
      expect(aws((raw) => (raw.ci.runners.apply.network.egressCidrs = [value]))).toThrow(new RegExp(`environments/test-aws\\.ts: ci\\.runners\\.apply\\.network\\.${message.source}`));
    });

    it("an in-network subnet outside the VPC or on another subnet", () => {
      expect(aws((raw) => bothOn(raw, inNetwork("10.41.0.0/24")))).toThrow(/ci\.runners\.plan\.network\.subnetCidr must lie inside network\.vpcCidr 10\.40\.0\.0\/16: .* \(got "10\.41\.0\.0\/24"\)/);
      expect(azure((raw) => bothOn(raw, inNetwork("10.20.16.0/24", ["198.51.100.30/32"])))).toThrow(
        /ci\.runners\.plan\.network\.subnetCidr overlaps network\.aksNodeSubnetCidr 10\.20\.16\.0\/20; give the runners a subnet of their own \(got "10\.20\.16\.0\/24"\)/,
      );
    });
  });

  describe("runner safety", () => {
    it("refuses GitHub-hosted labels: no allow-list can name their egress", () => {
      expect(aws((raw) => (raw.ci.runners.plan.labels = ["ubuntu-22.04"]))).toThrow(/ci\.runners\.plan\.labels\[0\] is a GitHub-hosted label: .* \(got "ubuntu-22\.04"\)/);
    });

    it("refuses plan labels an apply runner also carries (pull-request code on an apply runner)", () => {
      expect(aws((raw) => (raw.ci.runners.plan.labels = raw.ci.runners.apply.labels))).toThrow(/ci\.runners\.plan\.labels must include a label the other job kind's runners lack/);
      expect(azure((raw) => (raw.ci.runners.apply.labels = [...raw.ci.runners.plan.labels, "x"]))).toThrow(/ci\.runners\.plan\.labels must include a label/);
    });

    it("refuses reused plan runners and reused in-network apply runners", () => {
      expect(aws((raw) => (raw.ci.runners.plan.network.ephemeral = false))).toThrow(/ci\.runners\.plan\.network\.ephemeral must be true: plan runners run pull-request code.* \(got false\)/);
      expect(aws((raw) => { bothOn(raw, inNetwork("10.40.200.0/24")); raw.ci.runners.plan.network.ephemeral = true; raw.ci.runners.apply.network.ephemeral = false; })).toThrow(
        /ci\.runners\.apply\.network\.ephemeral must be true for runners inside the network/,
      );
      expect(aws((raw) => (raw.ci.runners.apply.network.ephemeral = false))()).toBeTruthy();
    });

    it("names the section and its shape when it is missing or the placement is unknown", () => {
      expect(aws((raw) => delete raw.ci.runners)).toThrow(/environments\/test-aws\.ts: ci\.runners is missing: add ci\.runners: \{ plan: \{ labels/);
      expect(aws((raw) => (raw.ci.runners.plan.network.placement = "hosted"))).toThrow(/ci\.runners\.plan\.network\.placement must be one of in-network, static-egress \(got "hosted"\)|ci\.runners\.plan\.network must have placement "in-network"/);
    });
  });
});
