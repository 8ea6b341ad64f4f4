// WhatsApp's rules (issue 56, item 2) against the fake Twilio, which enforces them as Twilio does:
// free text only within 24 hours of the contact's last message (63016 otherwise), approved
// templates (ContentSid + ContentVariables) at any time; the opening message and campaigns use
// templates; STOP is honoured by every business-initiated message; the public form records the
// WhatsApp opt-in. Campaign safety (item 3): preview counts, drafts editable, a test send.
import type { Fakes } from "@atrium/fakes";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";
import { defaultOptInText } from "@atrium/validation";

import { CREATE, GET, RUN, seedContacts, type Progress } from "../../test/campaigns.ts";
import { addMember, codeOf, createWorkspace, ownerSql, type TestApi, type TestUser } from "../../test/harness.ts";
import {
  configure,
  eventually,
  newKey,
  openaiCard,
  PERSONA,
  startApiWithFakes,
  startWorkers,
  submitForm,
  twilioCard,
} from "../../test/providers.ts";

const T_FIELDS = "id name contentSid body variables useForOpening";
const CREATE_T = `mutation($w: ID!, $i: MessageTemplateInput!) { createMessageTemplate(workspaceId: $w, input: $i) { ${T_FIELDS} } }`;
const UPDATE_T = `mutation($w: ID!, $id: ID!, $i: MessageTemplateInput!) { updateMessageTemplate(workspaceId: $w, id: $id, input: $i) { ${T_FIELDS} } }`;
const DELETE_T = `mutation($w: ID!, $id: ID!) { deleteMessageTemplate(workspaceId: $w, id: $id) }`;
const LIST_T = `query($w: ID!) { messageTemplates(workspaceId: $w) { ${T_FIELDS} } }`;
const MESSAGES = `query($w: ID!, $c: ID!) { messages(workspaceId: $w, conversationId: $c) { edges { node { id direction sender body status errorCode errorMessage } } } }`;
const TAKE_OVER = `mutation($w: ID!, $id: ID!) { takeOverConversation(workspaceId: $w, id: $id) { id mode } }`;
const REPLY = `mutation($w: ID!, $c: ID!, $b: String!) { sendManualReply(workspaceId: $w, conversationId: $c, input: { body: $b }) { id status } }`;
const SEND_T = `mutation($w: ID!, $c: ID!, $t: ID!) { sendTemplateMessage(workspaceId: $w, conversationId: $c, templateId: $t) { id status body } }`;
const CONTACTS = `query($w: ID!, $s: String) { contacts(workspaceId: $w, search: $s) { edges { node { id phone optedOutAt optInAt optInText lastInboundAt } } } }`;
const PREVIEW = `query($w: ID!, $id: ID!) { campaignPreview(workspaceId: $w, id: $id) { recipients optedOut noPhone needTemplate willSend quotaRemaining sample } }`;
const UPDATE_C = `mutation($w: ID!, $id: ID!, $i: CreateCampaignInput!) { updateCampaign(workspaceId: $w, id: $id, input: $i) { id name message templateId } }`;
const TEST_SEND = `mutation($w: ID!, $id: ID!, $p: String!) { sendCampaignTest(workspaceId: $w, id: $id, phone: $p) { id status body } }`;
type Msg = {
  id: string;
  direction: string;
  sender: string;
  body: string;
  status: string;
  errorCode: string | null;
  errorMessage: string | null;
};

let seq = 0;
const phone = () => `+1666${String(Date.now() % 1_000_000).padStart(6, "0")}${seq++ % 10}`;
const hx = (n: number) => `HX${n.toString(16).padStart(32, "0")}`;

describe("WhatsApp's rules: the 24-hour window, templates, opt-in and opt-out", () => {
  let api: TestApi;
  let fakes: Fakes;
  let owner: TestUser;
  let agent: TestUser;
  let ws: { id: string; slug: string };
  const tw = twilioCard();
  const sentTo = (p: string) => fakes.twilio.messages.filter((m) => m.to === `whatsapp:${p}`);
  const gql = async <T = Record<string, unknown>>(q: string, v: Record<string, unknown>, user: TestUser = owner) =>
    api.gql<T>(q, { w: ws.id, ...v }, { token: user.token });
  const conversationOf = async (p: string) =>
    (
      await ownerSql<{ id: string }>(
        api,
        `SELECT cv.id FROM conversations cv JOIN contacts c ON c.workspace_id = cv.workspace_id AND c.id = cv.contact_id WHERE cv.workspace_id = $1 AND c.phone = $2`,
        [ws.id, p],
      )
    )[0]?.id;
  const transcript = async (conv: string): Promise<Msg[]> =>
    (await gql<{ messages: { edges: { node: Msg }[] } }>(MESSAGES, { c: conv })).data!.messages.edges.map(
      (e) => e.node,
    );
  const inbound = (p: string, body: string) =>
    fakes.twilio.sendInbound({
      webhookUrl: `${api.url}/webhooks/twilio/${ws.id}`,
      authToken: tw.authToken,
      accountSid: tw.accountSid,
      from: p,
      to: tw.whatsappFrom,
      body,
      profileName: "Lead",
    });
  const template = async (input: Record<string, unknown>) => {
    const r = await gql<{ createMessageTemplate: { id: string } }>(CREATE_T, { i: input });
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.createMessageTemplate;
  };

  beforeAll(async () => {
    ({ api, fakes } = await startApiWithFakes({
      integrationKeys: [newKey()],
      sendRetry: { limit: 2, delaySeconds: 1 },
      campaigns: { ratePerSecond: 0, batchSize: 20 },
    }));
    owner = await api.user("Owner");
    agent = await api.user("Agent");
    ws = await createWorkspace(api, owner, "Window Dental", "WHATSAPP");
    await addMember(api, ws.id, agent, "AGENT", [
      "conversation.read",
      "message.send",
      "conversation.manage",
      "contact.read",
    ]);
    await api.gql(PERSONA, { w: ws.id }, { token: owner.token });
    await configure(api, fakes, owner, ws.id, { twilio: tw, openai: openaiCard() });
    await startWorkers(api);
    await api.services.campaigns.startWorkers();
  });
  afterAll(async () => {
    await api?.close();
    await fakes?.close();
  });

  it("templates: checked (Content SID, numbered placeholders, one field per placeholder), unique by name, one opening template, workspace.settings only", async () => {
    const bad = await gql(CREATE_T, {
      i: { name: "Welcome", contentSid: "HX123", body: "Hi {{1}}", variables: ["firstName"] },
    });
    expect(codeOf(bad)).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(bad.errors)).toContain("Content SID");
    const gap = await gql(CREATE_T, {
      i: { name: "Welcome", contentSid: hx(1), body: "Hi {{1}}, see {{3}}", variables: ["firstName", "business"] },
    });
    expect(codeOf(gap)).toBe("BAD_USER_INPUT");
    const count = await gql(CREATE_T, {
      i: { name: "Welcome", contentSid: hx(1), body: "Hi {{1}} from {{2}}", variables: ["firstName"] },
    });
    expect(JSON.stringify(count.errors)).toContain("2 placeholders");
    const unknown = await gql(CREATE_T, {
      i: { name: "Welcome", contentSid: hx(1), body: "Hi {{1}}", variables: ["shoeSize"] },
    });
    expect(unknown.errors![0]!.extensions!.fields).toEqual({
      "variables.0": expect.stringContaining('Unknown field "shoeSize"'),
    });
    expect(
      codeOf(await gql(CREATE_T, { i: { name: "Nope", contentSid: hx(9), body: "Hi", variables: [] } }, agent)),
    ).toBe("FORBIDDEN");

    const a = await template({
      name: "Welcome A",
      contentSid: hx(1),
      body: "Hi {{1}}, this is {{2}}. How can we help?",
      variables: ["firstName", "business"],
      useForOpening: true,
    });
    expect(
      codeOf(await gql(CREATE_T, { i: { name: "Welcome A", contentSid: hx(2), body: "Hello", variables: [] } })),
    ).toBe("CONFLICT");
    const b = await template({
      name: "Welcome B",
      contentSid: hx(2),
      body: "Hello {{1}}!",
      variables: ["name"],
      useForOpening: true,
    });
    const list = (await gql<{ messageTemplates: { id: string; useForOpening: boolean }[] }>(LIST_T, {})).data!
      .messageTemplates;
    expect(list.filter((t) => t.useForOpening).map((t) => t.id)).toEqual([b.id]);
    // The agent's list is readable (the composer offers templates) but not editable.
    expect((await gql<{ messageTemplates: unknown[] }>(LIST_T, {}, agent)).data!.messageTemplates).toHaveLength(2);
    expect(
      codeOf(await gql(UPDATE_T, { id: a.id, i: { name: "x", contentSid: hx(1), body: "x", variables: [] } }, agent)),
    ).toBe("FORBIDDEN");
    // Back to A as the opening template; B deleted.
    await gql(UPDATE_T, {
      id: a.id,
      i: {
        name: "Welcome A",
        contentSid: hx(1),
        body: "Hi {{1}}, this is {{2}}. How can we help?",
        variables: ["firstName", "business"],
        useForOpening: true,
      },
    });
    expect((await gql<{ deleteMessageTemplate: boolean }>(DELETE_T, { id: b.id })).data!.deleteMessageTemplate).toBe(
      true,
    );
  });

  it("a new lead who never wrote gets the opening as the approved template (ContentSid + ContentVariables), never as free text", async () => {
    fakes.twilio.addContent(hx(1), "Hi {{1}}, this is {{2}}. How can we help?");
    const p = phone();
    await submitForm(api, ws.slug, { name: "Jane Doe", phone: p });
    const [sent] = await eventually(() => sentTo(p).length > 0 && sentTo(p), 10_000, "the opening template");
    expect(sent).toMatchObject({
      contentSid: hx(1),
      contentVariables: { "1": "Jane", "2": "Window Dental" },
      body: "Hi Jane, this is Window Dental. How can we help?",
      errorCode: null,
    });
    const [msg] = await eventually(
      async () => {
        const t = await transcript((await conversationOf(p))!);
        return t[0]?.status === "DELIVERED" && t;
      },
      10_000,
      "DELIVERED",
    );
    expect(msg).toMatchObject({ sender: "AGENT", body: "Hi Jane, this is Window Dental. How can we help?" });
  });

  it("without an opening template the opening fails visibly (TEMPLATE_REQUIRED, in the review queue) and nothing reaches Twilio", async () => {
    await ownerSql(api, `UPDATE message_templates SET use_for_opening = false WHERE workspace_id = $1`, [ws.id]);
    const p = phone();
    await submitForm(api, ws.slug, { name: "Tom Field", phone: p });
    const conv = await eventually(() => conversationOf(p), 10_000, "the conversation");
    const [msg] = await transcript(conv);
    expect(msg).toMatchObject({ status: "FAILED", errorCode: "TEMPLATE_REQUIRED" });
    expect(msg!.errorMessage).toContain("24 hours");
    const review = await ownerSql<{ reason: string }>(
      api,
      `SELECT reason::text FROM review_items WHERE workspace_id = $1 AND conversation_id = $2`,
      [ws.id, conv],
    );
    expect(review.map((r) => r.reason)).toEqual(["SEND_FAILED"]);
    await new Promise((r) => setTimeout(r, 500));
    expect(sentTo(p)).toHaveLength(0);
    await ownerSql(
      api,
      `UPDATE message_templates SET use_for_opening = true WHERE workspace_id = $1 AND name = 'Welcome A'`,
      [ws.id],
    );
  });

  it("inside the window free text goes; a person's reply outside it is refused before anything is written, and a template goes instead", async () => {
    const p = phone();
    await inbound(p, "Hello, are you open on Saturdays?");
    const conv = await eventually(() => conversationOf(p), 10_000, "the conversation");
    expect(
      (await gql<{ takeOverConversation: { mode: string } }>(TAKE_OVER, { id: conv }, agent)).data!.takeOverConversation
        .mode,
    ).toBe("HUMAN");
    const ok = await gql<{ sendManualReply: { status: string } }>(REPLY, { c: conv, b: "Yes, 9 to 1." }, agent);
    expect(ok.data!.sendManualReply.status).toBe("QUEUED");
    await eventually(
      () => sentTo(p).some((m) => m.body === "Yes, 9 to 1." && m.contentSid === null),
      10_000,
      "the free-text reply",
    );

    // A day and more later (the contact's last message moved back 25 hours, here and at the fake).
    await ownerSql(
      api,
      `UPDATE contacts SET last_inbound_at = now() - interval '25 hours' WHERE workspace_id = $1 AND phone = $2`,
      [ws.id, p],
    );
    fakes.twilio.noteInbound(p, tw.whatsappFrom, new Date(Date.now() - 25 * 3600 * 1000));
    const before = (await transcript(conv)).length;
    const refused = await gql(REPLY, { c: conv, b: "Are you still interested?" }, agent);
    expect(codeOf(refused)).toBe("BAD_USER_INPUT");
    expect(refused.errors![0]!.extensions!.reason).toBe("WHATSAPP_WINDOW_CLOSED");
    expect(await transcript(conv)).toHaveLength(before);

    const [tpl] = (await gql<{ messageTemplates: { id: string }[] }>(LIST_T, {}, agent)).data!.messageTemplates;
    const sentT = await gql<{ sendTemplateMessage: { status: string; body: string } }>(
      SEND_T,
      { c: conv, t: tpl!.id },
      agent,
    );
    expect(sentT.data!.sendTemplateMessage).toMatchObject({
      status: "QUEUED",
      body: "Hi Lead, this is Window Dental. How can we help?",
    });
    await eventually(() => sentTo(p).some((m) => m.contentSid === hx(1)), 10_000, "the template at Twilio");
  });

  it("the fake enforces the window as Twilio does: free text it was not told about fails with 63016, and the product says why", async () => {
    const p = phone();
    await inbound(p, "hi");
    const conv = await eventually(() => conversationOf(p), 10_000, "the conversation");
    await gql(TAKE_OVER, { id: conv }, agent);
    // The product believes the window open; Twilio (the fake) has no message from this number within 24 h.
    fakes.twilio.lastInbound.clear();
    await gql(REPLY, { c: conv, b: "Thanks for your message" }, agent);
    const failed = await eventually(
      async () => (await transcript(conv)).find((m) => m.body === "Thanks for your message" && m.status === "FAILED"),
      10_000,
      "FAILED with 63016",
    );
    expect(failed).toMatchObject({ errorCode: "63016" });
    expect(failed.errorMessage).toContain("24 hours");
    expect(sentTo(p).find((m) => m.body === "Thanks for your message")!.errorCode).toBe(63016);
  });

  it("STOP is honoured and visible: the contact shows optedOutAt; a new lead's opening, a template and a manual reply are not sent", async () => {
    const p = phone();
    await inbound(p, "STOP");
    const contact = await eventually(
      async () =>
        (await gql<{ contacts: { edges: { node: { optedOutAt: string | null } }[] } }>(CONTACTS, { s: p })).data!
          .contacts.edges[0]?.node,
      10_000,
      "the contact",
    );
    expect(contact.optedOutAt).not.toBeNull();
    await submitForm(api, ws.slug, { name: "Stop Person", phone: p });
    const conv = (await conversationOf(p))!;
    const opening = await eventually(
      async () => (await transcript(conv)).find((m) => m.direction === "OUTBOUND"),
      10_000,
      "the opening",
    );
    expect(opening).toMatchObject({
      status: "SUPPRESSED",
      errorMessage: "Not sent: the contact opted out (replied STOP).",
    });
    await gql(TAKE_OVER, { id: conv }, agent);
    const [tpl] = (await gql<{ messageTemplates: { id: string }[] }>(LIST_T, {})).data!.messageTemplates;
    const t = await gql(SEND_T, { c: conv, t: tpl!.id }, agent);
    expect(t.errors![0]!.extensions!.reason).toBe("CONTACT_OPTED_OUT");
    const r = await gql(REPLY, { c: conv, b: "Sorry to see you go" }, agent);
    expect(r.errors![0]!.extensions!.reason).toBe("CONTACT_OPTED_OUT");
    expect(sentTo(p)).toHaveLength(0);
  });

  it("the public form of a WhatsApp workspace asks for the phone and the opt-in, and records the exact text shown and when", async () => {
    const page = await (await fetch(`${api.url}/forms/${ws.slug}`)).text();
    expect(page).toContain(defaultOptInText("Window Dental"));
    expect(page).toMatch(/id="phone"[^>]* required/);
    const post = (body: Record<string, string>) =>
      fetch(`${api.url}/forms/${ws.slug}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(body).toString(),
      });
    const missing = await post({ name: "Ann Optin" });
    expect(missing.status).toBe(400);
    const html = await missing.text();
    expect(html).toContain("Enter your phone number");
    expect(html).toContain("Tick the box");
    const p = phone();
    const before = Date.now();
    expect((await post({ name: "Ann Optin", phone: p, whatsappOptIn: "yes" })).status).toBe(201);
    const [c] = (
      await gql<{ contacts: { edges: { node: { optInAt: string; optInText: string } }[] } }>(CONTACTS, { s: p })
    ).data!.contacts.edges.map((e) => e.node);
    expect(c!.optInText).toBe(defaultOptInText("Window Dental"));
    expect(new Date(c!.optInAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it("campaigns: preview counts who is skipped and why; without a template only contacts inside the window get free text; drafts are editable; a test send goes out", async () => {
    const wrote = await seedContacts(api, ws.id, 2, { tags: ["window"] });
    const silent = await seedContacts(api, ws.id, 3, { tags: ["window"], wroteRecently: false });
    const stopped = await seedContacts(api, ws.id, 1, { tags: ["window"] });
    await ownerSql(api, `UPDATE contacts SET opted_out_at = now() WHERE id = $1`, [stopped[0]!.id]);
    const [noPhone] = await ownerSql<{ id: string }>(
      api,
      `INSERT INTO contacts (workspace_id, name, email, tags) VALUES ($1, 'No Phone', 'np@example.com', '{window}') RETURNING id`,
      [ws.id],
    );
    const created = (
      await gql<{ createCampaign: { id: string } }>(CREATE, {
        i: { name: "Spring", message: "Hi {{firstName}}, spring offers!", contactIds: [], tag: "window" },
      })
    ).data!.createCampaign;
    const preview = (await gql<{ campaignPreview: Record<string, unknown> }>(PREVIEW, { id: created.id })).data!
      .campaignPreview;
    expect(preview).toEqual({
      recipients: 7,
      optedOut: 1,
      noPhone: 1,
      needTemplate: 3,
      willSend: 2,
      quotaRemaining: null,
      sample: expect.stringMatching(/^Hi \w+, spring offers!$/),
    });

    // Drafts are editable (a typo in the name, the message); a template makes the silent ones reachable.
    const [tpl] = (await gql<{ messageTemplates: { id: string }[] }>(LIST_T, {})).data!.messageTemplates;
    const edited = await gql<{ updateCampaign: { name: string; templateId: string } }>(UPDATE_C, {
      id: created.id,
      i: { name: "Spring offers", message: "Hi {{firstName}}!", contactIds: [], tag: "window", templateId: tpl!.id },
    });
    expect(edited.data!.updateCampaign).toMatchObject({ name: "Spring offers", templateId: tpl!.id });
    expect(
      (await gql<{ campaignPreview: { needTemplate: number; willSend: number } }>(PREVIEW, { id: created.id })).data!
        .campaignPreview,
    ).toMatchObject({ needTemplate: 0, willSend: 5 });
    // Back to free text: the three who never wrote are skipped when it runs.
    await gql(UPDATE_C, {
      id: created.id,
      i: { name: "Spring offers", message: "Hi {{firstName}}!", contactIds: [], tag: "window", templateId: null },
    });
    const test = await gql<{ sendCampaignTest: { status: string; body: string } }>(TEST_SEND, {
      id: created.id,
      p: wrote[0]!.phone,
    });
    expect(test.data!.sendCampaignTest).toMatchObject({ status: "QUEUED" });
    await eventually(() => sentTo(wrote[0]!.phone).length === 1, 10_000, "the test send");
    expect(codeOf(await gql(TEST_SEND, { id: created.id, p: "not a phone" }))).toBe("BAD_USER_INPUT");

    await gql(RUN, { id: created.id });
    const done = await eventually(
      async () => {
        const p = (await gql<{ campaign: Progress }>(GET, { id: created.id })).data!.campaign;
        return p.status === "COMPLETED" && p;
      },
      20_000,
      "COMPLETED",
    );
    expect(done).toMatchObject({ total: 7, sent: 2, suppressed: 4 });
    for (const c of silent) expect(sentTo(c.phone)).toHaveLength(0);
    expect(sentTo(wrote[1]!.phone).map((m) => m.contentSid)).toEqual([null]);
    const reasons = await ownerSql<{ skip_reason: string; n: number }>(
      api,
      `SELECT skip_reason, count(*)::int AS n FROM campaign_recipients WHERE campaign_id = $1 AND status = 'SKIPPED' GROUP BY 1 ORDER BY 1`,
      [created.id],
    );
    expect(reasons.find((r) => r.skip_reason.includes("24 hours"))?.n).toBe(3);
    expect(
      codeOf(await gql(UPDATE_C, { id: created.id, i: { name: "Late", message: "x", contactIds: [], tag: "window" } })),
    ).toBe("CONFLICT");
    expect(noPhone).toBeDefined();
  });

  it("a campaign with a template reaches contacts who never wrote; the template cannot be deleted while a campaign uses it", async () => {
    const silent = await seedContacts(api, ws.id, 2, { wroteRecently: false });
    const [tpl] = (await gql<{ messageTemplates: { id: string }[] }>(LIST_T, {})).data!.messageTemplates;
    const c = (
      await gql<{ createCampaign: { id: string } }>(CREATE, {
        i: { name: "Templated", message: "unused free text", contactIds: silent.map((s) => s.id), templateId: tpl!.id },
      })
    ).data!.createCampaign;
    expect(codeOf(await gql(DELETE_T, { id: tpl!.id }))).toBe("CONFLICT");
    await gql(RUN, { id: c.id });
    await eventually(
      async () => (await gql<{ campaign: Progress }>(GET, { id: c.id })).data!.campaign.status === "COMPLETED",
      20_000,
      "COMPLETED",
    );
    for (const s of silent)
      expect(sentTo(s.phone).map((m) => ({ sid: m.contentSid, first: m.contentVariables?.["1"] }))).toEqual([
        { sid: hx(1), first: s.name.split(" ")[0] },
      ]);
  });
});
