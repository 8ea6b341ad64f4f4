// Subscriptions (issue 46, decision 0031), over graphql-ws at /graphql. Each field declares what
// it needs like a query (`@LiveCan`: the same permission snapshot), and its source checks it when
// the subscription starts and again whenever power moves in the workspace (platform/live/live.ts).
import { Arg, Extensions, ID, Resolver, Root, Subscription, type SubscribeResolverData } from "type-graphql";

import type { Action, Subject } from "@atrium/policies";

import { UUID_RE } from "../../platform/authz/access.ts";
import { AppError, ErrorCode, notFound } from "../../platform/errors.ts";
import type { RequestContext } from "../../platform/graphql/context.ts";
import { liveSource, type LiveSourceSpec } from "../../platform/live/live.ts";
import { BookingView } from "../bookings/bookings.types.ts";
import { CampaignView } from "../campaigns/campaigns.types.ts";
import { NotificationView, ReviewItemView } from "../operators/operators.types.ts";
import { toView as toDataSubjectRequestView } from "../privacy/privacy.resolver.ts";
import { DataSubjectRequestView } from "../privacy/privacy.types.ts";
import { WebhookDeliveryView } from "../webhooks/webhooks.types.ts";
import {
  AuditStreamEvent,
  AuditStreamEventType,
  ConversationEvent,
  ConversationEventType,
  LeadEvent,
  LeadEventType,
} from "./live.types.ts";

/** The permission a subscription needs, written into its extensions like `@Can` (the snapshot test reads it). */
const LiveCan = (action: Action, subject: Exclude<Subject, "all">): MethodDecorator =>
  Extensions({ auth: `${action}:${subject}`, workspaceArg: "workspaceId", workspaceBy: "id", transport: "websocket" });

type Args = Record<string, unknown>;

/** The connection's caller and hub: present only for an operation that came over WebSocket. */
function base(context: RequestContext): Pick<LiveSourceSpec<unknown>, "hub" | "caller" | "access"> {
  if (!context.live || !context.access) {
    throw new AppError(
      ErrorCode.BAD_USER_INPUT,
      "Subscriptions run over WebSocket at /graphql (the graphql-ws protocol).",
      { reason: "SUBSCRIPTION_OVER_HTTP" },
    );
  }
  return { hub: context.services.live, caller: context.live, access: context.access };
}

const optionalId = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** Typed by hand: type-graphql's subscribe option is untyped. */
type Subscribe = (
  data: SubscribeResolverData<unknown, Record<string, unknown>, RequestContext>,
) => Promise<AsyncIterable<unknown>>;

const event = (
  type: ConversationEventType,
  conversationId: string,
  set: Partial<Pick<ConversationEvent, "message" | "conversation" | "guidance" | "callAction">>,
): ConversationEvent => ({
  type,
  kind: type,
  conversationId,
  message: set.message ?? null,
  conversation: set.conversation ?? null,
  guidance: set.guidance ?? null,
  callAction: set.callAction ?? null,
});

const conversationEvents: Subscribe = ({ args, context }) => {
  const a = args as Args;
  const conversationId = optionalId(a.conversationId);
  const { conversations } = context.services;
  return liveSource<ConversationEvent>({
    name: "conversationEvents",
    ...base(context),
    workspaceId: a.workspaceId,
    action: "read",
    subject: "Conversation",
    kinds: ["message", "conversation", "guidance", "callAction"],
    matches: (e) => !conversationId || (e.kind === "conversation" ? e.id : e.parentId) === conversationId,
    // Another workspace's conversation, or one this caller may not read: NOT_FOUND, as the query answers.
    check: conversationId
      ? async (access) => {
          await conversations.get(access, conversationId);
        }
      : undefined,
    load: async (access, e) => {
      if (e.kind === "message") {
        if (!e.parentId) return null;
        const message = await conversations.message(access, e.parentId, e.id);
        return message
          ? event(
              e.op === "insert" ? ConversationEventType.MESSAGE_ADDED : ConversationEventType.MESSAGE_UPDATED,
              e.parentId,
              { message },
            )
          : null;
      }
      if (e.kind === "guidance") {
        if (!e.parentId) return null;
        const guidance = (await conversations.guidanceNotes(access, e.parentId)).find((g) => g.id === e.id);
        return guidance ? event(ConversationEventType.GUIDANCE_ADDED, e.parentId, { guidance }) : null;
      }
      if (e.kind === "callAction") {
        if (!e.parentId) return null;
        const callAction = (await conversations.callActions(access, e.parentId)).find((a) => a.id === e.id);
        return callAction ? event(ConversationEventType.CALL_ACTION_UPDATED, e.parentId, { callAction }) : null;
      }
      const conversation = await conversations.get(access, e.id);
      return event(ConversationEventType.CONVERSATION_UPDATED, e.id, { conversation });
    },
  });
};

const leadEvents: Subscribe = ({ args, context }) =>
  liveSource<LeadEvent>({
    name: "leadEvents",
    ...base(context),
    workspaceId: (args as Args).workspaceId,
    action: "read",
    subject: "Lead",
    kinds: ["lead"],
    load: async (access, e) => {
      // A deleted row cannot be loaded: its id alone, to a caller who may read leads.
      if (e.op === "delete") return { type: LeadEventType.DELETED, leadId: e.id, lead: null };
      const lead = await context.services.leads.get(access, e.id);
      return { type: e.op === "insert" ? LeadEventType.CREATED : LeadEventType.UPDATED, leadId: e.id, lead };
    },
  });

const campaignProgress: Subscribe = ({ args, context }) => {
  const a = args as Args;
  const id = optionalId(a.id) ?? "";
  const { campaigns } = context.services;
  return liveSource<CampaignView>({
    name: `campaignProgress:${id}`,
    ...base(context),
    workspaceId: a.workspaceId,
    action: "read",
    subject: "Campaign",
    kinds: ["campaign"],
    matches: (e) => e.id === id,
    check: async (access) => {
      await campaigns.get(access, id);
    },
    load: (access) => campaigns.get(access, id),
  });
};

const webhookDeliveryEvents: Subscribe = ({ args, context }) => {
  const a = args as Args;
  const endpointId = optionalId(a.endpointId) ?? "";
  const { webhooks } = context.services;
  return liveSource<WebhookDeliveryView>({
    name: `webhookDeliveryEvents:${endpointId}`,
    ...base(context),
    workspaceId: a.workspaceId,
    action: "read",
    subject: "Webhook",
    kinds: ["delivery"],
    matches: (e) => e.parentId === endpointId,
    check: async (access) => {
      if (!UUID_RE.test(endpointId)) throw notFound("Webhook endpoint");
      // The endpoint must be one this caller may read (NOT_FOUND otherwise); no delivery has the nil id.
      await webhooks.delivery(access, endpointId, "00000000-0000-0000-0000-000000000000");
    },
    load: (access, e) => webhooks.delivery(access, endpointId, e.id),
  });
};

const bookingEvents: Subscribe = ({ args, context }) =>
  liveSource<BookingView>({
    name: "bookingEvents",
    ...base(context),
    workspaceId: (args as Args).workspaceId,
    action: "read",
    subject: "Lead",
    kinds: ["booking"],
    load: (access, e) => context.services.bookings.one(access, e.id),
  });

const reviewQueueEvents: Subscribe = ({ args, context }) => {
  const { operators, conversations } = context.services;
  return liveSource<ReviewItemView>({
    name: "reviewQueueEvents",
    ...base(context),
    workspaceId: (args as Args).workspaceId,
    action: "read",
    subject: "ReviewItem",
    kinds: ["review"],
    load: (access, e) => operators.reviewForLive(access, e.id, (tx, id) => conversations.viewIn(tx, access, id)),
  });
};

const notificationEvents: Subscribe = ({ args, context }) =>
  liveSource<NotificationView>({
    name: "notificationEvents",
    ...base(context),
    workspaceId: (args as Args).workspaceId,
    action: "read",
    subject: "Workspace",
    kinds: ["notification"],
    // Signed-in members only (an API key has no notifications of its own).
    check: () =>
      context.apiKey
        ? Promise.reject(
            new AppError(
              ErrorCode.FORBIDDEN,
              "Notifications are a signed-in member's own: API keys cannot follow them.",
              { reason: "SIGNED_IN_ONLY" },
            ),
          )
        : Promise.resolve(),
    // Only the caller's own (p: the recipient's membership).
    load: async (access, e) =>
      e.parentId === access.membershipId ? context.services.operators.notificationForLive(access, e.id) : null,
  });

const dataSubjectRequestEvents: Subscribe = ({ args, context }) => {
  const { privacy } = context.services;
  return liveSource<DataSubjectRequestView>({
    name: "dataSubjectRequestEvents",
    ...base(context),
    workspaceId: (args as Args).workspaceId,
    action: "read",
    subject: "DataSubjectRequest",
    kinds: ["dataSubjectRequest"],
    load: async (access, e) => toDataSubjectRequestView(await privacy.get(access, e.id), privacy),
  });
};

const auditStreamEvents: Subscribe = ({ args, context }) =>
  liveSource<AuditStreamEvent>({
    name: "auditStreamEvents",
    ...base(context),
    workspaceId: (args as Args).workspaceId,
    action: "read",
    subject: "AuditEvent",
    kinds: ["auditStream"],
    load: async (access, e) => {
      // One stream per workspace: what the query shows now (a removal, or one set up again since, included).
      const stream = await context.services.auditStream.get(access);
      if (!stream) return { type: AuditStreamEventType.REMOVED, streamId: e.id, stream: null };
      return { type: AuditStreamEventType.UPDATED, streamId: stream.id, stream };
    },
  });

@Resolver()
export class LiveResolver {
  @Subscription(() => ReviewItemView, {
    description: "Review items filed, claimed, released and resolved in the workspace. Over WebSocket only.",
    subscribe: reviewQueueEvents,
  })
  @LiveCan("read", "ReviewItem")
  reviewQueueEvents(
    @Root() item: ReviewItemView,
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    _workspaceId: string,
  ): ReviewItemView {
    return item;
  }

  @Subscription(() => NotificationView, {
    description: "The caller's own notifications as they arrive or are read. Over WebSocket only.",
    subscribe: notificationEvents,
  })
  @LiveCan("read", "Workspace")
  notificationEvents(
    @Root() n: NotificationView,
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    _workspaceId: string,
  ): NotificationView {
    return n;
  }

  @Subscription(() => ConversationEvent, {
    description:
      "Messages added and their status changes (queued, sent, delivered, read, failed, suppressed, held, blocked), conversation changes (mode, assignee, status), guidance notes and Live Call Control requests, for one conversation or the whole workspace. Over WebSocket only.",
    subscribe: conversationEvents,
  })
  @LiveCan("read", "Conversation")
  conversationEvents(
    @Root() event: ConversationEvent,
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    _workspaceId: string,
    @Arg("conversationId", () => ID, {
      nullable: true,
      description: "One conversation; omitted: every conversation of the workspace.",
    })
    _conversationId: string | null,
  ): ConversationEvent {
    return event;
  }

  @Subscription(() => LeadEvent, {
    description: "Leads created, updated and deleted in the workspace. Over WebSocket only.",
    subscribe: leadEvents,
  })
  @LiveCan("read", "Lead")
  leadEvents(
    @Root() event: LeadEvent,
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    _workspaceId: string,
  ): LeadEvent {
    return event;
  }

  @Subscription(() => CampaignView, {
    description: "The campaign, each time its progress or status moves. Over WebSocket only.",
    subscribe: campaignProgress,
  })
  @LiveCan("read", "Campaign")
  campaignProgress(
    @Root() campaign: CampaignView,
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    _workspaceId: string,
    @Arg("id", () => ID, { description: "The campaign's ID." }) _id: string,
  ): CampaignView {
    return campaign;
  }

  @Subscription(() => WebhookDeliveryView, {
    description: "An endpoint's deliveries, each time one is created or attempted. Over WebSocket only.",
    subscribe: webhookDeliveryEvents,
  })
  @LiveCan("read", "Webhook")
  webhookDeliveryEvents(
    @Root() delivery: WebhookDeliveryView,
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    _workspaceId: string,
    @Arg("endpointId", () => ID, { description: "The endpoint's ID." }) _endpointId: string,
  ): WebhookDeliveryView {
    return delivery;
  }

  @Subscription(() => BookingView, {
    description: "Bookings created, cancelled or rescheduled in the workspace. Over WebSocket only.",
    subscribe: bookingEvents,
  })
  @LiveCan("read", "Lead")
  bookingEvents(
    @Root() booking: BookingView,
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    _workspaceId: string,
  ): BookingView {
    return booking;
  }

  @Subscription(() => DataSubjectRequestView, {
    description:
      "Data-subject requests as they are made and each time their job moves (state, progress, counts, download link). Over WebSocket only.",
    subscribe: dataSubjectRequestEvents,
  })
  @LiveCan("read", "DataSubjectRequest")
  dataSubjectRequestEvents(
    @Root() request: DataSubjectRequestView,
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    _workspaceId: string,
  ): DataSubjectRequestView {
    return request;
  }

  @Subscription(() => AuditStreamEvent, {
    description:
      "The workspace's audit stream each time it is set up, changed or removed, or a batch starts, is delivered or fails. Over WebSocket only.",
    subscribe: auditStreamEvents,
  })
  @LiveCan("read", "AuditEvent")
  auditStreamEvents(
    @Root() event: AuditStreamEvent,
    @Arg("workspaceId", () => ID, {
      description:
        "The workspace's ID (UUID). A workspace the caller is not a member of, or another workspace's API key, answers NOT_FOUND.",
    })
    _workspaceId: string,
  ): AuditStreamEvent {
    return event;
  }
}
