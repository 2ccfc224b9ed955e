/**
 * Terraform state: the S3 state bucket, Azure state storage and backend helpers.
 */
export * from "./azure-state-storage";
export * from "./azurerm-backend";
export * from "./local-state";
export * from "./s3-backend";
export * from "./s3-state-bucket";
