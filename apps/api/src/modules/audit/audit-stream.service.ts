// Audit streaming (issue 50, decision 0052): per workspace, at most one HTTPS endpoint receives
// the workspace's audit events as JSON lines (application/x-ndjson), oldest first, in batches of
// at most `auditStream.batchSize`, signed per Standard Webhooks with the outbound webhooks' own
// signing, secret sealing, URL validation (SSRF guard) and sender.
//
// Nothing is added to the audit insert: a pump job per stream (queue `audit-stream`, stately on
// the workspace id) reads the events after the stream's cursor, sends them, and enqueues its own
// next run — at once while a backlog remains, after `pollSeconds` once up to date, after the
// webhooks' backoff when the receiver failed. A batch in flight is kept on the stream's row (its
// id, the webhook-id of every attempt, and its last event), so a retry sends the same events with
// the same webhook-id: delivery is at least once, in order, and the receiver can deduplicate. The
// cursor moves only after a 2xx, in the transaction that schedules the next run. A sweep every
// minute enqueues a pump for every enabled stream (deduplicated), so a lost chain restarts.
import { randomUUID } from "node:crypto";

import type { Db, TenantTx } from "@atrium/db";

import type { AppConfig } from "../../env.ts";
import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { revealAudit } from "../../platform/audit/reveal.ts";
import { inWorkspace, type WorkspaceAccess } from "../../platform/authz/access.ts";
import type { SecretBox } from "../../platform/crypto/secret-box.ts";
import { asJob } from "../../platform/data.ts";
import { conflict, notFound } from "../../platform/errors.ts";
import { QUEUES, type JobHandler, type JobQueue } from "../../platform/jobs/job-queue.ts";
import { postWebhook } from "../webhooks/sender.ts";
import { generateWebhookSecret, signedHeaders } from "../webhooks/signing.ts";
import { RETRY_DELAYS_SECONDS, sealWebhookSecret, validateWebhookUrl } from "../webhooks/webhooks.service.ts";
import { sweepAuditStreams, type PumpJob } from "./audit-stream-sweep.ts";
import {
  auditStreamRepository as repo,
  type AuditStreamRow,
  type LogPosition,
  type StreamedEventRow,
} from "./audit-stream.repository.ts";
import {
  AuditStreamState,
  type AuditStreamTestResult,
  type AuditStreamView,
  type CreatedAuditStream,
} from "./audit-stream.types.ts";

/** What a stream's signing secret is sealed to (SecretBox binding): its workspace and stream. */
export const auditStreamSecretBinding = (workspaceId: string, streamId: string) => ({
  workspaceId,
  provider: `audit-stream:${streamId}`,
});

export const AUDIT_STREAM_CONTENT_TYPE = "application/x-ndjson";
/** The backlog is counted up to this many events (the status says "at least"). */
const BACKLOG_CAP = 10_000;

/**
 * The delay before the stream's next attempt after `failures` failed ones in a row: the webhooks'
 * schedule (5 s, 30 s, 3 min, 18 min, …) scaled, at most `maxSeconds`, ±20 % jitter. A stream
 * never gives up: its events wait behind the cursor until the receiver answers again.
 */
export function streamRetryDelayMs(failures: number, scale: number, maxSeconds: number, random = Math.random): number {
  const nominal =
    Math.min(RETRY_DELAYS_SECONDS[Math.min(failures, RETRY_DELAYS_SECONDS.length) - 1]!, maxSeconds) * 1000 * scale;
  return Math.round(nominal * (0.8 + 0.4 * random()));
}

/** One audit event as a line of the stream (camelCase, as the GraphQL AuditEvent). */
export function streamLine(e: StreamedEventRow): string {
  return JSON.stringify({
    id: e.id,
    workspaceId: e.workspaceId,
    createdAt: e.createdAt.toISOString(),
    action: e.action,
    actorUserId: e.actorUserId,
    actorMembershipId: e.actorMembershipId,
    actorApiKeyId: e.actorApiKeyId,
    targetType: e.targetType,
    targetId: e.targetId,
    data: e.data,
    ip: e.ip,
    userAgent: e.userAgent,
    requestId: e.requestId,
  });
}

export function createAuditStreamService(deps: { db: Db; config: AppConfig; jobs: JobQueue; box: SecretBox }) {
  const { db, config, jobs, box } = deps;
  const cfg = config.auditStream;
  const hooks = config.webhooks;
  const binding = auditStreamSecretBinding;

  const nudge = () => setTimeout(() => jobs.notify(QUEUES.auditStream), 15).unref();
  const sweep = () => sweepAuditStreams({ db, jobs });
  /** The pump's next run (deduplicated: one queued per workspace). */
  const schedule = (tx: TenantTx, workspaceId: string, startAfter?: Date) =>
    jobs.enqueue(tx, QUEUES.auditStream, randomUUID(), { workspaceId } satisfies PumpJob, {
      singletonKey: workspaceId,
      ...(startAfter ? { startAfter } : {}),
    });

  /** `at`, or one poll interval after `now` if that is sooner. */
  const soonest = (at: Date, now: Date) => new Date(Math.min(at.getTime(), now.getTime() + cfg.pollSeconds * 1000));

  const cursorOf = (s: AuditStreamRow): LogPosition | null =>
    s.cursorCreatedAt && s.cursorId ? { createdAt: s.cursorCreatedAt, id: s.cursorId } : null;

  async function openSecrets(s: AuditStreamRow, now: Date): Promise<string[]> {
    const secrets = [(await box.open(s.secretJwe, binding(s.workspaceId, s.id))).secret!];
    if (s.previousSecretJwe && s.previousSecretExpiresAt && s.previousSecretExpiresAt > now)
      secrets.push((await box.open(s.previousSecretJwe, binding(s.workspaceId, s.id))).secret!);
    return secrets;
  }

  /** One run of a stream's pump: at most one batch sent, then the next run scheduled. */
  const pump: JobHandler<PumpJob> = async ({ workspaceId }) => {
    const now = new Date();
    const batch = await asJob(db, { workspaceId }, async (tx) => {
      await repo.lock(tx, workspaceId);
      const s = await repo.find(tx, workspaceId);
      if (!s || !s.enabled) return null; // removed or disabled: the chain ends (enabling starts it again)
      if (s.nextAttemptAt && s.nextAttemptAt > now) {
        // Backing off. Looked at again every poll interval at most, so that a change (a new URL,
        // "retry now") is seen within one: the queued run cannot be replaced (one per workspace).
        await schedule(tx, workspaceId, soonest(s.nextAttemptAt, now));
        return null;
      }
      const cursor = cursorOf(s);
      let events: StreamedEventRow[];
      let batchId = s.batchId;
      if (s.batchId && s.batchLastCreatedAt && s.batchLastId) {
        // The batch in flight, again: the same events (those retention has not deleted meanwhile).
        events = await revealAudit(
          tx,
          workspaceId,
          await repo.eventsAfter(tx, workspaceId, cursor, {
            take: cfg.batchSize,
            through: { createdAt: s.batchLastCreatedAt, id: s.batchLastId },
          }),
        );
      } else {
        // Personal values opened (decision 0053): the receiver gets what the audit page shows.
        events = await revealAudit(
          tx,
          workspaceId,
          await repo.eventsAfter(tx, workspaceId, cursor, {
            take: cfg.batchSize,
            before: await repo.horizon(tx, cfg.settleMs),
          }),
        );
        if (events.length === 0) {
          await schedule(tx, workspaceId, new Date(now.getTime() + cfg.pollSeconds * 1000));
          return null;
        }
        const last = events.at(-1)!;
        batchId = randomUUID();
        await repo.update(tx, workspaceId, {
          batchId,
          batchLastCreatedAt: last.createdAt,
          batchLastId: last.id,
          batchSize: events.length,
          batchAttempts: 0,
        });
      }
      return { stream: s, events, batchId: batchId!, secrets: await openSecrets(s, now) };
    });
    if (!batch) return;
    const { stream, events, batchId } = batch;
    const body = events.map((e) => `${streamLine(e)}\n`).join("");
    const headers = {
      ...signedHeaders(batch.secrets, batchId, Math.floor(now.getTime() / 1000), body),
      "content-type": AUDIT_STREAM_CONTENT_TYPE,
      "user-agent": "Atrium-AuditStream/1",
    };
    // An empty batch (retention deleted its events meanwhile) needs no request.
    const result =
      events.length === 0
        ? { status: 204, error: null, forbidden: false }
        : await postWebhook(stream.url, headers, body, {
            timeoutMs: hooks.timeoutMs,
            allowPrivate: hooks.allowPrivateTargets,
          });
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    const error = ok ? null : (result.error ?? `The endpoint answered HTTP ${result.status}.`);
    await asJob(db, { workspaceId }, async (tx) => {
      await repo.lock(tx, workspaceId);
      const current = await repo.find(tx, workspaceId);
      // Removed, or the batch is no longer the one in flight (the URL changed, the stream was set again).
      if (!current || current.id !== stream.id || current.batchId !== batchId) {
        if (current?.enabled) await schedule(tx, workspaceId);
        return;
      }
      const at = new Date();
      if (ok) {
        const full = events.length >= cfg.batchSize;
        await repo.update(tx, workspaceId, {
          cursorCreatedAt: current.batchLastCreatedAt,
          cursorId: current.batchLastId,
          batchId: null,
          batchLastCreatedAt: null,
          batchLastId: null,
          batchSize: null,
          batchAttempts: 0,
          consecutiveFailures: 0,
          lastError: null,
          lastResponseStatus: result.status,
          lastAttemptAt: at,
          lastDeliveredAt: at,
          nextAttemptAt: null,
          deliveredEvents: { increment: events.length },
        });
        // A full batch: more may wait, go on at once; otherwise look again after the poll interval.
        await schedule(tx, workspaceId, full ? undefined : new Date(at.getTime() + cfg.pollSeconds * 1000));
      } else {
        const failures = current.consecutiveFailures + 1;
        const next = new Date(at.getTime() + streamRetryDelayMs(failures, hooks.retryScale, cfg.maxRetrySeconds));
        await repo.update(tx, workspaceId, {
          batchAttempts: { increment: 1 },
          consecutiveFailures: failures,
          lastError: error,
          lastResponseStatus: result.status,
          lastAttemptAt: at,
          nextAttemptAt: next,
        });
        await schedule(tx, workspaceId, soonest(next, at));
      }
    });
    if (ok && events.length >= cfg.batchSize) nudge();
  };

  async function view(tx: TenantTx, s: AuditStreamRow): Promise<AuditStreamView> {
    const cursor = cursorOf(s);
    const backlog = await repo.backlog(tx, s.workspaceId, cursor, BACKLOG_CAP);
    const now = new Date();
    let state: AuditStreamState;
    if (!s.enabled) state = AuditStreamState.DISABLED;
    else if (s.consecutiveFailures > 0) state = AuditStreamState.FAILING;
    else if (backlog.count > 0) state = AuditStreamState.DELIVERING;
    else state = AuditStreamState.UP_TO_DATE;
    return {
      id: s.id,
      url: s.url,
      enabled: s.enabled,
      state,
      lastDeliveredEventId: s.cursorId,
      lastDeliveredEventAt: s.cursorCreatedAt,
      lastDeliveredAt: s.lastDeliveredAt,
      deliveredEvents: Number(s.deliveredEvents),
      pendingEvents: backlog.count,
      pendingEventsCapped: backlog.count >= BACKLOG_CAP,
      lagSeconds: backlog.oldest ? Math.max(0, Math.round((now.getTime() - backlog.oldest.getTime()) / 1000)) : 0,
      lastError: s.lastError,
      lastResponseStatus: s.lastResponseStatus,
      lastAttemptAt: s.lastAttemptAt,
      consecutiveFailures: s.consecutiveFailures,
      nextAttemptAt: s.enabled && s.consecutiveFailures > 0 ? s.nextAttemptAt : null,
      previousSecretExpiresAt:
        s.previousSecretExpiresAt && s.previousSecretExpiresAt > now ? s.previousSecretExpiresAt : null,
      createdAt: s.createdAt,
    };
  }

  return {
    async get(access: WorkspaceAccess): Promise<AuditStreamView | null> {
      return inWorkspace(db, access, async (tx) => {
        const s = await repo.find(tx, access.workspaceId);
        return s ? view(tx, s) : null;
      });
    },

    /**
     * Creates the workspace's stream (starting after the newest event: what happened before is
     * in the audit log, not resent) or changes its URL / enables it. The secret is returned when
     * one is made (a new stream), once.
     */
    async set(
      access: WorkspaceAccess,
      input: { url: string; enabled?: boolean | null },
      actor: Actor,
    ): Promise<CreatedAuditStream> {
      const url = await validateWebhookUrl(input.url, hooks.allowPrivateTargets);
      const id = randomUUID();
      const secret = generateWebhookSecret();
      const secretJwe = await sealWebhookSecret(box, binding(access.workspaceId, id), secret);
      const result = await inWorkspace(db, access, async (tx) => {
        const existing = await repo.find(tx, access.workspaceId);
        const enabled = input.enabled ?? true;
        if (!existing) {
          const start = await repo.newestEvent(tx, access.workspaceId);
          const s = await repo.create(tx, {
            workspaceId: access.workspaceId,
            id,
            url,
            enabled,
            secretJwe,
            cursorCreatedAt: start?.createdAt ?? null,
            cursorId: start?.id ?? null,
          });
          await recordWorkspaceAudit(tx, access.workspaceId, actor, {
            action: "audit_stream.created",
            actorMembershipId: access.membershipId,
            targetType: "AuditStream",
            targetId: s.id,
            data: { url, enabled },
          });
          if (enabled) await schedule(tx, access.workspaceId);
          return { stream: await view(tx, s), secret };
        }
        await repo.lock(tx, access.workspaceId);
        const urlChanged = existing.url !== url;
        const s = await repo.update(tx, access.workspaceId, {
          url,
          enabled,
          // A new target gets the batch in flight under a new id; failures start over.
          ...(urlChanged
            ? { batchId: null, batchLastCreatedAt: null, batchLastId: null, batchSize: null, batchAttempts: 0 }
            : {}),
          ...(urlChanged || (enabled && !existing.enabled)
            ? { consecutiveFailures: 0, lastError: null, nextAttemptAt: null }
            : {}),
        });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "audit_stream.updated",
          actorMembershipId: access.membershipId,
          targetType: "AuditStream",
          targetId: s.id,
          data: { url, enabled },
        });
        if (enabled) await schedule(tx, access.workspaceId);
        return { stream: await view(tx, s), secret: null };
      });
      nudge();
      return result;
    },

    /** A new signing secret, returned once; the previous one still signs during the overlap window. */
    async rotateSecret(access: WorkspaceAccess, actor: Actor): Promise<CreatedAuditStream> {
      const secret = generateWebhookSecret();
      return inWorkspace(db, access, async (tx) => {
        const e = await repo.find(tx, access.workspaceId);
        if (!e) throw notFound("Audit stream");
        const jwe = await sealWebhookSecret(box, binding(access.workspaceId, e.id), secret);
        const expires = new Date(Date.now() + hooks.secretOverlapSeconds * 1000);
        const s = await repo.update(tx, access.workspaceId, {
          secretJwe: jwe,
          previousSecretJwe: e.secretJwe,
          previousSecretExpiresAt: expires,
        });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "audit_stream.secret_rotated",
          actorMembershipId: access.membershipId,
          targetType: "AuditStream",
          targetId: e.id,
          data: { previousValidUntil: expires.toISOString() },
        });
        return { stream: await view(tx, s), secret };
      });
    },

    async remove(access: WorkspaceAccess, actor: Actor): Promise<boolean> {
      return inWorkspace(db, access, async (tx) => {
        const e = await repo.find(tx, access.workspaceId);
        if (!e) throw notFound("Audit stream");
        await repo.remove(tx, access.workspaceId);
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "audit_stream.removed",
          actorMembershipId: access.membershipId,
          targetType: "AuditStream",
          targetId: e.id,
          data: { url: e.url },
        });
        return true;
      });
    },

    /** One signed test line to the stream's URL, now; nothing about the stream changes. */
    async test(access: WorkspaceAccess): Promise<AuditStreamTestResult> {
      const now = new Date();
      const ctx = await inWorkspace(db, access, async (tx) => {
        const s = await repo.find(tx, access.workspaceId);
        if (!s) throw notFound("Audit stream");
        return { stream: s, secrets: await openSecrets(s, now) };
      });
      const webhookId = randomUUID();
      const body = `${JSON.stringify({ type: "audit_stream.test", workspaceId: access.workspaceId, createdAt: now.toISOString() })}\n`;
      const headers = {
        ...signedHeaders(ctx.secrets, webhookId, Math.floor(now.getTime() / 1000), body),
        "content-type": AUDIT_STREAM_CONTENT_TYPE,
        "user-agent": "Atrium-AuditStream/1",
      };
      const r = await postWebhook(ctx.stream.url, headers, body, {
        timeoutMs: hooks.timeoutMs,
        allowPrivate: hooks.allowPrivateTargets,
      });
      const ok = r.status !== null && r.status >= 200 && r.status < 300;
      return {
        ok,
        status: r.status,
        error: ok ? null : (r.error ?? `The endpoint answered HTTP ${r.status}.`),
        latencyMs: r.latencyMs,
        webhookId,
      };
    },

    /** Retries within a poll interval, without waiting for the backoff (an enabled stream). */
    async retryNow(access: WorkspaceAccess): Promise<AuditStreamView> {
      const v = await inWorkspace(db, access, async (tx) => {
        const s = await repo.find(tx, access.workspaceId);
        if (!s) throw notFound("Audit stream");
        if (!s.enabled) throw conflict("The audit stream is disabled; enable it first.", { stream: "disabled" });
        const updated = await repo.update(tx, access.workspaceId, { nextAttemptAt: null });
        await schedule(tx, access.workspaceId);
        return view(tx, updated);
      });
      nudge();
      return v;
    },

    pump,

    /** The minute sweep (audit-stream-sweep.ts): a pump for every enabled stream, deduplicated. */
    sweep,

    async startWorkers(opts: { concurrency?: number } = {}): Promise<void> {
      await jobs.work(QUEUES.auditStream, pump, { concurrency: opts.concurrency ?? 2, pollingIntervalSeconds: 0.5 });
      await jobs.work(QUEUES.auditStreamSweep, async () => ({ streams: await sweep() }));
      await jobs.schedule(QUEUES.auditStreamSweep, "* * * * *");
    },
  };
}

export type AuditStreamService = ReturnType<typeof createAuditStreamService>;
