/**
 * The audit log categories, in a module of their own without provider imports: the policy rules
 * that check them load with `@fintech-platform/constructs/policy`, which a consumer without
 * `@cdktf/provider-azurerm` installed must be able to import.
 */

/** Log categories that record every read of a Key Vault secret (and every other data-plane call). */
export const KEY_VAULT_AUDIT_CATEGORIES = ["AuditEvent"] as const;
/** Blob-service log categories that record who read, wrote or deleted which state blob. */
export const BLOB_AUDIT_CATEGORIES = ["StorageRead", "StorageWrite", "StorageDelete"] as const;
