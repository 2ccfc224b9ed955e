import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { AKS_ENTRA_SERVER_APP_ID, AksCluster } from "../../constructs/azure/aks/aks-cluster";
import { BuiltInRoleName } from "../../constructs/azure/identity/built-in-roles";
import { NamedCidr } from "../../constructs/core/cidr";
import { withRunnerEgress } from "../../constructs/core/ci-runners";
import { AzureProdEnvironment } from "../../environments/schema";
import { AzureEnvironmentStack } from "./azure-stack";
import { AzureNetworkStack } from "./network-stack";

/**
 * Azure RBAC roles of the CI identities on the cluster: the plan identity reads, the apply
 * identity administers (the workloads stacks create namespaces and cluster-scoped RBAC); both
 * fetch user credentials. The apply identity's role-assignment condition is built from these.
 */
export const AKS_CI_ROLES: { readonly plan: readonly BuiltInRoleName[]; readonly apply: readonly BuiltInRoleName[] } = {
  plan: ["Azure Kubernetes Service Cluster User Role", "Azure Kubernetes Service RBAC Reader"],
  apply: ["Azure Kubernetes Service Cluster User Role", "Azure Kubernetes Service RBAC Cluster Admin"],
};

/**
 * `<env>-azure-aks`: the production AKS cluster in the hub's node subnet.
 *
 * The public fields below are the interface for the workload stacks (kubernetes provider with
 * kubelogin, no static credentials) and the observability stacks; cdktf turns each into a
 * remote-state output when another stack uses it.
 */
export class AzureAksStack extends AzureEnvironmentStack {
  /** The cluster construct. */
  public readonly aks: AksCluster;
  /** API server URL (`kube_config[0].host`), e.g. https://aks-prod-xxxx.hcp.westeurope.azmk8s.io:443. */
  public readonly kubeHost: string;
  /**
   * Cluster CA certificate, base64-encoded PEM exactly as `kube_config[0].cluster_ca_certificate`;
   * pass it through `Fn.base64decode` for the kubernetes provider's `cluster_ca_certificate`.
   */
  public readonly clusterCaCertificate: string;
  /** Azure resource id of the cluster. */
  public readonly clusterId: string;
  /** Cluster name. */
  public readonly clusterName: string;
  /** Resource group of the cluster. */
  public readonly resourceGroupName: string;
  /** OIDC issuer URL for workload identity federation. */
  public readonly oidcIssuerUrl: string;
  /** Object id of the kubelet identity (grant it AcrPull on registries). */
  public readonly kubeletIdentityObjectId: string;
  /** Log Analytics workspace receiving Container Insights. */
  public readonly logAnalyticsWorkspaceId: string;
  /** Server application id kubelogin requests tokens for (`kubelogin get-token --server-id`). */
  public readonly kubeloginServerId = AKS_ENTRA_SERVER_APP_ID;

  constructor(scope: Construct, env: AzureProdEnvironment, network: AzureNetworkStack) {
    super(scope, "aks", { env });
    const resourceGroup = new ResourceGroup(this, "resource-group", { name: env.aks.resourceGroupName, location: env.location });
    const reservedRanges: NamedCidr[] = [
      { name: "network.vnetCidr", cidr: env.network.vnetCidr },
      ...env.vpn.pointToSite.addressPool.map((cidr, i) => ({ name: `vpn.pointToSite.addressPool[${i}]`, cidr })),
      ...env.vpn.customers.flatMap((c) => c.addressSpaces.map((cidr, i) => ({ name: `customers[${c.name}].addressSpaces[${i}]`, cidr }))),
    ];
    this.aks = new AksCluster(this, "cluster", {
      name: env.aks.clusterName,
      resourceGroupName: resourceGroup.name,
      location: env.location,
      kubernetesVersion: env.aks.kubernetesVersion,
      tenantId: env.tenantId,
      adminGroupObjectIds: env.aks.adminGroupObjectIds,
      nodeSubnetId: network.spoke.aksNodeSubnet.id,
      zones: env.aks.zones,
      systemPool: env.aks.systemPool,
      userPools: env.aks.userPools,
      networkPolicy: env.aks.networkPolicy,
      podCidr: env.aks.podCidr,
      serviceCidr: env.aks.serviceCidr,
      dnsServiceIp: env.aks.dnsServiceIp,
      reservedRanges,
      automaticUpgradeChannel: env.aks.automaticUpgradeChannel,
      nodeOsUpgradeChannel: env.aks.nodeOsUpgradeChannel,
      upgradeWindow: env.aks.upgradeWindow,
      nodeOsWindow: env.aks.nodeOsWindow,
      logRetentionDays: env.aks.logRetentionDays,
      secretRotationInterval: env.aks.secretRotationInterval,
      // The CI runners' egress (ci.runners) is the one source of their addresses in this list.
      apiServer: "authorizedIpRanges" in env.aks.apiServer ? { authorizedIpRanges: withRunnerEgress(env.aks.apiServer.authorizedIpRanges, env.ci.runners) } : env.aks.apiServer,
    });
    const cluster = this.aks.cluster;
    this.kubeHost = cluster.kubeConfig.get(0).host;
    this.clusterCaCertificate = cluster.kubeConfig.get(0).clusterCaCertificate;
    this.clusterId = cluster.id;
    this.clusterName = cluster.name;
    this.resourceGroupName = resourceGroup.name;
    this.oidcIssuerUrl = cluster.oidcIssuerUrl;
    this.kubeletIdentityObjectId = cluster.kubeletIdentity.objectId;
    this.logAnalyticsWorkspaceId = this.aks.insights.workspace.id;
    // The pipeline reaches the API with Azure RBAC (AKS_CI_ROLES).
    const ciRoles = [
      ["ci-plan", env.ci.identities.plan.objectId, AKS_CI_ROLES.plan],
      ["ci-apply", env.ci.identities.apply.objectId, AKS_CI_ROLES.apply],
    ] as const;
    for (const [id, principalId, roles] of ciRoles) {
      roles.forEach((roleDefinitionName, i) => new RoleAssignment(this, `${id}-${i}`, { scope: cluster.id, roleDefinitionName, principalId }));
    }
    new TerraformOutput(this, "cluster-id", { value: this.clusterId });
    new TerraformOutput(this, "oidc-issuer-url", { value: this.oidcIssuerUrl });
  }
}
