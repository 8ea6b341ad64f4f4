// Issue 47, black box: the inbox and the operator console through GraphQL, the subscriptions and
// the provider fakes. Guidance reaches the next OpenAI request and never Twilio; a blocked reply
// never reaches Twilio; two operators claiming one item — exactly one wins; an agent without
// conversation.manage cannot take over; another workspace's rows answer NOT_FOUND; live calls
// take guidance and transfers through Vapi's Live Call Control; notifications arrive in-app, live
// and by mail.
import { endOfCallReport, statusUpdateMessage, transcriptMessage, type Fakes } from "@atrium/fakes";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import {
  addMember,
  codeOf,
  createWorkspace,
  mailbox,
  ownerSql,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";
import { liveClient, record, subscribed } from "../../test/live-client.ts";
import {
  configure,
  eventually,
  newKey,
  openaiCard,
  PERSONA,
  startApiWithFakes,
  startWorkers,
  twilioCard,
  vapiCard,
} from "../../test/providers.ts";

const INBOX = `query($w: ID!, $f: ConversationFilter, $first: Int) { inbox(workspaceId: $w, filter: $f, first: $first) { totalCount edges { node { id mode status channel unreadCount openReviewCount callLive callStatus assignee { id name } lastMessage { body direction status } contact { name phone } } } } }`;
const TAKE_OVER = `mutation($w: ID!, $id: ID!) { takeOverConversation(workspaceId: $w, id: $id) { id mode humanTakeover assignee { id } } }`;
const HAND_BACK = `mutation($w: ID!, $id: ID!) { handBackConversation(workspaceId: $w, id: $id) { id mode } }`;
const ASSIGN = `mutation($w: ID!, $id: ID!, $u: ID) { assignConversation(workspaceId: $w, id: $id, userId: $u) { id assignee { id name } } }`;
const GUIDE = `mutation($w: ID!, $c: ID!, $t: String!, $m: [ID!]) { addGuidance(workspaceId: $w, conversationId: $c, text: $t, mentionUserIds: $m) { id text author { id } mentions { id } callAction { kind status } } }`;
const REPLY = `mutation($w: ID!, $c: ID!, $b: String!) { sendManualReply(workspaceId: $w, conversationId: $c, input: { body: $b }) { id status } }`;
const MESSAGES = `query($w: ID!, $c: ID!) { messages(workspaceId: $w, conversationId: $c) { edges { node { id direction sender body status blockedByRuleId errorMessage } } } }`;
const RULE = `mutation($w: ID!, $i: SafetyRuleInput!) { createSafetyRule(workspaceId: $w, input: $i) { id name action appliesTo phrases pattern } }`;
const REVIEW = `query($w: ID!, $s: [ReviewStatus!]) { reviewItems(workspaceId: $w, status: $s) { totalCount edges { node { id reason status summary excerpt messageId rule { name } claimedBy { id } conversation { id mode } } } } }`;
const CLAIM = `mutation($w: ID!, $id: ID!) { claimReviewItem(workspaceId: $w, id: $id) { id status claimedBy { id } } }`;
const RESOLVE = `mutation($w: ID!, $id: ID!, $o: String!, $n: String) { resolveReviewItem(workspaceId: $w, id: $id, outcome: $o, note: $n) { id status outcome note resolvedBy { id } } }`;
const NOTIFICATIONS = `query($w: ID!) { notifications(workspaceId: $w) { unreadCount totalCount edges { node { id kind title conversationId reviewItemId readAt } } } }`;
const SETTINGS = `mutation($w: ID!, $i: InboxSettingsInput!) { updateInboxSettings(workspaceId: $w, input: $i) { available emailNotifications autoAssign } }`;

type Msg = {
  id: string;
  direction: string;
  sender: string;
  body: string;
  status: string;
  blockedByRuleId: string | null;
  errorMessage: string | null;
};
type Review = {
  id: string;
  reason: string;
  status: string;
  summary: string;
  excerpt: string | null;
  messageId: string | null;
  rule: { name: string } | null;
  claimedBy: { id: string } | null;
  conversation: { id: string; mode: string } | null;
};

let seq = 0;
const phone = () => `+1444${String(Date.now() % 1_000_000).padStart(6, "0")}${seq++ % 10}`;

describe("inbox and operator console (issue 47)", () => {
  let api: TestApi;
  let fakes: Fakes;
  let owner: TestUser;
  let operator: TestUser;
  let operator2: TestUser;
  let agent: TestUser;
  let outsider: TestUser;
  let ws: { id: string; slug: string };
  let other: { id: string; slug: string };
  const tw = twilioCard();
  const oa = openaiCard();
  const OPERATOR = [
    "lead.read",
    "contact.read",
    "conversation.read",
    "message.send",
    "conversation.manage",
    "review.read",
    "review.claim",
  ];

  const sentTo = (p: string) => fakes.twilio.messages.filter((m) => m.to === `whatsapp:${p}`);
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
  const conversationOf = async (p: string) =>
    eventually(
      async () =>
        (
          await ownerSql<{ id: string }>(
            api,
            `SELECT cv.id FROM conversations cv JOIN contacts c ON c.workspace_id = cv.workspace_id AND c.id = cv.contact_id WHERE cv.workspace_id = $1 AND c.phone = $2`,
            [ws.id, p],
          )
        )[0]?.id,
      10_000,
      "the conversation",
    );
  const transcript = async (conv: string, token = owner.token): Promise<Msg[]> =>
    (
      await api.gql<{ messages: { edges: { node: Msg }[] } }>(MESSAGES, { w: ws.id, c: conv }, { token })
    ).data!.messages.edges.map((e) => e.node);
  const reviews = async (token = owner.token, s: string[] | null = null): Promise<Review[]> => {
    const r = await api.gql<{ reviewItems: { edges: { node: Review }[] } }>(REVIEW, { w: ws.id, s }, { token });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.reviewItems.edges.map((e) => e.node);
  };

  beforeAll(async () => {
    ({ api, fakes } = await startApiWithFakes({
      integrationKeys: [newKey()],
      sendRetry: { limit: 2, delaySeconds: 1 },
    }));
    [owner, operator, operator2, agent, outsider] = await Promise.all([
      api.user("Owner"),
      api.user("Olga Operator"),
      api.user("Otto Operator"),
      api.user("Agnes Agent"),
      api.user("Outsider"),
    ]);
    ws = await createWorkspace(api, owner, "Inbox Dental", "WHATSAPP");
    other = await createWorkspace(api, outsider, "Other Co", "WHATSAPP");
    await addMember(api, ws.id, operator, "AGENT", OPERATOR);
    await addMember(api, ws.id, operator2, "AGENT", OPERATOR);
    // The old agent defaults without conversation.manage: may read and reply, not take over.
    await addMember(api, ws.id, agent, "AGENT", ["lead.read", "contact.read", "conversation.read", "message.send"]);
    await api.gql(PERSONA, { w: ws.id }, { token: owner.token });
    await configure(api, fakes, owner, ws.id, { twilio: tw, openai: oa });
    await startWorkers(api);
    await api.services.operators.startWorkers();
    await api.services.mail.startWorkers();
  });
  afterAll(async () => {
    await api?.close();
    await fakes?.close();
  });

  it("an operator sees the message arrive in the inbox (unread), takes over, replies through Twilio, and hands back", async () => {
    const p = phone();
    fakes.openai.reply = () => "Happy to help!";
    await inbound(p, "Hello, do you do whitening?");
    const conv = await conversationOf(p);
    await eventually(() => sentTo(p).length === 1, 10_000, "the agent's reply");
    const row = await eventually(
      async () => {
        const r = await api.gql<{
          inbox: {
            edges: {
              node: {
                id: string;
                unreadCount: number;
                mode: string;
                lastMessage: { body: string } | null;
                contact: { phone: string };
              };
            }[];
          };
        }>(INBOX, { w: ws.id, f: { status: "OPEN" } }, { token: operator.token });
        return r.data!.inbox.edges.find((e) => e.node.id === conv)?.node;
      },
      10_000,
      "the inbox row",
    );
    expect(row).toMatchObject({ mode: "AI", unreadCount: 1, contact: { phone: p } });
    const marked = await api.gql(
      `mutation($w: ID!, $id: ID!) { markConversationRead(workspaceId: $w, id: $id) { unreadCount } }`,
      { w: ws.id, id: conv },
      { token: operator.token },
    );
    expect(marked.data).toEqual({ markConversationRead: { unreadCount: 0 } });
    const read = await api.gql<{ inbox: { edges: { node: { id: string; unreadCount: number } }[] } }>(
      INBOX,
      { w: ws.id },
      { token: operator.token },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.inbox.edges.map((e) => e.node.id)).toContain(conv);
    expect(read.data!.inbox.edges.find((e) => e.node.id === conv)?.node.unreadCount).toBe(0);
    // Another member has not read it.
    const theirs = await api.gql<{ inbox: { edges: { node: { id: string; unreadCount: number } }[] } }>(
      INBOX,
      { w: ws.id },
      { token: operator2.token },
    );
    expect(theirs.data!.inbox.edges.find((e) => e.node.id === conv)?.node.unreadCount).toBe(1);

    const taken = await api.gql<{
      takeOverConversation: { mode: string; humanTakeover: boolean; assignee: { id: string } | null };
    }>(TAKE_OVER, { w: ws.id, id: conv }, { token: operator.token });
    expect(taken.data!.takeOverConversation).toEqual({
      id: conv,
      mode: "HUMAN",
      humanTakeover: true,
      assignee: { id: operator.id },
    });
    // In HUMAN mode the agent stays silent: a new message gets no reply.
    const before = fakes.openai.completions().length;
    await inbound(p, "Are you there?");
    expect(
      (
        await api.gql(
          REPLY,
          { w: ws.id, c: conv, b: "Yes — Olga here. Whitening is available." },
          { token: operator.token },
        )
      ).errors,
    ).toBeUndefined();
    await eventually(
      () => sentTo(p).some((m) => m.body === "Yes — Olga here. Whitening is available."),
      10_000,
      "the manual reply at Twilio",
    );
    expect(fakes.openai.completions().length).toBe(before);
    expect(
      (
        await api.gql<{ handBackConversation: { mode: string } }>(
          HAND_BACK,
          { w: ws.id, id: conv },
          { token: operator.token },
        )
      ).data!.handBackConversation.mode,
    ).toBe("AI");
    // Who did what: the conversation's activity and the audit log.
    const activity = await api.gql<{ conversationActivity: { action: string; actor: { id: string } | null }[] }>(
      `query($w: ID!, $c: ID!) { conversationActivity(workspaceId: $w, conversationId: $c) { action actor { id } } }`,
      { w: ws.id, c: conv },
      { token: owner.token },
    );
    expect(activity.data!.conversationActivity.map((a) => [a.action, a.actor?.id])).toEqual([
      ["conversation.takeover_started", operator.id],
      ["conversation.takeover_ended", operator.id],
    ]);
  });

  it("the inbox row previews the newest message and counts only what came in since each member's last read", async () => {
    const p = phone();
    type Row = { id: string; unreadCount: number; lastMessage: { body: string; direction: string } | null };
    const rowFor = async (token: string, conv: string) => {
      const r = await api.gql<{ inbox: { edges: { node: Row }[] } }>(INBOX, { w: ws.id }, { token });
      expect(r.errors).toBeUndefined();
      return r.data!.inbox.edges.find((e) => e.node.id === conv)?.node;
    };
    fakes.openai.reply = () => "First answer";
    await inbound(p, "First question");
    const conv = await conversationOf(p);
    await eventually(() => sentTo(p).length === 1, 10_000, "the first answer");
    await api.gql(
      `mutation($w: ID!, $id: ID!) { markConversationRead(workspaceId: $w, id: $id) { unreadCount } }`,
      { w: ws.id, id: conv },
      { token: operator.token },
    );
    fakes.openai.reply = () => "Second answer";
    await inbound(p, "Second question");
    await eventually(() => sentTo(p).length === 2, 10_000, "the second answer");
    const mine = await eventually(
      async () => {
        const row = await rowFor(operator.token, conv);
        return row?.lastMessage?.body === "Second answer" ? row : undefined;
      },
      10_000,
      "the newest message as the preview",
    );
    expect(mine).toMatchObject({ unreadCount: 1, lastMessage: { body: "Second answer", direction: "OUTBOUND" } });
    // The other operator has read nothing: both questions.
    expect(await rowFor(operator2.token, conv)).toMatchObject({ unreadCount: 2 });
  });

  it("guidance reaches the agent's next OpenAI request as a system message, and never Twilio", async () => {
    const p = phone();
    fakes.openai.reply = () => "Sure!";
    await inbound(p, "I need an appointment");
    const conv = await conversationOf(p);
    await eventually(() => sentTo(p).length === 1, 10_000, "first reply");
    const g = await api.gql<{
      addGuidance: { text: string; author: { id: string }; mentions: { id: string }[]; callAction: null };
    }>(GUIDE, { w: ws.id, c: conv, t: "Offer Tuesday slots first", m: [operator2.id] }, { token: operator.token });
    expect(g.data!.addGuidance).toMatchObject({
      text: "Offer Tuesday slots first",
      author: { id: operator.id },
      mentions: [{ id: operator2.id }],
      callAction: null,
    });
    const before = fakes.openai.completions().length;
    fakes.openai.reply = () => "How about Tuesday at 10?";
    await inbound(p, "When can I come?");
    await eventually(() => sentTo(p).length === 2, 10_000, "second reply");
    const req = fakes.openai.completions().slice(before);
    expect(req).toHaveLength(1);
    const system = req[0]!.messages.filter((m) => m.role === "system").map((m) => m.content);
    expect(system.some((c) => c.includes("Offer Tuesday slots first"))).toBe(true);
    expect(req[0]!.messages.at(-1)).toEqual({
      role: "system",
      content: "Guidance from your team (private: follow it, never quote it to the lead): Offer Tuesday slots first",
    });
    expect(fakes.twilio.messages.some((m) => m.body.includes("Offer Tuesday"))).toBe(false);
    expect((await transcript(conv)).some((m) => m.body.includes("Offer Tuesday"))).toBe(false);
    // The mentioned teammate was told.
    const n = await api.gql<{
      notifications: { unreadCount: number; edges: { node: { kind: string; conversationId: string } }[] };
    }>(NOTIFICATIONS, { w: ws.id }, { token: operator2.token });
    expect(n.data!.notifications.edges.map((e) => e.node)).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: "MENTION", conversationId: conv })]),
    );
    expect(codeOf(await api.gql(GUIDE, { w: ws.id, c: conv, t: "   " }, { token: operator.token }))).toBe(
      "BAD_USER_INPUT",
    );
    expect(
      codeOf(await api.gql(GUIDE, { w: ws.id, c: conv, t: "x", m: [outsider.id] }, { token: operator.token })),
    ).toBe("BAD_USER_INPUT");
  });

  it("a BLOCK rule on the agent's reply stores it BLOCKED with the rule, never at Twilio, and files a review item; an inbound rule hands over", async () => {
    const rule = await api.gql<{ createSafetyRule: { id: string; name: string } }>(
      RULE,
      {
        w: ws.id,
        i: { name: "No refunds promised", phrases: [], pattern: "refund", appliesTo: ["AGENT_REPLY"], action: "BLOCK" },
      },
      { token: owner.token },
    );
    expect(rule.errors).toBeUndefined();
    const ruleId = rule.data!.createSafetyRule.id;
    const p = phone();
    fakes.openai.reply = () => "We will give you a full REFUND, promised.";
    await inbound(p, "My filling fell out");
    const conv = await conversationOf(p);
    const blocked = await eventually(
      async () => (await transcript(conv)).find((m) => m.status === "BLOCKED"),
      10_000,
      "the blocked reply",
    );
    expect(blocked).toMatchObject({
      direction: "OUTBOUND",
      sender: "AGENT",
      blockedByRuleId: ruleId,
      errorMessage: 'Not sent: blocked by the safety rule "No refunds promised".',
    });
    const items = await reviews();
    const item = items.find((i) => i.messageId === blocked.id)!;
    expect(item).toMatchObject({
      reason: "SAFETY_FLAG",
      status: "OPEN",
      rule: { name: "No refunds promised" },
      conversation: { id: conv, mode: "HUMAN" },
    });
    // The job ran to the end and nothing went to Twilio for this lead, even later.
    await new Promise((r) => setTimeout(r, 500));
    expect(sentTo(p)).toHaveLength(0);
    // Nobody was assigned: the reviewers (owner and the operators) got the escalation.
    const n = await api.gql<{ notifications: { edges: { node: { kind: string; reviewItemId: string } }[] } }>(
      NOTIFICATIONS,
      { w: ws.id },
      { token: operator.token },
    );
    expect(n.data!.notifications.edges.map((e) => e.node)).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: "ESCALATION", reviewItemId: item.id })]),
    );

    // Inbound: a template rule (self-harm, BLOCK) hands over and the agent never answers.
    const tpl = await api.gql<{
      safetyRuleTemplates: {
        key: string;
        name: string;
        phrases: string[];
        pattern: string | null;
        appliesTo: string[];
        action: string;
      }[];
    }>(
      `query($w: ID!) { safetyRuleTemplates(workspaceId: $w) { key name phrases pattern appliesTo action } }`,
      { w: ws.id },
      { token: owner.token },
    );
    const selfHarm = tpl.data!.safetyRuleTemplates.find((t) => t.key === "self-harm")!;
    const { key, ...input } = selfHarm;
    expect(
      (await api.gql(RULE, { w: ws.id, i: { ...input, template: key } }, { token: owner.token })).errors,
    ).toBeUndefined();
    const p2 = phone();
    const completions = fakes.openai.completions().length;
    await inbound(p2, "Honestly I want to END my life");
    const conv2 = await conversationOf(p2);
    const flagged = await eventually(
      async () => (await reviews()).find((i) => i.conversation?.id === conv2),
      10_000,
      "the inbound review item",
    );
    expect(flagged).toMatchObject({
      reason: "SAFETY_FLAG",
      rule: { name: "Self-harm" },
      conversation: { mode: "HUMAN" },
      excerpt: "Honestly I want to END my life",
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(fakes.openai.completions().length).toBe(completions);
    expect(sentTo(p2)).toHaveLength(0);
    // Bad rules are typed errors, and names are unique.
    expect(
      codeOf(
        await api.gql(
          RULE,
          { w: ws.id, i: { name: "x", phrases: [], appliesTo: ["INBOUND"], action: "FLAG" } },
          { token: owner.token },
        ),
      ),
    ).toBe("BAD_USER_INPUT");
    expect(
      codeOf(
        await api.gql(
          RULE,
          { w: ws.id, i: { name: "x", pattern: "(a)\\1", appliesTo: ["INBOUND"], action: "FLAG" } },
          { token: owner.token },
        ),
      ),
    ).toBe("BAD_USER_INPUT");
    expect(
      codeOf(
        await api.gql(
          RULE,
          { w: ws.id, i: { name: "No refunds promised", phrases: ["x"], appliesTo: ["INBOUND"], action: "FLAG" } },
          { token: owner.token },
        ),
      ),
    ).toBe("CONFLICT");
    expect(
      codeOf(
        await api.gql(
          RULE,
          { w: ws.id, i: { name: "y", phrases: ["x"], appliesTo: ["INBOUND"], action: "FLAG" } },
          { token: operator.token },
        ),
      ),
    ).toBe("FORBIDDEN");
  });

  it("two operators claim one item at once: exactly one wins, the other gets CONFLICT; the winner resolves it", async () => {
    const open = (await reviews(operator.token, ["OPEN"]))[0]!;
    const results = await Promise.all([
      api.gql(CLAIM, { w: ws.id, id: open.id }, { token: operator.token }),
      api.gql(CLAIM, { w: ws.id, id: open.id }, { token: operator2.token }),
    ]);
    const codes = results.map((r) => codeOf(r) ?? "OK").sort();
    expect(codes).toEqual(["CONFLICT", "OK"]);
    const winner = results[0].errors ? operator2 : operator;
    const loser = winner === operator ? operator2 : operator;
    expect(codeOf(await api.gql(RESOLVE, { w: ws.id, id: open.id, o: "Handled" }, { token: loser.token }))).toBe(
      "CONFLICT",
    );
    const done = await api.gql<{
      resolveReviewItem: { status: string; outcome: string; note: string; resolvedBy: { id: string } };
    }>(
      RESOLVE,
      { w: ws.id, id: open.id, o: "Called the patient", n: "No refund promised after all." },
      { token: winner.token },
    );
    expect(done.data!.resolveReviewItem).toEqual({
      id: open.id,
      status: "RESOLVED",
      outcome: "Called the patient",
      note: "No refund promised after all.",
      resolvedBy: { id: winner.id },
    });
    expect(codeOf(await api.gql(CLAIM, { w: ws.id, id: open.id }, { token: loser.token }))).toBe("CONFLICT");
    expect(codeOf(await api.gql(RESOLVE, { w: ws.id, id: open.id, o: " " }, { token: winner.token }))).toBe(
      "BAD_USER_INPUT",
    );
    // An owner may close an item an operator holds; an operator may not close another's.
    const next = (await reviews(operator.token, ["OPEN"]))[0]!;
    expect((await api.gql(CLAIM, { w: ws.id, id: next.id }, { token: operator.token })).errors).toBeUndefined();
    expect(codeOf(await api.gql(RESOLVE, { w: ws.id, id: next.id, o: "x" }, { token: operator2.token }))).toBe(
      "CONFLICT",
    );
    const byOwner = await api.gql<{ resolveReviewItem: { status: string; resolvedBy: { id: string } } }>(
      RESOLVE,
      { w: ws.id, id: next.id, o: "Closed by the owner" },
      { token: owner.token },
    );
    expect(byOwner.data!.resolveReviewItem).toMatchObject({ status: "RESOLVED", resolvedBy: { id: owner.id } });
    // Without review.claim: FORBIDDEN; without review.read: FORBIDDEN to list.
    expect(codeOf(await api.gql(CLAIM, { w: ws.id, id: open.id }, { token: agent.token }))).toBe("FORBIDDEN");
    expect(codeOf(await api.gql(REVIEW, { w: ws.id }, { token: agent.token }))).toBe("FORBIDDEN");
  });

  it("an agent without conversation.manage cannot take over, guide or close (FORBIDDEN); nor assign without conversation.assign", async () => {
    const p = phone();
    await inbound(p, "hi");
    const conv = await conversationOf(p);
    expect(codeOf(await api.gql(TAKE_OVER, { w: ws.id, id: conv }, { token: agent.token }))).toBe("FORBIDDEN");
    expect(codeOf(await api.gql(GUIDE, { w: ws.id, c: conv, t: "x" }, { token: agent.token }))).toBe("FORBIDDEN");
    expect(
      codeOf(
        await api.gql(
          `mutation($w: ID!, $id: ID!) { closeConversation(workspaceId: $w, id: $id) { id } }`,
          { w: ws.id, id: conv },
          { token: agent.token },
        ),
      ),
    ).toBe("FORBIDDEN");
    expect(codeOf(await api.gql(ASSIGN, { w: ws.id, id: conv, u: agent.id }, { token: operator.token }))).toBe(
      "FORBIDDEN",
    );
  });

  it("another workspace's conversation and review item answer NOT_FOUND, in its own workspace and in theirs", async () => {
    const conv = (
      await ownerSql<{ id: string }>(api, `SELECT id FROM conversations WHERE workspace_id = $1 LIMIT 1`, [ws.id])
    )[0]!.id;
    const item = (await reviews())[0]!.id;
    for (const [query, vars] of [
      [TAKE_OVER, { id: conv }],
      [HAND_BACK, { id: conv }],
      [ASSIGN, { id: conv, u: outsider.id }],
      [GUIDE, { c: conv, t: "x" }],
      [
        `mutation($w: ID!, $c: ID!) { joinCall(workspaceId: $w, conversationId: $c, phone: "+14155550100") { id } }`,
        { c: conv },
      ],
      [`mutation($w: ID!, $id: ID!) { markConversationRead(workspaceId: $w, id: $id) { id } }`, { id: conv }],
      [CLAIM, { id: item }],
      [RESOLVE, { id: item, o: "x" }],
    ] as const) {
      expect([query, codeOf(await api.gql(query, { w: other.id, ...vars }, { token: outsider.token }))]).toEqual([
        query,
        "NOT_FOUND",
      ]);
      expect([query, codeOf(await api.gql(query, { w: ws.id, ...vars }, { token: outsider.token }))]).toEqual([
        query,
        "NOT_FOUND",
      ]);
    }
  });

  it("inbox filters (mine, unassigned, needs review, closed) and search by name, phone and message text, through the trigram indexes", async () => {
    fakes.openai.reply = () => "Let me check that for you.";
    const p = phone();
    await fakes.twilio.sendInbound({
      webhookUrl: `${api.url}/webhooks/twilio/${ws.id}`,
      authToken: tw.authToken,
      accountSid: tw.accountSid,
      from: p,
      to: tw.whatsappFrom,
      body: "Do you take Zanzibarian insurance?",
      profileName: "Quentin Quarrie",
    });
    const conv = await conversationOf(p);
    const ids = async (f: Record<string, unknown>, token = operator.token) => {
      const r = await api.gql<{ inbox: { edges: { node: { id: string } }[] } }>(
        INBOX,
        { w: ws.id, f, first: 100 },
        { token },
      );
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data!.inbox.edges.map((e) => e.node.id);
    };
    expect(await ids({ search: "zanzibar" })).toEqual([conv]);
    expect(await ids({ search: "QUARRIE" })).toEqual([conv]);
    expect(await ids({ search: p.slice(-7) })).toEqual([conv]);
    expect(await ids({ search: "100%_" })).toEqual([]);
    expect(codeOf(await api.gql(INBOX, { w: ws.id, f: { search: "ab" } }, { token: operator.token }))).toBe(
      "BAD_USER_INPUT",
    );
    expect(await ids({ assignee: "UNASSIGNED" })).toContain(conv);
    expect(
      (await api.gql(ASSIGN, { w: ws.id, id: conv, u: operator2.id }, { token: owner.token })).errors,
    ).toBeUndefined();
    expect(await ids({ assignee: "ME" }, operator2.token)).toEqual([conv]);
    expect(await ids({ assignee: "UNASSIGNED" })).not.toContain(conv);
    const note = await api.gql<{ notifications: { edges: { node: { kind: string; conversationId: string } }[] } }>(
      NOTIFICATIONS,
      { w: ws.id },
      { token: operator2.token },
    );
    expect(note.data!.notifications.edges[0]!.node).toMatchObject({ kind: "ASSIGNED", conversationId: conv });
    expect(await ids({ needsReview: true })).not.toContain(conv);
    expect((await ids({ needsReview: true })).length).toBeGreaterThan(0);
    await api.gql(
      `mutation($w: ID!, $id: ID!) { closeConversation(workspaceId: $w, id: $id) { status } }`,
      { w: ws.id, id: conv },
      { token: operator.token },
    );
    expect(await ids({ status: "CLOSED" })).toEqual([conv]);
    expect(await ids({ status: "OPEN" })).not.toContain(conv);
    // The lead writes again: the conversation reopens and moves to the top.
    await inbound(p, "Hello again");
    await eventually(async () => (await ids({ status: "OPEN" }))[0] === conv, 10_000, "reopened, first");
    // With a workspace's worth of messages (20,000), each arm of the search runs on its trigram
    // index, never a sequential scan (decision 0032 has the plan).
    const c2 = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO contacts (workspace_id, name, phone) VALUES ($1, 'Bulk', '+15550000001') RETURNING id`,
        [other.id],
      )
    )[0]!.id;
    const cv2 = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id) VALUES ($1, $2) RETURNING id`,
        [other.id, c2],
      )
    )[0]!.id;
    await ownerSql(
      api,
      `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status) SELECT $1, $2, 'INBOUND', 'CONTACT', 'message number ' || g || ' about appointments and prices', 'RECEIVED' FROM generate_series(1, 20000) g`,
      [other.id, cv2],
    );
    await ownerSql(
      api,
      `INSERT INTO contacts (workspace_id, name, phone) SELECT $1, 'Person ' || g, '+1666' || lpad(g::text, 7, '0') FROM generate_series(1, 5000) g`,
      [other.id],
    );
    // As autovacuum would: the GIN pending list merged, statistics current.
    for (const t of ["messages", "contacts", "conversations"]) await ownerSql(api, `VACUUM ANALYZE ${t}`);
    const plan = (
      await ownerSql<{ "QUERY PLAN": string }>(
        api,
        `EXPLAIN SELECT DISTINCT conversation_id AS id FROM messages WHERE workspace_id = $1 AND body ILIKE '%zanzibar%'
      UNION SELECT c.id FROM conversations c JOIN contacts ct ON ct.workspace_id = c.workspace_id AND ct.id = c.contact_id
       WHERE c.workspace_id = $1 AND ct.workspace_id = $1 AND (ct.name ILIKE '%zanzibar%') LIMIT 500`,
        [other.id],
      )
    )
      .map((r) => r["QUERY PLAN"])
      .join("\n");
    expect(plan).toContain("messages_body_trgm_idx");
    // inbox_search answers within the caller's workspace only: the other workspace's 20,000 messages never match here.
    expect(await ids({ search: "appointments and prices" })).toEqual([]);
    expect(await ids({ search: "Person 123" })).toEqual([]);
    expect(plan).not.toMatch(/Seq Scan on (messages|contacts)/);
  });

  it("round-robin assignment among available members, and e-mail notifications per preference (immediately, daily digest)", async () => {
    const settings = await api.gql<{ updateInboxSettings: { available: boolean; emailNotifications: string } }>(
      SETTINGS,
      { w: ws.id, i: { available: true, emailNotifications: "IMMEDIATE" } },
      { token: operator.token },
    );
    expect(settings.data!.updateInboxSettings).toMatchObject({ available: true, emailNotifications: "IMMEDIATE" });
    await api.gql(
      SETTINGS,
      { w: ws.id, i: { available: true, emailNotifications: "DAILY" } },
      { token: operator2.token },
    );
    expect(
      codeOf(
        await api.gql(
          `mutation($w: ID!) { setAutoAssign(workspaceId: $w, enabled: true) { autoAssign } }`,
          { w: ws.id },
          { token: operator.token },
        ),
      ),
    ).toBe("FORBIDDEN");
    expect(
      (
        await api.gql(
          `mutation($w: ID!) { setAutoAssign(workspaceId: $w, enabled: true) { autoAssign } }`,
          { w: ws.id },
          { token: owner.token },
        )
      ).data,
    ).toEqual({ setAutoAssign: { autoAssign: true } });
    const assignees: string[] = [];
    for (let i = 0; i < 4; i++) {
      const p = phone();
      await inbound(p, `New lead ${i}`);
      const conv = await conversationOf(p);
      const a = (
        await ownerSql<{ user_id: string }>(
          api,
          `SELECT m.user_id FROM conversations c JOIN memberships m ON m.workspace_id = c.workspace_id AND m.id = c.assignee_membership_id WHERE c.id = $1`,
          [conv],
        )
      )[0]!.user_id;
      assignees.push(a);
    }
    // Alternating between the two available members, least recently assigned first.
    expect(new Set(assignees)).toEqual(new Set([operator.id, operator2.id]));
    expect(assignees[0]).not.toBe(assignees[1]);
    expect(assignees[2]).toBe(assignees[0]);
    // Immediately: one mail per notification, through the mail job.
    await eventually(
      async () =>
        (await mailbox(api.url, operator.email, 1)).some((m) =>
          m.subject.includes("A new conversation was assigned to you"),
        ),
      10_000,
      "the assignment mail",
    );
    // Daily: nothing yet; the digest job sends one mail with every unread notification.
    const inbox2 = async () =>
      (await (await fetch(`${api.url}/dev/mailbox?to=${encodeURIComponent(operator2.email)}`)).json()) as {
        subject: string;
        text: string;
      }[];
    await new Promise((r) => setTimeout(r, 300));
    const before = await inbox2();
    expect(before.some((m) => m.subject.includes("A new conversation was assigned to you"))).toBe(false);
    expect(await api.services.operators.sendDigests()).toBeGreaterThanOrEqual(1);
    const digest = await eventually(
      async () => (await inbox2()).find((m) => /notifications? since your last digest/.test(m.subject)),
      10_000,
      "the digest",
    );
    expect(digest.text).toContain("A new conversation was assigned to you");
    expect(await api.services.operators.sendDigests()).toBe(0); // each notification is e-mailed once
    await api.gql(
      `mutation($w: ID!) { setAutoAssign(workspaceId: $w, enabled: false) { autoAssign } }`,
      { w: ws.id },
      { token: owner.token },
    );
    await api.gql(SETTINGS, { w: ws.id, i: { emailNotifications: "OFF" } }, { token: operator.token });
  });

  it("notifications and the review queue are live over graphql-ws; the notification stream is the caller's own", async () => {
    const c1 = liveClient(api.url, { token: operator.token });
    const c2 = liveClient(api.url, { token: agent.token });
    try {
      const q = record<{ reviewQueueEvents: { id: string; status: string } }>(
        c1,
        `subscription($w: ID!) { reviewQueueEvents(workspaceId: $w) { id status } }`,
        { w: ws.id },
      );
      const mine = record<{ notificationEvents: { kind: string; title: string } }>(
        c1,
        `subscription($w: ID!) { notificationEvents(workspaceId: $w) { kind title } }`,
        { w: ws.id },
      );
      const theirs = record<{ notificationEvents: { kind: string } }>(
        c2,
        `subscription($w: ID!) { notificationEvents(workspaceId: $w) { kind } }`,
        { w: ws.id },
      );
      const denied = record(c2, `subscription($w: ID!) { reviewQueueEvents(workspaceId: $w) { id } }`, { w: ws.id });
      expect((await denied.waitForEnd())?.code).toBe("FORBIDDEN");
      await subscribed(api.services.live, 3);
      const p = phone();
      await inbound(p, "I will call my lawyer about this");
      await api.gql(
        RULE,
        { w: ws.id, i: { name: "Legal threat", phrases: ["lawyer"], appliesTo: ["INBOUND"], action: "HAND_OVER" } },
        { token: owner.token },
      );
      await inbound(p, "Yes, my lawyer");
      const [filed] = await q.waitFor(1, 10_000);
      expect(filed!.data!.reviewQueueEvents.status).toBe("OPEN");
      const escalation = await eventually(
        () => mine.results.find((r) => r.data?.notificationEvents.kind === "ESCALATION"),
        10_000,
        "the escalation, live",
      );
      expect(escalation.data!.notificationEvents.title).toContain("Legal threat");
      await api.gql(CLAIM, { w: ws.id, id: filed!.data!.reviewQueueEvents.id }, { token: operator.token });
      await eventually(
        () => q.results.some((r) => r.data?.reviewQueueEvents.status === "CLAIMED"),
        10_000,
        "the claim, live",
      );
      expect(theirs.results).toEqual([]);
      // Notifications are a member's own: an API key gets none.
      const key = (
        await api.gql<{ createApiKey: { secret: string } }>(
          `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "inbox key", scopes: ["conversation.read"] }) { secret } }`,
          { w: ws.id },
          { token: owner.token },
        )
      ).data!.createApiKey.secret;
      expect(codeOf(await api.gql(NOTIFICATIONS, { w: ws.id }, { token: key }))).toBe("FORBIDDEN");
      const keyClient = liveClient(api.url, { token: key });
      try {
        const byKey = record(keyClient, `subscription($w: ID!) { notificationEvents(workspaceId: $w) { kind } }`, {
          w: ws.id,
        });
        expect((await byKey.waitForEnd())?.code).toBe("FORBIDDEN");
      } finally {
        await keyClient.dispose();
      }
    } finally {
      await c1.dispose();
      await c2.dispose();
    }
  });

  it("a send that fails for good goes to the review queue", async () => {
    const p = phone();
    fakes.openai.reply = () => "Reply that Twilio refuses";
    fakes.twilio.failNext(1, { kind: "status", status: 400 });
    await inbound(p, "hello?");
    const conv = await conversationOf(p);
    const item = await eventually(
      async () => (await reviews()).find((i) => i.reason === "SEND_FAILED" && i.conversation?.id === conv),
      15_000,
      "the failed send in the queue",
    );
    expect(item.summary).toContain("could not be sent");
    expect(item.excerpt).toBe("Reply that Twilio refuses");
  });
});

describe("live calls: Vapi Live Call Control (issue 47)", () => {
  let api: TestApi;
  let fakes: Fakes;
  let owner: TestUser;
  let ws: { id: string; slug: string };
  const vapi = vapiCard();
  const server = (m: Record<string, unknown>) =>
    fakes.vapi.sendServerMessage(`${api.url}/webhooks/vapi/${ws.id}`, vapi.serverSecret, m);

  beforeAll(async () => {
    ({ api, fakes } = await startApiWithFakes({ integrationKeys: [newKey()] }));
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Voice Clinic", "VOICE");
    await configure(api, fakes, owner, ws.id, { vapi });
    await startWorkers(api);
    await api.services.operators.startWorkers();
  });
  afterAll(async () => {
    await api?.close();
    await fakes?.close();
  });

  it("the transcript streams into the conversation; guidance and a transfer reach the call's control URL once; the report completes the same conversation", async () => {
    // A call placed through the fake (as the product does for a new lead), so its control URL is real.
    const res = await fetch(`${fakes.vapi.baseUrl}/call`, {
      method: "POST",
      headers: { authorization: `Bearer ${vapi.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ assistantId: "a", phoneNumberId: "p", customer: { number: "+14155550142" } }),
    });
    const call = (await res.json()) as { id: string; monitor: { controlUrl: string } };
    const caller = "+14155550142";
    expect(
      (
        await server(
          statusUpdateMessage(caller, "in-progress", { callId: call.id, controlUrl: call.monitor.controlUrl }),
        )
      ).status,
    ).toBe(200);
    await server(transcriptMessage(caller, "assistant", "Hello, this is the clinic.", { callId: call.id }));
    await server(
      transcriptMessage(caller, "user", "Hi, I have chest pai", { callId: call.id, transcriptType: "partial" }),
    );
    await server(transcriptMessage(caller, "user", "Hi, I'd like a cleaning next week.", { callId: call.id }));
    const conv = await eventually(
      async () =>
        (
          await ownerSql<{ id: string }>(
            api,
            `SELECT id FROM conversations WHERE workspace_id = $1 AND provider_call_id = $2`,
            [ws.id, call.id],
          )
        )[0]?.id,
      5_000,
      "the live conversation",
    );
    const live = await api.gql<{
      conversation: { mode: string; channel: string; callLive: boolean; callStatus: string };
    }>(
      `query($w: ID!, $id: ID!) { conversation(workspaceId: $w, id: $id) { mode channel callLive callStatus } }`,
      { w: ws.id, id: conv },
      { token: owner.token },
    );
    expect(live.data!.conversation).toEqual({
      mode: "AI",
      channel: "VOICE",
      callLive: true,
      callStatus: "in-progress",
    });
    const msgs = await api.gql<{ messages: { edges: { node: { direction: string; body: string } }[] } }>(
      MESSAGES,
      { w: ws.id, c: conv },
      { token: owner.token },
    );
    expect(msgs.data!.messages.edges.map((e) => [e.node.direction, e.node.body])).toEqual([
      ["OUTBOUND", "Hello, this is the clinic."],
      ["INBOUND", "Hi, I'd like a cleaning next week."],
    ]);

    const g = await api.gql<{ addGuidance: { callAction: { kind: string; status: string } } }>(
      GUIDE,
      { w: ws.id, c: conv, t: "Mention the new-patient discount" },
      { token: owner.token },
    );
    expect(g.data!.addGuidance.callAction).toEqual({ kind: "GUIDANCE", status: "QUEUED" });
    const joined = await api.gql<{ joinCall: { mode: string } }>(
      `mutation($w: ID!, $c: ID!, $p: String!) { joinCall(workspaceId: $w, conversationId: $c, phone: $p) { mode } }`,
      { w: ws.id, c: conv, p: "+14155550199" },
      { token: owner.token },
    );
    expect(joined.data!.joinCall.mode).toBe("HUMAN");
    const fakeCall = fakes.vapi.calls.find((c) => c.id === call.id)!;
    await eventually(() => fakeCall.controlMessages.length === 2, 10_000, "both control messages at Vapi");
    expect(fakeCall.controlMessages).toEqual([
      { type: "add-message", message: { role: "system", content: "Mention the new-patient discount" } },
      { type: "transfer", destination: { type: "number", number: "+14155550199" } },
    ]);
    const actions = await eventually(
      async () => {
        const r = await api.gql<{ callActions: { kind: string; status: string }[] }>(
          `query($w: ID!, $c: ID!) { callActions(workspaceId: $w, conversationId: $c) { kind status } }`,
          { w: ws.id, c: conv },
          { token: owner.token },
        );
        return r.data!.callActions.every((a) => a.status === "SENT") && r.data!.callActions;
      },
      10_000,
      "SENT",
    );
    expect(actions.map((a) => a.kind)).toEqual(["GUIDANCE", "TRANSFER"]);
    expect(
      codeOf(
        await api.gql(
          `mutation($w: ID!, $c: ID!) { joinCall(workspaceId: $w, conversationId: $c, phone: "555") { mode } }`,
          { w: ws.id, c: conv },
          { token: owner.token },
        ),
      ),
    ).toBe("BAD_USER_INPUT");

    // A call-transcript rule flags what the caller says.
    await api.gql(
      RULE,
      { w: ws.id, i: { name: "Emergency", phrases: ["chest pain"], appliesTo: ["CALL_TRANSCRIPT"], action: "FLAG" } },
      { token: owner.token },
    );
    await server(transcriptMessage(caller, "user", "Actually I have Chest Pain now", { callId: call.id }));
    const flagged = await eventually(
      async () =>
        (
          await api.gql<{ reviewItems: { edges: { node: Review }[] } }>(REVIEW, { w: ws.id }, { token: owner.token })
        ).data!.reviewItems.edges.find((e) => e.node.reason === "CALL_FLAGGED")?.node,
      5_000,
      "CALL_FLAGGED",
    );
    expect(flagged.conversation?.id).toBe(conv);

    // The report completes the same conversation: no duplicated lines; the call has ended.
    await server(
      endOfCallReport(caller, {
        callId: call.id,
        turns: [
          { role: "assistant", message: "Hello, this is the clinic." },
          { role: "user", message: "Hi, I'd like a cleaning next week." },
        ],
      }),
    );
    const ended = await api.gql<{ conversation: { callLive: boolean; transcript: string } }>(
      `query($w: ID!, $id: ID!) { conversation(workspaceId: $w, id: $id) { callLive transcript } }`,
      { w: ws.id, id: conv },
      { token: owner.token },
    );
    expect(ended.data!.conversation.callLive).toBe(false);
    expect(ended.data!.conversation.transcript).toContain("cleaning");
    expect((await ownerSql(api, `SELECT 1 FROM messages WHERE conversation_id = $1`, [conv])).length).toBe(3);
    expect((await ownerSql(api, `SELECT 1 FROM conversations WHERE provider_call_id = $1`, [call.id])).length).toBe(1);
    // Guidance after the call: a note for the record, nothing sent to Vapi.
    const after = await api.gql<{ addGuidance: { callAction: null } }>(
      GUIDE,
      { w: ws.id, c: conv, t: "Follow up by e-mail" },
      { token: owner.token },
    );
    expect(after.data!.addGuidance.callAction).toBeNull();
    expect(
      codeOf(
        await api.gql(
          `mutation($w: ID!, $c: ID!) { joinCall(workspaceId: $w, conversationId: $c, phone: "+14155550199") { mode } }`,
          { w: ws.id, c: conv },
          { token: owner.token },
        ),
      ),
    ).toBe("BAD_USER_INPUT");
  });

  it("in production a control URL must be https on a public address: a loopback one is refused, the request never made", async () => {
    const config = api.config as { webhooks: { allowPrivateTargets: boolean } };
    config.webhooks.allowPrivateTargets = false;
    try {
      const callId = "call-private-control";
      await server(
        statusUpdateMessage("+14155550143", "in-progress", {
          callId,
          controlUrl: `${fakes.vapi.baseUrl}/calls/${callId}/control`,
        }),
      );
      const conv = await eventually(
        async () =>
          (
            await ownerSql<{ id: string }>(
              api,
              `SELECT id FROM conversations WHERE workspace_id = $1 AND provider_call_id = $2`,
              [ws.id, callId],
            )
          )[0]?.id,
        5_000,
        "the live conversation",
      );
      const before = fakes.vapi.received("POST", "/calls/").length;
      await api.gql(GUIDE, { w: ws.id, c: conv, t: "Say hello" }, { token: owner.token });
      const failed = await eventually(
        async () => {
          const r = await api.gql<{ callActions: { status: string; errorMessage: string | null }[] }>(
            `query($w: ID!, $c: ID!) { callActions(workspaceId: $w, conversationId: $c) { status errorMessage } }`,
            { w: ws.id, c: conv },
            { token: owner.token },
          );
          return r.data!.callActions.find((a) => a.status === "FAILED");
        },
        10_000,
        "the refused control request",
      );
      expect(failed.errorMessage).toMatch(/control URL is not allowed/);
      expect(fakes.vapi.received("POST", "/calls/").length).toBe(before);
    } finally {
      config.webhooks.allowPrivateTargets = true;
    }
  });
});
