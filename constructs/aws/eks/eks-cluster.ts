import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { parseCidr } from "../../core/cidr";
import { ConfigError } from "../../errors";
import { IrsaRole } from "../iam/irsa-role";
import { ServiceRole } from "../iam/service-role";
import { EncryptionKey } from "../kms/encryption-key";
import { EncryptedLogGroup, logsKeyStatement } from "../logs/encrypted-log-group";
import { ManagedNodeGroup, NodeGroupSpec } from "./node-group";
import { EKS_VERSIONS } from "./versions";


/** Every control-plane log type EKS can ship. */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** An IAM principal mapped to Kubernetes groups through an EKS access entry. */
export interface TeamAccess {
  /** IAM role or user ARN. */
  readonly principalArn: string;
  /** Kubernetes groups the principal joins; RoleBindings of these groups grant its rights. */
  readonly kubernetesGroups: string[];
}

/** Access to the public API endpoint. The private endpoint is always on. */
export interface PublicEndpointProps {
  /** @default false */
  readonly enabled?: boolean;
  /** CIDRs allowed to reach the public endpoint; required when it is enabled. */
  readonly allowedCidrs?: string[];
  /** Explicit opt-in to allow 0.0.0.0/0. @default false */
  readonly allowWorld?: boolean;
}

/** Props of {@link EksCluster}. */
export interface EksClusterProps {
  /** Cluster name; also prefixes its roles, keys and log group. */
  readonly name: string;
  /** Kubernetes version, one of EKS_VERSIONS. */
  readonly version: string;
  /** Region of the cluster, for the log-group key policy. */
  readonly region: string;
  /** Account of the cluster, for the log-group key policy. */
  readonly accountId: string;
  /** Private subnets for the control-plane ENIs and the nodes. */
  readonly subnetIds: string[];
  /** IAM principals that get cluster-admin through EKS access entries. At least one. */
  readonly adminPrincipals: string[];
  /**
   * IAM principals mapped to Kubernetes groups, with no EKS access policy: what they may do is
   * decided by in-cluster RBAC (e.g. TeamNamespace's RoleBinding of the group).
   * @default none
   */
  readonly teamAccess?: TeamAccess[];
  /**
   * The pipeline's roles: the plan role may read everything the workloads stacks plan (EKS view
   * policy, cluster-wide); the apply role gets cluster-admin, because the workloads stacks create
   * namespaces and cluster-scoped RBAC. @default no CI access
   */
  readonly ciAccess?: {
    /** The CI plan role: a cluster-wide view access entry, so PR plans read the workloads' live state and change nothing. */
    readonly planRoleArn: string;
    /** The CI apply role: cluster admin, what the workloads stacks need to create namespaces, RBAC and workloads. */
    readonly applyRoleArn: string;
  };
  /** @default private endpoint only */
  readonly publicEndpoint?: PublicEndpointProps;
  /**
   * Ranges inside the VPC allowed to reach the private endpoint on 443 besides the nodes, e.g. the
   * subnet of in-network CI runners. EKS's cluster security group admits only itself, so without
   * a rule those runners time out. @default [] (nodes only)
   */
  readonly privateEndpointCidrs?: readonly string[];
  /** Days to keep control-plane logs. @default 90 */
  readonly logRetentionDays?: number;
  /** Managed node groups; at least one (a system group). */
  readonly nodeGroups: NodeGroupSpec[];
  /** Tags for instances and volumes the node groups launch. @default none */
  readonly resourceTags?: Record<string, string>;
}

const DEFAULT_LOG_RETENTION_DAYS = 90;
const WORLD = "0.0.0.0/0";
const ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
const VIEW_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";

/**
 * An EKS cluster that is safe by default: secrets envelope-encrypted with a rotating KMS key,
 * every control-plane log type kept in an encrypted log group, API-mode access entries only
 * (no aws-auth ConfigMap, no implicit creator admin), private endpoint always on and the public
 * one only for an explicit allow-list, IRSA, managed add-ons, and managed node groups with
 * IMDSv2 and encrypted volumes.
 */
export class EksCluster extends Construct {
  /** The cluster resource. */
  public readonly cluster: EksClusterResource;
  /** Cluster name. */
  public readonly name: string;
  /** API server endpoint. */
  public readonly endpoint: string;
  /** Base64 CA certificate of the API server. */
  public readonly certificateAuthorityData: string;
  /** IAM OIDC provider for IRSA. */
  public readonly oidcProvider: IamOpenidConnectProvider;
  /** Role the nodes run as; ECR repository policies grant it pull. */
  public readonly nodeRole: ServiceRole;
  /** Node groups by name. */
  public readonly nodeGroups: Record<string, ManagedNodeGroup> = {};

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    this.validate(props);
    const endpoint = props.publicEndpoint ?? {};

    const secretsKey = new EncryptionKey(this, "secrets-key", { alias: `eks/${props.name}/secrets`, description: `EKS ${props.name} secrets envelope encryption` });
    const logsKey = new EncryptionKey(this, "logs-key", {
      alias: `eks/${props.name}/logs`,
      description: `EKS ${props.name} control-plane logs`,
      statements: [logsKeyStatement(props.region, props.accountId)],
    });
    // EKS creates this group itself if missing, unencrypted and kept forever; creating it first wins.
    const logGroup = new EncryptedLogGroup(this, "logs", {
      name: `/aws/eks/${props.name}/cluster`,
      kmsKeyArn: logsKey.arn,
      retentionDays: props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
    });
    const clusterRole = new ServiceRole(this, "cluster-role", {
      name: `${props.name}-cluster`,
      service: "eks.amazonaws.com",
      managedPolicies: ["AmazonEKSClusterPolicy"],
    });

    this.cluster = new EksClusterResource(this, "cluster", {
      name: props.name,
      version: props.version,
      roleArn: clusterRole.arn,
      enabledClusterLogTypes: EKS_LOG_TYPES,
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKey.arn } },
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: endpoint.enabled ?? false,
        publicAccessCidrs: endpoint.enabled ? endpoint.allowedCidrs : undefined,
      },
      dependsOn: [logGroup.logGroup, ...clusterRole.policyAttachments],
    });
    // One rule per range on the security group EKS creates for the control-plane ENIs.
    (props.privateEndpointCidrs ?? []).forEach((cidrIpv4, i) => {
      new VpcSecurityGroupIngressRule(this, `private-endpoint-${i}`, {
        securityGroupId: this.cluster.vpcConfig.clusterSecurityGroupId,
        description: `Kubernetes API from ${cidrIpv4} (in-network CI runners)`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4,
      });
    });
    this.name = this.cluster.name;
    this.endpoint = this.cluster.endpoint;
    this.certificateAuthorityData = this.cluster.certificateAuthority.get(0).data;

    props.adminPrincipals.forEach((principalArn, i) => {
      const entry = new EksAccessEntry(this, `admin-${i}`, { clusterName: this.cluster.name, principalArn, type: "STANDARD" });
      new EksAccessPolicyAssociation(this, `admin-${i}-policy`, {
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        policyArn: ADMIN_POLICY,
        accessScope: { type: "cluster" },
      });
    });

    if (props.ciAccess) {
      for (const [id, principalArn, policyArn] of [
        ["ci-plan", props.ciAccess.planRoleArn, VIEW_POLICY],
        ["ci-apply", props.ciAccess.applyRoleArn, ADMIN_POLICY],
      ] as const) {
        const entry = new EksAccessEntry(this, id, { clusterName: this.cluster.name, principalArn, type: "STANDARD" });
        new EksAccessPolicyAssociation(this, `${id}-policy`, { clusterName: this.cluster.name, principalArn: entry.principalArn, policyArn, accessScope: { type: "cluster" } });
      }
    }

    (props.teamAccess ?? []).forEach((team, i) => {
      if (team.kubernetesGroups.length === 0 || team.kubernetesGroups.some((g) => g.startsWith("system:"))) {
        throw new ConfigError(
          `teamAccess[${i}].kubernetesGroups must list at least one group and none starting with "system:", got ${JSON.stringify(team.kubernetesGroups)}`,
          this,
        );
      }
      new EksAccessEntry(this, `team-${i}`, {
        clusterName: this.cluster.name,
        principalArn: team.principalArn,
        type: "STANDARD",
        kubernetesGroups: team.kubernetesGroups,
      });
    });

    const issuer = this.cluster.identity.get(0).oidc.get(0).issuer;
    this.oidcProvider = new IamOpenidConnectProvider(this, "oidc", { url: issuer, clientIdList: ["sts.amazonaws.com"] });
    const irsa = (id: string, namespace: string, serviceAccount: string, policy: string) =>
      new IrsaRole(this, id, {
        name: `${props.name}-${id}`,
        oidcProviderArn: this.oidcProvider.arn,
        oidcIssuerUrl: issuer,
        namespace,
        serviceAccount,
        managedPolicies: [policy],
      });
    // The CNI and EBS CSI permissions go to their own service accounts (IRSA), not to the node role.
    const cniRole = irsa("vpc-cni", "kube-system", "aws-node", "AmazonEKS_CNI_Policy");
    const ebsCsiRole = irsa("ebs-csi", "kube-system", "ebs-csi-controller-sa", "service-role/AmazonEBSCSIDriverPolicy");
    const addon = (name: string, serviceAccountRoleArn?: string, configuration?: object) =>
      new EksAddon(this, `addon-${name}`, {
        clusterName: this.cluster.name,
        addonName: name,
        serviceAccountRoleArn,
        configurationValues: configuration ? JSON.stringify(configuration) : undefined,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "PRESERVE",
      });
    // Without the network policy agent, the Workloads' NetworkPolicies would exist but not be enforced.
    const vpcCni = addon("vpc-cni", cniRole.arn, { enableNetworkPolicy: "true" });
    addon("kube-proxy");
    addon("eks-pod-identity-agent");

    this.nodeRole = new ServiceRole(this, "node-role", {
      name: `${props.name}-node`,
      service: "ec2.amazonaws.com",
      managedPolicies: ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly"],
    });
    const groups = props.nodeGroups.map((spec) => {
      const group = new ManagedNodeGroup(this, `nodes-${spec.name}`, {
        ...spec,
        clusterName: this.cluster.name,
        nodeRoleArn: this.nodeRole.arn,
        subnetIds: props.subnetIds,
        resourceTags: props.resourceTags,
        dependsOn: [...this.nodeRole.policyAttachments, vpcCni],
      });
      this.nodeGroups[spec.name] = group;
      return group.nodeGroup;
    });
    // These run as Deployments: they need nodes to become healthy. metrics-server feeds every HPA.
    for (const [name, role] of [["coredns", undefined], ["aws-ebs-csi-driver", ebsCsiRole.arn], ["metrics-server", undefined]] as const) {
      addon(name, role).addOverride("depends_on", groups.map((g) => `aws_eks_node_group.${g.friendlyUniqueId}`));
    }
  }

  private validate(props: EksClusterProps): void {
    if (!(EKS_VERSIONS as readonly string[]).includes(props.version)) {
      throw new ConfigError(`version "${props.version}" is not a supported EKS version; use one of ${EKS_VERSIONS.join(", ")}`, this);
    }
    if (props.adminPrincipals.length === 0) {
      throw new ConfigError(
        "adminPrincipals is empty: with API authentication and no creator admin nobody could reach the cluster (lockout); add at least one IAM role ARN",
        this,
      );
    }
    const endpoint = props.publicEndpoint ?? {};
    if (endpoint.enabled) {
      const cidrs = endpoint.allowedCidrs ?? [];
      if (cidrs.length === 0) {
        throw new ConfigError("publicEndpoint.enabled is true but publicEndpoint.allowedCidrs is empty; list the CIDRs allowed to reach the API", this);
      }
      cidrs.forEach((c, i) => parseCidr(`publicEndpoint.allowedCidrs[${i}]`, c));
      if (cidrs.includes(WORLD) && !endpoint.allowWorld) {
        throw new ConfigError(
          `publicEndpoint.allowedCidrs contains ${WORLD}: the API would be open to the internet; list specific CIDRs or set publicEndpoint.allowWorld: true deliberately`,
          this,
        );
      }
    }
    (props.privateEndpointCidrs ?? []).forEach((c, i) => {
      if (parseCidr(`privateEndpointCidrs[${i}]`, c).bitmask === 0) throw new ConfigError(`privateEndpointCidrs[${i}] ${c} is the whole internet; list the in-VPC ranges that need the API`, this);
    });
    const names = props.nodeGroups.map((g) => g.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) throw new ConfigError(`nodeGroups has two groups named "${duplicate}"; names must be unique`, this);
    if (props.nodeGroups.length === 0) throw new ConfigError("nodeGroups is empty; add at least a system node group", this);
  }
}
