// The channel loop (I3, I4, W4): inbound WhatsApp messages, outbound messages and calls, and the
// agent's replies. Every send is a pg-boss job enqueued in the same transaction as the row that
// asks for it (outbox), keyed by that row's id (never twice), retried with backoff on provider
// 5xx/timeouts, its outcome written back to the row. The kill switch is checked when the row is
// written and again when the job runs; human takeover silences the agent.

import type { Db, TenantTx } from "@atrium/db";
import { insideWhatsAppWindow, WHATSAPP_MESSAGES } from "@atrium/validation";

import type { AppConfig } from "../../env.ts";
import { asJob, inTenant, type Caller } from "../../platform/data.ts";
import { AppError, ErrorCode, isUniqueViolation } from "../../platform/errors.ts";
import { QUEUES, type JobHandler, type JobQueue, type QueueName } from "../../platform/jobs/job-queue.ts";
import { countSend } from "../../platform/observability/metrics.ts";
import type { IntegrationsService, ProviderAdapters } from "../integrations/integrations.service.ts";
import { IntegrationProvider } from "../integrations/integrations.types.ts";
import { ProviderError } from "../integrations/providers/provider-error.ts";
import { twilioSdk } from "../integrations/providers/twilio.ts";
import type { OperatorsService } from "../operators/operators.service.ts";
import { phoneConfigsRepository } from "../phone-configs/phone-configs.repository.ts";
import { heldReason, type SendMetric } from "../usage/usage.service.ts";
import type { EmitWebhookEvent } from "../webhooks/webhooks.service.ts";
import { openingMessage, systemPrompt, vapiAssistantOverrides } from "./agent-prompt.ts";
import { leadContactedByMessage, leadReplied } from "./lead-progress.ts";
import { messagingRepository as repo, type MessageRow, type Status } from "./messaging.repository.ts";
import { NOT_SENT, TEMPLATE_REQUIRED, TWILIO_ERRORS, WAITING_CAMPAIGN_PAUSED } from "./not-sent.ts";
import { whatsappRepository } from "./whatsapp.repository.ts";

/** How many of the latest guidance notes the agent is given (issue 47). */
const AGENT_GUIDANCE_NOTES = 10;

/** Inbound keywords that opt a contact out of campaigns (Twilio's standard set), and back in. */
const OPT_OUT = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]);
const OPT_IN = new Set(["START", "UNSTOP", "YES"]);

/** How many earlier messages the agent sees. */
const AGENT_CONTEXT_MESSAGES = 30;
const PAUSED = NOT_SENT.agentPaused;
/** Beyond the provider timeout, how long an attempt with no recorded outcome may still be running. */
const IN_FLIGHT_MARGIN_MS = 5_000;

export interface InboundWhatsApp {
  messageSid: string;
  from: string;
  body: string;
  profileName: string | null;
}

interface SendJob {
  workspaceId: string;
  messageId: string;
}
interface AgentJob {
  workspaceId: string;
  inboundMessageId: string;
}
interface CallJob {
  workspaceId: string;
  callId: string;
}

/** Twilio's MessageStatus → ours, and the statuses each may replace (a status never goes back). */
const DELIVERY: Record<string, { to: Status; from: Status[] }> = {
  sent: { to: "SENT", from: ["QUEUED"] },
  delivered: { to: "DELIVERED", from: ["QUEUED", "SENT"] },
  read: { to: "READ", from: ["QUEUED", "SENT", "DELIVERED"] },
  failed: { to: "FAILED", from: ["QUEUED", "SENT"] },
  undelivered: { to: "FAILED", from: ["QUEUED", "SENT", "DELIVERED"] },
};

/**
 * Whether the business starts this message (WhatsApp's "business-initiated"): a campaign's, a
 * template's, or the agent's opening (an agent message that answers no inbound message).
 */
function businessInitiated(m: {
  sender: string;
  inReplyToId?: string | null;
  contentSid?: string | null;
  template?: unknown;
}): boolean {
  return (
    m.sender === "SYSTEM" || Boolean(m.contentSid) || Boolean(m.template) || (m.sender === "AGENT" && !m.inReplyToId)
  );
}

/** A failed status callback in words, with Twilio's code (63016: outside the window). */
function twilioFailure(status: string, code: string | null): string {
  const why = code ? TWILIO_ERRORS[code] : undefined;
  return `Twilio reported the message ${status}${code ? ` (error ${code})` : ""}${why ? `: ${why}` : ""}.`;
}

export function createMessagingService(deps: {
  db: Db;
  config: AppConfig;
  jobs: JobQueue;
  integrations: IntegrationsService;
  providers: ProviderAdapters;
  emit?: EmitWebhookEvent;
  /** Plans and usage: counts each send once, in the transaction that claims it; null = within quota. */
  quota?: { meterSend(tx: TenantTx, workspaceId: string, metric: SendMetric): Promise<number | null> };
  /** Issue 47: safety rules, the review queue, round-robin assignment. */
  operators?: Pick<OperatorsService, "evaluate" | "act" | "fileReview" | "autoAssign">;
}) {
  const { db, config, jobs, integrations, providers, emit, quota, operators } = deps;

  /** A send that failed for good goes to the review queue (not campaign sends: the campaign's report has those). */
  async function reviewFailedSend(tx: TenantTx, workspaceId: string, messageId: string): Promise<void> {
    if (!operators) return;
    const m = await repo.message(tx, workspaceId, messageId);
    if (!m || m.sender === "SYSTEM") return;
    const who = m.conversation.contact.name || m.conversation.contact.phone || "a contact";
    await operators.fileReview(tx, {
      workspaceId,
      reason: "SEND_FAILED",
      conversationId: m.conversationId,
      messageId,
      summary: `A ${m.sender === "AGENT" ? "reply by the agent" : "message"} to ${who} could not be sent: ${m.errorMessage ?? "the provider refused it"}`,
      excerpt: m.body,
      escalate: true,
    });
  }
  /** The `data` of message.* webhook events. */
  const messageEvent = (
    m: { id: string; conversationId: string; direction: string; sender: string; body: string; createdAt: Date },
    extra: Record<string, unknown> = {},
  ) => ({
    id: m.id,
    conversationId: m.conversationId,
    direction: m.direction,
    sender: m.sender,
    body: m.body,
    createdAt: m.createdAt.toISOString(),
    ...extra,
  });
  const statusCallbackUrl = (workspaceId: string, messageId: string) =>
    `${config.publicUrl}/webhooks/twilio/${workspaceId}/status?message=${messageId}`;

  /**
   * The one door every outbound WhatsApp message goes through. Paused → SUPPRESSED; nothing to
   * send with → FAILED with the reason; otherwise QUEUED and its send job enqueued in `tx`.
   */
  async function queueOutbound(
    tx: TenantTx,
    input: {
      workspaceId: string;
      conversationId: string;
      body: string;
      sender: "AGENT" | "MEMBER" | "SYSTEM";
      senderMembershipId?: string | null;
      inReplyToId?: string | null;
      /** Issue 56: an approved WhatsApp template (its Content SID and this recipient's variables); `body` is its rendered text. */
      template?: { contentSid: string; variables: Record<string, string> } | null;
      /**
       * A person sends it now (a manual reply, a template from the console): what WhatsApp's
       * rules would stop is refused with a typed error before anything is written, instead of
       * being stored FAILED or SUPPRESSED — a contact who replied STOP and has not written since
       * (CONTACT_OPTED_OUT), free text outside the 24-hour window (WHATSAPP_WINDOW_CLOSED).
       */
      refuse?: boolean;
    },
  ): Promise<{ message: MessageRow; queued: boolean }> {
    const ws = await repo.workspace(tx, input.workspaceId);
    const conv = await repo.conversation(tx, input.workspaceId, input.conversationId);
    if (!ws || !conv) throw new Error("queueOutbound: workspace or conversation not found");
    if (input.refuse && ws.channel === "WHATSAPP") {
      const { optedOutAt, lastInboundAt } = conv.contact;
      if (optedOutAt && (input.template || !lastInboundAt || lastInboundAt <= optedOutAt))
        throw new AppError(ErrorCode.BAD_USER_INPUT, WHATSAPP_MESSAGES.optedOut, { reason: "CONTACT_OPTED_OUT" });
      if (!input.template && !insideWhatsAppWindow(lastInboundAt))
        throw new AppError(ErrorCode.BAD_USER_INPUT, WHATSAPP_MESSAGES.windowClosed, {
          reason: "WHATSAPP_WINDOW_CLOSED",
        });
    }
    let status: Status = "QUEUED";
    let errorMessage: string | null = null;
    if (ws.agentPaused) [status, errorMessage] = ["SUPPRESSED", PAUSED];
    else if (ws.channel !== "WHATSAPP")
      [status, errorMessage] = ["FAILED", "Not sent: voice workspaces have no WhatsApp channel."];
    else if (!conv.contact.phone) [status, errorMessage] = ["FAILED", "Not sent: the contact has no phone number."];
    else if (!(await integrations.isConfigured(tx, input.workspaceId, IntegrationProvider.TWILIO)))
      [status, errorMessage] = ["FAILED", "Not sent: Twilio is not configured (Settings → Integrations)."];
    // Issue 56: STOP is honoured by every business-initiated message (opening, campaign,
    // template); WhatsApp's window: free text only within 24 h of the contact's last message.
    else if (conv.contact.optedOutAt && businessInitiated(input))
      [status, errorMessage] = ["SUPPRESSED", NOT_SENT.optedOut];
    else if (!input.template && !insideWhatsAppWindow(conv.contact.lastInboundAt))
      [status, errorMessage] = ["FAILED", NOT_SENT.templateRequired];
    const now = new Date();
    const message = await repo.createMessage(tx, {
      workspaceId: input.workspaceId,
      conversationId: input.conversationId,
      direction: "OUTBOUND",
      sender: input.sender,
      senderMembershipId: input.senderMembershipId ?? null,
      body: input.body,
      status,
      errorMessage,
      inReplyToId: input.inReplyToId ?? null,
      statusUpdatedAt: now,
      errorCode: errorMessage === NOT_SENT.templateRequired ? TEMPLATE_REQUIRED : null,
      contentSid: input.template?.contentSid ?? null,
      contentVariables: input.template?.variables ?? undefined,
    });
    await repo.touchConversation(tx, input.workspaceId, input.conversationId, message.createdAt);
    // A reply or an opening that could not go out is a person's job now (campaigns report their own).
    if (message.errorCode === TEMPLATE_REQUIRED) await reviewFailedSend(tx, input.workspaceId, message.id);
    if (status === "QUEUED")
      await jobs.enqueue(tx, QUEUES.sendMessage, message.id, {
        workspaceId: input.workspaceId,
        messageId: message.id,
      } satisfies SendJob);
    return { message, queued: status === "QUEUED" };
  }

  /** Stores a final failure on the message (the provider's code and words), once. */
  const failMessage = (workspaceId: string, id: string, err: ProviderError | string) =>
    asJob(db, { workspaceId }, async (tx) => {
      const moved = await repo.updateMessage(tx, workspaceId, id, ["QUEUED"], {
        status: "FAILED",
        errorCode: typeof err === "string" ? null : (err.code ?? (err.status ? `HTTP_${err.status}` : "NETWORK")),
        errorMessage: typeof err === "string" ? err : err.describe(),
        statusUpdatedAt: new Date(),
      });
      if (moved) await reviewFailedSend(tx, workspaceId, id);
      return moved;
    }).then((moved) => {
      if (moved) countSend("twilio", "failed");
      return moved;
    });

  /**
   * Looks at Twilio for the message an earlier attempt may have created; the first one with the
   * same sender, recipient and body since the row was created that no other row of ours claims
   * becomes this message's (SENT; its status callbacks follow). True when one was adopted.
   */
  async function adoptLostSend(
    workspaceId: string,
    messageId: string,
    creds: Parameters<typeof providers.twilio.findSent>[0],
    msg: { to: string; body: string; since: Date },
  ): Promise<boolean> {
    const sids = await providers.twilio.findSent(creds, msg);
    if (sids.length === 0) return false;
    return asJob(db, { workspaceId }, async (tx) => {
      for (const sid of sids) {
        const owner = await repo.messageBySid(tx, workspaceId, sid);
        if (owner?.id === messageId) return true; // its status callback got here first
        if (owner) continue; // another message's
        await repo.setProviderMessageId(tx, workspaceId, messageId, sid, { ifUnset: true });
        const moved = await repo.updateMessage(tx, workspaceId, messageId, ["QUEUED"], {
          status: "SENT",
          statusUpdatedAt: new Date(),
        });
        if (moved) await emitSent(tx, workspaceId, messageId, sid);
        return true;
      }
      return false;
    });
  }

  async function emitSent(tx: TenantTx, workspaceId: string, messageId: string, sid: string): Promise<void> {
    if (!emit) return;
    const m = await repo.message(tx, workspaceId, messageId);
    if (m)
      await emit(
        tx,
        workspaceId,
        "message.sent",
        messageEvent(m, {
          contactId: m.conversation.contactId,
          to: m.conversation.contact.phone,
          providerMessageId: sid,
        }),
      );
  }

  /**
   * Whether a decision taken after this message was written stops it now (null: it may go out).
   * Read in the transaction that claims it, after `campaignOfMessage` locked its campaign FOR
   * SHARE and the message row was locked: a cancel, pause, kill switch, opt-out or takeover
   * either committed before (and is seen here) or waits for this claim.
   * - its campaign cancelled → SUPPRESSED, the recipient CANCELLED;
   * - the kill switch (W4) → SUPPRESSED;
   * - the contact opted out (STOP) since the message was written, or at all for a campaign
   *   message → SUPPRESSED;
   * - an agent message in a conversation a person has taken over → SUPPRESSED;
   * - its campaign paused → handed back to the campaign (`wait`): the recipient PENDING again,
   *   the message QUEUED without a job, given a new one when the campaign resumes.
   */
  type Stop =
    | { kind: "suppress"; reason: string; cancelRecipientId?: string }
    | { kind: "wait"; recipientId: string }
    | { kind: "fail"; reason: string; code: string };
  type ClaimedMessage = NonNullable<Awaited<ReturnType<typeof repo.message>>>;
  async function stopOf(
    tx: TenantTx,
    workspaceId: string,
    m: ClaimedMessage,
    campaign: { recipientId: string; status: string } | null,
  ): Promise<Stop | null> {
    if (campaign?.status === "CANCELLED")
      return { kind: "suppress", reason: NOT_SENT.campaignCancelled, cancelRecipientId: campaign.recipientId };
    if (await repo.agentPaused(tx, workspaceId)) return { kind: "suppress", reason: NOT_SENT.agentPaused };
    const optedOutAt = m.conversation.contact.optedOutAt;
    if (optedOutAt && (businessInitiated(m) || m.createdAt <= optedOutAt))
      return { kind: "suppress", reason: NOT_SENT.optedOut };
    if (m.sender === "AGENT" && m.conversation.humanTakeover) return { kind: "suppress", reason: NOT_SENT.takenOver };
    if (campaign?.status === "PAUSED") return { kind: "wait", recipientId: campaign.recipientId };
    // WhatsApp's window may have closed while the message waited (quota, pause, retries).
    if (!m.contentSid && !insideWhatsAppWindow(m.conversation.contact.lastInboundAt))
      return { kind: "fail", reason: NOT_SENT.templateRequired, code: TEMPLATE_REQUIRED };
    return null;
  }

  /** Writes a stop: a final, visible status (or the hand-back to a paused campaign). */
  async function applyStop(tx: TenantTx, workspaceId: string, messageId: string, stop: Stop): Promise<void> {
    if (stop.kind === "wait") {
      if (await repo.updateMessage(tx, workspaceId, messageId, ["QUEUED"], { errorMessage: WAITING_CAMPAIGN_PAUSED }))
        await repo.updateRecipient(tx, workspaceId, stop.recipientId, { status: "PENDING" });
      return;
    }
    if (stop.kind === "fail") {
      if (
        await repo.updateMessage(tx, workspaceId, messageId, ["QUEUED"], {
          status: "FAILED",
          errorCode: stop.code,
          errorMessage: stop.reason,
          statusUpdatedAt: new Date(),
        })
      )
        await reviewFailedSend(tx, workspaceId, messageId);
      return;
    }
    const stopped = await repo.updateMessage(tx, workspaceId, messageId, ["QUEUED"], {
      status: "SUPPRESSED",
      errorMessage: stop.reason,
      statusUpdatedAt: new Date(),
    });
    if (stopped && stop.cancelRecipientId)
      await repo.updateRecipient(tx, workspaceId, stop.cancelRecipientId, {
        status: "CANCELLED",
        skipReason: stop.reason,
      });
  }

  /** The claim's locks, in the order every writer of a stop takes them: the campaign, then the message. */
  async function lockForClaim(tx: TenantTx, workspaceId: string, messageId: string) {
    const campaign = await repo.campaignOfMessage(tx, workspaceId, messageId);
    await repo.lockMessage(tx, workspaceId, messageId);
    const m = await repo.message(tx, workspaceId, messageId);
    if (!m || m.status !== "QUEUED" || m.providerMessageId) return null; // done already (never twice)
    return { m, campaign };
  }

  const runSend: JobHandler<SendJob> = async ({ workspaceId, messageId }, meta) => {
    const ctx = await asJob(db, { workspaceId }, async (tx) => {
      const claim = await lockForClaim(tx, workspaceId, messageId);
      if (!claim) return null;
      const { m } = claim;
      // An earlier attempt that recorded no answer (timeout, lost connection, a killed worker)
      // may have reached Twilio: even a stopped message is looked up there first (below).
      const uncertain = m.attempts > 0 && (m.errorCode === "NETWORK" || m.errorCode === null);
      // Issue 56: the decisions taken since the message was written, checked in this claim.
      const stop = await stopOf(tx, workspaceId, m, claim.campaign);
      if (stop && !uncertain) {
        await applyStop(tx, workspaceId, messageId, stop);
        return null;
      }
      // Never twice: a previous attempt that recorded no outcome may still be running (its job
      // was taken for lost while slow, e.g. on an overloaded machine). Until it cannot be in
      // flight any more (provider timeout + margin), wait: pg-boss retries this job later.
      if (
        m.attempts > 0 &&
        m.errorCode === null &&
        m.lastAttemptAt &&
        Date.now() - m.lastAttemptAt.getTime() < config.providers.timeoutMs + IN_FLIGHT_MARGIN_MS
      ) {
        throw new Error("send: the previous attempt may still be in flight; retrying later");
      }
      const card = await integrations.credentials(tx, workspaceId, IntegrationProvider.TWILIO);
      // R6: the workspace's default Twilio number, when it has one, is the sender.
      const sender = card ? await phoneConfigsRepository.defaultOf(tx, workspaceId, "TWILIO") : null;
      const creds = card && sender ? { ...card, whatsappFrom: sender.number } : card;
      // Plans: a message is counted once, on its first attempt; beyond the quota it is held. Last
      // in the claim: the month's counter row is locked from here to the commit, and every send
      // of the workspace takes it (issue 52: taken first, concurrent sends queued on it).
      if (!stop && m.attempts === 0 && quota) {
        const full = await quota.meterSend(tx, workspaceId, "MESSAGES");
        if (full !== null) {
          await repo.updateMessage(tx, workspaceId, messageId, ["QUEUED"], {
            status: "HELD_QUOTA",
            errorMessage: heldReason("message", full),
            statusUpdatedAt: new Date(),
          });
          return null;
        }
      }
      if (!stop) await repo.countMessageAttempt(tx, workspaceId, messageId);
      return { m, creds, stopped: stop !== null };
    });
    if (!ctx) return;
    if (ctx.stopped) {
      // Stopped, but an earlier attempt may have been accepted: adopt it if Twilio has it (the
      // row then says what happened: SENT), else write the stop. Nothing is sent anew.
      try {
        if (
          ctx.creds &&
          ctx.m.conversation.contact.phone &&
          (await adoptLostSend(workspaceId, messageId, ctx.creds, {
            to: ctx.m.conversation.contact.phone,
            body: ctx.m.body,
            since: ctx.m.createdAt,
          }))
        )
          return;
      } catch (err) {
        // Twilio could not be asked: ask again later; on the last attempt the stop is written.
        if (!(err instanceof ProviderError) || (err.retryable && !meta.lastAttempt)) throw err;
      }
      await asJob(db, { workspaceId }, async (tx) => {
        const claim = await lockForClaim(tx, workspaceId, messageId);
        if (!claim) return;
        const stop = await stopOf(tx, workspaceId, claim.m, claim.campaign);
        // Lifted meanwhile (e.g. the agent resumed): the retry sends it the ordinary way.
        if (!stop) throw new Error("send: the decision that stopped this message was lifted meanwhile; retrying");
        await applyStop(tx, workspaceId, messageId, stop);
      });
      return;
    }
    if (!ctx.creds)
      return void (await failMessage(
        workspaceId,
        messageId,
        "Not sent: Twilio is not configured (Settings → Integrations).",
      ));
    if (!ctx.m.conversation.contact.phone)
      return void (await failMessage(workspaceId, messageId, "Not sent: the contact has no phone number."));
    try {
      // Never twice: an earlier attempt that got no answer at all (timeout, connection lost —
      // recorded as NETWORK) may have been accepted by Twilio. Before sending again, ask Twilio
      // for that message and adopt it if found. (An HTTP error answer means it was not taken.)
      // Also when an earlier attempt left no outcome at all (errorCode null): its process died
      // (kill -9, crash) between claiming the message and recording Twilio's answer.
      if (ctx.m.attempts > 0 && (ctx.m.errorCode === "NETWORK" || ctx.m.errorCode === null)) {
        const adopted = await adoptLostSend(workspaceId, messageId, ctx.creds, {
          to: ctx.m.conversation.contact.phone,
          body: ctx.m.body,
          since: ctx.m.createdAt,
        });
        if (adopted) return;
      }
      const sent = await providers.twilio.sendWhatsApp(ctx.creds, {
        to: ctx.m.conversation.contact.phone,
        body: ctx.m.body,
        statusCallback: statusCallbackUrl(workspaceId, messageId),
        contentSid: ctx.m.contentSid,
        contentVariables: ctx.m.contentVariables as Record<string, string> | null,
      });
      await asJob(db, { workspaceId }, async (tx) => {
        await repo.setProviderMessageId(tx, workspaceId, messageId, sent.sid);
        // A status callback may already have moved it further; only QUEUED becomes SENT.
        const moved = await repo.updateMessage(tx, workspaceId, messageId, ["QUEUED"], {
          status: "SENT",
          statusUpdatedAt: new Date(),
        });
        if (moved) await emitSent(tx, workspaceId, messageId, sent.sid);
      });
      countSend("twilio", "sent");
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      if (err.retryable && !meta.lastAttempt) {
        // Visible while it waits for the next attempt; still QUEUED.
        await asJob(db, { workspaceId }, (tx) =>
          repo.noteMessageRetry(tx, workspaceId, messageId, {
            errorCode: err.code ?? (err.status ? `HTTP_${err.status}` : "NETWORK"),
            errorMessage: `${err.describe()} (will retry)`,
          }),
        );
        countSend("twilio", "retry");
        throw err;
      }
      await failMessage(workspaceId, messageId, err);
    }
  };

  const runAgentReply: JobHandler<AgentJob> = async ({ workspaceId, inboundMessageId }, meta) => {
    const ctx = await asJob(db, { workspaceId }, async (tx) => {
      const inbound = await repo.message(tx, workspaceId, inboundMessageId);
      if (!inbound || (await repo.replyTo(tx, workspaceId, inboundMessageId))) return null;
      if (inbound.conversation.humanTakeover) return null; // a human answers: the agent stays silent
      const ws = await repo.workspace(tx, workspaceId);
      if (!ws) return null;
      if (ws.agentPaused) {
        await queueOutbound(tx, {
          workspaceId,
          conversationId: inbound.conversationId,
          body: "(No automatic reply: the agent is paused.)",
          sender: "AGENT",
          inReplyToId: inboundMessageId,
        });
        return null;
      }
      const openai = await integrations.credentials(tx, workspaceId, IntegrationProvider.OPENAI);
      if (!openai || !(await integrations.isConfigured(tx, workspaceId, IntegrationProvider.TWILIO))) return null; // waits for a human
      const transcript = await repo.transcript(tx, workspaceId, inbound.conversationId, AGENT_CONTEXT_MESSAGES);
      // Issue 56: the lead's form message and recorded answers, in every turn (never asked again).
      const lead = await repo.leadContext(tx, workspaceId, inbound.conversation.leadId);
      // Issue 47: operators' guidance, given to the agent as system messages (never sent to the lead).
      const guidance = await repo.guidance(tx, workspaceId, inbound.conversationId, AGENT_GUIDANCE_NOTES);
      return { inbound, ws, openai, transcript, guidance, lead };
    });
    if (!ctx) return;
    let reply: string;
    try {
      reply = await providers.openai.complete(ctx.openai, [
        { role: "system", content: systemPrompt(ctx.ws, ctx.lead) },
        ...ctx.transcript.map((m) => ({
          role: m.direction === "INBOUND" ? ("user" as const) : ("assistant" as const),
          content: m.body,
        })),
        ...ctx.guidance.map((g) => ({
          role: "system" as const,
          content: `Guidance from your team (private: follow it, never quote it to the lead): ${g.body}`,
        })),
      ]);
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      if (err.retryable && !meta.lastAttempt) throw err;
      await asJob(db, { workspaceId }, async (tx) => {
        if (await repo.replyTo(tx, workspaceId, inboundMessageId)) return;
        await repo.createMessage(tx, {
          workspaceId,
          conversationId: ctx.inbound.conversationId,
          direction: "OUTBOUND",
          sender: "AGENT",
          body: "(The agent could not write a reply.)",
          status: "FAILED",
          errorCode: err.code ?? (err.status ? `HTTP_${err.status}` : "NETWORK"),
          errorMessage: err.describe(),
          inReplyToId: inboundMessageId,
          statusUpdatedAt: new Date(),
        });
      });
      return;
    }
    const queued = await asJob(db, { workspaceId }, async (tx) => {
      // Checked again after the completion: a takeover or a pause meanwhile wins.
      const conv = await repo.conversation(tx, workspaceId, ctx.inbound.conversationId);
      if (!conv || conv.humanTakeover) return false;
      const body = reply.slice(0, 4096);
      // Issue 47: the safety rules on the agent's reply, before anything is sent. A rule that
      // hands over or blocks stops the reply here: it is stored BLOCKED, never reaches Twilio.
      const hit = operators ? await operators.evaluate(tx, workspaceId, "AGENT_REPLY", body) : null;
      if (hit && hit.rule.action !== "FLAG") {
        const blocked = await repo.createMessage(tx, {
          workspaceId,
          conversationId: conv.id,
          direction: "OUTBOUND",
          sender: "AGENT",
          body,
          status: "BLOCKED",
          blockedByRuleId: hit.rule.id,
          errorMessage: `Not sent: blocked by the safety rule "${hit.rule.name}".`,
          inReplyToId: inboundMessageId,
          statusUpdatedAt: new Date(),
        });
        await repo.touchConversation(tx, workspaceId, conv.id, blocked.createdAt);
        await operators!.act(tx, workspaceId, hit, {
          where: "AGENT_REPLY",
          conversationId: conv.id,
          messageId: blocked.id,
          text: body,
        });
        return false;
      }
      const out = await queueOutbound(tx, {
        workspaceId,
        conversationId: conv.id,
        body,
        sender: "AGENT",
        inReplyToId: inboundMessageId,
      });
      if (hit)
        await operators!.act(tx, workspaceId, hit, {
          where: "AGENT_REPLY",
          conversationId: conv.id,
          messageId: out.message.id,
          text: body,
        });
      return out.queued;
    }).catch((err: unknown) => {
      if (isUniqueViolation(err)) return false; // another run already answered this message
      throw err;
    });
    if (queued) jobs.notify(QUEUES.sendMessage);
  };

  const runStartCall: JobHandler<CallJob> = async ({ workspaceId, callId }, meta) => {
    const ctx = await asJob(db, { workspaceId }, async (tx) => {
      // Locked for the claim: a kill switch stopping unplaced calls waits for it, or is seen.
      await repo.lockCall(tx, workspaceId, callId);
      const call = await repo.call(tx, workspaceId, callId);
      if (!call || call.status !== "QUEUED" || call.providerCallId) return null;
      const ws = await repo.workspace(tx, workspaceId);
      if (ws?.agentPaused) {
        await repo.updateCall(tx, workspaceId, callId, ["QUEUED"], { status: "SUPPRESSED", errorMessage: PAUSED });
        return null;
      }
      const card = await integrations.credentials(tx, workspaceId, IntegrationProvider.VAPI);
      // R6: the workspace's default Vapi number, when it has one, places the call.
      const caller = card ? await phoneConfigsRepository.defaultOf(tx, workspaceId, "VAPI") : null;
      const creds = card && caller?.providerRef ? { ...card, phoneNumberId: caller.providerRef } : card;
      // Counted last before the attempt: the month's counter row stays locked until the commit.
      if (call.attempts === 0 && quota) {
        const full = await quota.meterSend(tx, workspaceId, "CALLS");
        if (full !== null) {
          await repo.updateCall(tx, workspaceId, callId, ["QUEUED"], {
            status: "HELD_QUOTA",
            errorMessage: heldReason("call", full),
          });
          return null;
        }
      }
      await repo.countCallAttempt(tx, workspaceId, callId);
      // Issue 56: the call starts with the persona, the knowledge, the lead and the opening line.
      const lead = await repo.leadContext(tx, workspaceId, call.leadId);
      const overrides = ws ? vapiAssistantOverrides(ws, lead ?? { name: call.contact.name, message: null }) : {};
      return { call, creds, overrides };
    });
    if (!ctx) return;
    const fail = (err: ProviderError | string) =>
      asJob(db, { workspaceId }, (tx) =>
        repo.updateCall(tx, workspaceId, callId, ["QUEUED"], {
          status: "FAILED",
          errorCode: typeof err === "string" ? null : (err.code ?? (err.status ? `HTTP_${err.status}` : "NETWORK")),
          errorMessage: typeof err === "string" ? err : err.describe(),
        }),
      ).then((moved) => {
        if (moved) countSend("vapi", "failed");
        return moved;
      });
    if (!ctx.creds) return void (await fail("Not called: Vapi is not configured (Settings → Integrations)."));
    if (!ctx.call.contact.phone) return void (await fail("Not called: the contact has no phone number."));
    try {
      // Never twice: as for messages, an attempt that got no answer may have started the call.
      if (ctx.call.attempts > 0 && (ctx.call.errorCode === "NETWORK" || ctx.call.errorCode === null)) {
        const ids = await providers.vapi.findStarted(ctx.creds, {
          number: ctx.call.contact.phone,
          since: ctx.call.createdAt,
        });
        const adopted = await asJob(db, { workspaceId }, async (tx) => {
          for (const id of ids) {
            const owner = await repo.callByProviderId(tx, workspaceId, id);
            if (owner?.id === callId) return true;
            if (owner) continue;
            await repo.updateCall(tx, workspaceId, callId, ["QUEUED"], {
              status: "STARTED",
              providerCallId: id,
              errorCode: null,
              errorMessage: null,
            });
            return true;
          }
          return false;
        });
        if (adopted) return;
      }
      const started = await providers.vapi.startCall(
        ctx.creds,
        { number: ctx.call.contact.phone, name: ctx.call.contact.name },
        `${config.publicUrl}/webhooks/vapi/${workspaceId}`,
        ctx.overrides,
      );
      await asJob(db, { workspaceId }, (tx) =>
        repo.updateCall(tx, workspaceId, callId, ["QUEUED"], {
          status: "STARTED",
          providerCallId: started.id,
          controlUrl: started.controlUrl,
          errorCode: null,
          errorMessage: null,
        }),
      );
      countSend("vapi", "sent");
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      if (err.retryable && !meta.lastAttempt) {
        await asJob(db, { workspaceId }, (tx) =>
          repo.noteCallRetry(tx, workspaceId, callId, {
            errorCode: err.code ?? (err.status ? `HTTP_${err.status}` : "NETWORK"),
            errorMessage: `${err.describe()} (will retry)`,
          }),
        );
        countSend("vapi", "retry");
        throw err;
      }
      await fail(err);
    }
  };

  const followsUpOnLead = (lead: { phone: string | null }): boolean => lead.phone !== null;

  return {
    queueOutbound,

    /** Whether `onLeadCreated` may do anything for this lead: reaching a lead takes a phone number. */
    followsUpOnLead,

    /**
     * Runs inside the transaction that creates a lead (I4): a WHATSAPP workspace with Twilio
     * configured sends the opening message; a VOICE workspace with Vapi configured calls. Paused:
     * stored SUPPRESSED. Returns the queues to wake once the transaction has committed.
     */
    async onLeadCreated(
      tx: TenantTx,
      lead: {
        workspaceId: string;
        id: string;
        contactId: string;
        name: string;
        phone: string | null;
        message?: string | null;
      },
    ): Promise<QueueName[]> {
      if (!followsUpOnLead(lead)) return [];
      const ws = await repo.workspace(tx, lead.workspaceId);
      if (!ws) return [];
      if (ws.channel === "WHATSAPP") {
        if (!(await integrations.isConfigured(tx, lead.workspaceId, IntegrationProvider.TWILIO))) return [];
        const conv = await repo.openConversation(tx, lead.workspaceId, lead.contactId, lead.id);
        if (conv.created) await operators?.autoAssign(tx, lead.workspaceId, conv.id);
        const body = openingMessage(ws, lead);
        // Issue 56: outside WhatsApp's window (a new lead has not written yet) the opening is the
        // workspace's approved opening template; free text only when the contact wrote within 24 h.
        const asTemplate = await whatsappRepository.openingTemplateFor(tx, lead.workspaceId, lead.contactId, ws);
        const { queued } = await queueOutbound(tx, {
          workspaceId: lead.workspaceId,
          conversationId: conv.id,
          body: asTemplate?.body ?? body,
          template: asTemplate?.template ?? null,
          sender: "AGENT",
        });
        return queued ? [QUEUES.sendMessage] : [];
      }
      if (!(await integrations.isConfigured(tx, lead.workspaceId, IntegrationProvider.VAPI))) return [];
      const call = await repo.createCall(tx, {
        workspaceId: lead.workspaceId,
        contactId: lead.contactId,
        leadId: lead.id,
        status: ws.agentPaused ? "SUPPRESSED" : "QUEUED",
        errorMessage: ws.agentPaused ? PAUSED : null,
      });
      if (ws.agentPaused) return [];
      await jobs.enqueue(tx, QUEUES.startCall, call.id, {
        workspaceId: lead.workspaceId,
        callId: call.id,
      } satisfies CallJob);
      return [QUEUES.startCall];
    },

    notify(queues: QueueName[]): void {
      for (const q of new Set(queues)) jobs.notify(q);
    },

    /**
     * Whether a request carries Twilio's signature made with this workspace's auth token, checked
     * by Twilio's own library (issue 45): `validateRequest` accepts the URL with and without the
     * scheme's default port, as Twilio may sign either form of PUBLIC_URL, and compares in
     * constant time.
     */
    async verifyTwilio(
      workspaceId: string,
      url: string,
      params: Record<string, string>,
      signature: string | undefined,
      caller: Caller,
    ): Promise<boolean> {
      if (!signature) return false;
      const creds = await inTenant(db, caller, { workspaceId }, (tx) =>
        integrations.credentials(tx, workspaceId, IntegrationProvider.TWILIO),
      );
      return creds !== null && (await twilioSdk()).validateRequest(creds.authToken, signature, url, params);
    },

    /**
     * I3: stores an inbound WhatsApp message (idempotent on MessageSid) in the contact's open
     * conversation, creating the contact by E.164 phone if needed, and — outside human takeover —
     * enqueues the agent's reply (or records it SUPPRESSED while paused).
     */
    async receiveInbound(workspaceId: string, msg: InboundWhatsApp, caller: Caller): Promise<{ stored: boolean }> {
      for (let attempt = 0; ; attempt++) {
        try {
          const result = await inTenant(db, caller, { workspaceId }, async (tx) => {
            if (await repo.messageBySid(tx, workspaceId, msg.messageSid)) return { stored: false, notify: false };
            const contact = await repo.contactByPhone(
              tx,
              workspaceId,
              msg.from,
              msg.profileName?.trim().slice(0, 200) || msg.from,
            );
            // Issue 56: WhatsApp's 24-hour window for free text opens (again) now.
            await whatsappRepository.noteInbound(tx, workspaceId, contact.id, new Date());
            const lead = await repo.latestLeadOfContact(tx, workspaceId, contact.id);
            const conv = await repo.openConversation(tx, workspaceId, contact.id, lead?.id ?? null);
            if (conv.created) await operators?.autoAssign(tx, workspaceId, conv.id);
            const inbound = await repo.createMessage(tx, {
              workspaceId,
              conversationId: conv.id,
              direction: "INBOUND",
              sender: "CONTACT",
              body: msg.body.slice(0, 4096) || "(empty message)",
              status: "RECEIVED",
              providerMessageId: msg.messageSid,
            });
            // A new message from the lead reopens a closed conversation.
            await repo.touchConversation(tx, workspaceId, conv.id, inbound.createdAt, { reopen: true });
            // Issue 47: the safety rules on every inbound message; a hand-over or block silences the agent.
            const hit = operators ? await operators.evaluate(tx, workspaceId, "INBOUND", inbound.body) : null;
            if (hit)
              await operators!.act(tx, workspaceId, hit, {
                where: "INBOUND",
                conversationId: conv.id,
                messageId: inbound.id,
                text: inbound.body,
              });
            const silenced = hit !== null && hit.rule.action !== "FLAG";
            await emit?.(
              tx,
              workspaceId,
              "message.received",
              messageEvent(inbound, { contactId: contact.id, from: msg.from, providerMessageId: msg.messageSid }),
            );
            // Opt-out (R5): STOP keeps the contact out of every campaign until START.
            const keyword = msg.body.trim().toUpperCase();
            if (OPT_OUT.has(keyword)) {
              await repo.setOptedOut(tx, workspaceId, contact.id, true);
              // Nothing decided before the STOP goes out after it: held or queued messages to
              // this contact are stopped (a send already claimed is the job's, which checks too).
              await repo.stopUnsentMessages(
                tx,
                workspaceId,
                { conversation: { contactId: contact.id } },
                NOT_SENT.optedOut,
              );
              return { stored: true, notify: false }; // no automatic answer to an opt-out
            } else if (OPT_IN.has(keyword)) await repo.setOptedOut(tx, workspaceId, contact.id, false);
            await leadReplied(tx, workspaceId, conv.leadId); // issue 56: ENGAGED, forward only
            if (conv.humanTakeover || silenced) return { stored: true, notify: false };
            const ws = await repo.workspace(tx, workspaceId);
            if (ws?.agentPaused) {
              await queueOutbound(tx, {
                workspaceId,
                conversationId: conv.id,
                body: "(No automatic reply: the agent is paused.)",
                sender: "AGENT",
                inReplyToId: inbound.id,
              });
              return { stored: true, notify: false };
            }
            if (!(await integrations.isConfigured(tx, workspaceId, IntegrationProvider.OPENAI)))
              return { stored: true, notify: false };
            await jobs.enqueue(tx, QUEUES.agentReply, inbound.id, {
              workspaceId,
              inboundMessageId: inbound.id,
            } satisfies AgentJob);
            return { stored: true, notify: true };
          });
          if (result.notify) jobs.notify(QUEUES.agentReply);
          return { stored: result.stored };
        } catch (err) {
          // Two deliveries of one message, or of two messages from one new number, at once: the
          // loser's transaction rolled back; the next attempt finds the winner's rows.
          if (!isUniqueViolation(err) || attempt >= 2) throw err;
        }
      }
    },

    /** A Twilio status callback: SENT / DELIVERED / READ / FAILED (with Twilio's error code). */
    async applyStatus(
      workspaceId: string,
      messageId: string,
      update: { messageSid: string; status: string; errorCode: string | null },
      caller: Caller,
    ): Promise<void> {
      const move = DELIVERY[update.status];
      if (!move) return; // queued, accepted, sending…: nothing new
      const moved = await inTenant(db, caller, { workspaceId }, async (tx) => {
        const m = await repo.outboundForCallback(tx, workspaceId, messageId, update.messageSid);
        if (!m) return false;
        if (move.to === "DELIVERED" || move.to === "READ") await leadContactedByMessage(tx, workspaceId, messageId); // issue 56
        const data = {
          status: move.to,
          providerMessageId: update.messageSid,
          statusUpdatedAt: new Date(),
          ...(move.to === "FAILED"
            ? { errorCode: update.errorCode, errorMessage: twilioFailure(update.status, update.errorCode) }
            : {}),
        };
        // The callback can arrive before the send's own record (its answer lost or slow, e.g. the
        // database away at that moment): whichever moves the message out of QUEUED into a sent
        // status emits message.sent. Each move is one conditional UPDATE, so exactly one does.
        if (move.to !== "FAILED" && (await repo.updateMessage(tx, workspaceId, messageId, ["QUEUED"], data))) {
          await emitSent(tx, workspaceId, messageId, update.messageSid);
          return true;
        }
        const moved = await repo.updateMessage(tx, workspaceId, messageId, move.from, data);
        // Twilio's final word that it could not deliver: the review queue (issue 47).
        if (moved && move.to === "FAILED") await reviewFailedSend(tx, workspaceId, messageId);
        return moved;
      });
      // Delivery reports (SENT is counted by the send job, when Twilio takes the message).
      if (moved && move.to !== "SENT") countSend("twilio", move.to);
    },

    /** Workers for the three send queues (this process). */
    async startWorkers(opts: { concurrency?: number } = {}): Promise<void> {
      const concurrency = opts.concurrency ?? 4;
      // Sends in batches: a pg-boss worker that fetches one job waits out its polling interval
      // before the next, which capped a process at ~1 message/s per worker (4.2/s measured for a
      // campaign). Each job of a batch runs, fails and retries on its own (JobQueue.work).
      await jobs.work(QUEUES.sendMessage, runSend, { concurrency, batchSize: 8, pollingIntervalSeconds: 0.5 });
      await jobs.work(QUEUES.agentReply, runAgentReply, { concurrency });
      await jobs.work(QUEUES.startCall, runStartCall, { concurrency });
    },
  };
}

export type MessagingService = ReturnType<typeof createMessagingService>;
