/**
 * Built-in Azure roles this project assigns, or must never let the pipeline assign, by name with
 * their role definition GUIDs (the same in every tenant and subscription). Each GUID is the `name`
 * of the role's JSON on Microsoft's "Azure built-in roles" pages (general, privileged, containers,
 * networking, security). A constant that names a role a stack assigns is typed
 * {@link BuiltInRoleName}, so a role missing from this table fails the typecheck, and the apply
 * identity's role-assignment condition (stacks/azure/ci-stack.ts) can turn names into GUIDs.
 */
export const BUILT_IN_ROLE_IDS = {
  // Privileged: never grantable by the pipeline (docs/ci-security.md).
  /** Full access including role assignments: never grantable by the pipeline. */
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  /** Manage everything except access: never grantable by the pipeline (it is the apply identity's own role). */
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  /** Manage any access: never grantable by the pipeline. */
  "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
  /** Manage role assignments: held by the apply identity only under its ABAC condition, never grantable. */
  "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
  // Assigned by the stacks.
  /** Granted to the AKS cluster identity on its node subnet. */
  "Network Contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7",
  /** Granted to the network operators who store customer pre-shared keys (keyVault.secretsOfficerObjectIds). */
  "Key Vault Secrets Officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  /** Reads secret values: listed so the apply identity's condition can refuse it to everyone. */
  "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
  /** Lets the CI identities fetch the AKS user kubeconfig (Entra ID auth). */
  "Azure Kubernetes Service Cluster User Role": "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
  /** Read-only Kubernetes access for the plan identity. */
  "Azure Kubernetes Service RBAC Reader": "7f6c6a51-bcf8-42ba-9220-52d62157d7db",
  /** Kubernetes access the apply identity needs to apply the workloads stacks. */
  "Azure Kubernetes Service RBAC Cluster Admin": "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
} as const;

/** Name of a built-in role listed in {@link BUILT_IN_ROLE_IDS}. */
export type BuiltInRoleName = keyof typeof BUILT_IN_ROLE_IDS;

/** Role definition GUID of a built-in role name, or undefined when the table does not list it. */
export function builtInRoleId(name: string): string | undefined {
  return Object.hasOwn(BUILT_IN_ROLE_IDS, name) ? BUILT_IN_ROLE_IDS[name as BuiltInRoleName] : undefined;
}
