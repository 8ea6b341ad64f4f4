// Outbound webhooks (A5). An event is written in the transaction of the change it reports (the
// outbox: `webhook_events` + one `webhook_deliveries` row per subscribed endpoint + one pg-boss
// job per delivery attempt, all in that transaction). A worker posts it signed per Standard
// Webhooks v1; a failure (non-2xx, timeout, connection error) schedules the next attempt as a new
// job with its own start time: exponential backoff with jitter, the first retry within 10 s,
// the last one a day after the first attempt. Every attempt is logged (request, response status,
// latency). A long run of failures disables the endpoint with a reason and an audit event.
import { randomUUID } from "node:crypto";
import { subject } from "@casl/ability";

import { tenantFactsOf, type Db, type Prisma, type TenantTx } from "@atrium/db";

import type { AppConfig } from "../../env.ts";
import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { accessibleWhere, authorizeRow } from "../../platform/authz/accessible.ts";
import { sha256Hex } from "../../platform/crypto/digest.ts";
import type { SecretBox } from "../../platform/crypto/secret-box.ts";
import { asJob } from "../../platform/data.ts";
import { lockCap } from "../../platform/db/cap-lock.ts";
import { AppError, badInput, conflict, ErrorCode, forbidden, notFound } from "../../platform/errors.ts";
import { connection, keyset, pageRequest, type PageArgs } from "../../platform/graphql/cursor.ts";
import { QUEUES, type JobHandler, type JobQueue } from "../../platform/jobs/job-queue.ts";
import { countWebhookAttempt } from "../../platform/observability/metrics.ts";
import { postWebhook } from "./sender.ts";
import { generateWebhookSecret, signedHeaders } from "./signing.ts";
import { assertPublicHost, ForbiddenTargetError } from "./ssrf.ts";
import { webhooksRepository as repo, type DeliveryRow, type EndpointRow } from "./webhooks.repository.ts";
import {
  WEBHOOK_EVENT_TYPES,
  type CreatedWebhookEndpoint,
  type WebhookDeliveryConnection,
  type WebhookDeliveryStatus,
  type WebhookDeliveryView,
  type WebhookEndpointView,
  type WebhookEventType,
} from "./webhooks.types.ts";

/** `emitWebhookEvent(tx, workspaceId, type, data)`: call inside the transaction of the change. */
export type EmitWebhookEvent = (
  tx: TenantTx,
  workspaceId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
) => Promise<void>;

/**
 * Nominal delay before retry n (seconds): 5 · 6^(n−1), capped at 8 h — 5 s, 30 s, 3 min, 18 min,
 * 1.8 h, 8 h, 8 h — each ±20 % jitter; then a last attempt 24 h after the first one. Nine
 * attempts over a day.
 */
export const RETRY_DELAYS_SECONDS = [5, 30, 180, 1080, 6480, 28_800, 28_800] as const;
export const LAST_ATTEMPT_AFTER_SECONDS = 86_400;
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 2;
const MAX_ENDPOINTS = 20;

/** When attempt `attempt + 1` runs after attempt `attempt` (1-based) failed; null when none is left. */
export function nextAttemptAt(
  attempt: number,
  firstAttemptAt: Date,
  now: Date,
  scale: number,
  random = Math.random,
): Date | null {
  if (attempt >= MAX_ATTEMPTS) return null;
  if (attempt === MAX_ATTEMPTS - 1)
    return new Date(Math.max(now.getTime(), firstAttemptAt.getTime() + LAST_ATTEMPT_AFTER_SECONDS * 1000 * scale));
  const nominal = RETRY_DELAYS_SECONDS[attempt - 1]! * 1000 * scale;
  return new Date(now.getTime() + Math.round(nominal * (0.8 + 0.4 * random())));
}

/** A stable UUID per (delivery, attempt): the pg-boss job id, so an attempt is enqueued once. */
function attemptJobId(deliveryId: string, attempt: number): string {
  const h = sha256Hex(`${deliveryId}:${attempt}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface DeliverJob {
  workspaceId: string;
  deliveryId: string;
  /** The automatic attempt this job is (1 = first); absent for a manual redelivery. */
  attempt?: number;
  manual?: boolean;
}

const toEndpointView = (e: EndpointRow): WebhookEndpointView => ({
  id: e.id,
  url: e.url,
  events: e.events,
  enabled: e.enabled,
  disabledReason: e.disabledReason,
  consecutiveFailures: e.consecutiveFailures,
  previousSecretExpiresAt:
    e.previousSecretExpiresAt && e.previousSecretExpiresAt > new Date() ? e.previousSecretExpiresAt : null,
  createdAt: e.createdAt,
});

const toDeliveryView = (d: DeliveryRow): WebhookDeliveryView => ({
  id: d.id,
  eventId: d.eventId,
  eventType: d.eventType,
  status: d.status as WebhookDeliveryStatus,
  attempts: d.attempts,
  responseStatus: d.responseStatus,
  lastError: d.lastError,
  nextAttemptAt: d.nextAttemptAt,
  deliveredAt: d.deliveredAt,
  createdAt: d.createdAt,
  log: d.log.map((a) => ({ ...a, requestHeaders: JSON.stringify(a.requestHeaders) })),
});

const SYSTEM_ACTOR: Actor = { userId: null, ip: null, userAgent: null, requestId: "webhook-worker" };

/** What an endpoint's signing secret is sealed to (SecretBox binding): its workspace and endpoint. */
export const webhookSecretBinding = (workspaceId: string, endpointId: string) => ({
  workspaceId,
  provider: `webhook:${endpointId}`,
});

/**
 * A webhook target as saved (trimmed, normalised): an http(s) URL without credentials; unless
 * private targets are allowed (never in production), its host must resolve to public addresses
 * only (checked again at send time, see ssrf.ts). Shared with the audit stream (decision 0052).
 */
export async function validateWebhookUrl(raw: string, allowPrivateTargets: boolean): Promise<string> {
  const value = raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badInput("Enter a full URL, e.g. https://example.com/webhooks.", { url: "invalid" });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw badInput("The URL must start with https:// or http://.", { url: "unsupported scheme" });
  if (url.username || url.password)
    throw badInput("Leave credentials out of the URL; verify the signature instead.", { url: "credentials" });
  if (!allowPrivateTargets) {
    try {
      await assertPublicHost(url.hostname);
    } catch (err) {
      if (err instanceof ForbiddenTargetError) throw badInput(err.message, { url: "private address" });
      throw badInput(`The host ${url.hostname} cannot be resolved.`, { url: "unresolvable" });
    }
  }
  return url.toString();
}

/** A Standard Webhooks secret sealed (SecretBox) to `binding`; refused when the platform has no key. */
export async function sealWebhookSecret(
  box: SecretBox,
  binding: { workspaceId: string; provider: string },
  secret: string,
): Promise<string> {
  if (!box.newestKid)
    throw new AppError(
      ErrorCode.BAD_USER_INPUT,
      "Webhook secrets cannot be stored: the platform has no INTEGRATIONS_ENCRYPTION_KEY.",
      { reason: "ENCRYPTION_KEY_MISSING" },
    );
  return (await box.seal({ secret }, binding)).jwe;
}

export function createWebhooksService(deps: { db: Db; config: AppConfig; jobs: JobQueue; box: SecretBox }) {
  const { db, config, jobs, box } = deps;
  const cfg = config.webhooks;
  const binding = webhookSecretBinding;

  /** Wakes this process's delivery workers shortly after the emitting transaction commits (polling is the fallback). */
  const nudge = () => setTimeout(() => jobs.notify(QUEUES.webhookDeliver), 15).unref();

  const validateUrl = (raw: string) => validateWebhookUrl(raw, cfg.allowPrivateTargets);

  function validateEvents(events: readonly string[]): string[] {
    const unknown = events.filter((e) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e));
    if (unknown.length > 0)
      throw badInput(`Unknown event type: ${unknown.join(", ")}. Known: ${WEBHOOK_EVENT_TYPES.join(", ")}.`, {
        events: "unknown event type",
      });
    return WEBHOOK_EVENT_TYPES.filter((t) => events.includes(t));
  }

  const seal = (workspaceId: string, endpointId: string, secret: string) =>
    sealWebhookSecret(box, binding(workspaceId, endpointId), secret);

  const emit: EmitWebhookEvent = async (tx, workspaceId, type, data) => {
    // The transaction's first statement read which event types the workspace's enabled endpoints
    // subscribe to (`webhookTenantFacts`, registered by the composition root): nobody subscribed,
    // no statement. A transaction that did not read them (another workspace's) asks the table.
    const facts = tenantFactsOf(tx);
    if (facts?.workspaceId === workspaceId && !((facts.value as readonly string[] | null) ?? []).includes(type)) return;
    const endpoints = await repo.subscribedEndpoints(tx, workspaceId, type);
    if (endpoints.length === 0) return;
    const now = new Date();
    const event = await repo.createEvent(tx, {
      workspaceId,
      type,
      payload: { type, timestamp: now.toISOString(), data } as Prisma.InputJsonObject,
    });
    for (const endpoint of endpoints) {
      const delivery = await repo.createDelivery(tx, {
        workspaceId,
        endpointId: endpoint.id,
        eventId: event.id,
        eventType: type,
        nextAttemptAt: now,
      });
      await jobs.enqueue(tx, QUEUES.webhookDeliver, attemptJobId(delivery.id, 1), {
        workspaceId,
        deliveryId: delivery.id,
        attempt: 1,
      } satisfies DeliverJob);
    }
    nudge();
  };

  async function openSecrets(workspaceId: string, e: EndpointRow, now: Date): Promise<string[]> {
    const secrets = [(await box.open(e.secretJwe, binding(workspaceId, e.id))).secret!];
    if (e.previousSecretJwe && e.previousSecretExpiresAt && e.previousSecretExpiresAt > now)
      secrets.push((await box.open(e.previousSecretJwe, binding(workspaceId, e.id))).secret!);
    return secrets;
  }

  const runDelivery: JobHandler<DeliverJob> = async ({ workspaceId, deliveryId, attempt, manual }) => {
    const now = new Date();
    const ctx = await asJob(db, { workspaceId }, async (tx) => {
      const d = await repo.deliveryToSend(tx, workspaceId, deliveryId);
      if (!d) return null;
      // Done already (delivered, given up, or a redelivery succeeded meanwhile). Each automatic
      // attempt is one job with a stable id, so it is enqueued once.
      if (!manual && d.status !== "PENDING") return null;
      if (!d.endpoint.enabled && !manual) {
        await repo.updateDelivery(tx, workspaceId, deliveryId, {
          status: "FAILED",
          nextAttemptAt: null,
          lastError: "Not sent: the endpoint is disabled.",
          updatedAt: now,
        });
        return null;
      }
      return { d, secrets: await openSecrets(workspaceId, d.endpoint, now) };
    });
    if (!ctx) return;
    const { d } = ctx;
    const body = JSON.stringify(d.event.payload);
    // webhook-id is the event's id: the same on every attempt (and every redelivery).
    const headers = signedHeaders(ctx.secrets, d.eventId, Math.floor(now.getTime() / 1000), body);
    const result = await postWebhook(d.endpoint.url, headers, body, {
      timeoutMs: cfg.timeoutMs,
      allowPrivate: cfg.allowPrivateTargets,
    });
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    countWebhookAttempt(ok);
    const error = ok ? null : (result.error ?? `The endpoint answered HTTP ${result.status}.`);
    const wake = await asJob(db, { workspaceId }, async (tx) => {
      const current = await repo.deliveryState(tx, workspaceId, deliveryId);
      if (!current) return false;
      const number = current.attempts + 1;
      const redacted = { ...headers, "webhook-signature": headers["webhook-signature"]!.replace(/v1,[^ ]+/g, "v1,…") };
      await repo.createAttempt(tx, {
        workspaceId,
        deliveryId,
        attempt: number,
        manual: Boolean(manual),
        requestUrl: d.endpoint.url,
        requestHeaders: redacted,
        requestBody: body,
        responseStatus: result.status,
        responseBody: result.body,
        error,
        latencyMs: result.latencyMs,
      });
      const firstAttemptAt = current.firstAttemptAt ?? now;
      let status = current.status;
      let next: Date | null = null;
      if (ok) status = "SUCCEEDED";
      else if (!manual && current.status === "PENDING") {
        next = result.forbidden ? null : nextAttemptAt(attempt ?? 1, firstAttemptAt, new Date(), cfg.retryScale);
        if (!next) status = "FAILED";
      }
      await repo.updateDelivery(tx, workspaceId, deliveryId, {
        attempts: number,
        status,
        responseStatus: result.status,
        lastError: error,
        firstAttemptAt,
        lastAttemptAt: now,
        nextAttemptAt: ok || manual ? (ok ? null : undefined) : next,
        deliveredAt: ok ? now : undefined,
      });
      let disabled = false;
      if (ok) {
        await repo.clearEndpointFailures(tx, workspaceId, d.endpointId);
      } else {
        const e = await repo.updateEndpoint(tx, workspaceId, d.endpointId, {
          consecutiveFailures: { increment: 1 },
          failingSince: d.endpoint.failingSince ?? now,
        });
        const since = e.failingSince ?? now;
        if (
          e.enabled &&
          e.consecutiveFailures >= cfg.disableAfterFailures &&
          now.getTime() - since.getTime() >= cfg.disableAfterSeconds * 1000
        ) {
          const reason = `Disabled automatically after ${e.consecutiveFailures} failed attempts in a row since ${since.toISOString()} (last: ${error}).`;
          await repo.updateEndpoint(tx, workspaceId, e.id, { enabled: false, disabledReason: reason, updatedAt: now });
          await recordWorkspaceAudit(tx, workspaceId, SYSTEM_ACTOR, {
            action: "webhook.endpoint_disabled",
            targetType: "WebhookEndpoint",
            targetId: e.id,
            data: { url: e.url, consecutiveFailures: e.consecutiveFailures, reason },
          });
          disabled = true;
        }
      }
      if (next && !disabled) {
        await jobs.enqueue(
          tx,
          QUEUES.webhookDeliver,
          attemptJobId(deliveryId, (attempt ?? 1) + 1),
          { workspaceId, deliveryId, attempt: (attempt ?? 1) + 1 } satisfies DeliverJob,
          { startAfter: next },
        );
        return true;
      }
      if (next && disabled)
        await repo.updateDelivery(tx, workspaceId, deliveryId, { status: "FAILED", nextAttemptAt: null });
      return false;
    });
    if (wake) nudge();
  };

  async function endpointIn(tx: TenantTx, workspaceId: string, id: string): Promise<EndpointRow> {
    if (!UUID_RE.test(id)) throw notFound("Webhook endpoint");
    const e = await repo.endpoint(tx, workspaceId, id);
    if (!e) throw notFound("Webhook endpoint");
    return e;
  }

  // Before any work: `action` on some endpoint at all (bare type); rows are checked on the rows
  // (list filter, authorizeRow). Creating is checked on the new row.
  const check = (access: WorkspaceAccess, action: "read" | "create" | "update" | "delete") => {
    const allowed =
      action === "create"
        ? access.ability.can("create", subject("Webhook", { workspaceId: access.workspaceId }))
        : access.ability.can(action, "Webhook");
    if (!allowed) throw forbidden();
  };

  return {
    emit,

    async list(access: WorkspaceAccess): Promise<WebhookEndpointView[]> {
      check(access, "read");
      const where = { AND: accessibleWhere(access.ability, "read", "Webhook").AND, workspaceId: access.workspaceId };
      const rows = await inWorkspace(db, access, (tx) => repo.endpoints(tx, where));
      return rows.map(toEndpointView);
    },

    async create(
      access: WorkspaceAccess,
      input: { url: string; events: string[] },
      actor: Actor,
    ): Promise<CreatedWebhookEndpoint> {
      check(access, "create");
      const url = await validateUrl(input.url);
      const events = validateEvents(input.events);
      const id = randomUUID();
      const secret = generateWebhookSecret();
      const secretJwe = await seal(access.workspaceId, id, secret);
      const endpoint = await inWorkspace(db, access, async (tx) => {
        // Count and insert under the workspace's endpoint-cap lock: parallel creates cannot all see room.
        await lockCap(tx, "webhook_endpoints", access.workspaceId);
        if ((await repo.countEndpoints(tx, access.workspaceId)) >= MAX_ENDPOINTS)
          throw conflict(`A workspace can have at most ${MAX_ENDPOINTS} webhook endpoints.`);
        const e = await repo.createEndpoint(tx, { workspaceId: access.workspaceId, id, url, events, secretJwe });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "webhook.endpoint_created",
          actorMembershipId: access.membershipId,
          targetType: "WebhookEndpoint",
          targetId: id,
          data: { url, events },
        });
        return e;
      });
      return { endpoint: toEndpointView(endpoint), secret };
    },

    async update(
      access: WorkspaceAccess,
      id: string,
      input: { url?: string | null; events?: string[] | null; enabled?: boolean | null },
      actor: Actor,
    ): Promise<WebhookEndpointView> {
      check(access, "update");
      const url = input.url != null ? await validateUrl(input.url) : undefined;
      const events = input.events != null ? validateEvents(input.events) : undefined;
      return inWorkspace(db, access, async (tx) => {
        const e = authorizeRow(access.ability, "update", "Webhook", await endpointIn(tx, access.workspaceId, id));
        const enabled = input.enabled ?? undefined;
        const updated = await repo.updateEndpoint(tx, access.workspaceId, id, {
          url,
          events,
          enabled,
          ...(enabled === true && !e.enabled
            ? { disabledReason: null, consecutiveFailures: 0, failingSince: null }
            : {}),
          ...(enabled === false && e.enabled ? { disabledReason: "Disabled by a member." } : {}),
        });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "webhook.endpoint_updated",
          actorMembershipId: access.membershipId,
          targetType: "WebhookEndpoint",
          targetId: id,
          data: { url, events, enabled },
        });
        return toEndpointView(updated);
      });
    },

    async remove(access: WorkspaceAccess, id: string, actor: Actor): Promise<boolean> {
      check(access, "delete");
      return inWorkspace(db, access, async (tx) => {
        const e = authorizeRow(access.ability, "delete", "Webhook", await endpointIn(tx, access.workspaceId, id));
        await repo.deleteEndpoint(tx, access.workspaceId, id);
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "webhook.endpoint_deleted",
          actorMembershipId: access.membershipId,
          targetType: "WebhookEndpoint",
          targetId: id,
          data: { url: e.url },
        });
        return true;
      });
    },

    /** A new secret; the previous one keeps being signed with until the overlap window ends. */
    async rotateSecret(access: WorkspaceAccess, id: string, actor: Actor): Promise<CreatedWebhookEndpoint> {
      check(access, "update");
      const secret = generateWebhookSecret();
      const jwe = await seal(access.workspaceId, id, secret);
      return inWorkspace(db, access, async (tx) => {
        const e = authorizeRow(access.ability, "update", "Webhook", await endpointIn(tx, access.workspaceId, id));
        const expires = new Date(Date.now() + cfg.secretOverlapSeconds * 1000);
        const updated = await repo.updateEndpoint(tx, access.workspaceId, id, {
          secretJwe: jwe,
          previousSecretJwe: e.secretJwe,
          previousSecretExpiresAt: expires,
        });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "webhook.secret_rotated",
          actorMembershipId: access.membershipId,
          targetType: "WebhookEndpoint",
          targetId: id,
          data: { previousValidUntil: expires.toISOString() },
        });
        return { endpoint: toEndpointView(updated), secret };
      });
    },

    async deliveries(access: WorkspaceAccess, endpointId: string, args: PageArgs): Promise<WebhookDeliveryConnection> {
      check(access, "read");
      const page = pageRequest(args);
      const ks = keyset(page);
      const [rows, total] = await inWorkspace(db, access, async (tx) => {
        // The endpoint's own row decides; its deliveries are part of it.
        authorizeRow(access.ability, "read", "Webhook", await endpointIn(tx, access.workspaceId, endpointId));
        const where = {
          workspaceId: access.workspaceId,
          endpointId,
          endpoint: { is: accessibleWhere(access.ability, "read", "Webhook") },
        };
        return repo.deliveryPage(tx, where, ks, page.take);
      });
      return connection(rows, page, total, toDeliveryView);
    },

    /** One delivery of an endpoint the caller may read, with its attempt log, or null (live updates: `webhookDeliveryEvents`). */
    async delivery(access: WorkspaceAccess, endpointId: string, id: string): Promise<WebhookDeliveryView | null> {
      check(access, "read");
      if (!UUID_RE.test(endpointId) || !UUID_RE.test(id)) return null;
      const rows = await inWorkspace(db, access, async (tx) => {
        authorizeRow(access.ability, "read", "Webhook", await endpointIn(tx, access.workspaceId, endpointId));
        const where = {
          workspaceId: access.workspaceId,
          endpointId,
          id,
          endpoint: { is: accessibleWhere(access.ability, "read", "Webhook") },
        };
        return repo.deliveryPage(tx, where, { where: {}, orderBy: [] }, 1);
      });
      const row = rows[0][0];
      return row ? toDeliveryView(row) : null;
    },

    /** Manual redelivery: one more attempt now, logged as manual, with the same webhook-id. */
    async redeliver(access: WorkspaceAccess, deliveryId: string, actor: Actor): Promise<WebhookDeliveryView> {
      check(access, "update");
      if (!UUID_RE.test(deliveryId)) throw notFound("Webhook delivery");
      const view = await inWorkspace(db, access, async (tx) => {
        const d = await repo.deliveryWithLog(tx, access.workspaceId, deliveryId);
        if (!d) throw notFound("Webhook delivery");
        authorizeRow(access.ability, "update", "Webhook", d.endpoint);
        if (!d.endpoint.enabled)
          throw conflict("The endpoint is disabled; enable it before redelivering.", { endpoint: "disabled" });
        await jobs.enqueue(tx, QUEUES.webhookDeliver, randomUUID(), {
          workspaceId: access.workspaceId,
          deliveryId,
          manual: true,
        } satisfies DeliverJob);
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "webhook.redelivered",
          actorMembershipId: access.membershipId,
          targetType: "WebhookDelivery",
          targetId: deliveryId,
          data: { eventType: d.eventType },
        });
        return toDeliveryView(d);
      });
      nudge();
      return view;
    },

    /** `workers` pollers each taking up to `batchSize` attempts at once (see bench/webhooks.bench.ts). */
    async startWorkers(opts: { workers?: number; batchSize?: number } = {}): Promise<void> {
      await jobs.work(QUEUES.webhookDeliver, runDelivery, {
        concurrency: opts.workers ?? 2,
        batchSize: opts.batchSize ?? 8,
        pollingIntervalSeconds: 0.5,
      });
    },
  };
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;
