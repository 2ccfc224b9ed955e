import { AzurermBackend, TerraformStack } from "cdktf";

/** Where one stack keeps its state in the environment's Azure state storage account. */
export interface AzurermStateBackendProps {
  /** Resource group of the state storage account. */
  readonly resourceGroupName: string;
  /** State storage account created by the environment's bootstrap stack. */
  readonly storageAccountName: string;
  /** Blob container, e.g. "tfstate". */
  readonly containerName: string;
  /** Blob name, one per stack, e.g. "prod/azure/network.tfstate". */
  readonly key: string;
  /** Subscription of the storage account. */
  readonly subscriptionId: string;
  /** Entra ID tenant used to authenticate. */
  readonly tenantId: string;
}

/**
 * Point a stack at its state blob, authenticating with Entra ID (`use_azuread_auth`): the state
 * account has shared-key access disabled, so access keys and SAS tokens cannot be used. Locking is
 * built in (a blob lease), so no lock table is needed.
 */
export function useAzurermStateBackend(stack: TerraformStack, props: AzurermStateBackendProps): AzurermBackend {
  return new AzurermBackend(stack, {
    resourceGroupName: props.resourceGroupName,
    storageAccountName: props.storageAccountName,
    containerName: props.containerName,
    key: props.key,
    subscriptionId: props.subscriptionId,
    tenantId: props.tenantId,
    useAzureadAuth: true,
  });
}
