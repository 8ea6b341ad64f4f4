// The contract with pg's internals (engine/pg-internals.ts): every internal the pipelines use is
// there on this pg and on a connected client, and a missing one is named — so an upgrade of pg
// that moves one fails here by name, and the engine then runs without pipelines (slower, never
// wrong), which the last test shows on a real database.
import pg from "pg";

import { describe, expect, it } from "@atrium/test-kit";

import { pgInternalsMissing } from "../engine/pg-internals.ts";
import { Prisma } from "../generated/client.ts";
import { createDb } from "../index.ts";
import { scratchSuite } from "./scratch.ts";

const scratch = scratchSuite();

describe("pg internals the engine relies on", () => {
  it("are all there on this pg and on a connected client", async () => {
    const client = new pg.Client({ connectionString: scratch.database.appUrl });
    await client.connect();
    try {
      expect(pgInternalsMissing(), "module-level internals").toEqual([]);
      expect(pgInternalsMissing(client), "a connected client's internals").toEqual([]);
    } finally {
      await client.end();
    }
  });

  it("names each one an upgrade took away", async () => {
    const client = new pg.Client({ connectionString: scratch.database.appUrl });
    await client.connect();
    const conn = (client as unknown as { connection: Record<string, unknown> }).connection;
    const saved = { parsedStatements: conn.parsedStatements, sync: conn.sync };
    try {
      delete conn.parsedStatements;
      conn.sync = undefined;
      expect(pgInternalsMissing(client)).toEqual(["Connection.parsedStatements", "Connection.sync"]);
    } finally {
      Object.assign(conn, saved);
      await client.end();
    }
    expect(
      pgInternalsMissing(client).filter((m) => m.startsWith("Connection.")),
      "restored",
    ).toEqual([]);
  });

  it("without pipelines (ATRIUM_DB_PIPELINES=off) the engine answers every read and write through the plain transaction", async () => {
    const before = process.env.ATRIUM_DB_PIPELINES;
    process.env.ATRIUM_DB_PIPELINES = "off";
    const db = createDb({ appUrl: scratch.database.appUrl, ownerUrl: scratch.database.ownerUrl, poolSize: 1 });
    try {
      const ws = (
        await scratch.owner.query<{ id: string }>(
          `INSERT INTO workspaces (name, slug, channel) VALUES ('Plain', 'plain-lane', 'WHATSAPP') RETURNING id`,
        )
      ).rows[0]!.id;
      // The pipelines decline: their callers take `tenant`.
      expect(await db.tenantRead({ workspaceId: ws }, [Prisma.sql`SELECT 1 AS one`])).toBeUndefined();
      expect(await db.tenantWrite({ workspaceId: ws }, Prisma.sql`SELECT 1 AS one`)).toBeUndefined();
      expect(
        await db.tenantWriteBatched(
          { workspaceId: ws },
          { one: () => Prisma.sql`SELECT 1 AS one`, many: () => Prisma.sql`SELECT 1 AS one` },
          1,
        ),
      ).toBeUndefined();
      // …and `tenant` still applies the tenant settings (RLS shows this workspace only).
      const seen = await db.tenant({ workspaceId: ws }, (tx) => tx.workspace.findMany({ select: { id: true } }));
      expect(seen.map((w) => w.id)).toEqual([ws]);
    } finally {
      await db.disconnect();
      if (before === undefined) delete process.env.ATRIUM_DB_PIPELINES;
      else process.env.ATRIUM_DB_PIPELINES = before;
    }
  });
});
