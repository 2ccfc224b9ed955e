import { BUILT_IN_ROLE_IDS, builtInRoleId } from "../../../constructs/azure/identity/built-in-roles";
import { prodAzure as prodAzureInput } from "../../../environments/prod-azure";
import { azureProdEnvironmentSchema, parseEnvironment } from "../../../environments/schema";
import { conditionAllows, ROLE_ASSIGNMENT_DELETE, ROLE_ASSIGNMENT_WRITE } from "../../helpers/abac";
import { appStackJson, azureStacks, prodAzure, shippedAzureApp } from "../../helpers/azure";

const env = prodAzure();
const ci = shippedAzureApp().ci;

const assignments = (json: any) => Object.values(json.resource.azurerm_role_assignment ?? {}) as any[];

describe("<env>-azure-ci", () => {
  it("is a bootstrap stack with local state", () => {
    expect(ci.terraform.backend.local).toBeDefined();
  });

  it("federates the plan identity with the prod-azure-plan and prod-azure-drift environments only (no branch-wide subject), the apply identity with prod-azure only", () => {
    const credentials = Object.values(ci.resource.azurerm_federated_identity_credential) as any[];
    const subjects = (kind: string) => credentials.filter((c) => c.parent_id.includes(`azurerm_user_assigned_identity.${kind}`)).map((c) => c.subject);
    const repo = env.ci.githubRepository;
    expect(subjects("plan")).toEqual([`repo:${repo}:environment:prod-azure-plan`, `repo:${repo}:environment:prod-azure-drift`]);
    expect(subjects("apply")).toEqual([`repo:${repo}:environment:prod-azure`]);
    for (const c of credentials) expect(c).toMatchObject({ issuer: "https://token.actions.githubusercontent.com", audience: ["api://AzureADTokenExchange"] });
  });

  it("grants the plan identity Reader without key reads (custom role) and the apply identity Contributor + RBAC Administrator on the subscription", () => {
    const roles = (kind: string) => assignments(ci).filter((a) => a.principal_id.includes(`azurerm_user_assigned_identity.${kind}`));
    const [planRole] = Object.entries(ci.resource.azurerm_role_definition) as [string, any][];
    expect(roles("plan").map((a) => a.role_definition_id ?? a.role_definition_name)).toEqual([`\${azurerm_role_definition.${planRole[0]}.role_definition_resource_id}`]);
    expect(roles("apply").map((a) => a.role_definition_name)).toEqual(["Contributor", "Role Based Access Control Administrator"]);
    for (const a of assignments(ci)) expect(a.scope).toBe(`/subscriptions/${env.subscriptionId}`);
  });

  it("the plan role reads everything but VPN pre-shared keys (gateway connections and Virtual WAN links) and other secret-returning reads", () => {
    const definitions = Object.values(ci.resource.azurerm_role_definition) as any[];
    expect(definitions).toHaveLength(1);
    const [role] = definitions;
    expect(role).toMatchObject({ scope: `/subscriptions/${env.subscriptionId}`, assignable_scopes: [`/subscriptions/${env.subscriptionId}`] });
    expect(role.permissions).toEqual([expect.objectContaining({ actions: ["*/read", "Microsoft.Resources/deployments/exportTemplate/action"], data_actions: [] })]);
    expect(role.permissions[0].not_actions).toEqual(
      expect.arrayContaining([
        "Microsoft.Network/connections/sharedKey/read",
        "Microsoft.Network/vpnGateways/vpnConnections/vpnLinkConnections/sharedKeys/*",
        "Microsoft.Network/vpnGateways/vpnConnections/sharedKeys/*",
        "Microsoft.OperationalInsights/workspaces/sharedKeys/read",
      ]),
    );
    expect(Object.values(ci.resource.azurerm_role_assignment).map((a: any) => a.role_definition_name)).not.toContain("Reader");
  });

  it("the plan role can refresh every template deployment the Azure stacks manage (azurerm reads template_content through exportTemplate)", () => {
    const deployments = Object.values(shippedAzureApp()).flatMap((json) => Object.keys(json.resource ?? {}).filter((type) => /^azurerm_.*template_deployment$/.test(type)));
    expect(deployments.length).toBeGreaterThan(0);
    const [role] = Object.values(ci.resource.azurerm_role_definition) as any[];
    expect(role.permissions[0].actions).toContain("Microsoft.Resources/deployments/exportTemplate/action");
  });
});

describe("CI identities in the other Azure stacks come from config", () => {
  it("no stack looks up whoever runs terraform (data.azurerm_client_config)", () => {
    for (const json of Object.values(shippedAzureApp())) expect(JSON.stringify(json)).not.toMatch(/azurerm_client_config/);
  });

  it("no CI identity may read the pre-shared key vault: Azure Resource Manager resolves the keys while deploying", () => {
    const readers = assignments(shippedAzureApp().network).filter((a) => /Key Vault (Secrets User|Administrator|Secrets Officer)/.test(a.role_definition_name));
    expect(readers.map((a) => a.principal_id)).not.toContain(env.ci.identities.apply.objectId);
    expect(readers.map((a) => a.principal_id)).not.toContain(env.ci.identities.plan.objectId);
  });

  it("AKS (Azure RBAC): the plan identity reads, the apply identity administers, both may fetch user credentials", () => {
    const aks = assignments(shippedAzureApp().aks).filter((a) => a.role_definition_name.startsWith("Azure Kubernetes Service"));
    const roles = (id: string) => aks.filter((a) => a.principal_id === id).map((a) => a.role_definition_name);
    expect(roles(env.ci.identities.plan.objectId)).toEqual(["Azure Kubernetes Service Cluster User Role", "Azure Kubernetes Service RBAC Reader"]);
    expect(roles(env.ci.identities.apply.objectId)).toEqual(["Azure Kubernetes Service Cluster User Role", "Azure Kubernetes Service RBAC Cluster Admin"]);
  });

  it("changing the CI identity changes only config values, never forces a plan-time lookup", () => {
    const other = "11111111-2222-4333-8444-555555555555";
    const json = appStackJson(azureStacks((e) => (e.ci.identities.apply.objectId = other)).aks);
    expect(assignments(json).filter((a) => a.role_definition_name === "Azure Kubernetes Service RBAC Cluster Admin").map((a) => a.principal_id)).toEqual([other]);
  });
});

describe("rejected CI identity config", () => {
  const parse = (mutate: (e: any) => void) => {
    const input: any = structuredClone(prodAzureInput);
    mutate(input);
    return () => parseEnvironment(azureProdEnvironmentSchema, "environments/prod-azure.ts", input);
  };

  it("a missing identity, naming the field and where its value comes from", () => {
    expect(parse((e) => delete e.ci.identities.apply.objectId)).toThrow(
      /ci\.identities\.apply\.objectId is missing: set it to the apply identity's object id \(output apply-principal-id of the <env>-azure-ci stack/,
    );
    expect(parse((e) => delete e.ci)).toThrow(/ci is missing: add ci: \{ githubRepository/);
  });

  it("an object id that is not a GUID, naming the field, the value and the fix", () => {
    expect(parse((e) => (e.ci.identities.plan.objectId = "ci-plan"))).toThrow(
      /ci\.identities\.plan\.objectId must be the object id of the CI plan identity, a GUID like .* \(got "ci-plan"\)/,
    );
  });
});

describe("the apply identity may grant only what the pipeline-applied stacks assign", () => {
  const applyRoles = () => assignments(ci).filter((a) => a.principal_id.includes("azurerm_user_assigned_identity.apply"));
  const rbacAdmin = () => applyRoles().find((a) => a.role_definition_name === "Role Based Access Control Administrator");
  const condition: string = rbacAdmin().condition;
  const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  // Any principal the stacks do not name: a token principal (an identity created in the same apply) must be grantable to it.
  const STRANGER = "99999999-9999-4999-8999-999999999999";

  /**
   * Every role assignment of every stack the pipeline applies (remote state; the bootstrap stacks
   * with local state are applied by a subscription owner) that the condition would refuse, as
   * "<stack> <resource>: <why>".
   */
  const refused = (stackJsons: Record<string, any>, abac: string): string[] =>
    Object.entries(stackJsons)
      .filter(([, json]) => json.terraform.backend.local === undefined)
      .flatMap(([stack, json]) =>
        Object.entries(json.resource?.azurerm_role_assignment ?? {}).flatMap(([id, a]: [string, any]) => {
          const roleId = a.role_definition_name ? builtInRoleId(a.role_definition_name) : undefined;
          if (!roleId) return [`${stack} ${id}: role ${a.role_definition_name ?? a.role_definition_id} is not a listed built-in role (constructs/azure/identity/built-in-roles.ts)`];
          const principalId = GUID.test(a.principal_id) ? a.principal_id : STRANGER;
          const allowed = conditionAllows(abac, { action: ROLE_ASSIGNMENT_WRITE, roleDefinitionId: roleId, principalId });
          const deletable = conditionAllows(abac, { action: ROLE_ASSIGNMENT_DELETE, roleDefinitionId: roleId, principalId });
          return allowed && deletable ? [] : [`${stack} ${id}: ${a.role_definition_name} to ${a.principal_id} is refused by the apply identity's condition (stacks/azure/ci-stack.ts applyDelegatedGrants)`];
        }),
      );

  it("Role Based Access Control Administrator carries an ABAC condition (version 2.0); Contributor cannot assign roles and carries none", () => {
    expect(rbacAdmin()).toMatchObject({ scope: `/subscriptions/${env.subscriptionId}`, condition_version: "2.0" });
    expect(condition).toMatch(/ActionMatches\{'Microsoft\.Authorization\/roleAssignments\/write'\}/);
    expect(applyRoles().find((a) => a.role_definition_name === "Contributor").condition).toBeUndefined();
  });

  it("allows every role assignment that the pipeline-applied Azure stacks make, to the principal they make it to", () => {
    const stackJsons = shippedAzureApp();
    const made = Object.values(stackJsons).filter((json) => json.terraform.backend.local === undefined).flatMap((json) => Object.keys(json.resource?.azurerm_role_assignment ?? {}));
    expect(made.length).toBeGreaterThan(0);
    expect(refused(stackJsons, condition)).toEqual([]);
  });

  it("the check above fails, naming stack and resource, when a stack assigns a role or principal the condition does not allow", () => {
    const stackJsons = shippedAzureApp();
    stackJsons.network.resource.azurerm_role_assignment.injected = { role_definition_name: "Key Vault Secrets User", principal_id: env.ci.identities.apply.objectId, scope: "x" };
    stackJsons.aks.resource.azurerm_role_assignment.custom = { role_definition_id: "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/y", principal_id: STRANGER, scope: "x" };
    expect(refused(stackJsons, condition)).toEqual([
      expect.stringMatching(/^network injected: Key Vault Secrets User to .* is refused/),
      expect.stringMatching(/^aks custom: role \/subscriptions\/x.* is not a listed built-in role/),
    ]);
  });

  it("no pipeline-applied stack defines a custom role: the apply identity cannot write role definitions (Microsoft.Authorization/*/Write is outside Contributor and RBAC Administrator), so one belongs in the bootstrap stack", () => {
    const defining = Object.entries(shippedAzureApp())
      .filter(([, json]) => json.terraform.backend.local === undefined && json.resource?.azurerm_role_definition)
      .map(([stack]) => stack);
    expect(defining).toEqual([]);
  });

  it("never lets it grant Owner, User Access Administrator, RBAC Administrator, Contributor or Key Vault Secrets User, to itself or anyone", () => {
    for (const role of ["Owner", "User Access Administrator", "Role Based Access Control Administrator", "Contributor", "Key Vault Secrets User"] as const) {
      for (const principalId of [env.ci.identities.apply.objectId, env.ci.identities.plan.objectId, ...env.keyVault.secretsOfficerObjectIds, STRANGER]) {
        expect({ role, principalId, allowed: conditionAllows(condition, { action: ROLE_ASSIGNMENT_WRITE, roleDefinitionId: BUILT_IN_ROLE_IDS[role], principalId }) }).toMatchObject({ allowed: false });
      }
    }
  });

  it("grants Key Vault Secrets Officer (a key reader too) only to the configured officers, never to a CI identity", () => {
    const officer = (principalId: string) => conditionAllows(condition, { action: ROLE_ASSIGNMENT_WRITE, roleDefinitionId: BUILT_IN_ROLE_IDS["Key Vault Secrets Officer"], principalId });
    for (const id of env.keyVault.secretsOfficerObjectIds) expect(officer(id)).toBe(true);
    expect(officer(env.ci.identities.apply.objectId)).toBe(false);
    expect(officer(env.ci.identities.plan.objectId)).toBe(false);
    expect(officer(STRANGER)).toBe(false);
  });

  it("follows config: a new officer becomes grantable without a code change", () => {
    const newOfficer = "12345678-1234-4234-8234-123456789012";
    const json = appStackJson(azureStacks((e) => e.keyVault.secretsOfficerObjectIds.push(newOfficer)).ci);
    const abac = assignments(json).find((a) => a.role_definition_name === "Role Based Access Control Administrator").condition;
    expect(conditionAllows(abac, { action: ROLE_ASSIGNMENT_WRITE, roleDefinitionId: BUILT_IN_ROLE_IDS["Key Vault Secrets Officer"], principalId: newOfficer })).toBe(true);
  });

  it("refuses a CI identity among the Key Vault officers, naming the field, the value and the fix", () => {
    expect(() => azureStacks((e) => e.keyVault.secretsOfficerObjectIds.push(e.ci.identities.apply.objectId))).toThrow(
      /keyVault\.secretsOfficerObjectIds\[1\] 00000000-0000-4000-8000-0000000000d2 is a CI identity \(ci\.identities\); officers can read every pre-shared key, so list only the people who store keys/,
    );
  });

  it("cannot re-point a CI identity's trust: a read-only lock covers every identity and federated credential (Contributor cannot delete locks)", () => {
    const [lock] = Object.values(ci.resource.azurerm_management_lock) as any[];
    expect(lock).toMatchObject({ lock_level: "ReadOnly", scope: "${azurerm_resource_group.resource-group.id}" });
    const locked = ["azurerm_user_assigned_identity", "azurerm_federated_identity_credential"].flatMap((type) => Object.keys(ci.resource[type]).map((id) => `${type}.${id}`));
    expect(locked.length).toBeGreaterThanOrEqual(5);
    expect([...lock.depends_on].sort()).toEqual(locked.sort());
    for (const type of ["azurerm_user_assigned_identity", "azurerm_federated_identity_credential"]) {
      for (const resource of Object.values(ci.resource[type]) as any[]) expect(resource.resource_group_name).toBe("${azurerm_resource_group.resource-group.name}");
    }
  });

  it("cannot switch a Key Vault to access policies to read keys: a Deny policy requires the RBAC permission model, which every vault of the stacks uses", () => {
    const [policy] = Object.values(ci.resource.azurerm_subscription_policy_assignment) as any[];
    expect(policy).toMatchObject({ subscription_id: `/subscriptions/${env.subscriptionId}`, policy_definition_id: "/providers/Microsoft.Authorization/policyDefinitions/12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5" });
    expect(JSON.parse(policy.parameters)).toEqual({ effect: { value: "Deny" } });
    expect(policy.enforce).not.toBe(false);
    const vaults = Object.values(shippedAzureApp()).flatMap((json) => Object.values(json.resource?.azurerm_key_vault ?? {})) as any[];
    expect(vaults.length).toBeGreaterThan(0);
    for (const vault of vaults) expect(vault.rbac_authorization_enabled).toBe(true);
  });
});
