import pg from "pg";

import { describe, expect, it } from "@atrium/test-kit";

import { COMPILED_MAX, genericRow, nestedRow, rowBuilder, type PgField, type TypeSource } from "../rows.ts";
import { withFastTimestamps } from "../timestamps.ts";

// Type oids (pg_type): the ones the product's reads return.
const UUID = 2950,
  TEXT = 25,
  TIMESTAMPTZ = 1184,
  INT8 = 20,
  INT4 = 23,
  BOOL = 16,
  JSONB = 3802,
  TEXT_ARRAY = 1009,
  NUMERIC = 1700;
const field = (name: string, dataTypeID: number, format = "text"): PgField => ({ name, dataTypeID, format });

/** pg's own row (its Result, as pg.Client builds rows), then "a.b" moved into `a` — what the builders must give. */
function pgRow(
  fields: readonly PgField[],
  values: readonly (string | null)[],
  types: TypeSource,
): Record<string, unknown> {
  const Result = (
    pg as unknown as {
      Result: new (
        rowMode: undefined,
        types: unknown,
      ) => { addFields(f: unknown[]): void; parseRow(v: unknown[]): Record<string, unknown> };
    }
  ).Result;
  const result = new Result(undefined, types);
  result.addFields(fields as unknown[]);
  const flat = result.parseRow(values as unknown[]);
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const dot = key.indexOf(".");
    if (dot > 0) ((row[key.slice(0, dot)] ??= {}) as Record<string, unknown>)[key.slice(dot + 1)] = value;
    else row[key] = value;
  }
  return row;
}

/** pg's own flat row, with "a.b" moved into `a` only where `a` is no column of its own. */
function pgFlatThenNested(fields: readonly PgField[], values: readonly (string | null)[]): Record<string, unknown> {
  const Result = (
    pg as unknown as {
      Result: new (
        rowMode: undefined,
        types: unknown,
      ) => { addFields(f: unknown[]): void; parseRow(v: unknown[]): Record<string, unknown> };
    }
  ).Result;
  const result = new Result(undefined, pg.types);
  result.addFields(fields as unknown[]);
  const flat = result.parseRow(values as unknown[]);
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const dot = key.indexOf(".");
    const head = key.slice(0, dot);
    if (dot > 0 && !fields.some((f) => f.name === head))
      ((row[head] ??= {}) as Record<string, unknown>)[key.slice(dot + 1)] = value;
    else row[key] = value;
  }
  return row;
}

const LEAD: PgField[] = [
  field("id", UUID),
  field("createdAt", TIMESTAMPTZ),
  field("name", TEXT),
  field("score", INT4),
  field("qualified", BOOL),
  field("answers", JSONB),
  field("tags", TEXT_ARRAY),
  field("budget", NUMERIC),
  field("seq", INT8),
  field("contact.id", UUID),
  field("contact.createdAt", TIMESTAMPTZ),
  field("contact.tags", TEXT_ARRAY),
  field("contact.email", TEXT),
];
const LEAD_VALUES = [
  "0b6a3c1e-6f0a-4d39-9a43-3c4f1f0b2a11",
  "2026-11-24 15:20:16.123456+00",
  'Ada "Lovelace"',
  "42",
  "t",
  '{"q1": ["yes", 2], "nested": {"x": null}}',
  '{vip,"two words","with \\"quote\\""}',
  "12345.670",
  "9007199254740993",
  "5d2f1a7e-0c1b-4f3e-8a9d-1b2c3d4e5f60",
  "2026-01-02 03:04:05+00",
  "{}",
  null,
];

describe("rowBuilder", () => {
  const types = withFastTimestamps(pg.types);

  it("builds the row pg builds, with each 'a.b' alias inside `a`", () => {
    const row = rowBuilder(LEAD, types)(LEAD_VALUES);
    expect(row).toEqual(pgRow(LEAD, LEAD_VALUES, types));
    expect(row.contact).toEqual({
      id: "5d2f1a7e-0c1b-4f3e-8a9d-1b2c3d4e5f60",
      createdAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
      tags: [],
      email: null,
    });
    expect(row.createdAt).toEqual(new Date(Date.UTC(2026, 10, 24, 15, 20, 16, 123)));
    expect(row.seq).toBe("9007199254740993"); // int8 stays text, as pg leaves it
    expect(Object.keys(row)).toEqual([
      "id",
      "createdAt",
      "name",
      "score",
      "qualified",
      "answers",
      "tags",
      "budget",
      "seq",
      "contact",
    ]);
  });

  it("gives every row of a description one builder, made once per description and parser set", () => {
    const build = rowBuilder(LEAD, types);
    expect(
      rowBuilder(
        LEAD.map((f) => ({ ...f })),
        types,
      ),
    ).toBe(build);
    // Another type for one column is another description; another parser set, another builder.
    expect(
      rowBuilder(
        LEAD.map((f) => (f.name === "seq" ? field("seq", INT4) : f)),
        types,
      ),
    ).not.toBe(build);
    expect(rowBuilder(LEAD, pg.types)).not.toBe(build);
    expect(rowBuilder(LEAD, pg.types)(LEAD_VALUES)).toEqual(pgRow(LEAD, LEAD_VALUES, pg.types));
  });

  it("uses a column's name only as a property key, whatever characters it has", () => {
    const names = ['x"}; globalThis["pwned"] = 1; ({"', "back\\slash", "new\nline", 'contact.a"b`${1}`', "constructor"];
    const fields = names.map((n) => field(n, TEXT));
    const values = names.map((_, i) => `v${i}`);
    const build = rowBuilder(fields, types);
    expect(rowBuilder(fields, types), "made as a literal (only those are cached)").toBe(build);
    const row = build(values);
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
    expect(Object.keys(row)).toEqual([names[0], "back\\slash", "new\nline", "contact", "constructor"]);
    expect(Object.values(row)).toEqual(["v0", "v1", "v2", { 'a"b`${1}`': "v3" }, "v4"]);
  });

  it("keeps a column named __proto__ as a column (a literal would set the prototype with it)", () => {
    const fields = [field("__proto__", TEXT), field("contact.__proto__", TEXT), field("id", TEXT)];
    const row = rowBuilder(fields, types)(["p", "q", "i"]);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(row, "__proto__")?.value).toBe("p");
    expect(Object.getOwnPropertyDescriptor(row.contact, "__proto__")?.value).toBe("q");
    expect(row.id).toBe("i");
  });

  it("reads a name twice as pg does (the later column wins), and keeps 'a.b' flat when 'a' is a column too", () => {
    const twice = [field("id", TEXT), field("id", INT4)];
    expect(rowBuilder(twice, types)(["a", "7"])).toEqual({ id: 7 });
    // Nothing dropped: "contact" and "x" are columns, so "contact.id" and "x.y" stay keys of their own.
    const both = [
      field("contact", TEXT),
      field("contact.id", TEXT),
      field("x.y", TEXT),
      field("x", TEXT),
      field("k.v", TEXT),
    ];
    const values = ["c", "1", "2", "3", "4"];
    const expected = { contact: "c", "contact.id": "1", "x.y": "2", x: "3", k: { v: "4" } };
    expect(rowBuilder(both, types)(values)).toEqual(expected);
    expect(
      genericRow(
        both,
        both.map((f) => types.getTypeParser(f.dataTypeID) as (v: string | Buffer) => unknown),
      )(values),
    ).toEqual(expected);
    expect(rowBuilder(both, types)(values)).toEqual(pgFlatThenNested(both, values));
  });

  it("past the cache's bound builds the same rows with the loop, compiling nothing", () => {
    const own = withFastTimestamps(pg.types); // a parser set of its own: an empty cache
    const many = Array.from({ length: COMPILED_MAX + 20 }, (_, i) => [field(`c${i}`, INT4), field("contact.id", TEXT)]);
    const built = many.map((fields, i) => {
      const build = rowBuilder(fields, own);
      expect(build([String(i), null])).toEqual({ [`c${i}`]: i, contact: { id: null } });
      return build;
    });
    // The first COMPILED_MAX are compiled literals ("row") and cached; the rest are loops, made each time.
    expect(built.slice(0, COMPILED_MAX).every((b) => b.name === "row")).toBe(true);
    expect(rowBuilder(many[0]!, own)).toBe(built[0]);
    expect(built.slice(COMPILED_MAX).some((b) => b.name === "row")).toBe(false);
    expect(rowBuilder(many.at(-1)!, own)).not.toBe(built.at(-1));
  });

  it("caches the loop for a description the literal cannot say (the settings statement's repeated set_config)", () => {
    const settings = [field("set_config", TEXT), field("set_config", TEXT), field("v", INT4)];
    const build = rowBuilder(settings, types);
    expect(build.name).not.toBe("row");
    expect(rowBuilder(settings, types)).toBe(build);
    expect(build(["a", "b", "0"])).toEqual({ set_config: "b", v: 0 });
  });

  it("nests a flat row read elsewhere (Prisma's $queryRaw) by the same paths, values as they are", () => {
    const at = new Date(0);
    expect(
      nestedRow({ id: "l", createdAt: at, "contact.id": "c", "contact.tags": ["vip"], x: "3", "x.y": "2" }),
    ).toEqual({ id: "l", createdAt: at, contact: { id: "c", tags: ["vip"] }, x: "3", "x.y": "2" });
  });

  it("hands a binary column's bytes to its parser as a Buffer", () => {
    const seen: unknown[] = [];
    const binaryTypes: TypeSource = {
      getTypeParser: (_oid, format) =>
        format === "binary" ? (v: unknown) => (seen.push(v), "bin") : (v: unknown) => v,
    };
    const row = rowBuilder([field("b", 17, "binary"), field("t", TEXT)], binaryTypes)(["\u0001\u0002", "t"]);
    expect(row).toEqual({ b: "bin", t: "t" });
    expect(Buffer.isBuffer(seen[0])).toBe(true);
  });
});
