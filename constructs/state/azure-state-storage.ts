import { ManagementLock } from "@cdktf/provider-azurerm/lib/management-lock";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { Construct } from "constructs";
import { ConfigError } from "../errors";

/** Replication choices that survive the loss of a zone. */
export type StateReplication = "ZRS" | "GZRS" | "RAGZRS";

/** Props of {@link AzureStateStorage}. */
export interface AzureStateStorageProps {
  /** Resource group created for the state account. */
  readonly resourceGroupName: string;
  /** Globally unique storage account name, 3-24 lower-case letters or digits. */
  readonly storageAccountName: string;
  /** Azure region. */
  readonly location: string;
  /** Container holding the state blobs. @default "tfstate" */
  readonly containerName?: string;
  /** Zone- or geo-zone-redundant replication. @default "GZRS" */
  readonly replication?: StateReplication;
  /**
   * Days deleted or overwritten blobs (and deleted containers) can be restored.
   * @default 30
   */
  readonly softDeleteDays?: number;
  /**
   * Principals granted "Storage Blob Data Contributor" on the account: the CI apply identity and
   * the administrators who run the bootstrap. From config, never "whoever runs terraform": with
   * shared keys disabled, nobody else can reach state. At least one.
   */
  readonly dataContributorObjectIds: readonly string[];
  /**
   * Principals granted "Storage Blob Data Reader": the CI plan identity (plans read state and
   * take no lock). @default []
   */
  readonly dataReaderObjectIds?: readonly string[];
}

const DEFAULT_CONTAINER = "tfstate";
const DEFAULT_REPLICATION: StateReplication = "GZRS";
const DEFAULT_SOFT_DELETE_DAYS = 30;
const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;
const ZONE_REDUNDANT = new Set<string>(["ZRS", "GZRS", "RAGZRS"]);

/**
 * The storage account holding an Azure environment's terraform state: TLS 1.2 minimum, HTTPS only,
 * no public blob access, shared-key access disabled (Entra ID only), infrastructure (double)
 * encryption, blob versioning, blob and container soft delete, a private `tfstate` container, a
 * CanNotDelete lock, and `prevent_destroy` on everything that holds state.
 */
export class AzureStateStorage extends Construct {
  /** The resource group. */
  public readonly resourceGroup: ResourceGroup;
  /** The storage account. */
  public readonly account: StorageAccount;
  /** The container state blobs live in. */
  public readonly container: StorageContainer;

  constructor(scope: Construct, id: string, props: AzureStateStorageProps) {
    super(scope, id);
    const containerName = props.containerName ?? DEFAULT_CONTAINER;
    const replication = props.replication ?? DEFAULT_REPLICATION;
    const softDeleteDays = props.softDeleteDays ?? DEFAULT_SOFT_DELETE_DAYS;
    if (!ACCOUNT_NAME.test(props.storageAccountName)) {
      throw new ConfigError(`storageAccountName "${props.storageAccountName}" must be 3-24 lower-case letters or digits`, this);
    }
    if (!ZONE_REDUNDANT.has(replication)) {
      throw new ConfigError(`replication "${replication}" does not survive a zone outage; use ZRS, GZRS or RAGZRS`, this);
    }
    if (props.dataContributorObjectIds.length === 0) {
      throw new ConfigError("dataContributorObjectIds is empty: list the CI apply identity and the bootstrap administrators, or nobody can write state", this);
    }
    if (!Number.isInteger(softDeleteDays) || softDeleteDays < 7 || softDeleteDays > 365) {
      throw new ConfigError(`softDeleteDays must be an integer from 7 to 365 (the state recovery window), got ${softDeleteDays}`, this);
    }

    this.resourceGroup = new ResourceGroup(this, "resource-group", {
      name: props.resourceGroupName,
      location: props.location,
      lifecycle: { preventDestroy: true },
    });
    this.account = new StorageAccount(this, "account", {
      name: props.storageAccountName,
      resourceGroupName: this.resourceGroup.name,
      location: props.location,
      accountKind: "StorageV2",
      accountTier: "Standard",
      accountReplicationType: replication,
      minTlsVersion: "TLS1_2",
      httpsTrafficOnlyEnabled: true,
      allowNestedItemsToBePublic: false,
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      infrastructureEncryptionEnabled: true,
      crossTenantReplicationEnabled: false,
      blobProperties: {
        versioningEnabled: true,
        deleteRetentionPolicy: { days: softDeleteDays },
        containerDeleteRetentionPolicy: { days: softDeleteDays },
      },
      lifecycle: { preventDestroy: true },
    });
    this.container = new StorageContainer(this, "container", {
      name: containerName,
      storageAccountId: this.account.id,
      containerAccessType: "private",
      lifecycle: { preventDestroy: true },
    });
    new ManagementLock(this, "lock", {
      name: "state-can-not-delete",
      scope: this.account.id,
      lockLevel: "CanNotDelete",
      notes: "Holds terraform state for every stack of the environment; remove only after migrating state.",
    });

    props.dataContributorObjectIds.forEach((principalId, index) => {
      new RoleAssignment(this, `state-contributor-${index}`, { scope: this.account.id, roleDefinitionName: "Storage Blob Data Contributor", principalId });
    });
    (props.dataReaderObjectIds ?? []).forEach((principalId, index) => {
      new RoleAssignment(this, `state-reader-${index}`, { scope: this.account.id, roleDefinitionName: "Storage Blob Data Reader", principalId });
    });
  }
}
