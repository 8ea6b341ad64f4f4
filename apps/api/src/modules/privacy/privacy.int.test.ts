// Issue 50: data-subject requests end to end — one person present in every table that holds
// people, exported (the archive checked entity by entity), then erased (nothing left in SQL, no
// trace of their e-mail or phone anywhere in the database, the providers' fakes got the
// deletions), an erasure cut off mid-way resumed to finish exactly once, and the tombstone.
import { strFromU8, unzipSync } from "fflate";

import type { Fakes } from "@atrium/fakes";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { verifyChain } from "../../platform/audit/chain.ts";
import { ERASED, revealAudit } from "../../platform/audit/reveal.ts";
import { addMember, codeOf, createWorkspace, ownerSql, type TestApi, type TestUser } from "../../test/harness.ts";
import { liveClient, record, subscribed } from "../../test/live-client.ts";
import {
  calcomCard,
  configure,
  dumpAllTables,
  eventually,
  startApiWithFakes,
  twilioCard,
  vapiCard,
} from "../../test/providers.ts";
import { exportChain } from "../audit/audit-chain.service.ts";
import { createPrivacyService } from "./privacy.service.ts";

const CREATE = `mutation($w: ID!, $i: DataSubjectRequestInput!) { createDataSubjectRequest(workspaceId: $w, input: $i) { id kind status } }`;
const READ = `query($w: ID!, $id: ID!) { dataSubjectRequest(workspaceId: $w, id: $id) { id kind status downloadUrl processed total counts { entity count } } }`;

interface Person {
  email: string;
  phone: string;
  contactId: string;
  leadId: string;
}

describe("data-subject requests", () => {
  let api: TestApi;
  let fakes: Fakes;
  let owner: TestUser;
  let agent: TestUser;
  let ws: { id: string };
  const twilio = twilioCard();
  const vapi = vapiCard();
  const calcom = calcomCard();

  const one = async <T extends Record<string, unknown>>(sql: string, params: unknown[]) =>
    (await ownerSql<T>(api, sql, params))[0]!;

  /** One person in every table: contact, lead, conversation (call transcript), messages, call, booking, campaign send, webhook delivery, audit entry, review item, guidance note. */
  async function seedPerson(tag: string, email: string, phone: string): Promise<Person> {
    const w = ws.id;
    const contactId = (
      await one<{ id: string }>(
        `INSERT INTO contacts (workspace_id, name, email, phone, tags) VALUES ($1, $2, $3, $4, '{vip}') RETURNING id`,
        [w, `Person ${tag}`, email, phone],
      )
    ).id;
    const leadId = (
      await one<{ id: string }>(
        `INSERT INTO leads (workspace_id, contact_id, name, email, phone, message, source) VALUES ($1, $2, $3, $4, $5, $6, 'FORM') RETURNING id`,
        [w, contactId, `Person ${tag}`, email, phone, `Call me at ${phone}`],
      )
    ).id;
    const callId = `call-${tag}-${Date.now()}`;
    fakes.vapi.calls.push({
      id: callId,
      assistantId: vapi.assistantId,
      phoneNumberId: vapi.phoneNumberId,
      customer: { number: phone },
      assistantOverrides: null,
      createdAt: new Date(),
      controlMessages: [],
      ended: true,
    });
    const conv = (
      await one<{ id: string }>(
        `INSERT INTO conversations (workspace_id, contact_id, lead_id, provider_call_id, transcript) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [w, contactId, leadId, callId, `AI: Hello. User: my email is ${email}`],
      )
    ).id;
    const sid = `SM${tag.padEnd(32, "0")}`;
    fakes.twilio.messages.push({
      sid,
      accountSid: twilio.accountSid,
      to: `whatsapp:${phone}`,
      from: `whatsapp:${twilio.whatsappFrom}`,
      body: "hi",
      statusCallback: null,
      createdAt: new Date(),
      contentSid: null,
      contentVariables: null,
      errorCode: null,
    });
    const msg = (
      await one<{ id: string }>(
        `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status, provider_message_id) VALUES ($1, $2, 'OUTBOUND', 'AGENT', $3, 'SENT', $4) RETURNING id`,
        [w, conv, `Hello Person ${tag}`, sid],
      )
    ).id;
    await ownerSql(
      api,
      `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status) VALUES ($1, $2, 'INBOUND', 'CONTACT', $3, 'RECEIVED')`,
      [w, conv, `It's ${email}`],
    );
    await ownerSql(
      api,
      `INSERT INTO calls (workspace_id, contact_id, lead_id, status, provider_call_id) VALUES ($1, $2, $3, 'ENDED', $4)`,
      [w, contactId, leadId, callId],
    );
    const booked = await api.services.providers.calcom.book(calcom, {
      start:
        new Date(Date.now() + ({ A: 3, B: 4, C: 5 }[tag] ?? 6) * 86_400_000).toISOString().slice(0, 13) + ":00:00.000Z",
      name: `Person ${tag}`,
      email,
      phone,
    });
    await ownerSql(
      api,
      `INSERT INTO bookings (workspace_id, lead_id, provider_uid, starts_at, ends_at, status, attendee_name, attendee_email) VALUES ($1, $2, $3, $4, $4::timestamptz + interval '30 minutes', 'ACCEPTED', $5, $6)`,
      [w, leadId, booked.uid, booked.start, `Person ${tag}`, email],
    );
    const campaign = (
      await one<{ id: string }>(
        `INSERT INTO campaigns (workspace_id, name, message) VALUES ($1, $2, 'Offer') RETURNING id`,
        [w, `Campaign ${tag}`],
      )
    ).id;
    await ownerSql(
      api,
      `INSERT INTO campaign_recipients (workspace_id, campaign_id, contact_id, status, message_id) VALUES ($1, $2, $3, 'QUEUED', $4)`,
      [w, campaign, contactId, msg],
    );
    const endpoint = (
      await one<{ id: string }>(
        `INSERT INTO webhook_endpoints (workspace_id, url, events, secret_jwe) VALUES ($1, 'https://hooks.example.test/in', '{lead.created}', 'sealed') RETURNING id`,
        [w],
      )
    ).id;
    const payload = { type: "lead.created", data: { id: leadId, email, phone } };
    const event = (
      await one<{ id: string }>(
        `INSERT INTO webhook_events (workspace_id, type, payload) VALUES ($1, 'lead.created', $2) RETURNING id`,
        [w, JSON.stringify(payload)],
      )
    ).id;
    const delivery = (
      await one<{ id: string }>(
        `INSERT INTO webhook_deliveries (workspace_id, endpoint_id, event_id, event_type, status) VALUES ($1, $2, $3, 'lead.created', 'SUCCEEDED') RETURNING id`,
        [w, endpoint, event],
      )
    ).id;
    await ownerSql(
      api,
      `INSERT INTO webhook_delivery_attempts (workspace_id, delivery_id, attempt, request_url, request_headers, request_body, response_status, latency_ms) VALUES ($1, $2, 1, 'https://hooks.example.test/in', '{}', $3, 200, 12)`,
      [w, delivery, JSON.stringify(payload)],
    );
    await ownerSql(
      api,
      `INSERT INTO audit_events (workspace_id, action, target_type, target_id, data) VALUES ($1, 'lead.created', 'Lead', $2, $3)`,
      [w, leadId, JSON.stringify({ email, phone })],
    );
    await ownerSql(
      api,
      `INSERT INTO review_items (workspace_id, reason, conversation_id, message_id, summary, excerpt) VALUES ($1, 'SAFETY_FLAG', $2, $3, 'Flagged', $4)`,
      [w, conv, msg, `It's ${email}`],
    );
    await ownerSql(api, `INSERT INTO guidance_notes (workspace_id, conversation_id, body) VALUES ($1, $2, $3)`, [
      w,
      conv,
      `Ask ${tag} about the booking`,
    ]);
    return { email, phone, contactId, leadId };
  }

  const countsOf = async (p: Person) => {
    const q = async (sql: string) =>
      Number((await one<{ n: string }>(sql, [ws.id, p.contactId, p.leadId, p.email, p.phone])).n);
    return {
      contacts: await q(
        `SELECT count(*) n FROM contacts WHERE workspace_id = $1 AND (id = $2 OR email = $4 OR phone = $5) AND $3::uuid IS NOT NULL`,
      ),
      leads: await q(
        `SELECT count(*) n FROM leads WHERE workspace_id = $1 AND (id = $3 OR contact_id = $2 OR email = $4 OR phone = $5)`,
      ),
      conversations: await q(
        `SELECT count(*) n FROM conversations WHERE workspace_id = $1 AND (contact_id = $2 OR lead_id = $3) AND $4::text IS NOT NULL AND $5::text IS NOT NULL`,
      ),
      calls: await q(
        `SELECT count(*) n FROM calls WHERE workspace_id = $1 AND (contact_id = $2 OR lead_id = $3) AND $4::text IS NOT NULL AND $5::text IS NOT NULL`,
      ),
      bookings: await q(
        `SELECT count(*) n FROM bookings WHERE workspace_id = $1 AND (lead_id = $3 OR attendee_email = $4) AND $2::uuid IS NOT NULL AND $5::text IS NOT NULL`,
      ),
      campaign_sends: await q(
        `SELECT count(*) n FROM campaign_recipients WHERE workspace_id = $1 AND contact_id = $2 AND $3::uuid IS NOT NULL AND $4::text IS NOT NULL AND $5::text IS NOT NULL`,
      ),
      webhook_events: await q(
        `SELECT count(*) n FROM webhook_events WHERE workspace_id = $1 AND (payload::text LIKE '%' || $4 || '%' OR payload::text LIKE '%' || $5 || '%') AND $2::uuid IS NOT NULL AND $3::uuid IS NOT NULL`,
      ),
    };
  };

  /** The contact page's flag, as the `contact` query answers it. */
  async function erasedOnRequest(contactId: string, as: TestUser): Promise<boolean | null> {
    const r = await api.gql<{ contact: { id: string; erasedOnRequest: boolean | null } }>(
      `query($w: ID!, $id: ID!) { contact(workspaceId: $w, id: $id) { id erasedOnRequest } }`,
      { w: ws.id, id: contactId },
      { token: as.token },
    );
    expect(r.errors).toBeUndefined();
    return r.data!.contact.erasedOnRequest;
  }

  async function runRequest(
    kind: "EXPORT" | "ERASE",
    p: { email?: string; phone?: string },
    service = api.services.privacy,
  ) {
    const r = await api.gql<{ createDataSubjectRequest: { id: string; kind: string; status: string } }>(
      CREATE,
      { w: ws.id, i: { kind, ...p } },
      { token: owner.token },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.createDataSubjectRequest).toMatchObject({ kind, status: "PENDING" });
    const id = r.data!.createDataSubjectRequest.id;
    await service.run(ws.id, id);
    return id;
  }

  beforeAll(async () => {
    ({ api, fakes } = await startApiWithFakes());
    owner = await api.user("Owner");
    agent = await api.user("Agent");
    ws = await createWorkspace(api, owner, "Privacy Co");
    await addMember(api, ws.id, agent, "AGENT", ["lead.read", "contact.read"]);
    await configure(api, fakes, owner, ws.id, { twilio, calcom });
  });
  afterAll(async () => {
    await api.close();
    await fakes.close();
  });

  it("refuses a member without privacy.manage, a request naming nobody, and a malformed address with typed errors", async () => {
    expect(
      codeOf(
        await api.gql(CREATE, { w: ws.id, i: { kind: "EXPORT", email: "a@example.test" } }, { token: agent.token }),
      ),
    ).toBe("FORBIDDEN");
    expect(codeOf(await api.gql(CREATE, { w: ws.id, i: { kind: "ERASE" } }, { token: owner.token }))).toBe(
      "BAD_USER_INPUT",
    );
    expect(codeOf(await api.gql(CREATE, { w: ws.id, i: { kind: "ERASE", phone: "12" } }, { token: owner.token }))).toBe(
      "BAD_USER_INPUT",
    );
    const other = await createWorkspace(api, agent, "Elsewhere");
    expect(
      codeOf(
        await api.gql(CREATE, { w: other.id, i: { kind: "EXPORT", email: "a@example.test" } }, { token: owner.token }),
      ),
    ).toBe("NOT_FOUND");
  });

  it("exports, erases (SQL, database text, providers), resumes a cut-off erasure once, and leaves a tombstone", async () => {
    const a = await seedPerson("A", "ana.person@example.test", "+15550101234");
    const b = await seedPerson("B", "bo.other@example.test", "+15550105678");
    const before = await countsOf(a);
    expect(Object.values(before).every((n) => n >= 1)).toBe(true);

    // EXPORT: the archive holds every entity, as JSON and CSV, with a README.
    const exportId = await runRequest("EXPORT", { email: "Ana.Person@Example.test", phone: "+1 555 010 1234" });
    const view = await api.gql<{
      dataSubjectRequest: { status: string; downloadUrl: string; counts: { entity: string; count: number }[] };
    }>(READ, { w: ws.id, id: exportId }, { token: owner.token });
    expect(view.data!.dataSubjectRequest.status).toBe("COMPLETED");
    const res = await fetch(view.data!.dataSubjectRequest.downloadUrl.replace(api.config.publicUrl, api.url));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const json = (name: string) => JSON.parse(strFromU8(files[`${name}.json`]!)) as Record<string, unknown>[];
    expect(Object.keys(files).sort()).toEqual(
      [
        "README.txt",
        ...[
          "audit_entries",
          "bookings",
          "calls",
          "campaign_sends",
          "contacts",
          "conversations",
          "leads",
          "messages",
          "webhook_deliveries",
        ].flatMap((e) => [`${e}.csv`, `${e}.json`]),
      ].sort(),
    );
    expect(json("contacts")).toEqual([expect.objectContaining({ id: a.contactId, email: a.email, phone: a.phone })]);
    expect(json("leads")).toEqual([expect.objectContaining({ id: a.leadId, message: `Call me at ${a.phone}` })]);
    expect(json("conversations")).toEqual([
      expect.objectContaining({ transcript: `AI: Hello. User: my email is ${a.email}` }),
    ]);
    expect(
      json("messages")
        .map((m) => m.body)
        .sort(),
    ).toEqual([`Hello Person A`, `It's ${a.email}`]);
    expect(json("calls")).toHaveLength(1);
    expect(json("bookings")).toEqual([expect.objectContaining({ attendee_email: a.email })]);
    expect(json("campaign_sends")).toEqual([expect.objectContaining({ campaign_name: "Campaign A" })]);
    expect(json("webhook_deliveries")).toEqual([expect.objectContaining({ event_type: "lead.created" })]);
    // Their values inside the audit row are sealed in the database, readable in their archive.
    expect(json("audit_entries")).toEqual([
      expect.objectContaining({
        action: "lead.created",
        target_id: a.leadId,
        data: { email: a.email, phone: a.phone },
      }),
    ]);
    // Nothing of the other person.
    const everything = Object.values(files)
      .map((f) => strFromU8(f))
      .join("\n");
    expect(everything).not.toContain(b.email);
    expect(everything).not.toContain(b.phone);
    expect(strFromU8(files["contacts.csv"]!)).toContain(a.email);
    expect(strFromU8(files["README.txt"]!)).toMatch(/messages\.json \/ messages\.csv \(2 rows\)/);
    // A forged or expired link answers 404.
    const url = new URL(view.data!.dataSubjectRequest.downloadUrl.replace(api.config.publicUrl, api.url));
    url.searchParams.set("sig", "x".repeat(43));
    expect((await fetch(url)).status).toBe(404);
    url.searchParams.set("expires", String(Math.floor(Date.now() / 1000) - 1));
    expect((await fetch(url)).status).toBe(404);
    expect(
      await api.services.privacy.download(ws.id, exportId, String(Math.floor(Date.now() / 1000) + 3600), "forged"),
    ).toBeNull();

    // ERASE, cut off after its third step (the process "dies": the step throws), then resumed.
    const crashing = createPrivacyService({
      db: api.db,
      config: api.config,
      integrations: api.services.integrations,
      providers: api.services.providers,
      afterStep: (_id, step) => {
        if (step === 4) throw new Error("killed");
      },
    });
    const r = await api.gql<{ createDataSubjectRequest: { id: string } }>(
      CREATE,
      { w: ws.id, i: { kind: "ERASE", email: a.email, phone: a.phone } },
      { token: owner.token },
    );
    const eraseId = r.data!.createDataSubjectRequest.id;
    await expect(crashing.run(ws.id, eraseId)).rejects.toThrow("killed");
    const mid = await one<{ status: string; step: number }>(
      `SELECT status, step FROM data_subject_requests WHERE id = $1`,
      [eraseId],
    );
    expect(mid).toEqual({ status: "RUNNING", step: 4 });
    expect((await countsOf(a)).contacts).toBe(1);
    await api.services.privacy.run(ws.id, eraseId);
    await api.services.privacy.run(ws.id, eraseId); // a second delivery of the job does nothing
    const done = await api.gql<{
      dataSubjectRequest: {
        status: string;
        processed: number;
        total: number;
        counts: { entity: string; count: number }[];
      };
    }>(READ, { w: ws.id, id: eraseId }, { token: owner.token });
    expect(done.data!.dataSubjectRequest).toMatchObject({ status: "COMPLETED" });
    expect(done.data!.dataSubjectRequest.processed).toBe(done.data!.dataSubjectRequest.total);
    expect(
      await ownerSql(api, `SELECT 1 FROM audit_events WHERE workspace_id = $1 AND action = 'privacy.erase.completed'`, [
        ws.id,
      ]),
    ).toHaveLength(1);

    // Nothing left in SQL; the other person untouched.
    expect(await countsOf(a)).toEqual({
      contacts: 0,
      leads: 0,
      conversations: 0,
      calls: 0,
      bookings: 0,
      campaign_sends: 0,
      webhook_events: 0,
    });
    expect(await countsOf(b)).toEqual(before);
    // No trace of their e-mail or phone anywhere in the database (every table, every schema).
    const dump = await dumpAllTables(api.testDb.ownerUrl);
    expect(dump).toContain(b.email);
    expect(dump.toLowerCase()).not.toContain(a.email);
    expect(dump).not.toContain(a.phone);
    // Their ids remain only as the target of chained audit rows (history that names no one now).
    const outsideAudit = dump
      .split(/^(?=-- )/m)
      .filter((section) => !section.startsWith("-- public.audit_events\n"))
      .join("");
    expect(outsideAudit).not.toContain(a.contactId);
    expect(outsideAudit).not.toContain(a.leadId);
    // The audit trail is whole (decision 0053) and their values in it are gone for good.
    expect(verifyChain(await exportChain(api.db, ws.id), [])).toMatchObject({ ok: true, problem: null });
    const sealed = await api.db.tenant({ workspaceId: ws.id }, async (tx) =>
      revealAudit(tx, ws.id, await tx.auditEvent.findMany({ where: { workspaceId: ws.id, targetId: a.leadId } })),
    );
    expect(sealed.map((e) => e.data)).toEqual([{ email: ERASED, phone: ERASED }]);
    // The earlier export's archive went with it.
    expect(
      await api.services.privacy.download(
        ws.id,
        exportId,
        new URL(view.data!.dataSubjectRequest.downloadUrl).searchParams.get("expires")!,
        new URL(view.data!.dataSubjectRequest.downloadUrl).searchParams.get("sig")!,
      ),
    ).toBeNull();

    // The providers' fakes received the deletions, each once.
    expect(fakes.twilio.deletedMessages).toEqual([`SM${"A".padEnd(32, "0")}`]);
    expect(fakes.vapi.deletedCalls).toEqual([]); // no Vapi card in a WHATSAPP workspace: nothing held there through us
    expect(fakes.calcom.bookings.filter((x) => x.status === "cancelled").map((x) => x.attendee.email)).toEqual([
      a.email,
    ]);

    // The tombstone: only keyed hashes, matched again by a later import or campaign.
    const tombstones = await ownerSql<{ kind: string; value_hash: string }>(
      api,
      `SELECT kind, value_hash FROM erasure_tombstones WHERE workspace_id = $1 ORDER BY kind`,
      [ws.id],
    );
    expect(tombstones.map((t) => t.kind)).toEqual(["EMAIL", "PHONE"]);
    expect(tombstones[0]!.value_hash).toBe(api.services.privacy.keyedHash(a.email));
    const erased = await api.db.tenant({ workspaceId: ws.id }, (tx) =>
      api.services.privacy.erasedAmong(tx, ws.id, [
        { email: a.email, phone: null },
        { email: b.email, phone: null },
      ]),
    );
    expect([...erased]).toEqual([api.services.privacy.keyedHash(a.email)]);

    // A later import does not bring the person back (by e-mail or by phone); others import as usual.
    const imported = await api.gql<{
      importContacts: {
        created: number;
        failed: number;
        rows: { action: string; field: string | null; error: string | null }[];
      };
    }>(
      `mutation($w: ID!, $i: ImportContactsInput!) { importContacts(workspaceId: $w, input: $i) { created failed rows { action field error } } }`,
      {
        w: ws.id,
        i: {
          rows: [
            { name: "Ana again", email: "ANA.PERSON@example.test" },
            { name: "Ana by phone", phone: a.phone },
            { name: "Newcomer", email: "new.person@example.test" },
          ],
        },
      },
      { token: owner.token },
    );
    expect(imported.errors).toBeUndefined();
    expect(imported.data!.importContacts).toMatchObject({ created: 1, failed: 2 });
    expect(imported.data!.importContacts.rows.map((row) => [row.action, row.field])).toEqual([
      ["ERROR", "email"],
      ["ERROR", "phone"],
      ["CREATED", null],
    ]);
    expect(imported.data!.importContacts.rows[0]!.error).toMatch(/^Erased on request/);
    expect(
      await ownerSql(api, `SELECT 1 FROM contacts WHERE workspace_id = $1 AND (email = $2 OR phone = $3)`, [
        ws.id,
        a.email,
        a.phone,
      ]),
    ).toHaveLength(0);

    // A contact re-created by hand is skipped by campaigns; once the person comes back on their own
    // (a public-form lead after the erasure) they may be contacted again.
    const reborn = (
      await one<{ id: string }>(
        `INSERT INTO contacts (workspace_id, name, phone, last_inbound_at) VALUES ($1, 'Ana by hand', $2, now()) RETURNING id`,
        [ws.id, a.phone],
      )
    ).id;
    fakes.twilio.noteInbound(a.phone, twilio.whatsappFrom);
    await api.services.campaigns.startWorkers();
    const created = await api.gql<{ createCampaign: { id: string } }>(
      `mutation($w: ID!, $i: CreateCampaignInput!) { createCampaign(workspaceId: $w, input: $i) { id } }`,
      { w: ws.id, i: { name: "After erasure", message: "Hello {{name}}", contactIds: [reborn, b.contactId] } },
      { token: owner.token },
    );
    expect(created.errors).toBeUndefined();
    const campaignId = created.data!.createCampaign.id;
    expect(
      (
        await api.gql(
          `mutation($w: ID!, $id: ID!) { runCampaign(workspaceId: $w, id: $id) { id } }`,
          { w: ws.id, id: campaignId },
          { token: owner.token },
        )
      ).errors,
    ).toBeUndefined();
    const settled = await eventually(
      async () => {
        const rows = await ownerSql<{ contact_id: string; status: string; skip_reason: string | null }>(
          api,
          `SELECT contact_id, status, skip_reason FROM campaign_recipients WHERE campaign_id = $1`,
          [campaignId],
        );
        return rows.length === 2 && rows.every((x) => x.status !== "PENDING") ? rows : null;
      },
      20_000,
      "campaign recipients settled",
    );
    expect(settled.find((x) => x.contact_id === reborn)).toMatchObject({
      status: "SKIPPED",
      skip_reason: expect.stringMatching(/erased on request/),
    });
    // The other person is not skipped as erased (outside WhatsApp's window here: skipped for that).
    expect(settled.find((x) => x.contact_id === b.contactId)!.skip_reason ?? "").not.toMatch(/erased/);
    const contact = { id: reborn, email: null, phone: a.phone };
    expect(
      await api.db.tenant({ workspaceId: ws.id }, (tx) =>
        api.services.privacy.erasedWithoutNewConsent(tx, ws.id, contact),
      ),
    ).toBe(true);
    // The contact page says so (the agent reads contacts too), and only of that person.
    expect(await erasedOnRequest(reborn, agent)).toBe(true);
    expect(await erasedOnRequest(b.contactId, agent)).toBe(false);
    // Lists do not answer it (no lookup per row): null there.
    const listed = await api.gql<{ contacts: { edges: { node: { id: string; erasedOnRequest: boolean | null } }[] } }>(
      `query($w: ID!) { contacts(workspaceId: $w) { edges { node { id erasedOnRequest } } } }`,
      { w: ws.id },
      { token: owner.token },
    );
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.contacts.edges.find((e) => e.node.id === reborn)?.node).toEqual({
      id: reborn,
      erasedOnRequest: null,
    });
    await ownerSql(
      api,
      `INSERT INTO leads (workspace_id, contact_id, name, phone, source) VALUES ($1, $2, 'Ana', $3, 'FORM')`,
      [ws.id, reborn, a.phone],
    );
    expect(
      await api.db.tenant({ workspaceId: ws.id }, (tx) =>
        api.services.privacy.erasedWithoutNewConsent(tx, ws.id, contact),
      ),
    ).toBe(false);
    // Back on their own: no longer flagged.
    expect(await erasedOnRequest(reborn, owner)).toBe(false);
  });

  it("a voice workspace's erasure deletes the person's calls at Vapi (DELETE /call/{id})", async () => {
    const main = ws;
    ws = await createWorkspace(api, owner, "Voice Privacy", "VOICE");
    try {
      await configure(api, fakes, owner, ws.id, { vapi });
      const c = await seedPerson("C", "cy.voice@example.test", "+15550109999");
      const callId = (
        await one<{ provider_call_id: string }>(`SELECT provider_call_id FROM calls WHERE contact_id = $1`, [
          c.contactId,
        ])
      ).provider_call_id;
      await runRequest("ERASE", { phone: c.phone });
      expect(fakes.vapi.deletedCalls).toEqual([callId]);
      expect(fakes.vapi.calls.some((x) => x.id === callId)).toBe(false);
      expect(await countsOf(c)).toMatchObject({ contacts: 0, leads: 0, calls: 0, conversations: 0 });
    } finally {
      ws = main;
    }
  });

  it("platform-wide: a platform admin makes one request per workspace holding the person; others are refused", async () => {
    const admin = await api.user("Platform Admin");
    await api.services.platformAdmin.grantAdmin(admin.email);
    const email = "everywhere@example.test";
    const holders = [await createWorkspace(api, owner, "Holder One"), await createWorkspace(api, agent, "Holder Two")];
    const bystander = await createWorkspace(api, owner, "Bystander");
    for (const w of holders)
      await ownerSql(api, `INSERT INTO contacts (workspace_id, name, email) VALUES ($1, 'Everywhere', $2)`, [
        w.id,
        email,
      ]);
    await ownerSql(
      api,
      `INSERT INTO contacts (workspace_id, name, email) VALUES ($1, 'Someone else', 'else@example.test')`,
      [bystander.id],
    );
    const PLATFORM = `mutation($i: DataSubjectRequestInput!) { createPlatformDataSubjectRequest(input: $i) { workspaceId id kind status } }`;
    expect(codeOf(await api.gql(PLATFORM, { i: { kind: "ERASE", email } }, { token: owner.token }))).toBe("FORBIDDEN");
    const r = await api.gql<{
      createPlatformDataSubjectRequest: { workspaceId: string; id: string; kind: string; status: string }[];
    }>(PLATFORM, { i: { kind: "ERASE", email: "EveryWhere@example.test" } }, { token: admin.token });
    expect(r.errors).toBeUndefined();
    const made = r.data!.createPlatformDataSubjectRequest;
    expect(made.map((m) => m.workspaceId).sort()).toEqual(holders.map((w) => w.id).sort());
    for (const m of made) {
      expect(m).toMatchObject({ kind: "ERASE", status: "PENDING" });
      await api.services.privacy.run(m.workspaceId, m.id);
    }
    expect(await ownerSql(api, `SELECT workspace_id FROM contacts WHERE email = $1`, [email])).toEqual([]);
    expect(await ownerSql(api, `SELECT 1 FROM contacts WHERE workspace_id = $1`, [bystander.id])).toHaveLength(1);
  });

  it("dataSubjectRequestEvents: a request's states and progress reach its workspace's privacy managers over WebSocket, nothing reaches others", async () => {
    const EVENTS = `subscription($w: ID!) { dataSubjectRequestEvents(workspaceId: $w) { id kind status processed total downloadUrl } }`;
    type Evt = {
      dataSubjectRequestEvents: {
        id: string;
        kind: string;
        status: string;
        processed: number;
        total: number;
        downloadUrl: string | null;
      };
    };
    const stranger = await api.user("Stranger");
    const elsewhere = await createWorkspace(api, stranger, "Elsewhere Privacy");
    const clients = [
      liveClient(api.url, { token: owner.token }),
      liveClient(api.url, { token: agent.token }),
      liveClient(api.url, { token: stranger.token }),
    ];
    try {
      const before = api.services.live.subscriberCount;
      const mine = record<Evt>(clients[0]!, EVENTS, { w: ws.id });
      // The stranger's own workspace: a subscription that must hear nothing of this one.
      const theirs = record<Evt>(clients[2]!, EVENTS, { w: elsewhere.id });
      await subscribed(api.services.live, before + 2);
      // Without privacy.manage: FORBIDDEN; another workspace's member: NOT_FOUND (as the queries answer).
      expect(await record(clients[1]!, EVENTS, { w: ws.id }).waitForEnd()).toMatchObject({ code: "FORBIDDEN" });
      expect(await record(clients[2]!, EVENTS, { w: ws.id }).waitForEnd()).toMatchObject({ code: "NOT_FOUND" });

      await ownerSql(
        api,
        `INSERT INTO contacts (workspace_id, name, email) VALUES ($1, 'Live Person', 'live.person@example.test')`,
        [ws.id],
      );
      const r = await api.gql<{ createDataSubjectRequest: { id: string } }>(
        CREATE,
        { w: ws.id, i: { kind: "EXPORT", email: "live.person@example.test" } },
        { token: owner.token },
      );
      expect(r.errors).toBeUndefined();
      const id = r.data!.createDataSubjectRequest.id;
      const first = (await mine.waitFor(1))[0]!.data!.dataSubjectRequestEvents;
      expect(first).toMatchObject({ id, kind: "EXPORT" });
      await api.services.privacy.run(ws.id, id);
      const done = await eventually(
        () =>
          mine.results.find(
            (x) => x.data?.dataSubjectRequestEvents.status === "COMPLETED" && x.data.dataSubjectRequestEvents.total > 0,
          ),
        5_000,
        "the COMPLETED event",
      );
      expect(done.data!.dataSubjectRequestEvents).toMatchObject({
        id,
        status: "COMPLETED",
        processed: 9,
        total: 9,
        downloadUrl: expect.stringContaining(id),
      });
      expect(mine.results.every((x) => !x.errors && x.data!.dataSubjectRequestEvents.id === id)).toBe(true);
      expect(theirs.results).toEqual([]);
      expect(theirs.error).toBeNull();
    } finally {
      for (const c of clients) await c.dispose();
    }
  });
});
