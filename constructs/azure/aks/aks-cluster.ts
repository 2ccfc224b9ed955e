import { KubernetesCluster, KubernetesClusterMaintenanceWindowAutoUpgrade } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { KubernetesClusterNodePool } from "@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { Construct } from "constructs";
import { assertNoOverlaps, NamedCidr, parseCidr } from "../../core/cidr";
import { ConfigError } from "../../errors";
import { checkAt } from "../core/check-at";
import { BuiltInRoleName } from "../identity/built-in-roles";
import { ContainerInsights } from "./container-insights";

/** A node pool; the cluster autoscaler scales it between minCount and maxCount. */
export interface AksNodePool {
  /** 1-12 lower-case letters or digits. */
  readonly name: string;
  /** VM size. @default "Standard_D4ds_v5" */
  readonly vmSize?: string;
  /** Autoscaler lower bound, at least 1. */
  readonly minCount: number;
  /** Autoscaler upper bound, at least minCount. */
  readonly maxCount: number;
  /** Pods per node. @default 110 */
  readonly maxPods?: number;
  /** OS disk size in GiB. @default 128 */
  readonly osDiskSizeGb?: number;
  /** Kubernetes node labels. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** kubectl-form taints, e.g. "workload=batch:NoSchedule". @default [] */
  readonly taints?: readonly string[];
}

/** A weekly maintenance window. */
export interface AksMaintenanceWindow {
  /** "Monday" ... "Sunday". */
  readonly dayOfWeek: string;
  /** "HH:MM". */
  readonly startTime: string;
  /** Hours, at least 4. */
  readonly durationHours: number;
  /** e.g. "+00:00". */
  readonly utcOffset: string;
}

/** API server exposure: private, or public behind an allow-list. */
export type AksApiServerAccess =
  | {
      /** Private cluster: the API server has only a private endpoint in the VNet (system-managed private DNS zone). */
      readonly private: true;
    }
  | {
      /** Public endpoint reachable only from these CIDRs (e.g. office and CI egress); non-empty, no 0.0.0.0/0. */
      readonly authorizedIpRanges: readonly string[];
    };

/** Props of {@link AksCluster}. */
export interface AksClusterProps {
  /** Cluster name; also the DNS prefix and the workspace/identity name suffix. */
  readonly name: string;
  /** Existing resource group. */
  readonly resourceGroupName: string;
  /** Azure region. */
  readonly location: string;
  /** Minor version, e.g. "1.32"; patches follow the automatic upgrade channel. */
  readonly kubernetesVersion: string;
  /** Entra ID tenant for cluster sign-in. */
  readonly tenantId: string;
  /** Entra ID groups with cluster-admin; required because local accounts are disabled. */
  readonly adminGroupObjectIds: readonly string[];
  /** Node subnet (its NSG belongs to the network). */
  readonly nodeSubnetId: string;
  /** Availability zones of every pool. @default ["1", "2", "3"] */
  readonly zones?: readonly string[];
  /** Runs critical add-ons only (tainted CriticalAddonsOnly). */
  readonly systemPool: AksNodePool;
  /** Pools for workloads. @default [] */
  readonly userPools?: readonly AksNodePool[];
  /** @default "cilium" (Azure CNI powered by Cilium) */
  readonly networkPolicy?: "cilium" | "calico" | "azure";
  /** Overlay pod range. @default "100.64.0.0/16" */
  readonly podCidr?: string;
  /** Service range (cluster-internal). @default "100.65.0.0/16" */
  readonly serviceCidr?: string;
  /** Cluster DNS service address, inside serviceCidr. @default "100.65.0.10" */
  readonly dnsServiceIp?: string;
  /** Ranges pods and services must not collide with (VNet, VPN clients, customer networks). @default [] */
  readonly reservedRanges?: readonly NamedCidr[];
  /** Kubernetes version upgrades. @default "patch" */
  readonly automaticUpgradeChannel?: "patch" | "stable" | "rapid" | "node-image";
  /** Node OS updates. @default "NodeImage" */
  readonly nodeOsUpgradeChannel?: "NodeImage" | "SecurityPatch";
  /** Window for Kubernetes upgrades. @default Sunday 02:00 UTC, 4 h */
  readonly upgradeWindow?: AksMaintenanceWindow;
  /** Window for node OS updates. @default Saturday 02:00 UTC, 4 h */
  readonly nodeOsWindow?: AksMaintenanceWindow;
  /** Container Insights log retention. @default 90 */
  readonly logRetentionDays?: number;
  /** Key Vault secrets provider rotation poll interval. @default "2m" */
  readonly secretRotationInterval?: string;
  /** API server exposure. @default { private: true } */
  readonly apiServer?: AksApiServerAccess;
}

const DEFAULT_VM_SIZE = "Standard_D4ds_v5";
const DEFAULT_MAX_PODS = 110;
const DEFAULT_OS_DISK_GB = 128;
const DEFAULT_ZONES = ["1", "2", "3"];
const VALID_ZONES = new Set(["1", "2", "3"]);
const DEFAULT_UPGRADE_WINDOW: AksMaintenanceWindow = { dayOfWeek: "Sunday", startTime: "02:00", durationHours: 4, utcOffset: "+00:00" };
const DEFAULT_NODE_OS_WINDOW: AksMaintenanceWindow = { dayOfWeek: "Saturday", startTime: "02:00", durationHours: 4, utcOffset: "+00:00" };
const MIN_WINDOW_HOURS = 4;
/** Role of the control-plane identity on the node subnet (load balancers, route joins). */
export const AKS_SUBNET_ROLE: BuiltInRoleName = "Network Contributor";
/** Surge one node in three during upgrades: fast, yet the pool keeps two thirds of its capacity. */
const MAX_SURGE = "33%";
/** Name AKS uses while rotating the system pool (changes of VM size etc.); 12-char pool-name limit. */
const ROTATION_POOL_NAME = "tmprotation";
/** The Entra ID server application of every AKS cluster; kubelogin requests tokens for it. */
export const AKS_ENTRA_SERVER_APP_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";

/**
 * A production AKS cluster: Entra ID with Azure RBAC and required admin groups, local accounts
 * disabled, OIDC issuer and workload identity, zonal system pool (critical add-ons only) and
 * autoscaled user pools with host encryption, Azure CNI overlay with a network policy engine,
 * Standard tier, automatic upgrade and node-OS channels inside maintenance windows, Container
 * Insights, the Key Vault secrets provider with rotation, and a private or allow-listed API server.
 */
export class AksCluster extends Construct {
  /** The cluster. */
  public readonly cluster: KubernetesCluster;
  /** User node pools by name. */
  public readonly userPools: Readonly<Record<string, KubernetesClusterNodePool>>;
  /** Monitoring workspace and rule. */
  public readonly insights: ContainerInsights;
  /** Control-plane identity; holds "Network Contributor" on the node subnet (bring-your-own VNet). */
  public readonly identity: UserAssignedIdentity;

  constructor(scope: Construct, id: string, props: AksClusterProps) {
    super(scope, id);
    const zones = [...(props.zones ?? DEFAULT_ZONES)];
    const userPools = props.userPools ?? [];
    const networkPolicy = props.networkPolicy ?? "cilium";
    const podCidr = props.podCidr ?? "100.64.0.0/16";
    const serviceCidr = props.serviceCidr ?? "100.65.0.0/16";
    const dnsServiceIp = props.dnsServiceIp ?? "100.65.0.10";
    const apiServer = props.apiServer ?? { private: true };
    checkAt(this, () => {
      checkIdentity(props);
      checkZones(zones);
      checkPools([props.systemPool, ...userPools]);
      checkNetwork(podCidr, serviceCidr, dnsServiceIp, props.reservedRanges ?? []);
      if ("authorizedIpRanges" in apiServer) checkAuthorizedRanges(apiServer.authorizedIpRanges);
      for (const [field, window] of [["upgradeWindow", props.upgradeWindow], ["nodeOsWindow", props.nodeOsWindow]] as const) {
        if (window && window.durationHours < MIN_WINDOW_HOURS) {
          throw new ConfigError(`${field}.durationHours must be at least ${MIN_WINDOW_HOURS} (AKS minimum), got ${window.durationHours}`);
        }
      }
    });

    this.insights = new ContainerInsights(this, "insights", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      retentionDays: props.logRetentionDays,
    });
    // A user-assigned control-plane identity can be granted the subnet role before the cluster
    // exists; with a system-assigned one the first load balancer would race the role assignment.
    this.identity = new UserAssignedIdentity(this, "identity", {
      name: `id-${props.name}`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
    });
    const subnetRole = new RoleAssignment(this, "subnet-network-contributor", {
      scope: props.nodeSubnetId,
      roleDefinitionName: AKS_SUBNET_ROLE,
      principalId: this.identity.principalId,
    });
    const system = props.systemPool;
    this.cluster = new KubernetesCluster(this, "cluster", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      dnsPrefix: props.name,
      kubernetesVersion: props.kubernetesVersion,
      skuTier: "Standard",
      identity: { type: "UserAssigned", identityIds: [this.identity.id] },
      localAccountDisabled: true,
      roleBasedAccessControlEnabled: true,
      azureActiveDirectoryRoleBasedAccessControl: {
        azureRbacEnabled: true,
        tenantId: props.tenantId,
        adminGroupObjectIds: [...props.adminGroupObjectIds],
      },
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      azurePolicyEnabled: true,
      imageCleanerEnabled: true,
      imageCleanerIntervalHours: 48,
      defaultNodePool: {
        ...poolSettings(system, zones, props.nodeSubnetId, props.kubernetesVersion),
        nodeLabels: { ...(system.labels ?? {}) },
        onlyCriticalAddonsEnabled: true,
        temporaryNameForRotation: ROTATION_POOL_NAME,
      },
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkPolicy,
        // Cilium policy runs on the Cilium data plane; the other engines on the Azure one.
        networkDataPlane: networkPolicy === "cilium" ? "cilium" : "azure",
        podCidr,
        serviceCidr,
        dnsServiceIp,
        loadBalancerSku: "standard",
        outboundType: "loadBalancer",
      },
      automaticUpgradeChannel: props.automaticUpgradeChannel ?? "patch",
      nodeOsUpgradeChannel: props.nodeOsUpgradeChannel ?? "NodeImage",
      maintenanceWindowAutoUpgrade: weeklyWindow(props.upgradeWindow ?? DEFAULT_UPGRADE_WINDOW),
      maintenanceWindowNodeOs: weeklyWindow(props.nodeOsWindow ?? DEFAULT_NODE_OS_WINDOW),
      omsAgent: { logAnalyticsWorkspaceId: this.insights.workspace.id, msiAuthForMonitoringEnabled: true },
      keyVaultSecretsProvider: { secretRotationEnabled: true, secretRotationInterval: props.secretRotationInterval ?? "2m" },
      ...("authorizedIpRanges" in apiServer
        ? { apiServerAccessProfile: { authorizedIpRanges: [...apiServer.authorizedIpRanges] } }
        : { privateClusterEnabled: true, privateDnsZoneId: "System" }),
      // The autoscaler owns the node count; terraform must not fight it.
      lifecycle: { ignoreChanges: ["default_node_pool[0].node_count"] },
      dependsOn: [subnetRole],
    });
    this.insights.associate(this.cluster.id);

    const pools: Record<string, KubernetesClusterNodePool> = {};
    for (const pool of userPools) {
      pools[pool.name] = new KubernetesClusterNodePool(this, `pool-${pool.name}`, {
        ...poolSettings(pool, zones, props.nodeSubnetId, props.kubernetesVersion),
        kubernetesClusterId: this.cluster.id,
        mode: "User",
        nodeLabels: { ...(pool.labels ?? {}) },
        nodeTaints: [...(pool.taints ?? [])],
        lifecycle: { ignoreChanges: ["node_count"] },
      });
    }
    this.userPools = pools;
  }
}

/** Settings every pool shares: zonal, autoscaled, host-encrypted Azure Linux nodes in the node subnet. */
function poolSettings(pool: AksNodePool, zones: string[], subnetId: string, version: string) {
  return {
    name: pool.name,
    vmSize: pool.vmSize ?? DEFAULT_VM_SIZE,
    zones,
    autoScalingEnabled: true,
    minCount: pool.minCount,
    maxCount: pool.maxCount,
    maxPods: pool.maxPods ?? DEFAULT_MAX_PODS,
    osDiskSizeGb: pool.osDiskSizeGb ?? DEFAULT_OS_DISK_GB,
    osSku: "AzureLinux",
    hostEncryptionEnabled: true,
    nodePublicIpEnabled: false,
    vnetSubnetId: subnetId,
    orchestratorVersion: version,
    upgradeSettings: { maxSurge: MAX_SURGE },
  };
}

function weeklyWindow(window: AksMaintenanceWindow): KubernetesClusterMaintenanceWindowAutoUpgrade {
  return {
    frequency: "Weekly",
    interval: 1,
    dayOfWeek: window.dayOfWeek,
    startTime: window.startTime,
    duration: window.durationHours,
    utcOffset: window.utcOffset,
  };
}

function checkIdentity(props: AksClusterProps): void {
  if (props.adminGroupObjectIds.length === 0) {
    throw new ConfigError(
      "adminGroupObjectIds is empty: local accounts are disabled, so nobody could administer the cluster; add at least one Entra ID group object id",
    );
  }
  if (!/^1\.\d{2}$/.test(props.kubernetesVersion)) {
    throw new ConfigError(`kubernetesVersion "${props.kubernetesVersion}" must be a minor version like 1.32`);
  }
}

function checkZones(zones: readonly string[]): void {
  if (zones.length === 0) throw new ConfigError("zones is empty; use availability zones 1, 2 and 3");
  for (const zone of zones) {
    if (!VALID_ZONES.has(zone)) {
      throw new ConfigError(`zones contains "${zone}", which is not an availability zone; use "1", "2" and/or "3"`);
    }
  }
  if (new Set(zones).size !== zones.length) throw new ConfigError(`zones ${JSON.stringify(zones)} lists a zone twice`);
}

function checkPools(pools: readonly AksNodePool[]): void {
  const names = new Set<string>();
  for (const pool of pools) {
    if (!/^[a-z][a-z0-9]{0,11}$/.test(pool.name)) {
      throw new ConfigError(`node pool name "${pool.name}" must be 1-12 lower-case letters or digits, starting with a letter`);
    }
    if (names.has(pool.name)) throw new ConfigError(`node pool name "${pool.name}" is used twice; pool names must be unique`);
    names.add(pool.name);
    if (!Number.isInteger(pool.minCount) || pool.minCount < 1) {
      throw new ConfigError(`node pool "${pool.name}" minCount must be an integer of at least 1, got ${pool.minCount}`);
    }
    if (!Number.isInteger(pool.maxCount) || pool.minCount > pool.maxCount) {
      throw new ConfigError(
        `node pool "${pool.name}" autoscaler minCount ${pool.minCount} is greater than maxCount ${pool.maxCount}; set minCount <= maxCount`,
      );
    }
  }
}

function checkNetwork(podCidr: string, serviceCidr: string, dnsServiceIp: string, reserved: readonly NamedCidr[]): void {
  const service = parseCidr("serviceCidr", serviceCidr);
  if (!service.contains(dnsServiceIp) || dnsServiceIp === service.base || dnsServiceIp === service.broadcast) {
    throw new ConfigError(`dnsServiceIp ${dnsServiceIp} must be a host address inside serviceCidr ${serviceCidr}`);
  }
  const own = [{ name: "podCidr", cidr: podCidr }, { name: "serviceCidr", cidr: serviceCidr }];
  const fix = "pod and service ranges must not collide with each other, the VNet, VPN clients or customer networks";
  assertNoOverlaps(own, fix);
  // Only our ranges against each reserved one: overlaps among reserved ranges are the VPN's to report.
  for (const range of reserved) for (const cluster of own) assertNoOverlaps([range, cluster], fix);
}

function checkAuthorizedRanges(ranges: readonly string[]): void {
  if (ranges.length === 0) {
    throw new ConfigError("apiServer.authorizedIpRanges is empty, which would leave the API server open to the internet; list ranges or use { private: true }");
  }
  ranges.forEach((range, i) => {
    if (parseCidr(`apiServer.authorizedIpRanges[${i}]`, range).bitmask === 0) {
      throw new ConfigError(`apiServer.authorizedIpRanges[${i}] ${range} allows the whole internet; list specific ranges or use { private: true }`);
    }
  });
}
