// The only code that touches Prisma for the workspace audit log (reads; the writes are
// platform/audit/audit.ts, inside each change's own transaction).
import { Prisma, type ReadRows, type TenantTx } from "@atrium/db";

import { KEYSET, keysetPage, keysetRows, projected, readModel, selectList } from "../../platform/db/read-sql.ts";

/** An event as the log shows it: the chain's own columns (decision 0053) are for verification, not for the page. */
export type AuditEventRow = Omit<Prisma.AuditEventGetPayload<object>, "seq" | "prevHash" | "hash">;

type PageOpts = {
  where: Prisma.AuditEventWhereInput;
  /** The cursor's condition and the order of travel (cursor.ts's `keyset`). */
  keyset: { where: Prisma.AuditEventWhereInput; orderBy: Prisma.AuditEventOrderByWithRelationInput[] };
  /** A backward page (last/before): `keyset.orderBy` is oldest first. */
  backward: boolean;
  take: number;
  withTotal: boolean;
  /** The fields the query selected of each event (`selectedFields`; undefined: all). */
  fields?: ReadonlySet<string>;
};

const { seq: _seq, prevHash: _prevHash, hash: _hash, ...PAGE_FIELDS } = Prisma.AuditEventScalarFieldEnum;
const auditEvents = readModel("audit_events", PAGE_FIELDS);

/** What a page of events names by id: its actors (users, API keys) and its targets, by target type. */
export interface LabelRequest {
  userIds: readonly string[];
  apiKeyIds: readonly string[];
  /** Target type → ids (uuids only; the caller has filtered them). */
  targets: ReadonlyMap<string, readonly string[]>;
}

export interface Labels {
  /** Current members only: a user who left is not readable here (RLS). */
  members: Map<string, { name: string; email: string }>;
  apiKeys: Map<string, string>;
  /** `${targetType}:${id}` → the label. */
  targets: Map<string, string>;
}

/**
 * Each target type the page names, read in one statement for all its ids (never one per row), as
 * the label people know it by. A type not listed here has no label.
 */
const TARGET_READERS: Readonly<
  Record<string, (tx: TenantTx, workspaceId: string, ids: string[]) => Promise<{ id: string; label: string }[]>>
> = {
  Contact: async (tx, workspaceId, ids) =>
    (
      await tx.contact.findMany({
        where: { workspaceId, id: { in: ids } },
        select: { id: true, name: true, email: true, phone: true },
      })
    ).map((c) => ({ id: c.id, label: c.name.trim() || c.email || c.phone || "Unnamed contact" })),
  Lead: async (tx, workspaceId, ids) =>
    (
      await tx.lead.findMany({
        where: { workspaceId, id: { in: ids } },
        select: { id: true, name: true, email: true, phone: true },
      })
    ).map((l) => ({ id: l.id, label: l.name.trim() || l.email || l.phone || "Unnamed lead" })),
  // Member rows are audited by user id.
  Member: async (tx, workspaceId, ids) =>
    (
      await tx.membership.findMany({
        where: { workspaceId, userId: { in: ids } },
        select: { userId: true, user: { select: { name: true, email: true } } },
      })
    ).map((m) => ({ id: m.userId, label: `${m.user.name} (${m.user.email})` })),
  Invitation: async (tx, workspaceId, ids) =>
    (await tx.invitation.findMany({ where: { workspaceId, id: { in: ids } }, select: { id: true, email: true } })).map(
      (i) => ({ id: i.id, label: i.email }),
    ),
  ApiKey: async (tx, workspaceId, ids) =>
    (await tx.apiKey.findMany({ where: { workspaceId, id: { in: ids } }, select: { id: true, name: true } })).map(
      (k) => ({ id: k.id, label: k.name }),
    ),
  Campaign: async (tx, workspaceId, ids) =>
    (await tx.campaign.findMany({ where: { workspaceId, id: { in: ids } }, select: { id: true, name: true } })).map(
      (c) => ({ id: c.id, label: c.name }),
    ),
  Conversation: async (tx, workspaceId, ids) =>
    (
      await tx.conversation.findMany({
        where: { workspaceId, id: { in: ids } },
        select: { id: true, contact: { select: { name: true, phone: true } } },
      })
    ).map((c) => ({ id: c.id, label: `Conversation with ${c.contact.name.trim() || c.contact.phone || "a contact"}` })),
  SafetyRule: async (tx, workspaceId, ids) =>
    (await tx.safetyRule.findMany({ where: { workspaceId, id: { in: ids } }, select: { id: true, name: true } })).map(
      (r) => ({ id: r.id, label: r.name }),
    ),
  WebhookEndpoint: async (tx, workspaceId, ids) =>
    (
      await tx.webhookEndpoint.findMany({ where: { workspaceId, id: { in: ids } }, select: { id: true, url: true } })
    ).map((e) => ({ id: e.id, label: e.url })),
  AuditStream: async (tx, workspaceId, ids) =>
    (await tx.auditStream.findMany({ where: { workspaceId, id: { in: ids } }, select: { id: true, url: true } })).map(
      (s) => ({ id: s.id, label: s.url }),
    ),
  PhoneConfig: async (tx, workspaceId, ids) =>
    (
      await tx.phoneConfig.findMany({
        where: { workspaceId, id: { in: ids } },
        select: { id: true, number: true, label: true },
      })
    ).map((p) => ({ id: p.id, label: p.label ? `${p.label} (${p.number})` : p.number })),
  Booking: async (tx, workspaceId, ids) =>
    (
      await tx.booking.findMany({
        where: { workspaceId, id: { in: ids } },
        select: { id: true, attendeeName: true, startsAt: true },
      })
    ).map((b) => ({
      id: b.id,
      label: `${b.attendeeName}, ${b.startsAt.toISOString().slice(0, 16).replace("T", " ")} UTC`,
    })),
  Workspace: async (tx, workspaceId, ids) =>
    ids.includes(workspaceId)
      ? (await tx.workspace.findMany({ where: { id: workspaceId }, select: { id: true, name: true } })).map((w) => ({
          id: w.id,
          label: w.name,
        }))
      : [],
};

export const LABELLED_TARGET_TYPES: ReadonlySet<string> = new Set(Object.keys(TARGET_READERS));

export const auditRepository = {
  /** The names behind a page's ids: one statement per kind of id on the page, run together. */
  async labels(tx: TenantTx, workspaceId: string, req: LabelRequest): Promise<Labels> {
    const [members, keys, ...targets] = await Promise.all([
      req.userIds.length
        ? tx.membership.findMany({
            where: { workspaceId, userId: { in: [...req.userIds] } },
            select: { userId: true, user: { select: { name: true, email: true } } },
          })
        : [],
      req.apiKeyIds.length
        ? tx.apiKey.findMany({
            where: { workspaceId, id: { in: [...req.apiKeyIds] } },
            select: { id: true, name: true },
          })
        : [],
      ...[...req.targets].map(async ([type, ids]) =>
        ((await TARGET_READERS[type]?.(tx, workspaceId, [...ids])) ?? []).map(
          (t) => [`${type}:${t.id}`, t.label] as const,
        ),
      ),
    ]);
    return {
      members: new Map(members.map((m) => [m.userId, { name: m.user.name, email: m.user.email }])),
      apiKeys: new Map(keys.map((k) => [k.id, k.name])),
      targets: new Map(targets.flat()),
    };
  },

  /**
   * A page as plain statements for `readInWorkspace` (undefined: `where` has no plain-SQL form),
   * reading only the columns of the fields selected (`projected`). `where`: the caller's filters,
   * ANDed; the cursor is a separate OR. No count statement unless `withTotal`.
   */
  pageStatements(opts: PageOpts): Prisma.Sql[] | undefined {
    const select = selectList(projected(auditEvents, opts.fields, KEYSET), "t");
    return keysetPage(auditEvents, {
      where: opts.where,
      after: opts.keyset.where,
      take: opts.take,
      withTotal: opts.withTotal,
      select,
      oldestFirst: opts.backward,
    });
  },

  /** `pageStatements`' rows (the fields not selected undefined). */
  pageFromRows(rows: ReadRows[], withTotal: boolean): [AuditEventRow[], number] {
    return keysetRows(rows, withTotal, (r) => r as AuditEventRow);
  },
};
