import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { Aspects, LocalBackend, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { StandardTagsAspect } from "../../constructs/azure/core/standard-tags-aspect";
import { standardTags } from "../../constructs/core/tags";
import { useAzurermStateBackend } from "../../constructs/state/azurerm-backend";
import { localStatePath } from "../../constructs/state/local-state";
import { AzureProdEnvironment } from "../../environments/schema";

/** Props shared by every stack of an Azure environment. */
export interface AzureEnvironmentStackProps {
  /** The parsed environment config. */
  readonly env: AzureProdEnvironment;
  /**
   * Keep state in a local file instead of the state storage account. Only the bootstrap stack that
   * creates the account does this: it cannot store its state in an account that does not exist yet.
   * @default false
   */
  readonly localState?: boolean;
}

/**
 * A stack of an Azure environment: named `<env>-azure-<unit>`, with its own state blob
 * `<env>/azure/<unit>.tfstate` (Entra ID auth), a provider pinned to the environment's
 * subscription and tenant, and the standard tags on every resource.
 */
export class AzureEnvironmentStack extends TerraformStack {
  /** The environment this stack belongs to. */
  public readonly env: AzureProdEnvironment;

  constructor(scope: Construct, unit: string, props: AzureEnvironmentStackProps) {
    super(scope, `${props.env.name}-azure-${unit}`);
    this.env = props.env;
    new AzurermProvider(this, "azurerm", {
      subscriptionId: props.env.subscriptionId,
      tenantId: props.env.tenantId,
      // Storage data-plane calls use Entra ID: the state account has shared keys disabled.
      storageUseAzuread: true,
      features: [
        {
          keyVault: [{ purgeSoftDeleteOnDestroy: false, recoverSoftDeletedKeyVaults: true }],
          resourceGroup: [{ preventDeletionIfContainsResources: true }],
          logAnalyticsWorkspace: [{ permanentlyDeleteOnDestroy: false }],
        },
      ],
    });
    Aspects.of(this).add(new StandardTagsAspect(standardTags({ environment: props.env.name, ...props.env.tags })));
    if (props.localState) {
      new LocalBackend(this, { path: localStatePath(this.node.id) });
    } else {
      useAzureEnvironmentState(this, props.env, unit);
    }
  }
}

/**
 * Keep a stack's state in the environment's storage account under `<env>/azure/<unit>.tfstate`.
 * Shared with stacks of the environment that need no azurerm provider (e.g. observability, which
 * talks to Datadog).
 */
export function useAzureEnvironmentState(stack: TerraformStack, env: AzureProdEnvironment, unit: string): void {
  useAzurermStateBackend(stack, {
    resourceGroupName: env.state.resourceGroupName,
    storageAccountName: env.state.storageAccountName,
    containerName: env.state.containerName,
    key: `${env.name}/azure/${unit}.tfstate`,
    subscriptionId: env.subscriptionId,
    tenantId: env.tenantId,
  });
}
