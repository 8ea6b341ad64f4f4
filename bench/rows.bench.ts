// How a read's rows are built from pg's DataRow values, in one process, the two ways alternating:
//   before: pg's Result.parseRow (a null-prototype template spread, then a computed key per
//           column) and the leads module's copy of the flat row into a lead with its contact;
//   after:  @atrium/db's rowBuilder (one object literal per row description, "contact.*" as
//           the contact object).
// Each way also reads the fields GraphQL reads for the key read's document (`source[field]`,
// as graphql-js's default resolver does), since the rows' shapes decide what those reads cost.
// The values are a key-read page's: 51 leads with their contacts, with every column of both and
// with the columns the key read's document selects.
//
//   pnpm bench:rows                       # BENCH_ROUNDS=15 BENCH_PAGES=2000
//
// Also the audit log's nodes: a spread adding `data` against writing it in place, for the user
// read's document, which does not select `data`. And pg-protocol's DataRow decoding (tried and not
// kept; docs/perf/request-path-log.md): value by value against one latin1 slice per all-ASCII row.
//
// Prints a table and one JSON line: {"bench":"rows","variants":[{"columns","variant","nsPerPage","nsPerRow"}]}.
import { createRequire } from "node:module";
import pg from "pg";

import { rowBuilder, withFastTimestamps, type PgField } from "@atrium/db";

import { intEnv, median } from "./lib.ts";

const ROUNDS = intEnv("BENCH_ROUNDS", 15);
const PAGES = intEnv("BENCH_PAGES", 2000);
const ROWS = 51;

const UUID = 2950,
  TEXT = 25,
  TIMESTAMPTZ = 1184,
  TEXT_ARRAY = 1009,
  JSONB = 3802,
  ENUM = 16_385;
const lead: [string, number][] = [
  ["id", UUID],
  ["workspaceId", UUID],
  ["contactId", UUID],
  ["name", TEXT],
  ["email", TEXT],
  ["phone", TEXT],
  ["message", TEXT],
  ["source", TEXT],
  ["status", ENUM],
  ["qualificationAnswers", JSONB],
  ["apiKeyId", UUID],
  ["createdAt", TIMESTAMPTZ],
  ["updatedAt", TIMESTAMPTZ],
];
const contact: [string, number][] = [
  ["id", UUID],
  ["workspaceId", UUID],
  ["name", TEXT],
  ["email", TEXT],
  ["phone", TEXT],
  ["tags", TEXT_ARRAY],
  ["createdAt", TIMESTAMPTZ],
  ["updatedAt", TIMESTAMPTZ],
];
// Every column (a query selecting every field, or a Prisma-shaped read), and the columns the key
// read's document selects (what a list's page reads).
const KEY_READ = new Set(["id", "name", "email", "status", "createdAt", "contact.id", "contact.tags"]);
const allFields: PgField[] = [
  ...lead.map(([name, dataTypeID]) => ({ name, dataTypeID, format: "text" })),
  ...contact.map(([name, dataTypeID]) => ({ name: `contact.${name}`, dataTypeID, format: "text" })),
];
const valueOf = (oid: number, i: number, c: number): string | null => {
  switch (oid) {
    case UUID:
      return `${String(i).padStart(8, "0")}-6f0a-4d39-9a43-3c4f1f0b${String(c).padStart(4, "0")}`;
    case TIMESTAMPTZ:
      return `2026-11-${String(1 + (i % 28)).padStart(2, "0")} 15:20:${String(i % 60).padStart(2, "0")}.${String(123456 + i)}+00`;
    case TEXT_ARRAY:
      return i % 3 ? "{vip,london}" : "{}";
    case JSONB:
      return i % 2 ? '{"budget": "10k", "timeline": "Q1"}' : null;
    case ENUM:
      return "NEW";
    default:
      return c % 4 === 3 ? null : `value ${i} of column ${c}`;
  }
};
const pageOf = (fields: PgField[]) =>
  Array.from({ length: ROWS }, (_, i) => fields.map((f, c) => valueOf(f.dataTypeID, i, c)));
// The key read's document: edges { node { id name email status createdAt contact { id tags } } }.
const leadReads = ["id", "name", "email", "status", "createdAt"];
const contactReads = ["id", "tags"];

const types = withFastTimestamps(pg.types);
const PgResult = (
  pg as unknown as {
    Result: new (
      rowMode: undefined,
      types: unknown,
    ) => { addFields(f: unknown[]): void; parseRow(v: unknown[]): Record<string, unknown> };
  }
).Result;
let sink = 0;
/** What GraphQL's default resolver reads of each row. */
function read(rows: Record<string, unknown>[]): void {
  for (const row of rows) {
    for (const f of leadReads) if (row[f] !== undefined) sink++;
    const c = row.contact as Record<string, unknown>;
    for (const f of contactReads) if (c[f] !== undefined) sink++;
  }
}

function measure(fields: PgField[]) {
  const page = pageOf(fields);
  const leadFields = lead.map(([name]) => name);
  const contactKeys = contact.map(([name]) => [name, `contact.${name}`] as const);
  const selected = (r: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
  /** The code before this change: pg's Result, then the leads module's copy (every field; unselected ones undefined). */
  const before = (): Record<string, unknown>[] => {
    const result = new PgResult(undefined, types);
    result.addFields(fields);
    return page.map((values) => {
      const r = result.parseRow(values);
      const out: Record<string, unknown> = {};
      for (const f of leadFields) out[f] = r[f];
      const c: Record<string, unknown> = {};
      for (const [f, key] of contactKeys) c[f] = r[key];
      out.contact = c;
      return out;
    });
  };
  const after = (): Record<string, unknown>[] => {
    const build = rowBuilder(fields, types);
    return page.map((values) => build(values));
  };
  // Same answers first (the fields a query did not select are undefined before, absent after).
  const same = (x: Record<string, unknown>) =>
    JSON.stringify({ ...selected(x), contact: selected(x.contact as Record<string, unknown>) });
  if (before().map(same).join() !== after().map(same).join()) throw new Error("the two ways build different rows");
  return alternate(
    () => read(before()),
    () => read(after()),
  );
}

/** The median ns per page of two ways, alternating (which goes first too) over ROUNDS rounds after two warm-up rounds. */
function alternate(first: () => void, second: () => void): [number, number] {
  const times: [number[], number[]] = [[], []];
  const ways = [first, second] as const;
  for (let round = 0; round < ROUNDS + 2; round++) {
    for (const i of round % 2 ? [1, 0] : [0, 1]) {
      const t0 = process.hrtime.bigint();
      for (let p = 0; p < PAGES; p++) ways[i]!();
      if (round >= 2) times[i]!.push(Number(process.hrtime.bigint() - t0) / PAGES);
    }
  }
  return [median(times[0]), median(times[1])];
}
const variants: { columns: string; variant: string; nsPerPage: number; nsPerRow: number }[] = [];
/** Records one case's two ways (ns per page of `rows` rows) and prints them. */
function report(columns: string, rows: number, names: readonly [string, string], [x, y]: [number, number]): void {
  for (const [variant, ns] of [
    [names[0], x],
    [names[1], y],
  ] as const)
    variants.push({ columns, variant, nsPerPage: Math.round(ns), nsPerRow: Math.round(ns / rows) });
  console.error(
    `  ${columns}:  ${names[0]} ${Math.round(x)} ns/page (${Math.round(x / rows)}/row)  ${names[1]} ${Math.round(y)} ns/page (${Math.round(y / rows)}/row)  ${(x / y).toFixed(2)}×`,
  );
}

console.error(
  `rows of a ${ROWS}-row key-read page, built and read as GraphQL reads them; medians of ${ROUNDS} alternating rounds of ${PAGES} pages`,
);
for (const [columns, fields] of [
  ["all columns", allFields],
  ["key read's columns", allFields.filter((f) => KEY_READ.has(f.name))],
] as const) {
  report(`${columns} (${fields.length})`, ROWS, ["before", "after"], measure(fields));
}
// The audit log's nodes: 20 rows of the user read's columns, mapped to nodes the old way (a spread
// adding `data`) and the new way (in place, only when `data` was read).
{
  const auditFields: PgField[] = [
    { name: "id", dataTypeID: UUID },
    { name: "action", dataTypeID: TEXT },
    { name: "createdAt", dataTypeID: TIMESTAMPTZ },
  ];
  const auditPage = Array.from({ length: 20 }, (_, i) => auditFields.map((f, c) => valueOf(f.dataTypeID, i, c)));
  const build = rowBuilder(auditFields, types);
  const spread = () => auditPage.map((v) => build(v)).map((e) => ({ ...e, data: JSON.stringify(e.data) }));
  const inPlace = () =>
    auditPage
      .map((v) => build(v))
      .map((e) => {
        if (e.data !== undefined) e.data = JSON.stringify(e.data);
        return e;
      });
  const use = (nodes: Record<string, unknown>[]) => {
    for (const n of nodes) if (n.id !== undefined) sink++;
  };
  report(
    "audit nodes (20 rows, 3 columns, built then mapped)",
    20,
    ["spread", "in place"],
    alternate(
      () => use(spread()),
      () => use(inPlace()),
    ),
  );
}
// pg-protocol's DataRow decoding (tried as a pnpm patch of pg-protocol and not kept): value by
// value (pg-protocol's own way), against one latin1 slice per all-ASCII row, over the wire bytes of
// the key read's page (51 rows, 7 values each). pg's own parser must give the same values.
{
  const fields = allFields.filter((f) => KEY_READ.has(f.name));
  const page = pageOf(fields);
  const wire = Buffer.concat(
    page.map((values) => {
      const parts = values.map((v) =>
        v === null ? Buffer.from([0xff, 0xff, 0xff, 0xff]) : Buffer.concat([Buffer.alloc(4), Buffer.from(v)]),
      );
      for (const [i, v] of values.entries()) if (v !== null) parts[i]!.writeInt32BE(Buffer.byteLength(v));
      const body = Buffer.concat([Buffer.from([0, values.length]), ...parts]);
      const head = Buffer.from([0x44, 0, 0, 0, 0]);
      head.writeUInt32BE(body.length + 4, 1);
      return Buffer.concat([head, body]);
    }),
  );
  const decode = (oneSlice: boolean): (string | null)[][] => {
    const rows: (string | null)[][] = [];
    for (let at = 0; at < wire.length; ) {
      const length = wire.readUInt32BE(at + 1);
      const count = wire.readInt16BE(at + 5);
      const start = at + 7;
      const out = new Array<string | null>(count);
      let offset = start;
      let ascii = oneSlice;
      if (oneSlice) {
        for (let i = 0; i < count; i++) {
          const len = wire.readInt32BE(offset);
          offset += 4;
          if (len > 0) {
            const end = offset + len;
            if (ascii)
              for (let j = offset; j < end; j++)
                if (wire[j]! > 127) {
                  ascii = false;
                  break;
                }
            offset = end;
          }
        }
      }
      if (ascii) {
        const row = wire.toString("latin1", start, offset);
        for (let i = 0, r = 0; i < count; i++) {
          const len = wire.readInt32BE(start + r);
          r += 4;
          if (len === -1) out[i] = null;
          else {
            out[i] = row.substring(r, r + len);
            r += len;
          }
        }
      } else {
        offset = start;
        for (let i = 0; i < count; i++) {
          const len = wire.readInt32BE(offset);
          offset += 4;
          if (len === -1) out[i] = null;
          else {
            out[i] = wire.toString("utf-8", offset, offset + len);
            offset += len;
          }
        }
      }
      rows.push(out);
      at += 1 + length;
    }
    return rows;
  };
  const pgRequire = createRequire(createRequire(import.meta.url).resolve("pg"));
  const { Parser } = pgRequire("pg-protocol/dist/parser.js") as {
    Parser: new () => { parse(b: Buffer, cb: (m: { name: string; fields: (string | null)[] }) => void): void };
  };
  const real: (string | null)[][] = [];
  new Parser().parse(Buffer.from(wire), (m) => m.name === "dataRow" && real.push(m.fields));
  const expected = JSON.stringify(page);
  if (
    JSON.stringify(decode(false)) !== expected ||
    JSON.stringify(decode(true)) !== expected ||
    JSON.stringify(real) !== expected
  )
    throw new Error("the DataRow decodings disagree");
  report(
    `DataRow decode (key read, ${fields.length} values a row)`,
    ROWS,
    ["per value", "one slice"],
    alternate(
      () => void (sink += decode(false).length),
      () => void (sink += decode(true).length),
    ),
  );
}
console.error(`  (sink ${sink})`);
console.log(JSON.stringify({ bench: "rows", variants }));
