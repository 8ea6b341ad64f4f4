import { spawnSync } from "node:child_process";
import pg from "pg";

import { freshTestDatabase, type TestDatabase } from "@atrium/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { MEASURED_SLUG, seedPlan, SeedRefused, seedScale, SMALL_SLUG } from "./seed-scale.ts";
import { apiDir, buildApi, type BuiltApi } from "./test/built.ts";

const SCALE = 0.0005;

async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

describe("seed-scale at a tiny scale", () => {
  let db: TestDatabase;
  const lines: string[] = [];
  beforeAll(async () => {
    db = await freshTestDatabase();
    await seedScale(db.ownerUrl, { scale: SCALE, log: (l) => lines.push(l) });
  }, 120_000);
  afterAll(async () => db?.drop());

  it("makes the planned rows, the measured workspace and the small one", async () => {
    const plan = seedPlan(SCALE);
    const [counts] = await sql<Record<string, string>>(
      db.ownerUrl,
      `SELECT (SELECT count(*) FROM workspaces) AS workspaces, (SELECT count(*) FROM memberships WHERE role = 'OWNER') AS owners,
              (SELECT count(*) FROM contacts) AS contacts, (SELECT count(*) FROM leads) AS leads,
              (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM audit_events) AS audit`,
    );
    expect(counts).toEqual({
      workspaces: String(plan.workspaces),
      owners: String(plan.workspaces),
      contacts: String(plan.contacts),
      leads: String(plan.leads),
      messages: String(plan.messages),
      audit: String(plan.audit),
    });
    for (const [slug, want] of [
      [MEASURED_SLUG, plan.measured],
      [SMALL_SLUG, plan.small],
    ] as const) {
      const [ws] = await sql<Record<string, string>>(
        db.ownerUrl,
        `SELECT (SELECT count(*) FROM leads l WHERE l.workspace_id = w.id) AS leads, (SELECT count(*) FROM contacts c WHERE c.workspace_id = w.id) AS contacts,
                (SELECT count(*) FROM messages m WHERE m.workspace_id = w.id) AS messages, (SELECT count(*) FROM audit_events a WHERE a.workspace_id = w.id) AS audit,
                (SELECT max(n) FROM (SELECT count(*) AS n FROM messages m WHERE m.workspace_id = w.id GROUP BY conversation_id) x) AS longest
         FROM workspaces w WHERE w.slug = $1`,
        [slug],
      );
      expect(ws).toEqual({
        leads: String(want.leads),
        contacts: String(want.contacts),
        messages: String(want.messages),
        audit: String(want.audit),
        longest: "500",
      });
    }
    expect(lines.at(-2)).toMatch(/per 1 million messages/);
  });

  it("keeps every composite key and each workspace's audit chain whole", async () => {
    // The bulk tables are written without their FK triggers: every reference must still resolve.
    const [broken] = await sql<Record<string, string>>(
      db.ownerUrl,
      `SELECT (SELECT count(*) FROM leads l WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.workspace_id = l.workspace_id AND c.id = l.contact_id)) AS lead_contact,
              (SELECT count(*) FROM conversations v WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.workspace_id = v.workspace_id AND c.id = v.contact_id)) AS conversation_contact,
              (SELECT count(*) FROM conversations v WHERE NOT EXISTS (SELECT 1 FROM leads l WHERE l.workspace_id = v.workspace_id AND l.id = v.lead_id)) AS conversation_lead,
              (SELECT count(*) FROM messages m WHERE NOT EXISTS (SELECT 1 FROM conversations v WHERE v.workspace_id = m.workspace_id AND v.id = m.conversation_id)) AS message_conversation,
              (SELECT count(*) FROM audit_events a WHERE NOT EXISTS (SELECT 1 FROM memberships o WHERE o.workspace_id = a.workspace_id AND o.id = a.actor_membership_id)) AS audit_actor,
              (SELECT count(*) FROM conversations v WHERE v.last_message_at <> (SELECT max(created_at) FROM messages m WHERE m.workspace_id = v.workspace_id AND m.conversation_id = v.id)) AS conversation_last_message`,
    );
    expect(broken).toEqual({
      lead_contact: "0",
      conversation_contact: "0",
      conversation_lead: "0",
      message_conversation: "0",
      audit_actor: "0",
      conversation_last_message: "0",
    });
    // Sealed by the trigger: seq runs 1..n per workspace, each row chained to the one before.
    const chains = await sql<{ workspace_id: string; n: string; max_seq: string; unchained: string }>(
      db.ownerUrl,
      `SELECT a.workspace_id, count(*) AS n, max(a.seq) AS max_seq,
              count(*) FILTER (WHERE a.seq > 1 AND a.prev_hash <> (SELECT p.hash FROM audit_events p WHERE p.workspace_id = a.workspace_id AND p.seq = a.seq - 1)) AS unchained
       FROM audit_events a GROUP BY a.workspace_id`,
    );
    expect(chains.length).toBe(seedPlan(SCALE).workspaces);
    for (const c of chains) expect([c.max_seq, c.unchained]).toEqual([c.n, "0"]);
  });

  it("refuses a second run", async () => {
    await expect(seedScale(db.ownerUrl, { scale: SCALE, log: () => undefined })).rejects.toThrow(SeedRefused);
    await expect(seedScale(db.ownerUrl, { scale: SCALE, log: () => undefined })).rejects.toThrow(/already seeded/);
  });
});

describe("pnpm atrium seed-scale refuses", () => {
  let built: BuiltApi;
  let db: TestDatabase;
  beforeAll(async () => {
    built = buildApi();
    db = await freshTestDatabase();
  }, 120_000);
  afterAll(async () => {
    await built?.remove();
    await db?.drop();
  });
  const cli = (env: Record<string, string>, ...args: string[]) =>
    spawnSync(process.execPath, [...built.cli, "seed-scale", ...args], {
      cwd: apiDir,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: db.ownerUrl, APP_DATABASE_URL: db.appUrl, ...env },
      timeout: 60_000,
    });

  it("in production, in one line, before touching the database", async () => {
    const r = cli(
      { NODE_ENV: "production", AUTH_SECRET: "a-production-secret-of-at-least-32-characters" },
      "--scale",
      "0.0005",
    );
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe("[atrium] seed-scale is a development command; refused with NODE_ENV=production");
    const [n] = await sql<{ n: string }>(db.ownerUrl, `SELECT count(*) AS n FROM workspaces`);
    expect(n?.n).toBe("0");
  });

  it("a database that holds a workspace it did not make, and a bad --scale", async () => {
    await sql(db.ownerUrl, `INSERT INTO workspaces (slug, name, channel) VALUES ('acme', 'Acme', 'WHATSAPP')`);
    const r = cli({ NODE_ENV: "development" }, "--scale", "0.0005");
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("seed-scale refused: the database holds 1 workspace(s) seed-scale did not make");
    const [n] = await sql<{ n: string }>(db.ownerUrl, `SELECT count(*) AS n FROM workspaces`);
    expect(n?.n).toBe("1");
    const bad = cli({ NODE_ENV: "development" }, "--scale", "2");
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });
});
