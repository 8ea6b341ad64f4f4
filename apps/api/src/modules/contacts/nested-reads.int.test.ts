// Nested objects obey their own read policies (issue 55, finding 4), generated from the schema:
// every field that nests another subject declares the read it needs (`reads`, checked by the
// permission snapshot in schema-contract.test.ts); here every path from a root operation to such
// a field is walked and called by principals that may call the root operation but not read the
// nested subject — an agent and an API key — and the nested object must come back null, never
// its data. The list of paths proven is compared with the expected one, so a path that stops
// answering (or a new one) shows up.
import { getNamedType, isObjectType, type GraphQLObjectType } from "graphql";

import {
  defineAbilityFor,
  defineAbilityForApiKey,
  POLICY_CATALOG,
  type Action,
  type SubjectName,
} from "@atrium/policies";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { addMember, createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";
import { call, OPS, type WorkspaceOp } from "../../test/operations.ts";

interface Nested {
  /** "Lead.contact" */
  name: string;
  field: string;
  action: Action;
  subject: SubjectName;
}

/** Selections from `type` down to each nested field (depth-limited), e.g. `edges { node { contact { id } } }`. */
function pathsTo(
  type: GraphQLObjectType,
  depth = 0,
  seen: string[] = [],
): { nested: Nested; selection: string; at: string[] }[] {
  if (depth > 4 || seen.includes(type.name)) return [];
  const out: { nested: Nested; selection: string; at: string[] }[] = [];
  for (const field of Object.values(type.getFields())) {
    const inner = getNamedType(field.type);
    if (!isObjectType(inner)) continue;
    const reads = (field.extensions as { reads?: string }).reads;
    const m = reads ? /^(read):([A-Za-z]+)$/.exec(reads) : null;
    if (m && m[2] !== type.name)
      out.push({
        nested: {
          name: `${type.name}.${field.name}`,
          field: field.name,
          action: m[1] as Action,
          subject: m[2] as SubjectName,
        },
        selection: `${field.name} { id }`,
        at: [field.name],
      });
    for (const p of pathsTo(inner, depth + 1, [...seen, type.name]))
      out.push({ ...p, selection: `${field.name} { ${p.selection} }`, at: [field.name, ...p.at] });
  }
  return out;
}

/** Every value reached by following `at` (lists are walked), e.g. every node's contact. */
function valuesAt(data: unknown, at: string[]): unknown[] {
  if (at.length === 0) return [data];
  if (Array.isArray(data)) return data.flatMap((d) => valuesAt(d, at));
  if (data === null || typeof data !== "object") return [];
  const [head, ...rest] = at;
  return head! in data ? valuesAt((data as Record<string, unknown>)[head!], rest) : [];
}

interface Case {
  op: WorkspaceOp;
  nested: Nested;
  selection: string;
  at: string[];
}
const CASES: Case[] = OPS.flatMap((op) => {
  const named = getNamedType(op.field.type);
  return isObjectType(named) ? pathsTo(named).map((p) => ({ op, ...p })) : [];
});

describe("nested objects obey their own read policies (generated)", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string; slug: string };
  let ids: { leadId: string; conversationId: string; contactId: string; reviewItemId: string; email: string };

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Owner");
    ws = await createWorkspace(api, owner, "Nested reads");
    const email = "secret-contact@example.com";
    const contactId = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO contacts (workspace_id, name, email, tags) VALUES ($1, 'Secret Contact', $2, '{vip}') RETURNING id`,
        [ws.id, email],
      )
    )[0]!.id;
    const leadId = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO leads (workspace_id, contact_id, name, source) VALUES ($1, $2, 'Lead', 'FORM') RETURNING id`,
        [ws.id, contactId],
      )
    )[0]!.id;
    const conversationId = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO conversations (workspace_id, contact_id, lead_id) VALUES ($1, $2, $3) RETURNING id`,
        [ws.id, contactId, leadId],
      )
    )[0]!.id;
    await ownerSql(
      api,
      `INSERT INTO bookings (workspace_id, lead_id, provider_uid, starts_at, ends_at, status, attendee_name, attendee_email) VALUES ($1, $2, 'uid-1', now() + interval '1 day', now() + interval '1 day 30 minutes', 'ACCEPTED', 'Secret Contact', $3)`,
      [ws.id, leadId, email],
    );
    // A message (Conversation.lastMessage needs message reads) and a review item about the conversation (ReviewItem.conversation).
    await ownerSql(
      api,
      `INSERT INTO messages (workspace_id, conversation_id, direction, sender, body, status) VALUES ($1, $2, 'INBOUND', 'CONTACT', 'a secret message', 'RECEIVED')`,
      [ws.id, conversationId],
    );
    const reviewItemId = (
      await ownerSql<{ id: string }>(
        api,
        `INSERT INTO review_items (workspace_id, reason, conversation_id, summary) VALUES ($1, 'SAFETY_FLAG', $2, 'flagged') RETURNING id`,
        [ws.id, conversationId],
      )
    )[0]!.id;
    ids = { leadId, conversationId, contactId, reviewItemId, email };
  });
  afterAll(async () => api.close());

  it("finds the nested fields and their paths in the schema", () => {
    expect([...new Set(CASES.map((c) => c.nested.name))].sort()).toEqual([
      "Booking.lead",
      "Conversation.contact",
      "Conversation.lastMessage",
      "Lead.contact",
      "ReviewItem.conversation",
    ]);
  });

  /** The row each root operation should be called with (`lead(id)` → the seeded lead, …). */
  const seedsFor = (op: WorkspaceOp) => {
    const returns = getNamedType(op.field.type).name;
    const id =
      returns === "Lead"
        ? ids.leadId
        : returns === "Conversation"
          ? ids.conversationId
          : returns === "ReviewItem"
            ? ids.reviewItemId
            : undefined;
    return {
      workspaceId: ws.id,
      slug: ws.slug,
      ids: { leadId: ids.leadId, conversationId: ids.conversationId, contactId: ids.contactId, ...(id ? { id } : {}) },
    };
  };

  it("an agent and a key that may call the operation but not read the nested subject get null there, on every path", async () => {
    const proven: string[] = [];
    const leaks: string[] = [];
    const principalsBySet = new Map<string, { agentToken: string; keySecret: string }>();
    for (const c of CASES) {
      // Every catalog policy but those that would let the nested subject be read.
      const policies = POLICY_CATALOG.map((p) => p.key).filter(
        (p) =>
          !defineAbilityFor({ workspaceId: ws.id, role: "AGENT", policies: [p] }).can(
            c.nested.action,
            c.nested.subject,
          ),
      );
      const agentAbility = defineAbilityFor({ workspaceId: ws.id, role: "AGENT", policies });
      const keyAbility = defineAbilityForApiKey({
        workspaceId: ws.id,
        creatorRole: "OWNER",
        creatorPolicies: [],
        scopes: policies,
      });
      // One agent and one key per policy set (the set depends only on the nested subject): signing
      // up a user per case cost a password hash each.
      const setKey = policies.join(",");
      let pair = principalsBySet.get(setKey);
      if (!pair) {
        const agent = await api.user(`Agent without ${c.nested.action} ${c.nested.subject}`);
        await addMember(api, ws.id, agent, "AGENT", policies);
        const key = await api.gql<{ createApiKey: { secret: string } }>(
          `mutation($w: ID!, $i: CreateApiKeyInput!) { createApiKey(workspaceId: $w, input: $i) { secret } }`,
          { w: ws.id, i: { name: "nested", scopes: policies } },
          { token: owner.token },
        );
        pair = { agentToken: agent.token, keySecret: key.data!.createApiKey.secret };
        principalsBySet.set(setKey, pair);
      }
      const principals = [
        { label: "agent", token: pair.agentToken, may: agentAbility.can(c.op.action, c.op.subject) },
        { label: "key", token: pair.keySecret, may: !c.op.signedInOnly && keyAbility.can(c.op.action, c.op.subject) },
      ];
      for (const p of principals) {
        if (!p.may) continue;
        const { document, variables } = call(c.op, seedsFor(c.op));
        const r = await api.gql(document.replace(/ \{ __typename \} \}$/, ` { ${c.selection} } }`), variables, {
          token: p.token,
        });
        const root = r.data?.[c.op.field.name];
        const reached = valuesAt(root, c.at);
        if (reached.length === 0) continue; // nothing there to see (the row is not on this path)
        if (reached.some((v) => v !== null))
          leaks.push(`${p.label} ${c.op.name} → ${c.selection}: ${JSON.stringify(reached)}`);
        else proven.push(`${c.op.name} ${c.at.join(".")} (${p.label})`);
      }
    }
    expect(leaks).toEqual([]);
    expect(proven.sort()).toEqual(
      [
        "Mutation.claimReviewItem conversation (agent)",
        "Mutation.closeConversation contact (agent)",
        "Mutation.closeConversation contact (key)",
        "Mutation.closeConversation lastMessage (agent)",
        "Mutation.closeConversation lastMessage (key)",
        "Mutation.handBackConversation contact (agent)",
        "Mutation.handBackConversation contact (key)",
        "Mutation.handBackConversation lastMessage (agent)",
        "Mutation.handBackConversation lastMessage (key)",
        "Mutation.markConversationRead contact (agent)",
        "Mutation.markConversationRead contact (key)",
        "Mutation.markConversationRead lastMessage (agent)",
        "Mutation.markConversationRead lastMessage (key)",
        "Mutation.releaseReviewItem conversation (agent)",
        "Mutation.reopenConversation contact (agent)",
        "Mutation.reopenConversation contact (key)",
        "Mutation.reopenConversation lastMessage (agent)",
        "Mutation.reopenConversation lastMessage (key)",
        "Mutation.resolveReviewItem conversation (agent)",
        "Mutation.setHumanTakeover contact (agent)",
        "Mutation.setHumanTakeover contact (key)",
        "Mutation.setHumanTakeover lastMessage (agent)",
        "Mutation.setHumanTakeover lastMessage (key)",
        "Mutation.takeOverConversation contact (agent)",
        "Mutation.takeOverConversation contact (key)",
        "Mutation.takeOverConversation lastMessage (agent)",
        "Mutation.takeOverConversation lastMessage (key)",
        "Mutation.updateLeadStatus contact (agent)",
        "Mutation.updateLeadStatus contact (key)",
        "Query.bookings edges.node.lead.contact (agent)",
        "Query.bookings edges.node.lead.contact (key)",
        "Query.contactLeads contact (agent)",
        "Query.contactLeads contact (key)",
        "Query.conversation contact (agent)",
        "Query.conversation contact (key)",
        "Query.conversation lastMessage (agent)",
        "Query.conversation lastMessage (key)",
        "Query.conversations edges.node.contact (agent)",
        "Query.conversations edges.node.contact (key)",
        "Query.conversations edges.node.lastMessage (agent)",
        "Query.conversations edges.node.lastMessage (key)",
        "Query.inbox edges.node.contact (agent)",
        "Query.inbox edges.node.contact (key)",
        "Query.inbox edges.node.lastMessage (agent)",
        "Query.inbox edges.node.lastMessage (key)",
        "Query.lead contact (agent)",
        "Query.lead contact (key)",
        "Query.leads edges.node.contact (agent)",
        "Query.leads edges.node.contact (key)",
        "Query.reviewItem conversation (agent)",
        "Query.reviewItem conversation (key)",
        "Query.reviewItem conversation.contact (agent)",
        "Query.reviewItem conversation.contact (key)",
        "Query.reviewItem conversation.lastMessage (agent)",
        "Query.reviewItem conversation.lastMessage (key)",
        "Query.reviewItems edges.node.conversation (agent)",
        "Query.reviewItems edges.node.conversation (key)",
        "Query.reviewItems edges.node.conversation.contact (agent)",
        "Query.reviewItems edges.node.conversation.contact (key)",
        "Query.reviewItems edges.node.conversation.lastMessage (agent)",
        "Query.reviewItems edges.node.conversation.lastMessage (key)",
      ].sort(),
    );
  });

  it("submitLead (API keys only) answers the deduplicated contact only to a key that may read contacts", async () => {
    const submit = `mutation($i: SubmitLeadInput!) { submitLead(input: $i) { id contact { name email tags } } }`;
    const create = async (scopes: string[]) =>
      (
        await api.gql<{ createApiKey: { secret: string } }>(
          `mutation($w: ID!, $i: CreateApiKeyInput!) { createApiKey(workspaceId: $w, input: $i) { secret } }`,
          { w: ws.id, i: { name: "submit", scopes } },
          { token: owner.token },
        )
      ).data!.createApiKey.secret;
    const blind = await api.gql<{ submitLead: { id: string; contact: unknown } }>(
      submit,
      { i: { name: "Anyone", email: ids.email } },
      { token: await create(["lead.manage"]) },
    );
    expect(blind.errors).toBeUndefined();
    expect(blind.data!.submitLead.contact).toBeNull();
    const seeing = await api.gql<{ submitLead: { contact: { name: string; tags: string[] } } }>(
      submit,
      { i: { name: "Anyone", email: ids.email } },
      { token: await create(["lead.manage", "contact.read"]) },
    );
    expect(seeing.data!.submitLead.contact).toEqual({ name: "Secret Contact", email: ids.email, tags: ["vip"] });
  });

  it("a member who may read contacts still sees them nested", async () => {
    const r = await api.gql<{ lead: { contact: { name: string } | null } }>(
      `query($w: ID!, $id: ID!) { lead(workspaceId: $w, id: $id) { contact { name } } }`,
      { w: ws.id, id: ids.leadId },
      { token: owner.token },
    );
    expect(r.data!.lead.contact).toEqual({ name: "Secret Contact" });
  });
});
