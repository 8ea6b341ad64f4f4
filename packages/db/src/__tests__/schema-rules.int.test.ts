// The tenancy rules of ARCHITECTURE "Tenancy" §1–3, checked on a freshly migrated database from
// its catalogs, one test per tenant table. Tenant tables are discovered (any table with a
// `workspace_id` column), so a table added later is checked without editing this file.
import pg from "pg";

import { afterAll, describe, expect, it } from "@atrium/test-kit";

import { freshTestDatabase, type TestDatabase } from "../testing.ts";

/**
 * Platform tables that carry a `workspace_id` only as a reference (not workspace-scoped data).
 * They are exempt from the tenant rules because the app role has no privilege on them at all,
 * which is asserted below; anything else with a `workspace_id` column is a tenant table.
 */
const PLATFORM_TABLES_WITH_WORKSPACE_REF: Record<string, string> = {
  platform_audit_events: "platform-scoped trail; workspace_id is nullable and may name a deleted workspace",
  session_workspace_activity:
    "identity data keyed by session (idle timeout per session and workspace); read only by the system client",
  sso_sign_ins:
    "single sign-on in flight (state, nonce, PKCE verifier), keyed by the state's hash; read only by the system client",
};

/**
 * Non-PK indexes on tenant tables that may be led by another column, with the reason. Each
 * must exist (a stale entry fails) and the list is the only leeway the "led by workspace_id"
 * rule has. Citus allows non-unique indexes without the distribution column.
 */
const INDEXES_NOT_LED_BY_WORKSPACE: Record<string, string> = {
  memberships_user_id_idx: "the user context (app.user_id) lists one user's memberships across workspaces",
  sso_domains_domain_idx:
    "single sign-on routes an e-mail's domain to its workspace before any tenant context (issue 49)",
  // Issue 47 (decision 0032): inbox search. A trigram GIN index cannot lead with a uuid column
  // without btree_gin; RLS and the query's workspace_id condition still restrict every match.
  messages_body_trgm_idx: "inbox search over message text (pg_trgm)",
  contacts_name_trgm_idx: "inbox and contacts search over contact names (pg_trgm)",
  leads_name_trgm_idx: "the command palette's search over lead names (pg_trgm)",
};

/** Tenant tables with one row per workspace, whose primary key is the workspace id alone (with the reason). */
const ONE_ROW_PER_WORKSPACE: Record<string, string> = {
  audit_chain_heads: "where the workspace's audit hash chain stands: one head per workspace (issue 50)",
};

interface IndexRow {
  table: string;
  name: string;
  unique: boolean;
  primary: boolean;
  keys: string[];
}
interface FkRow {
  table: string;
  name: string;
  columns: string[];
  ref_table: string;
  ref_columns: string[];
}
interface PolicyRow {
  tablename: string;
  policyname: string;
  qual: string | null;
  with_check: string | null;
}

const NULLIF_WORKSPACE =
  /\(\s*SELECT\s+\(?NULLIF\(current_setting\('app\.workspace_id'(::text)?,\s*true\),\s*''(::text)?\)\)?::uuid/i;

const TENANT_DISCOVERY = `SELECT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables t USING (table_schema, table_name)
   WHERE c.table_schema = 'public' AND c.column_name = 'workspace_id' AND t.table_type = 'BASE TABLE'
   ORDER BY 1`;

// Everything is read at collection time: the per-table tests (describe.each) need the list.
const db: TestDatabase = await freshTestDatabase();
const client = new pg.Client({ connectionString: db.ownerUrl });
await client.connect();

async function q<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await client.query<T>(sql, params)).rows;
}

const withWorkspaceId = (await q<{ table_name: string }>(TENANT_DISCOVERY)).map((r) => r.table_name);
const tenantTables = withWorkspaceId.filter((t) => !(t in PLATFORM_TABLES_WITH_WORKSPACE_REF));

const columns = new Map<string, { data_type: string; is_nullable: string }>();
for (const r of await q<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
  `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public'`,
)) {
  columns.set(`${r.table_name}.${r.column_name}`, { data_type: r.data_type, is_nullable: r.is_nullable });
}

const indexes = await q<IndexRow>(
  `SELECT t.relname AS table, ic.relname AS name, i.indisunique AS unique, i.indisprimary AS primary,
          ARRAY(SELECT coalesce(a.attname::text, '(expression)')
                  FROM generate_series(1, i.indnkeyatts) AS k(n)
                  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.n - 1] AND i.indkey[k.n - 1] <> 0
                 ORDER BY k.n)::text[] AS keys
     FROM pg_index i
     JOIN pg_class t ON t.oid = i.indrelid
     JOIN pg_class ic ON ic.oid = i.indexrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = 'public'`,
);

const fks = await q<FkRow>(
  `SELECT t.relname AS table, c.conname AS name, r.relname AS ref_table,
          ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns,
          ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS ref_columns
     FROM pg_constraint c
     JOIN pg_class t ON t.oid = c.conrelid
     JOIN pg_class r ON r.oid = c.confrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE c.contype = 'f' AND n.nspname = 'public'`,
);

const policies = await q<PolicyRow>(
  `SELECT tablename, policyname, qual, with_check FROM pg_policies WHERE schemaname = 'public'`,
);

const rls = new Map<string, { relrowsecurity: boolean; relforcerowsecurity: boolean }>();
for (const r of await q<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
  `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
)) {
  rls.set(r.relname, { relrowsecurity: r.relrowsecurity, relforcerowsecurity: r.relforcerowsecurity });
}

afterAll(async () => {
  await client.end();
  await db.drop();
});

describe("tenant table discovery", () => {
  it("finds the tenant tables: a non-empty list with at least memberships and audit_events", () => {
    expect(tenantTables.length).toBeGreaterThan(0);
    expect(tenantTables).toEqual(expect.arrayContaining(["memberships", "audit_events"]));
  });

  it("exempts only the listed platform tables from the tenant rules", () => {
    expect(withWorkspaceId.filter((t) => !tenantTables.includes(t))).toEqual(
      Object.keys(PLATFORM_TABLES_WITH_WORKSPACE_REF),
    );
  });

  it.each(Object.keys(PLATFORM_TABLES_WITH_WORKSPACE_REF))(
    "exempt platform table %s exists and the app role can at most append to it",
    async (table) => {
      expect(rls.has(table)).toBe(true);
      // Append-only: the app role records workspace deletions here in the deleting transaction,
      // but can never read, change or remove platform audit history.
      const privs = await q<{ any: boolean }>(
        `SELECT has_table_privilege('atrium_app', $1::regclass, 'SELECT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
              OR has_any_column_privilege('atrium_app', $1::regclass, 'SELECT, UPDATE, REFERENCES') AS any`,
        [table],
      );
      expect(privs[0]!.any).toBe(false);
    },
  );

  it("every index exempt from the 'led by workspace_id' rule exists on a tenant table", () => {
    for (const name of Object.keys(INDEXES_NOT_LED_BY_WORKSPACE)) {
      const idx = indexes.find((i) => i.name === name);
      expect(idx, name).toBeDefined();
      expect(tenantTables, name).toContain(idx!.table);
      expect(idx!.unique, `${name} must not be unique`).toBe(false);
    }
  });
});

describe.each(tenantTables)("tenant table %s", (table) => {
  it("has workspace_id uuid NOT NULL", () => {
    expect(columns.get(`${table}.workspace_id`)).toEqual({ data_type: "uuid", is_nullable: "NO" });
  });

  it("has a primary key led by workspace_id", () => {
    const pk = indexes.filter((i) => i.table === table && i.primary);
    expect(pk).toHaveLength(1);
    expect(pk[0]!.keys[0]).toBe("workspace_id");
    if (ONE_ROW_PER_WORKSPACE[table]) expect(pk[0]!.keys).toEqual(["workspace_id"]);
    else expect(pk[0]!.keys.length).toBeGreaterThan(1);
  });

  it("includes workspace_id in every unique index or constraint", () => {
    const uniques = indexes.filter((i) => i.table === table && i.unique);
    expect(uniques.length).toBeGreaterThan(0); // at least the PK
    for (const u of uniques) expect(u.keys, u.name).toContain("workspace_id");
  });

  it("leads every other index with workspace_id", () => {
    const offenders = indexes
      .filter(
        (i) =>
          i.table === table && !i.primary && i.keys[0] !== "workspace_id" && !(i.name in INDEXES_NOT_LED_BY_WORKSPACE),
      )
      .map((i) => `${i.name} (${i.keys.join(", ")})`);
    expect(offenders).toEqual([]);
  });

  it("references workspaces through workspace_id", () => {
    const toWorkspaces = fks.filter((f) => f.table === table && f.ref_table === "workspaces");
    expect(toWorkspaces.length).toBeGreaterThan(0);
    for (const f of toWorkspaces) {
      expect({ columns: f.columns, ref_columns: f.ref_columns }, f.name).toEqual({
        columns: ["workspace_id"],
        ref_columns: ["id"],
      });
    }
  });

  it("uses composite foreign keys (workspace_id in both column lists, paired) to other tenant tables", () => {
    for (const f of fks.filter((f) => f.table === table && tenantTables.includes(f.ref_table))) {
      const i = f.columns.indexOf("workspace_id");
      expect(i, `${f.name}: workspace_id in its columns`).toBeGreaterThanOrEqual(0);
      expect(f.ref_columns[i], `${f.name}: workspace_id paired with ${f.ref_table}.workspace_id`).toBe("workspace_id");
      expect(f.columns.length, `${f.name}: composite`).toBeGreaterThan(1);
    }
  });

  it("has row-level security enabled and forced", () => {
    expect(rls.get(table)).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
  });

  it("has policies, each of whose expressions compares with nullif(current_setting('app.workspace_id', true), '')", () => {
    const own = policies.filter((p) => p.tablename === table);
    expect(own.length).toBeGreaterThan(0);
    for (const p of own) {
      const exprs = [p.qual, p.with_check].filter((e): e is string => e !== null);
      expect(exprs.length, p.policyname).toBeGreaterThan(0);
      for (const e of exprs) {
        expect(e, p.policyname).toContain("app.workspace_id");
        expect(e, p.policyname).toMatch(NULLIF_WORKSPACE);
      }
    }
  });
});

describe("cross-workspace tables and roles", () => {
  it.each(["workspaces", "memberships", "users"])(
    "%s has RLS enabled and forced, with at least one policy",
    (table) => {
      expect(rls.get(table)).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
      expect(policies.filter((p) => p.tablename === table).length).toBeGreaterThan(0);
    },
  );

  it("policies read the tenant settings only through the fail-closed nullif(current_setting(..., true), '') form", () => {
    expect(policies.length).toBeGreaterThan(0);
    for (const p of policies) {
      for (const e of [p.qual, p.with_check]) {
        if (e === null) continue;
        const reads = e.match(/current_setting\([^)]*\)/g) ?? [];
        expect(reads.length, p.policyname).toBeGreaterThan(0);
        for (const r of reads)
          expect(r, p.policyname).toMatch(/^current_setting\('app\.(workspace_id|user_id)'(::text)?, true\)$/);
        const bare = e.replace(/NULLIF\(current_setting\([^)]*\),\s*''(::text)?\)/gi, "");
        expect(bare, `${p.policyname}: current_setting outside nullif`).not.toContain("current_setting");
      }
    }
  });

  it("atrium_app exists without superuser, BYPASSRLS, CREATEROLE or CREATEDB", async () => {
    const r = await q(
      `SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolcanlogin FROM pg_roles WHERE rolname = 'atrium_app'`,
    );
    expect(r).toEqual([
      { rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false, rolcanlogin: true },
    ]);
  });

  it("atrium_app owns nothing: no table, relation, type, function or schema", async () => {
    const tables = await q(`SELECT tablename FROM pg_tables WHERE tableowner = 'atrium_app'`);
    expect(tables).toEqual([]);
    const owned = await q(
      `SELECT 'rel' AS kind, relname::text AS name FROM pg_class WHERE relowner = 'atrium_app'::regrole
       UNION ALL SELECT 'type', typname::text FROM pg_type WHERE typowner = 'atrium_app'::regrole
       UNION ALL SELECT 'proc', proname::text FROM pg_proc WHERE proowner = 'atrium_app'::regrole
       UNION ALL SELECT 'schema', nspname::text FROM pg_namespace WHERE nspowner = 'atrium_app'::regrole`,
    );
    expect(owned).toEqual([]);
    // Sanity: the same query does find the owner's tables.
    const ownerTables = await q(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user`,
    );
    expect(ownerTables.length).toBeGreaterThan(0);
  });

  it("atrium_app cannot create objects in the public schema", async () => {
    const r = await q<{ create: boolean }>(`SELECT has_schema_privilege('atrium_app', 'public', 'CREATE') AS create`);
    expect(r[0]!.create).toBe(false);
  });
});
