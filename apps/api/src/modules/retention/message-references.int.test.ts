// Issue 52 (migration 20261129000000_message_references_set_wise): the three references to a
// message — a reply's in_reply_to_id, a campaign recipient's message_id, a review item's
// message_id — keep their ON DELETE SET NULL rules, enforced by triggers instead of per-row
// foreign-key triggers: deleting messages (the retention sweep) nulls every reference in one
// statement per table; a reference to a message that does not exist (or is another workspace's)
// is refused with foreign_key_violation, naming the constraint; a reference and a delete racing
// each other end as PostgreSQL's own foreign keys end them.
import pg from "pg";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";
import { runRetentionSweep } from "./retention-sweep.ts";

const NOW = new Date("2026-06-15T03:00:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

describe("references to messages: set null on delete, checked on insert", () => {
  let api: TestApi;
  let owner: TestUser;

  /** A workspace with one conversation; returns ids. */
  async function workspace(name: string, retentionDays: number | null = 30) {
    const ws = await createWorkspace(api, owner, name);
    await ownerSql(api, `UPDATE workspaces SET retention_days = $2 WHERE id = $1`, [ws.id, retentionDays]);
    const [contact] = await ownerSql<{ id: string }>(
      api,
      `INSERT INTO contacts (workspace_id, name) VALUES ($1, 'C') RETURNING id`,
      [ws.id],
    );
    const [conv] = await ownerSql<{ id: string }>(
      api,
      `INSERT INTO conversations (workspace_id, contact_id, created_at) VALUES ($1, $2, $3) RETURNING id`,
      [ws.id, contact!.id, daysAgo(60)],
    );
    return { id: ws.id, contactId: contact!.id, conversationId: conv!.id };
  }
  const message = async (w: { id: string; conversationId: string }, age: number, inReplyTo: string | null = null) =>
    (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status, created_at, in_reply_to_id) VALUES ($1, $2, 'INBOUND', 'CONTACT', 'm', 'RECEIVED', $3, $4) RETURNING id`,
        [w.id, w.conversationId, daysAgo(age), inReplyTo],
      )
    )[0]!.id;
  const reviewItem = (w: { id: string }, messageId: string | null) =>
    `INSERT INTO review_items (workspace_id, reason, summary, message_id) VALUES ('${w.id}', 'SAFETY_FLAG', 's', ${messageId ? `'${messageId}'` : "NULL"}) RETURNING id`;
  /** A client of the app role inside workspace `ws` (a tenant transaction, as the API's). */
  async function tenantClient(ws: string): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: api.testDb.appUrl });
    await c.connect();
    await c.query("BEGIN");
    await c.query(`SELECT set_config('app.workspace_id', $1, true)`, [ws]);
    return c;
  }
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => "ok",
      (e: { code?: string; constraint?: string }) => `${e.code} ${e.constraint ?? ""}`.trim(),
    );

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Owner");
  });
  afterAll(async () => api.close());

  it("the sweep's delete nulls a young reply's, a campaign recipient's and a review item's reference; the rows stay", async () => {
    const w = await workspace("References Co");
    const old = await message(w, 40);
    const reply = await message(w, 2, old);
    const [campaign] = await ownerSql<{ id: string }>(
      api,
      `INSERT INTO campaigns (workspace_id, name, message, status) VALUES ($1, 'c', 'm', 'COMPLETED') RETURNING id`,
      [w.id],
    );
    await ownerSql(
      api,
      `INSERT INTO campaign_recipients (workspace_id, campaign_id, contact_id, status, message_id) VALUES ($1, $2, $3, 'QUEUED', $4)`,
      [w.id, campaign!.id, w.contactId, old],
    );
    const [item] = await ownerSql<{ id: string }>(api, reviewItem(w, old));
    const swept = await runRetentionSweep(
      { db: api.db, retention: api.services.retention },
      { now: NOW, batchSize: 10 },
    );
    expect(swept.totals.messages).toBeGreaterThanOrEqual(1);
    expect(await ownerSql(api, `SELECT id FROM messages WHERE workspace_id = $1`, [w.id])).toEqual([{ id: reply }]);
    expect(await ownerSql(api, `SELECT in_reply_to_id FROM messages WHERE id = $1`, [reply])).toEqual([
      { in_reply_to_id: null },
    ]);
    expect(
      await ownerSql(api, `SELECT message_id FROM campaign_recipients WHERE campaign_id = $1`, [campaign!.id]),
    ).toEqual([{ message_id: null }]);
    expect(await ownerSql(api, `SELECT message_id FROM review_items WHERE id = $1`, [item!.id])).toEqual([
      { message_id: null },
    ]);
  });

  it("refuses a reference to a missing message or to another workspace's (app role inserts, an owner update); a message's key never changes", async () => {
    const w = await workspace("Checked Co");
    const other = await workspace("Elsewhere Co");
    const theirs = await message(other, 1);
    const mine = await message(w, 1);
    const missing = crypto.randomUUID();
    const app = await tenantClient(w.id);
    try {
      for (const ref of [missing, theirs]) {
        await app.query("SAVEPOINT s");
        expect(await codeOf(app.query(reviewItem(w, ref)))).toBe("23503 review_items_workspace_id_message_id_fkey");
        await app.query("ROLLBACK TO SAVEPOINT s");
        expect(
          await codeOf(
            app.query(
              `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status, in_reply_to_id) VALUES ($1, $2, 'OUTBOUND', 'AGENT', 'r', 'QUEUED', $3)`,
              [w.id, w.conversationId, ref],
            ),
          ),
        ).toBe("23503 messages_workspace_id_in_reply_to_id_fkey");
        await app.query("ROLLBACK TO SAVEPOINT s");
      }
      // A present message of its own workspace is accepted.
      expect(await codeOf(app.query(reviewItem(w, mine)))).toBe("ok");
    } finally {
      await app.query("ROLLBACK");
      await app.end();
    }
    const [campaign] = await ownerSql<{ id: string }>(
      api,
      `INSERT INTO campaigns (workspace_id, name, message, status) VALUES ($1, 'c', 'm', 'RUNNING') RETURNING id`,
      [w.id],
    );
    await ownerSql(api, `INSERT INTO campaign_recipients (workspace_id, campaign_id, contact_id) VALUES ($1, $2, $3)`, [
      w.id,
      campaign!.id,
      w.contactId,
    ]);
    expect(
      await codeOf(
        ownerSql(api, `UPDATE campaign_recipients SET message_id = $2 WHERE campaign_id = $1`, [campaign!.id, missing]),
      ),
    ).toBe("23503 campaign_recipients_workspace_id_message_id_fkey");
    expect(
      await codeOf(
        ownerSql(api, `UPDATE campaign_recipients SET message_id = $2 WHERE campaign_id = $1`, [campaign!.id, mine]),
      ),
    ).toBe("ok");
    expect(await codeOf(ownerSql(api, `UPDATE messages SET id = gen_random_uuid() WHERE id = $1`, [mine]))).toBe(
      "23503",
    );
    // The constraints are still in the catalog (what references what), enforced by the triggers.
    const fks = await ownerSql<{ conname: string; conenforced: boolean }>(
      api,
      `SELECT conname, conenforced FROM pg_constraint WHERE contype = 'f' AND confrelid = 'messages'::regclass AND conrelid <> 'messages'::regclass OR conname = 'messages_workspace_id_in_reply_to_id_fkey' ORDER BY conname`,
    );
    expect(fks).toEqual([
      { conname: "campaign_recipients_workspace_id_message_id_fkey", conenforced: false },
      { conname: "messages_workspace_id_in_reply_to_id_fkey", conenforced: false },
      { conname: "review_items_workspace_id_message_id_fkey", conenforced: false },
    ]);
  });

  it("a delete racing a new reference: waits for it and nulls it, or wins and the reference is refused", async () => {
    const w = await workspace("Race Co");
    // 1. The reference first (uncommitted): the delete waits for it, then nulls it.
    const m1 = await message(w, 1);
    const a = await tenantClient(w.id);
    const b = await tenantClient(w.id);
    try {
      const [item] = (await a.query<{ id: string }>(reviewItem(w, m1))).rows;
      const deleting = b.query(`DELETE FROM messages WHERE id = $1`, [m1]);
      await new Promise((r) => setTimeout(r, 300));
      await a.query("COMMIT");
      await deleting;
      await b.query("COMMIT");
      expect(await ownerSql(api, `SELECT message_id FROM review_items WHERE id = $1`, [item!.id])).toEqual([
        { message_id: null },
      ]);
    } finally {
      await a.end();
      await b.end();
    }
    // 2. The delete first (uncommitted): the reference waits for it, then is refused.
    const m2 = await message(w, 1);
    const c = await tenantClient(w.id);
    const d = await tenantClient(w.id);
    try {
      await c.query(`DELETE FROM messages WHERE id = $1`, [m2]);
      const referencing = codeOf(d.query(reviewItem(w, m2)));
      await new Promise((r) => setTimeout(r, 300));
      await c.query("COMMIT");
      expect(await referencing).toBe("23503 review_items_workspace_id_message_id_fkey");
      await d.query("ROLLBACK");
    } finally {
      await c.end();
      await d.end();
    }
    expect(
      await ownerSql(
        api,
        `SELECT 1 FROM review_items WHERE workspace_id = $1 AND message_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.workspace_id = review_items.workspace_id AND m.id = review_items.message_id)`,
        [w.id],
      ),
    ).toEqual([]);
  });
});
