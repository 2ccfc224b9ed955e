import { TerraformStack } from "cdktf";
import { EksCluster, EksClusterProps } from "../../../../constructs/aws/eks/eks-cluster";
import { findSuppression } from "../../../../constructs/policy/suppressions";
import { emptyStack, synthJson, synthJsonOnce } from "../../../helpers/synth";

const system = { name: "system", instanceTypes: ["m6i.large"], minSize: 2, maxSize: 4, desiredSize: 2 };
const base: EksClusterProps = {
  name: "c",
  version: "1.32",
  region: "eu-west-1",
  accountId: "111122223333",
  subnetIds: ["subnet-a", "subnet-b"],
  adminPrincipals: ["arn:aws:iam::111122223333:role/admin"],
  nodeGroups: [system],
};

function build(props: Partial<EksClusterProps> = {}): TerraformStack {
  const stack = emptyStack();
  new EksCluster(stack, "eks", { ...base, ...props });
  return stack;
}
// Tests read several resource types from one stack.
const synthOnce = synthJsonOnce();
const all = (stack: TerraformStack, type: string) => Object.values(synthOnce(stack).resource[type] ?? {}) as any[];

describe("EksCluster", () => {
  describe("default config", () => {
    const stack = build();
    const cluster = all(stack, "aws_eks_cluster")[0];

    it("encrypts secrets with a rotating customer key", () => {
      expect(cluster.encryption_config).toEqual({ resources: ["secrets"], provider: { key_arn: expect.stringMatching(/aws_kms_key\..*secrets.*\.arn/) } });
      expect(all(stack, "aws_kms_key").every((k) => k.enable_key_rotation === true)).toBe(true);
    });

    it("ships every control-plane log type to an encrypted group created before the cluster", () => {
      expect(cluster.enabled_cluster_log_types).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
      const group = all(stack, "aws_cloudwatch_log_group")[0];
      expect(group).toMatchObject({ name: "/aws/eks/c/cluster", retention_in_days: 90, kms_key_id: expect.stringContaining("aws_kms_key.") });
      expect(cluster.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_cloudwatch_log_group\./)]));
    });

    it("uses API access entries only, with no implicit creator admin", () => {
      expect(cluster.access_config).toEqual({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false });
      expect(all(stack, "aws_eks_access_entry")[0]).toMatchObject({ principal_arn: base.adminPrincipals[0], type: "STANDARD" });
      expect(all(stack, "aws_eks_access_policy_association")[0]).toMatchObject({
        policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
        access_scope: { type: "cluster" },
      });
    });

    it("keeps the endpoint private", () => {
      expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
      expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
    });

    it("installs the managed add-ons, CNI and EBS CSI with their own IRSA roles", () => {
      const addons = all(stack, "aws_eks_addon");
      expect(addons.map((a) => a.addon_name).sort()).toEqual(["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "metrics-server", "vpc-cni"]);
      // NetworkPolicies are only enforced with the CNI's policy agent on.
      expect(JSON.parse(addons.find((a) => a.addon_name === "vpc-cni").configuration_values)).toEqual({ enableNetworkPolicy: "true" });
      expect(addons.find((a) => a.addon_name === "vpc-cni").service_account_role_arn).toMatch(/vpc-cni/);
      expect(addons.find((a) => a.addon_name === "aws-ebs-csi-driver").service_account_role_arn).toMatch(/ebs-csi/);
      const policies = all(stack, "aws_iam_role_policy_attachment").map((a) => a.policy_arn);
      expect(policies).toContain("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy");
      expect(policies).toContain("arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy");
    });

    it("restricts IRSA roles to one service account", () => {
      const docs = Object.values(synthJson(stack).data.aws_iam_policy_document) as any[];
      const cniTrust = docs.find((d) => JSON.stringify(d).includes("system:serviceaccount:kube-system:aws-node"));
      expect(cniTrust.statement[0].actions).toEqual(["sts:AssumeRoleWithWebIdentity"]);
      expect(cniTrust.statement[0].condition.map((c: any) => c.test)).toEqual(["StringEquals", "StringEquals"]);
    });

    it("never grants the node role the CNI policy (least privilege)", () => {
      const nodePolicies = all(stack, "aws_iam_role_policy_attachment").filter((a) => String(a.role).includes("node-role"));
      expect(nodePolicies.map((a) => a.policy_arn).sort()).toEqual([
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      ]);
    });

    it("creates an OIDC provider for IRSA", () => {
      expect(all(stack, "aws_iam_openid_connect_provider")[0].client_id_list).toEqual(["sts.amazonaws.com"]);
    });

    it("launches nodes with IMDSv2 required (hop limit 1: pods cannot take the node role) and encrypted gp3 root volumes", () => {
      const lt = all(stack, "aws_launch_template")[0];
      expect(lt.metadata_options).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 });
      expect(lt.block_device_mappings[0].ebs).toMatchObject({ volume_type: "gp3", encrypted: "true", volume_size: 50 });
      const group = all(stack, "aws_eks_node_group")[0];
      expect(group).toMatchObject({ capacity_type: "ON_DEMAND", update_config: { max_unavailable: 1 } });
      expect(group.lifecycle.ignore_changes).toEqual(["scaling_config[0].desired_size"]);
    });
  });

  it("opens the public endpoint only to the listed CIDRs", () => {
    const cluster = all(build({ publicEndpoint: { enabled: true, allowedCidrs: ["203.0.113.0/24"] } }), "aws_eks_cluster")[0];
    expect(cluster.vpc_config).toMatchObject({ endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] });
  });

  it("allows 0.0.0.0/0 only with the explicit opt-in", () => {
    const cluster = all(build({ publicEndpoint: { enabled: true, allowedCidrs: ["0.0.0.0/0"], allowWorld: true } }), "aws_eks_cluster")[0];
    expect(cluster.vpc_config.public_access_cidrs).toEqual(["0.0.0.0/0"]);
  });

  it("gives a group hop limit 2 only with a reason, recorded as the policy suppression on its launch template", () => {
    const stack = build({ nodeGroups: [system, { ...system, name: "legacy", imdsHopLimit: 2, imdsHopLimitReason: "legacy agent reads node credentials from IMDS" }] });
    const limits = all(stack, "aws_launch_template").map((lt) => lt.metadata_options.http_put_response_hop_limit).sort();
    expect(limits).toEqual([1, 2]);
    const legacy = stack.node.findAll().find((c) => c.node.path.endsWith("nodes-legacy/launch-template"))!;
    expect(findSuppression(legacy, "AWS-EC2-002")?.reason).toBe('node group "legacy": legacy agent reads node credentials from IMDS');
    const other = stack.node.findAll().find((c) => c.node.path.endsWith("nodes-system/launch-template"))!;
    expect(findSuppression(other, "AWS-EC2-002")).toBeUndefined();
  });

  it("runs a SPOT group over several instance types and tags what it launches", () => {
    const stack = build({
      nodeGroups: [system, { name: "spot", capacityType: "SPOT", instanceTypes: ["m6i.xlarge", "m5.xlarge"], minSize: 0, maxSize: 5, desiredSize: 1 }],
      resourceTags: { owner: "platform" },
    });
    const spot = all(stack, "aws_eks_node_group").find((g) => g.node_group_name === "spot");
    expect(spot).toMatchObject({ capacity_type: "SPOT", instance_types: ["m6i.xlarge", "m5.xlarge"] });
    const volumeTags = all(stack, "aws_launch_template")[0].tag_specifications.find((t: any) => t.resource_type === "volume");
    expect(volumeTags.tags).toMatchObject({ owner: "platform" });
  });

  it("maps team roles to Kubernetes groups without any EKS access policy", () => {
    const stack = build({ teamAccess: [{ principalArn: "arn:aws:iam::111122223333:role/dev", kubernetesGroups: ["payments-developers"] }] });
    const team = all(stack, "aws_eks_access_entry").find((e) => e.principal_arn.endsWith("role/dev"));
    expect(team.kubernetes_groups).toEqual(["payments-developers"]);
    expect(all(stack, "aws_eks_access_policy_association")).toHaveLength(1);
  });

  it("rejects a team mapped to a system: group", () => {
    expect(() => build({ teamAccess: [{ principalArn: "arn:aws:iam::111122223333:role/dev", kubernetesGroups: ["system:masters"] }] })).toThrow(
      /teamAccess\[0\].kubernetesGroups must list at least one group and none starting with "system:", got \["system:masters"\]/,
    );
  });

  it("keeps the API admin on every extra principal", () => {
    const stack = build({ adminPrincipals: ["arn:aws:iam::111122223333:role/a", "arn:aws:iam::111122223333:role/b"] });
    expect(all(stack, "aws_eks_access_policy_association")).toHaveLength(2);
  });

  describe("rejects", () => {
    it("an unsupported Kubernetes version", () => {
      expect(() => build({ version: "1.21" })).toThrow(/s\/eks: version "1.21" is not a supported EKS version; use one of 1.30, .*1.34/);
    });
    it("a cluster without an admin principal (lockout)", () => {
      expect(() => build({ adminPrincipals: [] })).toThrow(/adminPrincipals is empty: .*\(lockout\); add at least one IAM role ARN/);
    });
    it("a public endpoint open to the world without opt-in", () => {
      expect(() => build({ publicEndpoint: { enabled: true, allowedCidrs: ["0.0.0.0/0"] } })).toThrow(
        /publicEndpoint.allowedCidrs contains 0.0.0.0\/0: .*set publicEndpoint.allowWorld: true deliberately/,
      );
    });
    it("a private-endpoint range that is the whole internet or not a CIDR", () => {
      expect(() => build({ privateEndpointCidrs: ["0.0.0.0/0"] })).toThrow(/privateEndpointCidrs\[0\] 0\.0\.0\.0\/0 is the whole internet; list the in-VPC ranges that need the API/);
      expect(() => build({ privateEndpointCidrs: ["10.40.300.0/24"] })).toThrow(/privateEndpointCidrs\[0\] must be an IPv4 CIDR like 10\.0\.0\.0\/16, got "10\.40\.300\.0\/24"/);
    });
    it("a public endpoint with no allow-list", () => {
      expect(() => build({ publicEndpoint: { enabled: true } })).toThrow(/publicEndpoint.enabled is true but publicEndpoint.allowedCidrs is empty/);
    });
    it("a node group with minSize > maxSize", () => {
      expect(() => build({ nodeGroups: [{ ...system, minSize: 5, maxSize: 3, desiredSize: 4 }] })).toThrow(
        /node group "system": minSize 5 is greater than maxSize 3; raise maxSize or lower minSize/,
      );
    });
    it("a node group whose desiredSize is outside [min, max]", () => {
      expect(() => build({ nodeGroups: [{ ...system, desiredSize: 9 }] })).toThrow(
        /node group "system": desiredSize 9 is outside \[minSize 2, maxSize 4\]; choose a value in that range/,
      );
    });
    it("a SPOT group with a single instance type", () => {
      expect(() => build({ nodeGroups: [{ ...system, capacityType: "SPOT" }] })).toThrow(/SPOT capacity with a single instance type \(m6i.large\) .*list at least two/);
    });
    it("two node groups with the same name", () => {
      expect(() => build({ nodeGroups: [{ ...system, imdsHopLimit: 2 }] })).toThrow(
        /node group "system": imdsHopLimit 2 lets every pod on the group take the node role's credentials; set imdsHopLimitReason .* or use 1, got reason ""/,
      );
      expect(() => build({ nodeGroups: [{ ...system, imdsHopLimit: 2, imdsHopLimitReason: "todo" }] })).toThrow(/got reason "todo"/);
      expect(() => build({ nodeGroups: [system, system] })).toThrow(/nodeGroups has two groups named "system"; names must be unique/);
    });
  });
});
