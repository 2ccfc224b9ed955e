import { prodAzure as prodAzureInput } from "../../../environments/prod-azure";
import { azureProdEnvironmentSchema, parseEnvironment } from "../../../environments/schema";
import { appStackJson, azureStacks, prodAzure } from "../../helpers/azure";

const env = prodAzure();
const stacks = azureStacks();
const ci = appStackJson(stacks.ci);

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
    const deployments = Object.values(stacks).flatMap((stack) => Object.keys(appStackJson(stack).resource ?? {}).filter((type) => /^azurerm_.*template_deployment$/.test(type)));
    expect(deployments.length).toBeGreaterThan(0);
    const [role] = Object.values(ci.resource.azurerm_role_definition) as any[];
    expect(role.permissions[0].actions).toContain("Microsoft.Resources/deployments/exportTemplate/action");
  });
});

describe("CI identities in the other Azure stacks come from config", () => {
  it("no stack looks up whoever runs terraform (data.azurerm_client_config)", () => {
    for (const stack of Object.values(stacks)) expect(JSON.stringify(appStackJson(stack))).not.toMatch(/azurerm_client_config/);
  });

  it("no CI identity may read the pre-shared key vault: Azure Resource Manager resolves the keys while deploying", () => {
    const readers = assignments(appStackJson(stacks.network)).filter((a) => /Key Vault (Secrets User|Administrator|Secrets Officer)/.test(a.role_definition_name));
    expect(readers.map((a) => a.principal_id)).not.toContain(env.ci.identities.apply.objectId);
    expect(readers.map((a) => a.principal_id)).not.toContain(env.ci.identities.plan.objectId);
  });

  it("AKS (Azure RBAC): the plan identity reads, the apply identity administers, both may fetch user credentials", () => {
    const aks = assignments(appStackJson(stacks.aks)).filter((a) => a.role_definition_name.startsWith("Azure Kubernetes Service"));
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
