// The commit gate of per-route deadlines (issue 16): once a request was answered 503
// DEADLINE_EXCEEDED, none of its transactions commits. Real transactions through the tenant client; the HTTP layer's timer is played
// by calling `expire()` at the moment that matters, so each interleaving is exact, not a race.
// - answered while the transaction still works → it does not commit (rolled back at the gate);
// - the deadline passes while a commit is in flight → no 503 then; once the commit lands the
//   handler has a grace second to send its own answer; if the commit failed, the 503 goes out;
// - answered before the work starts → the transaction is not even begun.
import { setTimeout as sleep } from "node:timers/promises";

import { describe, expect, it } from "@atrium/test-kit";

import { DeadlineExceededError, Prisma, RequestDeadline, takeScopeViolations, witnessScope } from "../index.ts";
import { APP_ROLE } from "../roles.ts";
import { scratchSuite } from "./scratch.ts";

const scratch = scratchSuite(async ({ owner }) => {
  // A scratch table whose commit takes 800 ms for ids 'slow-…' (a deferred constraint trigger
  // sleeps at COMMIT) and then fails for 'slow-fail-…'.
  await owner.query(`
    CREATE TABLE deadline_probe (id text PRIMARY KEY);
    GRANT SELECT, INSERT ON deadline_probe TO ${APP_ROLE};
    CREATE FUNCTION deadline_probe_slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id LIKE 'slow-%' THEN PERFORM pg_sleep(0.8); END IF;
        IF NEW.id LIKE 'slow-fail-%' THEN RAISE EXCEPTION 'refused at commit'; END IF;
        RETURN NULL;
      END $$;
    CREATE CONSTRAINT TRIGGER deadline_probe_slow AFTER INSERT ON deadline_probe
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION deadline_probe_slow_commit();`);
});

/** Until a COMMIT (sleeping in its deferred trigger) is running on the server. */
async function commitRunning(): Promise<void> {
  const began = Date.now();
  for (;;) {
    const { rows } = await scratch.owner.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM pg_stat_activity WHERE query ILIKE 'COMMIT%' AND state = 'active' AND datname = current_database()`,
    );
    if (rows[0]!.n !== "0") return;
    if (Date.now() - began > 10_000) throw new Error("the COMMIT never showed in pg_stat_activity");
    await sleep(20);
  }
}

const stored = async (id: string) =>
  (await scratch.owner.query("SELECT 1 FROM deadline_probe WHERE id = $1", [id])).rowCount;
const insert = (id: string, deadline: RequestDeadline) =>
  scratch.db.tenant(
    { scope: { deadline } },
    async (tx) => tx.$executeRaw`INSERT INTO deadline_probe (id) VALUES (${id})`,
  );

describe("per-route deadlines: the commit gate", () => {
  it("does not commit a transaction whose request was answered 503 while it worked", async () => {
    const gate = new RequestDeadline(Date.now() + 30_000);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const work = scratch.db.tenant({ scope: { deadline: gate } }, async (tx) => {
      await tx.$executeRaw`INSERT INTO deadline_probe (id) VALUES ('answered-mid-work')`;
      await held; // the statement is done; the deadline passes before the work returns
    });
    await sleep(200);
    // The HTTP layer's timer: nothing commits, so it may answer 503.
    expect(gate.expire(() => undefined)).toBe(true);
    release();
    await expect(work).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(await stored("answered-mid-work")).toBe(0);
  });

  it("holds the 503 while a commit is in flight, and lets the handler answer once it landed", async () => {
    const gate = new RequestDeadline(Date.now() + 30_000);
    const work = insert("slow-commit", gate);
    await commitRunning();
    let handlerAnswered = false;
    const retries: boolean[] = [];
    // The HTTP layer's timer does nothing once the handler has answered (reply.sent).
    const retry = () => {
      if (!handlerAnswered) retries.push(gate.expire(retry));
    };
    expect(gate.expire(retry), "no 503 while the commit is in flight").toBe(false);
    await work;
    handlerAnswered = true; // within the grace: the handler's own answer went out
    expect(await stored("slow-commit")).toBe(1);
    await sleep(RequestDeadline.LATE_COMMIT_GRACE_MS + 200);
    expect(retries, "no 503 after the commit landed").toEqual([]);
    expect(gate.answered).toBe(false);
  });

  it("answers 503 after the grace when the handler stays stuck behind a landed commit", async () => {
    const gate = new RequestDeadline(Date.now() + 30_000);
    const work = insert("slow-commit-2", gate);
    await commitRunning();
    const retries: boolean[] = [];
    const retry = () => retries.push(gate.expire(retry));
    expect(gate.expire(retry)).toBe(false);
    await work;
    expect(retries, "the handler gets its grace first").toEqual([]);
    await sleep(RequestDeadline.LATE_COMMIT_GRACE_MS + 200);
    expect(retries).toEqual([true]);
  });

  it("answers 503 after a commit that failed, and starts no transaction once answered", async () => {
    const gate = new RequestDeadline(Date.now() + 30_000);
    const work = insert("slow-fail-1", gate);
    await commitRunning();
    const retries: boolean[] = [];
    const retry = () => retries.push(gate.expire(retry));
    expect(gate.expire(retry)).toBe(false);
    await expect(work).rejects.toThrow(/refused at commit/);
    expect(await stored("slow-fail-1")).toBe(0);
    // The commit failed: nothing landed, so the held 503 goes out now.
    expect(retries).toEqual([true]);
    expect(gate.answered).toBe(true);
    await expect(insert("after-answer", gate)).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(await stored("after-answer")).toBe(0);
  });
});

describe("the request-scope witness (tests only: ATRIUM_SCOPE_WITNESS=1)", () => {
  it("refuses a unit of work run inside a request without that request's scope, and records it", async () => {
    expect(process.env["ATRIUM_SCOPE_WITNESS"], "jest.base.js turns the witness on").toBe("1");
    const scope = { deadline: new RequestDeadline(Date.now() + 30_000) };
    await witnessScope(scope, async () => {
      await expect(
        scratch.db.tenant(
          { scope },
          (tx) => tx.$executeRaw`INSERT INTO deadline_probe (id) VALUES ('witness-carried')`,
        ),
      ).resolves.toBe(1);
      await expect(
        scratch.db.tenant({}, (tx) => tx.$executeRaw`INSERT INTO deadline_probe (id) VALUES ('witness-forgot')`),
      ).rejects.toThrow(/without its request's scope/);
      await expect(
        scratch.db.tenantRead({ scope: { deadline: scope.deadline } }, [Prisma.sql`SELECT 1 AS one`]),
      ).rejects.toThrow(/with another request's scope/);
      await expect(
        scratch.db.tenantWrite(
          {},
          Prisma.sql`INSERT INTO deadline_probe (id) VALUES ('witness-forgot-write') RETURNING id`,
        ),
      ).rejects.toThrow(/without its request's scope/);
      // Work the request starts that is not part of its answer says so (`scope: null`).
      await expect(scratch.db.tenant({ scope: null }, (tx) => tx.$queryRaw`SELECT 2 AS two`)).resolves.toEqual([
        { two: 2 },
      ]);
    });
    // Outside a request nothing is asked of a unit of work.
    await expect(scratch.db.tenant({}, (tx) => tx.$queryRaw`SELECT 3 AS three`)).resolves.toEqual([{ three: 3 }]);
    const violations = takeScopeViolations();
    expect(violations).toHaveLength(3);
    expect(violations[0]).toMatch(/deadline-gate\.int\.test\.ts/);
    expect(await stored("witness-carried")).toBe(1);
    expect(await stored("witness-forgot")).toBe(0);
    expect(await stored("witness-forgot-write")).toBe(0);
  });
});
