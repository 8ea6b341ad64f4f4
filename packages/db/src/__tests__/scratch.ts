// A fresh database of its own for a test file of this package, with an owner connection (for
// scratch tables, grants, locks) and a tenant client on a pool of 2.
import pg from "pg";

import { afterAll, beforeAll } from "@atrium/test-kit";

import { createDb, type Db } from "../index.ts";
import { freshTestDatabase, type TestDatabase } from "../testing.ts";

export interface Scratch {
  database: TestDatabase;
  owner: pg.Client;
  db: Db;
}

async function scratchDatabase(): Promise<Scratch> {
  const database = await freshTestDatabase();
  const owner = new pg.Client({ connectionString: database.ownerUrl });
  await owner.connect();
  return { database, owner, db: createDb({ appUrl: database.appUrl, ownerUrl: database.ownerUrl, poolSize: 2 }) };
}

/**
 * The test file's scratch database: made before its tests, then `setup` (its probe tables; what it
 * returns runs after the tests, before the database is dropped). The fields are there once the
 * file's `beforeAll` ran.
 */
export function scratchSuite(setup?: (scratch: Scratch) => Promise<(() => Promise<void>) | void>): Scratch {
  const scratch = {} as Scratch;
  let teardown: (() => Promise<void>) | void;
  beforeAll(async () => {
    Object.assign(scratch, await scratchDatabase());
    teardown = await setup?.(scratch);
  });
  afterAll(async () => {
    await teardown?.();
    await scratch.db.disconnect();
    await scratch.owner.end();
    await scratch.database.drop();
  });
  return scratch;
}
