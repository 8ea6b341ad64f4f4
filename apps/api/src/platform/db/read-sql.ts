// Plain SQL for the hottest lists: a keyset page and its count as statements for `db.tenantRead`,
// which sends them with the tenant settings in one round trip. The filter is the very Prisma
// `where` the list gives Prisma — ability conditions, filters and keyset cursor — translated for
// the small set of forms lists use (field equality, lt/lte/gt/gte, startsWith, AND, OR). Any other
// form, or a field the model does not have, gives `undefined` and the list reads through Prisma as
// before: one source of truth for what a list filters on. Columns are the fields in snake_case (the
// schema's @map convention; src/list-reads.int.test.ts checks every field of the models used here
// against the database).
import { inStatementFamily, Prisma } from "@atrium/db";

type Where = Record<string, unknown>;

/** A model's scalar fields (Prisma's generated `<Model>ScalarFieldEnum`), its table and its columns as a select list over alias `t`. */
export interface ReadModel {
  table: string;
  fields: ReadonlySet<string>;
  select: Prisma.Sql;
}

const columns = new Map<string, string>();
/** A field's column (snake_case), remembered: only the models' own field names reach it. */
export const columnOf = (field: string): string => {
  let column = columns.get(field);
  if (column === undefined) {
    column = field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    columns.set(field, column);
  }
  return column;
};

export function readModel(table: string, scalarFieldEnum: Record<string, string>): ReadModel {
  const fields = new Set(Object.values(scalarFieldEnum));
  return { table, fields, select: selectList({ fields }, "t") };
}

const isScalar = (v: unknown): v is string | number | boolean | Date =>
  typeof v === "string" ||
  typeof v === "boolean" ||
  (typeof v === "number" && Number.isFinite(v)) ||
  (v instanceof Date && !Number.isNaN(v.getTime()));

const OPS: Record<string, string> = { lt: "<", lte: "<=", gt: ">", gte: ">=" };

/** `where` as a SQL condition over `alias`'s columns, or undefined when a form is not modelled here. */
export function whereSql(model: ReadModel, where: Where, alias: string): Prisma.Sql | undefined {
  const parts: Prisma.Sql[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined) continue;
    if (key === "AND" || key === "OR") {
      if (!Array.isArray(value) || value.length === 0) return undefined;
      const inner: Prisma.Sql[] = [];
      for (const w of value) {
        if (!w || typeof w !== "object" || Array.isArray(w)) return undefined;
        const sql = whereSql(model, w as Where, alias);
        if (!sql) return undefined;
        inner.push(sql);
      }
      parts.push(Prisma.sql`(${Prisma.join(inner, key === "AND" ? " AND " : " OR ")})`);
      continue;
    }
    if (!model.fields.has(key)) return undefined;
    const column = Prisma.raw(`${alias}."${columnOf(key)}"`);
    if (value === null) {
      parts.push(Prisma.sql`${column} IS NULL`);
      continue;
    }
    if (isScalar(value)) {
      parts.push(Prisma.sql`${column} = ${value}`);
      continue;
    }
    // An operator object, with at least one operator (an invalid Date or `{}` is no condition at all).
    if (typeof value !== "object" || Array.isArray(value) || value instanceof Date || Object.keys(value).length === 0)
      return undefined;
    for (const [op, operand] of Object.entries(value as Where)) {
      if (!isScalar(operand)) return undefined;
      if (op === "equals") parts.push(Prisma.sql`${column} = ${operand}`);
      else if (Object.hasOwn(OPS, op)) parts.push(Prisma.sql`${column} ${Prisma.raw(OPS[op]!)} ${operand}`);
      // As Prisma sends it: a LIKE pattern (the caller escapes wildcards it means literally).
      else if (op === "startsWith" && typeof operand === "string")
        parts.push(Prisma.sql`${column} LIKE ${`${operand}%`}`);
      else return undefined;
    }
  }
  return parts.length ? Prisma.join(parts, " AND ") : Prisma.sql`TRUE`;
}

/**
 * Select lists built so far, by alias, prefix and fields (a page's selection gives a new set of
 * fields per request: the same lists each time). Past SELECT_LISTS_MAX, built and not kept: a
 * client chooses its selections, so their number is open.
 */
const selectLists = new Map<string, Prisma.Sql>();
const SELECT_LISTS_MAX = 512;
/** `model`'s columns, each aliased to its field name (`prefix` before it for a joined model's). */
export function selectList(model: Pick<ReadModel, "fields">, alias: string, prefix = ""): Prisma.Sql {
  const key = `${alias}\0${prefix}\0${[...model.fields].join(",")}`;
  let list = selectLists.get(key);
  if (list === undefined) {
    list = Prisma.raw([...model.fields].map((f) => `${alias}."${columnOf(f)}" AS "${prefix}${f}"`).join(", "));
    if (selectLists.size < SELECT_LISTS_MAX) selectLists.set(key, list);
  }
  return list;
}

/** The fields every keyset page reads: its order, and what cursors are made of. */
export const KEYSET: readonly string[] = ["id", "createdAt"];

/**
 * The columns a page reads for a selection (`selectedFields` of its nodes): the model's fields
 * the selection names, and `always` (the keyset's `id` and `createdAt`, which cursors are made
 * of). All of them when the selection is unknown, or names anything but the model's fields,
 * `__typename` and `relations` (fields the caller reads by join): a field computed from other
 * columns is never read short.
 */
export function projected(
  model: Pick<ReadModel, "fields">,
  selected: ReadonlySet<string> | undefined,
  always: readonly string[],
  relations: readonly string[] = [],
): Pick<ReadModel, "fields"> {
  if (!selected) return model;
  for (const name of selected)
    if (!model.fields.has(name) && name !== "__typename" && !relations.includes(name)) return model;
  return { fields: new Set([...model.fields].filter((f) => selected.has(f) || always.includes(f))) };
}

const NEWEST_FIRST = Prisma.raw(`t."created_at" DESC, t."id" DESC`);
const OLDEST_FIRST = Prisma.raw(`t."created_at" ASC, t."id" ASC`);

/**
 * How far a page's total is counted: exactly up to this many rows, and past it `COUNT_CAP + 1`
 * ("more than COUNT_CAP"; the connection's `totalCountExact` is then false). A page read never
 * counts a whole large list.
 */
export const COUNT_CAP = 1_000;

/** The cap as a constant in the text (not a parameter): the generic plan knows how few rows it reads. */
const CAP_LIMIT = Prisma.raw(String(COUNT_CAP + 1));

/** The count of `where` over `table` (alias `t`), capped: at most COUNT_CAP + 1 rows are visited. */
export const cappedCount = (table: Prisma.Sql, where: Prisma.Sql): Prisma.Sql =>
  Prisma.sql`SELECT COUNT(*) AS "count" FROM (SELECT 1 FROM ${table} AS t WHERE ${where} LIMIT ${CAP_LIMIT}) AS n`;

const isDate = (v: unknown): v is Date => v instanceof Date && !Number.isNaN(v.getTime());
/**
 * cursor.ts's keyset condition (`createdAt < $at OR (createdAt = $at AND id < $id)`, `>` oldest
 * first) as the row comparison `(created_at, id) < ($at, $id)`: the index (workspace_id,
 * created_at DESC, id DESC) takes it as its bound (an Index Cond), where the OR is only a filter
 * after walking every row before the cursor. Undefined for any other form.
 */
function keysetRow(after: Where): Prisma.Sql | undefined {
  const or = after.OR;
  if (Object.keys(after).length !== 1 || !Array.isArray(or) || or.length !== 2) return undefined;
  const [before, tie] = or as [Where, Where];
  const bound = before?.createdAt as Where | undefined;
  const idBound = tie?.id as Where | undefined;
  if (!before || !tie || Object.keys(before).length !== 1 || Object.keys(tie).length !== 2 || !bound || !idBound)
    return undefined;
  const op =
    Object.keys(bound).length === 1 && Object.keys(idBound).length === 1
      ? isDate(bound.lt) && typeof idBound.lt === "string"
        ? "<"
        : isDate(bound.gt) && typeof idBound.gt === "string"
          ? ">"
          : undefined
      : undefined;
  if (!op) return undefined;
  const at = (op === "<" ? bound.lt : bound.gt) as Date;
  const id = (op === "<" ? idBound.lt : idBound.gt) as string;
  if (!isDate(tie.createdAt) || tie.createdAt.getTime() !== at.getTime()) return undefined;
  return Prisma.sql`(t."created_at", t."id") ${Prisma.raw(op)} (${at}::timestamptz, ${id}::uuid)`;
}

/**
 * The statements of one newest-first keyset page: the page (`take` + 1 rows, so the caller knows
 * whether there is more in its direction) and, with `withTotal`, the count of `where` (without
 * the cursor), capped (`cappedCount`). `after` is the keyset condition (cursor.ts's
 * `keyset().where`), written as a row comparison (`keysetRow`); `oldestFirst` reads a backward
 * page (last/before), the same index walked the other way. `join` names each row's parent: a
 * LATERAL look-up (`lateralParent`), so that the generic plan reads one parent per row.
 */
export function keysetPage(
  model: ReadModel,
  opts: {
    where: Where;
    after: Where;
    take: number;
    withTotal: boolean;
    select?: Prisma.Sql;
    join?: Prisma.Sql;
    oldestFirst?: boolean;
  },
): Prisma.Sql[] | undefined {
  const where = whereSql(model, opts.where, "t");
  const after = Object.keys(opts.after).length
    ? (keysetRow(opts.after) ?? whereSql(model, opts.after, "t"))
    : Prisma.empty;
  if (!where || !after) return undefined;
  const page = after === Prisma.empty ? where : Prisma.sql`(${where} AND ${after})`;
  const table = Prisma.raw(`"public"."${model.table}"`);
  return [
    // The columns vary with the query's selection: a statement family (its own budget of names).
    inStatementFamily(
      Prisma.sql`SELECT ${opts.select ?? model.select} FROM ${table} AS t${opts.join ?? Prisma.empty} WHERE ${page} ORDER BY ${opts.oldestFirst ? OLDEST_FIRST : NEWEST_FIRST} LIMIT ${opts.take + 1}`,
      `page:${model.table}`,
    ),
    ...(opts.withTotal ? [cappedCount(table, where)] : []),
  ];
}

/**
 * A page row's parent (`table` by (workspace_id, id) = (t.workspace_id, t.<column>)) under
 * `alias`, as a page's `join`: a LATERAL sub-select with LIMIT 1, which the planner keeps as a
 * per-row primary-key look-up. A plain JOIN is planned, in the generic plan the read pipeline
 * uses, for the average workspace, and materialised every parent row of the workspace for each
 * page row (decision 0054: 244 ms → 1.3 ms at 100,000 contacts).
 */
export const lateralParent = (table: string, alias: string, column: string): Prisma.Sql =>
  Prisma.raw(
    ` CROSS JOIN LATERAL (SELECT p.* FROM "public"."${table}" AS p WHERE p."workspace_id" = t."workspace_id" AND p."id" = t."${column}" LIMIT 1) AS ${alias}`,
  );

/** `keysetPage`'s rows: the page's rows (as `map` makes them) and the total (0 without `withTotal`). */
export function keysetRows<T>(
  rows: readonly Record<string, unknown>[][],
  withTotal: boolean,
  map: (row: Record<string, unknown>) => T,
): [T[], number] {
  return [rows[0]!.map(map), withTotal ? Number(rows[1]![0]!.count) : 0];
}
