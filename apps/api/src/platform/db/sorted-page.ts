// A keyset page of a list sorted by one column (issue 48; decision 0043, addendum), as plain
// statements for `db.tenantRead` (one round trip, like read-sql.ts's newest-first page).
//
// The order is (value IS NULL, value, id) — rows without a value last, whichever the direction —
// and the cursor is the last row's (value, id); a backward page (last/before) reads the same order
// reversed. Without COALESCE, so that a btree index on (workspace_id, column, id) serves every page
// in both directions and both ways of travel (a forward or a backward index scan):
// - a column that is never NULL: one statement, `(column, id) > ($value, $id)` (`<` descending);
// - a column that may be NULL: the rows with a value, then the rows without one ordered by id, as
//   two index walks of at most `take` + 1 rows each (UNION ALL, sorted again outside: at most
//   2 × (take + 1) rows); a cursor in the rows without a value reads only the second.
// Text is compared with the same collation in ORDER BY, in the keyset and in its index: a row
// comparison of plain columns (no function such as lower()) is leakproof, so under row-level
// security it is the index scan's own condition, not a filter after it.
import { inStatementFamily, Prisma } from "@atrium/db";

import { cappedCount } from "./read-sql.ts";

export interface SortColumn {
  /** The column (snake_case) of alias `t`. */
  readonly column: string;
  /** A collation for text ("und-x-icu"); its index is built with the same one. */
  readonly collate?: string;
  /** The cursor value's SQL type, e.g. `text`, `timestamptz`, `"public"."lead_status"`. */
  readonly type: string;
  readonly nullable: boolean;
}

export interface SortedPageOptions {
  readonly table: string;
  /** The select list over `t` (and the join's aliases). */
  readonly select: Prisma.Sql;
  readonly join?: Prisma.Sql;
  /** The list's filter over `t` (ability, workspace, the query's filters). */
  readonly where: Prisma.Sql;
  readonly sort: SortColumn;
  readonly descending: boolean;
  /**
   * A backward page (last/before): the rows just before `cursor` in the list's order, read in the
   * reverse order — the caller reverses them back (cursor.ts's `pageConnection`).
   */
  readonly backward?: boolean;
  /** The row the page starts from, exclusive, in its direction of travel: its sort value (null: it had none) and id. */
  readonly cursor?: { readonly value: unknown; readonly id: string } | undefined;
  readonly take: number;
  readonly withTotal: boolean;
}

/**
 * The page (`take` + 1 rows, in the direction of travel) and, with `withTotal`, the count of
 * `where`, capped (read-sql.ts's `cappedCount`). Backwards, the order is the list's reversed — (value IS NULL) DESC, value and id the
 * other way — so the rows without a value come first and the same index is walked the other way.
 */
export function sortedPageStatements(opts: SortedPageOptions): Prisma.Sql[] {
  const { sort, cursor, take } = opts;
  const backward = opts.backward === true;
  const travelDescending = opts.descending !== backward;
  const table = Prisma.raw(`"public"."${opts.table}"`);
  const collate = sort.collate === undefined ? "" : ` COLLATE "${sort.collate}"`;
  const value = Prisma.raw(`t."${sort.column}"${collate}`);
  const dir = Prisma.raw(travelDescending ? "DESC" : "ASC");
  const cmp = Prisma.raw(travelDescending ? "<" : ">");
  const from = Prisma.sql`SELECT ${opts.select} FROM ${table} AS t${opts.join ?? Prisma.empty} WHERE ${opts.where}`;
  const limit = take + 1;
  const id = (raw: string) => Prisma.sql`${raw}::uuid`;
  const valued = (keyset: Prisma.Sql) =>
    Prisma.sql`${from}${keyset} ORDER BY ${value} ${dir}, t."id" ${dir} LIMIT ${limit}`;
  const keysetValued =
    cursor === undefined || cursor.value === null
      ? Prisma.empty
      : Prisma.sql` AND (${value}, t."id") ${cmp} (${cursor.value}::${Prisma.raw(sort.type)}, ${id(cursor.id)})`;

  let page: Prisma.Sql;
  if (!sort.nullable) {
    page = valued(keysetValued);
  } else {
    const column = Prisma.raw(`t."${sort.column}"`);
    // Ordered by (value, id) although every value is NULL: the same index's tail, by id, serves it.
    const empty = (keyset: Prisma.Sql) =>
      Prisma.sql`${from} AND ${column} IS NULL${keyset} ORDER BY ${value} ${dir}, t."id" ${dir} LIMIT ${limit}`;
    const withValue = (keyset: Prisma.Sql) => valued(Prisma.sql` AND ${column} IS NOT NULL${keyset}`);
    const alias = Prisma.raw(`p."${fieldOf(sort.column)}"${collate}`);
    // The two walks' rows in the order of travel (UNION ALL by itself promises none). The select
    // list names the columns by field ("email", "id"), so the outer order repeats them by alias.
    const both = (first: Prisma.Sql, second: Prisma.Sql) =>
      Prisma.sql`SELECT p.* FROM ((${first}) UNION ALL (${second})) AS p ORDER BY (${alias} IS NULL)${Prisma.raw(backward ? " DESC" : "")}, ${alias} ${dir}, p."id" ${dir} LIMIT ${limit}`;
    const nullCursor = cursor !== undefined && cursor.value === null;
    if (!backward) {
      // Forwards: the rows with a value, then the rows without one. A cursor without a value is
      // past every row with one: the rows without one after its id.
      page = nullCursor
        ? empty(Prisma.sql` AND t."id" ${cmp} ${id(cursor.id)}`)
        : both(withValue(keysetValued), empty(Prisma.empty));
    } else {
      // Backwards: the rows without a value (last in the list), then the rows with one. A cursor
      // with a value is before every row without one: the rows with a value before it.
      page =
        cursor !== undefined && !nullCursor
          ? withValue(keysetValued)
          : both(
              empty(nullCursor ? Prisma.sql` AND t."id" ${cmp} ${id(cursor.id)}` : Prisma.empty),
              withValue(Prisma.empty),
            );
    }
  }
  return [
    // The columns vary with the query's selection and the order: a statement family (its own budget of names).
    inStatementFamily(page, `sorted:${opts.table}`),
    ...(opts.withTotal ? [cappedCount(table, opts.where)] : []),
  ];
}

/** A column's field name (the select lists alias each column to its field: "created_at" → "createdAt"). */
const fieldOf = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
