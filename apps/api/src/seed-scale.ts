// `pnpm atrium seed-scale [--scale <fraction>]` (issue 52): a database the size a growing customer
// base reaches — 10,000 workspaces (each with its owner), 2.5 M contacts and 2.5 M leads, 20 M
// messages in conversations, 1 M audit rows — with one measured workspace ("scale-measured":
// 200,000 leads, 1,000,000 contacts, 1,000,000 messages, one conversation of 500 messages, 50,000
// audit rows) and the baseline "scale-small" (1,000 of each) among the rest. Development only;
// the bench (bench/scale.bench.ts) reads it. --scale f multiplies every count but the small one's.
//
// How the rows are made (decision 0054): server-side `INSERT … SELECT generate_series`, no bytes
// over the wire; the time goes into the tables' indexes (trigram GINs, ICU-collated btrees). Ids are md5-derived from (workspace ordinal, kind, index), so a lead
// names its contact and a message its conversation without a join, and every tenant row carries
// its workspace_id under the composite keys. The bulk tables are written with
// session_replication_role = replica: that skips the live_notify triggers (one pg_notify per row,
// 20 M of them in one transaction) and the FK triggers — the ids are consistent by construction,
// and the seed test checks every composite key afterwards. Workspaces, memberships and audit rows
// go through their triggers: the chain heads are made by workspaces_audit_chain_start, and every
// audit row is sealed by audit_events_seal, in one ordered stream per workspace, at most
// AUDIT_BATCH rows of a workspace per transaction (each row updates its chain head; thousands of
// versions of one head row in one transaction make every lookup walk them all).
//
// Once: the bulk tables go in one transaction, then the audit rows, then the measured workspace's
// description is stamped complete. A database with any other workspace is refused, and so is a
// second run (complete or interrupted: drop the database and run again).
import pg from "pg";

import { hashPassword } from "./platform/auth/password.ts";

export const MEASURED_SLUG = "scale-measured";
/** The baseline: a workspace of about 1,000 rows per table in the same database (the bench's "small"). */
export const SMALL_SLUG = "scale-small";
const SMALL = { contacts: 1_000, leads: 1_000, messages: 1_000, audit: 1_000 };
/** Every seeded owner signs in with this password (a development database; the bench uses it). */
export const SEED_PASSWORD = "scale-seed-password";
export const seedOwnerEmail = (ordinal: number) => `scale-owner-${ordinal}@scale.example.com`;
const COMPLETE = "seed-scale complete";
const AUDIT_BATCH = 100;
const MESSAGES_PER_CONVERSATION = 50;
const LONG_CONVERSATION = 500;

export class SeedRefused extends Error {}

export interface SeedPlan {
  scale: number;
  workspaces: number;
  contacts: number;
  leads: number;
  messages: number;
  audit: number;
  measured: { contacts: number; leads: number; messages: number; audit: number; longConversation: number };
  small: typeof SMALL;
  /** Each of the other workspaces (neither measured nor small). */
  contactsEach: number;
  leadsEach: number;
  messagesEach: number;
  auditEach: number;
}

/** The row counts at `scale` (1 = the sizes). Every workspace keeps at least one contact. */
export function seedPlan(scale: number): SeedPlan {
  if (!(scale > 0 && scale <= 1)) throw new SeedRefused(`--scale must be a fraction in (0, 1], got ${scale}`);
  const n = (x: number, min: number) => Math.max(min, Math.round(x * scale));
  const workspaces = n(10_000, 3);
  const measured = {
    leads: n(200_000, 10),
    contacts: n(1_000_000, 10),
    messages: n(1_000_000, LONG_CONVERSATION + MESSAGES_PER_CONVERSATION),
    audit: n(50_000, 10),
    longConversation: LONG_CONVERSATION,
  };
  const others = workspaces - 2;
  const per = (total: number, inMeasured: number, min: number) =>
    Math.max(min, Math.round((n(total, 0) - inMeasured) / others));
  const contactsEach = per(2_500_000, measured.contacts, 1);
  const leadsEach = per(2_500_000, measured.leads, 1);
  const messagesEach = per(20_000_000, measured.messages, 1);
  const auditEach = per(1_000_000, measured.audit, 1);
  return {
    scale,
    workspaces,
    contacts: measured.contacts + SMALL.contacts + others * contactsEach,
    leads: measured.leads + SMALL.leads + others * leadsEach,
    messages: measured.messages + SMALL.messages + others * messagesEach,
    audit: measured.audit + SMALL.audit + others * auditEach,
    measured,
    small: SMALL,
    contactsEach,
    leadsEach,
    messagesEach,
    auditEach,
  };
}

export interface SeedResult {
  plan: SeedPlan;
  seconds: number;
  databaseBytes: number;
  messagesBytes: number;
  perTable: { table: string; rows: number; seconds: number }[];
}

/** One row per seeded workspace, with its counts; the generators below read it. */
const SEED_WS = `
  CREATE TEMP TABLE seed_ws (
    ord int PRIMARY KEY, id uuid NOT NULL, user_id uuid NOT NULL, membership_id uuid NOT NULL,
    n_contacts int NOT NULL, n_leads int NOT NULL, n_messages int NOT NULL, n_audit int NOT NULL,
    long_conv int NOT NULL, n_convs int NOT NULL)`;

// Ids: md5 of (workspace ordinal, kind, index) read as a uuid — random-looking like
// gen_random_uuid(), so indexes on ids grow as they do in production.
const id = (kind: string, ord: string, i: string) => `md5(${ord} || ':${kind}:' || ${i})::uuid`;
// Pseudo-random minutes ago within a year, from the index (deterministic, cheap).
const minutesAgo = (i: string, ord: string) => `((${i}::bigint * 7919 + ${ord}::bigint * 104729) % 525600)`;
const FIRST = `(ARRAY['Ana','Ben','Carla','David','Elena','Farid','Grace','Hugo','Ines','Jon','Kofi','Lucia','Mateo','Nora','Omar','Pia','Quinn','Rosa','Sam','Tara','Uma','Victor','Wen','Ximena','Yusuf','Zoe'])`;
const LAST = `(ARRAY['Garcia','Smith','Okafor','Muller','Rossi','Silva','Kim','Nguyen','Haddad','Kowalski','Jensen','Tanaka','Lopez','Brown','Dubois','Novak','Ivanov','Singh','Cohen','Moreau'])`;
const personName = (i: string) => `${FIRST}[1 + (${i} % 26)] || ' ' || ${LAST}[1 + ((${i} / 26) % 20)]`;
const phone = (ord: string, i: string) => `'+1' || (200 + ${ord} % 800)::text || lpad(${i}::text, 7, '0')`;

/** A generator over the workspaces with ord in [$1, $2) and, in each, the indexes in [$3, least($4, count)). */
const over = (count: string) =>
  `FROM seed_ws w CROSS JOIN LATERAL generate_series($3::int, least($4::int, w.${count}) - 1) AS g(i) WHERE w.ord >= $1 AND w.ord < $2`;

// A conversation's message count and its first message's time (k: its index in the workspace).
const convCount = `CASE WHEN w.long_conv > 0 AND k = 0 THEN w.long_conv ELSE least(${MESSAGES_PER_CONVERSATION}, (w.n_messages - w.long_conv) - (k - (w.long_conv > 0)::int) * ${MESSAGES_PER_CONVERSATION}) END`;

const TABLES: { table: string; count: string; sql: string }[] = [
  {
    table: "contacts",
    count: "n_contacts",
    sql: `INSERT INTO contacts (workspace_id, id, name, email, phone, created_at, updated_at)
      SELECT w.id, ${id("c", "w.ord", "i")}, ${personName("i")}, 'c' || i || '@w' || w.ord || '.example.com', ${phone("w.ord", "i")},
             now() - ${minutesAgo("i", "w.ord")} * interval '1 minute', now()
      ${over("n_contacts")}`,
  },
  {
    table: "leads",
    count: "n_leads",
    sql: `INSERT INTO leads (workspace_id, id, contact_id, name, email, phone, source, status, created_at, updated_at)
      SELECT w.id, ${id("l", "w.ord", "i")}, ${id("c", "w.ord", "(i % w.n_contacts)")}, ${personName("(i % w.n_contacts)")},
             'c' || (i % w.n_contacts) || '@w' || w.ord || '.example.com', ${phone("w.ord", "(i % w.n_contacts)")},
             'FORM', (ARRAY['NEW','CONTACTED','ENGAGED','QUALIFIED','BOOKED','LOST']::lead_status[])[1 + i % 6],
             now() - ${minutesAgo("i", "w.ord")} * interval '1 minute', now()
      ${over("n_leads")}`,
  },
  {
    table: "conversations",
    count: "n_convs",
    sql: `INSERT INTO conversations (workspace_id, id, contact_id, lead_id, last_message_at, last_activity_at, created_at, updated_at)
      SELECT w.id, ${id("v", "w.ord", "k")}, ${id("c", "w.ord", "((k % w.n_leads) % w.n_contacts)")}, ${id("l", "w.ord", "(k % w.n_leads)")},
             t.start + (${convCount} - 1) * interval '3 minutes', t.start + (${convCount} - 1) * interval '3 minutes', t.start, now()
      FROM seed_ws w CROSS JOIN LATERAL generate_series($3::int, least($4::int, w.n_convs) - 1) AS g(k)
        CROSS JOIN LATERAL (SELECT now() - (${minutesAgo("k", "w.ord")} + ${convCount} * 3 + 1) * interval '1 minute' AS start) t
      WHERE w.ord >= $1 AND w.ord < $2`,
  },
  {
    table: "messages",
    count: "n_messages",
    // Message i is the j-th of conversation k: the long conversation first (measured workspace), then 50 each.
    sql: `INSERT INTO messages (workspace_id, id, conversation_id, direction, sender, body, status, created_at)
      SELECT w.id, ${id("m", "w.ord", "i")}, ${id("v", "w.ord", "k")},
             CASE WHEN j % 2 = 0 THEN 'INBOUND'::message_direction ELSE 'OUTBOUND'::message_direction END,
             CASE WHEN j % 2 = 0 THEN 'CONTACT'::message_sender ELSE 'AGENT'::message_sender END,
             CASE WHEN j % 2 = 0 THEN 'Hi, a question about order ' || i || ': can I change the delivery time?'
                  ELSE 'Of course. Your order ' || i || ' can be moved; which day suits you best?' END,
             CASE WHEN j % 2 = 0 THEN 'RECEIVED'::message_status ELSE 'DELIVERED'::message_status END,
             now() - (${minutesAgo("k", "w.ord")} + ${convCount} * 3 + 1) * interval '1 minute' + j * interval '3 minutes'
      FROM seed_ws w CROSS JOIN LATERAL generate_series($3::int, least($4::int, w.n_messages) - 1) AS g(i)
        CROSS JOIN LATERAL (SELECT
          CASE WHEN i < w.long_conv THEN 0 ELSE (i - w.long_conv) / ${MESSAGES_PER_CONVERSATION} + (w.long_conv > 0)::int END AS k,
          CASE WHEN i < w.long_conv THEN i ELSE (i - w.long_conv) % ${MESSAGES_PER_CONVERSATION} END AS j) kj
      WHERE w.ord >= $1 AND w.ord < $2`,
  },
];

/** Statements of about CHUNK rows: the measured workspace in slices, the others in groups. */
const CHUNK = 250_000;
function chunks(workspaces: number, measuredCount: number, eachCount: number): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  for (let lo = 0; lo < measuredCount; lo += CHUNK) out.push([0, 1, lo, Math.min(measuredCount, lo + CHUNK)]);
  const group = Math.max(1, Math.floor(CHUNK / Math.max(1, eachCount)));
  for (let w = 1; w < workspaces; w += group) out.push([w, Math.min(workspaces, w + group), 0, 2_000_000_000]);
  return out;
}

/**
 * Fills the database at `ownerUrl` (the owner role: it sets session_replication_role). Refuses a
 * database holding any workspace it did not make, and a second run.
 */
export async function seedScale(
  ownerUrl: string,
  opts: { scale: number; log: (line: string) => void },
): Promise<SeedResult> {
  const plan = seedPlan(opts.scale);
  const log = opts.log;
  const client = new pg.Client({ connectionString: ownerUrl, application_name: "atrium seed-scale" });
  await client.connect();
  const began = Date.now();
  const perTable: SeedResult["perTable"] = [];
  try {
    const existing = await client.query<{ foreign: string; measured: string | null }>(
      `SELECT count(*) FILTER (WHERE slug NOT LIKE 'scale-%') AS foreign, max(description) FILTER (WHERE slug = $1) AS measured FROM workspaces`,
      [MEASURED_SLUG],
    );
    const { foreign, measured } = existing.rows[0]!;
    if (Number(foreign) > 0)
      throw new SeedRefused(
        `the database holds ${foreign} workspace(s) seed-scale did not make; seed-scale fills a database of its own (set DATABASE_URL or EMBEDDED_PG_DIR to an empty one)`,
      );
    if (measured !== null) {
      throw new SeedRefused(
        measured.startsWith(COMPLETE)
          ? `the database is already seeded (${measured}); drop it to seed again`
          : `a previous seed-scale run did not finish; drop the database and run again`,
      );
    }
    // The seed's own commits need not wait for the disk (the server's fsync stays as configured).
    await client.query(`SET synchronous_commit = off`);
    const passwordHash = await hashPassword(SEED_PASSWORD);
    log(
      `Seeding at scale ${plan.scale}: ${plan.workspaces} workspaces, ${plan.contacts} contacts, ${plan.leads} leads, ${plan.messages} messages, ${plan.audit} audit rows`,
    );
    log(
      `  measured workspace "${MEASURED_SLUG}": ${plan.measured.contacts} contacts, ${plan.measured.leads} leads, ${plan.measured.messages} messages (one conversation of ${plan.measured.longConversation}), ${plan.measured.audit} audit rows`,
    );
    log(
      `  small workspace "${SMALL_SLUG}": ${plan.small.contacts} contacts, ${plan.small.leads} leads, ${plan.small.messages} messages (one conversation of ${LONG_CONVERSATION}), ${plan.small.audit} audit rows`,
    );

    await client.query(SEED_WS);
    await client.query(
      `INSERT INTO seed_ws (ord, id, user_id, membership_id, n_contacts, n_leads, n_messages, n_audit, long_conv, n_convs)
       SELECT o, ${id("w", "o", "0")}, ${id("u", "o", "0")}, ${id("o", "o", "0")},
              CASE WHEN o = 0 THEN $2::int WHEN o = $1 - 1 THEN ${SMALL.contacts} ELSE $6::int END,
              CASE WHEN o = 0 THEN $3::int WHEN o = $1 - 1 THEN ${SMALL.leads} ELSE $7::int END,
              CASE WHEN o = 0 THEN $4::int WHEN o = $1 - 1 THEN ${SMALL.messages} ELSE $8::int END,
              CASE WHEN o = 0 THEN $5::int WHEN o = $1 - 1 THEN ${SMALL.audit} ELSE $9::int END,
              CASE WHEN o = 0 OR o = $1 - 1 THEN ${LONG_CONVERSATION} ELSE 0 END, 0
       FROM generate_series(0, $1::int - 1) AS o`,
      [
        plan.workspaces,
        plan.measured.contacts,
        plan.measured.leads,
        plan.measured.messages,
        plan.measured.audit,
        plan.contactsEach,
        plan.leadsEach,
        plan.messagesEach,
        plan.auditEach,
      ],
    );
    await client.query(
      `UPDATE seed_ws SET n_convs = (long_conv > 0)::int + ceil((n_messages - long_conv)::numeric / ${MESSAGES_PER_CONVERSATION})::int`,
    );
    await client.query(`ANALYZE seed_ws`);

    const timed = async (table: string, rows: number, run: () => Promise<void>) => {
      const t0 = Date.now();
      await run();
      const seconds = (Date.now() - t0) / 1000;
      perTable.push({ table, rows, seconds });
      log(
        `  ${table}: ${rows} rows in ${seconds.toFixed(1)} s (${Math.round(rows / Math.max(seconds, 0.001))} rows/s)`,
      );
    };

    await client.query("BEGIN");
    await timed("users, workspaces, memberships", plan.workspaces * 3, async () => {
      await client.query(
        `INSERT INTO users (id, email, name, password_hash, email_verified_at) SELECT user_id, 'scale-owner-' || ord || '@scale.example.com', 'Scale Owner ' || ord, $1, now() FROM seed_ws`,
        [passwordHash],
      );
      // Through workspaces_audit_chain_start: each workspace's chain head (and subject salt).
      await client.query(
        `INSERT INTO workspaces (id, slug, name, description, channel) SELECT id, CASE WHEN ord = 0 THEN $1 WHEN ord = $3 - 1 THEN $2 ELSE 'scale-' || ord END, CASE WHEN ord = 0 THEN 'Scale measured' WHEN ord = $3 - 1 THEN 'Scale small' ELSE 'Scale ' || ord END, 'seed-scale', 'WHATSAPP' FROM seed_ws`,
        [MEASURED_SLUG, SMALL_SLUG, plan.workspaces],
      );
      await client.query(
        `INSERT INTO memberships (workspace_id, id, user_id, role) SELECT id, membership_id, user_id, 'OWNER' FROM seed_ws`,
      );
    });
    await client.query(`SET LOCAL session_replication_role = replica`);
    const counts: Record<string, [number, number, number]> = {
      contacts: [plan.contacts, plan.measured.contacts, plan.contactsEach],
      leads: [plan.leads, plan.measured.leads, plan.leadsEach],
      conversations: [0, 0, 0],
      messages: [plan.messages, plan.measured.messages, plan.messagesEach],
    };
    const convs = await client.query<{ total: string; measured: number; each: number }>(
      `SELECT sum(n_convs) AS total, max(n_convs) FILTER (WHERE ord = 0) AS measured, max(n_convs) FILTER (WHERE ord > 0) AS each FROM seed_ws`,
    );
    counts.conversations = [Number(convs.rows[0]!.total), convs.rows[0]!.measured, convs.rows[0]!.each ?? 0];
    for (const t of TABLES) {
      const [total, inMeasured, each] = counts[t.table]!;
      await timed(t.table, total, async () => {
        let done = 0;
        let lastLog = Date.now();
        const t0 = Date.now();
        for (const params of chunks(plan.workspaces, inMeasured, each)) {
          const r = await client.query(t.sql, params);
          done += r.rowCount ?? 0;
          if (Date.now() - lastLog > 5000) {
            lastLog = Date.now();
            log(`    ${t.table}: ${done}/${total} (${Math.round(done / ((Date.now() - t0) / 1000))} rows/s)`);
          }
        }
        if (done !== total) throw new Error(`${t.table}: made ${done} rows, planned ${total}`);
      });
    }
    await client.query("COMMIT");

    // Audit rows through the seal trigger, in order per workspace, AUDIT_BATCH per workspace per transaction.
    await timed("audit_events (through the chain trigger)", plan.audit, async () => {
      const maxAudit = Math.max(plan.measured.audit, plan.small.audit, plan.auditEach);
      let done = 0;
      let lastLog = Date.now();
      const t0 = Date.now();
      const group = Math.max(1, Math.floor(20_000 / Math.min(AUDIT_BATCH, Math.max(1, plan.auditEach))));
      for (let lo = 0; lo < maxAudit; lo += AUDIT_BATCH) {
        // Past the others' count only the measured and the small workspace have rows left: one statement.
        const ranges: [number, number][] = lo < plan.auditEach ? [] : [[0, plan.workspaces]];
        if (lo < plan.auditEach)
          for (let w = 0; w < plan.workspaces; w += group) ranges.push([w, Math.min(plan.workspaces, w + group)]);
        for (const [wlo, whi] of ranges) {
          const r = await client.query(
            `INSERT INTO audit_events (workspace_id, id, actor_user_id, actor_membership_id, action, target_type, target_id, data, created_at)
             SELECT w.id, ${id("a", "w.ord", "i")}, w.user_id, w.membership_id,
                    (ARRAY['lead.updated','lead.status_changed','contact.updated','conversation.assigned'])[1 + i % 4], 'Lead',
                    ${id("l", "w.ord", "(i % w.n_leads)")}::text, jsonb_build_object('status', (ARRAY['CONTACTED','QUALIFIED','BOOKED'])[1 + i % 3]),
                    now() - (w.n_audit - i) * interval '1 minute'
             FROM seed_ws w CROSS JOIN LATERAL generate_series($3::int, least($4::int, w.n_audit) - 1) AS g(i)
             WHERE w.ord >= $1 AND w.ord < $2
             ORDER BY w.ord, i`,
            [wlo, whi, lo, lo + AUDIT_BATCH],
          );
          done += r.rowCount ?? 0;
          if (Date.now() - lastLog > 5000) {
            lastLog = Date.now();
            log(`    audit_events: ${done}/${plan.audit} (${Math.round(done / ((Date.now() - t0) / 1000))} rows/s)`);
          }
        }
      }
      if (done !== plan.audit) throw new Error(`audit_events: made ${done} rows, planned ${plan.audit}`);
    });

    // Statistics and the visibility map, as a database that has been running a while has them.
    await timed("VACUUM ANALYZE", 0, async () => {
      for (const t of [
        "users",
        "workspaces",
        "memberships",
        "contacts",
        "leads",
        "conversations",
        "messages",
        "audit_events",
        "audit_chain_heads",
      ])
        await client.query(`VACUUM (ANALYZE) ${t}`);
    });
    await client.query(`UPDATE workspaces SET description = $2 WHERE slug = $1`, [
      MEASURED_SLUG,
      `${COMPLETE} (scale ${plan.scale}, ${new Date().toISOString()})`,
    ]);

    const sizes = await client.query<{ db: string; messages: string }>(
      `SELECT pg_database_size(current_database()) AS db, pg_total_relation_size('messages') AS messages`,
    );
    const databaseBytes = Number(sizes.rows[0]!.db);
    const messagesBytes = Number(sizes.rows[0]!.messages);
    const seconds = (Date.now() - began) / 1000;
    const perMillion = (b: number) => `${(b / 2 ** 30 / (plan.messages / 1e6)).toFixed(2)} GiB`;
    log(
      `Done in ${seconds.toFixed(0)} s. Database ${(databaseBytes / 2 ** 30).toFixed(2)} GiB: ${perMillion(databaseBytes)} per 1 million messages (the whole database); messages with their indexes ${(messagesBytes / 2 ** 30).toFixed(2)} GiB, ${perMillion(messagesBytes)} per 1 million.`,
    );
    log(`Sign in as ${seedOwnerEmail(0)} (password "${SEED_PASSWORD}") to see the measured workspace.`);
    return { plan, seconds, databaseBytes, messagesBytes, perTable };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}
