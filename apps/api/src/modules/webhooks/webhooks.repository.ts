// The only code that touches Prisma for outbound webhooks: endpoints, events, deliveries and
// their attempt log.
import { Prisma, type TenantFactsSource, type TenantTx } from "@atrium/db";

import { COUNT_CAP } from "../../platform/db/read-sql.ts";

/**
 * The tenant fact webhooks read in a transaction's first statement: the event types the
 * workspace's enabled endpoints subscribe to (workspaces.webhook_event_types, kept by a trigger).
 * Registered by the composition root (`db.readTenantFacts`), read back by `emit`.
 */
export const webhookTenantFacts: TenantFactsSource = (workspaceId) =>
  Prisma.sql`workspace_webhook_event_types(${workspaceId}::uuid)`;

export type EndpointRow = Prisma.WebhookEndpointGetPayload<object>;
export type DeliveryRow = Prisma.WebhookDeliveryGetPayload<{ include: { log: true } }>;

const log = { orderBy: { attempt: "asc" } } as const;

export const webhooksRepository = {
  /** The workspace's enabled endpoints subscribed to `type`. */
  async subscribedEndpoints(tx: TenantTx, workspaceId: string, type: string) {
    return tx.webhookEndpoint.findMany({
      where: { workspaceId, enabled: true, events: { has: type } },
      select: { id: true },
    });
  },

  async createEvent(tx: TenantTx, data: Prisma.WebhookEventUncheckedCreateInput) {
    return tx.webhookEvent.create({ data });
  },

  async createDelivery(tx: TenantTx, data: Prisma.WebhookDeliveryUncheckedCreateInput) {
    return tx.webhookDelivery.create({ data, select: { id: true } });
  },

  /** A delivery with its endpoint and event: what an attempt sends. */
  async deliveryToSend(tx: TenantTx, workspaceId: string, id: string) {
    return tx.webhookDelivery.findUnique({
      where: { workspaceId_id: { workspaceId, id } },
      include: { endpoint: true, event: true },
    });
  },

  async deliveryState(tx: TenantTx, workspaceId: string, id: string) {
    return tx.webhookDelivery.findUnique({
      where: { workspaceId_id: { workspaceId, id } },
      select: { attempts: true, status: true, firstAttemptAt: true },
    });
  },

  /** A delivery with its endpoint and its attempt log (oldest first). */
  async deliveryWithLog(tx: TenantTx, workspaceId: string, id: string) {
    return tx.webhookDelivery.findUnique({
      where: { workspaceId_id: { workspaceId, id } },
      include: { endpoint: true, log },
    });
  },

  async updateDelivery(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    data: Prisma.WebhookDeliveryUncheckedUpdateInput,
  ): Promise<void> {
    await tx.webhookDelivery.update({ where: { workspaceId_id: { workspaceId, id } }, data });
  },

  async createAttempt(tx: TenantTx, data: Prisma.WebhookDeliveryAttemptUncheckedCreateInput): Promise<void> {
    await tx.webhookDeliveryAttempt.create({ data });
  },

  /**
   * Newest first by (createdAt, id); `keyset` is the cursor's condition, ANDed with `where` for
   * the page only, and the order of travel. Each delivery with its attempt log (oldest first).
   */
  async deliveryPage(
    tx: TenantTx,
    where: Prisma.WebhookDeliveryWhereInput,
    keyset: { where: Prisma.WebhookDeliveryWhereInput; orderBy: Prisma.WebhookDeliveryOrderByWithRelationInput[] },
    take: number,
  ): Promise<[DeliveryRow[], number]> {
    return Promise.all([
      tx.webhookDelivery.findMany({
        where: { ...where, ...keyset.where },
        include: { log },
        orderBy: keyset.orderBy,
        take: take + 1,
      }),
      tx.webhookDelivery.count({ where, take: COUNT_CAP + 1 }),
    ]);
  },

  async endpoint(tx: TenantTx, workspaceId: string, id: string): Promise<EndpointRow | null> {
    return tx.webhookEndpoint.findUnique({ where: { workspaceId_id: { workspaceId, id } } });
  },

  /** Newest first. */
  async endpoints(tx: TenantTx, where: Prisma.WebhookEndpointWhereInput): Promise<EndpointRow[]> {
    return tx.webhookEndpoint.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  },

  async countEndpoints(tx: TenantTx, workspaceId: string): Promise<number> {
    return tx.webhookEndpoint.count({ where: { workspaceId } });
  },

  async createEndpoint(tx: TenantTx, data: Prisma.WebhookEndpointUncheckedCreateInput): Promise<EndpointRow> {
    return tx.webhookEndpoint.create({ data });
  },

  async updateEndpoint(
    tx: TenantTx,
    workspaceId: string,
    id: string,
    data: Prisma.WebhookEndpointUncheckedUpdateInput,
  ): Promise<EndpointRow> {
    return tx.webhookEndpoint.update({ where: { workspaceId_id: { workspaceId, id } }, data });
  },

  /** A success ends the endpoint's run of failures. */
  async clearEndpointFailures(tx: TenantTx, workspaceId: string, id: string): Promise<void> {
    await tx.webhookEndpoint.updateMany({
      where: { workspaceId, id },
      data: { consecutiveFailures: 0, failingSince: null },
    });
  },

  async deleteEndpoint(tx: TenantTx, workspaceId: string, id: string): Promise<void> {
    await tx.webhookEndpoint.delete({ where: { workspaceId_id: { workspaceId, id } } });
  },
};
