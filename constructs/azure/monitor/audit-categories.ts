/**
 * The audit log categories, in a module of their own without provider imports: the policy rules
 * that check them load with `@fintech-platform/constructs/policy`, which a consumer without
 * `@cdktf/provider-azurerm` installed must be able to import.
 */

/** Log categories that record every read of a Key Vault secret (and every other data-plane call). */
export const KEY_VAULT_AUDIT_CATEGORIES = ["AuditEvent"] as const;
/** Blob-service log categories that record who read, wrote or deleted which state blob. */
export const BLOB_AUDIT_CATEGORIES = ["StorageRead", "StorageWrite", "StorageDelete"] as const;
/**
 * Azure Firewall resource-specific (structured) log categories, each its own Log Analytics table
 * (Azure Monitor's "Supported logs for Microsoft.Network/azureFirewalls"): every network rule
 * match, allow or deny, including the default deny (AZFWNetworkRule); every threat-intelligence
 * alert or deny (AZFWThreatIntel); the aggregated rule hits Policy Analytics reads
 * (AZFWNetworkRuleAggregation). The hub firewall has network rules only (the reachability model
 * refuses application and NAT rules), so their categories would stay empty.
 */
export const FIREWALL_AUDIT_CATEGORIES = ["AZFWNetworkRule", "AZFWThreatIntel", "AZFWNetworkRuleAggregation"] as const;
