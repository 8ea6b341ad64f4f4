// The operator console (issue 47, decision 0032): safety rules run on every inbound message,
// agent reply and call transcript line; the review queue they (and sends that failed for good)
// fill; notifications (in-app, live, and by e-mail per member preference); round-robin
// assignment; and the Live Call Control job. The hooks the channel code calls (`evaluate`, `act`,
// `fileReview`, `autoAssign`, `notify`) run inside the caller's transaction, so a message and
// what the rules decided about it commit together.
import { subject } from "@casl/ability";

import type { Db, TenantTx } from "@atrium/db";
import {
  compileSafetyRule,
  SAFETY_MESSAGES,
  SAFETY_TEMPLATES,
  safetyPatternProblem,
  safetyRuleForm,
  type SafetyMatcher,
} from "@atrium/validation";

import type { AppConfig } from "../../env.ts";
import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { accessibleWhere, authorizeRow } from "../../platform/authz/accessible.ts";
import { asJob } from "../../platform/data.ts";
import { badInput, conflict, isUniqueViolation, notFound } from "../../platform/errors.ts";
import { connection, keyset, pageRequest, type PageArgs } from "../../platform/graphql/cursor.ts";
import { QUEUES, type JobHandler, type JobQueue } from "../../platform/jobs/job-queue.ts";
import type { MailOutbox } from "../../platform/mail/outbox.ts";
import type { ProviderAdapters } from "../integrations/integrations.service.ts";
import { ProviderError } from "../integrations/providers/provider-error.ts";
import type { MemberUserView } from "../members/members.types.ts";
import { messagingRepository } from "../messaging/messaging.repository.ts";
import { NOT_SENT } from "../messaging/not-sent.ts";
import { assertPublicHost, ForbiddenTargetError } from "../webhooks/ssrf.ts";
import { digestRecipients } from "./notification-digest.ts";
import {
  operatorsRepository as repo,
  type CallActionRow,
  type NotificationRow,
  type ReviewItemRow,
  type SafetyRuleRow,
} from "./operators.repository.ts";
import type {
  CallActionView,
  InboxSettingsView,
  NotificationConnection,
  NotificationView,
  ReviewItemConnection,
  ReviewItemView,
  SafetyRuleInput,
  SafetyRuleView,
  SafetyTemplateView,
} from "./operators.types.ts";

export type Scope = SafetyRuleRow["appliesTo"][number];
export interface SafetyHit {
  rule: SafetyRuleRow;
  matched: string;
}
type NotificationKind = NotificationRow["kind"];

const SEVERITY: Record<SafetyRuleRow["action"], number> = { BLOCK: 3, HAND_OVER: 2, FLAG: 1 };
const ACTION_WORDS: Record<SafetyRuleRow["action"], string> = {
  FLAG: "flagged",
  HAND_OVER: "handed to a person",
  BLOCK: "blocked the agent's reply and handed to a person",
};
const WHERE_WORDS: Record<Scope, string> = {
  INBOUND: "an inbound message",
  AGENT_REPLY: "the agent's reply",
  CALL_TRANSCRIPT: "the call transcript",
};
/** Review outcomes a person picks from (free text is accepted too, up to 100 characters). */
export const REVIEW_OUTCOME_MAX = 100;
export const REVIEW_NOTE_MAX = 2000;
/** The digest goes out at 08:00 UTC. */
export const DIGEST_CRON = "0 8 * * *";

const excerptOf = (text: string) => (text.length > 280 ? `${text.slice(0, 277)}…` : text);

interface CallActionJob {
  workspaceId: string;
  actionId: string;
}

export function createOperatorsService(deps: {
  db: Db;
  config: AppConfig;
  jobs: JobQueue;
  mail: MailOutbox;
  providers: Pick<ProviderAdapters, "vapi">;
}) {
  const { db, config, jobs, mail, providers } = deps;
  /** Compiled rules by id and last update: a rule is compiled once per version, not per message. */
  const compiled = new Map<string, { stamp: number; matcher: SafetyMatcher }>();
  const matcherOf = (rule: SafetyRuleRow): SafetyMatcher => {
    const hit = compiled.get(rule.id);
    if (hit && hit.stamp === rule.updatedAt.getTime()) return hit.matcher;
    const matcher = compileSafetyRule(rule);
    if (compiled.size > 5_000) compiled.clear();
    compiled.set(rule.id, { stamp: rule.updatedAt.getTime(), matcher });
    return matcher;
  };

  const teammate = (
    m: { user: { id: string; name: string; email: string } } | undefined | null,
  ): MemberUserView | null => (m ? { id: m.user.id, name: m.user.name, email: m.user.email } : null);

  async function teammates(
    tx: TenantTx,
    workspaceId: string,
    ids: (string | null)[],
  ): Promise<Map<string, MemberUserView>> {
    const wanted = [...new Set(ids.filter((x): x is string => !!x))];
    const rows = await repo.members(tx, workspaceId, wanted);
    return new Map(rows.map((m) => [m.id, teammate(m)!]));
  }

  /** Members who can work the review queue (OWNER, ADMIN, or holding review.claim). */
  async function reviewers(tx: TenantTx, workspaceId: string): Promise<string[]> {
    const all = await repo.allMembers(tx, workspaceId);
    return all
      .filter((m) => !m.user.disabledAt && (m.role !== "AGENT" || m.policies.includes("review.claim")))
      .map((m) => m.id);
  }

  /**
   * In-app notifications (live through the `notifications` trigger), and an e-mail now for each
   * recipient who asked for IMMEDIATE ones (the daily digest takes the others). `except`: the
   * member who caused it is not told about their own act.
   */
  async function notify(
    tx: TenantTx,
    workspaceId: string,
    recipients: string[],
    n: {
      kind: NotificationKind;
      title: string;
      body?: string | null;
      conversationId?: string | null;
      reviewItemId?: string | null;
    },
    except?: string | null,
  ): Promise<number> {
    const to = [...new Set(recipients)].filter((id) => id !== except);
    if (to.length === 0) return 0;
    const rows = await repo.createNotifications(
      tx,
      to.map((membershipId) => ({
        workspaceId,
        membershipId,
        kind: n.kind,
        title: n.title.slice(0, 200),
        body: n.body?.slice(0, 1000) ?? null,
        conversationId: n.conversationId ?? null,
        reviewItemId: n.reviewItemId ?? null,
      })),
    );
    const members = await repo.members(tx, workspaceId, to);
    const ws = await repo.workspaceFlags(tx, workspaceId);
    const emailed: string[] = [];
    for (const row of rows) {
      const m = members.find((x) => x.id === row.membershipId);
      if (!m || m.emailNotifications !== "IMMEDIATE") continue;
      const link = `${config.publicUrl}/w/${ws?.slug ?? ""}/${n.conversationId ? `conversations/${n.conversationId}` : "review"}`;
      await mail.queue(
        tx,
        {
          to: m.user.email,
          subject: `[${ws?.name ?? "Atrium"}] ${row.title}`,
          text: `${row.title}\n\n${row.body ?? ""}\n\nOpen it: ${link}\n\nYou get these e-mails because your notification setting in this workspace is "immediately". Change it under Inbox → Settings.`,
        },
        { kind: "notification", workspaceId, targetType: "Notification", targetId: row.id },
      );
      emailed.push(row.id);
    }
    if (emailed.length > 0) await repo.markEmailed(tx, workspaceId, emailed);
    return rows.length;
  }

  /** Switches a conversation to HUMAN mode; the agent's replies not yet handed over never go. */
  async function handOver(tx: TenantTx, workspaceId: string, conversationId: string): Promise<void> {
    await repo.handOver(tx, workspaceId, conversationId);
    await messagingRepository.stopUnsentMessages(
      tx,
      workspaceId,
      { conversationId, sender: "AGENT" },
      NOT_SENT.takenOver,
    );
  }

  /** Files a review item (once per message and reason) and tells the people who act on it. */
  async function fileReview(
    tx: TenantTx,
    input: {
      workspaceId: string;
      reason: ReviewItemRow["reason"];
      conversationId: string | null;
      messageId?: string | null;
      ruleId?: string | null;
      summary: string;
      excerpt?: string | null;
      escalate: boolean;
    },
  ): Promise<ReviewItemRow> {
    const { item, created } = await repo.fileReview(tx, {
      workspaceId: input.workspaceId,
      reason: input.reason,
      conversationId: input.conversationId,
      messageId: input.messageId ?? null,
      ruleId: input.ruleId ?? null,
      summary: input.summary.slice(0, 500),
      excerpt: input.excerpt ? excerptOf(input.excerpt) : null,
    });
    if (created && input.escalate) {
      const assignee = input.conversationId ? await repo.assigneeOf(tx, input.workspaceId, input.conversationId) : null;
      const recipients = assignee ? [assignee] : await reviewers(tx, input.workspaceId);
      await notify(tx, input.workspaceId, recipients, {
        kind: "ESCALATION",
        title: input.summary,
        body: input.excerpt ?? null,
        conversationId: input.conversationId,
        reviewItemId: item.id,
      });
    }
    return item;
  }

  /** Issue 47: the first enabled rule that matches, the most severe first; null when none. */
  async function evaluate(tx: TenantTx, workspaceId: string, where: Scope, text: string): Promise<SafetyHit | null> {
    if (!text.trim()) return null;
    const rules = await repo.enabledRules(tx, workspaceId, where);
    let best: SafetyHit | null = null;
    for (const rule of rules) {
      if (best && SEVERITY[rule.action] <= SEVERITY[best.rule.action]) continue;
      const matched = matcherOf(rule).test(text);
      if (matched !== null) best = { rule, matched };
    }
    return best;
  }

  /** What a hit does: a review item, HUMAN mode for HAND_OVER and BLOCK, an escalation for those. */
  async function act(
    tx: TenantTx,
    workspaceId: string,
    hit: SafetyHit,
    at: { where: Scope; conversationId: string | null; messageId: string | null; text: string },
  ): Promise<ReviewItemRow> {
    const { rule } = hit;
    const handsOver = rule.action !== "FLAG";
    if (handsOver && at.conversationId) await handOver(tx, workspaceId, at.conversationId);
    return fileReview(tx, {
      workspaceId,
      reason: at.where === "CALL_TRANSCRIPT" ? "CALL_FLAGGED" : "SAFETY_FLAG",
      conversationId: at.conversationId,
      messageId: at.messageId,
      ruleId: rule.id,
      summary: `"${rule.name}" ${ACTION_WORDS[rule.action]}: "${hit.matched}" in ${WHERE_WORDS[at.where]}.`,
      excerpt: at.text,
      escalate: handsOver,
    });
  }

  /** Round-robin (issue 47): a new conversation goes to the available member least recently given one. */
  async function autoAssign(tx: TenantTx, workspaceId: string, conversationId: string): Promise<string | null> {
    const ws = await repo.workspaceFlags(tx, workspaceId);
    if (!ws?.autoAssign) return null;
    const all = await repo.allMembers(tx, workspaceId);
    const candidates = all
      .filter((m) => !m.user.disabledAt && (m.role !== "AGENT" || m.policies.includes("conversation.read")))
      .map((m) => m.id);
    const chosen = await repo.nextAvailable(tx, workspaceId, candidates);
    if (!chosen) return null;
    if (!(await repo.assignIfUnassigned(tx, workspaceId, conversationId, chosen))) return null;
    await repo.markAssigned(tx, workspaceId, chosen);
    await notify(tx, workspaceId, [chosen], {
      kind: "ASSIGNED",
      title: "A new conversation was assigned to you",
      body: "Round-robin assignment.",
      conversationId,
    });
    return chosen;
  }

  // ------------------------------------------------------------------ views
  const toRuleView = (r: SafetyRuleRow): SafetyRuleView => ({
    ...r,
    appliesTo: r.appliesTo as never,
    action: r.action as never,
  });
  const toCallActionView = (a: CallActionRow, people: Map<string, MemberUserView>): CallActionView => ({
    id: a.id,
    kind: a.kind as never,
    status: a.status as never,
    errorMessage: a.errorMessage,
    author: a.membershipId ? (people.get(a.membershipId) ?? null) : null,
    createdAt: a.createdAt,
  });
  const toNotificationView = (n: NotificationRow): NotificationView => ({ ...n, kind: n.kind as never });

  async function reviewViews(
    tx: TenantTx,
    access: WorkspaceAccess,
    rows: ReviewItemRow[],
    conversationOf: (tx: TenantTx, id: string) => Promise<ReviewItemView["conversation"]>,
  ): Promise<ReviewItemView[]> {
    const people = await teammates(
      tx,
      access.workspaceId,
      rows.flatMap((r) => [r.claimedByMembershipId, r.resolvedByMembershipId]),
    );
    const ruleIds = [...new Set(rows.map((r) => r.ruleId).filter((x): x is string => !!x))];
    const rules = ruleIds.length ? await repo.rules(tx, { workspaceId: access.workspaceId, id: { in: ruleIds } }) : [];
    const out: ReviewItemView[] = [];
    for (const r of rows) {
      const rule = rules.find((x) => x.id === r.ruleId);
      out.push({
        id: r.id,
        reason: r.reason as never,
        status: r.status as never,
        summary: r.summary,
        excerpt: r.excerpt,
        conversationId: r.conversationId,
        conversation:
          r.conversationId && access.ability.can("read", "Conversation")
            ? await conversationOf(tx, r.conversationId)
            : null,
        messageId: r.messageId,
        rule: rule ? { id: rule.id, name: rule.name } : null,
        claimedBy: r.claimedByMembershipId ? (people.get(r.claimedByMembershipId) ?? null) : null,
        claimedAt: r.claimedAt,
        resolvedBy: r.resolvedByMembershipId ? (people.get(r.resolvedByMembershipId) ?? null) : null,
        resolvedAt: r.resolvedAt,
        outcome: r.outcome,
        note: r.note,
        createdAt: r.createdAt,
      });
    }
    return out;
  }

  function ruleData(input: SafetyRuleInput) {
    const phrases = (input.phrases ?? []).map((p) => p.trim()).filter((p) => p !== "");
    const pattern = input.pattern?.trim() ? input.pattern.trim() : null;
    const name = input.name.trim();
    const parsed = safetyRuleForm.safeParse({
      name,
      phrases,
      pattern,
      appliesTo: input.appliesTo,
      action: input.action,
    });
    if (!parsed.success) {
      const fields: Record<string, string> = {};
      for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? "input")] ??= issue.message;
      if (pattern) {
        const why = safetyPatternProblem(pattern);
        if (why) fields.pattern = why;
      }
      throw badInput(Object.values(fields)[0] ?? "The rule is not valid.", fields);
    }
    if (input.template && !SAFETY_TEMPLATES.some((t) => t.key === input.template))
      throw badInput("Unknown template.", { template: `one of ${SAFETY_TEMPLATES.map((t) => t.key).join(", ")}` });
    return {
      name,
      phrases: [...new Set(phrases)],
      pattern,
      appliesTo: [...new Set(input.appliesTo)] as never,
      action: input.action as never,
    };
  }

  const uniqueName = (err: unknown) => {
    if (isUniqueViolation(err)) throw conflict("A rule with this name exists already.", { name: "taken" });
    throw err;
  };

  // ------------------------------------------------------------------ Live Call Control job
  const runCallAction: JobHandler<CallActionJob> = async ({ workspaceId, actionId }) => {
    const claim = await asJob(db, { workspaceId }, async (tx) => {
      await repo.lockCallAction(tx, workspaceId, actionId);
      const a = await repo.callAction(tx, workspaceId, actionId);
      // At most once: an attempt that started (attempts > 0) may have reached the call.
      if (!a || a.status !== "QUEUED" || a.attempts > 0) return null;
      const conv = await repo.callControl(tx, workspaceId, a.conversationId);
      if (!conv?.callControlUrl || conv.callStatus === "ended") {
        await repo.updateCallAction(tx, workspaceId, actionId, ["QUEUED"], {
          status: "FAILED",
          errorMessage: "Not sent: the call has ended.",
        });
        return null;
      }
      await repo.updateCallAction(tx, workspaceId, actionId, ["QUEUED"], { attempts: 1 });
      return { a, url: conv.callControlUrl };
    });
    if (!claim) return;
    let error: string | null = null;
    try {
      // The URL came from Vapi (POST /call, or an authenticated server message); in production it
      // must still be https on a public address, like a webhook target (no request inside our network).
      if (!config.webhooks.allowPrivateTargets) {
        const u = new URL(claim.url);
        if (u.protocol !== "https:") throw new TypeError("not https");
        await assertPublicHost(u.hostname);
      }
      await providers.vapi.control(claim.url, claim.a.payload as Record<string, unknown>);
    } catch (err) {
      if (err instanceof ForbiddenTargetError || err instanceof TypeError) {
        error = `Not sent: the call's control URL is not allowed (${err instanceof ForbiddenTargetError ? `${err.host} is not a public address` : "it must be https"}).`;
      } else {
        if (!(err instanceof ProviderError)) throw err;
        error =
          err.status === null
            ? `${err.describe().replace(/\.?$/, ".")} It may not have reached the call; it was not sent again.`
            : err.describe();
      }
    }
    await asJob(db, { workspaceId }, (tx) =>
      repo.updateCallAction(
        tx,
        workspaceId,
        actionId,
        ["QUEUED"],
        error ? { status: "FAILED", errorMessage: error } : { status: "SENT", errorMessage: null },
      ),
    );
  };

  return {
    evaluate,
    act,
    fileReview,
    autoAssign,
    notify,
    handOver,
    teammates,

    /** Queues a Live Call Control request (guidance or transfer) in `tx`; its job sends it once. */
    async queueCallAction(
      tx: TenantTx,
      data: {
        workspaceId: string;
        conversationId: string;
        membershipId: string | null;
        kind: CallActionRow["kind"];
        payload: Record<string, unknown>;
      },
    ): Promise<CallActionRow> {
      const row = await repo.createCallAction(tx, { ...data, payload: data.payload as never });
      await jobs.enqueue(tx, QUEUES.callControl, row.id, {
        workspaceId: data.workspaceId,
        actionId: row.id,
      } satisfies CallActionJob);
      return row;
    },
    callActionView: toCallActionView,

    // ---------------------------------------------------------------- safety rules
    async safetyRules(access: WorkspaceAccess): Promise<SafetyRuleView[]> {
      const where = {
        AND: [...accessibleWhere(access.ability, "read", "SafetyRule").AND, { workspaceId: access.workspaceId }],
      };
      return (await inWorkspace(db, access, (tx) => repo.rules(tx, where))).map(toRuleView);
    },
    templates(): SafetyTemplateView[] {
      return SAFETY_TEMPLATES.map((t) => ({
        key: t.key,
        name: t.name,
        description: t.description,
        phrases: [...t.phrases],
        pattern: t.pattern,
        appliesTo: [...t.appliesTo] as never,
        action: t.action as never,
      }));
    },
    async createSafetyRule(access: WorkspaceAccess, input: SafetyRuleInput, actor: Actor): Promise<SafetyRuleView> {
      const data = ruleData(input);
      return inWorkspace(db, access, async (tx) => {
        const row = await repo
          .createRule(tx, {
            workspaceId: access.workspaceId,
            ...data,
            enabled: input.enabled ?? true,
            template: input.template ?? null,
          })
          .catch(uniqueName);
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "safety_rule.created",
          actorMembershipId: access.membershipId,
          targetType: "SafetyRule",
          targetId: row.id,
          data: { name: row.name, action: row.action },
        });
        return toRuleView(row);
      });
    },
    async updateSafetyRule(
      access: WorkspaceAccess,
      id: string,
      input: SafetyRuleInput,
      actor: Actor,
    ): Promise<SafetyRuleView> {
      if (!UUID_RE.test(id)) throw notFound("Safety rule");
      const data = ruleData(input);
      return inWorkspace(db, access, async (tx) => {
        const current = await repo.rule(tx, access.workspaceId, id);
        if (!current) throw notFound("Safety rule");
        authorizeRow(access.ability, "update", "SafetyRule", current);
        const row = await repo
          .updateRule(tx, access.workspaceId, id, { ...data, enabled: input.enabled ?? current.enabled })
          .catch(uniqueName);
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "safety_rule.updated",
          actorMembershipId: access.membershipId,
          targetType: "SafetyRule",
          targetId: id,
          data: { name: row.name, action: row.action, enabled: row.enabled },
        });
        return toRuleView(row);
      });
    },
    async deleteSafetyRule(access: WorkspaceAccess, id: string, actor: Actor): Promise<boolean> {
      if (!UUID_RE.test(id)) throw notFound("Safety rule");
      return inWorkspace(db, access, async (tx) => {
        const current = await repo.rule(tx, access.workspaceId, id);
        if (!current) throw notFound("Safety rule");
        authorizeRow(access.ability, "delete", "SafetyRule", current);
        await repo.deleteRule(tx, access.workspaceId, id);
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "safety_rule.deleted",
          actorMembershipId: access.membershipId,
          targetType: "SafetyRule",
          targetId: id,
          data: { name: current.name },
        });
        return true;
      });
    },

    // ---------------------------------------------------------------- review queue
    async reviewItems(
      access: WorkspaceAccess,
      args: PageArgs & {
        status?: ReviewItemRow["status"][] | null;
        reason?: ReviewItemRow["reason"] | null;
        conversationId?: string | null;
      },
      conversationOf: (tx: TenantTx, id: string) => Promise<ReviewItemView["conversation"]>,
    ): Promise<ReviewItemConnection> {
      const page = pageRequest(args);
      if (args.conversationId && !UUID_RE.test(args.conversationId)) throw notFound("Conversation");
      const where = {
        AND: [
          ...accessibleWhere(access.ability, "read", "ReviewItem").AND,
          { workspaceId: access.workspaceId },
          args.status?.length ? { status: { in: args.status } } : {},
          args.reason ? { reason: args.reason } : {},
          args.conversationId ? { conversationId: args.conversationId } : {},
        ],
      };
      const ks = keyset(page);
      return inWorkspace(db, access, async (tx) => {
        const [rows, total] = await repo.reviewPage(tx, where, ks, page.take);
        const views = await reviewViews(tx, access, rows.slice(0, page.take), conversationOf);
        const byId = new Map(views.map((v) => [v.id, v]));
        return connection(rows, page, total, (r) => byId.get(r.id)!);
      });
    },
    async reviewItem(
      access: WorkspaceAccess,
      id: string,
      conversationOf: (tx: TenantTx, id: string) => Promise<ReviewItemView["conversation"]>,
    ): Promise<ReviewItemView> {
      if (!UUID_RE.test(id)) throw notFound("Review item");
      return inWorkspace(db, access, async (tx) => {
        const row = await repo.reviewItem(tx, access.workspaceId, id);
        if (!row || !access.ability.can("read", subject("ReviewItem", row))) throw notFound("Review item");
        return (await reviewViews(tx, access, [row], conversationOf))[0]!;
      });
    },
    /** One claimant: the item moves OPEN → CLAIMED in one conditional UPDATE; the loser gets CONFLICT. */
    async claim(
      access: WorkspaceAccess,
      id: string,
      actor: Actor,
      conversationOf: (tx: TenantTx, id: string) => Promise<ReviewItemView["conversation"]>,
    ): Promise<ReviewItemView> {
      if (!UUID_RE.test(id)) throw notFound("Review item");
      return inWorkspace(db, access, async (tx) => {
        const row = await repo.reviewItem(tx, access.workspaceId, id);
        if (!row) throw notFound("Review item");
        authorizeRow(access.ability, "claim", "ReviewItem", row);
        const won = await repo.moveReview(
          tx,
          access.workspaceId,
          id,
          { status: "OPEN" },
          { status: "CLAIMED", claimedByMembershipId: access.membershipId, claimedAt: new Date() },
        );
        if (!won) {
          const now = await repo.reviewItem(tx, access.workspaceId, id);
          if (now?.status === "CLAIMED" && now.claimedByMembershipId === access.membershipId)
            return (await reviewViews(tx, access, [now], conversationOf))[0]!;
          throw conflict(
            now?.status === "RESOLVED" ? "This item is resolved already." : "Someone else claimed this item first.",
            { id: now?.status === "RESOLVED" ? "resolved" : "claimed" },
          );
        }
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "review.claimed",
          actorMembershipId: access.membershipId,
          targetType: "ReviewItem",
          targetId: id,
        });
        return (
          await reviewViews(tx, access, [(await repo.reviewItem(tx, access.workspaceId, id))!], conversationOf)
        )[0]!;
      });
    },
    async release(
      access: WorkspaceAccess,
      id: string,
      actor: Actor,
      conversationOf: (tx: TenantTx, id: string) => Promise<ReviewItemView["conversation"]>,
    ): Promise<ReviewItemView> {
      if (!UUID_RE.test(id)) throw notFound("Review item");
      return inWorkspace(db, access, async (tx) => {
        const row = await repo.reviewItem(tx, access.workspaceId, id);
        if (!row) throw notFound("Review item");
        authorizeRow(access.ability, "claim", "ReviewItem", row);
        const mine = row.claimedByMembershipId === access.membershipId || access.role !== "AGENT";
        if (row.status !== "CLAIMED" || !mine)
          throw conflict(row.status === "CLAIMED" ? "Someone else holds this item." : "This item is not claimed.", {
            id: "not claimed by you",
          });
        await repo.moveReview(
          tx,
          access.workspaceId,
          id,
          { status: "CLAIMED" },
          { status: "OPEN", claimedByMembershipId: null, claimedAt: null },
        );
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "review.released",
          actorMembershipId: access.membershipId,
          targetType: "ReviewItem",
          targetId: id,
        });
        return (
          await reviewViews(tx, access, [(await repo.reviewItem(tx, access.workspaceId, id))!], conversationOf)
        )[0]!;
      });
    },
    /** Resolves an item the caller holds, an open one (claimed in passing), or — an owner or admin — anyone's. */
    async resolve(
      access: WorkspaceAccess,
      id: string,
      outcome: string,
      note: string | null,
      actor: Actor,
      conversationOf: (tx: TenantTx, id: string) => Promise<ReviewItemView["conversation"]>,
    ): Promise<ReviewItemView> {
      if (!UUID_RE.test(id)) throw notFound("Review item");
      const o = outcome.trim();
      if (!o) throw badInput("Say what the outcome was.", { outcome: "required" });
      if (o.length > REVIEW_OUTCOME_MAX)
        throw badInput(`Outcomes are at most ${REVIEW_OUTCOME_MAX} characters.`, { outcome: "too long" });
      if (note && note.length > REVIEW_NOTE_MAX)
        throw badInput(`Notes are at most ${REVIEW_NOTE_MAX} characters.`, { note: "too long" });
      return inWorkspace(db, access, async (tx) => {
        const row = await repo.reviewItem(tx, access.workspaceId, id);
        if (!row) throw notFound("Review item");
        authorizeRow(access.ability, "claim", "ReviewItem", row);
        const now = new Date();
        const data = {
          status: "RESOLVED" as const,
          outcome: o,
          note: note?.trim() || null,
          resolvedByMembershipId: access.membershipId,
          resolvedAt: now,
        };
        // Owners and admins may close an item someone else holds (as they may release it).
        const held =
          access.role === "AGENT"
            ? { status: "CLAIMED" as const, claimedByMembershipId: access.membershipId }
            : { status: "CLAIMED" as const };
        const won =
          (await repo.moveReview(tx, access.workspaceId, id, held, data)) ||
          (await repo.moveReview(
            tx,
            access.workspaceId,
            id,
            { status: "OPEN" },
            { ...data, claimedByMembershipId: access.membershipId, claimedAt: now },
          ));
        if (!won)
          throw conflict(
            row.status === "RESOLVED" ? "This item is resolved already." : "Someone else holds this item.",
            { id: row.status === "RESOLVED" ? "resolved" : "claimed" },
          );
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "review.resolved",
          actorMembershipId: access.membershipId,
          targetType: "ReviewItem",
          targetId: id,
          data: { outcome: o },
        });
        return (
          await reviewViews(tx, access, [(await repo.reviewItem(tx, access.workspaceId, id))!], conversationOf)
        )[0]!;
      });
    },
    /** One review item for a live event (null when gone or unreadable). */
    async reviewForLive(
      access: WorkspaceAccess,
      id: string,
      conversationOf: (tx: TenantTx, id: string) => Promise<ReviewItemView["conversation"]>,
    ): Promise<ReviewItemView | null> {
      if (!access.ability.can("read", "ReviewItem")) return null;
      return inWorkspace(db, access, async (tx) => {
        const row = await repo.reviewItem(tx, access.workspaceId, id);
        return row ? (await reviewViews(tx, access, [row], conversationOf))[0]! : null;
      });
    },

    // ---------------------------------------------------------------- notifications and settings
    async notifications(
      access: WorkspaceAccess,
      args: PageArgs & { unreadOnly?: boolean | null },
    ): Promise<NotificationConnection> {
      const page = pageRequest(args);
      const where = {
        workspaceId: access.workspaceId,
        membershipId: access.membershipId,
        ...(args.unreadOnly ? { readAt: null } : {}),
      };
      const ks = keyset(page);
      const [rows, total, unread] = await inWorkspace(db, access, (tx) =>
        repo.notificationPage(tx, where, ks, page.take),
      );
      return { ...connection(rows, page, total, toNotificationView), unreadCount: unread };
    },
    async notificationForLive(access: WorkspaceAccess, id: string): Promise<NotificationView | null> {
      const row = await inWorkspace(db, access, (tx) => repo.notification(tx, access.workspaceId, id));
      return row && row.membershipId === access.membershipId ? toNotificationView(row) : null;
    },
    /** Marks the caller's notifications read: the ones named, or all. Returns how many changed. */
    async markNotificationsRead(access: WorkspaceAccess, ids: string[] | null): Promise<number> {
      if (ids && ids.some((id) => !UUID_RE.test(id)))
        throw badInput("ids must be notification ids.", { ids: "invalid id" });
      if (ids && ids.length > 500) throw badInput("At most 500 ids at once.", { ids: "too many" });
      return inWorkspace(db, access, (tx) =>
        repo.markNotificationsRead(tx, {
          workspaceId: access.workspaceId,
          membershipId: access.membershipId,
          ...(ids ? { id: { in: ids } } : {}),
        }),
      );
    },
    async inboxSettings(access: WorkspaceAccess): Promise<InboxSettingsView> {
      return inWorkspace(db, access, async (tx) => {
        const m = await repo.inboxSettings(tx, access.workspaceId, access.membershipId);
        const ws = await repo.workspaceFlags(tx, access.workspaceId);
        return {
          available: m?.available ?? false,
          emailNotifications: (m?.emailNotifications ?? "IMMEDIATE") as never,
          autoAssign: ws?.autoAssign ?? false,
        };
      });
    },
    async updateInboxSettings(
      access: WorkspaceAccess,
      input: { available?: boolean | null; emailNotifications?: string | null },
    ): Promise<InboxSettingsView> {
      await inWorkspace(db, access, (tx) =>
        repo.updateMembership(tx, access.workspaceId, access.membershipId, {
          ...(input.available != null ? { available: input.available } : {}),
          ...(input.emailNotifications != null ? { emailNotifications: input.emailNotifications as never } : {}),
        }),
      );
      return this.inboxSettings(access);
    },
    async setAutoAssign(access: WorkspaceAccess, enabled: boolean, actor: Actor): Promise<InboxSettingsView> {
      await inWorkspace(db, access, async (tx) => {
        await repo.setAutoAssign(tx, access.workspaceId, enabled);
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: enabled ? "inbox.auto_assign_enabled" : "inbox.auto_assign_disabled",
          actorMembershipId: access.membershipId,
          targetType: "Workspace",
          targetId: access.workspaceId,
        });
      });
      return this.inboxSettings(access);
    },

    /** The daily digest: one mail per member on DAILY with unread notifications not yet e-mailed. */
    async sendDigests(): Promise<number> {
      const pending = await digestRecipients(db);
      let sent = 0;
      for (const p of pending) {
        await asJob(db, { workspaceId: p.workspace_id }, async (tx) => {
          const rows = await repo.pendingDigest(tx, p.workspace_id, p.membership_id);
          const [m] = await repo.members(tx, p.workspace_id, [p.membership_id]);
          if (rows.length === 0 || !m || m.emailNotifications !== "DAILY") return;
          const ws = await repo.workspaceFlags(tx, p.workspace_id);
          const lines = rows.map((r) => `- ${r.title}${r.body ? `: ${r.body.slice(0, 200)}` : ""}`);
          await mail.queue(
            tx,
            {
              to: m.user.email,
              subject: `[${ws?.name ?? "Atrium"}] ${rows.length} notification${rows.length === 1 ? "" : "s"} since your last digest`,
              text: `${lines.join("\n")}\n\nOpen the inbox: ${config.publicUrl}/w/${ws?.slug ?? ""}/conversations`,
            },
            { kind: "notification-digest", workspaceId: p.workspace_id, targetType: "Membership", targetId: m.id },
          );
          await repo.markEmailed(
            tx,
            p.workspace_id,
            rows.map((r) => r.id),
          );
          await repo.updateMembership(tx, p.workspace_id, m.id, { digestSentAt: new Date() });
          sent++;
        });
      }
      if (sent > 0) mail.notify();
      return sent;
    },

    async startWorkers(): Promise<void> {
      await jobs.work(QUEUES.callControl, runCallAction, { concurrency: 4, pollingIntervalSeconds: 0.5 });
      await jobs.work(QUEUES.notificationDigest, async () => ({ sent: await this.sendDigests() }));
      await jobs.schedule(QUEUES.notificationDigest, DIGEST_CRON);
    },
  };
}

export type OperatorsService = ReturnType<typeof createOperatorsService>;
export { SAFETY_MESSAGES };
