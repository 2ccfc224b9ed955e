import { ConfigError } from "../../errors";
import { BUILT_IN_ROLE_IDS, BuiltInRoleName } from "./built-in-roles";

/** One role a delegate may grant, and to whom. */
export interface DelegatedGrant {
  /** The built-in role. */
  readonly role: BuiltInRoleName;
  /**
   * Object ids the role may be granted to. Omit only where the principal does not exist before
   * the stack that grants it runs (e.g. an identity the same apply creates), and say so in the docs.
   * @default any principal
   */
  readonly principalIds?: readonly string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WRITE = "Microsoft.Authorization/roleAssignments/write";
const DELETE = "Microsoft.Authorization/roleAssignments/delete";
const ATTRIBUTE = "Microsoft.Authorization/roleAssignments";

const guids = (values: readonly string[]): string => `{${[...new Set(values)].join(", ")}}`;

/**
 * An Azure ABAC condition (condition_version "2.0") for a role assignment that carries
 * `roleAssignments/write` and `/delete` (e.g. "Role Based Access Control Administrator"): the
 * delegate may create an assignment only of a listed role, and of a principal-bound role only to
 * a listed principal; it may delete assignments of the listed roles only. This is Microsoft's
 * "constrain roles" / "constrain roles and principals" shape (delegate-role-assignments-examples),
 * the same one built-in roles with an ABAC condition carry.
 *
 * Deletes are bound to roles, not principals: removing a principal from config must let the
 * pipeline delete its old assignment, and a delete grants nobody anything.
 */
export function constrainRoleAssignments(grants: readonly DelegatedGrant[]): string {
  if (grants.length === 0) throw new ConfigError("constrainRoleAssignments needs at least one grant; without one, remove the roleAssignments/write role instead");
  const unbound: string[] = [];
  const byPrincipals = new Map<string, { roles: string[]; principals: readonly string[] }>();
  for (const [i, grant] of grants.entries()) {
    const roleId = BUILT_IN_ROLE_IDS[grant.role];
    if (grant.principalIds === undefined) {
      unbound.push(roleId);
      continue;
    }
    if (grant.principalIds.length === 0) {
      throw new ConfigError(`grants[${i}] (${grant.role}) lists no principal; list the object ids it may be granted to, or omit principalIds to allow any`);
    }
    grant.principalIds.forEach((id, j) => {
      if (!GUID.test(id)) throw new ConfigError(`grants[${i}].principalIds[${j}] "${id}" is not an object id (GUID); use the principal's object id`);
    });
    const key = [...new Set(grant.principalIds)].sort().join(",");
    const group = byPrincipals.get(key) ?? { roles: [], principals: grant.principalIds };
    group.roles.push(roleId);
    byPrincipals.set(key, group);
  }
  const role = (source: "Request" | "Resource", ids: readonly string[]): string =>
    `@${source}[${ATTRIBUTE}:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals ${guids(ids)}`;
  const allowed = [
    ...(unbound.length > 0 ? [`(${role("Request", unbound)})`] : []),
    ...[...byPrincipals.values()].map(
      ({ roles, principals }) => `(${role("Request", roles)} AND @Request[${ATTRIBUTE}:PrincipalId] ForAnyOfAnyValues:GuidEquals ${guids(principals)})`,
    ),
  ];
  const everyRole = grants.map((grant) => BUILT_IN_ROLE_IDS[grant.role]);
  return [
    `((!(ActionMatches{'${WRITE}'})) OR ${allowed.join(" OR ")})`,
    `((!(ActionMatches{'${DELETE}'})) OR (${role("Resource", everyRole)}))`,
  ].join(" AND ");
}
