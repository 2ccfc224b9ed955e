import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn } from "cdktf";
import { Construct } from "constructs";

/** What a stack needs to reach a cluster's API server: no credentials, only where and whom to trust. */
export interface KubernetesClusterAccess {
  /** API server URL, e.g. `https://ABC.gr7.eu-west-1.eks.amazonaws.com`. */
  readonly host: string;
  /** The cluster CA certificate, base64-encoded PEM (as EKS and AKS both return it). */
  readonly clusterCaCertificate: string;
  /** Cluster name, used to ask for a token. */
  readonly clusterName: string;
}

/** A client-go exec credential plugin: a command that prints a short-lived token. */
export interface ExecCredential {
  /** Executable on the PATH of whoever runs terraform. */
  readonly command: string;
  /** Its arguments. */
  readonly args: readonly string[];
}

/** The exec credential API version both `aws eks get-token` and `kubelogin` speak. */
export const EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";

/** EKS: a token from the caller's own AWS identity, mapped to Kubernetes RBAC by EKS access entries. */
export function eksToken(clusterName: string, region: string): ExecCredential {
  return { command: "aws", args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region] };
}

/**
 * AKS with Entra ID: a token for the caller's Azure CLI login, for the AKS server application
 * `serverId` (the same well-known id on every Entra-enabled AKS cluster).
 */
export function aksToken(serverId: string): ExecCredential {
  return { command: "kubelogin", args: ["get-token", "--login", "azurecli", "--server-id", serverId] };
}

/**
 * A kubernetes provider that authenticates with an exec plugin: tokens are minted per run from
 * the caller's cloud identity and expire within the hour, so no admin credential, client key or
 * static token ever appears in config, synthesized JSON or state.
 */
export function execKubernetesProvider(scope: Construct, id: string, access: KubernetesClusterAccess, credential: ExecCredential): KubernetesProvider {
  return new KubernetesProvider(scope, id, {
    host: access.host,
    clusterCaCertificate: Fn.base64decode(access.clusterCaCertificate),
    exec: [{ apiVersion: EXEC_API_VERSION, command: credential.command, args: [...credential.args] }],
  });
}
