// The public REST API's shapes (decision 0046), in zod: what /api/v1 validates requests with and
// what its OpenAPI document (openapi.ts) is generated from — one definition for both, so the
// document cannot describe a rule the API does not apply. Request fields are built from
// @atrium/validation's schemas and caps, the ones GraphQL's inputs check (`@Conforms`, the same
// constants and messages); the route then runs those GraphQL inputs' own checks too
// (api-v1.routes.ts), so no rule exists twice with a chance to differ.
//
// Each schema the document names is registered in `apiSchemas` with its component name.
import * as z from "zod/mini";

import {
  contactName,
  EMAIL_MAX,
  EMAIL_MESSAGES,
  leadMessage,
  leadName,
  MAX_TAGS,
  PHONE_INPUT_MAX,
  PHONE_MESSAGES,
  replyBody,
  TAG_MAX,
  TAG_MESSAGES,
  WEBHOOK_EVENTS_MESSAGES,
  webhookUrlLength,
} from "@atrium/validation";

import { MAX_PAGE } from "../../platform/graphql/cursor.ts";
import {
  ConversationChannel,
  ConversationMode,
  ConversationStatus,
  MessageDirection,
  MessageStatus,
} from "../conversations/conversations.types.ts";
import { LeadSource, LeadStatus } from "../leads/leads.types.ts";
import { WEBHOOK_EVENT_TYPES } from "../webhooks/webhooks.types.ts";

/** The document's components: each registered schema with its name (and description). */
export const apiSchemas = z.registry<{ id: string; description?: string }>();
const named = <T extends z.ZodMiniType>(schema: T, id: string, description?: string): T => {
  apiSchemas.add(schema, { id, ...(description ? { description } : {}) });
  return schema;
};

const dateTime = z.iso.datetime();
const nullableText = z.nullable(z.string());
const email = z.optional(z.nullable(z.string().check(z.maxLength(EMAIL_MAX, EMAIL_MESSAGES.tooLong))));
const phone = z.optional(z.nullable(z.string().check(z.maxLength(PHONE_INPUT_MAX, PHONE_MESSAGES.tooLong))));

// ---- Requests -------------------------------------------------------------------------------

/** `?limit=&cursor=`: GraphQL's `first` / `after`, with its bounds. */
export const pageQuery = {
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MAX_PAGE))),
  cursor: z.optional(z.string().check(z.maxLength(512))),
};

export const LeadInput = named(
  z.strictObject({ name: leadName, email, phone, message: z.optional(z.nullable(leadMessage)) }),
  "LeadInput",
  "A lead, as the public form and GraphQL's submitLead take it. E-mail and phone are normalised; the contact is found by e-mail, then phone, or created.",
);

export const LeadStatusInput = named(
  z.strictObject({ status: z.enum(LeadStatus) }),
  "LeadStatusInput",
  "A lead's new status.",
);

export const ContactInput = named(
  z.strictObject({
    name: contactName,
    email,
    phone,
    tags: z.optional(
      z.nullable(
        z
          .array(z.string().check(z.maxLength(TAG_MAX, TAG_MESSAGES.tooLong)))
          .check(z.maxLength(MAX_TAGS, TAG_MESSAGES.tooMany)),
      ),
    ),
  }),
  "ContactInput",
  "A contact's name, e-mail, phone and tags (an update replaces all four). A duplicate e-mail or phone answers 409 CONFLICT naming the field.",
);

export const MessageInput = named(
  z.strictObject({ body: replyBody }),
  "MessageInput",
  "A manual reply: allowed on a conversation in HUMAN mode only.",
);

export const WebhookEndpointInput = named(
  z.strictObject({
    url: webhookUrlLength,
    events: z
      .array(z.enum(WEBHOOK_EVENT_TYPES))
      .check(z.minLength(1, WEBHOOK_EVENTS_MESSAGES.none), z.maxLength(WEBHOOK_EVENT_TYPES.length)),
  }),
  "WebhookEndpointInput",
  "An outbound webhook endpoint (Standard Webhooks v1): its URL and the events it hears about.",
);

// ---- Responses ------------------------------------------------------------------------------

export const Contact = named(
  z.object({
    id: z.string(),
    name: z.string(),
    email: nullableText,
    phone: nullableText,
    tags: z.array(z.string()),
    createdAt: dateTime,
  }),
  "Contact",
);

export const Lead = named(
  z.object({
    id: z.string(),
    name: z.string(),
    email: nullableText,
    phone: nullableText,
    message: nullableText,
    source: z.enum(LeadSource),
    status: z.enum(LeadStatus),
    contact: z.nullable(Contact),
    qualificationAnswers: z.array(z.object({ question: z.string(), answer: z.string() })),
    createdAt: dateTime,
  }),
  "Lead",
  "A lead. `contact` is null when the key may not read contacts (contact.read).",
);

export const Message = named(
  z.object({
    id: z.string(),
    direction: z.enum(MessageDirection),
    sender: z.string(),
    body: z.string(),
    status: z.enum(MessageStatus),
    errorCode: nullableText,
    errorMessage: nullableText,
    createdAt: dateTime,
  }),
  "Message",
);

export const Conversation = named(
  z.object({
    id: z.string(),
    contact: z.nullable(Contact),
    leadId: nullableText,
    mode: z.enum(ConversationMode),
    status: z.enum(ConversationStatus),
    channel: z.enum(ConversationChannel),
    lastActivityAt: dateTime,
    createdAt: dateTime,
  }),
  "Conversation",
);

export const WebhookEndpoint = named(
  z.object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    enabled: z.boolean(),
    disabledReason: nullableText,
    consecutiveFailures: z.int(),
    createdAt: dateTime,
  }),
  "WebhookEndpoint",
);

export const CreatedWebhookEndpoint = named(
  z.object({ endpoint: WebhookEndpoint, secret: z.string() }),
  "CreatedWebhookEndpoint",
  "The endpoint and its signing secret (whsec_…), which is shown this once.",
);

export const PageInfo = named(
  z.object({ hasNextPage: z.boolean(), nextCursor: nullableText }),
  "PageInfo",
  "`nextCursor` is the `cursor` for the next page (null on the last one). A cursor belongs to its list; a forged or foreign one answers 400.",
);

/** One page of a list: `data` and where the next one starts. */
const page = <T extends z.ZodMiniType>(item: T, id: string) =>
  named(z.object({ data: z.array(item), pageInfo: PageInfo }), id);
export const LeadPage = page(Lead, "LeadPage");
export const ContactPage = page(Contact, "ContactPage");
export const ConversationPage = page(Conversation, "ConversationPage");
export const MessagePage = page(Message, "MessagePage");

export const ConversationWithMessages = named(
  z.object({ ...Conversation.shape, messages: MessagePage }),
  "ConversationWithMessages",
  "The conversation with the first page of its transcript, oldest first (page on with GET /conversations/{id}/messages).",
);

export const WebhookEndpointList = named(z.object({ data: z.array(WebhookEndpoint) }), "WebhookEndpointList");

export const Problem = named(
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    code: z.string(),
    requestId: z.string(),
    reason: z.optional(z.string()),
    fields: z.optional(z.record(z.string(), z.string())),
    retryAfterSeconds: z.optional(z.int()),
  }),
  "Problem",
  "RFC 9457 problem details. `code` is the code GraphQL answers in `extensions.code` (BAD_USER_INPUT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, RATE_LIMITED, …), `type` is `urn:atrium:problem:<code>`; `fields` names the fields at fault (400), `reason` refines the code where GraphQL does.",
);
