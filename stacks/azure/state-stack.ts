import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { BLOB_AUDIT_CATEGORIES } from "../../constructs/azure/monitor/audit-categories";
import { AuditLogs, AuditWorkspace } from "../../constructs/azure/monitor/audit-logs";
import { AzureStateStorage } from "../../constructs/state/azure-state-storage";
import { AzureProdEnvironment } from "../../environments/schema";
import { AzureEnvironmentStack } from "./azure-stack";

/**
 * `<env>-azure-state`: the bootstrap stack that creates the storage account every other stack of
 * the environment stores its state in. Its own state is local by design (see README, "Bootstrap").
 */
export class AzureStateStack extends AzureEnvironmentStack {
  /** The state storage. */
  public readonly storage: AzureStateStorage;
  /** Where audit logs (Key Vault, state blobs) go. */
  public readonly auditWorkspace: AuditWorkspace;

  constructor(scope: Construct, env: AzureProdEnvironment) {
    super(scope, "state", { env, localState: true });
    this.storage = new AzureStateStorage(this, "state-storage", {
      resourceGroupName: env.state.resourceGroupName,
      storageAccountName: env.state.storageAccountName,
      location: env.location,
      containerName: env.state.containerName,
      replication: env.state.replication,
      softDeleteDays: env.state.softDeleteDays,
      dataContributorObjectIds: [env.ci.identities.apply.objectId, ...env.state.dataContributorObjectIds],
      dataReaderObjectIds: [env.ci.identities.plan.objectId],
    });
    // The audit workspace lives here so it exists before every other stack (which refer to it by id).
    this.auditWorkspace = new AuditWorkspace(this, "audit-workspace", {
      name: env.audit.workspaceName,
      resourceGroupName: this.storage.resourceGroup.name,
      location: env.location,
      retentionDays: env.audit.retentionDays,
    });
    new AuditLogs(this, "state-blob-audit", {
      targetResourceId: `${this.storage.account.id}/blobServices/default`,
      workspaceId: this.auditWorkspace.workspace.id,
      categories: BLOB_AUDIT_CATEGORIES,
    });
    new TerraformOutput(this, "storage-account-name", { value: this.storage.account.name });
    new TerraformOutput(this, "container-name", { value: this.storage.container.name });
  }
}
