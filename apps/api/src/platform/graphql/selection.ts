// What the client selected below the current field: whether it asked for a field directly under
// it (e.g. a connection's totalCount), and which fields of the nodes, so a resolver can skip the
// work — a count, columns — for fields nobody selected (issue 15).
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";

/** Whether the client selected `name` directly under the current field (a missing fragment: yes). */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  return selectedFields(info, [])?.has(name) ?? true;
}

/** Whether a connection's query selects its total (`totalCount` or `totalCountExact`): the count statement is read then. */
export function selectsTotal(info: GraphQLResolveInfo): boolean {
  const fields = selectedFields(info, []);
  return fields === undefined || fields.has("totalCount") || fields.has("totalCountExact");
}

/** Calls `fn` for every field of `set`, through fragments; false when a fragment is missing. */
function eachField(
  set: SelectionSetNode | undefined,
  info: GraphQLResolveInfo,
  fn: (field: FieldNode) => void,
): boolean {
  for (const sel of set?.selections ?? []) {
    if (sel.kind === Kind.FIELD) fn(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) {
      if (!eachField(sel.selectionSet, info, fn)) return false;
    } else {
      const fragment = info.fragments[sel.name.value];
      if (!fragment || !eachField(fragment.selectionSet, info, fn)) return false;
    }
  }
  return true;
}

/**
 * The names of the fields selected at `path` below the current field (e.g. `["edges", "node"]`
 * of a connection), through fragments and aliases, or undefined when that cannot be told (a
 * fragment missing). Directives are not evaluated: a field under `@skip` still counts, as more
 * names only ever read more. Empty when nothing at `path` is selected.
 */
export function selectedFields(info: GraphQLResolveInfo, path: readonly string[]): ReadonlySet<string> | undefined {
  let sets = info.fieldNodes.map((node) => node.selectionSet);
  for (const name of path) {
    const next: (SelectionSetNode | undefined)[] = [];
    const follow = (f: FieldNode) => {
      if (f.name.value === name) next.push(f.selectionSet);
    };
    for (const set of sets) if (!eachField(set, info, follow)) return undefined;
    sets = next;
  }
  const names = new Set<string>();
  for (const set of sets) if (!eachField(set, info, (f) => names.add(f.name.value))) return undefined;
  return names;
}
