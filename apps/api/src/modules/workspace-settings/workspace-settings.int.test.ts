import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import {
  addMember,
  codeOf,
  createWorkspace,
  ownerSql,
  startTestApi,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";

const UPDATE = `mutation($id: ID!, $i: UpdateWorkspaceInput!) { updateWorkspace(id: $id, input: $i) { slug name description } }`;
const PAUSE = `mutation($w: ID!, $p: Boolean!) { setAgentPaused(workspaceId: $w, paused: $p) { agentPaused } }`;
const DELETE = `mutation($id: ID!, $s: String!) { deleteWorkspace(id: $id, confirmSlug: $s) }`;
const PERSONA = `mutation($w: ID!, $i: AgentPersonaInput!) { updateAgentPersona(workspaceId: $w, input: $i) { agentName agentTone qualificationQuestions } }`;
const PREVIEW = `query($w: ID!, $e: Environment!) { previewEnvironmentChange(workspaceId: $w, environment: $e) { from to warnings } }`;
const CHANGE = `mutation($w: ID!, $e: Environment!, $c: Boolean!) { changeEnvironment(workspaceId: $w, environment: $e, confirm: $c) { environment } }`;
const RETENTION = `mutation($w: ID!, $d: Int) { setRetention(workspaceId: $w, days: $d) { retentionDays } }`;
const DIAG = `query($w: ID!) { authDiagnostics(workspaceId: $w) { signingSecretConfigured integrationsKeyConfigured } }`;
const persona = {
  agentName: "Ava",
  agentRole: "Qualifies leads",
  tone: "FRIENDLY",
  qualificationQuestions: ["Budget?", "Timeline?"],
};

describe("workspace settings and lifecycle", () => {
  let api: TestApi;
  let owner: TestUser;
  let admin: TestUser;
  let agent: TestUser;
  let stranger: TestUser;
  let ws: { id: string; slug: string };

  beforeAll(async () => {
    api = await startTestApi();
    [owner, admin, agent, stranger] = await Promise.all([
      api.user("Owner"),
      api.user("Admin"),
      api.user("Agent"),
      api.user("Stranger"),
    ]);
    ws = await createWorkspace(api, owner, "Settings Co");
    await addMember(api, ws.id, admin, "ADMIN");
    await addMember(api, ws.id, agent, "AGENT", ["lead.read", "contact.read", "conversation.read", "message.send"]);
  });
  afterAll(async () => api.close());

  it("permission matrix: agents refused every setting, admins allowed all but delete, strangers NOT_FOUND", async () => {
    const ops: [string, Record<string, unknown>][] = [
      [UPDATE, { id: ws.id, i: { description: "x" } }],
      [PAUSE, { w: ws.id, p: false }],
      [PERSONA, { w: ws.id, i: persona }],
      [PREVIEW, { w: ws.id, e: "STAGING" }],
      [RETENTION, { w: ws.id, d: 90 }],
      [DIAG, { w: ws.id }],
      [DELETE, { id: ws.id, s: ws.slug + "-no" }],
    ];
    for (const [q, v] of ops) {
      expect(codeOf(await api.gql(q, v, { token: agent.token })), `agent ${q}`).toBe("FORBIDDEN");
      expect(codeOf(await api.gql(q, v, { token: stranger.token })), `stranger ${q}`).toBe("NOT_FOUND");
      const asAdmin = codeOf(await api.gql(q, v, { token: admin.token }));
      expect(asAdmin, `admin ${q}`).toBe(q === DELETE ? "FORBIDDEN" : undefined);
    }
    // The owner's wrong confirmation is refused with a field error, nothing deleted.
    const wrong = await api.gql(DELETE, { id: ws.id, s: "nope" }, { token: owner.token });
    expect(codeOf(wrong)).toBe("BAD_USER_INPUT");
    expect(await ownerSql(api, `SELECT 1 FROM workspaces WHERE id = $1`, [ws.id])).toHaveLength(1);
  });

  it("renames: the old form URL 404s at once; the old slug stays reserved to this workspace for 30 days", async () => {
    const w = await createWorkspace(api, owner, "Rename Me");
    expect((await fetch(`${api.url}/forms/${w.slug}`)).status).toBe(200);
    const r = await api.gql<{ updateWorkspace: { slug: string; name: string } }>(
      UPDATE,
      { id: w.id, i: { name: "Renamed", slug: "renamed-co" } },
      { token: owner.token },
    );
    expect(r.data?.updateWorkspace).toMatchObject({ slug: "renamed-co", name: "Renamed" });
    expect((await fetch(`${api.url}/forms/${w.slug}`)).status).toBe(404);
    expect((await fetch(`${api.url}/forms/renamed-co`)).status).toBe(200);

    // Another workspace can neither take the old slug by rename nor by creation…
    const other = await createWorkspace(api, stranger, "Other Co");
    const steal = await api.gql(UPDATE, { id: other.id, i: { slug: w.slug } }, { token: stranger.token });
    expect(codeOf(steal)).toBe("CONFLICT");
    const create = await api.gql(
      `mutation($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { slug } }`,
      { i: { name: "X", slug: w.slug, channel: "VOICE" } },
      { token: stranger.token },
    );
    expect(codeOf(create)).toBe("CONFLICT");
    // …and a name that derives to it gets a suffixed slug instead.
    const derived = await api.gql<{ createWorkspace: { slug: string } }>(
      `mutation($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { slug } }`,
      { i: { name: "Rename Me", channel: "VOICE" } },
      { token: stranger.token },
    );
    expect(derived.data?.createWorkspace.slug).toBe(`${w.slug}-2`);
    // The same workspace may take it back.
    expect(
      (
        await api.gql<{ updateWorkspace: { slug: string } }>(
          UPDATE,
          { id: w.id, i: { slug: w.slug } },
          { token: owner.token },
        )
      ).data?.updateWorkspace.slug,
    ).toBe(w.slug);
    // After 30 days the reservation lapses.
    await api.gql(UPDATE, { id: w.id, i: { slug: "renamed-again" } }, { token: owner.token });
    await ownerSql(api, `UPDATE retired_slugs SET retired_at = now() - interval '31 days' WHERE slug = $1`, [w.slug]);
    expect(
      (
        await api.gql<{ updateWorkspace: { slug: string } }>(
          UPDATE,
          { id: other.id, i: { slug: w.slug } },
          { token: stranger.token },
        )
      ).data?.updateWorkspace.slug,
    ).toBe(w.slug);
  });

  it("validates renames like creation", async () => {
    for (const i of [
      { slug: "ab" },
      { slug: "Bad Slug" },
      { slug: "admin" },
      { name: "   " },
      { name: "n".repeat(81) },
    ]) {
      expect(codeOf(await api.gql(UPDATE, { id: ws.id, i }, { token: owner.token })), JSON.stringify(i)).toBe(
        "BAD_USER_INPUT",
      );
    }
  });

  it("pauses and resumes the agent, recorded in the audit log", async () => {
    expect((await api.gql(PAUSE, { w: ws.id, p: true }, { token: owner.token })).data).toEqual({
      setAgentPaused: { agentPaused: true },
    });
    expect((await api.gql(PAUSE, { w: ws.id, p: false }, { token: owner.token })).data).toEqual({
      setAgentPaused: { agentPaused: false },
    });
    const audit = await api.gql<{ auditEvents: { edges: { node: { action: string } }[] } }>(
      `query($w: ID!) { auditEvents(workspaceId: $w, action: "agent.") { edges { node { action } } } }`,
      { w: ws.id },
      { token: owner.token },
    );
    expect(audit.data?.auditEvents.edges.map((e) => e.node.action).slice(0, 2)).toEqual([
      "agent.resumed",
      "agent.paused",
    ]);
  });

  it("validates the persona", async () => {
    const ok = await api.gql<{ updateAgentPersona: { agentName: string; qualificationQuestions: string[] } }>(
      PERSONA,
      { w: ws.id, i: persona },
      { token: owner.token },
    );
    expect(ok.data?.updateAgentPersona).toEqual({
      agentName: "Ava",
      agentTone: "FRIENDLY",
      qualificationQuestions: ["Budget?", "Timeline?"],
    });
    for (const bad of [
      { ...persona, tone: "RUDE" },
      { ...persona, agentName: " " },
      { ...persona, qualificationQuestions: Array(21).fill("Q?") },
      { ...persona, qualificationQuestions: [""] },
    ]) {
      expect(codeOf(await api.gql(PERSONA, { w: ws.id, i: bad }, { token: owner.token }))).toBe("BAD_USER_INPUT");
    }
  });

  it("previews environment changes and requires confirmation", async () => {
    const p = await api.gql<{ previewEnvironmentChange: { from: string; to: string; warnings: string[] } }>(
      PREVIEW,
      { w: ws.id, e: "PRODUCTION" },
      { token: owner.token },
    );
    expect(p.data?.previewEnvironmentChange.from).toBe("DEVELOPMENT");
    expect(p.data?.previewEnvironmentChange.warnings.join(" ")).toMatch(/15 minutes/);
    const unconfirmed = await api.gql(CHANGE, { w: ws.id, e: "PRODUCTION", c: false }, { token: owner.token });
    expect(codeOf(unconfirmed)).toBe("BAD_USER_INPUT");
    expect(unconfirmed.errors?.[0]?.extensions?.reason).toBe("CONFIRMATION_REQUIRED");
    expect((await api.gql(CHANGE, { w: ws.id, e: "PRODUCTION", c: true }, { token: owner.token })).data).toEqual({
      changeEnvironment: { environment: "PRODUCTION" },
    });
    await api.gql(CHANGE, { w: ws.id, e: "DEVELOPMENT", c: true }, { token: owner.token });
  });

  it("production signs out sessions idle there for 15 minutes, per (session, workspace); staging activity does not keep it alive", async () => {
    const prod = await createWorkspace(api, owner, "Prod Co");
    const staging = await createWorkspace(api, owner, "Staging Co");
    await api.gql(CHANGE, { w: prod.id, e: "PRODUCTION", c: true }, { token: owner.token });
    await api.gql(CHANGE, { w: staging.id, e: "STAGING", c: true }, { token: owner.token });
    const user = await api.user("Idle");
    await addMember(api, prod.id, user, "AGENT", ["lead.read"]);
    await addMember(api, staging.id, user, "AGENT", ["lead.read"]);
    const LEADS = `query($w: ID!) { leads(workspaceId: $w) { totalCount } }`;
    const idleIn = (w: string, minutes: number) =>
      ownerSql(
        api,
        `UPDATE session_workspace_activity SET last_seen_at = now() - $3::int * interval '1 minute' WHERE workspace_id = $1 AND session_id IN (SELECT id FROM sessions WHERE user_id = $2)`,
        [w, user.id, minutes],
      );

    // Activity in production is recorded per session and workspace; staging has no timeout.
    expect((await api.gql(LEADS, { w: prod.id }, { token: user.token })).errors).toBeUndefined();
    expect((await api.gql(LEADS, { w: staging.id }, { token: user.token })).errors).toBeUndefined();
    const rows = await ownerSql<{ workspace_id: string }>(
      api,
      `SELECT workspace_id FROM session_workspace_activity a JOIN sessions s ON s.id = a.session_id WHERE s.user_id = $1`,
      [user.id],
    );
    expect(rows.map((r) => r.workspace_id)).toEqual([prod.id]);

    // 14 minutes idle in production: still fine, and the visit counts as activity.
    await idleIn(prod.id, 14);
    expect((await api.gql(LEADS, { w: prod.id }, { token: user.token })).errors).toBeUndefined();
    // 16 minutes idle in production while busy in staging the whole time: signed out.
    await idleIn(prod.id, 16);
    expect((await api.gql(LEADS, { w: staging.id }, { token: user.token })).errors).toBeUndefined();
    const r = await api.gql(LEADS, { w: prod.id }, { token: user.token });
    expect(codeOf(r)).toBe("UNAUTHENTICATED");
    expect(r.errors?.[0]?.extensions?.reason).toBe("IDLE_TIMEOUT");
    // The session has ended: retrying does not slip through, and its refresh says why.
    expect(codeOf(await api.gql(LEADS, { w: prod.id }, { token: user.token }))).toBe("UNAUTHENTICATED");
    const refreshed = await api.gql(`mutation($t: String) { refreshSession(refreshToken: $t) { accessToken } }`, {
      t: user.refreshToken,
    });
    expect(codeOf(refreshed)).toBe("UNAUTHENTICATED");
    expect(refreshed.errors?.[0]?.extensions?.reason).toBe("IDLE_TIMEOUT");
  });

  it("reports diagnostics without values", async () => {
    const r = await api.gql<{ authDiagnostics: Record<string, boolean> }>(DIAG, { w: ws.id }, { token: owner.token });
    expect(r.data?.authDiagnostics).toEqual({ signingSecretConfigured: false, integrationsKeyConfigured: false });
  });

  it("retention: days or forever, validated", async () => {
    expect((await api.gql(RETENTION, { w: ws.id, d: 30 }, { token: owner.token })).data).toEqual({
      setRetention: { retentionDays: 30 },
    });
    expect((await api.gql(RETENTION, { w: ws.id, d: null }, { token: owner.token })).data).toEqual({
      setRetention: { retentionDays: null },
    });
    expect(codeOf(await api.gql(RETENTION, { w: ws.id, d: 0 }, { token: owner.token }))).toBe("BAD_USER_INPUT");
  });

  it("filters the audit log by actor, action and time range", async () => {
    const Q = `query($w: ID!, $a: ID, $act: String, $s: DateTimeISO, $u: DateTimeISO) { auditEvents(workspaceId: $w, actorUserId: $a, action: $act, since: $s, until: $u) { totalCount edges { node { action actorUserId } } } }`;
    const byAdmin = await api.gql<{ auditEvents: { totalCount: number; edges: { node: { actorUserId: string } }[] } }>(
      Q,
      { w: ws.id, a: admin.id },
      { token: owner.token },
    );
    expect(byAdmin.data!.auditEvents.totalCount).toBeGreaterThan(0);
    expect(byAdmin.data!.auditEvents.edges.every((e) => e.node.actorUserId === admin.id)).toBe(true);
    const future = await api.gql<{ auditEvents: { totalCount: number } }>(
      Q,
      { w: ws.id, s: new Date(Date.now() + 86_400_000).toISOString() },
      { token: owner.token },
    );
    expect(future.data?.auditEvents.totalCount).toBe(0);
    expect(codeOf(await api.gql(Q, { w: ws.id, a: "not-a-uuid" }, { token: owner.token }))).toBe("BAD_USER_INPUT");
  });

  it("delete wipes every table of the workspace (checked from the schema), frees the slug, and leaves a platform audit record", async () => {
    const doomed = await createWorkspace(api, owner, "Doomed Co");
    const keep = await createWorkspace(api, owner, "Keep Co");
    // Populate every kind of tenant row through the product.
    await api.gql(
      `mutation($w: ID!, $i: InviteMemberInput!) { inviteMember(workspaceId: $w, input: $i) { id } }`,
      { w: doomed.id, i: { email: "inv@example.com", preset: "viewer" } },
      { token: owner.token },
    );
    await addMember(api, doomed.id, agent, "AGENT", ["lead.read"]);
    const key = (
      await api.gql<{ createApiKey: { secret: string } }>(
        `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "k", scopes: ["lead.manage"] }) { secret } }`,
        { w: doomed.id },
        { token: owner.token },
      )
    ).data!.createApiKey.secret;
    await api.gql(`mutation { submitLead(input: { name: "L", email: "l@example.com" }) { id } }`, {}, { token: key });
    const contact = (
      await ownerSql<{ id: string }>(api, `SELECT id FROM contacts WHERE workspace_id = $1`, [doomed.id])
    )[0]!.id;
    const conv = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id) VALUES ($1, $2) RETURNING id`,
        [doomed.id, contact],
      )
    )[0]!.id;
    await ownerSql(
      api,
      `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status) VALUES ($1, $2, 'INBOUND', 'CONTACT', 'hi', 'RECEIVED')`,
      [doomed.id, conv],
    );
    // Channel rows (issue 12): a credential card, a call attempt, a booking.
    await api.gql(
      `mutation($w: ID!) { setIntegration(workspaceId: $w, input: { openai: { apiKey: "sk-doomed-secret", model: "gpt-4o-mini" } }) { provider } }`,
      { w: doomed.id },
      { token: owner.token },
    );
    const lead = (await ownerSql<{ id: string }>(api, `SELECT id FROM leads WHERE workspace_id = $1`, [doomed.id]))[0]!
      .id;
    await ownerSql(
      api,
      `INSERT INTO calls (workspace_id, contact_id, lead_id, status) VALUES ($1, $2, $3, 'SUPPRESSED')`,
      [doomed.id, contact, lead],
    );
    await ownerSql(
      api,
      `INSERT INTO bookings (workspace_id, lead_id, provider_uid, starts_at, ends_at, status, attendee_name, attendee_email) VALUES ($1, $2, 'uid-1', now(), now(), 'ACCEPTED', 'L', 'l@example.com')`,
      [doomed.id, lead],
    );
    // A session's activity there (idle timeout per session and workspace, issue 14).
    await ownerSql(
      api,
      `INSERT INTO session_workspace_activity (session_id, workspace_id) SELECT id, $1 FROM sessions WHERE user_id = $2 LIMIT 1`,
      [doomed.id, owner.id],
    );
    // Phone numbers and outbound webhooks (issue 13): a number, an endpoint, an event, its delivery and one attempt.
    await ownerSql(
      api,
      `INSERT INTO phone_configs (workspace_id, number, provider, label) VALUES ($1, '+15550100001', 'TWILIO', 'Main')`,
      [doomed.id],
    );
    const endpoint = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO webhook_endpoints (workspace_id, url, events, secret_jwe) VALUES ($1, 'https://hooks.example/a', '{lead.created}', 'jwe') RETURNING id`,
        [doomed.id],
      )
    )[0]!.id;
    const event = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO webhook_events (workspace_id, type, payload) VALUES ($1, 'lead.created', '{}') RETURNING id`,
        [doomed.id],
      )
    )[0]!.id;
    const delivery = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO webhook_deliveries (workspace_id, endpoint_id, event_id, event_type) VALUES ($1, $2, $3, 'lead.created') RETURNING id`,
        [doomed.id, endpoint, event],
      )
    )[0]!.id;
    await ownerSql(
      api,
      `INSERT INTO webhook_delivery_attempts (workspace_id, delivery_id, attempt, request_url, request_headers, request_body, latency_ms) VALUES ($1, $2, 1, 'https://hooks.example/a', '{}', '{}', 5)`,
      [doomed.id, delivery],
    );
    // Campaign, usage and analytics rows (issue 13): a started campaign, a metered send, a rollup.
    const camp = (
      await api.gql<{ createCampaign: { id: string } }>(
        `mutation($w: ID!, $c: ID!) { createCampaign(workspaceId: $w, input: { name: "C", message: "Hi", contactIds: [$c] }) { id } }`,
        { w: doomed.id, c: contact },
        { token: owner.token },
      )
    ).data!.createCampaign.id;
    await api.gql(
      `mutation($w: ID!, $id: ID!) { runCampaign(workspaceId: $w, id: $id) { id } }`,
      { w: doomed.id, id: camp },
      { token: owner.token },
    );
    await api.db.tenant({ workspaceId: doomed.id }, (tx) => api.services.usage.meterSend(tx, doomed.id, "MESSAGES"));
    await api.gql(
      `query($w: ID!) { analytics(workspaceId: $w, from: "2026-01-01", to: "2026-01-02") { day } }`,
      { w: doomed.id },
      { token: owner.token },
    );
    // The operator console (issue 47): a read mark, a rule, a guidance note, a call action, a review item, a notification.
    const mem = (
      await ownerSql<{ id: string }>(api, `SELECT id FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [
        doomed.id,
        owner.id,
      ])
    )[0]!.id;
    await ownerSql(
      api,
      `INSERT INTO conversation_reads (workspace_id, conversation_id, membership_id) VALUES ($1, $2, $3)`,
      [doomed.id, conv, mem],
    );
    const rule = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO safety_rules (workspace_id, name, phrases, applies_to, action) VALUES ($1, 'r', '{stop}', '{INBOUND}', 'FLAG') RETURNING id`,
        [doomed.id],
      )
    )[0]!.id;
    await ownerSql(
      api,
      `INSERT INTO guidance_notes (workspace_id, conversation_id, author_membership_id, body) VALUES ($1, $2, $3, 'note')`,
      [doomed.id, conv, mem],
    );
    await ownerSql(
      api,
      `INSERT INTO call_actions (workspace_id, conversation_id, membership_id, kind, payload) VALUES ($1, $2, $3, 'GUIDANCE', '{}')`,
      [doomed.id, conv, mem],
    );
    const item = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO review_items (workspace_id, reason, conversation_id, rule_id, summary) VALUES ($1, 'SAFETY_FLAG', $2, $3, 's') RETURNING id`,
        [doomed.id, conv, rule],
      )
    )[0]!.id;
    await ownerSql(
      api,
      `INSERT INTO notifications (workspace_id, membership_id, kind, title, conversation_id, review_item_id) VALUES ($1, $2, 'ESCALATION', 't', $3, $4)`,
      [doomed.id, mem, conv, item],
    );
    // WhatsApp templates (issue 56).
    await ownerSql(
      api,
      `INSERT INTO message_templates (workspace_id, name, content_sid, body) VALUES ($1, 't', 'HX00000000000000000000000000000001', 'Hello')`,
      [doomed.id],
    );
    // Single sign-on (issue 49): a provider, a domain, a sign-in in flight.
    const sso = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO sso_connections (workspace_id, issuer_url, client_id, secret_jwe, key_id, default_preset) VALUES ($1, 'https://idp.example', 'c', 'jwe', 'k', 'viewer') RETURNING id`,
        [doomed.id],
      )
    )[0]!.id;
    await ownerSql(
      api,
      `INSERT INTO sso_domains (workspace_id, connection_id, domain, token_hash) VALUES ($1, $2, 'doomed.example', 'h')`,
      [doomed.id, sso],
    );
    await ownerSql(
      api,
      `INSERT INTO sso_sign_ins (state_hash, workspace_id, connection_id, nonce, code_verifier, expires_at) VALUES ('s-doomed', $1, $2, 'n', 'v', now() + interval '10 minutes')`,
      [doomed.id, sso],
    );
    // Issue 50: an audit stream, a data-subject request and its tombstone.
    await ownerSql(
      api,
      `INSERT INTO audit_streams (workspace_id, url, secret_jwe) VALUES ($1, 'https://siem.example/in', 'jwe')`,
      [doomed.id],
    );
    const dsr = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO data_subject_requests (workspace_id, kind, email_hash) VALUES ($1, 'ERASE', 'h') RETURNING id`,
        [doomed.id],
      )
    )[0]!.id;
    await ownerSql(
      api,
      `INSERT INTO erasure_tombstones (workspace_id, kind, value_hash, request_id) VALUES ($1, 'EMAIL', 'h', $2)`,
      [doomed.id, dsr],
    );
    // A registered persisted document (issue 51).
    await ownerSql(
      api,
      `INSERT INTO contact_import_chunks (workspace_id, import_id, chunk, chunks, rows, created, updated, skipped, failed, on_conflict, plan_id, digest) VALUES ($1, gen_random_uuid(), 0, 1, 1, 1, 0, 0, 0, 'SKIP', 'p', 'd')`,
      [doomed.id],
    );
    await ownerSql(
      api,
      `INSERT INTO persisted_documents (workspace_id, sha256, name, body) VALUES ($1, $2, 'doc', '{ __typename }')`,
      [doomed.id, "a".repeat(64)],
    );
    // Issue 50: the audit chain's head (made with the workspace), a subject key (an e-mail in an audit row) and a checkpoint.
    await ownerSql(
      api,
      `INSERT INTO audit_events (workspace_id, action, data) VALUES ($1, 'test.personal', '{"email": "someone@example.test"}')`,
      [doomed.id],
    );
    await ownerSql(
      api,
      `INSERT INTO audit_checkpoints (workspace_id, seq, hash, key_id, signature) SELECT workspace_id, seq, hash, 'k', '\\x00' FROM audit_events WHERE workspace_id = $1 AND action = 'test.personal'`,
      [doomed.id],
    );
    await api.gql(UPDATE, { id: doomed.id, i: { slug: "doomed-renamed" } }, { token: owner.token });

    const tenantTables = (
      await ownerSql<{ table_name: string }>(
        api,
        `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'workspace_id' AND table_name <> 'platform_audit_events' ORDER BY 1`,
      )
    ).map((r) => r.table_name);
    expect(tenantTables.length).toBeGreaterThanOrEqual(8);
    const counts = async (id: string) => {
      const out: Record<string, number> = {};
      for (const t of tenantTables)
        out[t] = Number(
          (await ownerSql<{ n: string }>(api, `SELECT count(*) AS n FROM "${t}" WHERE workspace_id = $1`, [id]))[0]!.n,
        );
      return out;
    };
    const before = await counts(doomed.id);
    for (const t of tenantTables) expect(before[t], `seeded ${t}`).toBeGreaterThan(0);
    const keepBefore = await counts(keep.id);

    expect((await api.gql(DELETE, { id: doomed.id, s: "doomed-renamed" }, { token: owner.token })).data).toEqual({
      deleteWorkspace: true,
    });
    const after = await counts(doomed.id);
    for (const t of tenantTables) expect(after[t], `left in ${t}`).toBe(0);
    expect(await ownerSql(api, `SELECT 1 FROM workspaces WHERE id = $1`, [doomed.id])).toHaveLength(0);
    expect(await ownerSql(api, `SELECT 1 FROM retired_slugs WHERE owner_workspace_id = $1`, [doomed.id])).toHaveLength(
      0,
    );
    expect(await counts(keep.id)).toEqual(keepBefore);
    const record = await ownerSql<{ action: string; actor_user_id: string }>(
      api,
      `SELECT action, actor_user_id FROM platform_audit_events WHERE workspace_id = $1`,
      [doomed.id],
    );
    expect(record).toEqual([{ action: "workspace.deleted", actor_user_id: owner.id }]);
    // The slug is free again, and the API key died with the workspace.
    expect(
      (
        await api.gql<{ createWorkspace: { slug: string } }>(
          `mutation($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { slug } }`,
          { i: { name: "X", slug: "doomed-renamed", channel: "VOICE" } },
          { token: stranger.token },
        )
      ).data?.createWorkspace.slug,
    ).toBe("doomed-renamed");
    expect(codeOf(await api.gql(`mutation { submitLead(input: { name: "L" }) { id } }`, {}, { token: key }))).toBe(
      "UNAUTHENTICATED",
    );
  });
});
