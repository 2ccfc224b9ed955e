/**
 * A small evaluator of the Azure ABAC condition subset that role-assignment delegation uses
 * (Microsoft's "constrain roles" / "constrain roles and principals" examples): parentheses, `!`,
 * AND over OR, `ActionMatches{'<action>'}` and
 * `@Request|@Resource[Microsoft.Authorization/roleAssignments:<Attribute>] ForAnyOfAnyValues:GuidEquals {<guid>, ...}`.
 * It reads the synthesized condition the way Azure would, independently of the code that wrote
 * it, and throws on anything outside that subset (so a syntax slip fails the test).
 */
export interface RoleAssignmentRequest {
  /** `Microsoft.Authorization/roleAssignments/write` or `/delete`. */
  readonly action: string;
  /** Role definition GUID of the assignment being written or deleted. */
  readonly roleDefinitionId: string;
  /** Object id of the assignment's principal. */
  readonly principalId: string;
}

const TOKEN =
  /\s*(?:(\()|(\))|(!)|(AND|OR)\b|ActionMatches\{'([^']+)'\}|@(Request|Resource)\[Microsoft\.Authorization\/roleAssignments:(RoleDefinitionId|PrincipalId)\]\s+ForAnyOfAnyValues:GuidEquals\s*\{([^}]*)\})/y;

type Token = { kind: "(" | ")" | "!" | "AND" | "OR" } | { kind: "action"; action: string } | { kind: "attr"; source: string; attribute: string; values: string[] };

function tokenize(condition: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < condition.trimEnd().length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(condition);
    if (!m) throw new Error(`condition: cannot read from offset ${at}: ${condition.slice(at, at + 60)}`);
    if (m[1]) tokens.push({ kind: "(" });
    else if (m[2]) tokens.push({ kind: ")" });
    else if (m[3]) tokens.push({ kind: "!" });
    else if (m[4]) tokens.push({ kind: m[4] as "AND" | "OR" });
    else if (m[5]) tokens.push({ kind: "action", action: m[5] });
    else tokens.push({ kind: "attr", source: m[6], attribute: m[7], values: m[8].split(",").map((v) => v.trim().toLowerCase()) });
  }
  return tokens;
}

/** Whether the condition lets the request through. */
export function conditionAllows(condition: string, request: RoleAssignmentRequest): boolean {
  const tokens = tokenize(condition);
  let i = 0;
  // Azure offers a request's new values as @Request on write and the existing assignment's as @Resource on delete.
  const source = request.action.endsWith("/write") ? "Request" : "Resource";
  const primary = (): boolean => {
    const token = tokens[i++];
    if (!token) throw new Error("condition ends early");
    if (token.kind === "!") return !primary();
    if (token.kind === "(") {
      const value = or();
      if (tokens[i++]?.kind !== ")") throw new Error("condition: unbalanced parentheses");
      return value;
    }
    if (token.kind === "action") return token.action.toLowerCase() === request.action.toLowerCase();
    if (token.kind === "attr") {
      if (token.source !== source) return false;
      const value = token.attribute === "RoleDefinitionId" ? request.roleDefinitionId : request.principalId;
      return token.values.includes(value.toLowerCase());
    }
    throw new Error(`condition: unexpected ${token.kind}`);
  };
  const and = (): boolean => {
    let value = primary();
    while (tokens[i]?.kind === "AND") {
      i++;
      value = primary() && value;
    }
    return value;
  };
  const or = (): boolean => {
    let value = and();
    while (tokens[i]?.kind === "OR") {
      i++;
      value = and() || value;
    }
    return value;
  };
  const result = or();
  if (i !== tokens.length) throw new Error(`condition: unexpected ${tokens[i].kind} after a complete expression`);
  return result;
}

/** The two role-assignment actions a delegation condition governs. */
export const ROLE_ASSIGNMENT_WRITE = "Microsoft.Authorization/roleAssignments/write";
/** See {@link ROLE_ASSIGNMENT_WRITE}. */
export const ROLE_ASSIGNMENT_DELETE = "Microsoft.Authorization/roleAssignments/delete";
