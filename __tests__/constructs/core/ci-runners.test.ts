import { ApiEndpoint, CiRunners, reachProblems, runnerEgressCidrs, runnerSubnetCidrs, withRunnerEgress } from "../../../constructs/core/ci-runners";

const staticEgress = (cidr: string) => ({ placement: "static-egress" as const, egressCidrs: [cidr], ephemeral: true });
const inNetwork = (subnetCidr: string, egressCidrs: string[] = []) => ({ placement: "in-network" as const, subnetCidr, egressCidrs, ephemeral: true });
const runners = (plan: CiRunners["plan"]["network"], apply: CiRunners["apply"]["network"] = plan): CiRunners => ({
  plan: { labels: ["env-plan"], network: plan },
  apply: { labels: ["env-apply"], network: apply },
});
const api = (over: Partial<ApiEndpoint>): ApiEndpoint => ({ name: "X API", field: "x.endpoint", exposure: "private", publicAllowList: false, reachableInNetwork: true, fix: "open it", ...over });

describe("CI runner network", () => {
  it("collects each egress CIDR and in-network subnet once, in config order", () => {
    const r = runners(inNetwork("10.0.64.0/24", ["198.51.100.1/32"]), staticEgress("198.51.100.1/32"));
    expect(runnerEgressCidrs(r)).toEqual(["198.51.100.1/32"]);
    expect(runnerSubnetCidrs(r)).toEqual(["10.0.64.0/24"]);
    expect(runnerSubnetCidrs(runners(staticEgress("198.51.100.1/32")))).toEqual([]);
  });

  it("adds the runners' egress to an allow-list without repeating an entry already there", () => {
    expect(withRunnerEgress(["203.0.113.0/24", "198.51.100.1/32"], runners(staticEgress("198.51.100.1/32"), staticEgress("198.51.100.2/32")))).toEqual([
      "203.0.113.0/24",
      "198.51.100.1/32",
      "198.51.100.2/32",
    ]);
  });

  it("runners outside the network cannot reach a private-only API; it names the runner, the field and the fix", () => {
    expect(reachProblems(runners(staticEgress("198.51.100.1/32")), [api({ name: "EKS API", field: "eks.publicEndpoint", exposure: "disabled" })])).toEqual([
      { path: ["ci", "runners", "plan", "network"], message: "cannot reach the EKS API: the plan runner runs outside the network (egress 198.51.100.1/32) and eks.publicEndpoint is disabled; open it" },
      { path: ["ci", "runners", "apply", "network"], message: "cannot reach the EKS API: the apply runner runs outside the network (egress 198.51.100.1/32) and eks.publicEndpoint is disabled; open it" },
    ]);
  });

  it("runners inside the network reach a private endpoint; a public allow-list needs their egress", () => {
    const allowListOnly = api({ publicAllowList: true, reachableInNetwork: false });
    expect(reachProblems(runners(inNetwork("10.0.64.0/24")), [api({})])).toEqual([]);
    expect(reachProblems(runners(inNetwork("10.0.64.0/24", ["198.51.100.1/32"])), [allowListOnly])).toEqual([]);
    expect(reachProblems(runners(staticEgress("198.51.100.1/32")), [allowListOnly])).toEqual([]);
    const [problem] = reachProblems(runners(inNetwork("10.0.64.0/24"), staticEgress("198.51.100.1/32")), [allowListOnly]);
    expect(problem.path).toEqual(["ci", "runners", "plan", "network"]);
    expect(problem.message).toMatch(/the plan runner runs in subnet 10\.0\.64\.0\/24 with no egressCidrs/);
  });
});
