import { FederatedIdentityCredential } from "@cdktf/provider-azurerm/lib/federated-identity-credential";
import { ManagementLock } from "@cdktf/provider-azurerm/lib/management-lock";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { SubscriptionPolicyAssignment } from "@cdktf/provider-azurerm/lib/subscription-policy-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { AKS_SUBNET_ROLE } from "../../constructs/azure/aks/aks-cluster";
import { BuiltInRoleName } from "../../constructs/azure/identity/built-in-roles";
import { constrainRoleAssignments, DelegatedGrant } from "../../constructs/azure/identity/role-assignment-condition";
import { DEPLOYMENT_TEMPLATE_EXPORT_ACTION, SecretFreeReaderRole } from "../../constructs/azure/identity/secret-free-reader-role";
import { KEY_VAULT_OFFICER_ROLE } from "../../constructs/azure/keyvault/rbac-key-vault";
import { ConfigError } from "../../constructs/errors";
import { AzureProdEnvironment } from "../../environments/schema";
import { AKS_CI_ROLES } from "./aks-stack";
import { AzureEnvironmentStack } from "./azure-stack";

const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
const AZURE_TOKEN_AUDIENCE = "api://AzureADTokenExchange";
/** The only ABAC condition syntax version Azure accepts for role assignments. */
const ROLE_CONDITION_VERSION = "2.0";
/** Built-in policy "Azure Key Vault should use RBAC permission model" (Key Vault/Should_Use_RBAC.json). */
export const KEY_VAULT_RBAC_POLICY_ID = "/providers/Microsoft.Authorization/policyDefinitions/12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5";
/** Name of the read-only lock on the CI identities' resource group (removing it needs Owner). */
export const CI_LOCK_NAME = "ci-identities-read-only";

/**
 * GitHub environments of the pipeline: applies run in `<env>-azure`, production plans of pull
 * requests in `<env>-azure-plan` (required reviewers), the nightly drift plan in `<env>-azure-drift`
 * (main only). Production's Datadog keys are secrets of these environments alone, never repository
 * secrets, which every pull-request job could read.
 */
export function githubEnvironments(env: Pick<AzureProdEnvironment, "name">): { readonly apply: string; readonly plan: string; readonly drift: string } {
  return { apply: `${env.name}-azure`, plan: `${env.name}-azure-plan`, drift: `${env.name}-azure-drift` };
}

/**
 * The role assignments the apply identity may create: exactly those the pipeline-applied stacks
 * (every Azure stack with remote state) make, built from the constants they assign with, each
 * bound to the principals config gives it. Threat: a compromised apply job (a malicious merged
 * change, a poisoned dependency, a stolen token) granting itself or an outsider Owner, User Access
 * Administrator or a Key Vault reader role. __tests__/stacks/azure/ci-stack.test.ts fails when a
 * stack assigns a role or principal this list does not allow.
 */
export function applyDelegatedGrants(env: Pick<AzureProdEnvironment, "ci" | "keyVault">): DelegatedGrant[] {
  const { plan, apply } = env.ci.identities;
  return [
    ...AKS_CI_ROLES.plan.map((role) => ({ role, principalIds: [plan.objectId] })),
    ...AKS_CI_ROLES.apply.map((role) => ({ role, principalIds: [apply.objectId] })),
    // Officers store customers' pre-shared keys (and can read them): people from config, never CI.
    { role: KEY_VAULT_OFFICER_ROLE, principalIds: env.keyVault.secretsOfficerObjectIds },
    // The cluster's control-plane identity is created by the same apply (prod-azure-aks), so its
    // object id cannot be listed here. Network Contributor is a subset of the apply identity's own
    // Contributor, so granting it to itself or another principal adds no reach to secrets.
    { role: AKS_SUBNET_ROLE },
  ];
}

/**
 * `<env>-azure-ci`: the pipeline's two user-assigned identities, each trusting exact GitHub OIDC
 * subjects through federated credentials, with their subscription-scope roles. A bootstrap stack
 * (local state, applied by a subscription owner): its identities' principal ids go into config
 * (`ci.identities`), from where the state, network and AKS stacks grant the data-plane roles; no
 * stack ever grants "whoever runs terraform" (data.azurerm_client_config) anything.
 *
 * - plan (`id-<env>-ci-plan`): jobs in the `<env>-azure-plan` GitHub environment (pull requests, after a
 *   reviewer approved the run) and in `<env>-azure-drift` (the nightly drift job, main only). Reader without secret reads (SecretFreeReaderRole) on the subscription,
 *   plus exporting deployment templates (the refresh of template deployments needs it).
 * - apply (`id-<env>-ci-apply`): jobs in the `<env>-azure` GitHub environment only. Contributor and Role
 *   Based Access Control Administrator on the subscription, the latter under an ABAC condition that
 *   lets it assign only the roles and principals of {@link applyDelegatedGrants} (docs/ci-security.md).
 */
export class AzureCiStack extends AzureEnvironmentStack {
  /** Identity of production plans and drift detection. */
  public readonly plan: UserAssignedIdentity;
  /** Identity of the environment-protected apply job. */
  public readonly apply: UserAssignedIdentity;

  constructor(scope: Construct, env: AzureProdEnvironment) {
    super(scope, "ci", { env, localState: true });
    const group = new ResourceGroup(this, "resource-group", { name: `rg-${env.name}-ci`, location: env.location, lifecycle: { preventDestroy: true } });
    const subscription = `/subscriptions/${env.subscriptionId}`;
    // Reader would let the plan identity read every customer's VPN pre-shared key
    // (connections/sharedKey/read) and other keys; this role is Reader without those reads.
    // Refreshing the VPN connections' ARM deployments (azurerm_resource_group_template_deployment)
    // POSTs exportTemplate, which no `/read` covers: without it every plan after the first apply
    // fails with 403. It returns templates, never parameter values.
    const planReader = new SecretFreeReaderRole(this, "plan-reader", {
      name: `ci-plan-reader-${env.name}`,
      scope: subscription,
      extraActions: [DEPLOYMENT_TEMPLATE_EXPORT_ACTION],
    });
    /** A built-in role by name (with an optional ABAC condition), or a custom role by its definition id. */
    type Role = { readonly name: BuiltInRoleName; readonly condition?: string } | { readonly roleDefinitionId: string };
    const identity = (kind: "plan" | "apply", subjects: readonly string[], roles: readonly Role[]): UserAssignedIdentity => {
      const id = new UserAssignedIdentity(this, kind, { name: `id-${env.name}-ci-${kind}`, resourceGroupName: group.name, location: env.location });
      subjects.forEach((subject, i) => {
        new FederatedIdentityCredential(this, `${kind}-github-${i}`, {
          name: `github-${subject.replace(/[^\w-]/g, "-")}`,
          resourceGroupName: group.name,
          parentId: id.id,
          issuer: GITHUB_ISSUER,
          audience: [AZURE_TOKEN_AUDIENCE],
          subject: `repo:${env.ci.githubRepository}:${subject}`,
        });
      });
      roles.forEach((role, i) =>
        new RoleAssignment(this, `${kind}-role-${i}`, {
          scope: subscription,
          ...("name" in role
            ? { roleDefinitionName: role.name, ...(role.condition ? { condition: role.condition, conditionVersion: ROLE_CONDITION_VERSION } : {}) }
            : { roleDefinitionId: role.roleDefinitionId }),
          principalId: id.principalId,
        }),
      );
      new TerraformOutput(this, `${kind}-principal-id`, { value: id.principalId, description: `ci.identities.${kind}.objectId in the environment config` });
      new TerraformOutput(this, `${kind}-client-id`, { value: id.clientId, description: `GitHub secret AZURE_${kind.toUpperCase()}_CLIENT_ID` });
      return id;
    };
    const environments = githubEnvironments(env);
    this.plan = identity("plan", [`environment:${environments.plan}`, `environment:${environments.drift}`], [planReader]);
    const ciObjectIds = new Set([env.ci.identities.plan.objectId, env.ci.identities.apply.objectId].map((id) => id.toLowerCase()));
    env.keyVault.secretsOfficerObjectIds.forEach((id, i) => {
      if (ciObjectIds.has(id.toLowerCase())) {
        throw new ConfigError(
          `keyVault.secretsOfficerObjectIds[${i}] ${id} is a CI identity (ci.identities); officers can read every pre-shared key, so list only the people who store keys`,
          this,
        );
      }
    });
    this.apply = identity("apply", [`environment:${environments.apply}`], [
      { name: "Contributor" },
      { name: "Role Based Access Control Administrator", condition: constrainRoleAssignments(applyDelegatedGrants(env)) },
    ]);
    // Threat: the apply identity's Contributor adds an attacker's issuer or subject as a federated
    // credential of a CI identity (trust no longer pinned to this repository's environments), or
    // deletes and re-creates one. A lock binds every principal, and deleting it needs
    // Microsoft.Authorization/locks/delete, which neither Contributor nor the conditioned RBAC
    // Administrator has. An administrator changing this stack removes it first (docs/ci-security.md).
    new ManagementLock(this, "identities-lock", {
      name: CI_LOCK_NAME,
      scope: group.id,
      lockLevel: "ReadOnly",
      notes: "CI identities and their federated credentials: only a subscription owner changes them (docs/ci-security.md).",
      dependsOn: this.node.children.filter((c): c is FederatedIdentityCredential | UserAssignedIdentity => c instanceof FederatedIdentityCredential || c instanceof UserAssignedIdentity),
    });
    // Threat: the apply identity's Contributor (Microsoft.KeyVault/vaults/write) switches the
    // pre-shared-key vault to access policies and grants itself secret reads, bypassing the role
    // assignment condition. Contributor cannot delete or change policy assignments.
    new SubscriptionPolicyAssignment(this, "key-vault-rbac-only", {
      name: "key-vault-rbac-permission-model",
      displayName: "Key Vaults must use the RBAC permission model (no access policies)",
      subscriptionId: subscription,
      policyDefinitionId: KEY_VAULT_RBAC_POLICY_ID,
      parameters: JSON.stringify({ effect: { value: "Deny" } }),
    });
  }
}
