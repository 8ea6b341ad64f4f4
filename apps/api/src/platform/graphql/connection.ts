// One Relay connection shape for every "newest first" list (type-graphql generic types): each
// feature declares `class LeadConnection extends Connection(LeadView, "Lead") {}` and gets the
// `LeadEdge` type (cursor, node) and `LeadConnection` (edges, pageInfo, totalCount), filled by
// `connection()` in cursor.ts.
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
}

/** The base class of `<name>Connection`; its edge type is `<name>Edge`. */
export function Connection<TNode extends object>(NodeType: ClassType<TNode>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType implements Edge<TNode> {
    @Field(() => String) cursor!: string;
    @Field(() => NodeType) node!: TNode;
  }

  @ObjectType()
  abstract class ConnectionType implements ConnectionShape<TNode> {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int) totalCount!: number;
  }
  return ConnectionType;
}
