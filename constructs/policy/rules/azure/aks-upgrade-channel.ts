import { show } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

/** The cluster takes supported patch/minor upgrades instead of drifting out of support. */
export const aksUpgradeChannel: PolicyRule = {
  id: "AZURE-AKS-007",
  externalIds: ["Checkov CKV_AZURE_171", "PSRule Azure.AKS.AutoUpgrade"],
  description: "AKS clusters choose an automatic upgrade channel",
  severity: "medium",
  fix: "Set automatic_upgrade_channel = \"patch\" (or \"stable\") and a maintenance window",
  appliesTo: ["azurerm_kubernetes_cluster"],
  check(resource) {
    const channel = resource.attributes.automatic_upgrade_channel;
    return channel !== undefined && channel !== "none" ? COMPLIANT : nonCompliant(`automatic_upgrade_channel is ${show(channel)}`);
  },
};
