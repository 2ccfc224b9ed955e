/**
 * The CI runners' network has one source, `ci.runners`: every allow-list CI must pass gets the
 * runners' egress from there, and in-network runners get a path to the EKS private endpoint.
 */
import { Testing } from "cdktf";
import { runnerEgressCidrs } from "../../constructs/core/ci-runners";
import { buildAwsEnvironment } from "../../stacks/aws";
import { prodAzure, shippedAzureResources } from "../helpers/azure";
import { environments, resourcesOf } from "../helpers/synth";

describe("runner CIDRs reach every allow-list from ci.runners", () => {
  it("test-aws: the EKS public endpoint admits the office ranges and every runner egress, and no security group rule is added for runners outside the VPC", () => {
    const env = environments().testAws;
    const { eks } = buildAwsEnvironment(Testing.app(), env);
    const [cluster] = resourcesOf(eks, "aws_eks_cluster");
    expect(cluster.vpc_config.public_access_cidrs).toEqual(expect.arrayContaining([...env.eks.publicEndpoint.allowedCidrs, ...runnerEgressCidrs(env.ci.runners)]));
    expect(new Set(cluster.vpc_config.public_access_cidrs).size).toBe(cluster.vpc_config.public_access_cidrs.length);
    expect(resourcesOf(eks, "aws_vpc_security_group_ingress_rule")).toEqual([]);
  });

  it("test-aws: runners in the VPC reach the private endpoint through the cluster security group on 443 only", () => {
    const env = environments().testAws;
    env.eks.publicEndpoint = { enabled: false, allowedCidrs: [], allowWorld: false };
    for (const role of ["plan", "apply"] as const) env.ci.runners[role].network = { placement: "in-network", subnetCidr: "10.40.200.0/24", egressCidrs: [], ephemeral: true };
    const { eks } = buildAwsEnvironment(Testing.app(), env);
    const [cluster] = resourcesOf(eks, "aws_eks_cluster");
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(resourcesOf(eks, "aws_vpc_security_group_ingress_rule")).toEqual([
      expect.objectContaining({
        cidr_ipv4: "10.40.200.0/24",
        ip_protocol: "tcp",
        from_port: 443,
        to_port: 443,
        security_group_id: expect.stringMatching(/aws_eks_cluster\.[\w-]+\.vpc_config\[0\]\.cluster_security_group_id/),
      }),
    ]);
  });

  it("prod-azure: the AKS authorized ranges and the Key Vault firewall admit the configured ranges and every runner egress", () => {
    const env = prodAzure();
    const egress = runnerEgressCidrs(env.ci.runners);
    const [cluster] = shippedAzureResources("aks", "azurerm_kubernetes_cluster");
    const authorized = "authorizedIpRanges" in env.aks.apiServer ? env.aks.apiServer.authorizedIpRanges : [];
    expect(cluster.api_server_access_profile.authorized_ip_ranges).toEqual([...authorized, ...egress.filter((c) => !authorized.includes(c))]);
    const [vault] = shippedAzureResources("network", "azurerm_key_vault");
    expect(vault.network_acls.ip_rules).toEqual([...env.keyVault.allowedIpRanges, ...egress.filter((c) => !env.keyVault.allowedIpRanges.includes(c))]);
    expect(vault.public_network_access_enabled).toBe(true);
  });

  it("the shipped config names each runner address once: no allow-list repeats a runner egress by hand", () => {
    const { testAws } = environments();
    const aws = runnerEgressCidrs(testAws.ci.runners);
    expect(testAws.eks.publicEndpoint.allowedCidrs.filter((c) => aws.includes(c))).toEqual([]);
    const env = prodAzure();
    const azure = runnerEgressCidrs(env.ci.runners);
    const authorized = "authorizedIpRanges" in env.aks.apiServer ? env.aks.apiServer.authorizedIpRanges : [];
    expect([...authorized, ...env.keyVault.allowedIpRanges].filter((c) => azure.includes(c))).toEqual([]);
  });
});
