// One Relay connection shape for every list (type-graphql generic types): each feature declares
// `class LeadConnection extends Connection(LeadView, "Lead") {}` and gets the `LeadEdge` type
// (cursor, node) and `LeadConnection` (edges, pageInfo, totalCount), filled by `connection()` in
// cursor.ts (or `orderedConnection()` in order.ts for a list sorted by a column). Its field takes
// first/after/last/before with page-info.ts's PAGE_ARGS.
import { Field, Int, ObjectType, type ClassType } from "type-graphql";

import { PageInfo } from "./page-info.ts";

export interface Edge<TNode> {
  cursor: string;
  node: TNode;
}

export interface ConnectionShape<TNode> {
  edges: Edge<TNode>[];
  pageInfo: PageInfo;
  totalCount: number;
  totalCountExact: boolean;
}

/** The base class of `<name>Connection`; its edge type is `<name>Edge`. */
export function Connection<TNode extends object>(NodeType: ClassType<TNode>, name: string) {
  @ObjectType(`${name}Edge`, { description: `One ${name} of a page, with its cursor.` })
  class EdgeType implements Edge<TNode> {
    @Field(() => String, {
      description:
        "This row's place in the list: pass it as `after` (with `first`) or `before` (with `last`) to page from here.",
    })
    cursor!: string;
    @Field(() => NodeType, { description: `The ${name}.` }) node!: TNode;
  }

  @ObjectType({ description: `A page of ${name} rows (Relay Cursor Connections).` })
  abstract class ConnectionType implements ConnectionShape<TNode> {
    @Field(() => [EdgeType], { description: "The page's rows, in the list's order whichever way it was paged." })
    edges!: EdgeType[];
    @Field(() => PageInfo, { description: "Cursors and whether there are rows either side of this page." })
    pageInfo!: PageInfo;
    @Field(() => Int, {
      description:
        "How many rows the whole list has (with its filters), not just this page. Counted up to 1,000: past that it is 1,001 and `totalCountExact` is false.",
    })
    totalCount!: number;
    @Field(() => Boolean, {
      description:
        "Whether `totalCount` is the exact number of rows; false: the list has more than 1,000 (a page read counts no further).",
    })
    totalCountExact!: boolean;
  }
  return ConnectionType;
}
