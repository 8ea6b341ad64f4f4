// The text rule (platform/text-input.ts) over a GraphQL operation: every argument of every field
// the operation selects — inline literals and variables alike, coerced exactly as execution will
// coerce them — walked through input objects and lists down to each String/ID (or custom scalar)
// value. Runs once per request, before any resolver.
import {
  getArgumentValues,
  getVariableValues,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";

import { collectTextProblems, fieldPath, ID_MAX_LENGTH, textProblem } from "../text-input.ts";

function checkValue(
  value: unknown,
  type: GraphQLInputType,
  path: string,
  out: Record<string, string>,
  item?: number,
): void {
  if (value === null || value === undefined) return;
  const t = isNonNullType(type) ? type.ofType : type;
  if (isListType(t)) {
    if (Array.isArray(value)) value.forEach((v, i) => checkValue(v, t.ofType, path, out, i));
    return;
  }
  if (isInputObjectType(t)) {
    if (typeof value !== "object") return;
    const obj = value as Record<string, unknown>;
    for (const [name, field] of Object.entries(t.getFields())) {
      if (name in obj) checkValue(obj[name], field.type, fieldPath(path, name), out);
    }
    return;
  }
  if (isEnumType(t)) return; // server-defined values only
  if (isScalarType(t)) {
    if (typeof value === "string") {
      const problem = textProblem(value, t.name === "ID" ? ID_MAX_LENGTH : undefined);
      if (problem) out[path] ??= item === undefined ? problem : `Item ${item + 1}: ${problem}`;
    } else if (typeof value === "object") {
      // A custom scalar parsed into structured data (e.g. JSON): its strings are client text too.
      collectTextProblems(value, path, out);
    }
  }
}

/**
 * Field path → problem for every argument value of `operation` that breaks the text rule; empty
 * when all is well, or when the variables do not even coerce (execution then reports that as
 * BAD_USER_INPUT itself).
 */
export function argumentTextProblems(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | undefined,
): Record<string, string> {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {}, { maxErrors: 1 });
  if (coerced.errors) return {};
  const variables = coerced.coerced;
  const out: Record<string, string> = {};
  for (const { node, def } of fieldsWithArguments(schema, document, operation)) {
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(def, node, variables);
    } catch {
      continue; // execution reports invalid arguments itself
    }
    for (const argDef of def.args) {
      if (argDef.name in args) checkValue(args[argDef.name], argDef.type, argDef.name, out);
    }
  }
  return out;
}

type FieldWithArguments = { node: FieldNode; def: GraphQLField<unknown, unknown> };
/**
 * Per operation node, the fields it selects (through its fragments) that take arguments, with
 * their definitions. Apollo keeps one parsed document per query text, so a repeated query walks
 * its AST once (the walk with TypeInfo was ~4 % of a cached read's CPU); the values are still
 * coerced and checked on every request.
 */
const plans = new WeakMap<OperationDefinitionNode, { schema: GraphQLSchema; fields: FieldWithArguments[] }>();

function fieldsWithArguments(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): FieldWithArguments[] {
  const known = plans.get(operation);
  if (known?.schema === schema) return known.fields;
  const fields: FieldWithArguments[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const pending: ASTNode[] = [operation];
  const queued = new Set<string>();
  while (pending.length > 0) {
    const root = pending.pop()!;
    const typeInfo = new TypeInfo(schema);
    visit(
      root,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const def = typeInfo.getFieldDef();
          if (def && def.args.length > 0) fields.push({ node, def });
        },
        FragmentSpread(node) {
          const name = node.name.value;
          const fragment = fragments.get(name);
          if (fragment && !queued.has(name)) {
            queued.add(name);
            pending.push(fragment);
          }
        },
      }),
    );
  }
  plans.set(operation, { schema, fields });
  return fields;
}
