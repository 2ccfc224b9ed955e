import { Construct } from "constructs";
import { aksToken, execKubernetesProvider, KubernetesClusterAccess } from "../../constructs/kubernetes/cluster-access";
import { ConfigError } from "../../constructs/errors";
import { AzureProdEnvironment } from "../../environments/schema";
import { DeployedWorkloads, deployWorkloads } from "../kubernetes/deploy-workloads";
import { AzureEnvironmentStack } from "./azure-stack";

/** What the workloads stack needs from the AKS stack. */
export interface AzureWorkloadsStackProps {
  /** The AKS API server, CA and name. */
  readonly cluster: KubernetesClusterAccess;
  /** Entra server application id kubelogin asks tokens for (the AKS stack's `kubeloginServerId`). */
  readonly kubeloginServerId: string;
}

/**
 * `<env>-azure-workloads`: the team namespaces and services on AKS. Terraform authenticates through
 * Entra ID with kubelogin (local accounts are off on the cluster); images come from
 * `workloads.registry`.
 */
export class AzureWorkloadsStack extends AzureEnvironmentStack {
  /** The namespaces and workloads built. */
  public readonly deployed: DeployedWorkloads;

  constructor(scope: Construct, env: AzureProdEnvironment, props: AzureWorkloadsStackProps) {
    super(scope, "workloads", { env });
    execKubernetesProvider(this, "kubernetes", props.cluster, aksToken(props.kubeloginServerId));
    const registry = env.workloads.registry;
    if (registry === undefined && env.workloads.services.length > 0) {
      throw new ConfigError(`workloads.registry is missing; set the registry the ${env.workloads.services.length} service image(s) come from, e.g. "fintechprod.azurecr.io"`, this);
    }
    this.deployed = deployWorkloads(this, env.workloads, registry ?? "");
  }
}
