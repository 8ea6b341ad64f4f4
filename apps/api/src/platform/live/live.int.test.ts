// Live updates (issue 46): subscriptions over graphql-ws carry only what a query would show the
// same caller, end when the caller loses the right, and reach subscribers on another API process.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";

import type { Fakes } from "@atrium/fakes";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import {
  addMember,
  createWorkspace,
  eventually,
  ownerSql,
  startTestApi,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";
import { liveClient, record, subscribed } from "../../test/live-client.ts";
import { configure, newKey, startApiWithFakes, twilioCard } from "../../test/providers.ts";
import { LIVE_LIMITS } from "./transport.ts";

const CONVERSATION_EVENTS = `subscription($w: ID!, $c: ID) { conversationEvents(workspaceId: $w, conversationId: $c) { type conversationId message { id body status direction } conversation { id humanTakeover } } }`;
const LEAD_EVENTS = `subscription($w: ID!) { leadEvents(workspaceId: $w) { type leadId lead { id name email } } }`;
const CAMPAIGN_PROGRESS = `subscription($w: ID!, $id: ID!) { campaignProgress(workspaceId: $w, id: $id) { id status } }`;

type ConvEvent = {
  conversationEvents: {
    type: string;
    conversationId: string;
    message: { id: string; body: string; status: string } | null;
    conversation: { id: string } | null;
  };
};
type LeadEvt = { leadEvents: { type: string; leadId: string; lead: { id: string; name: string } | null } };

async function conversationIn(
  api: TestApi,
  workspaceId: string,
  name: string,
): Promise<{ contact: string; conversation: string }> {
  const contact = (
    await ownerSql<{ id: string }>(api, `INSERT INTO contacts (workspace_id, name) VALUES ($1, $2) RETURNING id`, [
      workspaceId,
      name,
    ])
  )[0]!.id;
  const conversation = (
    await ownerSql<{ id: string }>(
      api,
      `INSERT INTO conversations (workspace_id, contact_id) VALUES ($1, $2) RETURNING id`,
      [workspaceId, contact],
    )
  )[0]!.id;
  return { contact, conversation };
}
async function leadIn(api: TestApi, workspaceId: string, name: string, email: string): Promise<string> {
  const contact = (
    await ownerSql<{ id: string }>(
      api,
      `INSERT INTO contacts (workspace_id, name, email) VALUES ($1, $2, $3) RETURNING id`,
      [workspaceId, name, email],
    )
  )[0]!.id;
  return (
    await ownerSql<{ id: string }>(
      api,
      `INSERT INTO leads (workspace_id, contact_id, name, email, source) VALUES ($1, $2, $3, $4, 'API') RETURNING id`,
      [workspaceId, contact, name, email],
    )
  )[0]!.id;
}
const inbound = (api: TestApi, workspaceId: string, conversation: string, body: string) =>
  ownerSql<{ id: string }>(
    api,
    `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status) VALUES ($1, $2, 'INBOUND', 'CONTACT', $3, 'RECEIVED') RETURNING id`,
    [workspaceId, conversation, body],
  ).then((r) => r[0]!.id);

describe("live subscriptions", () => {
  let api: TestApi;
  let owner: TestUser;
  let agent: TestUser;
  let stranger: TestUser;
  let ws: { id: string; slug: string };
  let other: { id: string; slug: string };
  const clients: { dispose(): Promise<void> | void }[] = [];
  const client = (opts: Parameters<typeof liveClient>[1]) => {
    const c = liveClient(api.url, opts);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    api = await startTestApi();
    [owner, agent, stranger] = await Promise.all([api.user("Owner"), api.user("Agent"), api.user("Stranger")]);
    ws = await createWorkspace(api, owner, "Live Co");
    other = await createWorkspace(api, stranger, "Other Co");
    await addMember(api, ws.id, agent, "AGENT", ["lead.read", "contact.read", "conversation.read"]);
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await api.close();
  });

  it("a message received and its status moving reach a subscriber of the workspace and of that conversation, nothing of another", async () => {
    const a = await conversationIn(api, ws.id, "Casey");
    const b = await conversationIn(api, ws.id, "Drew");
    const c = client({ token: agent.token });
    const all = record<ConvEvent>(c, CONVERSATION_EVENTS, { w: ws.id });
    const one = record<ConvEvent>(c, CONVERSATION_EVENTS, { w: ws.id, c: a.conversation });
    await subscribed(api.services.live, 2);

    const otherConv = await conversationIn(api, other.id, "Stranger's lead");
    await inbound(api, other.id, otherConv.conversation, "not yours");
    const m = await inbound(api, ws.id, a.conversation, "Hello from Casey");
    await inbound(api, ws.id, b.conversation, "Hello from Drew");
    await ownerSql(api, `UPDATE messages SET status = 'DELIVERED' WHERE id = $1`, [m]);

    const got = await one.waitFor(2);
    expect(
      got.map((r) => [
        r.data!.conversationEvents.type,
        r.data!.conversationEvents.message?.body,
        r.data!.conversationEvents.message?.status,
      ]),
    ).toEqual([
      ["MESSAGE_ADDED", "Hello from Casey", "RECEIVED"],
      ["MESSAGE_UPDATED", "Hello from Casey", "DELIVERED"],
    ]);
    const everything = await all.waitFor(3);
    const bodies = everything.map((r) => r.data!.conversationEvents.message?.body).filter(Boolean);
    expect(bodies).toEqual(["Hello from Casey", "Hello from Drew", "Hello from Casey"]);
    // Nothing of the other workspace, and no errors.
    expect(all.results.some((r) => r.errors || JSON.stringify(r.data).includes("not yours"))).toBe(false);
    expect(everything.every((r) => r.data!.conversationEvents.conversationId !== otherConv.conversation)).toBe(true);
  });

  it("a client that asks for it gets a start marker first, sent only once the subscription listens; others never get one", async () => {
    const { conversation } = await conversationIn(api, ws.id, "Emery");
    const announced = client({ connectionParams: { authorization: `Bearer ${agent.token}`, announceStart: true } });
    const plain = client({ token: agent.token });
    const before = api.services.live.subscriberCount;
    const marked = record<ConvEvent>(announced, CONVERSATION_EVENTS, { w: ws.id, c: conversation });
    const [marker] = await marked.waitFor(1);
    // The marker is no event: no data, and the subscription is registered with the hub when it arrives.
    expect(marker).toEqual({ extensions: { subscriptionStarted: true } });
    expect(api.services.live.subscriberCount).toBe(before + 1);
    const unmarked = record<ConvEvent>(plain, CONVERSATION_EVENTS, { w: ws.id, c: conversation });
    await subscribed(api.services.live, before + 2);

    await inbound(api, ws.id, conversation, "Anyone there?");
    await marked.waitFor(2);
    await unmarked.waitFor(1);
    expect(marked.results[1]?.data?.conversationEvents.message?.body).toBe("Anyone there?");
    expect(unmarked.results.map((r) => r.data?.conversationEvents.message?.body)).toEqual(["Anyone there?"]);
    expect(unmarked.results.some((r) => r.extensions !== undefined)).toBe(false);

    // A refused subscription gets its error, never a marker.
    const refused = record<ConvEvent>(announced, CONVERSATION_EVENTS, { w: other.id });
    expect(await refused.waitForEnd()).toMatchObject({ code: "NOT_FOUND" });
    expect(refused.results.every((r) => r.extensions?.subscriptionStarted === undefined)).toBe(true);

    // Completing a marked subscription leaves the hub as completing any other does.
    marked.dispose();
    unmarked.dispose();
    await eventually(() => api.services.live.subscriberCount === before || null, 5_000, "both unregistered");
  });

  it("campaign progress, webhook deliveries, bookings and lead deletions each reach their subscription, as the query types", async () => {
    const c = client({ token: owner.token });
    const campaign = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO campaigns (workspace_id, name, message) VALUES ($1, 'Spring', 'Hi') RETURNING id`,
        [ws.id],
      )
    )[0]!.id;
    const otherCampaign = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO campaigns (workspace_id, name, message) VALUES ($1, 'Other', 'Hi') RETURNING id`,
        [ws.id],
      )
    )[0]!.id;
    const endpoint = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO webhook_endpoints (workspace_id, url, events, secret_jwe) VALUES ($1, 'https://example.com/hook', '{lead.created}', 'x') RETURNING id`,
        [ws.id],
      )
    )[0]!.id;
    const before = api.services.live.subscriberCount;
    const progress = record<{ campaignProgress: { id: string; status: string } }>(c, CAMPAIGN_PROGRESS, {
      w: ws.id,
      id: campaign,
    });
    const deliveries = record<{ webhookDeliveryEvents: { id: string; status: string; attempts: number } }>(
      c,
      `subscription($w: ID!, $e: ID!) { webhookDeliveryEvents(workspaceId: $w, endpointId: $e) { id status attempts } }`,
      { w: ws.id, e: endpoint },
    );
    const bookings = record<{ bookingEvents: { id: string; status: string; lead: { id: string } | null } }>(
      c,
      `subscription($w: ID!) { bookingEvents(workspaceId: $w) { id status lead { id } } }`,
      { w: ws.id },
    );
    const leads = record<LeadEvt>(c, LEAD_EVENTS, { w: ws.id });
    await subscribed(api.services.live, before + 4);

    await ownerSql(api, `UPDATE campaigns SET status = 'RUNNING' WHERE id = $1`, [otherCampaign]);
    await ownerSql(api, `UPDATE campaigns SET status = 'RUNNING', started_at = now() WHERE id = $1`, [campaign]);
    const event = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO webhook_events (workspace_id, type, payload) VALUES ($1, 'lead.created', '{}') RETURNING id`,
        [ws.id],
      )
    )[0]!.id;
    const delivery = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO webhook_deliveries (workspace_id, endpoint_id, event_id, event_type) VALUES ($1, $2, $3, 'lead.created') RETURNING id`,
        [ws.id, endpoint, event],
      )
    )[0]!.id;
    await ownerSql(api, `UPDATE webhook_deliveries SET status = 'SUCCEEDED', attempts = 1 WHERE id = $1`, [delivery]);
    // An event carries the row as it is when the event is delivered (loaded per subscriber), so
    // each change waits for the previous one's event: on a loaded machine the booking's first
    // event was once loaded after its lead was unset, and the lead's after its deletion.
    const lead = await leadIn(api, ws.id, "Booker", "booker@example.com");
    await leads.waitFor(1);
    await ownerSql(
      api,
      `INSERT INTO bookings (workspace_id, lead_id, provider_uid, starts_at, ends_at, status, attendee_name, attendee_email) VALUES ($1, $2, 'uid-1', now(), now() + interval '30 minutes', 'ACCEPTED', 'Booker', 'booker@example.com')`,
      [ws.id, lead],
    );
    await bookings.waitFor(1);
    await ownerSql(api, `UPDATE bookings SET lead_id = NULL WHERE provider_uid = 'uid-1' AND workspace_id = $1`, [
      ws.id,
    ]);
    await ownerSql(api, `DELETE FROM leads WHERE id = $1`, [lead]);

    expect((await progress.waitFor(1))[0]!.data!.campaignProgress).toEqual({ id: campaign, status: "RUNNING" });
    expect((await deliveries.waitFor(2)).map((r) => r.data!.webhookDeliveryEvents)).toEqual([
      { id: delivery, status: "PENDING", attempts: 0 },
      { id: delivery, status: "SUCCEEDED", attempts: 1 },
    ]);
    expect((await bookings.waitFor(2)).map((r) => r.data!.bookingEvents.lead?.id ?? null)).toEqual([lead, null]);
    const leadEvents = await leads.waitFor(2);
    expect(
      leadEvents.map((r) => [
        r.data!.leadEvents.type,
        r.data!.leadEvents.leadId,
        r.data!.leadEvents.lead?.name ?? null,
      ]),
    ).toEqual([
      ["CREATED", lead, "Booker"],
      ["DELETED", lead, null],
    ]);
    // Only the subscribed campaign.
    expect(progress.results.every((r) => r.data!.campaignProgress.id === campaign)).toBe(true);
    for (const r of [progress, deliveries, bookings, leads]) r.dispose();
  });

  it("cross-tenant probes answer NOT_FOUND: another workspace's id, another workspace's conversation or campaign, a key of another workspace", async () => {
    const theirs = await conversationIn(api, other.id, "Theirs");
    const campaign = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO campaigns (workspace_id, name, message) VALUES ($1, 'c', 'm') RETURNING id`,
        [other.id],
      )
    )[0]!.id;
    const key = (
      await api.gql<{ createApiKey: { secret: string } }>(
        `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "k", scopes: ["lead.read", "conversation.read"] }) { secret } }`,
        { w: other.id },
        { token: stranger.token },
      )
    ).data!.createApiKey.secret;
    const mine = client({ token: owner.token });
    const keyClient = client({ token: key });
    const probes = [
      record(mine, CONVERSATION_EVENTS, { w: other.id }),
      record(mine, CONVERSATION_EVENTS, { w: ws.id, c: theirs.conversation }),
      record(mine, CAMPAIGN_PROGRESS, { w: ws.id, id: campaign }),
      record(mine, LEAD_EVENTS, { w: "not-a-uuid" }),
      record(keyClient, LEAD_EVENTS, { w: ws.id }),
      record(keyClient, CONVERSATION_EVENTS, { w: ws.id }),
    ];
    for (const p of probes) expect(await p.waitForEnd()).toMatchObject({ code: "NOT_FOUND" });
    // The key reaches its own workspace.
    const own = record<LeadEvt>(keyClient, LEAD_EVENTS, { w: other.id });
    await subscribed(api.services.live, 1);
    await leadIn(api, other.id, "Kay", "kay@example.com");
    expect((await own.waitFor(1))[0]!.data!.leadEvents).toMatchObject({ type: "CREATED", lead: { name: "Kay" } });
    own.dispose();
  });

  it("a member without the read policy is refused FORBIDDEN; demotion ends a live subscription with FORBIDDEN and removal with NOT_FOUND within a second", async () => {
    const [reader, leaver, limited] = await Promise.all([api.user("Reader"), api.user("Leaver"), api.user("Limited")]);
    await addMember(api, ws.id, reader, "AGENT", ["lead.read", "conversation.read"]);
    await addMember(api, ws.id, leaver, "AGENT", ["lead.read", "conversation.read"]);
    await addMember(api, ws.id, limited, "AGENT", ["lead.read"]);
    expect(
      await record(client({ token: limited.token }), CONVERSATION_EVENTS, { w: ws.id }).waitForEnd(),
    ).toMatchObject({ code: "FORBIDDEN" });

    const before = api.services.live.subscriberCount;
    const demoted = record(client({ token: reader.token }), CONVERSATION_EVENTS, { w: ws.id });
    const removed = record(client({ token: leaver.token }), CONVERSATION_EVENTS, { w: ws.id });
    await subscribed(api.services.live, before + 2);

    let t = Date.now();
    const upd = await api.gql(
      `mutation($w: ID!, $u: ID!) { updateMember(workspaceId: $w, userId: $u, input: { policies: ["lead.read"] }) { role } }`,
      { w: ws.id, u: reader.id },
      { token: owner.token },
    );
    expect(upd.errors).toBeUndefined();
    expect(await demoted.waitForEnd(1_000)).toMatchObject({ code: "FORBIDDEN" });
    expect(Date.now() - t).toBeLessThan(1_000);

    t = Date.now();
    expect(
      (
        await api.gql(
          `mutation($w: ID!, $u: ID!) { removeMember(workspaceId: $w, userId: $u) }`,
          { w: ws.id, u: leaver.id },
          { token: owner.token },
        )
      ).errors,
    ).toBeUndefined();
    expect(await removed.waitForEnd(1_000)).toMatchObject({ code: "NOT_FOUND" });
    expect(Date.now() - t).toBeLessThan(1_000);
    // Their subscriptions are gone from the hub.
    await eventually(() => api.services.live.subscriberCount === before, 2_000, "subscribers released");
  });

  it("a revoked key and a signed-out session end their subscriptions with UNAUTHENTICATED", async () => {
    const created = (
      await api.gql<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
        `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "live", scopes: ["lead.read"] }) { secret apiKey { id } } }`,
        { w: ws.id },
        { token: owner.token },
      )
    ).data!.createApiKey;
    const byKey = record(client({ token: created.secret }), LEAD_EVENTS, { w: ws.id });
    const leaving = await api.user("Leaving");
    await addMember(api, ws.id, leaving, "AGENT", ["lead.read"]);
    const bySession = record(client({ token: leaving.token }), LEAD_EVENTS, { w: ws.id });
    await eventually(() => api.services.live.subscriberCount >= 2 || null, 5_000, "subscribers");
    await new Promise((r) => setTimeout(r, 200));

    expect(
      (
        await api.gql(
          `mutation($w: ID!, $id: ID!) { revokeApiKey(workspaceId: $w, id: $id) }`,
          { w: ws.id, id: created.apiKey.id },
          { token: owner.token },
        )
      ).errors,
    ).toBeUndefined();
    expect(await byKey.waitForEnd(1_000)).toMatchObject({ code: "UNAUTHENTICATED" });
    expect((await api.gql(`mutation { signOut }`, {}, { token: leaving.token })).errors).toBeUndefined();
    expect(await bySession.waitForEnd(1_000)).toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("transport rules: credentials, origin, only subscriptions, limits, malformed frames and an expiring token, each a typed answer", async () => {
    const wsUrl = `${api.url.replace(/^http/, "ws")}/graphql`;
    const rawClose = (headers: Record<string, string>, send: (s: WebSocket) => void) =>
      new Promise<{ code: number; reason: string }>((resolve, reject) => {
        const s = new WebSocket(wsUrl, "graphql-transport-ws", { headers });
        s.on("open", () => send(s));
        s.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
        s.on("error", reject);
      });
    // No credentials; a malformed bearer token; a cookie from another site's page.
    expect(await rawClose({}, (s) => s.send(JSON.stringify({ type: "connection_init" })))).toEqual({
      code: 4401,
      reason: "SIGN_IN_REQUIRED",
    });
    expect(
      await rawClose({}, (s) =>
        s.send(JSON.stringify({ type: "connection_init", payload: { authorization: "Bearer nope" } })),
      ),
    ).toEqual({ code: 4401, reason: "TOKEN_INVALID" });
    expect(
      await rawClose({ cookie: `atrium_at=${owner.token}; atrium_csrf=x`, origin: "https://evil.example" }, (s) =>
        s.send(JSON.stringify({ type: "connection_init", payload: { csrfToken: "x" } })),
      ),
    ).toEqual({ code: 4403, reason: "ORIGIN_NOT_ALLOWED" });
    // The web app's way: its cookie, from its own origin, with the CSRF token.
    const cookieClient = client({
      headers: { cookie: `atrium_at=${owner.token}; atrium_csrf=csrf1`, origin: api.config.publicUrl },
      connectionParams: { csrfToken: "csrf1" },
    });
    const viaCookie = record<LeadEvt>(cookieClient, LEAD_EVENTS, { w: ws.id });
    const cookieLead = await leadIn(api, ws.id, "Cookie", "cookie@example.com");
    await eventually(
      async () => {
        if (viaCookie.results.length > 0) return true;
        await ownerSql(api, `UPDATE leads SET name = 'Cookie' WHERE id = $1`, [cookieLead]);
        return false;
      },
      5_000,
      "an event over the cookie connection",
    );
    expect(viaCookie.error).toBeNull();
    // A malformed frame: 4400; a message past the size limit: 1009.
    expect((await rawClose({}, (s) => s.send("{not json"))).code).toBe(4400);
    expect((await rawClose({}, (s) => s.send("x".repeat(LIVE_LIMITS.maxMessageBytes + 1)))).code).toBe(1009);

    const c = client({ token: owner.token });
    expect(await record(c, `query { me { id } }`).waitForEnd()).toMatchObject({
      code: "BAD_USER_INPUT",
      reason: "SUBSCRIPTIONS_ONLY",
    });
    expect(await record(c, `mutation { signOut }`).waitForEnd()).toMatchObject({
      code: "BAD_USER_INPUT",
      reason: "SUBSCRIPTIONS_ONLY",
    });
    expect(await record(c, `subscription { nope }`).waitForEnd()).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(
      await record(c, `subscription($w: ID!) { leadEvents(workspaceId: $w) { type } }`, {
        w: { not: "an id" },
      }).waitForEnd(),
    ).toMatchObject({ code: "BAD_USER_INPUT" });
    // Over HTTP, a subscription is refused with the way to the socket.
    const overHttp = await api.gql(LEAD_EVENTS, { w: ws.id }, { token: owner.token });
    expect(overHttp.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      reason: "SUBSCRIPTION_OVER_HTTP",
    });

    const many = client({ token: owner.token });
    const subs = Array.from({ length: LIVE_LIMITS.subscriptionsPerConnection + 1 }, () =>
      record(many, LEAD_EVENTS, { w: ws.id }),
    );
    await eventually(() => subs.some((s) => s.error?.reason === "TOO_MANY_SUBSCRIPTIONS") || null, 5_000, "the limit");
    expect(subs.filter((s) => s.error?.reason === "TOO_MANY_SUBSCRIPTIONS")).toHaveLength(1);
    for (const s of subs) s.dispose();

    // An access token that expires while connected: 4419 TOKEN_EXPIRED (the web app refreshes and reconnects); one expired already: the same.
    const session = (
      await ownerSql<{ id: string }>(
        api,
        `SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1`,
        [owner.id],
      )
    )[0]!.id;
    const { token: short } = await api.services.tokens.sign(
      { userId: owner.id, sessionId: session },
      new Date(Date.now() - (api.config.accessTokenTtlSeconds - 1) * 1000),
    );
    const expiring = liveClient(api.url, { token: short });
    clients.push(expiring);
    record(expiring, LEAD_EVENTS, { w: ws.id });
    const closed = await eventually(() => expiring.closed[0], 5_000, "the close");
    expect(closed).toEqual({ code: 4419, reason: "TOKEN_EXPIRED" });
    const { token: stale } = await api.services.tokens.sign(
      { userId: owner.id, sessionId: session },
      new Date(Date.now() - (api.config.accessTokenTtlSeconds + 5) * 1000),
    );
    expect(
      await rawClose({}, (s) =>
        s.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${stale}` } })),
      ),
    ).toEqual({ code: 4419, reason: "TOKEN_EXPIRED" });
  });

  it("connections per user are limited (4429), and a closed connection releases its subscriptions", async () => {
    const crowd = await api.user("Crowd");
    await addMember(api, ws.id, crowd, "AGENT", ["lead.read"]);
    const open = Array.from({ length: LIVE_LIMITS.connectionsPerPrincipal }, () =>
      liveClient(api.url, { token: crowd.token }),
    );
    const before = api.services.live.subscriberCount;
    const recs = open.map((c) => record(c, LEAD_EVENTS, { w: ws.id }));
    await subscribed(api.services.live, before + open.length);
    const extra = liveClient(api.url, { token: crowd.token });
    record(extra, LEAD_EVENTS, { w: ws.id });
    expect(await eventually(() => extra.closed[0], 5_000, "the refusal")).toEqual({
      code: 4429,
      reason: "TOO_MANY_CONNECTIONS",
    });
    for (const c of open) await c.dispose();
    await eventually(() => api.services.live.subscriberCount === before || null, 5_000, "released");
    expect(recs.every((r) => r.error === null || r.error.close !== undefined)).toBe(true);
    await extra.dispose();
  });
});

describe("live fan-out across API processes", () => {
  let api: TestApi;
  let fakes: Fakes;
  let second: ChildProcess;
  let secondUrl: string;
  const tw = twilioCard();

  beforeAll(async () => {
    ({ api, fakes } = await startApiWithFakes({ integrationKeys: [newKey()] }));
    const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
    second = spawn(
      process.execPath,
      ["--import", "tsx", "src/test/api-process.ts", api.testDb.appUrl, api.testDb.ownerUrl],
      {
        cwd: apiDir,
        env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "silent", PORT: "0" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    second.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    secondUrl = await new Promise<string>((resolve, reject) => {
      second.stdout!.on("data", (d: Buffer) => {
        const m = /api ready (\d+)/.exec(d.toString());
        if (m) resolve(`http://127.0.0.1:${m[1]}`);
      });
      second.once("exit", (code) => reject(new Error(`the second API exited (${code}): ${out}`)));
    });
  }, 60_000);
  afterAll(async () => {
    second?.kill("SIGTERM");
    await new Promise((r) => (second?.exitCode !== null ? r(null) : second.once("exit", r)));
    await api?.close();
    await fakes?.close();
  });

  it("an inbound Twilio message handled by one process reaches a subscriber connected to the other", async () => {
    const owner = await api.user("Owner");
    const ws = await createWorkspace(api, owner, "Two Instances", "WHATSAPP");
    await configure(api, fakes, owner, ws.id, { twilio: tw });
    const c = liveClient(secondUrl, { token: owner.token });
    const rec = record<ConvEvent>(c, CONVERSATION_EVENTS, { w: ws.id });
    // The second process has registered the subscription once a probe event reaches it.
    const probe = await conversationIn(api, ws.id, "Probe");
    await eventually(
      async () => {
        if (rec.results.length > 0) return true;
        await inbound(api, ws.id, probe.conversation, "probe");
        return false;
      },
      10_000,
      "the subscription on the second process",
    );
    const from = `+1555${String(Date.now()).slice(-7)}`;
    const r = await fakes.twilio.sendInbound({
      webhookUrl: `${api.url}/webhooks/twilio/${ws.id}`,
      authToken: tw.authToken,
      accountSid: tw.accountSid,
      from,
      to: tw.whatsappFrom,
      body: "Hi, is Tuesday free?",
    });
    expect(r.status).toBe(200);
    const got = await eventually(
      () => rec.results.find((x) => x.data?.conversationEvents.message?.body === "Hi, is Tuesday free?"),
      5_000,
      "the message on the other process",
    );
    expect(got.data!.conversationEvents).toMatchObject({
      type: "MESSAGE_ADDED",
      message: { status: "RECEIVED", direction: "INBOUND" },
    });
    expect(rec.error).toBeNull();
    await c.dispose();
  });
});
