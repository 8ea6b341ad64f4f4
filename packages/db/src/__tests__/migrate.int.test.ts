import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { migrate, MigrationError } from "../migrate.ts";
import { freshTestDatabase, type TestDatabase } from "../testing.ts";

async function q<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "atrium-mig-"));
  for (const [name, sql] of Object.entries(files)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

describe("migration runner", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshTestDatabase();
  });
  afterAll(async () => db.drop());

  it("records applied migrations in Prisma's table with the file's sha256", async () => {
    const rows = await q<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      db.ownerUrl,
      `SELECT migration_name, checksum, finished_at FROM _prisma_migrations`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]!.migration_name).toMatch(/^\d{14}_init$/);
    expect(rows[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.finished_at).not.toBeNull();
    // Running again applies nothing.
    const again = await migrate(db.ownerUrl);
    expect(again.applied).toEqual([]);
  });

  it("rolls back a failing migration, names the file and keeps earlier ones", async () => {
    const dir = await migrationsDir({
      "30000000000000_good": "CREATE TABLE zz_good (id int);",
      "30000000000001_bad": "CREATE TABLE zz_half (id int); SELECT * FROM no_such_table;",
    });
    const err = await migrate(db.ownerUrl, { dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as MigrationError).migration).toBe("30000000000001_bad");
    expect((err as Error).message).toContain("30000000000001_bad");
    const tables = await q<{ table_name: string }>(
      db.ownerUrl,
      `SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'zz_%' ORDER BY 1`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(["zz_good"]);
    const names = await q<{ migration_name: string }>(
      db.ownerUrl,
      `SELECT migration_name FROM _prisma_migrations WHERE migration_name LIKE '3%'`,
    );
    expect(names.map((n) => n.migration_name)).toEqual(["30000000000000_good"]);
  });

  it("refuses a migration edited after it was applied", async () => {
    const dir = await migrationsDir({ "30000000000000_good": "CREATE TABLE zz_good (id int); -- edited" });
    await expect(migrate(db.ownerUrl, { dir })).rejects.toThrow(/edited after it was applied/);
  });

  it("serialises concurrent runners: each migration is applied exactly once", async () => {
    const dir = await migrationsDir({
      "40000000000000_counter": "CREATE TABLE zz_once (id int); INSERT INTO zz_once VALUES (1);",
    });
    const results = await Promise.all([
      migrate(db.ownerUrl, { dir }),
      migrate(db.ownerUrl, { dir }),
      migrate(db.ownerUrl, { dir }),
    ]);
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, 1]);
    const rows = await q<{ n: string }>(db.ownerUrl, `SELECT count(*) AS n FROM zz_once`);
    expect(rows[0]!.n).toBe("1");
  });
});
