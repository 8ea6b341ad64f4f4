// Drift: the migrated database (SQL migrations are the source of truth) must describe exactly
// what prisma/schema.prisma declares: tables, columns (type, nullability, presence of a
// default), enums, primary keys, unique and non-unique indexes (columns, order, DESC), foreign
// keys (columns and target; not actions: the SQL's ON DELETE SET NULL (col) has no Prisma form).
// schema.prisma is read by Prisma's own parser (getDMMF, the WASM engine `prisma generate` uses).
import { readFile } from "node:fs/promises";
import pg from "pg";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { freshTestDatabase, type TestDatabase } from "../testing.ts";
import { readDmmf, SCHEMA_PATH, type Dmmf } from "./schema-dmmf.ts";

/** Tables in the database that schema.prisma does not model, on purpose. */
const IGNORED_TABLES = new Set(["_prisma_migrations"]);

/**
 * Indexes schema.prisma cannot declare (an expression), by name, with the index they must be in
 * the database exactly (a stale or changed entry fails).
 */
const EXPRESSION_INDEXES: Record<string, string> = {
  // Contacts search: an e-mail whose domain starts with the term (migration 20261129010000).
  contacts_email_domain_idx: "contacts btree (workspace_id, (split_part(email, '@'::text, '-1'::integer)))",
  // Phone search: a number that ends with the typed digits (migration 20261129020000).
  contacts_phone_suffix_idx: "contacts btree (workspace_id, (reverse(phone)))",
  leads_phone_suffix_idx: "leads btree (workspace_id, (reverse(phone)))",
};

type Model = Dmmf["datamodel"]["models"][number];
type Field = Model["fields"][number];

/** One side of the comparison, in database terms. */
interface SchemaShape {
  tables: string[];
  /** "table.column" → "type NOT NULL|NULL DEFAULT|-" */
  columns: Map<string, { type: string; notNull: boolean; hasDefault: boolean }>;
  enums: Map<string, string[]>;
  /** table → PK columns in order */
  primaryKeys: Map<string, string[]>;
  /** e.g. "audit_events btree (workspace_id, created_at DESC, id DESC)", UNIQUE prefixed for unique ones */
  indexes: string[];
  /** e.g. "audit_events (workspace_id, actor_membership_id) -> memberships (workspace_id, id)" */
  foreignKeys: string[];
  /** EXPRESSION_INDEXES found in the database (empty on the schema.prisma side): name → index */
  expressionIndexes: Map<string, string>;
}

// ------------------------------------------------------------------------- schema.prisma side

function nativeType(field: Field): string {
  const [name, args] = (field.nativeType as [string, string[]] | null | undefined) ?? [null, []];
  const p = args.length ? `(${args.join(",")})` : "";
  switch (field.type) {
    case "String":
      if (name === null || name === "Text") return "text";
      if (name === "Uuid") return "uuid";
      if (name === "VarChar") return `character varying${p}`;
      if (name === "Char") return `character${p}`;
      if (name === "Citext") return "citext";
      if (name === "Inet") return "inet";
      break;
    case "Int":
      if (name === null || name === "Integer") return "integer";
      if (name === "SmallInt") return "smallint";
      break;
    case "BigInt":
      if (name === null || name === "BigInt") return "bigint";
      break;
    case "Float":
      if (name === null || name === "DoublePrecision") return "double precision";
      if (name === "Real") return "real";
      break;
    case "Decimal":
      if (name === null) return "numeric(65,30)";
      if (name === "Decimal") return `numeric${p}`;
      break;
    case "Boolean":
      if (name === null || name === "Boolean") return "boolean";
      break;
    case "DateTime": {
      const precision = args[0] ? `(${args[0]})` : ""; // bare @db.Timestamptz is PostgreSQL's default (6)
      if (name === null) return "timestamp(3) without time zone";
      if (name === "Timestamptz") return `timestamp${precision} with time zone`;
      if (name === "Timestamp") return `timestamp${precision} without time zone`;
      if (name === "Date") return "date";
      break;
    }
    case "Json":
      if (name === null || name === "JsonB") return "jsonb";
      if (name === "Json") return "json";
      break;
    case "Bytes":
      if (name === null || name === "ByteA") return "bytea";
      break;
  }
  // Extend the mapping rather than let an unknown type compare as equal.
  throw new Error(`drift test: no PostgreSQL type known for ${field.name} ${field.type} @db.${name ?? "-"}`);
}

/** Index name → predicate, for partial indexes (`where: raw("…")`): the DMMF leaves the predicate out. */
function partialIndexPredicates(source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of source.matchAll(
    /@@(?:unique|index)\(\[[^\]]*\][^\n]*?map:\s*"([^"]+)"[^\n]*?where:\s*raw\("([^"]*)"\)/g,
  ))
    out.set(m[1]!, m[2]!);
  return out;
}

/** Parentheses and case do not matter in a predicate: `((a IS NULL) AND (b IS NULL))` = `a IS NULL AND b IS NULL`. */
const normalisePredicate = (sql: string) => sql.replace(/[()]/g, " ").replace(/\s+/g, " ").trim().toLowerCase();

function fromPrisma(dmmf: Dmmf, predicates = new Map<string, string>()): SchemaShape {
  const { models, enums, indexes } = dmmf.datamodel;
  const enumDbName = new Map(enums.map((e) => [e.name, e.dbName ?? e.name]));
  const tableOf = new Map(models.map((m) => [m.name, m.dbName ?? m.name]));
  const modelOf = new Map(models.map((m) => [m.name, m]));
  const col = (model: Model, fieldName: string): string => {
    const f = model.fields.find((x) => x.name === fieldName);
    if (!f) throw new Error(`drift test: ${model.name}.${fieldName} not found`);
    return f.dbName ?? f.name;
  };

  const shape: SchemaShape = {
    tables: [],
    columns: new Map(),
    enums: new Map(),
    primaryKeys: new Map(),
    indexes: [],
    foreignKeys: [],
    expressionIndexes: new Map(),
  };
  for (const e of enums)
    shape.enums.set(
      e.dbName ?? e.name,
      e.values.map((v) => v.dbName ?? v.name),
    );

  for (const m of models) {
    const table = tableOf.get(m.name)!;
    shape.tables.push(table);
    for (const f of m.fields) {
      if (f.kind === "object") {
        if (f.relationFromFields?.length) {
          const target = modelOf.get(f.type)!;
          const from = f.relationFromFields.map((n) => col(m, n));
          const to = (f.relationToFields ?? []).map((n) => col(target, n));
          shape.foreignKeys.push(`${table} (${from.join(", ")}) -> ${tableOf.get(f.type)!} (${to.join(", ")})`);
        }
        continue;
      }
      let type: string;
      if (f.kind === "enum") type = enumDbName.get(f.type)!;
      else if (f.kind === "scalar") type = nativeType(f);
      else throw new Error(`drift test: unsupported field kind ${f.kind} (${m.name}.${f.name})`);
      if (f.isList) type += "[]";
      shape.columns.set(`${table}.${f.dbName ?? f.name}`, {
        type,
        notNull: f.isRequired,
        hasDefault: f.hasDefaultValue,
      });
    }
  }

  for (const idx of indexes) {
    const model = modelOf.get(idx.model)!;
    const table = tableOf.get(idx.model)!;
    const cols = idx.fields.map((f) => col(model, f.name) + (f.sortOrder === "desc" ? " DESC" : ""));
    if (idx.type === "id") {
      shape.primaryKeys.set(
        table,
        idx.fields.map((f) => col(model, f.name)),
      );
    } else if (idx.type === "unique" || idx.type === "normal") {
      const method = (idx.algorithm ?? "BTree").toLowerCase();
      const predicate = idx.dbName ? predicates.get(idx.dbName) : undefined;
      const where = predicate ? ` WHERE ${normalisePredicate(predicate)}` : "";
      shape.indexes.push(`${idx.type === "unique" ? "UNIQUE " : ""}${table} ${method} (${cols.join(", ")})${where}`);
    } else {
      throw new Error(`drift test: unsupported index type ${idx.type} on ${idx.model}`);
    }
  }
  return shape;
}

async function prismaShape(source?: string): Promise<SchemaShape> {
  const { dmmf, text } = await readDmmf(source);
  return fromPrisma(dmmf, partialIndexPredicates(text));
}

// ------------------------------------------------------------------------- database side

async function databaseShape(url: string): Promise<SchemaShape> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const rows = async <T extends pg.QueryResultRow>(sql: string) => (await c.query<T>(sql)).rows;
    const shape: SchemaShape = {
      tables: [],
      columns: new Map(),
      enums: new Map(),
      primaryKeys: new Map(),
      indexes: [],
      foreignKeys: [],
      expressionIndexes: new Map(),
    };
    const ignored = [...IGNORED_TABLES];

    shape.tables = (
      await rows<{ name: string }>(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
      )
    )
      .map((r) => r.name)
      .filter((t) => !ignored.includes(t));
    const tables = new Set(shape.tables);

    for (const r of await rows<{
      table: string;
      column: string;
      type: string;
      not_null: boolean;
      has_default: boolean;
    }>(
      `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
              (a.atthasdef OR a.attidentity <> '') AS has_default
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`,
    )) {
      if (!tables.has(r.table)) continue;
      shape.columns.set(`${r.table}.${r.column}`, { type: r.type, notNull: r.not_null, hasDefault: r.has_default });
    }

    for (const r of await rows<{ name: string; labels: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder)::text[] AS labels
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' GROUP BY t.typname`,
    )) {
      shape.enums.set(r.name, r.labels);
    }

    for (const r of await rows<{
      table: string;
      primary: boolean;
      unique: boolean;
      method: string;
      keys: string[];
      extra: string | null;
      predicate: string | null;
      name: string;
    }>(
      `SELECT t.relname AS table, ic.relname AS name, i.indisprimary AS primary, i.indisunique AS unique, am.amname AS method,
              ARRAY(SELECT coalesce(a.attname::text, '(' || pg_get_indexdef(i.indexrelid, k.n::int, true) || ')')
                           || CASE WHEN (i.indoption[k.n - 1] & 1) = 1 THEN ' DESC' ELSE '' END
                      FROM generate_series(1, i.indnkeyatts) AS k(n)
                      LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.n - 1] AND i.indkey[k.n - 1] <> 0
                     ORDER BY k.n)::text[] AS keys,
              concat_ws(' ',
                CASE WHEN i.indnatts > i.indnkeyatts THEN 'INCLUDE(...)' END,
                CASE WHEN i.indnullsnotdistinct THEN 'NULLS NOT DISTINCT' END) AS extra,
              pg_get_expr(i.indpred, i.indrelid) AS predicate
         FROM pg_index i
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_am am ON am.oid = ic.relam
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public'`,
    )) {
      if (!tables.has(r.table)) continue;
      if (r.name in EXPRESSION_INDEXES) {
        shape.expressionIndexes.set(r.name, `${r.table} ${r.method} (${r.keys.join(", ")})`);
        continue;
      }
      if (r.primary) {
        shape.primaryKeys.set(r.table, r.keys);
      } else {
        const extra = (r.extra ? ` ${r.extra}` : "") + (r.predicate ? ` WHERE ${normalisePredicate(r.predicate)}` : "");
        shape.indexes.push(`${r.unique ? "UNIQUE " : ""}${r.table} ${r.method} (${r.keys.join(", ")})${extra}`);
      }
    }

    for (const r of await rows<{ table: string; ref_table: string; columns: string[]; ref_columns: string[] }>(
      `SELECT t.relname AS table, rt.relname AS ref_table,
              ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns,
              ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS ref_columns
         FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid
         JOIN pg_class rt ON rt.oid = c.confrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE c.contype = 'f' AND n.nspname = 'public'`,
    )) {
      if (!tables.has(r.table)) continue;
      shape.foreignKeys.push(`${r.table} (${r.columns.join(", ")}) -> ${r.ref_table} (${r.ref_columns.join(", ")})`);
    }
    return shape;
  } finally {
    await c.end();
  }
}

// ------------------------------------------------------------------------- comparison

/** Elements of `a` not matched one-for-one in `b` (multiset difference). */
function minus(a: string[], b: string[]): string[] {
  const left = [...b];
  return a.filter((x) => {
    const i = left.indexOf(x);
    if (i === -1) return true;
    left.splice(i, 1);
    return false;
  });
}

/** Human-readable differences between the migrated database and schema.prisma; empty when none. */
function diffShapes(database: SchemaShape, prisma: SchemaShape): string[] {
  const out: string[] = [];
  for (const t of minus(database.tables, prisma.tables)) out.push(`table ${t}: in the database only`);
  for (const t of minus(prisma.tables, database.tables)) out.push(`table ${t}: in schema.prisma only`);
  const common = new Set(database.tables.filter((t) => prisma.tables.includes(t)));
  const inCommon = (key: string) => common.has(key.split(".")[0]!);

  for (const [key, d] of database.columns) {
    if (!inCommon(key)) continue;
    const p = prisma.columns.get(key);
    if (!p) {
      out.push(`column ${key}: in the database only`);
      continue;
    }
    if (d.type !== p.type) out.push(`column ${key}: type ${d.type} in the database, ${p.type} in schema.prisma`);
    if (d.notNull !== p.notNull)
      out.push(
        `column ${key}: ${d.notNull ? "NOT NULL" : "nullable"} in the database, ${p.notNull ? "required" : "optional"} in schema.prisma`,
      );
    if (d.hasDefault !== p.hasDefault)
      out.push(
        `column ${key}: ${d.hasDefault ? "a default" : "no default"} in the database, ${p.hasDefault ? "a default" : "no default"} in schema.prisma`,
      );
  }
  for (const key of prisma.columns.keys()) {
    if (inCommon(key) && !database.columns.has(key)) out.push(`column ${key}: in schema.prisma only`);
  }

  for (const name of new Set([...database.enums.keys(), ...prisma.enums.keys()])) {
    const d = database.enums.get(name);
    const p = prisma.enums.get(name);
    if (!d) out.push(`enum ${name}: in schema.prisma only`);
    else if (!p) out.push(`enum ${name}: in the database only`);
    else if (d.join(",") !== p.join(","))
      out.push(`enum ${name}: values (${d.join(", ")}) in the database, (${p.join(", ")}) in schema.prisma`);
  }

  for (const t of common) {
    const d = database.primaryKeys.get(t)?.join(", ") ?? "none";
    const p = prisma.primaryKeys.get(t)?.join(", ") ?? "none";
    if (d !== p) out.push(`primary key of ${t}: (${d}) in the database, (${p}) in schema.prisma`);
  }

  const onCommon = (s: string) => common.has(s.replace(/^UNIQUE /, "").split(" ")[0]!);
  const dbIdx = database.indexes.filter(onCommon);
  const prIdx = prisma.indexes.filter(onCommon);
  for (const i of minus(dbIdx, prIdx)) out.push(`index ${i}: in the database only`);
  for (const i of minus(prIdx, dbIdx)) out.push(`index ${i}: in schema.prisma only`);

  const fkOnCommon = (s: string) => common.has(s.split(" ")[0]!);
  const dbFk = database.foreignKeys.filter(fkOnCommon);
  const prFk = prisma.foreignKeys.filter(fkOnCommon);
  for (const f of minus(dbFk, prFk)) out.push(`foreign key ${f}: in the database only`);
  for (const f of minus(prFk, dbFk)) out.push(`foreign key ${f}: in schema.prisma only`);

  return out.sort();
}

// ------------------------------------------------------------------------- tests

describe("schema.prisma vs the migrated database", () => {
  let db: TestDatabase;
  let altered: TestDatabase;
  let prisma: SchemaShape;

  beforeAll(async () => {
    [db, altered] = await Promise.all([freshTestDatabase(), freshTestDatabase()]);
    prisma = await prismaShape();
  });
  afterAll(async () => {
    await Promise.all([db?.drop(), altered?.drop()]);
  });

  it("reads schema.prisma with Prisma's parser, covering every model, enum and index", () => {
    expect(prisma.tables).toEqual(
      expect.arrayContaining(["users", "workspaces", "memberships", "audit_events", "dev_mails"]),
    );
    expect(prisma.columns.get("audit_events.created_at")).toEqual({
      type: "timestamp(3) with time zone",
      notNull: true,
      hasDefault: true,
    });
    expect(prisma.columns.get("memberships.policies")).toEqual({ type: "text[]", notNull: true, hasDefault: true });
    expect(prisma.columns.get("workspaces.channel")).toEqual({ type: "channel", notNull: true, hasDefault: false });
    expect(prisma.columns.get("audit_events.data")).toEqual({ type: "jsonb", notNull: true, hasDefault: true });
    expect(prisma.primaryKeys.get("memberships")).toEqual(["workspace_id", "id"]);
    expect(prisma.indexes).toContain("audit_events btree (workspace_id, created_at DESC, id DESC)");
    expect(prisma.indexes).toContain(
      "UNIQUE invitations btree (workspace_id, email) WHERE accepted_at is null and revoked_at is null",
    );
    expect(prisma.foreignKeys).toContain(
      "messages (workspace_id, conversation_id) -> conversations (workspace_id, id)",
    );
  });

  it("finds no difference between the migrated database and schema.prisma", async () => {
    const database = await databaseShape(db.ownerUrl);
    expect(database.tables.length).toBeGreaterThan(0);
    expect(diffShapes(database, prisma)).toEqual([]);
    // The indexes schema.prisma cannot declare are there, exactly as listed.
    expect(Object.fromEntries(database.expressionIndexes)).toEqual(EXPRESSION_INDEXES);
  });

  it("reports every kind of difference on a deliberately altered database", async () => {
    const c = new pg.Client({ connectionString: altered.ownerUrl });
    await c.connect();
    try {
      await c.query(`
        ALTER TABLE dev_mails ADD COLUMN extra int;
        CREATE TABLE zz_unmodelled (id int);
        ALTER TABLE platform_audit_events DROP COLUMN ip;
        ALTER TABLE workspaces ALTER COLUMN retention_days TYPE bigint;
        ALTER TABLE users ALTER COLUMN name DROP NOT NULL;
        ALTER TABLE sessions ALTER COLUMN last_seen_at DROP DEFAULT;
        ALTER TYPE channel ADD VALUE 'SMS';
        ALTER TABLE rate_limit_buckets DROP CONSTRAINT rate_limit_buckets_pkey, ADD PRIMARY KEY (key, reset_at);
        DROP INDEX audit_events_workspace_id_created_at_id_idx;
        CREATE INDEX audit_events_workspace_id_created_at_id_idx ON audit_events (workspace_id, created_at, id DESC);
        DROP INDEX refresh_tokens_token_hash_key;
        CREATE INDEX refresh_tokens_token_hash_key ON refresh_tokens (token_hash);
        ALTER TABLE messages DROP CONSTRAINT messages_workspace_id_conversation_id_fkey;
        ALTER TABLE email_verifications DROP CONSTRAINT email_verifications_user_id_fkey;
        ALTER TABLE email_verifications ADD CONSTRAINT ev_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL;
        DROP INDEX invitations_one_pending_per_email;
        CREATE UNIQUE INDEX invitations_one_pending_per_email ON invitations (workspace_id, email) WHERE revoked_at IS NULL;
      `);
    } finally {
      await c.end();
    }
    const diffs = diffShapes(await databaseShape(altered.ownerUrl), prisma);
    expect(diffs).toContain("column dev_mails.extra: in the database only");
    expect(diffs).toEqual(
      [
        "column dev_mails.extra: in the database only",
        "table zz_unmodelled: in the database only",
        "column platform_audit_events.ip: in schema.prisma only",
        "column workspaces.retention_days: type bigint in the database, integer in schema.prisma",
        "column users.name: nullable in the database, required in schema.prisma",
        "column sessions.last_seen_at: no default in the database, a default in schema.prisma",
        "enum channel: values (WHATSAPP, VOICE, SMS) in the database, (WHATSAPP, VOICE) in schema.prisma",
        "primary key of rate_limit_buckets: (key, reset_at) in the database, (key) in schema.prisma",
        "index audit_events btree (workspace_id, created_at, id DESC): in the database only",
        "index audit_events btree (workspace_id, created_at DESC, id DESC): in schema.prisma only",
        "index refresh_tokens btree (token_hash): in the database only",
        "index UNIQUE refresh_tokens btree (token_hash): in schema.prisma only",
        "foreign key messages (workspace_id, conversation_id) -> conversations (workspace_id, id): in schema.prisma only",
        "index UNIQUE invitations btree (workspace_id, email) WHERE revoked_at is null: in the database only",
        "index UNIQUE invitations btree (workspace_id, email) WHERE accepted_at is null and revoked_at is null: in schema.prisma only",
        // Only the action changed: actions are not compared (see the header), so no difference.
      ].sort(),
    );
  });

  it("reports a schema.prisma change against the unchanged database", async () => {
    const source = await readFile(SCHEMA_PATH, "utf8");
    const edited = source
      .replace(/(model DevMail \{\n)/, "$1  priority  Int?\n")
      .replace("@@index([resetAt])", "@@index([resetAt(sort: Desc)])")
      .replace('  @@map("dev_mails")', '  @@unique([subject])\n  @@map("dev_mails")');
    expect(edited).not.toBe(source);
    const diffs = diffShapes(await databaseShape(db.ownerUrl), await prismaShape(edited));
    expect(diffs).toEqual(
      [
        "column dev_mails.priority: in schema.prisma only",
        "index UNIQUE dev_mails btree (subject): in schema.prisma only",
        "index rate_limit_buckets btree (reset_at): in the database only",
        "index rate_limit_buckets btree (reset_at DESC): in schema.prisma only",
      ].sort(),
    );
  });
});
