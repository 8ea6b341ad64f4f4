// Row-level tenancy on a real database, seen from the API's login role (atrium_app).
// Seed data is written by the owner role; every assertion about isolation runs as atrium_app,
// inside a transaction whose settings are transaction-local, exactly like the tenant client.
import { randomUUID } from "node:crypto";
import pg from "pg";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { freshTestDatabase, type TestDatabase } from "../testing.ts";

interface Ids {
  wsA: string;
  wsB: string;
  userA: string; // OWNER of A only
  userB: string; // OWNER of B only
  userC: string; // AGENT in both A and B
  memA: string; // userA in A
  memB: string; // userB in B
  memCA: string; // userC in A
  memCB: string; // userC in B
  eventA: string;
  eventB: string;
}

const ids: Ids = {
  wsA: randomUUID(),
  wsB: randomUUID(),
  userA: randomUUID(),
  userB: randomUUID(),
  userC: randomUUID(),
  memA: randomUUID(),
  memB: randomUUID(),
  memCA: randomUUID(),
  memCB: randomUUID(),
  eventA: randomUUID(),
  eventB: randomUUID(),
};

const TENANT_TABLES = ["workspaces", "memberships", "audit_events", "users"] as const;
const PLATFORM_TABLES = [
  "sessions",
  "refresh_tokens",
  "email_verifications",
  "dev_mails",
  "rate_limit_buckets",
  "platform_audit_events",
  "platform_settings",
  "retired_slugs",
  "totp_factors",
  "recovery_codes",
  "passkeys",
  "session_workspace_activity",
  "password_resets",
  "email_changes",
  "platform_sso_connections",
  "platform_sso_domains",
] as const;

let db: TestDatabase;
let ownerRole: string;

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await connect(url);
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** As atrium_app, in one transaction with transaction-local settings (like the tenant client); rolled back. */
async function asApp<T>(ctx: { workspaceId?: string; userId?: string }, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  return withClient(db.appUrl, async (c) => {
    await c.query("BEGIN");
    try {
      await c.query("SELECT set_config('app.workspace_id', $1, true), set_config('app.user_id', $2, true)", [
        ctx.workspaceId ?? "",
        ctx.userId ?? "",
      ]);
      return await fn(c);
    } finally {
      await c.query("ROLLBACK");
    }
  });
}

async function asOwner<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<T>> {
  return withClient(db.ownerUrl, (c) => c.query<T>(sql, params));
}

/** The id column of each tenant-visible table, as a sorted list. */
async function visibleIds(c: pg.Client, table: (typeof TENANT_TABLES)[number]): Promise<string[]> {
  const rows = (await c.query<{ id: string }>(`SELECT id FROM ${table} ORDER BY id`)).rows;
  return rows.map((r) => r.id);
}

const sorted = (xs: string[]) => [...xs].sort();

/** Which error the promise rejected with (fails the test if it resolved). */
async function pgError(p: Promise<unknown>): Promise<pg.DatabaseError> {
  const err = await p.then(
    () => {
      throw new Error("expected the statement to fail, it succeeded");
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(pg.DatabaseError);
  return err as pg.DatabaseError;
}

beforeAll(async () => {
  db = await freshTestDatabase();
  const who = await asOwner<{ u: string; bypass: boolean }>(
    "SELECT current_user AS u, (rolsuper OR rolbypassrls) AS bypass FROM pg_roles WHERE rolname = current_user",
  );
  ownerRole = who.rows[0]!.u;
  // Seeding writes two workspaces' rows in one statement batch; FORCE RLS would stop an owner
  // role that neither is superuser nor has BYPASSRLS (the embedded server's owner is superuser).
  expect(who.rows[0]!.bypass, "the owner role must bypass RLS to seed").toBe(true);
  await asOwner(
    `INSERT INTO users (id, email, name, password_hash, email_verified_at) VALUES
       ($1, 'a@example.test', 'Alice', 'hash-a', now()),
       ($2, 'b@example.test', 'Bob', 'hash-b', now()),
       ($3, 'c@example.test', 'Carol', 'hash-c', now())`,
    [ids.userA, ids.userB, ids.userC],
  );
  await asOwner(
    `INSERT INTO workspaces (id, slug, name, channel) VALUES ($1, 'alpha-ws', 'Alpha', 'WHATSAPP'), ($2, 'beta-ws', 'Beta', 'VOICE')`,
    [ids.wsA, ids.wsB],
  );
  await asOwner(
    `INSERT INTO memberships (workspace_id, id, user_id, role) VALUES
       ($1, $3, $5, 'OWNER'), ($2, $4, $6, 'OWNER'), ($1, $7, $9, 'AGENT'), ($2, $8, $9, 'AGENT')`,
    [ids.wsA, ids.wsB, ids.memA, ids.memB, ids.userA, ids.userB, ids.memCA, ids.memCB, ids.userC],
  );
  await asOwner(
    `INSERT INTO audit_events (workspace_id, id, actor_user_id, actor_membership_id, action) VALUES
       ($1, $3, $5, $7, 'workspace.create'), ($2, $4, $6, $8, 'workspace.create')`,
    [ids.wsA, ids.wsB, ids.eventA, ids.eventB, ids.userA, ids.userB, ids.memA, ids.memB],
  );
});

afterAll(async () => {
  await db?.drop();
});

describe("seed sanity (owner role sees everything)", () => {
  it("has both workspaces' rows in every tenant table", async () => {
    const counts = await asOwner<{ ws: string; m: string; e: string; u: string }>(
      `SELECT (SELECT count(*) FROM workspaces) ws, (SELECT count(*) FROM memberships) m, (SELECT count(*) FROM audit_events) e, (SELECT count(*) FROM users) u`,
    );
    expect(counts.rows[0]).toEqual({ ws: "2", m: "4", e: "2", u: "3" });
  });
});

describe("RLS without a tenant context (fail closed)", () => {
  it.each(TENANT_TABLES)("%s: no setting at all returns zero rows, without error", async (table) => {
    await withClient(db.appUrl, async (c) => {
      const s = await c.query<{ ws: string | null; u: string | null }>(
        "SELECT current_setting('app.workspace_id', true) AS ws, current_setting('app.user_id', true) AS u",
      );
      expect(s.rows[0]).toEqual({ ws: null, u: null });
      expect(await visibleIds(c, table)).toEqual([]);
    });
  });

  it.each(TENANT_TABLES)(
    "%s: an empty-string setting (session level) returns zero rows, without error",
    async (table) => {
      await withClient(db.appUrl, async (c) => {
        await c.query("SELECT set_config('app.workspace_id', '', false), set_config('app.user_id', '', false)");
        expect(await visibleIds(c, table)).toEqual([]);
      });
    },
  );

  it.each(TENANT_TABLES)(
    "%s: after a transaction-local context ends on the same connection, zero rows",
    async (table) => {
      await withClient(db.appUrl, async (c) => {
        await c.query("BEGIN");
        await c.query("SELECT set_config('app.workspace_id', $1, true), set_config('app.user_id', $2, true)", [
          ids.wsA,
          ids.userA,
        ]);
        expect((await visibleIds(c, table)).length).toBeGreaterThan(0);
        await c.query("COMMIT");
        // What a pooled connection looks like to the next request: '' rather than NULL.
        const s = await c.query<{ ws: string | null }>("SELECT current_setting('app.workspace_id', true) AS ws");
        expect(s.rows[0]!.ws).toBe("");
        expect(await visibleIds(c, table)).toEqual([]);
      });
    },
  );

  it("writes nothing without a context: INSERT is refused and UPDATE/DELETE touch no row", async () => {
    await withClient(db.appUrl, async (c) => {
      const upd = await c.query("UPDATE workspaces SET name = 'x'");
      expect(upd.rowCount).toBe(0);
      const del = await c.query("DELETE FROM memberships");
      expect(del.rowCount).toBe(0);
      const err = await pgError(c.query("INSERT INTO audit_events (workspace_id, action) VALUES ($1, 'x')", [ids.wsA]));
      expect(err.code).toBe("42501");
    });
    const still = await asOwner<{ n: string }>("SELECT count(*) AS n FROM memberships");
    expect(still.rows[0]!.n).toBe("4");
  });
});

describe("RLS inside workspace A's context", () => {
  it("shows only A's rows in every tenant table, never B's", async () => {
    await asApp({ workspaceId: ids.wsA }, async (c) => {
      expect(await visibleIds(c, "workspaces")).toEqual([ids.wsA]);
      expect(await visibleIds(c, "memberships")).toEqual(sorted([ids.memA, ids.memCA]));
      expect(await visibleIds(c, "audit_events")).toEqual([ids.eventA]);
      // Users: the members of A (Alice and Carol), not Bob who is only in B.
      expect(await visibleIds(c, "users")).toEqual(sorted([ids.userA, ids.userC]));
      const leaked = await c.query<{ n: string }>(
        `SELECT (SELECT count(*) FROM workspaces WHERE id <> $1) + (SELECT count(*) FROM memberships WHERE workspace_id <> $1)
              + (SELECT count(*) FROM audit_events WHERE workspace_id <> $1) AS n`,
        [ids.wsA],
      );
      expect(leaked.rows[0]!.n).toBe("0");
    });
  });

  it("shows only B's rows in B's context (the policy follows the setting)", async () => {
    await asApp({ workspaceId: ids.wsB }, async (c) => {
      expect(await visibleIds(c, "workspaces")).toEqual([ids.wsB]);
      expect(await visibleIds(c, "audit_events")).toEqual([ids.eventB]);
      expect(await visibleIds(c, "users")).toEqual(sorted([ids.userB, ids.userC]));
    });
  });

  it("raw SQL naming B's workspace_id or ids returns nothing", async () => {
    await asApp({ workspaceId: ids.wsA }, async (c) => {
      expect((await c.query(`SELECT * FROM audit_events WHERE workspace_id = '${ids.wsB}'`)).rows).toEqual([]);
      expect((await c.query("SELECT * FROM audit_events WHERE id = $1", [ids.eventB])).rows).toEqual([]);
      expect((await c.query("SELECT * FROM workspaces WHERE id = $1 OR slug = 'beta-ws'", [ids.wsB])).rows).toEqual([]);
      expect((await c.query("SELECT * FROM memberships WHERE workspace_id = $1", [ids.wsB])).rows).toEqual([]);
      expect(
        (await c.query("SELECT id FROM users WHERE id = $1 OR email = 'b@example.test'", [ids.userB])).rows,
      ).toEqual([]);
    });
  });

  it("accepts an audit_event for A (control) but refuses one for B (WITH CHECK)", async () => {
    await asApp({ workspaceId: ids.wsA }, async (c) => {
      const ok = await c.query("INSERT INTO audit_events (workspace_id, action) VALUES ($1, 'ok')", [ids.wsA]);
      expect(ok.rowCount).toBe(1);
    });
    const err = await asApp({ workspaceId: ids.wsA }, (c) =>
      pgError(c.query("INSERT INTO audit_events (workspace_id, action) VALUES ($1, 'forged')", [ids.wsB])),
    );
    expect(err.code).toBe("42501");
    expect(err.message).toMatch(/row-level security/);
  });

  it("refuses a membership inserted into B, or one of A's memberships moved to B", async () => {
    const insert = await asApp({ workspaceId: ids.wsA }, (c) =>
      pgError(
        c.query("INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'ADMIN')", [ids.wsB, ids.userA]),
      ),
    );
    expect(insert.code).toBe("42501");
    const move = await asApp({ workspaceId: ids.wsA }, (c) =>
      pgError(c.query("UPDATE memberships SET workspace_id = $1 WHERE id = $2", [ids.wsB, ids.memA])),
    );
    expect(move.code).toBe("42501");
  });

  it("UPDATE and DELETE of B's rows affect 0 rows (while A's own rows are writable)", async () => {
    await asApp({ workspaceId: ids.wsA }, async (c) => {
      expect((await c.query("UPDATE workspaces SET name = 'pwned' WHERE id = $1", [ids.wsB])).rowCount).toBe(0);
      expect((await c.query("UPDATE memberships SET role = 'AGENT' WHERE workspace_id = $1", [ids.wsB])).rowCount).toBe(
        0,
      );
      expect((await c.query("DELETE FROM memberships WHERE workspace_id = $1", [ids.wsB])).rowCount).toBe(0);
      expect((await c.query("DELETE FROM workspaces WHERE id = $1", [ids.wsB])).rowCount).toBe(0);
      // Control: the same statements do reach A's rows.
      expect((await c.query("UPDATE workspaces SET name = 'Alpha 2' WHERE id = $1", [ids.wsA])).rowCount).toBe(1);
      expect((await c.query("UPDATE memberships SET role = 'ADMIN' WHERE id = $1", [ids.memCA])).rowCount).toBe(1);
    });
    const b = await asOwner<{ name: string; roles: string[] }>(
      "SELECT w.name, array(SELECT role::text AS r FROM memberships WHERE workspace_id = w.id ORDER BY 1)::text[] AS roles FROM workspaces w WHERE id = $1",
      [ids.wsB],
    );
    expect(b.rows[0]).toEqual({ name: "Beta", roles: ["AGENT", "OWNER"] });
  });

  it("audit_events are append-only for the app role: UPDATE and DELETE are not granted at all", async () => {
    const upd = await asApp({ workspaceId: ids.wsA }, (c) =>
      pgError(c.query("UPDATE audit_events SET action = 'x' WHERE workspace_id = $1", [ids.wsB])),
    );
    expect(upd.code).toBe("42501");
    const del = await asApp({ workspaceId: ids.wsA }, (c) => pgError(c.query("DELETE FROM audit_events")));
    expect(del.code).toBe("42501");
    const n = await asOwner<{ n: string }>("SELECT count(*) AS n FROM audit_events");
    expect(n.rows[0]!.n).toBe("2");
  });
});

describe("RLS in a user context (app.user_id, no workspace)", () => {
  it("sees exactly the user's own memberships and the workspaces they belong to", async () => {
    await asApp({ userId: ids.userC }, async (c) => {
      expect(await visibleIds(c, "memberships")).toEqual(sorted([ids.memCA, ids.memCB]));
      expect(await visibleIds(c, "workspaces")).toEqual(sorted([ids.wsA, ids.wsB]));
      expect(await visibleIds(c, "users")).toEqual([ids.userC]);
      expect(await visibleIds(c, "audit_events")).toEqual([]);
    });
    await asApp({ userId: ids.userA }, async (c) => {
      expect(await visibleIds(c, "memberships")).toEqual([ids.memA]);
      expect(await visibleIds(c, "workspaces")).toEqual([ids.wsA]);
      expect(await visibleIds(c, "users")).toEqual([ids.userA]);
    });
  });

  it("cannot create a membership for itself in a workspace without that workspace's context", async () => {
    const err = await asApp({ userId: ids.userA }, (c) =>
      pgError(
        c.query("INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'OWNER')", [ids.wsB, ids.userA]),
      ),
    );
    expect(err.code).toBe("42501");
  });
});

describe("the app role cannot get around RLS", () => {
  it("has no superuser or BYPASSRLS attribute", async () => {
    await withClient(db.appUrl, async (c) => {
      const r = await c.query<{ current_user: string; rolsuper: boolean; rolbypassrls: boolean }>(
        "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user",
      );
      expect(r.rows).toEqual([{ current_user: "atrium_app", rolsuper: false, rolbypassrls: false }]);
    });
  });

  it.each(["workspaces", "memberships", "audit_events", "users"])(
    "cannot ALTER TABLE %s to disable or un-force RLS, nor drop its policies",
    async (table) => {
      for (const sql of [
        `ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`,
        `ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`,
        `ALTER TABLE ${table} OWNER TO atrium_app`,
      ]) {
        const err = await withClient(db.appUrl, (c) => pgError(c.query(sql)));
        expect(err.code, sql).toBe("42501");
      }
      const policies = await asOwner<{ policyname: string }>(
        "SELECT policyname FROM pg_policies WHERE tablename = $1",
        [table],
      );
      expect(policies.rows.length).toBeGreaterThan(0);
      for (const { policyname } of policies.rows) {
        const err = await withClient(db.appUrl, (c) => pgError(c.query(`DROP POLICY ${policyname} ON ${table}`)));
        expect(err.code).toBe("42501");
      }
      const flags = await asOwner<{ relrowsecurity: boolean; relforcerowsecurity: boolean }>(
        "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = $1::regclass",
        [table],
      );
      expect(flags.rows[0]).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
    },
  );

  it("SET row_security = off makes a filtered query raise an error instead of showing rows", async () => {
    const err = await asApp({ workspaceId: ids.wsA }, async (c) => {
      await c.query("SET LOCAL row_security = off");
      return pgError(c.query("SELECT id FROM audit_events"));
    });
    expect(err.code).toBe("42501");
    expect(err.message).toMatch(/row-level security policy/);
    // Without a context too: an error, never all rows.
    const noCtx = await withClient(db.appUrl, async (c) => {
      await c.query("SET row_security = off");
      return pgError(c.query("SELECT id FROM workspaces"));
    });
    expect(noCtx.code).toBe("42501");
  });

  it("cannot SET ROLE to the owner, nor change session authorization", async () => {
    const setRole = await withClient(db.appUrl, (c) => pgError(c.query(`SET ROLE "${ownerRole}"`)));
    expect(setRole.code).toBe("42501");
    const setAuth = await withClient(db.appUrl, (c) => pgError(c.query(`SET SESSION AUTHORIZATION "${ownerRole}"`)));
    expect(setAuth.code).toBe("42501");
    const member = await asOwner<{ m: boolean }>("SELECT pg_has_role('atrium_app', $1, 'MEMBER') AS m", [ownerRole]);
    expect(member.rows[0]!.m).toBe(false);
  });

  it("cannot read users.password_hash (column privilege), even for itself", async () => {
    for (const sql of ["SELECT password_hash FROM users", "SELECT * FROM users"]) {
      const err = await asApp({ userId: ids.userA, workspaceId: ids.wsA }, (c) => pgError(c.query(sql)));
      expect(err.code, sql).toBe("42501");
      expect(err.message).toMatch(/permission denied/);
    }
    const upd = await asApp({ userId: ids.userA }, (c) =>
      pgError(c.query("UPDATE users SET password_hash = 'x' WHERE id = $1", [ids.userA])),
    );
    expect(upd.code).toBe("42501");
    // Control: the granted columns are readable for the user itself.
    const ok = await asApp({ userId: ids.userA }, (c) => c.query<{ email: string }>("SELECT email FROM users"));
    expect(ok.rows).toEqual([{ email: "a@example.test" }]);
  });

  it.each(PLATFORM_TABLES)("cannot read or write the platform table %s (permission denied)", async (table) => {
    const read = await asApp({ workspaceId: ids.wsA, userId: ids.userA }, (c) =>
      pgError(c.query(`SELECT * FROM ${table}`)),
    );
    expect(read.code).toBe("42501");
    expect(read.message).toBe(`permission denied for table ${table}`);
    const del = await asApp({ workspaceId: ids.wsA, userId: ids.userA }, (c) =>
      pgError(c.query(`DELETE FROM ${table}`)),
    );
    expect(del.code).toBe("42501");
  });
});

describe("database-level integrity across workspaces", () => {
  it("the composite FK refuses an audit_event in A whose actor membership is B's, even as owner", async () => {
    const err = await pgError(
      asOwner("INSERT INTO audit_events (workspace_id, actor_membership_id, action) VALUES ($1, $2, 'cross')", [
        ids.wsA,
        ids.memB,
      ]),
    );
    expect(err.code).toBe("23503");
    expect(err.constraint).toBe("audit_events_workspace_id_actor_membership_id_fkey");
  });

  it("the composite FK refuses the same cross reference from the app role in A's context", async () => {
    const err = await asApp({ workspaceId: ids.wsA }, (c) =>
      pgError(
        c.query("INSERT INTO audit_events (workspace_id, actor_membership_id, action) VALUES ($1, $2, 'cross')", [
          ids.wsA,
          ids.memB,
        ]),
      ),
    );
    expect(err.code).toBe("23503");
  });

  it("the composite FK accepts A's own membership", async () => {
    const id = randomUUID();
    const r = await asOwner(
      "INSERT INTO audit_events (workspace_id, id, actor_membership_id, action) VALUES ($1, $2, $3, 'same')",
      [ids.wsA, id, ids.memCA],
    );
    expect(r.rowCount).toBe(1);
    const ok = await asApp({ workspaceId: ids.wsA }, (c) =>
      c.query("INSERT INTO audit_events (workspace_id, actor_membership_id, action) VALUES ($1, $2, 'same')", [
        ids.wsA,
        ids.memA,
      ]),
    );
    expect(ok.rowCount).toBe(1);
  });

  it("removing a member keeps its audit events as written (the chained row keeps the membership id)", async () => {
    const userD = randomUUID();
    const memD = randomUUID();
    const ev = randomUUID();
    await asOwner("INSERT INTO users (id, email, name, password_hash) VALUES ($1, 'd@example.test', 'Dan', 'h')", [
      userD,
    ]);
    await asOwner("INSERT INTO memberships (workspace_id, id, user_id, role) VALUES ($1, $2, $3, 'AGENT')", [
      ids.wsA,
      memD,
      userD,
    ]);
    await asOwner("INSERT INTO audit_events (workspace_id, id, actor_membership_id, action) VALUES ($1, $2, $3, 'x')", [
      ids.wsA,
      ev,
      memD,
    ]);
    await asOwner("DELETE FROM memberships WHERE workspace_id = $1 AND id = $2", [ids.wsA, memD]);
    const row = await asOwner<{ workspace_id: string; actor_membership_id: string | null }>(
      "SELECT workspace_id, actor_membership_id FROM audit_events WHERE id = $1",
      [ev],
    );
    expect(row.rows).toEqual([{ workspace_id: ids.wsA, actor_membership_id: memD }]);
    await asOwner("DELETE FROM users WHERE id = $1", [userD]);
  });

  it("a direct UPDATE of workspaces.channel is refused by the database even as owner (SQLSTATE 23514)", async () => {
    const err = await pgError(asOwner("UPDATE workspaces SET channel = 'VOICE' WHERE id = $1", [ids.wsA]));
    expect(err.code).toBe("23514");
    expect(err.constraint).toBe("workspaces_channel_immutable");
    const fromApp = await asApp({ workspaceId: ids.wsA }, (c) =>
      pgError(c.query("UPDATE workspaces SET channel = 'VOICE' WHERE id = $1", [ids.wsA])),
    );
    expect(fromApp.code).toBe("23514");
    const ch = await asOwner<{ channel: string }>("SELECT channel FROM workspaces WHERE id = $1", [ids.wsA]);
    expect(ch.rows[0]!.channel).toBe("WHATSAPP");
  });

  it("other workspace columns (and channel rewritten to its own value) still update", async () => {
    const r = await asOwner(
      "UPDATE workspaces SET name = 'Alpha renamed', agent_paused = true, channel = 'WHATSAPP' WHERE id = $1",
      [ids.wsA],
    );
    expect(r.rowCount).toBe(1);
    const row = await asOwner<{ name: string; agent_paused: boolean }>(
      "SELECT name, agent_paused FROM workspaces WHERE id = $1",
      [ids.wsA],
    );
    expect(row.rows[0]).toEqual({ name: "Alpha renamed", agent_paused: true });
    await asOwner("UPDATE workspaces SET name = 'Alpha', agent_paused = false WHERE id = $1", [ids.wsA]);
  });
});

// Tables added by the channels work (issue 12): the same isolation, row by row, for each.
describe("channel tables: integrations", () => {
  const jwe = "eyJhbGciOiJkaXIifQ..aXY.Y2lwaGVy.dGFn";
  beforeAll(async () => {
    await asOwner(
      `INSERT INTO integrations (workspace_id, provider, secret_jwe, key_id) VALUES ($1, 'OPENAI', $3, 'k_a'), ($2, 'OPENAI', $3, 'k_b')`,
      [ids.wsA, ids.wsB, jwe],
    );
  });

  it("shows each workspace only its own cards, and nothing without a context", async () => {
    await asApp({ workspaceId: ids.wsA }, async (c) => {
      expect((await c.query("SELECT workspace_id FROM integrations")).rows).toEqual([{ workspace_id: ids.wsA }]);
    });
    await asApp({ workspaceId: ids.wsB }, async (c) => {
      expect((await c.query("SELECT key_id FROM integrations")).rows).toEqual([{ key_id: "k_b" }]);
    });
    await withClient(db.appUrl, async (c) => {
      expect((await c.query("SELECT * FROM integrations")).rows).toEqual([]);
    });
  });

  it("refuses a card written into B from A's context, and UPDATE/DELETE of B's card touch nothing", async () => {
    const err = await asApp({ workspaceId: ids.wsA }, (c) =>
      pgError(
        c.query(
          "INSERT INTO integrations (workspace_id, provider, secret_jwe, key_id) VALUES ($1, 'CALCOM', $2, 'k')",
          [ids.wsB, jwe],
        ),
      ),
    );
    expect(err.code).toBe("42501");
    await asApp({ workspaceId: ids.wsA }, async (c) => {
      expect((await c.query("UPDATE integrations SET key_id = 'x' WHERE workspace_id = $1", [ids.wsB])).rowCount).toBe(
        0,
      );
      expect((await c.query("DELETE FROM integrations WHERE workspace_id = $1", [ids.wsB])).rowCount).toBe(0);
    });
    const b = await asOwner<{ key_id: string }>("SELECT key_id FROM integrations WHERE workspace_id = $1", [ids.wsB]);
    expect(b.rows).toEqual([{ key_id: "k_b" }]);
  });

  it("the composite FK refuses a card in A updated by B's membership", async () => {
    const err = await pgError(
      asOwner("UPDATE integrations SET updated_by_membership_id = $2 WHERE workspace_id = $1", [ids.wsA, ids.memB]),
    );
    expect(err.code).toBe("23503");
  });

  it("integration_secrets_per_key() gives the app role counts across workspaces, never rows", async () => {
    await withClient(db.appUrl, async (c) => {
      const r = await c.query<{ key_id: string; secrets: string }>(
        "SELECT key_id, secrets FROM integration_secrets_per_key() ORDER BY key_id",
      );
      expect(r.rows).toEqual([
        { key_id: "k_a", secrets: "1" },
        { key_id: "k_b", secrets: "1" },
      ]);
    });
  });
});

describe("channel tables: calls and bookings", () => {
  const contactA = randomUUID();
  const contactB = randomUUID();
  beforeAll(async () => {
    await asOwner(
      `INSERT INTO contacts (workspace_id, id, name, phone) VALUES ($1, $3, 'Ann', '+15550000001'), ($2, $4, 'Ben', '+15550000002')`,
      [ids.wsA, ids.wsB, contactA, contactB],
    );
    await asOwner(
      `INSERT INTO calls (workspace_id, contact_id, status) VALUES ($1, $3, 'QUEUED'), ($2, $4, 'QUEUED')`,
      [ids.wsA, ids.wsB, contactA, contactB],
    );
    await asOwner(
      `INSERT INTO bookings (workspace_id, provider_uid, starts_at, ends_at, status, attendee_name, attendee_email) VALUES
         ($1, 'uid-a', now(), now(), 'ACCEPTED', 'Ann', 'a@x.test'), ($2, 'uid-b', now(), now(), 'ACCEPTED', 'Ben', 'b@x.test')`,
      [ids.wsA, ids.wsB],
    );
  });

  it.each(["calls", "bookings"])("%s: each workspace sees only its own rows; none without a context", async (table) => {
    await asApp({ workspaceId: ids.wsA }, async (c) => {
      expect((await c.query(`SELECT DISTINCT workspace_id FROM ${table}`)).rows).toEqual([{ workspace_id: ids.wsA }]);
      expect(
        (await c.query(`UPDATE ${table} SET updated_at = now() WHERE workspace_id = $1`, [ids.wsB])).rowCount,
      ).toBe(0);
      expect((await c.query(`DELETE FROM ${table} WHERE workspace_id = $1`, [ids.wsB])).rowCount).toBe(0);
    });
    await withClient(db.appUrl, async (c) => {
      expect((await c.query(`SELECT * FROM ${table}`)).rows).toEqual([]);
    });
  });

  it("the composite FK refuses a call in A for B's contact, and a message in A replying to B's message", async () => {
    const call = await pgError(
      asOwner(`INSERT INTO calls (workspace_id, contact_id, status) VALUES ($1, $2, 'QUEUED')`, [ids.wsA, contactB]),
    );
    expect(call.constraint).toBe("calls_workspace_id_contact_id_fkey");
    const convA = randomUUID();
    const convB = randomUUID();
    const msgB = randomUUID();
    await asOwner(`INSERT INTO conversations (workspace_id, id, contact_id) VALUES ($1, $3, $5), ($2, $4, $6)`, [
      ids.wsA,
      ids.wsB,
      convA,
      convB,
      contactA,
      contactB,
    ]);
    await asOwner(
      `INSERT INTO messages (workspace_id, id, conversation_id, direction, sender, body, status) VALUES ($1, $2, $3, 'INBOUND', 'CONTACT', 'hi', 'RECEIVED')`,
      [ids.wsB, msgB, convB],
    );
    const reply = await pgError(
      asOwner(
        `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status, in_reply_to_id) VALUES ($1, $2, 'OUTBOUND', 'AGENT', 'x', 'QUEUED', $3)`,
        [ids.wsA, convA, msgB],
      ),
    );
    expect(reply.constraint).toBe("messages_workspace_id_in_reply_to_id_fkey");

    // inbox_search (issue 47) answers only within the tenant context's workspace; none without one.
    await asOwner(
      `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status) VALUES ($1, $2, 'INBOUND', 'CONTACT', 'hi from A', 'RECEIVED')`,
      [ids.wsA, convA],
    );
    await asApp({ workspaceId: ids.wsA }, async (c) => {
      expect((await c.query(`SELECT id FROM inbox_search('%hi%', NULL, 10) AS id`)).rows).toEqual([{ id: convA }]);
    });
    await asApp({ workspaceId: ids.wsB }, async (c) => {
      expect((await c.query(`SELECT id FROM inbox_search('%hi%', NULL, 10) AS id`)).rows).toEqual([{ id: convB }]);
    });
    await asApp({}, async (c) => {
      expect((await c.query(`SELECT id FROM inbox_search('%hi%', NULL, 10) AS id`)).rows).toEqual([]);
    });
  });
});

// Tables added by issue 13 (phone numbers, outbound webhooks): the same isolation, row by row.
describe("issue 13 tables: phone_configs and webhooks", () => {
  const ep = { a: randomUUID(), b: randomUUID() };
  const ev = { a: randomUUID(), b: randomUUID() };
  const dl = { a: randomUUID(), b: randomUUID() };
  beforeAll(async () => {
    await asOwner(
      `INSERT INTO phone_configs (workspace_id, number, provider, label) VALUES ($1, '+15550100001', 'TWILIO', 'a'), ($2, '+15550100001', 'TWILIO', 'b')`,
      [ids.wsA, ids.wsB],
    );
    await asOwner(
      `INSERT INTO webhook_endpoints (workspace_id, id, url, events, secret_jwe) VALUES ($1, $3, 'https://a.example/h', '{lead.created}', 'jwe-a'), ($2, $4, 'https://b.example/h', '{lead.created}', 'jwe-b')`,
      [ids.wsA, ids.wsB, ep.a, ep.b],
    );
    await asOwner(
      `INSERT INTO webhook_events (workspace_id, id, type, payload) VALUES ($1, $3, 'lead.created', '{}'), ($2, $4, 'lead.created', '{}')`,
      [ids.wsA, ids.wsB, ev.a, ev.b],
    );
    await asOwner(
      `INSERT INTO webhook_deliveries (workspace_id, id, endpoint_id, event_id, event_type) VALUES ($1, $3, $5, $7, 'lead.created'), ($2, $4, $6, $8, 'lead.created')`,
      [ids.wsA, ids.wsB, dl.a, dl.b, ep.a, ep.b, ev.a, ev.b],
    );
    await asOwner(
      `INSERT INTO webhook_delivery_attempts (workspace_id, delivery_id, attempt, request_url, request_headers, request_body, latency_ms) VALUES ($1, $3, 1, 'u', '{}', '{}', 1), ($2, $4, 1, 'u', '{}', '{}', 1)`,
      [ids.wsA, ids.wsB, dl.a, dl.b],
    );
  });

  const TABLES = [
    "phone_configs",
    "webhook_endpoints",
    "webhook_events",
    "webhook_deliveries",
    "webhook_delivery_attempts",
  ];

  it.each(TABLES)(
    "%s: each workspace sees only its own rows; none without a context; B's rows cannot be changed from A",
    async (table) => {
      await asApp({ workspaceId: ids.wsA }, async (c) => {
        expect((await c.query(`SELECT DISTINCT workspace_id FROM ${table}`)).rows).toEqual([{ workspace_id: ids.wsA }]);
        expect(
          (await c.query(`UPDATE ${table} SET workspace_id = workspace_id WHERE workspace_id = $1`, [ids.wsB]))
            .rowCount,
        ).toBe(0);
        expect((await c.query(`DELETE FROM ${table} WHERE workspace_id = $1`, [ids.wsB])).rowCount).toBe(0);
      });
      await asApp({ workspaceId: ids.wsB }, async (c) => {
        expect((await c.query(`SELECT DISTINCT workspace_id FROM ${table}`)).rows).toEqual([{ workspace_id: ids.wsB }]);
      });
      await withClient(db.appUrl, async (c) => {
        expect((await c.query(`SELECT * FROM ${table}`)).rows).toEqual([]);
      });
      expect((await asOwner(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]).toEqual({ n: 2 });
    },
  );

  it("refuses a phone number or an endpoint written into B from A's context (RLS WITH CHECK)", async () => {
    const pc = await asApp({ workspaceId: ids.wsA }, (c) =>
      pgError(
        c.query(
          `INSERT INTO phone_configs (workspace_id, number, provider, label) VALUES ($1, '+15550100002', 'TWILIO', 'x')`,
          [ids.wsB],
        ),
      ),
    );
    expect(pc.code).toBe("42501");
    const we = await asApp({ workspaceId: ids.wsA }, (c) =>
      pgError(
        c.query(
          `INSERT INTO webhook_endpoints (workspace_id, url, events, secret_jwe) VALUES ($1, 'https://x', '{lead.created}', 'j')`,
          [ids.wsB],
        ),
      ),
    );
    expect(we.code).toBe("42501");
  });

  it("the composite FKs refuse a delivery in A for B's endpoint or event, and an attempt in A for B's delivery", async () => {
    const toEndpoint = await pgError(
      asOwner(
        `INSERT INTO webhook_deliveries (workspace_id, endpoint_id, event_id, event_type) VALUES ($1, $2, $3, 'lead.created')`,
        [ids.wsA, ep.b, ev.a],
      ),
    );
    expect(toEndpoint.constraint).toBe("webhook_deliveries_workspace_id_endpoint_id_fkey");
    const toEvent = await pgError(
      asOwner(
        `INSERT INTO webhook_deliveries (workspace_id, endpoint_id, event_id, event_type) VALUES ($1, $2, $3, 'lead.created')`,
        [ids.wsA, ep.a, ev.b],
      ),
    );
    expect(toEvent.constraint).toBe("webhook_deliveries_workspace_id_event_id_fkey");
    const attempt = await pgError(
      asOwner(
        `INSERT INTO webhook_delivery_attempts (workspace_id, delivery_id, attempt, request_url, request_headers, request_body, latency_ms) VALUES ($1, $2, 2, 'u', '{}', '{}', 1)`,
        [ids.wsA, dl.b],
      ),
    );
    expect(attempt.constraint).toBe("webhook_delivery_attempts_workspace_id_delivery_id_fkey");
  });

  it("a number is unique within a workspace, not across workspaces; one default per provider", async () => {
    const dup = await pgError(
      asOwner(
        `INSERT INTO phone_configs (workspace_id, number, provider, label) VALUES ($1, '+15550100001', 'VAPI', 'dup')`,
        [ids.wsA],
      ),
    );
    expect(dup.constraint).toBe("phone_configs_workspace_id_number_key");
    await asOwner(
      `INSERT INTO phone_configs (workspace_id, number, provider, label, is_default) VALUES ($1, '+15550100003', 'TWILIO', 'd1', true)`,
      [ids.wsA],
    );
    const second = await pgError(
      asOwner(
        `INSERT INTO phone_configs (workspace_id, number, provider, label, is_default) VALUES ($1, '+15550100004', 'TWILIO', 'd2', true)`,
        [ids.wsA],
      ),
    );
    expect(second.constraint).toBe("phone_configs_one_default_per_provider");
  });
});

describe("campaign and usage tables: campaigns, campaign_recipients, usage_counters; plans", () => {
  const contactA = randomUUID();
  const contactB = randomUUID();
  const campaignA = randomUUID();
  const campaignB = randomUUID();
  beforeAll(async () => {
    await asOwner(
      `INSERT INTO contacts (workspace_id, id, name, phone) VALUES ($1, $3, 'Cam', '+15550000011'), ($2, $4, 'Cal', '+15550000012')`,
      [ids.wsA, ids.wsB, contactA, contactB],
    );
    await asOwner(
      `INSERT INTO campaigns (workspace_id, id, name, message) VALUES ($1, $3, 'A', 'Hi'), ($2, $4, 'B', 'Hi')`,
      [ids.wsA, ids.wsB, campaignA, campaignB],
    );
    await asOwner(
      `INSERT INTO campaign_recipients (workspace_id, campaign_id, contact_id) VALUES ($1, $3, $5), ($2, $4, $6)`,
      [ids.wsA, ids.wsB, campaignA, campaignB, contactA, contactB],
    );
    await asOwner(
      `INSERT INTO usage_counters (workspace_id, month, metric, used) VALUES ($1, '2026-11-01', 'MESSAGES', 3), ($2, '2026-11-01', 'MESSAGES', 5)`,
      [ids.wsA, ids.wsB],
    );
    await asOwner(
      `INSERT INTO analytics_daily_messages (workspace_id, day, messages_in, messages_out) VALUES ($1, '2026-11-01', 1, 2), ($2, '2026-11-01', 3, 4)`,
      [ids.wsA, ids.wsB],
    );
    await asOwner(
      `INSERT INTO analytics_daily_leads (workspace_id, day, leads, booked) VALUES ($1, '2026-11-01', 1, 0), ($2, '2026-11-01', 3, 1)`,
      [ids.wsA, ids.wsB],
    );
  });

  it("analytics_daily_leads: each workspace sees only its own rollup; none without a context; B's cannot be changed or written from A", async () => {
    await asApp({ workspaceId: ids.wsA }, async (c) => {
      expect((await c.query(`SELECT workspace_id, leads FROM analytics_daily_leads`)).rows).toEqual([
        { workspace_id: ids.wsA, leads: 1 },
      ]);
      expect(
        (await c.query(`UPDATE analytics_daily_leads SET leads = 99 WHERE workspace_id = $1`, [ids.wsB])).rowCount,
      ).toBe(0);
      expect((await c.query(`DELETE FROM analytics_daily_leads WHERE workspace_id = $1`, [ids.wsB])).rowCount).toBe(0);
      expect(
        (
          await pgError(
            c.query(
              `INSERT INTO analytics_daily_leads (workspace_id, day, leads, booked) VALUES ($1, '2026-11-02', 9, 9)`,
              [ids.wsB],
            ),
          )
        ).code,
      ).toBe("42501");
    });
    await withClient(db.appUrl, async (c) => {
      expect((await c.query(`SELECT * FROM analytics_daily_leads`)).rows).toEqual([]);
    });
  });

  it("search_contacts (SECURITY DEFINER): only the tenant context's workspace; B's id from A, or no context, returns nothing", async () => {
    const search = `SELECT id FROM search_contacts($1, '%Ca%', '%ca%', NULL, NULL, NULL, NULL, false, 10)`;
    const count = `SELECT search_contacts_count($1, '%Ca%', '%ca%', NULL, NULL, 100) AS n`;
    await asApp({ workspaceId: ids.wsA }, async (c) => {
      expect((await c.query(search, [ids.wsA])).rows).toEqual([{ id: contactA }]);
      expect((await c.query(count, [ids.wsA])).rows).toEqual([{ n: "1" }]);
      expect((await c.query(search, [ids.wsB])).rows).toEqual([]);
      expect((await c.query(count, [ids.wsB])).rows).toEqual([{ n: "0" }]);
    });
    await withClient(db.appUrl, async (c) => {
      expect((await c.query(search, [ids.wsB])).rows).toEqual([]);
      expect((await c.query(count, [ids.wsB])).rows).toEqual([{ n: "0" }]);
    });
  });

  it("analytics_daily_messages: each workspace sees only its own rollup; none without a context; B's cannot be changed or written from A", async () => {
    await asApp({ workspaceId: ids.wsA }, async (c) => {
      expect((await c.query(`SELECT workspace_id, messages_in FROM analytics_daily_messages`)).rows).toEqual([
        { workspace_id: ids.wsA, messages_in: 1 },
      ]);
      expect(
        (await c.query(`UPDATE analytics_daily_messages SET messages_in = 99 WHERE workspace_id = $1`, [ids.wsB]))
          .rowCount,
      ).toBe(0);
      expect((await c.query(`DELETE FROM analytics_daily_messages WHERE workspace_id = $1`, [ids.wsB])).rowCount).toBe(
        0,
      );
      expect(
        (
          await pgError(
            c.query(
              `INSERT INTO analytics_daily_messages (workspace_id, day, messages_in, messages_out) VALUES ($1, '2026-11-02', 9, 9)`,
              [ids.wsB],
            ),
          )
        ).code,
      ).toBe("42501");
    });
    await withClient(db.appUrl, async (c) => {
      expect((await c.query(`SELECT * FROM analytics_daily_messages`)).rows).toEqual([]);
    });
  });

  it.each(["campaigns", "campaign_recipients", "usage_counters"])(
    "%s: each workspace sees only its own rows; none without a context; B's rows cannot be changed from A",
    async (table) => {
      await asApp({ workspaceId: ids.wsA }, async (c) => {
        expect((await c.query(`SELECT DISTINCT workspace_id FROM ${table}`)).rows).toEqual([{ workspace_id: ids.wsA }]);
        expect(
          (await c.query(`UPDATE ${table} SET updated_at = now() WHERE workspace_id = $1`, [ids.wsB])).rowCount,
        ).toBe(0);
        expect((await c.query(`DELETE FROM ${table} WHERE workspace_id = $1`, [ids.wsB])).rowCount).toBe(0);
      });
      await asApp({ workspaceId: ids.wsB }, async (c) => {
        expect((await c.query(`SELECT DISTINCT workspace_id FROM ${table}`)).rows).toEqual([{ workspace_id: ids.wsB }]);
      });
      await withClient(db.appUrl, async (c) => {
        expect((await c.query(`SELECT * FROM ${table}`)).rows).toEqual([]);
      });
      expect((await asOwner(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]).toEqual({ n: 2 });
    },
  );

  it("refuses rows written into B from A's context (WITH CHECK)", async () => {
    await asApp({ workspaceId: ids.wsA }, async (c) => {
      const e = await pgError(
        c.query(
          `INSERT INTO usage_counters (workspace_id, month, metric, used) VALUES ($1, '2026-12-01', 'CALLS', 1)`,
          [ids.wsB],
        ),
      );
      expect(e.code).toBe("42501");
    });
    await asApp({ workspaceId: ids.wsA }, async (c) => {
      const e = await pgError(
        c.query(`INSERT INTO campaigns (workspace_id, name, message) VALUES ($1, 'x', 'y')`, [ids.wsB]),
      );
      expect(e.code).toBe("42501");
    });
  });

  it("the composite FKs refuse a recipient in A for B's campaign or B's contact, even as owner", async () => {
    const byCampaign = await pgError(
      asOwner(`INSERT INTO campaign_recipients (workspace_id, campaign_id, contact_id) VALUES ($1, $2, $3)`, [
        ids.wsA,
        campaignB,
        contactA,
      ]),
    );
    expect(byCampaign.constraint).toBe("campaign_recipients_workspace_id_campaign_id_fkey");
    const byContact = await pgError(
      asOwner(`INSERT INTO campaign_recipients (workspace_id, campaign_id, contact_id) VALUES ($1, $2, $3)`, [
        ids.wsA,
        campaignA,
        contactB,
      ]),
    );
    expect(byContact.constraint).toBe("campaign_recipients_workspace_id_contact_id_fkey");
  });

  it("one recipient row per (workspace, campaign, contact): the exactly-once key", async () => {
    const dup = await pgError(
      asOwner(`INSERT INTO campaign_recipients (workspace_id, campaign_id, contact_id) VALUES ($1, $2, $3)`, [
        ids.wsA,
        campaignA,
        contactA,
      ]),
    );
    expect(dup.constraint).toBe("campaign_recipients_workspace_id_campaign_id_contact_id_key");
  });

  it("plans are a platform catalog: the app role reads them in any context but cannot write them", async () => {
    await asOwner(`INSERT INTO plans (name, monthly_messages) VALUES ('Tenancy plan', 10)`);
    await asApp({}, async (c) => {
      expect((await c.query(`SELECT name FROM plans WHERE name = 'Tenancy plan'`)).rows).toEqual([
        { name: "Tenancy plan" },
      ]);
    });
    await asApp({ workspaceId: ids.wsA }, async (c) => {
      expect((await pgError(c.query(`INSERT INTO plans (name) VALUES ('Mine')`))).code).toBe("42501");
    });
    await asApp({ workspaceId: ids.wsA }, async (c) => {
      expect((await pgError(c.query(`UPDATE plans SET monthly_messages = 999999`))).code).toBe("42501");
    });
  });
});
