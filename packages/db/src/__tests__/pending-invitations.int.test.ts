// Migration 20261122090900 (issue 9): existing duplicate pending invitations are revoked (newest
// kept) before the partial unique index is created, so the migration applies to a database that
// already holds them.
import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { MIGRATIONS_DIR } from "../migrate.ts";
import { freshTestDatabase, type TestDatabase } from "../testing.ts";

const MIGRATION = "20261122090900_one_pending_invitation_per_email";

describe(`migration ${MIGRATION}`, () => {
  let db: TestDatabase;
  let c: pg.Client;
  beforeAll(async () => {
    db = await freshTestDatabase();
    c = new pg.Client({ connectionString: db.ownerUrl });
    await c.connect();
  });
  afterAll(async () => {
    await c?.end();
    await db?.drop();
  });

  it("keeps the newest pending invitation per address, revokes older duplicates, then enforces one", async () => {
    // The state before the migration: no index, duplicates present.
    await c.query(`DROP INDEX invitations_one_pending_per_email`);
    const ws = (
      await c.query<{ id: string }>(
        `INSERT INTO workspaces (slug, name, channel) VALUES ('dup-co', 'Dup Co', 'WHATSAPP') RETURNING id`,
      )
    ).rows[0]!.id;
    const invite = async (email: string, minutesAgo: number, extra = "") =>
      (
        await c.query<{ id: string }>(
          `INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at, created_at${extra ? ", accepted_at" : ""})
         VALUES ($1, $2, 'AGENT', md5(random()::text), now() + interval '7 days', now() - $3 * interval '1 minute'${extra ? ", now()" : ""}) RETURNING id`,
          [ws, email, minutesAgo],
        )
      ).rows[0]!.id;
    const oldest = await invite("dup@example.com", 30);
    const middle = await invite("dup@example.com", 20);
    const newest = await invite("dup@example.com", 10);
    const other = await invite("other@example.com", 25);
    const accepted = await invite("dup@example.com", 40, "accepted");

    const sql = await readFile(path.join(MIGRATIONS_DIR, MIGRATION, "migration.sql"), "utf8");
    await c.query(sql);

    const rows = (
      await c.query<{ id: string; revoked: boolean }>(
        `SELECT id, revoked_at IS NOT NULL AS revoked FROM invitations WHERE workspace_id = $1`,
        [ws],
      )
    ).rows;
    const revoked = Object.fromEntries(rows.map((r) => [r.id, r.revoked]));
    expect(revoked).toEqual({ [oldest]: true, [middle]: true, [newest]: false, [other]: false, [accepted]: false });
    await expect(invite("dup@example.com", 1)).rejects.toThrow(/invitations_one_pending_per_email/);
  });
});
