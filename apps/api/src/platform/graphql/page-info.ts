// The Relay page info every connection in the schema shares (one type, not one per feature), and
// the descriptions of the pagination arguments every connection takes (cursor.ts reads them).
import { Field, ObjectType } from "type-graphql";

import { DEFAULT_PAGE, MAX_PAGE } from "./cursor.ts";

@ObjectType({
  description:
    "Where a page of a connection sits in its list (Relay Cursor Connections). Pages forwards with first/after, backwards with last/before.",
})
export class PageInfo {
  @Field(() => Boolean, {
    description:
      "Whether the list has rows after this page: paging forwards, read exactly (one row more than asked for); paging backwards, true when `before` was given (the rows from that cursor on).",
  })
  hasNextPage!: boolean;

  @Field(() => Boolean, {
    description:
      "Whether the list has rows before this page: paging backwards, read exactly (one row more than asked for); paging forwards, true when `after` was given (the rows up to that cursor).",
  })
  hasPreviousPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      "The cursor of the page's first edge: pass it as `before` (with `last`) for the page before this one. Null on an empty page.",
  })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The cursor of the page's last edge: pass it as `after` (with `first`) for the page after this one. Null on an empty page.",
  })
  endCursor!: string | null;
}

/** The options of the four pagination arguments, for `@Arg(name, type, PAGE_ARGS[name])` on every connection field. */
export const PAGE_ARGS = {
  first: {
    nullable: true,
    description: `Page forwards: at most this many rows after \`after\` (from the start without it). 1 to ${MAX_PAGE}; ${DEFAULT_PAGE} when neither first nor last is given. Not with \`last\`.`,
  },
  after: {
    nullable: true,
    description:
      "An edge's cursor (usually the previous page's `pageInfo.endCursor`): the page starts just after it. Only with `first` (or alone); a cursor of another list or order is refused (BAD_USER_INPUT).",
  },
  last: {
    nullable: true,
    description: `Page backwards: at most this many rows just before \`before\` (the list's last rows without it), still in the list's order. 1 to ${MAX_PAGE}. Not with \`first\`.`,
  },
  before: {
    nullable: true,
    description:
      "An edge's cursor (usually the next page's `pageInfo.startCursor`): the page ends just before it. Only with `last` (or alone); a cursor of another list or order is refused (BAD_USER_INPUT).",
  },
} as const;
