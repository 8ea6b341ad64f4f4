// Opaque keyset cursors over (created_at, id), the order of every "newest first" list, and the
// one pagination helper every list uses: the page a request asks for (`pageRequest`: first/after
// forwards, last/before backwards), its keyset (`keyset`) and the connection built from it.
//
// Relay Cursor Connections, as decided in decision 0047: a page is read in its direction of travel
// (the list's ORDER BY, reversed for a backward page, so the same index serves both) with one row
// more than asked for, which answers "is there more that way?" exactly. The other way, the
// cursor itself answers: a cursor given means the row it names was on a page before, so
// hasPreviousPage (after) and hasNextPage (before) are true; without one they are false.
import { UUID_RE } from "../authz/access.ts";
import { COUNT_CAP } from "../db/read-sql.ts";
import { AppError, ErrorCode } from "../errors.ts";
import { cursorOrderMismatch, orderOfCursor } from "./order.ts";

export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 20;

/** The reason of the error for `first` and `last` in one request. */
export const FIRST_AND_LAST = "FIRST_AND_LAST";
/** The reason of the error for a cursor given the other direction's way (`after` with `last`, `before` with `first`, or both). */
export const MIXED_DIRECTIONS = "MIXED_DIRECTIONS";

const sizeError = (arg: string) =>
  new AppError(ErrorCode.BAD_USER_INPUT, `${arg} must be between 1 and ${MAX_PAGE}.`, {
    fields: { [arg]: "out of range" },
  });

/** A page size as `arg` (first or last) gives it: DEFAULT_PAGE when absent, 1..MAX_PAGE otherwise. */
export function pageSize(first: number | null | undefined, arg = "first"): number {
  if (first == null) return DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw sizeError(arg);
  return first;
}

/** The pagination arguments every connection takes. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** A page as asked for, checked: how many rows, which way and from which cursor. */
export interface PageRequest {
  readonly take: number;
  /** `last`/`before`: the rows just before `cursor` (or the list's last rows), still handed back in the list's order. */
  readonly backward: boolean;
  /** `after` going forwards, `before` going backwards; null: from the list's start (its end, backwards). */
  readonly cursor: string | null;
  /** The argument the cursor came in, for error messages. */
  readonly cursorArg: "after" | "before";
}

/**
 * `first`/`after` page forwards, `last`/`before` backwards. `first` with `last` is refused
 * (FIRST_AND_LAST), and so is a cursor for the other direction (`after` with `last` or `before`,
 * `before` with `first`: MIXED_DIRECTIONS): the spec's combined slices have no use in our lists
 * and would need a keyset bounded on both sides.
 */
export function pageRequest(args: PageArgs): PageRequest {
  const { first, after, last, before } = args;
  if (first != null && last != null) {
    throw new AppError(
      ErrorCode.BAD_USER_INPUT,
      "Pass first (to page forwards) or last (to page backwards), not both.",
      { reason: FIRST_AND_LAST, fields: { first: "with last", last: "with first" } },
    );
  }
  if ((after && before) || (after && last != null) || (before && first != null)) {
    throw new AppError(
      ErrorCode.BAD_USER_INPUT,
      "Page forwards with first and after, or backwards with last and before; not a mix of the two.",
      {
        reason: MIXED_DIRECTIONS,
        fields: before ? { before: after ? "with after" : "with first" } : { after: "with last" },
      },
    );
  }
  const backward = last != null || !!before;
  return backward
    ? { take: pageSize(last, "last"), backward, cursor: before || null, cursorArg: "before" }
    : { take: pageSize(first, "first"), backward, cursor: after || null, cursorArg: "after" };
}

export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString("base64url");
}

/**
 * Only what encodeCursor hands out: a date PostgreSQL cannot hold (before 4713 BC) would
 * otherwise fail in the database (22008) as a server error. Years 1–9999, as toISOString prints
 * them. `arg`: the argument it came in (after or before), named in the error.
 */
export function decodeCursor(cursor: string, arg: "after" | "before" = "after"): { createdAt: Date; id: string } {
  const parts = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const [iso, id] = parts;
  const createdAt = new Date(iso ?? "");
  const valid =
    parts.length === 2 &&
    !!id &&
    UUID_RE.test(id) &&
    !Number.isNaN(createdAt.getTime()) &&
    createdAt.getUTCFullYear() >= 1 &&
    createdAt.getUTCFullYear() <= 9999 &&
    createdAt.toISOString() === iso;
  if (!valid) {
    // A cursor of a list sorted by a column (order.ts), used without its order.
    if (orderOfCursor(cursor) !== undefined) throw cursorOrderMismatch(arg);
    throw new AppError(ErrorCode.BAD_USER_INPUT, `${arg} is not a valid cursor.`, {
      fields: { [arg]: "invalid cursor" },
    });
  }
  return { createdAt, id };
}

/** The request's cursor, decoded (null without one). */
export const pageCursor = (page: PageRequest) => (page.cursor ? decodeCursor(page.cursor, page.cursorArg) : null);

type Direction = "asc" | "desc";
type KeysetWhere<K extends string> = {
  OR?: [Record<K, { lt: Date } | { gt: Date }>, Record<K, Date> & { id: { lt: string } | { gt: string } }];
};
// Typed as Prisma takes it (a mutable array); frozen at run time.
type KeysetOrder<K extends string> = [Record<K, Direction>, { id: Direction }];

/**
 * The orders of travel by key and direction, built once (frozen: Prisma only reads them). An
 * object literal with a computed key costs far more than the whole page's edges on every request.
 */
const orders = new Map<string, { asc: KeysetOrder<string>; desc: KeysetOrder<string> }>();
const ordersBy = (key: string) => {
  const by = (dir: Direction) =>
    Object.freeze([Object.freeze({ [key]: dir }), Object.freeze({ id: dir })]) as KeysetOrder<string>;
  const both = { asc: by("asc"), desc: by("desc") };
  orders.set(key, both);
  return both;
};
const CREATED_AT = ordersBy("createdAt");
const orderOf = <K extends string>(key: K, dir: Direction): KeysetOrder<K> =>
  (key === "createdAt" ? CREATED_AT : (orders.get(key) ?? ordersBy(key)))[dir];
const NO_CURSOR = Object.freeze({});

/**
 * A page's keyset over (`key`, id) as Prisma fragments: `where` (the rows past the cursor in the
 * direction of travel; empty without one) and `orderBy` (the list's order, reversed backwards).
 * `ascending`: the list's own order is oldest first (a transcript); newest first otherwise.
 * The rows read in `orderBy` order are what `connection` takes. Both are shared and read-only
 * when there is no cursor.
 */
export function keyset<K extends string = "createdAt">(
  page: PageRequest,
  opts: { key?: K; ascending?: boolean } = {},
): { where: KeysetWhere<NoInfer<K>>; orderBy: KeysetOrder<NoInfer<K>> } {
  const key = (opts.key ?? "createdAt") as K;
  const up = !!opts.ascending !== page.backward;
  const orderBy = orderOf(key, up ? "asc" : "desc");
  const c = pageCursor(page);
  if (!c) return { where: NO_CURSOR, orderBy };
  const bound = (v: Date) => (up ? { gt: v } : { lt: v });
  const idBound = (v: string) => (up ? { gt: v } : { lt: v });
  const where = {
    OR: [
      { [key]: bound(c.createdAt) } as Record<K, { lt: Date } | { gt: Date }>,
      { [key]: c.createdAt, id: idBound(c.id) } as Record<K, Date> & { id: { lt: string } | { gt: string } },
    ],
  } satisfies KeysetWhere<K>;
  return { where, orderBy };
}

/**
 * The connection of a page read with `page.take` + 1 rows in its direction of travel: the first
 * `take` of them, in the list's order (reversed back for a backward page), `map`ped, with their
 * cursors (`cursorOf`, encoded only when selected) and the page info (module comment).
 */
export function pageConnection<T, N>(
  rows: T[],
  page: PageRequest,
  totalCount: number,
  map: (r: T) => N,
  cursorOf: (r: T) => string,
) {
  const more = rows.length > page.take;
  const inOrder = rows.slice(0, page.take);
  if (page.backward) inOrder.reverse();
  const hasCursor = page.cursor !== null;
  const info = new PageInfo(
    page.backward ? hasCursor : more,
    page.backward ? more : hasCursor,
    inOrder[0],
    inOrder.at(-1),
    cursorOf,
  );
  return {
    edges: inOrder.map((r) => new Edge(r, map(r), cursorOf)),
    pageInfo: info,
    totalCount,
    totalCountExact: totalCount <= COUNT_CAP,
  };
}

const keysetCursorOf = (r: { createdAt: Date; id: string }) => encodeCursor(r.createdAt, r.id);

/** `pageConnection` for a list ordered by (created_at, id) (or another date under that name), with cursor.ts's cursors. */
export function connection<T extends { createdAt: Date; id: string }, N>(
  rows: T[],
  page: PageRequest,
  totalCount: number,
  map: (r: T) => N,
) {
  return pageConnection(rows, page, totalCount, map, keysetCursorOf);
}

// Cursors are encoded when a query selects them: most reads ask for nodes only. (Prototype
// getters: an object literal with a getter per edge costs more than the encoding it saves.)
class Edge<T, N> {
  constructor(
    private readonly row: T,
    readonly node: N,
    private readonly cursorOf: (r: T) => string,
  ) {}
  get cursor(): string {
    return this.cursorOf(this.row);
  }
}

class PageInfo<T> {
  constructor(
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
    private readonly first: T | undefined,
    private readonly last: T | undefined,
    private readonly cursorOf: (r: T) => string,
  ) {}
  get startCursor(): string | null {
    return this.first === undefined ? null : this.cursorOf(this.first);
  }
  get endCursor(): string | null {
    return this.last === undefined ? null : this.cursorOf(this.last);
  }
}
