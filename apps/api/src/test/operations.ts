// The workspace operations of the permission snapshot (each root field's `auth` extension) and
// harmless calls of each, generated from the schema: shared by the generated matrices (users in
// members/operation-matrix, API keys in members/api-key-matrix).
import { randomUUID } from "node:crypto";
import {
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from "graphql";

import type { Action, SubjectName } from "@atrium/policies";

import { getSchema } from "../schema.ts";

export interface WorkspaceOp {
  name: string;
  kind: "query" | "mutation";
  field: GraphQLField<unknown, unknown>;
  action: Action;
  subject: SubjectName;
  workspaceArg: string;
  by: "id" | "slug";
  /** Refused to API keys whatever their scopes (`@Can(…, { signedIn: true })`). */
  signedInOnly: boolean;
}

const schema = await getSchema();
export const OPS: WorkspaceOp[] = [];
for (const [kind, type] of [
  ["query", schema.getQueryType()!],
  ["mutation", schema.getMutationType()!],
] as const) {
  for (const field of Object.values(type.getFields())) {
    const ext = field.extensions as {
      auth?: string;
      workspaceArg?: string;
      workspaceBy?: "id" | "slug";
      principal?: string;
    };
    const m = /^([a-z]+):([A-Za-z]+)$/.exec(ext.auth ?? "");
    if (!m) continue; // public, authenticated, platform-admin, api-key: not workspace member operations
    OPS.push({
      name: `${type.name}.${field.name}`,
      kind,
      field,
      action: m[1] as Action,
      subject: m[2] as SubjectName,
      workspaceArg: ext.workspaceArg ?? "workspaceId",
      by: ext.workspaceBy ?? "id",
      signedInOnly: ext.principal === "user",
    });
  }
}

export interface Seeds {
  workspaceId: string;
  slug: string;
  /** Row ids by argument name; anything else gets a random uuid. */
  ids: Record<string, string>;
}

const STRINGS: Record<string, string> = {
  email: "matrix-target@example.com",
  name: "Matrix",
  confirmSlug: "not-the-slug", // never the real slug: a call must not delete the workspace
  action: "read",
  subject: "Workspace",
  from: "2026-01-01",
  to: "2026-01-31",
  body: "Hello",
  message: "Hello",
  url: "http://127.0.0.1:9/hook",
};

function value(type: GraphQLInputType, name: string, seeds: Seeds, op: WorkspaceOp): unknown {
  const t = isNonNullType(type) ? type.ofType : type;
  if (isListType(t))
    return name === "policies" || name === "scopes" || name === "contactIds" ? [] : [value(t.ofType, name, seeds, op)];
  if (isInputObjectType(t)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(t.getFields()))
      if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = value(f.type, f.name, seeds, op);
    // No policies rather than a role's defaults: the no-escalation rule must not stand in for the guard.
    if ("policies" in t.getFields()) out.policies = [];
    return out;
  }
  // The least privileged role, so the no-escalation rule (M7) does not stand in for the guard.
  if (isEnumType(t)) return name === "role" && t.getValue("AGENT") ? "AGENT" : t.getValues()[0]!.name;
  if (!isScalarType(t)) return null;
  if (name === op.workspaceArg) return op.by === "slug" ? seeds.slug : seeds.workspaceId;
  switch (t.name) {
    case "ID":
      return seeds.ids[name] ?? randomUUID();
    case "String":
      return STRINGS[name] ?? "matrix";
    case "Int":
    case "Float":
      return 1;
    case "Boolean":
      return false;
    case "DateTimeISO":
      return new Date(Date.now() + 86_400_000).toISOString();
    default:
      return "x";
  }
}

export function call(
  op: WorkspaceOp,
  seeds: Seeds,
  opts: { count?: boolean } = {},
): { document: string; variables: Record<string, unknown> } {
  const named = getNamedType(op.field.type);
  const counted = opts.count && isObjectType(named) && "totalCount" in named.getFields();
  const selection = counted ? " { totalCount }" : isObjectType(named) || isAbstractType(named) ? " { __typename }" : "";
  const args = op.field.args;
  const defs = args.map((a) => `$${a.name}: ${String(a.type)}`).join(", ");
  const list = args.map((a) => `${a.name}: $${a.name}`).join(", ");
  const document = `${op.kind} M${defs ? `(${defs})` : ""} { ${op.field.name}${list ? `(${list})` : ""}${selection} }`;
  const variables: Record<string, unknown> = {};
  for (const a of args)
    if (isNonNullType(a.type) || a.name in seeds.ids) variables[a.name] = value(a.type, a.name, seeds, op);
  return { document, variables };
}

/**
 * Runs `fn` over `items`, at most `limit` at a time (the matrices' calls are independent of each
 * other: harmless arguments, random row ids). Order of completion is not kept.
 */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
