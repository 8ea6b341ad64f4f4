/**
 * Rows of the one-Sync pipelines.
 *
 * pg's own Result builds every row by spreading a template made with `Object.create(null)` and
 * storing each column under a computed key: each row goes through V8's slow object-clone path,
 * and each later read of it is a megamorphic look-up. Here each distinct row description (the
 * columns' names, types and formats) gets one function, made once from those names: an object
 * literal with a value per column, each through its type's parser. Every row of a statement then
 * has one shape, the one of a literal.
 *
 * An alias `a.b` reads as `{ a: { b } }`: a joined row's columns (the lead's `contact.*`) arrive
 * as their own object, so no caller copies a flat row into a nested one. When `a` is also a column
 * of its own, `a.b` stays a flat key: no column's value is ever dropped.
 *
 * Builders are cached by description, at most `COMPILED_MAX` of them per parser set. A client
 * choosing its selection chooses a page's columns, so descriptions are not a fixed set, and one
 * compile per query past the bound would cost more than it saves: past it, `genericRow` builds the
 * same objects with a loop, and nothing is compiled. A description the literal cannot say (a
 * binary column, a name twice, `__proto__`) gets a cached `genericRow` too.
 */

/** A column of pg's RowDescription message (pg-protocol's Field). */
export interface PgField {
  readonly name: string;
  readonly dataTypeID: number;
  readonly format?: string;
}
type Parser = (value: string | Buffer) => unknown;
/** pg's type registry (`pg.types`, or the read types with the fast timestamptz parser). */
export interface TypeSource {
  getTypeParser(oid: number, format?: string): unknown;
}
/** One DataRow's values (pg-protocol gives text as strings, NULL as null) to a row. */
export type RowBuilder = (values: readonly (string | null)[]) => Record<string, unknown>;

export const COMPILED_MAX = 256;
const compiled = new WeakMap<TypeSource, Map<string, RowBuilder>>();

/** The path of a column in the row: `["a", "b"]` for `a.b` (at the first dot), else `[name]`. */
const pathOf = (name: string): [string] | [string, string] => {
  const dot = name.indexOf(".");
  return dot > 0 && dot < name.length - 1 ? [name.slice(0, dot), name.slice(dot + 1)] : [name];
};
type Path = [string] | [string, string];
/** Each column's path; `a.b` stays flat when `a` is a column too (see the module's comment). */
function pathsOf(names: readonly string[]): Path[] {
  const paths = names.map(pathOf);
  const columns = new Set(paths.filter((p) => p.length === 1).map((p) => p[0]));
  return paths.map((p, i): Path => (p.length === 2 && columns.has(p[0]) ? [names[i]!] : p));
}

/** The row builder of a description: cached by its names, types and formats. */
export function rowBuilder(fields: readonly PgField[], types: TypeSource): RowBuilder {
  let cache = compiled.get(types);
  if (!cache) compiled.set(types, (cache = new Map<string, RowBuilder>()));
  let key = "";
  for (const f of fields) key += `${f.name}\u0000${f.dataTypeID}\u0000${f.format ?? "text"}\u0001`;
  const hit = cache.get(key);
  if (hit) return hit;
  const parsers = fields.map((f) => types.getTypeParser(f.dataTypeID, f.format ?? "text") as Parser);
  const paths = pathsOf(fields.map((f) => f.name));
  if (cache.size >= COMPILED_MAX) return genericRow(fields, parsers, paths);
  const made = literalRow(fields, parsers, paths) ?? genericRow(fields, parsers, paths);
  cache.set(key, made);
  return made;
}

/**
 * The description's row as one literal (`{"id": …, "contact": {"id": …}}`), or undefined when a
 * literal cannot say it. The names are the statement's own column aliases, written into the source
 * as JSON strings, so no name can be more than a property key.
 */
function literalRow(
  fields: readonly PgField[],
  parsers: readonly Parser[],
  paths: readonly Path[],
): RowBuilder | undefined {
  // "__proto__" in a literal would set the prototype (and drop a text value): the loop defines it.
  if (fields.some((f, i) => (f.format ?? "text") !== "text" || paths[i]!.includes("__proto__"))) return undefined;
  // Top-level entries in order: a plain column, or a group of nested ones under its first name.
  const top = new Map<string, number | Map<string, number>>();
  for (const [i, path] of paths.entries()) {
    const at = top.get(path[0]);
    if (path.length === 1) {
      if (at !== undefined) return undefined;
      top.set(path[0], i);
    } else {
      if (typeof at === "number") return undefined;
      const group = at ?? new Map<string, number>();
      if (group.has(path[1])) return undefined;
      group.set(path[1], i);
      top.set(path[0], group);
    }
  }
  const value = (i: number) => `(v = f[${i}]) === null ? null : p[${i}](v)`;
  const entries = [...top].map(([name, at]) =>
    typeof at === "number"
      ? `${JSON.stringify(name)}: ${value(at)}`
      : `${JSON.stringify(name)}: { ${[...at].map(([inner, i]) => `${JSON.stringify(inner)}: ${value(i)}`).join(", ")} }`,
  );
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- made once per row description from JSON-quoted names; see the module's comment
  const make = new Function(
    "p",
    `"use strict"; return function row(f) { let v; return { ${entries.join(", ")} }; };`,
  ) as (p: readonly Parser[]) => RowBuilder;
  return make(parsers);
}

/** An own data property, whatever the key ("__proto__" included). */
const put = (o: Record<string, unknown>, key: string, value: unknown): void => {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
};

/** The same rows as `literalRow`'s, by a loop: a later column of the same name wins, as in pg. */
export function genericRow(
  fields: readonly PgField[],
  parsers: readonly Parser[],
  paths: readonly Path[] = pathsOf(fields.map((f) => f.name)),
): RowBuilder {
  const binary = fields.map((f) => f.format === "binary");
  return (values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < paths.length; i++) {
      const raw = values[i] ?? null;
      const v = raw === null ? null : parsers[i]!(binary[i] ? Buffer.from(raw) : raw);
      place(row, paths[i]!, v);
    }
    return row;
  };
}

/** Puts `value` at `path` of `row` (a later value at the same path wins). */
function place(row: Record<string, unknown>, path: Path, value: unknown): void {
  if (path.length === 1) return put(row, path[0], value);
  let inner = Object.hasOwn(row, path[0]) ? row[path[0]] : undefined;
  if (typeof inner !== "object" || inner === null) put(row, path[0], (inner = {}));
  put(inner as Record<string, unknown>, path[1], value);
}

/**
 * A row read elsewhere with the same aliases (Prisma's `$queryRaw` gives them as flat keys), in
 * the shape `rowBuilder` gives: the same paths, the values as they are.
 */
export function nestedRow(flat: Record<string, unknown>): Record<string, unknown> {
  const names = Object.keys(flat);
  const row: Record<string, unknown> = {};
  for (const [i, path] of pathsOf(names).entries()) place(row, path, flat[names[i]!]);
  return row;
}
