// A fresh database of its own for a test file of this package, with an owner connection (for
// scratch tables, grants, locks) and a tenant client on a pool of 2.
import pg from "pg";
import { createDb, type Db } from "../index.ts";
import { freshTestDatabase, type TestDatabase } from "../testing.ts";

export interface Scratch {
  database: TestDatabase;
  owner: pg.Client;
  db: Db;
}

export async function scratchDatabase(): Promise<Scratch> {
  const database = await freshTestDatabase();
  const owner = new pg.Client({ connectionString: database.ownerUrl });
  await owner.connect();
  return { database, owner, db: createDb({ appUrl: database.appUrl, ownerUrl: database.ownerUrl, poolSize: 2 }) };
}

export async function dropScratch({ database, owner, db }: Scratch): Promise<void> {
  await db.disconnect();
  await owner.end();
  await database.drop();
}
