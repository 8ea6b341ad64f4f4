// Lists ordered by a column (issue 48, decision 0043 addendum): the OrderDirection enum, the
// cursors of such a list and its connection. A sorted list pages with a keyset of its own per
// sort key — (value IS NULL, value, id) — so its cursor holds the order it was made under, the
// last row's sort value and its id: a cursor made under one order is refused under another
// (BAD_USER_INPUT, reason CURSOR_ORDER_MISMATCH) instead of silently skipping or repeating rows.
// The default "newest first" order keeps cursor.ts's cursors and code path. Both page forwards
// (first/after) and backwards (last/before) as cursor.ts's `pageRequest` says.
import { registerEnumType } from "type-graphql";

import { UUID_RE } from "../authz/access.ts";
import { AppError, ErrorCode } from "../errors.ts";
import { pageConnection, type PageRequest } from "./cursor.ts";

export enum OrderDirection {
  ASC = "ASC",
  DESC = "DESC",
}
registerEnumType(OrderDirection, {
  name: "OrderDirection",
  description:
    "Which way a list is sorted by its order field. Rows without a value (no e-mail, say) come last either way.",
  valuesConfig: {
    ASC: { description: "Ascending: A to Z, oldest first, the earliest status first." },
    DESC: { description: "Descending: Z to A, newest first, the latest status first." },
  },
});

/** The reason of the error for a cursor made under another order than the request's. */
export const CURSOR_ORDER_MISMATCH = "CURSOR_ORDER_MISMATCH";

/** A cursor made under another order than the one asked for now: start again from the first page. `arg`: after or before. */
export const cursorOrderMismatch = (arg: "after" | "before" = "after") =>
  new AppError(
    ErrorCode.BAD_USER_INPUT,
    `${arg} was made for another order of this list; ask for the first page again.`,
    { reason: CURSOR_ORDER_MISMATCH, fields: { [arg]: "cursor of another order" } },
  );

const invalidCursor = (arg: "after" | "before") =>
  new AppError(ErrorCode.BAD_USER_INPUT, `${arg} is not a valid cursor.`, { fields: { [arg]: "invalid cursor" } });

/** Sorted cursors start with this mark (a cursor.ts cursor is an ISO date: never "o"). */
const MARK = "o";

/** `order` (e.g. "lead:NAME:ASC"), the row's sort value (null: it has none) and its id, opaque. */
export function encodeOrderCursor(order: string, value: string | null, id: string): string {
  return Buffer.from(JSON.stringify([MARK, order, value, id])).toString("base64url");
}

/** The order a sorted cursor was made under; undefined when `cursor` is not one. Never throws. */
export function orderOfCursor(cursor: string): string | undefined {
  const parts = partsOf(cursor);
  return parts?.[1];
}

function partsOf(cursor: string): [string, string, string | null, string] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
  const [mark, order, value, id] = parsed as unknown[];
  if (
    mark !== MARK ||
    typeof order !== "string" ||
    (value !== null && typeof value !== "string") ||
    typeof id !== "string" ||
    !UUID_RE.test(id)
  )
    return undefined;
  // A NUL can be written in JSON but never stored in (or compared with) PostgreSQL text: a forged
  // cursor carrying one would fail in the database as a server error.
  if (value?.includes("\u0000")) return undefined;
  return [mark, order, value, id];
}

/**
 * The sort value and id of a cursor made under `order`. `parse` checks the value for the order's
 * field (a date, a status, any text) and gives undefined when it is not one; null is accepted only
 * when the field may be empty. A cursor of another order (a sorted one, or the default order's)
 * is CURSOR_ORDER_MISMATCH; anything else is an invalid cursor. `arg`: the argument it came in
 * (after or before), named in the error.
 */
export function decodeOrderCursor<V>(
  cursor: string,
  order: string,
  parse: (raw: string) => V | undefined,
  nullable: boolean,
  arg: "after" | "before" = "after",
): { value: V | null; id: string } {
  const parts = partsOf(cursor);
  if (!parts) {
    // A default-order cursor (an ISO date and an id) under an explicit order.
    const [iso, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
    if (rest.length === 0 && id !== undefined && UUID_RE.test(id) && !Number.isNaN(new Date(iso ?? "").getTime()))
      throw cursorOrderMismatch(arg);
    throw invalidCursor(arg);
  }
  const [, made, raw, id] = parts;
  if (made !== order) throw cursorOrderMismatch(arg);
  if (raw === null) {
    if (!nullable) throw invalidCursor(arg);
    return { value: null, id };
  }
  const value = parse(raw);
  if (value === undefined) throw invalidCursor(arg);
  return { value, id };
}

/**
 * A date as cursor.ts accepts one: what toISOString prints, years 1–9999 (a date PostgreSQL cannot
 * hold would otherwise fail in the database as a server error).
 */
export function parseCursorDate(raw: string): Date | undefined {
  const date = new Date(raw);
  const valid =
    !Number.isNaN(date.getTime()) &&
    date.getUTCFullYear() >= 1 &&
    date.getUTCFullYear() <= 9999 &&
    date.toISOString() === raw;
  return valid ? date : undefined;
}

/**
 * The connection of a sorted page (`page.take` + 1 rows read in its direction of travel, as
 * cursor.ts's `pageConnection` takes them): its cursors carry `order` and each row's sort value.
 */
export function orderedConnection<T extends { id: string }, N>(
  rows: T[],
  page: PageRequest,
  totalCount: number,
  map: (r: T) => N,
  order: string,
  valueOf: (r: T) => string | null,
) {
  return pageConnection(rows, page, totalCount, map, (r) => encodeOrderCursor(order, valueOf(r), r.id));
}
