/**
 * Diagnostic settings as rules see them: the settings of a stack that send given log categories of a
 * target resource to a Log Analytics workspace.
 */
import { blocks, isSet } from "../../attributes";
import { PolicyResource, StackResources } from "../../rule";

/** Log categories `setting` sends to a workspace (a category group "allLogs"/"audit" counts as `groupMeans`). */
export function loggedCategories(setting: PolicyResource, groupMeans: readonly string[]): string[] {
  if (!isSet(setting.attributes.log_analytics_workspace_id)) return [];
  return blocks(setting.attributes.enabled_log).flatMap((log) =>
    typeof log.category === "string" ? [log.category] : ["allLogs", "audit"].includes(String(log.category_group)) ? [...groupMeans] : [],
  );
}

/** Diagnostic settings whose target is exactly `${<resource>.id}<suffix>`. */
export function settingsFor(resource: PolicyResource, stack: StackResources, suffix = ""): PolicyResource[] {
  const target = `\${${resource.address}.id}${suffix}`;
  return stack.ofType("azurerm_monitor_diagnostic_setting").filter((s) => s.attributes.target_resource_id === target);
}

/** Which of `required` no setting for the target sends to a workspace. */
export function missingCategories(settings: readonly PolicyResource[], required: readonly string[]): string[] {
  const logged = new Set(settings.flatMap((s) => loggedCategories(s, required)));
  return required.filter((category) => !logged.has(category));
}
