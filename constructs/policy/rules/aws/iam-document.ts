/**
 * IAM policy documents as rules see them. A policy reaches cdk.tf.json either as a
 * `data.aws_iam_policy_document` (blocks: actions, principals, condition) or as a literal JSON
 * string on the resource (Action, Principal, Condition); both are normalized to one statement
 * shape so IAM and bucket-policy rules are written once.
 */
import { blocks, isReference, strings } from "../../attributes";
import { PolicyResource, StackResources } from "../../rule";

/** One principal entry: `type` is "AWS", "Service", "Federated" or "*". */
export interface IamPrincipal {
  /** Principal kind; a bare `"Principal": "*"` in JSON is recorded as type "*". */
  readonly type: string;
  /** ARNs, account ids, service names ("eks.amazonaws.com") or "*" for anyone. */
  readonly identifiers: readonly string[];
}

/** One condition: `test` is the operator, e.g. "Bool". */
export interface IamCondition {
  /** Condition operator, e.g. "Bool", "StringEquals", "ArnLike". */
  readonly test: string;
  /** Context key the operator tests, e.g. "aws:SecureTransport" or "<issuer>:sub". */
  readonly variable: string;
  /** Values the key is compared with; a single JSON value becomes a one-element list. */
  readonly values: readonly string[];
}

/** A policy statement with every field as a list. */
export interface IamStatement {
  /** "Deny" only when the statement says so; anything else (including unset) is read as "Allow". */
  readonly effect: "Allow" | "Deny";
  /** Actions such as "s3:GetObject" or "*"; empty when the statement has none (e.g. only NotAction). */
  readonly actions: readonly string[];
  /** Resource ARNs or "*"; empty in trust policies, which name none. */
  readonly resources: readonly string[];
  /** Who the statement applies to; empty for identity policies. */
  readonly principals: readonly IamPrincipal[];
  /** Conditions that must all hold; empty when unconditional. */
  readonly conditions: readonly IamCondition[];
}

/** Statements of a `data.aws_iam_policy_document`. */
export function documentStatements(document: PolicyResource): IamStatement[] {
  return blocks(document.attributes.statement).map((statement) => ({
    effect: statement.effect === "Deny" ? "Deny" : "Allow",
    actions: strings(statement.actions),
    resources: strings(statement.resources),
    principals: blocks(statement.principals).map((p) => ({ type: String(p.type), identifiers: strings(p.identifiers) })),
    conditions: blocks(statement.condition).map((c) => ({
      test: String(c.test),
      variable: String(c.variable),
      values: strings(c.values),
    })),
  }));
}

function jsonPrincipals(principal: unknown): IamPrincipal[] {
  if (principal === undefined) return [];
  if (typeof principal === "string") return [{ type: "*", identifiers: [principal] }];
  return Object.entries(principal as Record<string, unknown>).map(([type, ids]) => ({ type, identifiers: strings(ids) }));
}

function jsonConditions(condition: unknown): IamCondition[] {
  return Object.entries((condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(([test, byVariable]) =>
    Object.entries(byVariable).map(([variable, values]) => ({ test, variable, values: strings(values) })),
  );
}

/** Statements of a literal JSON policy; undefined when the text is not plain JSON (e.g. jsonencode()). */
function jsonStatements(text: string): IamStatement[] | undefined {
  let parsed: { Statement?: unknown };
  try {
    parsed = JSON.parse(text) as { Statement?: unknown };
  } catch {
    return undefined;
  }
  return blocks(parsed.Statement).map((s) => ({
    effect: s.Effect === "Deny" ? "Deny" : "Allow",
    actions: strings(s.Action),
    resources: strings(s.Resource),
    principals: jsonPrincipals(s.Principal),
    conditions: jsonConditions(s.Condition),
  }));
}

const DOCUMENT_REFERENCE = /^\$\{(data\.aws_iam_policy_document\.[A-Za-z0-9_-]+)\.json\}$/;

/** Statements of a policy attribute that is literal JSON; undefined for references and non-strings. */
export function literalStatements(value: unknown): IamStatement[] | undefined {
  return typeof value === "string" && !isReference(value) ? jsonStatements(value) : undefined;
}

/**
 * Statements of a policy attribute (`policy`, `assume_role_policy`): literal JSON, or a reference
 * to a policy document data source of the same stack. Undefined when they cannot be known at synth.
 */
export function policyStatements(value: unknown, stack: StackResources): IamStatement[] | undefined {
  if (typeof value !== "string") return undefined;
  const reference = DOCUMENT_REFERENCE.exec(value);
  if (reference) {
    const document = stack.byAddress(reference[1]);
    return document ? documentStatements(document) : undefined;
  }
  return isReference(value) ? undefined : jsonStatements(value);
}

/** True when the statement lets anyone act: principal "*" (typed "*" or "AWS"). */
export function hasWildcardPrincipal(statement: IamStatement): boolean {
  return statement.principals.some((p) => (p.type === "*" || p.type === "AWS") && p.identifiers.includes("*"));
}

/** The inline policy blocks of a role (`inline_policy { policy = ... }`). */
export function inlinePolicies(resource: PolicyResource): unknown[] {
  return blocks(resource.attributes.inline_policy).map((p) => p.policy);
}
