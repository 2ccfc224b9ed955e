/**
 * Where the pipeline's runners sit in the network, and which cloud APIs they can therefore reach.
 *
 * The runner network has one source (`ci.runners` in the environment config): its egress CIDRs
 * are added to every allow-list CI must pass (EKS public endpoint, AKS authorized ranges, Key
 * Vault firewall) and its in-network subnet to the EKS private endpoint's security group, so no
 * list holds a hand-copied "CI NAT" address that can drift from the runners. `reachProblems` is the
 * synth-time check that every API a stack CI plans or applies needs is reachable from where the
 * runners are (docs/ci-security.md, "Runners and reachability").
 */

/** GitHub's standard hosted runner labels: their egress is any of GitHub's shared ranges, never fixed. */
export const GITHUB_HOSTED_LABEL = /^(ubuntu|windows|macos)-(latest|\d[\w.-]*)$/;

/**
 * Runners inside the environment's own network (test VPC / production VNet), e.g. ephemeral
 * self-hosted runners in a dedicated subnet: they reach private endpoints.
 */
export interface InNetworkRunners {
  readonly placement: "in-network";
  /** The runner subnet, inside the VPC / VNet. */
  readonly subnetCidr: string;
  /** Public egress of that subnet (its NAT): needed only for public endpoints behind an allow-list. */
  readonly egressCidrs: readonly string[];
  /** Every job gets a fresh runner that is destroyed after it (`--ephemeral`, ARC). */
  readonly ephemeral: boolean;
}

/** Runners outside the environment's network with fixed public egress (e.g. larger runners with static IPs). */
export interface StaticEgressRunners {
  readonly placement: "static-egress";
  /** The runners' public egress ranges. */
  readonly egressCidrs: readonly string[];
  /** Every job gets a fresh runner that is destroyed after it. */
  readonly ephemeral: boolean;
}

/** Where one kind of CI job runs. */
export type RunnerNetwork = InNetworkRunners | StaticEgressRunners;

/** The runners of one job kind: the `runs-on` labels and their network. */
export interface JobRunners {
  /** `runs-on` labels of the job; every workflow job of this kind must request exactly these. */
  readonly labels: readonly string[];
  readonly network: RunnerNetwork;
}

/** Plan runners run pull-request code; apply runners run main with the write identities. */
export interface CiRunners {
  readonly plan: JobRunners;
  readonly apply: JobRunners;
}

/** The two job kinds, in report order. */
export const RUNNER_ROLES = ["plan", "apply"] as const;

/** How a cloud API can be reached. */
export interface ApiEndpoint {
  /** What the API is, e.g. "EKS API (test-platform)". */
  readonly name: string;
  /** The config field that decides the exposure, e.g. "eks.publicEndpoint". */
  readonly field: string;
  /** How the field exposes it, e.g. "enabled: false". */
  readonly exposure: string;
  /** A public endpoint whose allow-list gets the runners' egress CIDRs (false: no public endpoint). */
  readonly publicAllowList: boolean;
  /** A private endpoint (or the network path) that runners inside the network reach. */
  readonly reachableInNetwork: boolean;
  /** How to open a path, shown when none exists. */
  readonly fix: string;
}

/** A runner network that cannot reach an API, with the config path it is reported at. */
export interface ReachProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

/** Every distinct egress CIDR of the plan and apply runners, in config order. */
export function runnerEgressCidrs(runners: CiRunners): string[] {
  return unique(RUNNER_ROLES.flatMap((role) => runners[role].network.egressCidrs));
}

/** Every distinct in-network runner subnet. */
export function runnerSubnetCidrs(runners: CiRunners): string[] {
  return unique(RUNNER_ROLES.flatMap((role) => (runners[role].network.placement === "in-network" ? [runners[role].network.subnetCidr] : [])));
}

/** `list` with the runners' egress CIDRs added (each once): the one place a runner address joins an allow-list. */
export function withRunnerEgress(list: readonly string[], runners: CiRunners): string[] {
  return unique([...list, ...runnerEgressCidrs(runners)]);
}

/** Each API a runner network cannot reach, for plan and apply runners alike (both refresh every stack). */
export function reachProblems(runners: CiRunners, apis: readonly ApiEndpoint[]): ReachProblem[] {
  return RUNNER_ROLES.flatMap((role) => {
    const network = runners[role].network;
    return apis.flatMap((api): ReachProblem[] => {
      const inside = network.placement === "in-network" && api.reachableInNetwork;
      const throughAllowList = api.publicAllowList && network.egressCidrs.length > 0;
      if (inside || throughAllowList) return [];
      const where =
        network.placement === "in-network"
          ? `runs in subnet ${network.subnetCidr}${network.egressCidrs.length ? "" : " with no egressCidrs"}`
          : `runs outside the network (egress ${network.egressCidrs.join(", ")})`;
      return [{ path: ["ci", "runners", role, "network"], message: `cannot reach the ${api.name}: the ${role} runner ${where} and ${api.field} is ${api.exposure}; ${api.fix}` }];
    });
  });
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
