import { BUILT_IN_ROLE_IDS } from "../../../../constructs/azure/identity/built-in-roles";
import { constrainRoleAssignments } from "../../../../constructs/azure/identity/role-assignment-condition";
import { conditionAllows, ROLE_ASSIGNMENT_DELETE, ROLE_ASSIGNMENT_WRITE } from "../../../helpers/abac";

const ALICE = "11111111-1111-4111-8111-111111111111";
const BOB = "22222222-2222-4222-8222-222222222222";
const write = (role: keyof typeof BUILT_IN_ROLE_IDS, principalId: string) => ({ action: ROLE_ASSIGNMENT_WRITE, roleDefinitionId: BUILT_IN_ROLE_IDS[role], principalId });
const remove = (role: keyof typeof BUILT_IN_ROLE_IDS, principalId: string) => ({ action: ROLE_ASSIGNMENT_DELETE, roleDefinitionId: BUILT_IN_ROLE_IDS[role], principalId });

describe("constrainRoleAssignments", () => {
  const condition = constrainRoleAssignments([{ role: "Network Contributor" }, { role: "Key Vault Secrets Officer", principalIds: [ALICE] }]);

  it("writes Microsoft's constrain-roles shape: a write clause on @Request and a delete clause on @Resource", () => {
    expect(condition).toMatch(/^\(\(!\(ActionMatches\{'Microsoft\.Authorization\/roleAssignments\/write'\}\)\) OR .*\) AND \(\(!\(ActionMatches\{'Microsoft\.Authorization\/roleAssignments\/delete'\}\)\) OR \(@Resource\[/);
  });

  it("a role without principals may be granted to anyone", () => {
    expect(conditionAllows(condition, write("Network Contributor", BOB))).toBe(true);
  });

  it("a principal-bound role may be granted only to its principals", () => {
    expect(conditionAllows(condition, write("Key Vault Secrets Officer", ALICE))).toBe(true);
    expect(conditionAllows(condition, write("Key Vault Secrets Officer", BOB))).toBe(false);
  });

  it("no other role may be granted, to anyone", () => {
    for (const role of ["Owner", "User Access Administrator", "Role Based Access Control Administrator", "Key Vault Secrets User", "Contributor"] as const) {
      expect(conditionAllows(condition, write(role, ALICE))).toBe(false);
    }
  });

  it("deletes are bound to the roles only, so removing a principal from config can remove its grant", () => {
    expect(conditionAllows(condition, remove("Key Vault Secrets Officer", BOB))).toBe(true);
    expect(conditionAllows(condition, remove("Owner", ALICE))).toBe(false);
  });

  it("rejects no grants, a grant with an empty principal list, and a principal that is not a GUID", () => {
    expect(() => constrainRoleAssignments([])).toThrow(/needs at least one grant/);
    expect(() => constrainRoleAssignments([{ role: "Network Contributor", principalIds: [] }])).toThrow(/grants\[0\] \(Network Contributor\) lists no principal/);
    expect(() => constrainRoleAssignments([{ role: "Network Contributor", principalIds: ["alice"] }])).toThrow(/grants\[0\]\.principalIds\[0\] "alice" is not an object id/);
  });
});
