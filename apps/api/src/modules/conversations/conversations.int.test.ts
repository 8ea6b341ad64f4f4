// Conversations (R3, R4): manual replies only under human takeover and with message.send, the
// kill switch suppressing them, the transcript in order. Cross-workspace NOT_FOUND rows for these
// operations are in leads.int.test.ts and the generated matrix.
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

describe("conversations", () => {
  let api: TestApi;
  let owner: TestUser;
  let agent: TestUser;
  let stranger: TestUser;
  let ws: { id: string; slug: string };

  beforeAll(async () => {
    api = await startTestApi();
    [owner, agent, stranger] = await Promise.all([api.user("Owner"), api.user("Agent"), api.user("Stranger")]);
    ws = await createWorkspace(api, owner, "Conversations Co");
    await addMember(api, ws.id, agent, "AGENT", [
      "lead.read",
      "contact.read",
      "conversation.read",
      "message.send",
      "conversation.manage",
    ]);
  });
  afterAll(async () => api.close());

  it("manual replies need message.send on a conversation under human takeover; a paused agent suppresses the send", async () => {
    // Casey wrote within the day: WhatsApp's window is open (issue 56).
    const contact = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO contacts (workspace_id, name, email, last_inbound_at) VALUES ($1, 'Casey', 'casey@example.com', now()) RETURNING id`,
        [ws.id],
      )
    )[0]!.id;
    const conv = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id) VALUES ($1, $2) RETURNING id`,
        [ws.id, contact],
      )
    )[0]!.id;
    await ownerSql(
      api,
      `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status) VALUES ($1, $2, 'INBOUND', 'CONTACT', 'Hi there', 'RECEIVED')`,
      [ws.id, conv],
    );
    const REPLY = `mutation($w: ID!, $c: ID!, $b: String!) { sendManualReply(workspaceId: $w, conversationId: $c, input: { body: $b }) { status direction } }`;
    const TAKEOVER = `mutation($w: ID!, $c: ID!, $e: Boolean!) { setHumanTakeover(workspaceId: $w, conversationId: $c, enabled: $e) { humanTakeover } }`;

    const before = await api.gql(REPLY, { w: ws.id, c: conv, b: "Hello" }, { token: agent.token });
    expect(codeOf(before)).toBe("FORBIDDEN");
    expect((await api.gql(TAKEOVER, { w: ws.id, c: conv, e: true }, { token: agent.token })).data).toEqual({
      setHumanTakeover: { humanTakeover: true },
    });
    const sent = await api.gql<{ sendManualReply: { status: string } }>(
      REPLY,
      { w: ws.id, c: conv, b: "Hello" },
      { token: agent.token },
    );
    // No Twilio card in this workspace: the reply is stored, FAILED with the reason (issue 12).
    expect(sent.data?.sendManualReply).toEqual({ status: "FAILED", direction: "OUTBOUND" });

    await ownerSql(api, `UPDATE workspaces SET agent_paused = true WHERE id = $1`, [ws.id]);
    const paused = await api.gql<{ sendManualReply: { status: string } }>(
      REPLY,
      { w: ws.id, c: conv, b: "Still there?" },
      { token: agent.token },
    );
    expect(paused.data?.sendManualReply.status).toBe("SUPPRESSED");
    await ownerSql(api, `UPDATE workspaces SET agent_paused = false WHERE id = $1`, [ws.id]);

    // An agent without message.send may read but not reply.
    const reader = await api.gql(REPLY, { w: ws.id, c: conv, b: "x" }, { token: stranger.token });
    expect(codeOf(reader)).toBe("NOT_FOUND");
    const transcript = await api.gql<{ messages: { totalCount: number; edges: { node: { body: string } }[] } }>(
      `query($w: ID!, $c: ID!) { messages(workspaceId: $w, conversationId: $c) { totalCount edges { node { body } } } }`,
      { w: ws.id, c: conv },
      { token: agent.token },
    );
    expect(transcript.data?.messages.edges.map((e) => e.node.body)).toEqual(["Hi there", "Hello", "Still there?"]);
    expect(codeOf(await api.gql(REPLY, { w: ws.id, c: conv, b: "   " }, { token: agent.token }))).toBe(
      "BAD_USER_INPUT",
    );
  });
});
