// Opaque keyset cursors over (created_at, id), the order of every "newest first" list, and the
// one pagination helper every list uses: the "after" filter and the connection built from a page.
import { badInput } from "../errors.ts";
import { UUID_RE } from "../authz/access.ts";
import { cursorOrderMismatch, orderOfCursor } from "./order.ts";

export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 20;

export function pageSize(first: number | null | undefined): number {
  if (first == null) return DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput(`first must be between 1 and ${MAX_PAGE}.`, { first: "out of range" });
  return first;
}

export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString("base64url");
}

/**
 * Only what encodeCursor hands out: a date PostgreSQL cannot hold (before 4713 BC) would
 * otherwise fail in the database (22008) as a server error. Years 1–9999, as toISOString prints them.
 */
export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const parts = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const [iso, id] = parts;
  const createdAt = new Date(iso ?? "");
  const valid = parts.length === 2 && !!id && UUID_RE.test(id) && !Number.isNaN(createdAt.getTime()) && createdAt.getUTCFullYear() >= 1 && createdAt.getUTCFullYear() <= 9999 && createdAt.toISOString() === iso;
  if (!valid) {
    // A cursor of a list sorted by a column (order.ts), used without its order.
    if (orderOfCursor(cursor) !== undefined) throw cursorOrderMismatch();
    throw badInput("after is not a valid cursor.", { after: "invalid cursor" });
  }
  return { createdAt, id };
}

/** The rows after `after` in (created_at DESC, id DESC) order, as a Prisma where fragment. */
export function beforeCursor(after: string | null | undefined) {
  if (!after) return {};
  const c = decodeCursor(after);
  return { OR: [{ createdAt: { lt: c.createdAt } }, { createdAt: c.createdAt, id: { lt: c.id } }] };
}

export function connection<T extends { createdAt: Date; id: string }, N>(rows: T[], take: number, totalCount: number, map: (r: T) => N) {
  const page = rows.slice(0, take);
  const last = page.at(-1);
  return { edges: page.map((r) => new Edge(r, map(r))), pageInfo: new PageInfo(rows.length > take, last), totalCount };
}

// Cursors are encoded when a query selects them: most reads ask for nodes only. (Prototype
// getters: an object literal with a getter per edge costs more than the encoding it saves.)
class Edge<N> {
  constructor(
    private readonly row: { createdAt: Date; id: string },
    readonly node: N,
  ) {}
  get cursor(): string {
    return encodeCursor(this.row.createdAt, this.row.id);
  }
}

class PageInfo {
  constructor(
    readonly hasNextPage: boolean,
    private readonly last: { createdAt: Date; id: string } | undefined,
  ) {}
  get endCursor(): string | null {
    return this.last ? encodeCursor(this.last.createdAt, this.last.id) : null;
  }
}
