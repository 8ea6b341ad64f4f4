// Plans and metered usage: the platform admin defines and assigns plans; a member with
// billing.manage switches between offered ones; a send beyond the monthly quota is HELD_QUOTA
// (never dropped) and goes out when the quota allows again (plan change or a new month); the
// counter is exact under concurrency.
import type { Fakes } from "@atrium/fakes";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { CREATE, GET, RUN, seedContacts } from "../../test/campaigns.ts";
import { addMember, codeOf, createWorkspace, ownerSql, type TestApi, type TestUser } from "../../test/harness.ts";
import {
  configure,
  eventually,
  newKey,
  startApiWithFakes,
  startWorkers,
  submitForm,
  twilioCard,
  vapiCard,
} from "../../test/providers.ts";

const CREATE_PLAN = `mutation($i: PlanInput!) { createPlan(input: $i) { id name monthlyMessages offered } }`;
const ASSIGN = `mutation($s: String!, $p: ID) { assignPlan(slug: $s, planId: $p) { id } }`;
const USAGE = `query($w: ID!) { usage(workspaceId: $w) { plan { name } month messages { used quota } calls { used quota } leads { used quota } heldMessages history { month messages } } }`;
type Usage = {
  plan: { name: string } | null;
  month: string;
  messages: { used: number; quota: number | null };
  heldMessages: number;
  history: { month: string; messages: number }[];
};

describe("usage and plans", () => {
  let api: TestApi;
  let fakes: Fakes;
  let admin: TestUser;
  let owner: TestUser;
  let ws: { id: string; slug: string };
  const tw = twilioCard();
  const sentTo = (p: string) => fakes.twilio.messages.filter((m) => m.to === `whatsapp:${p}`);
  const usage = async (token = owner.token) =>
    (await api.gql<{ usage: Usage }>(USAGE, { w: ws.id }, { token })).data!.usage;
  const plan = async (name: string, monthlyMessages: number | null, offered = true) => {
    const r = await api.gql<{ createPlan: { id: string } }>(
      CREATE_PLAN,
      { i: { name, monthlyMessages, monthlyCalls: null, monthlyLeads: 100, offered } },
      { token: admin.token },
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.createPlan.id;
  };

  beforeAll(async () => {
    ({ api, fakes } = await startApiWithFakes({
      integrationKeys: [newKey()],
      sendRetry: { limit: 2, delaySeconds: 1 },
      campaigns: { ratePerSecond: 0, batchSize: 20 },
    }));
    admin = await api.user("Admin");
    await api.services.platformAdmin.grantAdmin(admin.email);
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Quota Dental", "WHATSAPP");
    await configure(api, fakes, owner, ws.id, { twilio: tw });
    await startWorkers(api);
    await api.services.campaigns.startWorkers();
  });
  afterAll(async () => {
    await api?.close();
    await fakes?.close();
  });

  it("only platform admins define and assign plans; names are unique; quotas cannot be negative", async () => {
    expect(
      codeOf(
        await api.gql(CREATE_PLAN, { i: { name: "Nope", monthlyMessages: 1, offered: true } }, { token: owner.token }),
      ),
    ).toBe("FORBIDDEN");
    await plan("Starter", 10);
    expect(
      codeOf(
        await api.gql(
          CREATE_PLAN,
          { i: { name: "Starter", monthlyMessages: 1, offered: true } },
          { token: admin.token },
        ),
      ),
    ).toBe("CONFLICT");
    expect(
      codeOf(
        await api.gql(
          CREATE_PLAN,
          { i: { name: "Negative", monthlyMessages: -1, offered: true } },
          { token: admin.token },
        ),
      ),
    ).toBe("BAD_USER_INPUT");
    expect(codeOf(await api.gql(ASSIGN, { s: "no-such-workspace", p: null }, { token: admin.token }))).toBe(
      "NOT_FOUND",
    );
    expect(codeOf(await api.gql(ASSIGN, { s: ws.slug, p: null }, { token: owner.token }))).toBe("FORBIDDEN");
  });

  it("a send beyond the quota is HELD_QUOTA with a banner count, never dropped; switching to a larger offered plan releases it, each contact once", async () => {
    const tiny = await plan("Tiny", 3);
    const bigger = await plan("Bigger", 1000);
    const hidden = await plan("Internal", 1_000_000, false);
    expect((await api.gql(ASSIGN, { s: ws.slug, p: tiny }, { token: admin.token })).errors).toBeUndefined();
    const before = await usage();
    expect(before).toMatchObject({ plan: { name: "Tiny" }, messages: { used: 0, quota: 3 }, heldMessages: 0 });

    const contacts = await seedContacts(api, ws.id, 5);
    const c = (
      await api.gql<{ createCampaign: { id: string } }>(
        CREATE,
        { w: ws.id, i: { name: "Over", message: "Hi {{firstName}}", contactIds: contacts.map((x) => x.id) } },
        { token: owner.token },
      )
    ).data!.createCampaign;
    await api.gql(RUN, { w: ws.id, id: c.id }, { token: owner.token });
    const held = await eventually(
      async () => {
        const p = (
          await api.gql<{ campaign: { sent: number; held: number; status: string } }>(
            GET,
            { w: ws.id, id: c.id },
            { token: owner.token },
          )
        ).data!.campaign;
        return p.sent === 3 && p.held === 2 && p;
      },
      20_000,
      "3 sent, 2 held",
    );
    expect(held.status).toBe("RUNNING"); // not complete while sends wait for the quota
    expect(contacts.filter((x) => sentTo(x.phone).length === 1)).toHaveLength(3);
    const u = await usage();
    expect(u).toMatchObject({ messages: { used: 3, quota: 3 }, heldMessages: 2 });
    const heldRows = await ownerSql<{ error_message: string }>(
      api,
      `SELECT error_message FROM messages WHERE workspace_id = $1 AND status = 'HELD_QUOTA'`,
      [ws.id],
    );
    expect(heldRows).toHaveLength(2);
    expect(heldRows[0]!.error_message).toMatch(/quota \(3\) is used up/);

    // A member with billing.manage (but nothing else) switches plans; a plan not offered reads as absent.
    const billing = await api.user("Billing");
    await addMember(api, ws.id, billing, "AGENT", ["billing.manage"]);
    const SWITCH = `mutation($w: ID!, $p: ID!) { switchPlan(workspaceId: $w, planId: $p) { plan { name } messages { quota } } }`;
    expect(codeOf(await api.gql(SWITCH, { w: ws.id, p: hidden }, { token: billing.token }))).toBe("NOT_FOUND");
    const offered = (
      await api.gql<{ availablePlans: { name: string }[] }>(
        `query($w: ID!) { availablePlans(workspaceId: $w) { name } }`,
        { w: ws.id },
        { token: billing.token },
      )
    ).data!.availablePlans.map((p) => p.name);
    expect(offered).toEqual(expect.arrayContaining(["Tiny", "Bigger"]));
    expect(offered).not.toContain("Internal");
    const switched = await api.gql<{ switchPlan: { plan: { name: string } } }>(
      SWITCH,
      { w: ws.id, p: bigger },
      { token: billing.token },
    );
    expect(switched.data!.switchPlan.plan.name).toBe("Bigger");
    const done = await eventually(
      async () => {
        const p = (
          await api.gql<{ campaign: { sent: number; status: string } }>(
            GET,
            { w: ws.id, id: c.id },
            { token: owner.token },
          )
        ).data!.campaign;
        return p.status === "COMPLETED" && p;
      },
      40_000,
      "COMPLETED after the switch",
    ); // the dispatcher looks at held-only campaigns every 15 s
    expect(done.sent).toBe(5);
    for (const x of contacts) expect(sentTo(x.phone)).toHaveLength(1);
    expect(await usage()).toMatchObject({ messages: { used: 5, quota: 1000 }, heldMessages: 0 });
  });

  it("a new month releases what the old month held", async () => {
    const one = await plan("One", 1);
    await api.gql(ASSIGN, { s: ws.slug, p: one }, { token: admin.token });
    await ownerSql(api, `DELETE FROM usage_counters WHERE workspace_id = $1`, [ws.id]);
    const contacts = await seedContacts(api, ws.id, 2);
    const c = (
      await api.gql<{ createCampaign: { id: string } }>(
        CREATE,
        { w: ws.id, i: { name: "Month", message: "Hi", contactIds: contacts.map((x) => x.id) } },
        { token: owner.token },
      )
    ).data!.createCampaign;
    await api.gql(RUN, { w: ws.id, id: c.id }, { token: owner.token });
    await eventually(async () => (await usage()).heldMessages === 1, 20_000, "one held");
    expect(contacts.filter((x) => sentTo(x.phone).length === 1)).toHaveLength(1);
    // The month turns: this month's counter becomes last month's.
    await ownerSql(
      api,
      `UPDATE usage_counters SET month = (month - interval '1 month')::date WHERE workspace_id = $1`,
      [ws.id],
    );
    expect(await api.services.usage.releaseAllHeld()).toBeGreaterThanOrEqual(1);
    await eventually(() => contacts.every((x) => sentTo(x.phone).length === 1), 20_000, "the held message to go out");
    const u = await usage();
    expect(u).toMatchObject({ messages: { used: 1, quota: 1 }, heldMessages: 0 });
    expect(u.history.at(-2)!.messages).toBeGreaterThanOrEqual(1);
  });

  it("a call beyond the calls quota is HELD_QUOTA, shown as held, never placed; it reaches Vapi once after a plan switch, and after a new month", async () => {
    const voice = await createWorkspace(api, owner, "Quota Voice", "VOICE");
    await configure(api, fakes, owner, voice.id, { vapi: vapiCard() });
    const callPlan = async (name: string, monthlyCalls: number) => {
      const r = await api.gql<{ createPlan: { id: string } }>(
        CREATE_PLAN,
        { i: { name, monthlyMessages: null, monthlyCalls, monthlyLeads: null, offered: true } },
        { token: admin.token },
      );
      if (!r.data) throw new Error(JSON.stringify(r.errors));
      return r.data.createPlan.id;
    };
    const CALL_USAGE = `query($w: ID!) { usage(workspaceId: $w) { plan { name } calls { used quota } heldCalls heldMessages } }`;
    type CallUsage = {
      plan: { name: string };
      calls: { used: number; quota: number | null };
      heldCalls: number;
      heldMessages: number;
    };
    const callUsage = async () =>
      (await api.gql<{ usage: CallUsage }>(CALL_USAGE, { w: voice.id }, { token: owner.token })).data!.usage;
    const calledTimes = (phone: string) => fakes.vapi.calls.filter((c) => c.customer.number === phone).length;
    const callRows = () =>
      ownerSql<{ phone: string; status: string; error_message: string | null; attempts: number }>(
        api,
        `SELECT ct.phone, c.status, c.error_message, c.attempts FROM calls c JOIN contacts ct ON ct.workspace_id = c.workspace_id AND ct.id = c.contact_id WHERE c.workspace_id = $1 ORDER BY c.created_at`,
        [voice.id],
      );

    const two = await callPlan("Two calls", 2);
    expect((await api.gql(ASSIGN, { s: voice.slug, p: two }, { token: admin.token })).errors).toBeUndefined();
    const phones = ["+15553330001", "+15553330002", "+15553330003"];
    for (const [i, phone] of phones.entries()) await submitForm(api, voice.slug, { name: `Caller ${i + 1}`, phone });

    // Two calls go out; the third is held with a readable reason and counted as held, not placed.
    const rows = await eventually(
      async () => {
        const r = await callRows();
        return (
          r.filter((x) => x.status === "STARTED").length === 2 &&
          r.filter((x) => x.status === "HELD_QUOTA").length === 1 &&
          r
        );
      },
      20_000,
      "2 calls STARTED, 1 HELD_QUOTA",
    );
    const held = rows.find((x) => x.status === "HELD_QUOTA")!;
    expect(held.error_message).toBe(
      "Held: this month's call quota (2) is used up. It goes out when the plan allows more (plan change or next month).",
    );
    expect(held.attempts).toBe(0);
    expect(await callUsage()).toMatchObject({
      plan: { name: "Two calls" },
      calls: { used: 2, quota: 2 },
      heldCalls: 1,
      heldMessages: 0,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(calledTimes(held.phone), "the held call never reached Vapi").toBe(0);
    expect(phones.filter((p) => p !== held.phone).map(calledTimes)).toEqual([1, 1]);

    // A larger plan (switched by the workspace's owner, billing.manage) releases it: Vapi gets it once.
    const five = await callPlan("Five calls", 5);
    const SWITCH = `mutation($w: ID!, $p: ID!) { switchPlan(workspaceId: $w, planId: $p) { plan { name } } }`;
    expect((await api.gql(SWITCH, { w: voice.id, p: five }, { token: owner.token })).errors).toBeUndefined();
    await eventually(() => calledTimes(held.phone) === 1, 20_000, "the released call at Vapi");
    await eventually(async () => (await callRows()).every((x) => x.status === "STARTED"), 10_000, "every call STARTED");
    expect(await callUsage()).toMatchObject({ calls: { used: 3, quota: 5 }, heldCalls: 0 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(phones.map(calledTimes), "each number called exactly once").toEqual([1, 1, 1]);

    // A quota of one, already used this month: the next call is held until the month turns.
    const one = await callPlan("One call", 1);
    await api.gql(ASSIGN, { s: voice.slug, p: one }, { token: admin.token });
    await submitForm(api, voice.slug, { name: "Caller 4", phone: "+15553330004" });
    await eventually(async () => (await callUsage()).heldCalls === 1, 20_000, "the fourth call held");
    expect(calledTimes("+15553330004")).toBe(0);
    await ownerSql(
      api,
      `UPDATE usage_counters SET month = (month - interval '1 month')::date WHERE workspace_id = $1`,
      [voice.id],
    );
    expect(await api.services.usage.releaseAllHeld()).toBeGreaterThanOrEqual(1);
    await eventually(() => calledTimes("+15553330004") === 1, 20_000, "the fourth call at Vapi in the new month");
    await eventually(async () => (await callUsage()).heldCalls === 0, 10_000, "nothing held");
    expect(await callUsage()).toMatchObject({ calls: { used: 1, quota: 1 }, heldCalls: 0 });
  });

  it("the monthly counter is exact under concurrency: 40 sends racing for a quota of 25 count 25 and hold 15", async () => {
    const other = await createWorkspace(api, owner, "Race Dental", "WHATSAPP");
    const q25 = await plan("Twenty-five", 25);
    await api.gql(ASSIGN, { s: other.slug, p: q25 }, { token: admin.token });
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        api.db.tenant({ workspaceId: other.id }, (tx) => api.services.usage.meterSend(tx, other.id, "MESSAGES")),
      ),
    );
    expect(results.filter((r) => r === null)).toHaveLength(25);
    expect(results.filter((r) => r === 25)).toHaveLength(15);
    const rows = await ownerSql<{ used: number }>(
      api,
      `SELECT used FROM usage_counters WHERE workspace_id = $1 AND metric = 'MESSAGES'`,
      [other.id],
    );
    expect(rows).toEqual([{ used: 25 }]);
  });
});
