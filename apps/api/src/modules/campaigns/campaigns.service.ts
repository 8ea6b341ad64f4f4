// Campaigns (R5): a message template sent to chosen contacts and/or a tag, through the outbound
// pipeline (docs/decisions/0012): each recipient's message and its send job are written by
// messaging.queueOutbound in the transaction that claims the recipient row, so
// - exactly once per contact: the row (workspace_id, campaign_id, contact_id) is unique and moves
//   PENDING → QUEUED only in the transaction that writes its message (claimed FOR UPDATE SKIP
//   LOCKED); a process killed mid-batch rolls the whole batch back; the send job then carries
//   the pipeline's own never-twice rules;
// - the kill switch suppresses campaign messages like any other (queueOutbound / the send job);
// - a contact who replied STOP is skipped (SKIPPED, counted as suppressed).
// The dispatcher is a pg-boss job with one active job per workspace (singleton key): it claims
// recipients in batches at CAMPAIGN_RATE_PER_SECOND, works for a short slice and re-enqueues
// itself, and completes a campaign once every recipient is settled. Decision 0017.
// Issue 52 (decision 0055, addendum "Bulk 2"): a campaign's audience is not written inside the
// request that runs it. `run` adds the hand-picked contacts and a first batch of the tag's
// audience (so a small campaign answers with its whole audience); the dispatcher adds the rest in
// keyset batches of CAMPAIGN_AUDIENCE_BATCH_SIZE, each batch with its cursor in one transaction
// (a retried job goes on from the last committed batch: nothing added twice, nothing missed),
// claiming and sending behind it; a campaign completes only once its audience is all added.
import { randomUUID } from "node:crypto";

import type { Db, TenantTx } from "@atrium/db";
import { insideWhatsAppWindow, WHATSAPP_MESSAGES, WHATSAPP_WINDOW_MS } from "@atrium/validation";

import { DEFAULT_AUDIENCE_BATCH_SIZE, DEFAULT_AUDIENCE_RATE_PER_SECOND, type AppConfig } from "../../env.ts";
import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { accessibleWhere, authorizeRow } from "../../platform/authz/accessible.ts";
import { asJob, type Caller } from "../../platform/data.ts";
import { AppError, badInput, conflict, ErrorCode, notFound } from "../../platform/errors.ts";
import { connection, keyset, pageRequest, type PageArgs } from "../../platform/graphql/cursor.ts";
import { QUEUES, type JobHandler, type JobQueue } from "../../platform/jobs/job-queue.ts";
import { toMessageView } from "../conversations/conversations.service.ts";
import type { MessageView } from "../conversations/conversations.types.ts";
import { normalisePhone } from "../leads/contact-identity.ts";
import { messagingRepository } from "../messaging/messaging.repository.ts";
import type { MessagingService } from "../messaging/messaging.service.ts";
import { NOT_SENT } from "../messaging/not-sent.ts";
import { renderFor, type TemplateSend } from "../messaging/whatsapp.repository.ts";
import { templatesRepository } from "../templates/templates.repository.ts";
import { usageRepository } from "../usage/usage.repository.ts";
import { monthStart } from "../usage/usage.service.ts";
import type { EmitWebhookEvent } from "../webhooks/webhooks.service.ts";
import { renderTemplate, templateProblem } from "./campaign-template.ts";
import { campaignsRepository as repo, type CampaignRow, type ProgressRow } from "./campaigns.repository.ts";
import {
  CampaignStatus,
  type CampaignConnection,
  type CampaignPreviewView,
  type CampaignView,
  type CreateCampaignInput,
} from "./campaigns.types.ts";

interface DispatchJob {
  workspaceId: string;
}
type Progress = Omit<ProgressRow, "campaign_id">;

const OPTED_OUT = NOT_SENT.optedOut;
/** Thrown to roll back an audience batch whose campaign was cancelled while it ran. */
class StoppedMeanwhile extends Error {}

/** How long one claiming transaction keeps writing messages before it commits. */
const CLAIM_BUDGET_MS = 2_000;
/** Recipients of the tag's audience `run` adds itself (at most): the rest is the dispatcher's. */
const RUN_FIRST_BATCH = 1_000;

/** The `data` of the `campaign.completed` outbound webhook event (SPEC A5). */
export const campaignCompletedEvent = (campaign: CampaignRow, progress: Progress) => ({
  id: campaign.id,
  name: campaign.name,
  status: "COMPLETED",
  completedAt: (campaign.completedAt ?? new Date()).toISOString(),
  total: progress.total,
  sent: progress.sent,
  failed: progress.failed,
  suppressed: progress.suppressed,
});

const EMPTY: Progress = { total: 0, queued: 0, sent: 0, failed: 0, suppressed: 0, held: 0, cancelled: 0, pending: 0 };

async function progressOf(tx: TenantTx, workspaceId: string, campaignIds: string[]): Promise<Map<string, Progress>> {
  const out = new Map<string, Progress>();
  if (campaignIds.length === 0) return out;
  for (const r of await repo.progress(tx, workspaceId, campaignIds))
    out.set(r.campaign_id, {
      total: r.total,
      pending: r.pending,
      queued: r.queued,
      sent: r.sent,
      failed: r.failed,
      suppressed: r.suppressed,
      held: r.held,
      cancelled: r.cancelled,
    });
  return out;
}

const toView = (c: CampaignRow, p: Progress = EMPTY): CampaignView => ({
  id: c.id,
  name: c.name,
  message: c.message,
  status: c.status as CampaignStatus,
  contactIds: c.audienceContactIds,
  tag: c.audienceTag,
  scheduledAt: c.scheduledAt,
  startedAt: c.startedAt,
  completedAt: c.completedAt,
  createdAt: c.createdAt,
  total: p.total,
  recipientsAdded: p.total,
  audienceSize: c.audienceSize,
  addingRecipients:
    c.startedAt !== null && c.audienceAddedAt === null && (c.status === "RUNNING" || c.status === "PAUSED"),
  queued: p.queued,
  sent: p.sent,
  failed: p.failed,
  suppressed: p.suppressed,
  held: p.held,
  cancelled: p.cancelled,
  templateId: c.templateId,
});

export function createCampaignsService(deps: {
  db: Db;
  config: AppConfig;
  jobs: JobQueue;
  messaging: Pick<MessagingService, "queueOutbound" | "notify">;
  emit?: EmitWebhookEvent;
  /** Plans: offers the workspace's held sends again (a resumed campaign's held messages wait for it). */
  releaseHeld?: (workspaceId: string, caller: Caller) => Promise<unknown>;
  /** Issue 50: a contact whose person was erased on request (and has not come back on their own) is skipped. */
  erasure?: {
    erasedWithoutNewConsent(
      tx: TenantTx,
      workspaceId: string,
      contact: { id: string; email: string | null; phone: string | null },
    ): Promise<boolean>;
  };
}) {
  const { db, config, jobs, messaging, emit, releaseHeld } = deps;
  /** Runs in the transaction that marks the campaign COMPLETED: the event commits with it. */
  const onCampaignCompleted = async (tx: TenantTx, campaign: CampaignRow & { progress: Progress }) => {
    await emit?.(tx, campaign.workspaceId, "campaign.completed", campaignCompletedEvent(campaign, campaign.progress));
  };

  const audienceBatchSize = config.campaigns.audienceBatchSize ?? DEFAULT_AUDIENCE_BATCH_SIZE;
  const enqueueDispatch = (tx: TenantTx, workspaceId: string, startAfter?: Date) =>
    jobs.enqueue(tx, QUEUES.campaignDispatch, randomUUID(), { workspaceId } satisfies DispatchJob, {
      singletonKey: workspaceId,
      ...(startAfter ? { startAfter } : {}),
    });

  async function load(tx: TenantTx, access: WorkspaceAccess, id: string): Promise<CampaignRow> {
    if (!UUID_RE.test(id)) throw notFound("Campaign");
    const c = await repo.find(tx, access.workspaceId, id);
    if (!c) throw notFound("Campaign");
    return c;
  }

  async function view(tx: TenantTx, c: CampaignRow): Promise<CampaignView> {
    return toView(c, (await progressOf(tx, c.workspaceId, [c.id])).get(c.id));
  }

  /** Moves a campaign between states, refusing (CONFLICT) when it is not in one of `from`. */
  async function transition(
    access: WorkspaceAccess,
    id: string,
    actor: Actor,
    action: "run" | "update",
    from: CampaignStatus[],
    to: CampaignStatus,
    verb: string,
    extra: (tx: TenantTx, c: CampaignRow) => Promise<Partial<CampaignRow> | void> = async () => {},
  ) {
    const result = await inWorkspace(db, access, async (tx) => {
      const c = await load(tx, access, id);
      authorizeRow(access.ability, action, "Campaign", c);
      if (!from.includes(c.status as CampaignStatus))
        throw conflict(`This campaign is ${c.status.toLowerCase()}; it cannot be ${verb}.`, { status: c.status });
      const data = (await extra(tx, c)) ?? {};
      // The status is re-checked by the UPDATE itself: of two concurrent changes one wins.
      if (!(await repo.updateIfStatusIn(tx, access.workspaceId, id, from, { ...data, status: to })))
        throw conflict(`This campaign changed meanwhile; it cannot be ${verb}.`);
      await recordWorkspaceAudit(tx, access.workspaceId, actor, {
        action: `campaign.${to.toLowerCase()}`,
        actorMembershipId: access.membershipId,
        targetType: "Campaign",
        targetId: id,
      });
      return view(tx, await load(tx, access, id));
    });
    jobs.notify(QUEUES.campaignDispatch);
    return result;
  }

  /** What a campaign sends with (loaded once per batch): the workspace's channel and persona, its template. */
  type Sending = {
    whatsapp: boolean;
    business: { workspaceName: string; agentName: string | null };
    template: { contentSid: string; body: string; variables: string[] } | null;
  };
  async function sendingOf(tx: TenantTx, workspaceId: string, c: { templateId: string | null }): Promise<Sending> {
    const ws = await messagingRepository.workspace(tx, workspaceId);
    const template = c.templateId ? await templatesRepository.find(tx, workspaceId, c.templateId) : null;
    return {
      whatsapp: ws?.channel === "WHATSAPP",
      business: { workspaceName: ws?.workspaceName ?? "", agentName: ws?.agentName ?? null },
      template,
    };
  }

  /** The campaign's message to one contact, in the contact's open conversation: the template's text, else the campaign's rendered for them. */
  async function queueToContact(
    tx: TenantTx,
    workspaceId: string,
    c: { message: string },
    contact: { id: string; name: string; email: string | null; phone: string | null },
    asTemplate: TemplateSend | null,
    from: { sender: "SYSTEM" | "MEMBER"; senderMembershipId?: string | null },
  ) {
    const lead = await messagingRepository.latestLeadOfContact(tx, workspaceId, contact.id);
    const conv = await messagingRepository.openConversation(tx, workspaceId, contact.id, lead?.id ?? null);
    return messaging.queueOutbound(tx, {
      workspaceId,
      conversationId: conv.id,
      body: asTemplate?.body ?? renderTemplate(c.message, contact),
      template: asTemplate?.template ?? null,
      ...from,
    });
  }

  /** One recipient, inside the claiming transaction: its message (and send job) or SKIPPED. */
  async function sendTo(
    tx: TenantTx,
    workspaceId: string,
    c: { id: string; message: string },
    r: { id: string; contact_id: string; message_id: string | null },
    sending: Sending,
  ): Promise<void> {
    if (r.message_id) {
      // Its send job handed the message back while the campaign was paused: the same message
      // gets a new send job (which checks opt-out, kill switch and quota as any send does).
      if (await messagingRepository.updateMessage(tx, workspaceId, r.message_id, ["QUEUED"], { errorMessage: null })) {
        await jobs.enqueue(tx, QUEUES.sendMessage, randomUUID(), { workspaceId, messageId: r.message_id });
      }
      await repo.updateRecipient(tx, workspaceId, r.id, { status: "QUEUED" });
      return;
    }
    const contact = await repo.contact(tx, workspaceId, r.contact_id);
    if (contact.optedOutAt) {
      await repo.updateRecipient(tx, workspaceId, r.id, { status: "SKIPPED", skipReason: OPTED_OUT });
      return;
    }
    if (deps.erasure && (await deps.erasure.erasedWithoutNewConsent(tx, workspaceId, contact))) {
      await repo.updateRecipient(tx, workspaceId, r.id, { status: "SKIPPED", skipReason: NOT_SENT.erased });
      return;
    }
    // Issue 56: WhatsApp's rules — the campaign's approved template, else free text only to a
    // contact who wrote within 24 hours; the others are skipped, said so in the report.
    let asTemplate: TemplateSend | null = null;
    if (sending.whatsapp && sending.template) asTemplate = renderFor(sending.template, contact, sending.business);
    else if (sending.whatsapp && contact.phone && !insideWhatsAppWindow(contact.lastInboundAt)) {
      await repo.updateRecipient(tx, workspaceId, r.id, { status: "SKIPPED", skipReason: NOT_SENT.templateRequired });
      return;
    }
    const { message } = await queueToContact(tx, workspaceId, c, contact, asTemplate, { sender: "SYSTEM" });
    await repo.updateRecipient(tx, workspaceId, r.id, { status: "QUEUED", messageId: message.id });
  }

  /**
   * A campaign starting: its audience counted as it stands now, the hand-picked contacts added and
   * up to `firstBatch` of the tag's audience; the rest is the dispatcher's (`addAudienceBatch`).
   * Returns the campaign's fields to set with its new status, and whether its audience is empty.
   */
  async function startAudience(tx: TenantTx, c: CampaignRow, firstBatch: number) {
    const startedAt = new Date();
    const audienceSize = await repo.audienceSize(tx, c, startedAt);
    let total = await repo.addChosenRecipients(tx, c);
    let added = !c.audienceTag;
    if (c.audienceTag && firstBatch > 0) {
      // Not `whileRunning`: this transaction is the one starting it (always an answer).
      const batch = (await repo.addTagBatch(
        tx,
        c.workspaceId,
        c.id,
        { tag: c.audienceTag, cursor: null, startedAt },
        firstBatch,
      ))!;
      total += batch.added;
      added = batch.done;
    }
    return {
      empty: added && total === 0,
      fields: { startedAt, audienceSize, audienceAddedAt: added ? startedAt : null },
    };
  }

  /** Scheduled campaigns whose time has come start now. */
  async function startDue(tx: TenantTx, workspaceId: string): Promise<void> {
    const due = await repo.dueScheduled(tx, workspaceId, new Date());
    for (const c of due) {
      const { empty, fields } = await startAudience(tx, c, 0);
      await repo.updateIfStatus(
        tx,
        workspaceId,
        c.id,
        "SCHEDULED",
        empty ? { ...fields, status: "COMPLETED", completedAt: new Date() } : { ...fields, status: "RUNNING" },
      );
    }
  }

  /**
   * One batch of the audience of a running campaign still being added, in its own transaction
   * (the batch and its cursor commit together). Returns how many contacts it took, or null when
   * no campaign needs one.
   */
  async function addAudienceBatch(workspaceId: string, limit: number): Promise<number | null> {
    return asJob(
      db,
      { workspaceId },
      async (tx) => {
        const id = await repo.audienceToAdd(tx, workspaceId);
        if (!id) return null;
        const at = await repo.lockAudience(tx, workspaceId, id);
        if (!at) return 0;
        const batch = await repo.addTagBatch(tx, workspaceId, id, at, limit, true);
        // Cancelled during the batch: nothing of it is kept (the cancel did not see these rows).
        if (!batch) throw new StoppedMeanwhile();
        return batch.taken;
      },
      { timeoutMs: 60_000 },
    ).catch((err: unknown) => {
      if (err instanceof StoppedMeanwhile) return 0;
      throw err;
    });
  }

  /**
   * Claims up to `limit` PENDING recipients across the workspace's running campaigns. The
   * transaction is also bounded in time (CLAIM_BUDGET_MS): on a slow database it commits what it
   * has written so far instead of growing until the transaction timeout rolls the batch back;
   * the locked rows it did not reach stay PENDING for the next batch.
   */
  async function claimBatch(workspaceId: string, limit: number): Promise<number> {
    const started = Date.now();
    return asJob(
      db,
      { workspaceId },
      async (tx) => {
        await startDue(tx, workspaceId);
        const running = await repo.runningToDispatch(tx, workspaceId);
        let n = 0;
        for (const c of running) {
          if (n >= limit) break;
          // Held in share mode for the batch: a pause or cancel waits for it, then stops the next.
          if ((await repo.lockStatusForShare(tx, workspaceId, c.id)) !== "RUNNING") continue;
          const rows = await repo.claimPending(tx, workspaceId, c.id, limit - n);
          const sending = rows.length > 0 ? await sendingOf(tx, workspaceId, c) : null;
          for (const r of rows) {
            if (n > 0 && Date.now() - started > CLAIM_BUDGET_MS) return n;
            await sendTo(tx, workspaceId, c, r, sending!);
            n++;
          }
        }
        return n;
      },
      { timeoutMs: 60_000 },
    );
  }

  /**
   * Completes campaigns whose recipients are all settled (none pending, no message queued or
   * held); returns when to look again (null: nothing running).
   */
  async function settle(workspaceId: string): Promise<Date | null> {
    return asJob(db, { workspaceId }, async (tx) => {
      const running = await repo.running(tx, workspaceId);
      const progress = await progressOf(
        tx,
        workspaceId,
        running.map((c) => c.id),
      );
      let again: number | null = null;
      for (const c of running) {
        const p = progress.get(c.id) ?? EMPTY;
        if (p.pending === 0 && p.queued === 0 && p.held === 0 && c.audienceAddedAt !== null) {
          if (
            await repo.updateIfStatus(tx, workspaceId, c.id, "RUNNING", {
              status: "COMPLETED",
              completedAt: new Date(),
            })
          )
            await onCampaignCompleted(tx, { ...c, status: "COMPLETED", progress: p });
        } else {
          // In flight: look again soon; only held by the quota: look again later.
          const wait = p.pending > 0 || p.queued > 0 || c.audienceAddedAt === null ? 1_000 : 15_000;
          again = Math.min(again ?? wait, wait);
        }
      }
      if (again === null) return null;
      const at = new Date(Date.now() + again);
      await enqueueDispatch(tx, workspaceId, at);
      return at;
    });
  }

  /** One batch of a cancelled campaign's PENDING recipients cancelled; how many (0: none left). */
  async function cancelPendingBatch(workspaceId: string, limit: number): Promise<number> {
    return asJob(
      db,
      { workspaceId },
      async (tx) => {
        const [id] = await repo.cancelledWithPending(tx, workspaceId);
        return id ? repo.cancelPending(tx, workspaceId, id, NOT_SENT.campaignCancelled, limit) : 0;
      },
      { timeoutMs: 60_000 },
    );
  }

  const runDispatch: JobHandler<DispatchJob> = async ({ workspaceId }) => {
    const rate = config.campaigns.ratePerSecond;
    const batch = rate > 0 ? Math.min(rate, config.campaigns.batchSize) : config.campaigns.batchSize;
    // Work for a slice well inside the job's expiry (a lost dispatcher is retried after it),
    // then hand over to a continuation.
    const deadline = Date.now() + Math.min(10_000, (config.jobTiming.sendExpireSeconds * 1000) / 2);
    // What a cancel left (issue 52): its campaign's PENDING recipients, a batch per transaction.
    while ((await cancelPendingBatch(workspaceId, audienceBatchSize)) > 0) {
      if (Date.now() > deadline) {
        await asJob(db, { workspaceId }, (tx) => enqueueDispatch(tx, workspaceId));
        return;
      }
    }
    const audienceRate = config.campaigns.audienceRatePerSecond ?? DEFAULT_AUDIENCE_RATE_PER_SECOND;
    // Adding the audience is not sending (it is not held to `rate`), paced by its own rate.
    let adding = true;
    let addAt = 0;
    const addIfDue = async () => {
      if (!adding || Date.now() < addAt) return;
      const started = Date.now();
      const taken = await addAudienceBatch(workspaceId, audienceBatchSize);
      if (taken === null) adding = false;
      else if (audienceRate > 0) addAt = started + (1000 * taken) / audienceRate;
    };
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
    for (;;) {
      const tick = Date.now();
      // Recipients first (a batch of the audience still being added), then a claim behind them.
      await addIfDue();
      const claimed = await claimBatch(workspaceId, batch);
      if (claimed > 0) jobs.notify(QUEUES.sendMessage);
      if (claimed === 0 && !adding) break;
      if (Date.now() > deadline) {
        await asJob(db, { workspaceId }, (tx) => enqueueDispatch(tx, workspaceId));
        return;
      }
      // The per-workspace rate: `claimed` messages take claimed / rate seconds; nothing claimed
      // while the audience is being added: until its next batch. The wait goes to adding batches
      // as they fall due.
      let until = rate > 0 ? tick + (1000 * claimed) / rate : tick;
      if (claimed === 0) until = Math.max(until, addAt);
      while (adding && addAt <= until && Date.now() < deadline) {
        await sleep(addAt - Date.now());
        await addIfDue();
      }
      await sleep(until - Date.now());
    }
    await settle(workspaceId);
  };

  /** The template a campaign names, in this workspace (BAD_USER_INPUT otherwise); null for none. */
  async function checkTemplate(
    tx: TenantTx,
    workspaceId: string,
    id: string | null | undefined,
  ): Promise<string | null> {
    if (!id) return null;
    if (!UUID_RE.test(id) || !(await templatesRepository.find(tx, workspaceId, id)))
      throw badInput("The chosen template does not exist.", { templateId: "unknown template" });
    return id;
  }

  /** Issue 56: the audience's tag is one that exists (a typo would silently reach nobody). */
  async function checkTag(tx: TenantTx, workspaceId: string, tag: string | null): Promise<void> {
    if (!tag) return;
    const { exists, known } = await repo.tagCheck(tx, workspaceId, tag);
    if (!exists)
      throw badInput(
        known.length > 0
          ? `No contact has the tag "${tag}". Tags in use include: ${known.join(", ")}.`
          : `No contact has the tag "${tag}": no contact has any tag yet.`,
        { tag: "unknown tag" },
      );
  }

  /** A draft's fields, checked as `create` checks them. */
  function draftFields(input: CreateCampaignInput) {
    const name = input.name.trim();
    const message = input.message.trim();
    const tag = input.tag?.trim() || null;
    const problem = templateProblem(message);
    if (problem) throw badInput(problem, { message: problem });
    const ids = [...new Set(input.contactIds)];
    if (ids.some((id) => !UUID_RE.test(id)))
      throw badInput("Some chosen contacts do not exist.", { contactIds: "unknown contact" });
    if (ids.length === 0 && !tag)
      throw badInput("Choose contacts or a tag.", { contactIds: "choose contacts or a tag" });
    return { name, message, tag, ids };
  }

  return {
    onCampaignCompleted,

    /** Issue 56: a draft stays editable until it runs or is scheduled (CONFLICT after). */
    async update(access: WorkspaceAccess, id: string, input: CreateCampaignInput, actor: Actor): Promise<CampaignView> {
      const { name, message, tag, ids } = draftFields(input);
      return inWorkspace(db, access, async (tx) => {
        const c = await load(tx, access, id);
        authorizeRow(access.ability, "update", "Campaign", c);
        if (c.status !== "DRAFT")
          throw conflict(`This campaign is ${c.status.toLowerCase()}; only drafts can be edited.`, {
            status: c.status,
          });
        const found = await repo.countContacts(tx, access.workspaceId, ids);
        if (found !== ids.length)
          throw badInput(`${ids.length - found} of the chosen contacts do not exist.`, {
            contactIds: "unknown contact",
          });
        await checkTag(tx, access.workspaceId, tag);
        const templateId = await checkTemplate(tx, access.workspaceId, input.templateId);
        if (
          !(await repo.updateIfStatusIn(tx, access.workspaceId, id, [CampaignStatus.DRAFT], {
            name,
            message,
            audienceContactIds: ids,
            audienceTag: tag,
            templateId,
          }))
        )
          throw conflict("This campaign changed meanwhile; reload it.");
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "campaign.updated",
          actorMembershipId: access.membershipId,
          targetType: "Campaign",
          targetId: id,
        });
        return view(tx, await load(tx, access, id));
      });
    },

    /**
     * Issue 56: what Run would do now — recipients, who is skipped and why, what the quota allows,
     * and the message as the first recipient reads it. Counted, nothing written.
     */
    async preview(access: WorkspaceAccess, id: string): Promise<CampaignPreviewView> {
      return inWorkspace(db, access, async (tx) => {
        const c = await load(tx, access, id);
        authorizeRow(access.ability, "read", "Campaign", c);
        const sending = await sendingOf(tx, access.workspaceId, c);
        const counts = await repo.audienceCounts(tx, c, new Date(Date.now() - WHATSAPP_WINDOW_MS));
        const needTemplate = sending.whatsapp && !sending.template ? counts.outside_window : 0;
        const quota = await usageRepository.quotaOf(tx, access.workspaceId, "MESSAGES");
        const used =
          quota === null
            ? 0
            : ((await usageRepository.counter(tx, access.workspaceId, monthStart(new Date()), "MESSAGES"))?.used ?? 0);
        const first = await repo.firstOfAudience(tx, c);
        const sample = first
          ? sending.whatsapp && sending.template
            ? renderFor(sending.template, first, sending.business).body
            : renderTemplate(c.message, first)
          : c.message;
        return {
          recipients: counts.recipients,
          optedOut: counts.opted_out,
          noPhone: counts.no_phone,
          needTemplate,
          willSend: counts.recipients - counts.opted_out - counts.no_phone - needTemplate,
          quotaRemaining: quota === null ? null : Math.max(0, quota - used),
          sample,
        };
      });
    },

    /**
     * Issue 56: one message as the campaign would send it, to one number (campaign.run), through
     * the same outbox as every send (the contact is found or made by phone; WhatsApp's rules apply).
     */
    async testSend(access: WorkspaceAccess, id: string, phone: string, actor: Actor): Promise<MessageView> {
      const number = normalisePhone(phone);
      if (!number)
        throw badInput("Enter a phone number in international format, e.g. +44 20 7946 0958.", { phone: "invalid" });
      const { view: sent, queued } = await inWorkspace(db, access, async (tx) => {
        const c = await load(tx, access, id);
        authorizeRow(access.ability, "run", "Campaign", c);
        const sending = await sendingOf(tx, access.workspaceId, c);
        const contact = await messagingRepository.contactByPhone(tx, access.workspaceId, number, "Test recipient");
        if (contact.optedOutAt)
          throw new AppError(ErrorCode.BAD_USER_INPUT, WHATSAPP_MESSAGES.optedOut, { reason: "CONTACT_OPTED_OUT" });
        const asTemplate =
          sending.whatsapp && sending.template ? renderFor(sending.template, contact, sending.business) : null;
        const { message, queued } = await queueToContact(tx, access.workspaceId, c, contact, asTemplate, {
          sender: "MEMBER",
          senderMembershipId: access.membershipId,
        });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "campaign.test_sent",
          actorMembershipId: access.membershipId,
          targetType: "Campaign",
          targetId: id,
          data: { messageId: message.id, status: message.status },
        });
        return { view: toMessageView(message), queued };
      });
      if (queued) messaging.notify?.([QUEUES.sendMessage]);
      return sent;
    },

    async create(access: WorkspaceAccess, input: CreateCampaignInput, actor: Actor): Promise<CampaignView> {
      authorizeRow(access.ability, "create", "Campaign", { workspaceId: access.workspaceId });
      const { name, message, tag, ids } = draftFields(input);
      return inWorkspace(db, access, async (tx) => {
        const found = await repo.countContacts(tx, access.workspaceId, ids);
        if (found !== ids.length)
          throw badInput(`${ids.length - found} of the chosen contacts do not exist.`, {
            contactIds: "unknown contact",
          });
        await checkTag(tx, access.workspaceId, tag);
        const templateId = await checkTemplate(tx, access.workspaceId, input.templateId);
        const c = await repo.create(tx, {
          workspaceId: access.workspaceId,
          name,
          message,
          audienceContactIds: ids,
          audienceTag: tag,
          templateId,
          createdByMembershipId: access.membershipId,
        });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "campaign.created",
          actorMembershipId: access.membershipId,
          targetType: "Campaign",
          targetId: c.id,
        });
        return toView(c);
      });
    },

    async get(access: WorkspaceAccess, id: string): Promise<CampaignView> {
      return inWorkspace(db, access, async (tx) => {
        const c = await load(tx, access, id);
        authorizeRow(access.ability, "read", "Campaign", c);
        return view(tx, c);
      });
    },

    async list(access: WorkspaceAccess, args: PageArgs): Promise<CampaignConnection> {
      const page = pageRequest(args);
      const ks = keyset(page);
      // Only the campaigns the ability allows (FORBIDDEN when none), and always this workspace's.
      const where = { AND: accessibleWhere(access.ability, "read", "Campaign").AND, workspaceId: access.workspaceId };
      return inWorkspace(db, access, async (tx) => {
        const [rows, total] = await repo.page(tx, where, ks, page.take);
        const progress = await progressOf(
          tx,
          access.workspaceId,
          rows.slice(0, page.take).map((r) => r.id),
        );
        return connection(rows, page, total, (c) => toView(c, progress.get(c.id)));
      });
    },

    /**
     * Run now (campaign.run): the audience counted, its first recipients added and the dispatcher
     * enqueued, in one transaction; the dispatcher adds the rest (`addingRecipients` until then).
     */
    run(access: WorkspaceAccess, id: string, actor: Actor): Promise<CampaignView> {
      return transition(
        access,
        id,
        actor,
        "run",
        [CampaignStatus.DRAFT, CampaignStatus.SCHEDULED],
        CampaignStatus.RUNNING,
        "started",
        async (tx, c) => {
          const { empty, fields } = await startAudience(tx, c, Math.min(RUN_FIRST_BATCH, audienceBatchSize));
          if (empty)
            throw badInput("The audience is empty: no contact is chosen or has this tag.", {
              contactIds: "empty audience",
            });
          await enqueueDispatch(tx, access.workspaceId);
          return fields;
        },
      );
    },

    schedule(access: WorkspaceAccess, id: string, at: Date, actor: Actor): Promise<CampaignView> {
      const ms = at.getTime() - Date.now();
      if (!Number.isFinite(ms) || ms < 0) throw badInput("Choose a time in the future.", { at: "is in the past" });
      if (ms > 366 * 24 * 3600 * 1000) throw badInput("Choose a time within a year.", { at: "is too far ahead" });
      return transition(
        access,
        id,
        actor,
        "run",
        [CampaignStatus.DRAFT, CampaignStatus.SCHEDULED],
        CampaignStatus.SCHEDULED,
        "scheduled",
        async (tx) => {
          await enqueueDispatch(tx, access.workspaceId, at);
          return { scheduledAt: at };
        },
      );
    },

    pause(access: WorkspaceAccess, id: string, actor: Actor): Promise<CampaignView> {
      return transition(access, id, actor, "run", [CampaignStatus.RUNNING], CampaignStatus.PAUSED, "paused");
    },

    /**
     * Back to RUNNING: the dispatcher claims the rest (and the messages handed back during the
     * pause); held messages, which no release offered while paused, are offered again now.
     */
    async resume(access: WorkspaceAccess, id: string, actor: Actor): Promise<CampaignView> {
      const view = await transition(
        access,
        id,
        actor,
        "run",
        [CampaignStatus.PAUSED],
        CampaignStatus.RUNNING,
        "resumed",
        async (tx) => {
          await enqueueDispatch(tx, access.workspaceId);
        },
      );
      if (view.held > 0) await releaseHeld?.(access.workspaceId, access);
      return view;
    },

    /**
     * Nothing of a cancelled campaign is sent that was not handed to the provider already: recipients
     * not yet claimed, messages held by the quota and messages queued but never attempted are
     * cancelled in this transaction; a send job that runs later finds the campaign cancelled
     * (issue 56). Only a send already at the provider (attempted before) can still complete.
     */
    cancel(access: WorkspaceAccess, id: string, actor: Actor): Promise<CampaignView> {
      return transition(
        access,
        id,
        actor,
        "run",
        [CampaignStatus.DRAFT, CampaignStatus.SCHEDULED, CampaignStatus.RUNNING, CampaignStatus.PAUSED],
        CampaignStatus.CANCELLED,
        "cancelled",
        async (tx, c) => {
          // First the campaign row: the dispatcher's claims and the send jobs' claims hold it FOR
          // SHARE; after them, every message they wrote or claimed is visible here. (An audience
          // batch in flight checks the status when it ends, and is rolled back.)
          await repo.lockForUpdate(tx, access.workspaceId, c.id);
          const { pendingLeft } = await repo.cancelUnsent(
            tx,
            access.workspaceId,
            c.id,
            NOT_SENT.campaignCancelled,
            audienceBatchSize,
          );
          // A large audience's PENDING rest: cancelled in batches by the dispatcher.
          if (pendingLeft) await enqueueDispatch(tx, access.workspaceId);
          return { completedAt: new Date() };
        },
      );
    },

    async remove(access: WorkspaceAccess, id: string, actor: Actor): Promise<boolean> {
      return inWorkspace(db, access, async (tx) => {
        const c = await load(tx, access, id);
        authorizeRow(access.ability, "delete", "Campaign", c);
        if (!["DRAFT", "COMPLETED", "CANCELLED"].includes(c.status))
          throw conflict(`This campaign is ${c.status.toLowerCase()}; cancel it before deleting it.`, {
            status: c.status,
          });
        if (!(await repo.deleteIfStatusIn(tx, access.workspaceId, id, ["DRAFT", "COMPLETED", "CANCELLED"])))
          throw conflict("This campaign changed meanwhile; it was not deleted.");
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "campaign.deleted",
          actorMembershipId: access.membershipId,
          targetType: "Campaign",
          targetId: id,
        });
        return true;
      });
    },

    /** The dispatcher (this process). */
    async startWorkers(opts: { concurrency?: number } = {}): Promise<void> {
      await jobs.work(QUEUES.campaignDispatch, runDispatch, { concurrency: opts.concurrency ?? 2 });
    },
  };
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;
