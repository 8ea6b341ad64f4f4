// A submitted lead in one round trip: the contact, the lead and its audit row are one statement,
// sent after the tenant settings as one pipeline ended by one Sync (`db.tenantWrite`) when nothing
// else must happen in the transaction. The statement itself writes nothing when a webhook endpoint
// listens for lead.created, and a lead with a phone may be followed up (opening message, call):
// both then take the transaction through `tenant`.
import { Prisma, RequestDeadline, RequestPrincipals, type ReadRows, type StatementCounter } from "@atrium/db";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { databaseUnavailable, ErrorCode } from "../../platform/errors.ts";
import {
  createWorkspace,
  ownerSql,
  revealedAudit,
  startTestApi,
  type GqlResult,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";
import { requestStatements } from "../../test/request-statements.ts";
import { leadsRepository, submitBatch } from "./leads.repository.ts";

const SUBMIT = `mutation($i: SubmitLeadInput!) { submitLead(input: $i) { id contact { id email phone } } }`;
type Submitted = { id: string; contact: { id: string; email: string | null; phone: string | null } };
/** A node of EXPLAIN's JSON plan (the fields read here). */
type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Actual Rows"?: number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  Plans?: PlanNode[];
};
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

describe("submitLead in one round trip", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string; slug: string };
  let other: { id: string; slug: string };
  let key: { secret: string; id: string };
  const statements = requestStatements();

  const submit = async (input: Record<string, unknown>, secret = key.secret): Promise<Submitted> => {
    const r = await api.gql<{ submitLead: Submitted }>(SUBMIT, { i: input }, { token: secret });
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.submitLead;
  };

  beforeAll(async () => {
    api = await startTestApi(statements.overrides);
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Submit Co");
    other = await createWorkspace(api, owner, "Elsewhere Co");
    const r = await api.gql<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
      `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "site", scopes: ["lead.manage", "contact.read"] }) { secret apiKey { id } } }`,
      { w: ws.id },
      { token: owner.token },
    );
    key = { secret: r.data!.createApiKey.secret, id: r.data!.createApiKey.apiKey.id };
  });
  afterAll(async () => api.close());

  it("writes the contact, the lead and its audit row as settings and one statement, ended by one Sync", async () => {
    await submit({ name: "Warm up", email: "warm@example.com" }); // the key's principal into the cache
    const fromSystem = api.systemQueries.length;
    const r = await api.gql<{ submitLead: Submitted }>(
      SUBMIT,
      { i: { name: "  Ada Lovelace ", email: "ADA@Example.com", message: " Hello " } },
      { token: key.secret },
    );
    expect(r.errors).toBeUndefined();
    const lead = r.data!.submitLead;
    // The request's own transaction: the settings, which also check the cached key's version, then
    // the write — one implicit transaction, no BEGIN, no COMMIT, no statement of its own before.
    expect(await statements.of(r), "settings and the write").toBe(2);
    // Nor a check of the cached key on the system client (an earlier request's batched rate-limit
    // write may land in the window).
    expect(
      api.systemQueries.slice(fromSystem).filter((q) => !q.includes("rate_limit_buckets")),
      "no check before the mutation",
    ).toEqual([]);

    // What it wrote is what the Prisma writes wrote: normalised fields, the contact, the audit row.
    const [row] = await ownerSql<{
      name: string;
      email: string;
      message: string;
      source: string;
      status: string;
      api_key_id: string;
      contact_id: string;
      answers: unknown;
    }>(
      api,
      "SELECT name, email, message, source::text, status::text, api_key_id, contact_id, qualification_answers AS answers FROM leads WHERE workspace_id = $1 AND id = $2",
      [ws.id, lead.id],
    );
    expect(row).toEqual({
      name: "Ada Lovelace",
      email: "ada@example.com",
      message: "Hello",
      source: "API",
      status: "NEW",
      api_key_id: key.id,
      contact_id: lead.contact.id,
      answers: [],
    });
    expect(lead.contact.email).toBe("ada@example.com");
    const audit = await ownerSql<{
      action: string;
      target_type: string;
      actor_user_id: string | null;
      actor_api_key_id: string;
      actor_membership_id: string | null;
      data: unknown;
      request_id: string | null;
      ip: string | null;
    }>(
      api,
      "SELECT action, target_type, actor_user_id, actor_api_key_id, actor_membership_id, data, request_id, ip FROM audit_events WHERE workspace_id = $1 AND target_id = $2",
      [ws.id, lead.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "lead.created",
      target_type: "Lead",
      actor_user_id: null,
      actor_api_key_id: key.id,
      data: { source: "API" },
    });
    expect(audit[0]!.actor_membership_id, "the key's creator's membership").not.toBeNull();
    expect(audit[0]!.request_id).toMatch(/\S/);
  });

  it("reads back only the columns of the fields the request selected", async () => {
    await submit({ name: "Warm up", email: "warm@example.com" });
    // The rows the service's write hands back (the database's answer, passed through unchanged).
    const answered: ReadRows[] = [];
    const db = api.db;
    const original = db.tenantWriteBatched.bind(db);
    db.tenantWriteBatched = async (ctx, batch, item) => {
      const rows = await original(ctx, batch, item);
      if (rows) answered.push(rows);
      return rows;
    };
    let r: GqlResult<{ submitLead: { id: string } }>;
    try {
      r = await api.gql<{ submitLead: { id: string } }>(
        `mutation($i: SubmitLeadInput!) { submitLead(input: $i) { id } }`,
        { i: { name: "Only the id", email: "only-id@example.com" } },
        { token: key.secret },
      );
    } finally {
      db.tenantWriteBatched = original;
    }
    expect(r.errors).toBeUndefined();
    expect(answered, "one write answered").toHaveLength(1);
    const [row] = answered[0]! as [{ id: string; contact: Record<string, unknown> }];
    expect(Object.keys(row).sort(), "the lead's id and its contact, no other column").toEqual(["contact", "id"]);
    expect(Object.keys(row.contact), "the contact's id alone").toEqual(["id"]);
    const [stored] = await ownerSql<{ id: string }>(
      api,
      "SELECT id FROM leads WHERE workspace_id = $1 AND email = 'only-id@example.com'",
      [ws.id],
    );
    expect(r.data?.submitLead.id).toBe(stored!.id);
    expect(row.id).toBe(stored!.id);
  });

  it("finds the contact as before: by e-mail first, else by phone, else a new one", async () => {
    const byEmail = await submit({ name: "Grace", email: "grace@example.com" });
    const byPhone = await submit({ name: "Alan", phone: "+1 (555) 010-2030" });
    expect(byPhone.contact.phone).toBe("+15550102030");
    // Both match different contacts: the e-mail's wins.
    expect((await submit({ name: "Grace again", email: "GRACE@example.com", phone: "+15550102030" })).contact.id).toBe(
      byEmail.contact.id,
    );
    // A new e-mail with a known phone: the phone's contact.
    expect((await submit({ name: "Alan again", email: "alan@example.com", phone: "+15550102030" })).contact.id).toBe(
      byPhone.contact.id,
    );
    expect((await submit({ name: "Alan by phone", phone: "+15550102030" })).contact.id).toBe(byPhone.contact.id);
    // Neither: a contact of its own each time.
    const a = await submit({ name: "Nobody" });
    const b = await submit({ name: "Nobody" });
    expect(a.contact.id).not.toBe(b.contact.id);
    const contacts = await ownerSql<{ n: string }>(
      api,
      "SELECT count(*)::text AS n FROM contacts WHERE workspace_id = $1 AND (email IN ('grace@example.com', 'alan@example.com') OR phone = '+15550102030')",
      [ws.id],
    );
    expect(contacts[0]!.n).toBe("2");
  });

  it("takes the transaction when a webhook endpoint listens for lead.created, and the event is written with the lead", async () => {
    const created = await api.gql(
      `mutation($w: ID!, $i: CreateWebhookEndpointInput!) { createWebhookEndpoint(workspaceId: $w, input: $i) { secret } }`,
      { w: other.id, i: { url: "https://hooks.example.com/leads", events: ["lead.created"] } },
      { token: owner.token },
    );
    expect(created.errors).toBeUndefined();
    const otherKey = await api.gql<{ createApiKey: { secret: string } }>(
      `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "site", scopes: ["lead.manage", "contact.read"] }) { secret } }`,
      { w: other.id },
      { token: owner.token },
    );
    const secret = otherKey.data!.createApiKey.secret;
    const warm = await submit({ name: "Warm up" }, secret);
    const r = await api.gql<{ submitLead: Submitted }>(
      SUBMIT,
      { i: { name: "Hooked", email: "hooked@example.com" } },
      { token: secret },
    );
    expect(r.errors).toBeUndefined();
    const lead = r.data!.submitLead;
    // The pipeline (settings, the statement) wrote nothing, having seen the subscription; then the
    // transaction (BEGIN, settings, its statements, COMMIT) wrote the lead and its event.
    expect(await statements.of(r), "the pipeline, then the transaction").toBeGreaterThanOrEqual(2 + 4);
    const events = await ownerSql<{ type: string; id: unknown }>(
      api,
      "SELECT type, payload->'data'->>'id' AS id FROM webhook_events WHERE workspace_id = $1 ORDER BY created_at",
      [other.id],
    );
    expect(events).toEqual([
      { type: "lead.created", id: warm.id },
      { type: "lead.created", id: lead.id },
    ]);
    const leads = await ownerSql<{ n: string }>(
      api,
      "SELECT count(*)::text AS n FROM leads WHERE workspace_id = $1 AND email = 'hooked@example.com'",
      [other.id],
    );
    expect(leads[0]!.n, "written once").toBe("1");
  });

  it("finds the contact by its unique keys whatever the plan cache holds: no contact read that is not returned", async () => {
    // A connection plans its prepared statement once (a generic plan, from the table's statistics
    // at that moment) and keeps the plan while the workspace grows. With `email = $ OR phone = $`
    // and no statistics yet, that plan scanned every contact of the workspace through the phone
    // index's workspace prefix and filtered them (4,248 contacts per lead in bench:request-path).
    // Here: the plan is made while the table is small and unanalysed, then the workspace gets
    // 3,000 contacts without a phone, and the same plan finds by e-mail and by phone.
    const grown = await createWorkspace(api, owner, "Grown Co");
    await ownerSql(api, "ALTER TABLE contacts SET (autovacuum_enabled = false)");
    try {
      const lead = (email: string | null, phone: string | null) => ({
        workspaceId: grown.id,
        name: "Planned",
        email,
        phone,
        message: null,
        source: "API",
        apiKeyId: null,
        actor: { userId: owner.id, apiKeyId: null, ip: null, userAgent: null, requestId: "planned" },
        actorMembershipId: null,
      });
      const submitted = (email: string | null, phone: string | null) =>
        leadsRepository.submitStatement(lead(email, phone), true);
      // The same for several leads in one statement (a turn's coalesced submissions).
      const many = (...pairs: [string | null, string | null][]) =>
        leadsRepository.submitManyStatement(pairs.map(([email, phone]) => lead(email, phone)));
      const quoted = (v: string) => `'${v.replace(/'/g, "''")}'`;
      const literal = (v: unknown): string => {
        if (v === null) return "NULL";
        // An array parameter as an array literal (the statement's casts give its type).
        if (Array.isArray(v))
          return quoted(
            `{${v.map((e: unknown) => (e === null ? "NULL" : `"${(e as string).replace(/[\\"]/g, (c) => `\\${c}`)}"`)).join(",")}}`,
          );
        if (typeof v !== "string") throw new Error(`not a text parameter: ${typeof v}`);
        return quoted(v);
      };
      // Names of their own: a prepared statement outlives a failed transaction on its connection.
      const name = `planned_${Date.now()}`;
      const nameMany = `${name}_many`;
      const execute = (st: Prisma.Sql, explain: boolean, as = name) =>
        Prisma.raw(
          `${explain ? "EXPLAIN (ANALYZE, FORMAT JSON) " : ""}EXECUTE ${as}(${st.values.map(literal).join(", ")})`,
        );
      const byEmail = submitted("first@example.com", null);
      const firstMany = many(["first-a@example.com", null], ["first-b@example.com", null]);
      const answers = await api.db.tenantRead({ userId: owner.id, workspaceId: grown.id }, [
        Prisma.sql`SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`,
        Prisma.raw(`PREPARE ${name} AS ${byEmail.text}`),
        execute(byEmail, false), // the plan is made here, and kept
        Prisma.raw(`PREPARE ${nameMany} AS ${firstMany.text}`),
        execute(firstMany, false, nameMany),
        Prisma.sql`INSERT INTO contacts (workspace_id, name, email) SELECT ${grown.id}::uuid, 'Crowd', 'crowd-' || g || '@example.com' FROM generate_series(1, 3000) g`,
        Prisma.sql`INSERT INTO contacts (workspace_id, name, phone) VALUES (${grown.id}::uuid, 'Caller', '+15550001111')`,
        execute(submitted("crowd-2999@example.com", null), true),
        execute(submitted(null, "+15550001111"), true),
        execute(many(["crowd-2998@example.com", null], [null, "+15550001111"]), true, nameMany),
        Prisma.raw(`DEALLOCATE ${name}`),
        Prisma.raw(`DEALLOCATE ${nameMany}`),
      ]);
      expect(answers, "the pipeline ran (tenantRead answers undefined when any statement of it failed)").toBeDefined();
      for (const [i, found] of [
        [7, "crowd-2999@example.com"],
        [8, "+15550001111"],
        [9, "crowd-2998@example.com and +15550001111"],
      ] as const) {
        const plan = (answers![i]![0]!["QUERY PLAN"] as [{ Plan: PlanNode }])[0].Plan;
        const removed = nodes(plan)
          .filter((node) => node["Relation Name"] === "contacts")
          .reduce(
            (n, node) => n + (node["Rows Removed by Filter"] ?? 0) + (node["Rows Removed by Index Recheck"] ?? 0),
            0,
          );
        expect(removed, `contacts read and dropped to find ${found}`).toBe(0);
        const scans = nodes(plan).filter(
          (node) => node["Relation Name"] === "contacts" && node["Node Type"] !== "ModifyTable",
        );
        expect(scans.length, "the contact look-ups").toBeGreaterThan(0);
        expect(
          Math.max(...scans.map((node) => node["Actual Rows"] ?? 0)),
          "rows a contact look-up returned",
        ).toBeLessThanOrEqual(1);
      }
      const leads = await ownerSql<{ email: string | null; phone: string | null }>(
        api,
        "SELECT c.email, c.phone FROM leads AS l JOIN contacts AS c ON c.workspace_id = l.workspace_id AND c.id = l.contact_id WHERE l.workspace_id = $1 ORDER BY c.email",
        [grown.id],
      );
      expect(leads, "each lead joined the contact it named").toEqual([
        { email: "crowd-2998@example.com", phone: null },
        { email: "crowd-2999@example.com", phone: null },
        { email: "first-a@example.com", phone: null },
        { email: "first-b@example.com", phone: null },
        { email: "first@example.com", phone: null },
        { email: null, phone: "+15550001111" },
        { email: null, phone: "+15550001111" },
      ]);
    } finally {
      await ownerSql(api, "ALTER TABLE contacts RESET (autovacuum_enabled)");
    }
  });

  describe("submissions of one turn (tenantWriteBatched)", () => {
    const ctx = () => ({ userId: null, workspaceId: ws.id });
    const lead = (i: number, email: string | null, phone: string | null, source: "API" | "FORM" = "API") => ({
      workspaceId: ws.id,
      name: `Batch ${i}`,
      email,
      phone,
      message: i % 2 ? `message ${i}` : null,
      source,
      apiKeyId: source === "API" ? key.id : null,
      actor: {
        userId: null,
        apiKeyId: source === "API" ? key.id : null,
        ip: `203.0.113.${i}`,
        userAgent: `agent ${i}`,
        requestId: `batch-request-${i}`,
      },
      actorMembershipId: null,
    });
    /** A context per item, each with its own statement counter (as each request has). */
    const counted = (): {
      ctx: ReturnType<typeof ctx> & { scope: { statements: StatementCounter } };
      counter: StatementCounter;
    } => {
      const counter = { statements: 0 };
      return { ctx: { ...ctx(), scope: { statements: counter } }, counter };
    };

    it("are written by one statement: each lead its own contact, found as it would be alone or new, and its own audit row", async () => {
      const known = await submit({ name: "Batch known", email: "batch-known@example.com" });
      const [called] = await ownerSql<{ id: string }>(
        api,
        "INSERT INTO contacts (workspace_id, name, phone) VALUES ($1, 'Batch caller', '+15550109999') RETURNING id",
        [ws.id],
      );
      const items = [
        lead(1, "batch-known@example.com", null), // by e-mail
        lead(2, null, "+15550109999", "FORM"), // by phone
        lead(3, "batch-new@example.com", null), // new
        lead(4, "batch-other@example.com", "+15550109999"), // no such e-mail: the phone's
        lead(5, "batch-known@example.com", "+15550109999", "FORM"), // both, two contacts: the e-mail's
        lead(6, null, null), // neither: a contact of its own
      ];
      const each = items.map(() => counted());
      const rows = await Promise.all(
        items.map((item, i) => api.db.tenantWriteBatched(each[i]!.ctx, submitBatch, item)),
      );
      const written = rows.map(
        (r) => r?.[0] as { id: string; name: string; n?: number; contact: { id: string } } | undefined,
      );
      // One statement for the six: each row is its lead's place in that statement, and each
      // request's count is one pipeline's (the settings and the statement), never a second try.
      expect(
        written.map((w) => w?.n),
        "the six in one statement, in order",
      ).toEqual([1, 2, 3, 4, 5, 6]);
      expect(
        each.map((e) => e.counter.statements),
        "statements each request ran",
      ).toEqual([2, 2, 2, 2, 2, 2]);
      expect(written.map((w) => w?.name)).toEqual(items.map((i) => i.name));
      const contactOf = written.map((w) => w!.contact.id);
      expect(contactOf.slice(0, 5)).toEqual([known.contact.id, called!.id, contactOf[2], called!.id, known.contact.id]);
      expect(
        new Set([known.contact.id, called!.id, contactOf[2], contactOf[5]]).size,
        "the new ones are contacts of their own",
      ).toBe(4);
      const stored = await ownerSql<{
        id: string;
        name: string;
        email: string | null;
        phone: string | null;
        message: string | null;
        source: string;
        api_key_id: string | null;
        contact_id: string;
      }>(
        api,
        "SELECT id, name, email, phone, message, source::text, api_key_id, contact_id FROM leads WHERE workspace_id = $1 AND id = ANY($2::uuid[]) ORDER BY name",
        [ws.id, written.map((w) => w!.id)],
      );
      expect(stored).toEqual(
        items.map((item, i) => ({
          id: written[i]!.id,
          name: item.name,
          email: item.email,
          phone: item.phone,
          message: item.message,
          source: item.source,
          api_key_id: item.apiKeyId,
          contact_id: contactOf[i],
        })),
      );
      const audit = await ownerSql<{
        target_id: string;
        action: string;
        actor_api_key_id: string | null;
        data: unknown;
        ip: string;
        user_agent: string;
        request_id: string;
      }>(
        api,
        "SELECT target_id, action, actor_api_key_id, data, ip, user_agent, request_id FROM audit_events WHERE workspace_id = $1 AND target_id = ANY($2) ORDER BY request_id",
        [ws.id, written.map((w) => w!.id)],
      );
      // An anonymous sender's address and browser are sealed under the lead's key (decision 0053).
      for (const [i, row] of audit.entries()) if (!items[i]!.actor.apiKeyId) expect(row.ip).toMatch(/^pii:v1:/);
      expect(await revealedAudit(api, ws.id, audit)).toEqual(
        items.map((item, i) => ({
          target_id: written[i]!.id,
          action: "lead.created",
          actor_api_key_id: item.actor.apiKeyId,
          data: { source: item.source },
          ip: item.actor.ip,
          user_agent: item.actor.userAgent,
          request_id: item.actor.requestId,
        })),
      );
    });

    it("return the columns of the fields their requests selected, together, and all of them when one request's selection is unknown", async () => {
      const selecting = (i: number, fields: string[] | undefined, contactFields: string[] | undefined) => ({
        ...lead(i, `batch-selected-${i}@example.com`, null),
        fields: { lead: fields && new Set(fields), contact: contactFields && new Set(contactFields) },
      });
      const written = async (items: ReturnType<typeof selecting>[]) => {
        const rows = await Promise.all(items.map((item) => api.db.tenantWriteBatched(ctx(), submitBatch, item)));
        return rows.map((r) => r![0] as Record<string, unknown> & { contact: Record<string, unknown> });
      };
      /** A row's columns, and its contact's. */
      const columns = (row: Record<string, unknown> & { contact: Record<string, unknown> }) => [
        Object.keys(row).sort(),
        Object.keys(row.contact).sort(),
      ];

      // Two requests: one asked for the lead's name and its contact's e-mail, the other for the id
      // alone. One statement (each row its place `n` in it) reads what either selected, for both.
      const two = await written([
        selecting(20, ["id", "name", "__typename"], ["email"]),
        selecting(21, ["id", "contact"], []),
      ]);
      expect(two.map(columns)).toEqual([
        [
          ["contact", "id", "n", "name"],
          ["email", "id"],
        ],
        [
          ["contact", "id", "n", "name"],
          ["email", "id"],
        ],
      ]);
      expect(two.map((r) => [r.n, r.name, r.contact.email])).toEqual([
        [1, "Batch 20", "batch-selected-20@example.com"],
        [2, "Batch 21", "batch-selected-21@example.com"],
      ]);
      // One alone (submitStatement): its own selection.
      const [one] = await written([selecting(22, ["id"], [])]);
      expect(columns(one!), "the ids alone").toEqual([["contact", "id"], ["id"]]);
      // A selection that names a field that is no column, or none known: every column.
      const all = await written([selecting(23, ["id", "displayName"], []), selecting(24, ["id"], undefined)]);
      expect(all.map((r) => [r.name, r.message, r.contact.email, r.contact.createdAt instanceof Date])).toEqual([
        ["Batch 23", "message 23", "batch-selected-23@example.com", true],
        ["Batch 24", null, "batch-selected-24@example.com", true],
      ]);
      expect(
        all.map((r) => "qualificationAnswers" in r),
        "every column of the lead",
      ).toEqual([true, true]);
    });

    it("two of which share a new address: the batch is refused, and each is written on its own, the second finding the first's contact", async () => {
      const items = [
        lead(7, "batch-twice@example.com", null),
        lead(8, "batch-alone@example.com", null),
        lead(9, "batch-twice@example.com", null, "FORM"),
      ];
      const each = items.map(() => counted());
      const rows = await Promise.all(
        items.map((item, i) => api.db.tenantWriteBatched(each[i]!.ctx, submitBatch, item)),
      );
      // Each request: the batch's pipeline (settings, the statement), then its own (the same two).
      expect(
        each.map((e) => e.counter.statements),
        "the batch tried once, then each on its own",
      ).toEqual([4, 4, 4]);
      const written = rows.map((r) => r?.[0] as { id: string; n?: number; contact: { id: string; email: string } });
      expect(
        written.map((w) => w.n),
        "each written by a statement of its own",
      ).toEqual([undefined, undefined, undefined]);
      expect(written[0]!.contact.id).toBe(written[2]!.contact.id);
      expect(written[1]!.contact.email).toBe("batch-alone@example.com");
      const counts = await ownerSql<{ email: string; contacts: string; leads: string }>(
        api,
        "SELECT c.email, count(DISTINCT c.id)::text AS contacts, count(l.id)::text AS leads FROM contacts c JOIN leads l ON l.workspace_id = c.workspace_id AND l.contact_id = c.id WHERE c.workspace_id = $1 AND c.email IN ('batch-twice@example.com', 'batch-alone@example.com') GROUP BY c.email ORDER BY c.email",
        [ws.id],
      );
      expect(counts).toEqual([
        { email: "batch-alone@example.com", contacts: "1", leads: "1" },
        { email: "batch-twice@example.com", contacts: "1", leads: "2" },
      ]);
    });
  });

  /** Eight submissions of `input` at once: eight leads, one contact (found by `where` = `value`). */
  async function race(input: (i: number) => Parameters<typeof submit>[0], where: "email" | "phone", value: string) {
    const all = await Promise.all(Array.from({ length: 8 }, (_, i) => submit(input(i))));
    expect(new Set(all.map((l) => l.id)).size).toBe(8);
    expect(new Set(all.map((l) => l.contact.id)).size).toBe(1);
    const contacts = await ownerSql<{ n: string }>(
      api,
      `SELECT count(*)::text AS n FROM contacts WHERE workspace_id = $1 AND ${where} = $2`,
      [ws.id, value],
    );
    expect(contacts[0]!.n).toBe("1");
  }

  it("makes one contact and every lead when submissions for one new address race", async () => {
    await race((i) => ({ name: `Racer ${i}`, email: "racer@example.com" }), "email", "racer@example.com");
  });

  it("makes one contact and every lead when submissions for one new phone race (the transaction's retry on a unique violation)", async () => {
    // A lead with a phone takes the transaction (it may be followed up): the losers' unique
    // violation comes from the raw statement (P2010), and each retries to find the winner's row.
    await race((i) => ({ name: `Caller ${i}`, phone: "+1 555 777 0101" }), "phone", "+15557770101");
  });

  describe("db.tenantWrite", () => {
    const ctx = () => ({ userId: null, workspaceId: ws.id });
    const named = async (name: string) =>
      Number(
        (await ownerSql<{ n: string }>(api, "SELECT count(*)::text AS n FROM contacts WHERE name = $1", [name]))[0]!.n,
      );

    it("commits a statement that returns its rows, and hands back one that returns none", async () => {
      const rows = await api.db.tenantWrite(
        ctx(),
        Prisma.sql`INSERT INTO contacts (workspace_id, name) VALUES (${ws.id}::uuid, 'tw-written') RETURNING name`,
      );
      expect(rows).toEqual([{ name: "tw-written" }]);
      expect(await named("tw-written")).toBe(1);
      expect(
        await api.db.tenantWrite(
          ctx(),
          Prisma.sql`INSERT INTO contacts (workspace_id, name) SELECT ${ws.id}::uuid, 'tw-none' WHERE false RETURNING name`,
        ),
      ).toBeUndefined();
      expect(await named("tw-none")).toBe(0);
    });

    it("rolls back and hands back a refused statement — RLS, or a failure after a write — and the pool stays usable", async () => {
      // Another workspace's row: RLS refuses it.
      expect(
        await api.db.tenantWrite(
          ctx(),
          Prisma.sql`INSERT INTO contacts (workspace_id, name) VALUES (${other.id}::uuid, 'tw-foreign') RETURNING name`,
        ),
      ).toBeUndefined();
      expect(await named("tw-foreign")).toBe(0);
      // A write, then a failure in the same statement: nothing of it stays.
      expect(
        await api.db.tenantWrite(
          ctx(),
          Prisma.sql`WITH w AS (INSERT INTO contacts (workspace_id, name) VALUES (${ws.id}::uuid, 'tw-undone') RETURNING 1 AS one) SELECT 1 / (random() * 0)::int AS boom FROM w`,
        ),
      ).toBeUndefined();
      expect(await named("tw-undone")).toBe(0);
      for (let i = 0; i < 12; i++) {
        const rows = await api.db.tenantWrite(ctx(), Prisma.sql`SELECT current_setting('app.workspace_id') AS ws`);
        expect(rows?.[0]?.ws).toBe(ws.id);
      }
    });

    it("a failure at commit, after every statement answered, is a rollback too; the settings end with the write's transaction", async () => {
      // A deferred constraint trigger fails at the Sync that commits, when the write has already
      // answered with its rows: the pipeline's answer must be "not committed", nothing stays.
      await ownerSql(
        api,
        `CREATE FUNCTION tw_refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.name = 'tw-at-commit' THEN RAISE EXCEPTION 'refused at commit'; END IF; RETURN NULL; END $$`,
      );
      await ownerSql(
        api,
        "CREATE CONSTRAINT TRIGGER tw_refuse_at_commit AFTER INSERT ON contacts DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tw_refuse_at_commit()",
      );
      try {
        expect(
          await api.db.tenantWrite(
            ctx(),
            Prisma.sql`INSERT INTO contacts (workspace_id, name) VALUES (${ws.id}::uuid, 'tw-at-commit') RETURNING name`,
          ),
        ).toBeUndefined();
        expect(await named("tw-at-commit"), "rolled back at commit").toBe(0);
        const rows = await api.db.tenantWrite(
          ctx(),
          Prisma.sql`INSERT INTO contacts (workspace_id, name) VALUES (${ws.id}::uuid, 'tw-after-commit') RETURNING name`,
        );
        expect(rows, "the next write on the pool commits").toEqual([{ name: "tw-after-commit" }]);
      } finally {
        await ownerSql(api, "DROP TRIGGER tw_refuse_at_commit ON contacts");
        await ownerSql(api, "DROP FUNCTION tw_refuse_at_commit()");
      }
      // Writes on every connection of the pool, then every connection read without settings of
      // its own: none still carries a workspace (set_config(..., true) lasts the transaction).
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          api.db.tenantWrite(
            ctx(),
            Prisma.sql`INSERT INTO contacts (workspace_id, name) VALUES (${ws.id}::uuid, ${`tw-pool-${i}`}) RETURNING name`,
          ),
        ),
      );
      const seen = await Promise.all(
        Array.from(
          { length: 10 },
          () =>
            api.db.appUnscoped.$queryRaw<
              { ws: string | null }[]
            >`SELECT current_setting('app.workspace_id', true) AS ws, pg_sleep(0.02)::text AS waited`,
        ),
      );
      expect(seen.map((r) => r[0]?.ws ?? "")).toEqual(Array.from({ length: 10 }, () => ""));
    });

    it("an error that ends the connection (FATAL) has no outcome to report: it throws, nothing is handed back to write again", async () => {
      // The ErrorResponse is not followed by a ReadyForQuery but by the connection's end; only a
      // ReadyForQuery after an error says "rolled back" (the severity's text is in the server's language).
      const write = api.db.tenantWrite(
        ctx(),
        Prisma.sql`WITH w AS (INSERT INTO contacts (workspace_id, name) VALUES (${ws.id}::uuid, 'tw-fatal') RETURNING 1) SELECT pg_terminate_backend(pg_backend_pid()) AS gone FROM w`,
      );
      const lost = await write.then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(String(lost)).toMatch(/connection|terminat/i);
      // A lost connection, as the request answers it: 503 SERVICE_UNAVAILABLE, never a 500 (the
      // resilience suite's kill -9 met this one as an INTERNAL_SERVER_ERROR on the public form).
      expect(databaseUnavailable(lost)?.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
      expect(await named("tw-fatal"), "the server never committed it").toBe(0);
      const rows = await api.db.tenantWrite(
        ctx(),
        Prisma.sql`INSERT INTO contacts (workspace_id, name) VALUES (${ws.id}::uuid, 'tw-after-fatal') RETURNING name`,
      );
      expect(rows, "the pool replaced the connection").toEqual([{ name: "tw-after-fatal" }]);
    });

    it("waits for a connection no longer than the request has left, and holds no commit while it waits", async () => {
      // Every connection of the app pool (5 in tests) held by a transaction of its own.
      const release: (() => void)[] = [];
      const held = Array.from({ length: 5 }, () =>
        api.db.appUnscoped.$transaction(() => new Promise<void>((resolve) => release.push(resolve)), {
          timeout: 30_000,
          maxWait: 30_000,
        }),
      );
      while (release.length < 5) await new Promise((resolve) => setTimeout(resolve, 10));
      const gate = new RequestDeadline(Date.now() + 400);
      const began = Date.now();
      let rows: Awaited<ReturnType<typeof api.db.tenantWrite>>;
      try {
        rows = await api.db.tenantWrite(
          { ...ctx(), scope: { deadline: gate } },
          Prisma.sql`INSERT INTO contacts (workspace_id, name) VALUES (${ws.id}::uuid, 'tw-late') RETURNING name`,
        );
      } finally {
        for (const done of release) done();
        await Promise.all(held);
      }
      expect(rows).toBeUndefined();
      // The pool's own wait is 5 s; the request had 0.4 s.
      expect(Date.now() - began, "handed back at the request's deadline, not the pool's").toBeLessThan(3_000);
      expect(
        gate.expire(() => undefined),
        "no commit in flight: the 503 may go out at once",
      ).toBe(true);
      expect(await named("tw-late")).toBe(0);
    });

    it("verifies a cached principal before it writes: a moved version writes nothing and is left to tenant", async () => {
      const version = (await ownerSql<{ v: number }>(api, "SELECT workspace_auth_version($1::uuid) AS v", [ws.id]))[0]!
        .v;
      const revalidated: (number | null)[] = [];
      const stamped = (v: number) => {
        const run = new RequestPrincipals();
        run.workspaces.set(ws.id, {
          version: v,
          revalidate: (_tx, current) => Promise.resolve(void revalidated.push(current)),
        });
        return run;
      };
      const current = stamped(version);
      const rows = await api.db.tenantWrite(
        { ...ctx(), scope: { principals: current } },
        Prisma.sql`INSERT INTO contacts (workspace_id, name) VALUES (${ws.id}::uuid, 'tw-current') RETURNING name`,
      );
      expect(rows).toEqual([{ name: "tw-current" }]);
      expect(current.workspaces.get(ws.id)!.verified, "verified by the write's own transaction").toBe(true);

      const moved = stamped(version - 1);
      const none = await api.db.tenantWrite(
        { ...ctx(), scope: { principals: moved } },
        Prisma.sql`INSERT INTO contacts (workspace_id, name) VALUES (${ws.id}::uuid, 'tw-moved') RETURNING name`,
      );
      expect(none).toBeUndefined();
      expect(await named("tw-moved"), "nothing written").toBe(0);
      expect(moved.workspaces.get(ws.id)!.verified, "not verified: tenant revalidates it").toBeFalsy();
      expect(revalidated, "revalidation needs a transaction handle: tenant's job").toEqual([]);
    });
  });
});
