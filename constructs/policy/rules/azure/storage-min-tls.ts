import { show } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

const ACCEPTED = ["TLS1_2", "TLS1_3"];

/** Clients cannot negotiate deprecated TLS 1.0/1.1. */
export const storageMinTls: PolicyRule = {
  id: "AZURE-ST-001",
  externalIds: ["Checkov CKV_AZURE_44", "PSRule Azure.Storage.MinTLS"],
  description: "Storage accounts reject TLS versions older than 1.2",
  severity: "high",
  fix: "Set min_tls_version = \"TLS1_2\"",
  appliesTo: ["azurerm_storage_account"],
  check(resource) {
    // azurerm 4.x defaults min_tls_version to TLS1_2, so an unset value is compliant.
    const version = resource.attributes.min_tls_version ?? "TLS1_2";
    return ACCEPTED.includes(String(version)) ? COMPLIANT : nonCompliant(`min_tls_version is ${show(version)}`);
  },
};
