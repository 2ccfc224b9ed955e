import { block, isTrue } from "../../attributes";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../rule";

/** Overwritten or deleted blobs (e.g. terraform state) can be restored from earlier versions. */
export const storageBlobVersioning: PolicyRule = {
  id: "AZURE-ST-004",
  externalIds: [],
  description: "Storage accounts keep blob versions",
  severity: "high",
  fix: "Set blob_properties { versioning_enabled = true }",
  appliesTo: ["azurerm_storage_account"],
  check(resource) {
    return isTrue(block(resource.attributes.blob_properties)?.versioning_enabled)
      ? COMPLIANT
      : nonCompliant("blob_properties.versioning_enabled is not true");
  },
};
