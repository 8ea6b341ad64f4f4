// The public REST API, /api/v1 (issue 51, decision 0046): leads, contacts, conversations, manual
// replies and webhook endpoints for an API key, in the key's own workspace.
//
// Every operation is one row of API_V1_OPERATIONS: its path, the scope it needs, its zod shapes
// (api-v1.schemas.ts) and the service call — the same call GraphQL's resolver makes. The routes
// are registered from that table and the OpenAPI document (openapi.ts) is generated from it, so a
// route and its description cannot drift apart. What each request goes through, in GraphQL's order:
// the key (401 without one, 429 over its rate limit: principal.ts), the type-level check of the
// key's ability (403, in the denial log: rest-access.ts), the request's shape (400 with `fields`),
// the GraphQL input's own checks (the same class-validator rules, so nothing is checked twice
// with a chance to differ), then the service — its row-level checks, tenant client, audit row,
// webhooks and outbox exactly as for GraphQL. Another workspace's, an unknown or a malformed id is
// the service's NOT_FOUND: 404, as GraphQL. Errors are problem details (rest-errors.ts).
import { validate } from "class-validator";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import * as z from "zod/mini";

import type { Action, Subject } from "@atrium/policies";

import { AppError, badInput, ErrorCode } from "../../platform/errors.ts";
import type { ConnectionShape } from "../../platform/graphql/connection.ts";
import { recordingDenials, restApiKeyAccess, type RestWorkspaceAccess } from "../../rest-access.ts";
import type { Services } from "../../services.ts";
import { ContactInput as GraphqlContactInput } from "../contacts/contacts.types.ts";
import { ManualReplyInput, type ConversationView, type MessageView } from "../conversations/conversations.types.ts";
import { SubmitLeadInput, type ContactView, type LeadView } from "../leads/leads.types.ts";
import { CreateWebhookEndpointInput, type WebhookEndpointView } from "../webhooks/webhooks.types.ts";
import * as S from "./api-v1.schemas.ts";

export const API_V1_PREFIX = "/api/v1";

type Shape = Record<string, z.ZodMiniType>;
type Out<T extends z.ZodMiniType> = z.input<T>;

export interface Requirement {
  action: Action;
  subject: Exclude<Subject, "all">;
}

interface RunContext<Q extends Shape, B> {
  services: Services;
  gate: RestWorkspaceAccess & { apiKeyId: string };
  /** The `:id` path parameter (every parameterised path has exactly this one). */
  id: string;
  query: z.infer<z.ZodMiniObject<Q>>;
  body: B;
}

/** One operation of the public API: the table's row (see the file's head). */
export interface ApiOperation {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Under API_V1_PREFIX, Fastify's syntax (`/leads/:id`). */
  path: string;
  operationId: string;
  tag: "Leads" | "Contacts" | "Conversations" | "Webhooks";
  summary: string;
  description?: string;
  /** The API-key scope (policy) that grants it; the test checks a key with only these succeeds and one without gets 403. */
  scopes: readonly string[];
  /** What the key's ability must allow (the GraphQL field's `@Can` / `@ApiKeyCan`). */
  requires: readonly Requirement[];
  query?: Shape;
  body?: z.ZodMiniType;
  status: 200 | 201 | 204;
  response?: z.ZodMiniType;
  /** May answer 409 CONFLICT (duplicates, caps). */
  conflicts?: boolean;
  run(ctx: RunContext<Shape, unknown>): Promise<unknown>;
}

/**
 * A typed row: `run` sees its parsed query and body and must return its response schema's shape.
 * `input`: the GraphQL input class the body becomes (its checks run, and the service gets it).
 */
function operation<
  Q extends Shape,
  B extends z.ZodMiniType | undefined,
  R extends z.ZodMiniType | undefined,
  I extends object = never,
>(def: {
  method: ApiOperation["method"];
  path: string;
  operationId: string;
  tag: ApiOperation["tag"];
  summary: string;
  description?: string;
  scopes: readonly string[];
  requires: readonly Requirement[];
  query?: Q;
  body?: B;
  input?: new () => I;
  status: 200 | 201 | 204;
  response?: R;
  conflicts?: boolean;
  run(
    ctx: RunContext<Q, [I] extends [never] ? (B extends z.ZodMiniType ? z.infer<B> : undefined) : I>,
  ): Promise<R extends z.ZodMiniType ? Out<R> : void>;
}): ApiOperation & { input?: new () => object } {
  return def;
}

// ---- Views as the API answers them (dates as ISO 8601) ------------------------------------------

const iso = (d: Date) => d.toISOString();
const contactJson = (c: ContactView): Out<typeof S.Contact> => ({
  id: c.id,
  name: c.name,
  email: c.email,
  phone: c.phone,
  tags: c.tags,
  createdAt: iso(c.createdAt),
});
const leadJson = (l: LeadView): Out<typeof S.Lead> => ({
  id: l.id,
  name: l.name,
  email: l.email,
  phone: l.phone,
  message: l.message,
  source: l.source,
  status: l.status,
  contact: l.contact ? contactJson(l.contact) : null,
  qualificationAnswers: l.qualificationAnswers.map((a) => ({ question: a.question, answer: a.answer })),
  createdAt: iso(l.createdAt),
});
const messageJson = (m: MessageView): Out<typeof S.Message> => ({
  id: m.id,
  direction: m.direction,
  sender: m.sender,
  body: m.body,
  status: m.status,
  errorCode: m.errorCode,
  errorMessage: m.errorMessage,
  createdAt: iso(m.createdAt),
});
const conversationJson = (c: ConversationView): Out<typeof S.Conversation> => ({
  id: c.id,
  contact: c.contact ? contactJson(c.contact) : null,
  leadId: c.leadId,
  mode: c.mode,
  status: c.status,
  channel: c.channel,
  lastActivityAt: iso(c.lastActivityAt),
  createdAt: iso(c.createdAt),
});
const endpointJson = (e: WebhookEndpointView): Out<typeof S.WebhookEndpoint> => ({
  id: e.id,
  url: e.url,
  events: e.events,
  enabled: e.enabled,
  disabledReason: e.disabledReason,
  consecutiveFailures: e.consecutiveFailures,
  createdAt: iso(e.createdAt),
});
/** A GraphQL connection as a page: its nodes, and the cursor after the last one. */
const pageJson = <N, J>(c: ConnectionShape<N>, view: (node: N) => J) => ({
  data: c.edges.map((e) => view(e.node)),
  pageInfo: { hasNextPage: c.pageInfo.hasNextPage, nextCursor: c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null },
});

// ---- The operations -------------------------------------------------------------------------------

export const API_V1_OPERATIONS: readonly (ApiOperation & { input?: new () => object })[] = [
  operation({
    method: "POST",
    path: "/leads",
    operationId: "createLead",
    tag: "Leads",
    summary: "Create a lead",
    description:
      "Stores a lead as GraphQL's submitLead does (source API): its contact is found by e-mail, then phone, or created; `lead.created` webhooks and the agent's follow-up are queued with it. Works while the agent is paused.",
    scopes: ["lead.manage"],
    requires: [{ action: "create", subject: "Lead" }],
    body: S.LeadInput,
    input: SubmitLeadInput,
    status: 201,
    response: S.Lead,
    run: async ({ services, gate, body }) =>
      leadJson(await services.leads.submitWithApiKey(gate.access, gate.apiKeyId, body, gate.actor)),
  }),
  operation({
    method: "GET",
    path: "/leads",
    operationId: "listLeads",
    tag: "Leads",
    summary: "List leads",
    description: "Newest first, a page at a time: pass `pageInfo.nextCursor` as `cursor` for the next one.",
    scopes: ["lead.read"],
    requires: [{ action: "read", subject: "Lead" }],
    query: { ...S.pageQuery, status: z.optional(S.LeadStatusInput.shape.status) },
    status: 200,
    response: S.LeadPage,
    run: async ({ services, gate, query }) =>
      pageJson(
        await services.leads.list(gate.access, {
          first: query.limit,
          after: query.cursor,
          status: query.status,
          withTotal: false,
        }),
        leadJson,
      ),
  }),
  operation({
    method: "GET",
    path: "/leads/:id",
    operationId: "getLead",
    tag: "Leads",
    summary: "Get a lead",
    scopes: ["lead.read"],
    requires: [{ action: "read", subject: "Lead" }],
    status: 200,
    response: S.Lead,
    run: async ({ services, gate, id }) => leadJson(await services.leads.get(gate.access, id)),
  }),
  operation({
    method: "PATCH",
    path: "/leads/:id",
    operationId: "updateLeadStatus",
    tag: "Leads",
    summary: "Change a lead's status",
    scopes: ["lead.manage"],
    requires: [{ action: "update", subject: "Lead" }],
    body: S.LeadStatusInput,
    status: 200,
    response: S.Lead,
    run: async ({ services, gate, id, body }) =>
      leadJson(await services.leads.updateStatus(gate.access, id, body.status, gate.actor)),
  }),
  operation({
    method: "POST",
    path: "/contacts",
    operationId: "createContact",
    tag: "Contacts",
    summary: "Create a contact",
    scopes: ["contact.manage"],
    requires: [{ action: "create", subject: "Contact" }],
    body: S.ContactInput,
    input: GraphqlContactInput,
    status: 201,
    response: S.Contact,
    conflicts: true,
    run: async ({ services, gate, body }) => contactJson(await services.contacts.create(gate.access, body, gate.actor)),
  }),
  operation({
    method: "GET",
    path: "/contacts",
    operationId: "listContacts",
    tag: "Contacts",
    summary: "List contacts",
    description:
      "Newest first; `search` matches a name containing it, an e-mail address or its domain starting with it, or a phone number starting (after the +) or ending with its digits; `tag` narrows to one tag.",
    scopes: ["contact.read"],
    requires: [{ action: "read", subject: "Contact" }],
    query: {
      ...S.pageQuery,
      search: z.optional(z.string().check(z.maxLength(200))),
      tag: z.optional(z.string().check(z.maxLength(200))),
    },
    status: 200,
    response: S.ContactPage,
    run: async ({ services, gate, query }) =>
      pageJson(
        await services.contacts.list(gate.access, {
          first: query.limit,
          after: query.cursor,
          search: query.search,
          tag: query.tag,
          withTotal: false,
        }),
        contactJson,
      ),
  }),
  operation({
    method: "GET",
    path: "/contacts/:id",
    operationId: "getContact",
    tag: "Contacts",
    summary: "Get a contact",
    scopes: ["contact.read"],
    requires: [{ action: "read", subject: "Contact" }],
    status: 200,
    response: S.Contact,
    run: async ({ services, gate, id }) => contactJson(await services.contactTimeline.get(gate.access, id)),
  }),
  operation({
    method: "PUT",
    path: "/contacts/:id",
    operationId: "updateContact",
    tag: "Contacts",
    summary: "Replace a contact's details",
    description: "Replaces name, e-mail, phone and tags (GraphQL's updateContact).",
    scopes: ["contact.manage"],
    requires: [{ action: "update", subject: "Contact" }],
    body: S.ContactInput,
    input: GraphqlContactInput,
    status: 200,
    response: S.Contact,
    conflicts: true,
    run: async ({ services, gate, id, body }) =>
      contactJson(await services.contacts.update(gate.access, id, body, gate.actor)),
  }),
  operation({
    method: "GET",
    path: "/conversations",
    operationId: "listConversations",
    tag: "Conversations",
    summary: "List conversations",
    description: "Newest first.",
    scopes: ["conversation.read"],
    requires: [{ action: "read", subject: "Conversation" }],
    query: S.pageQuery,
    status: 200,
    response: S.ConversationPage,
    run: async ({ services, gate, query }) =>
      pageJson(
        await services.conversations.list(gate.access, { first: query.limit, after: query.cursor }),
        conversationJson,
      ),
  }),
  operation({
    method: "GET",
    path: "/conversations/:id",
    operationId: "getConversation",
    tag: "Conversations",
    summary: "Get a conversation with its messages",
    description: "The conversation and the first `limit` messages of its transcript, oldest first.",
    scopes: ["conversation.read"],
    requires: [
      { action: "read", subject: "Conversation" },
      { action: "read", subject: "Message" },
    ],
    query: { limit: S.pageQuery.limit },
    status: 200,
    response: S.ConversationWithMessages,
    run: async ({ services, gate, id, query }) => {
      const conversation = await services.conversations.get(gate.access, id);
      const messages = await services.conversations.messages(gate.access, id, { first: query.limit });
      return { ...conversationJson(conversation), messages: pageJson(messages, messageJson) };
    },
  }),
  operation({
    method: "GET",
    path: "/conversations/:id/messages",
    operationId: "listMessages",
    tag: "Conversations",
    summary: "List a conversation's messages",
    description: "Oldest first; `cursor` pages forward in time.",
    scopes: ["conversation.read"],
    requires: [{ action: "read", subject: "Message" }],
    query: S.pageQuery,
    status: 200,
    response: S.MessagePage,
    run: async ({ services, gate, id, query }) =>
      pageJson(
        await services.conversations.messages(gate.access, id, { first: query.limit, after: query.cursor }),
        messageJson,
      ),
  }),
  operation({
    method: "POST",
    path: "/conversations/:id/messages",
    operationId: "sendMessage",
    tag: "Conversations",
    summary: "Send a message (human takeover)",
    description:
      "A manual reply, as GraphQL's sendManualReply: only in a conversation in HUMAN mode (403 otherwise). It is queued for the channel (SUPPRESSED while the agent is paused).",
    scopes: ["message.send"],
    requires: [{ action: "send", subject: "Conversation" }],
    body: S.MessageInput,
    input: ManualReplyInput,
    status: 201,
    response: S.Message,
    run: async ({ services, gate, id, body }) =>
      messageJson(await services.conversations.sendManualReply(gate.access, id, body.body, gate.actor)),
  }),
  operation({
    method: "GET",
    path: "/webhook-endpoints",
    operationId: "listWebhookEndpoints",
    tag: "Webhooks",
    summary: "List webhook endpoints",
    scopes: ["webhook.read"],
    requires: [{ action: "read", subject: "Webhook" }],
    status: 200,
    response: S.WebhookEndpointList,
    run: async ({ services, gate }) => ({ data: (await services.webhooks.list(gate.access)).map(endpointJson) }),
  }),
  operation({
    method: "POST",
    path: "/webhook-endpoints",
    operationId: "createWebhookEndpoint",
    tag: "Webhooks",
    summary: "Create a webhook endpoint",
    description: "The signing secret (whsec_…) is in this answer only.",
    scopes: ["webhook.manage"],
    requires: [{ action: "create", subject: "Webhook" }],
    body: S.WebhookEndpointInput,
    input: CreateWebhookEndpointInput,
    status: 201,
    response: S.CreatedWebhookEndpoint,
    conflicts: true,
    run: async ({ services, gate, body }) => {
      const created = await services.webhooks.create(gate.access, body, gate.actor);
      return { endpoint: endpointJson(created.endpoint), secret: created.secret };
    },
  }),
  operation({
    method: "DELETE",
    path: "/webhook-endpoints/:id",
    operationId: "deleteWebhookEndpoint",
    tag: "Webhooks",
    summary: "Delete a webhook endpoint",
    description: "Deletes the endpoint and its delivery log.",
    scopes: ["webhook.manage"],
    requires: [{ action: "delete", subject: "Webhook" }],
    status: 204,
    run: async ({ services, gate, id }) => {
      await services.webhooks.remove(gate.access, id, gate.actor);
    },
  }),
];

// ---- Registration ---------------------------------------------------------------------------------

/** GraphQL's argument names in a service's refusal, as this API names them (`first` → `limit`, `after` → `cursor`). */
const REST_FIELD_NAMES: Record<string, string> = { first: "limit", after: "cursor" };

/** zod's problems as BAD_USER_INPUT: the first problem of each field, by its path (`tags.3`). */
function refusal(error: z.core.$ZodError, where: "query" | "body"): AppError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    // An unknown body field is named as the field itself (zod reports it on the object).
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [issue.path.join(".") || where];
    for (const key of keys) fields[key] ??= issue.code === "unrecognized_keys" ? "Unknown field." : issue.message;
  }
  const [first] = Object.entries(fields);
  return badInput(first ? `${first[0]}: ${first[1]}` : "Some fields need attention.", fields);
}

/** The GraphQL input's own checks (class-validator), as type-graphql runs them on the same input. */
async function graphqlInputChecks<I extends object>(Input: new () => I, body: unknown): Promise<I> {
  const input = Object.assign(new Input(), body);
  const fields: Record<string, string> = {};
  for (const e of await validate(input)) fields[e.property] ??= Object.values(e.constraints ?? {})[0] ?? "Invalid.";
  const [first] = Object.entries(fields);
  if (first) throw badInput(`${first[0]}: ${first[1]}`, fields);
  return input;
}

/** A refusal the service words with GraphQL's argument names, in this API's. */
function inRestTerms(err: unknown): unknown {
  if (!(err instanceof AppError) || err.code !== ErrorCode.BAD_USER_INPUT) return err;
  const fields = err.extensions.fields;
  if (!fields || !Object.keys(fields).some((k) => k in REST_FIELD_NAMES)) return err;
  const renamed = Object.fromEntries(Object.entries(fields).map(([k, v]) => [REST_FIELD_NAMES[k] ?? k, v]));
  return new AppError(err.code, err.message.replace(/^first\b/, "limit").replace(/^after\b/, "cursor"), {
    ...err.extensions,
    fields: renamed,
  });
}

export function registerApiV1(app: FastifyInstance, services: Services): void {
  for (const op of API_V1_OPERATIONS) {
    const url = `${API_V1_PREFIX}${op.path}`;
    const label = `${op.method} ${url}`;
    const required = op.requires.map((r) => `${r.action}:${r.subject}`).join(",");
    const query = z.object(op.query ?? {});
    app.route<{ Params: { id?: string } }>({
      method: op.method,
      url,
      config: {
        input: {
          params: op.path.includes(":id") ? ["id"] : [],
          query: Object.keys(op.query ?? {}),
          body: op.body ? Object.keys((op.body as z.ZodMiniObject).shape) : [],
        },
      },
      handler: async (req: FastifyRequest<{ Params: { id?: string } }>, reply: FastifyReply) => {
        const gate = await restApiKeyAccess(req, services, op.requires, label);
        const parsedQuery = query.safeParse(req.query ?? {});
        if (!parsedQuery.success) throw refusal(parsedQuery.error, "query");
        let body: unknown;
        if (op.body) {
          const parsed = op.body.safeParse(req.body ?? {});
          if (!parsed.success) throw refusal(parsed.error, "body");
          body = op.input ? await graphqlInputChecks(op.input, parsed.data) : parsed.data;
        }
        const result = await recordingDenials(services, gate, label, required, () =>
          op.run({ services, gate, id: req.params.id ?? "", query: parsedQuery.data, body }),
        ).catch((err: unknown) => {
          throw inRestTerms(err);
        });
        void reply.header("cache-control", "no-store");
        if (op.status === 204) return reply.code(204).send();
        return reply.code(op.status).send(result);
      },
    });
  }
}
