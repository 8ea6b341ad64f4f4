// The cost limit (S4), a validation rule: it runs once per document (Apollo caches validated
// documents), never per request, so it costs the request path nothing.
//
// Cost = the objects an operation may return: every field with a selection counts 1, plus its
// selection's cost, times its page size when it pages (`first`/`last`). Scalars are free: what a
// query costs is the rows it can reach, not the columns it names. A page size is the literal
// given, DEFAULT_PAGE when none is, and MAX_PAGE when it is a variable (the rule sees no variable
// values; the resolver refuses a value out of range).
//
// Issue 45: GraphQL Armor's rule multiplied by 1.5 per level of depth and ignored variables, so a
// documented page (`leads(first: 100)` with the web app's fields) was refused while the same page
// through a variable was free; its refusal read "Syntax Error". Here:
// - a literal page size out of range is refused as such first (BAD_USER_INPUT naming `first`,
//   like the resolver's own check), and no cost is computed for that operation;
// - a refusal says "cost" and carries `extensions.cost` and `extensions.limit`.
import {
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type SelectionSetNode,
  type ValidationContext,
} from "graphql";

import { AppError, badInput, ErrorCode } from "../errors.ts";
import { DEFAULT_PAGE, MAX_PAGE } from "./cursor.ts";

const PAGE_ARGS = new Set(["first", "last"]);

export function costLimitRule(maxCost: number): (context: ValidationContext) => ASTVisitor {
  return (context) => {
    const report = (err: AppError, node: Parameters<typeof context.reportError>[0]["nodes"]) =>
      context.reportError(new GraphQLError(err.message, { nodes: node, originalError: err }));

    const schema = context.getSchema();
    const typeNamed = (name: string | undefined, fallback: GraphQLNamedType | undefined) =>
      name ? schema.getType(name) : fallback;

    /** The cost of `set` read on `parent` (undefined: unknown type, which graphql-js reports itself). */
    function cost(
      set: SelectionSetNode,
      parent: GraphQLNamedType | undefined,
      seen: ReadonlySet<string>,
    ): number | null {
      let total = 0;
      for (const selection of set.selections) {
        let part: number | null;
        if (selection.kind === Kind.FIELD) {
          if (!selection.selectionSet) continue;
          if (selection.name.value === "__schema" || selection.name.value === "__type") continue; // introspection
          const def =
            parent && (isObjectType(parent) || isInterfaceType(parent))
              ? parent.getFields()[selection.name.value]
              : undefined;
          // A field that pages (takes `first`) and was given no size: its default page.
          let page = def?.args.some((a) => PAGE_ARGS.has(a.name)) ? DEFAULT_PAGE : 1;
          for (const arg of selection.arguments ?? []) {
            if (!PAGE_ARGS.has(arg.name.value)) continue;
            if (arg.value.kind === Kind.INT) {
              const n = Number(arg.value.value);
              if (n < 1 || n > MAX_PAGE) {
                report(
                  badInput(`${arg.name.value} must be between 1 and ${MAX_PAGE}.`, {
                    [arg.name.value]: "out of range",
                  }),
                  [arg],
                );
                return null;
              }
              page = n;
            } else if (arg.value.kind === Kind.VARIABLE) page = MAX_PAGE;
            else if (arg.value.kind !== Kind.NULL) page = MAX_PAGE; // another literal: the resolver refuses it
          }
          const inner = cost(selection.selectionSet, def ? getNamedType(def.type) : undefined, seen);
          if (inner === null) return null;
          part = (1 + inner) * page;
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          part = cost(selection.selectionSet, typeNamed(selection.typeCondition?.name.value, parent), seen);
        } else {
          const name = selection.name.value;
          const fragment: FragmentDefinitionNode | null | undefined = context.getFragment(name);
          // A cycle or an unknown fragment is reported by graphql-js's own rules.
          part =
            !fragment || seen.has(name)
              ? 0
              : cost(
                  fragment.selectionSet,
                  typeNamed(fragment.typeCondition.name.value, parent),
                  new Set([...seen, name]),
                );
        }
        if (part === null) return null;
        total += part;
      }
      return total;
    }

    return {
      OperationDefinition: {
        enter(operation) {
          const root = schema.getRootType(operation.operation);
          const total = cost(operation.selectionSet, root ?? undefined, new Set());
          if (total !== null && total > maxCost) {
            report(
              new AppError(
                ErrorCode.BAD_USER_INPUT,
                `This operation's cost is ${total}, over the limit of ${maxCost}: ask for smaller pages (first) or fewer fields with a selection.`,
                {
                  reason: "COST_LIMIT",
                  cost: total,
                  limit: maxCost,
                },
              ),
              [operation],
            );
          }
        },
      },
    };
  };
}
