import { DatadogProvider } from "@cdktf/provider-datadog/lib/provider";
import { TerraformStack } from "cdktf";
import { DatadogSite } from "./options";

/**
 * Configure the datadog provider for a stack's site. There is deliberately no key argument:
 * the provider reads DD_API_KEY and DD_APP_KEY from the environment, so keys live only in the
 * secret store and CI, never in code, config or cdktf.out. The provider validates them on plan.
 */
export function useDatadogProvider(stack: TerraformStack, site: DatadogSite): DatadogProvider {
  return new DatadogProvider(stack, "datadog", { apiUrl: `https://api.${site}/` });
}
