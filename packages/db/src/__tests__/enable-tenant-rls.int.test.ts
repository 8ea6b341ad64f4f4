// enable_tenant_rls(table) (migration 20261128220000) must do exactly what the row-level security
// block each tenant table's migration used to copy does: the same flags, policy and grants as a
// table secured by hand, and the same behaviour for the app role (fail closed, own rows only).
// schema-rules.int.test.ts then checks every tenant table of the schema, helper-made or not.
import pg from "pg";

import { describe, expect, it } from "@atrium/test-kit";

import { scratchSuite } from "./scratch.ts";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";

const table = (name: string) =>
  `CREATE TABLE ${name} (workspace_id uuid NOT NULL, id uuid NOT NULL DEFAULT gen_random_uuid(), note text, PRIMARY KEY (workspace_id, id))`;
/** The block as the migrations wrote it by hand (e.g. 20261128160000_audit_streams). */
const BY_HAND = (t: string) => `
  ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
  ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;
  CREATE POLICY ${t}_tenant ON ${t}
    USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
    WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
  GRANT SELECT, INSERT, UPDATE, DELETE ON ${t} TO atrium_app;`;

const scratch = scratchSuite(async ({ owner }) => {
  await owner.query(`${table("probe_by_hand")}; ${BY_HAND("probe_by_hand")}`);
  await owner.query(`${table("probe_by_helper")}; SELECT enable_tenant_rls('probe_by_helper')`);
});

/** What row-level security and the app role's grants look like on `t`, with the table's name taken out. */
async function security(owner: pg.Client, t: string) {
  const flags = await owner.query(`SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = $1::regclass`, [
    t,
  ]);
  const policies = await owner.query(
    `SELECT replace(policyname, $1, '<t>') AS name, permissive, roles::text[] AS roles, cmd, qual, with_check FROM pg_policies WHERE schemaname = 'public' AND tablename = $1 ORDER BY 1`,
    [t],
  );
  const grants = await owner.query(
    `SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = 'atrium_app' AND table_schema = 'public' AND table_name = $1 ORDER BY 1`,
    [t],
  );
  return {
    flags: flags.rows[0] as unknown,
    policies: policies.rows as unknown[],
    grants: grants.rows.map((r: { privilege_type: string }) => r.privilege_type),
  };
}

/** Runs `fn` as the app role in one transaction, with the tenant setting when `workspaceId` is given. */
async function asApp<T>(workspaceId: string | null, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: scratch.database.appUrl });
  await c.connect();
  try {
    await c.query("BEGIN");
    if (workspaceId) await c.query("SELECT set_config('app.workspace_id', $1, true)", [workspaceId]);
    return await fn(c);
  } finally {
    await c.query("ROLLBACK").catch(() => undefined);
    await c.end();
  }
}

describe("enable_tenant_rls", () => {
  it("gives a table the same flags, policy and app-role grants as the hand-written block", async () => {
    const helper = await security(scratch.owner, "probe_by_helper");
    expect(helper.flags).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
    expect(helper.policies).toHaveLength(1);
    expect(helper.grants).toEqual(["DELETE", "INSERT", "SELECT", "UPDATE"]);
    expect(helper).toEqual(await security(scratch.owner, "probe_by_hand"));
    // And the same as a tenant table of the schema secured by hand.
    expect(helper).toEqual(await security(scratch.owner, "audit_streams"));
  });

  it("lets the app role see and write only the tenant's rows, and nothing without a tenant context", async () => {
    await scratch.owner.query("INSERT INTO probe_by_helper (workspace_id, note) VALUES ($1, 'a'), ($2, 'b')", [A, B]);
    expect(
      await asApp(A, async (c) => (await c.query<{ note: string }>("SELECT note FROM probe_by_helper")).rows),
    ).toEqual([{ note: "a" }]);
    expect(
      await asApp(null, async (c) => (await c.query<{ note: string }>("SELECT note FROM probe_by_helper")).rows),
      "fails closed",
    ).toEqual([]);
    await expect(
      asApp(A, (c) => c.query("INSERT INTO probe_by_helper (workspace_id, note) VALUES ($1, 'x')", [B])),
    ).rejects.toMatchObject({ code: "42501" });
    await expect(
      asApp(null, (c) => c.query("INSERT INTO probe_by_helper (workspace_id, note) VALUES ($1, 'x')", [A])),
    ).rejects.toMatchObject({ code: "42501" });
    expect(
      await asApp(
        A,
        async (c) => (await c.query("UPDATE probe_by_helper SET note = 'moved' WHERE workspace_id = $1", [B])).rowCount,
      ),
      "B's row is out of reach",
    ).toBe(0);
    expect(
      await asApp(
        A,
        async (c) =>
          (
            await c.query<{ note: string }>(
              "INSERT INTO probe_by_helper (workspace_id, note) VALUES ($1, 'a2') RETURNING note",
              [A],
            )
          ).rows,
      ),
    ).toEqual([{ note: "a2" }]);
  });

  it("refuses a table without a workspace_id uuid NOT NULL column", async () => {
    await scratch.owner.query("CREATE TABLE probe_no_workspace (id uuid PRIMARY KEY, workspace_id uuid)");
    await expect(scratch.owner.query("SELECT enable_tenant_rls('probe_no_workspace')")).rejects.toThrow(
      /no workspace_id uuid NOT NULL column/,
    );
    const flags = await scratch.owner.query(
      `SELECT relrowsecurity FROM pg_class WHERE oid = 'probe_no_workspace'::regclass`,
    );
    expect(flags.rows[0]).toEqual({ relrowsecurity: false });
  });

  it("is not callable by the app role", async () => {
    await expect(asApp(A, (c) => c.query("SELECT enable_tenant_rls('probe_by_hand')"))).rejects.toMatchObject({
      code: "42501",
    });
  });
});
