// Whether the client asked for a field directly under the current field (e.g. a connection's
// totalCount), so a resolver can skip the work for fields nobody selected (issue 15).
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";

function selectsIn(set: SelectionSetNode | undefined, name: string, info: GraphQLResolveInfo): boolean {
  for (const sel of set?.selections ?? []) {
    if (sel.kind === Kind.FIELD && sel.name.value === name) return true;
    if (sel.kind === Kind.INLINE_FRAGMENT && selectsIn(sel.selectionSet, name, info)) return true;
    if (sel.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = info.fragments[sel.name.value];
      if (!fragment || selectsIn(fragment.selectionSet, name, info)) return true;
    }
  }
  return false;
}

export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  return info.fieldNodes.some((node) => selectsIn(node.selectionSet, name, info));
}
