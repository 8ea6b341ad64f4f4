/** How a DataTable orders rows: the client-side comparison, the header's marks and aria-sort, and the server order a header asks for. */
import { type SortOrder } from "./data-table-types.ts";

export type Value = string | number | boolean | undefined;
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** Ascending order of two defined values (TanStack reverses it for descending; undefined sorts last). */
export function compare(a: Value, b: Value): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  return collator.compare(String(a), String(b));
}

/** The sort mark beside a sortable header (hidden from screen readers: aria-sort says it). */
const SORT_MARKS = { asc: "▲", desc: "▼", none: "↕" } as const;
export const sortMark = (sorted: false | "asc" | "desc") => SORT_MARKS[sorted === false ? "none" : sorted];

/** aria-sort of a header: the table's own sort, else the server's order while rows are missing. */
export function ariaSortOf(
  canSort: boolean,
  sorted: false | "asc" | "desc",
  serverDirection: "ascending" | "descending" | undefined,
): "ascending" | "descending" | "none" | undefined {
  if (canSort) return sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none";
  return serverDirection;
}

export const asSorted = (direction: "ascending" | "descending") => (direction === "ascending" ? "asc" : "desc");

/**
 * The server order a header asks for: the column shown sorted flips its direction, another column
 * sorts ascending. The default order (`fallback`) is asked for as undefined (no `orderBy`).
 */
export function nextServerOrder(
  column: string,
  shown: SortOrder | undefined,
  fallback: SortOrder | undefined,
): SortOrder | undefined {
  const next: SortOrder = {
    column,
    direction: shown?.column === column && shown.direction === "ascending" ? "descending" : "ascending",
  };
  return fallback !== undefined && fallback.column === next.column && fallback.direction === next.direction
    ? undefined
    : next;
}

/**
 * The API's `orderBy` ({ field, direction }) for a table order, `fields` naming each server-sorted
 * column's field (column id → the API's order field); undefined for the default order.
 */
export function orderByOf<F extends string>(
  order: SortOrder | undefined,
  fields: Readonly<Record<string, F>>,
): { field: F; direction: "ASC" | "DESC" } | undefined {
  const field = order === undefined ? undefined : fields[order.column];
  return order === undefined || field === undefined
    ? undefined
    : { field, direction: order.direction === "ascending" ? "ASC" : "DESC" };
}
