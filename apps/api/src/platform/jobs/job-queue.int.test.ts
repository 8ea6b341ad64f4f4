// Stopping the job queue closes its connections before it resolves: the embedded PostgreSQL is
// stopped right after it (main.ts), and a backend still open then is terminated by the server,
// which pg reported on the idle connection as "terminating connection due to administrator command".
import pg from "pg";

import { freshTestDatabase, type TestDatabase } from "@atrium/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { JobPool, JobQueue, QUEUES } from "./job-queue.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await freshTestDatabase();
});
afterAll(async () => db.drop());

/** The server's own view: backends of pg-boss's connections (application_name "pgboss"). */
async function pgbossBackends(): Promise<number> {
  const c = new pg.Client({ connectionString: db.ownerUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pgboss'`,
    );
    return rows[0]!.n;
  } finally {
    await c.end();
  }
}

describe("the job queue's connections on stop", () => {
  it("JobPool.close resolves only once every idle connection is closed", async () => {
    const errors: Error[] = [];
    const pool = new JobPool(db.ownerUrl, 3, (err) => errors.push(err));
    // Three connections at once, all idle when close is called (as pg-boss's are at stop).
    await Promise.all([
      pool.executeSql("SELECT pg_sleep(0.05)"),
      pool.executeSql("SELECT pg_sleep(0.05)"),
      pool.executeSql("SELECT pg_sleep(0.05)"),
    ]);
    expect(pool.openConnections).toBe(3);
    expect(await pgbossBackends()).toBe(3);
    await pool.close();
    // pg's Pool.end alone resolves with its idle clients' sockets still open (3 here).
    expect(pool.openConnections).toBe(0);
    expect(await pgbossBackends()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("a queue that ran a job leaves no pg-boss backend behind once stop resolves, and reports no error", async () => {
    const logged: string[] = [];
    const queue = new JobQueue({
      ownerUrl: db.ownerUrl,
      supervise: true,
      retry: { limit: 0, delaySeconds: 1 },
      log: (msg, data) => logged.push(`${msg} ${JSON.stringify(data ?? {})}`),
    });
    const ran = new Promise<unknown>(
      (resolve) =>
        void queue.work(QUEUES.retention, (data) => Promise.resolve(resolve(data)), { pollingIntervalSeconds: 0.5 }),
    );
    await queue.send(QUEUES.retention, { marker: 7 });
    expect(await ran).toEqual({ marker: 7 });
    expect(await pgbossBackends()).toBeGreaterThan(0);
    await queue.stop();
    expect(await pgbossBackends()).toBe(0);
    expect(logged).toEqual([]);
  });
});

describe("waking the workers of another process (JOBS_PROCESS=separate)", () => {
  it("a notify in the enqueuing process wakes a worker that would otherwise poll again only in a minute", async () => {
    const logged: string[] = [];
    const log = (msg: string, data?: object) => logged.push(`${msg} ${JSON.stringify(data ?? {})}`);
    // The jobs process's queue: it works, and listens.
    const worker = new JobQueue({ ownerUrl: db.ownerUrl, supervise: false, retry: { limit: 0, delaySeconds: 1 }, log });
    // The API process's queue: it only enqueues and wakes.
    const api = new JobQueue({
      ownerUrl: db.ownerUrl,
      supervise: false,
      retry: { limit: 0, delaySeconds: 1 },
      log,
      wakeOtherProcesses: true,
    });
    try {
      const ran: unknown[] = [];
      await worker.work(QUEUES.rotateCredentials, (data) => Promise.resolve(void ran.push(data)), {
        pollingIntervalSeconds: 60,
      });
      await worker.listenForWakes();
      // The worker's first fetch (at once, empty) is over: its next poll is a minute away.
      await new Promise((r) => setTimeout(r, 1_000));
      await api.send(QUEUES.rotateCredentials, { marker: 1 });
      const sentAt = Date.now();
      api.notify(QUEUES.rotateCredentials);
      while (ran.length === 0 && Date.now() - sentAt < 15_000) await new Promise((r) => setTimeout(r, 50));
      expect(ran).toEqual([{ marker: 1 }]);
      expect(Date.now() - sentAt).toBeLessThan(10_000);

      // Without the notify the job waits for the poll: the wake, not polling, ran the first one.
      await api.send(QUEUES.rotateCredentials, { marker: 2 });
      await new Promise((r) => setTimeout(r, 3_000));
      expect(ran).toEqual([{ marker: 1 }]);
      api.notify(QUEUES.rotateCredentials);
      const second = Date.now();
      while (ran.length === 1 && Date.now() - second < 15_000) await new Promise((r) => setTimeout(r, 50));
      expect(ran).toEqual([{ marker: 1 }, { marker: 2 }]);
    } finally {
      await api.stop();
      await worker.stop();
    }
    expect(logged).toEqual([]);
  });
});
