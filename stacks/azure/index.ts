import { App } from "cdktf";
import { Construct } from "constructs";
import { expectedFrom } from "../../constructs/azure/network/reachability";
import { checkReachability } from "../../constructs/azure/network/reachability-check";
import { AzureProdEnvironment } from "../../environments/schema";
import { AzureAksStack } from "./aks-stack";
import { AzureCiStack } from "./ci-stack";
import { AzureNetworkStack, hubIsolation } from "./network-stack";
import { AzureObservabilityStack } from "./observability-stack";
import { AzureStateStack } from "./state-stack";
import { AzureVpnStack } from "./vpn-stack";
import { AzureWorkloadsStack } from "./workloads-stack";

/** The stacks of an Azure environment, in bootstrap order. */
export interface AzureEnvironmentStacks {
  /** The pipeline's identities (bootstrap, applied by hand). */
  readonly ci: AzureCiStack;
  readonly state: AzureStateStack;
  readonly network: AzureNetworkStack;
  readonly aks: AzureAksStack;
  readonly vpn: AzureVpnStack;
  readonly workloads: AzureWorkloadsStack;
  readonly observability: AzureObservabilityStack;
}

/** Build every stack of an Azure environment. Cross-stack values flow through typed props. */
export function buildAzureEnvironment(scope: Construct, env: AzureProdEnvironment): AzureEnvironmentStacks {
  const ci = new AzureCiStack(scope, env);
  const state = new AzureStateStack(scope, env);
  // The state account grants the CI identities' object ids: they must exist first.
  state.addDependency(ci);
  const network = new AzureNetworkStack(scope, env);
  const aks = new AzureAksStack(scope, env, network);
  const vpn = new AzureVpnStack(scope, env, network);
  const workloads = new AzureWorkloadsStack(scope, env, {
    cluster: { host: aks.kubeHost, clusterCaCertificate: aks.clusterCaCertificate, clusterName: aks.clusterName },
    kubeloginServerId: aks.kubeloginServerId,
  });
  // No resource references state: the dependency is the backend, so make the order explicit.
  network.addDependency(state);
  // Connection names are plain strings, so the tunnel monitors need no remote-state read of the VPN stack.
  const observability = new AzureObservabilityStack(scope, env, { customerConnections: vpn.customerConnectionNames });
  // Synth fails if the hub lets any flow through that config does not grant (cdktf.out/reachability.md).
  if (App.isApp(scope.node.root)) checkReachability(scope.node.root, { network, vpn, expected: expectedFrom(hubIsolation(env)) });
  return { ci, state, network, aks, vpn, workloads, observability };
}
