import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { useDatadogProvider } from "../../constructs/datadog/datadog-provider";
import { EnvironmentObservability } from "../../constructs/datadog/environment-observability";
import { AzureProdEnvironment } from "../../environments/schema";
import { useAzureEnvironmentState } from "./azure-stack";

/** What the observability stack needs from the other stacks of the environment. */
export interface AzureObservabilityStackProps {
  /** Customer name -> Azure name of its site-to-site connection (plain strings from the VPN stack). */
  readonly customerConnections: Readonly<Record<string, string>>;
}

/**
 * `<env>-azure-observability`: Datadog monitors (services, AKS workloads, each customer's
 * site-to-site tunnel, the hub's VPN gateways), API tests, the load-event dashboard and the SLO of the
 * Azure environment. State lives in the environment's storage account like every other stack,
 * but the stack has no azurerm provider: it only talks to Datadog (keys from DD_API_KEY / DD_APP_KEY).
 */
export class AzureObservabilityStack extends TerraformStack {
  /** Everything the stack creates in Datadog. */
  public readonly observability: EnvironmentObservability;

  constructor(scope: Construct, env: AzureProdEnvironment, props: AzureObservabilityStackProps) {
    super(scope, `${env.name}-azure-observability`);
    useAzureEnvironmentState(this, env, "observability");
    useDatadogProvider(this, env.observability.site);
    this.observability = new EnvironmentObservability(this, "observability", {
      ...env.observability,
      env: env.name,
      platformTeam: env.tags.owner,
      clusterName: env.aks.clusterName,
      workloads: env.workloads.services,
      lambdas: [],
      vpn: { gatewayName: env.vpn.gatewayName, pointToSiteGatewayName: env.vpn.pointToSite.gatewayName, customerConnections: props.customerConnections },
    });
  }
}
