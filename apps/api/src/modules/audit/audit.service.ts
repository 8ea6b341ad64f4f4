import type { Db } from "@atrium/db";
import type { SubjectName } from "@atrium/policies";

import { hasSealed, revealAudit } from "../../platform/audit/reveal.ts";
import { inWorkspace, readInWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { accessibleWhere } from "../../platform/authz/accessible.ts";
import { escapeLike } from "../../platform/db/like.ts";
import { badInput, forbidden } from "../../platform/errors.ts";
import { connection, keyset, pageRequest, type PageArgs } from "../../platform/graphql/cursor.ts";
import { LABELLED_TARGET_TYPES, auditRepository as repo, type AuditEventRow, type Labels } from "./audit.repository.ts";
import { AuditActorKind, type AuditEventConnection, type AuditEventView } from "./audit.types.ts";

/**
 * An event's node: its row, with `data` as JSON text when the query read it (a page's row has only
 * the selected columns). Written in place: `{ ...e, data }` added a field to a copy, and V8 made a
 * new hidden class for every row.
 */
function asView(e: AuditEventRow): AuditEventView {
  if (e.data !== undefined) (e as unknown as { data: string }).data = JSON.stringify(e.data);
  return e as unknown as AuditEventView;
}

/**
 * The read a target's label needs: the log shows a contact's name only to someone who may read
 * contacts, whatever audit.read allows. Integrations are named by their provider (no row read).
 */
const TARGET_SUBJECTS: Readonly<Record<string, readonly SubjectName[]>> = {
  Contact: ["Contact"],
  Lead: ["Lead"],
  Member: ["Member"],
  Invitation: ["Invitation"],
  ApiKey: ["ApiKey"],
  Campaign: ["Campaign"],
  Conversation: ["Conversation", "Contact"],
  SafetyRule: ["SafetyRule"],
  WebhookEndpoint: ["Webhook"],
  // The audit stream (issue 50), named by its URL: whoever reads the log may see where it streams.
  AuditStream: ["AuditEvent"],
  PhoneConfig: ["PhoneConfig"],
  Booking: ["Lead"],
  Workspace: ["Workspace"],
};
const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  TWILIO: "Twilio",
  VAPI: "Vapi",
  CALCOM: "Cal.com",
  OPENAI: "OpenAI",
};

/** "Contacts import: 1,003 rows" — an import is one event carrying its counts. */
function importLabel(data: unknown): string {
  const d = (data ?? {}) as Record<string, unknown>;
  const rows = ["created", "updated", "skipped", "failed"].reduce(
    (sum, key) => sum + (typeof d[key] === "number" ? d[key] : 0),
    0,
  );
  return `Contacts import: ${rows.toLocaleString("en-US")} row${rows === 1 ? "" : "s"}`;
}

/**
 * Names the page's actors and targets in place (`actor`, `targetLabel`): the ids of the whole
 * page are read together, one statement per kind of id (`repo.labels`), never one per row.
 */
async function nameEvents(db: Db, access: WorkspaceAccess, rows: AuditEventRow[]): Promise<void> {
  const may = (type: string) => (TARGET_SUBJECTS[type] ?? []).every((subject) => access.ability.can("read", subject));
  const userIds = new Set<string>();
  const apiKeyIds = new Set<string>();
  const targets = new Map<string, Set<string>>();
  for (const e of rows) {
    if (e.actorUserId) userIds.add(e.actorUserId);
    else if (e.actorApiKeyId) apiKeyIds.add(e.actorApiKeyId);
    if (
      e.targetType &&
      e.targetId &&
      LABELLED_TARGET_TYPES.has(e.targetType) &&
      UUID_RE.test(e.targetId) &&
      may(e.targetType)
    ) {
      const ids = targets.get(e.targetType) ?? new Set<string>();
      ids.add(e.targetId);
      targets.set(e.targetType, ids);
    }
  }
  // Who did it is what audit.read is for: a key is named by its name; a member by name and
  // e-mail to whoever may list members (an API key needs the workspace.members scope for that).
  const readsMembers = access.ability.can("read", "Member");
  const request = {
    userIds: readsMembers ? [...userIds] : [],
    apiKeyIds: [...apiKeyIds],
    targets: new Map([...targets].map(([type, ids]) => [type, [...ids]])),
  };
  const empty = request.userIds.length === 0 && request.apiKeyIds.length === 0 && request.targets.size === 0;
  const labels: Labels = empty
    ? { members: new Map(), apiKeys: new Map(), targets: new Map() }
    : await inWorkspace(db, access, (tx) => repo.labels(tx, access.workspaceId, request));
  for (const e of rows) {
    const view = e as unknown as AuditEventView;
    if (e.actorUserId) {
      const member = labels.members.get(e.actorUserId);
      view.actor = member
        ? { kind: AuditActorKind.MEMBER, name: member.name, email: member.email }
        : readsMembers
          ? { kind: AuditActorKind.FORMER_MEMBER, name: "Former member", email: null }
          : { kind: AuditActorKind.MEMBER, name: "A member", email: null };
    } else if (e.actorApiKeyId) {
      view.actor = {
        kind: AuditActorKind.API_KEY,
        name: labels.apiKeys.get(e.actorApiKeyId) ?? "API key",
        email: null,
      };
    } else {
      view.actor = null;
    }
    view.targetLabel =
      e.action === "contact.imported"
        ? importLabel(e.data)
        : e.targetType === "Integration" && e.targetId
          ? (PROVIDER_NAMES[e.targetId] ?? e.targetId)
          : e.targetType && e.targetId
            ? (labels.targets.get(`${e.targetType}:${e.targetId}`) ?? null)
            : null;
  }
}

export function createAuditService({ db }: { db: Db }) {
  return {
    async list(
      access: WorkspaceAccess,
      args: PageArgs & {
        actorUserId?: string | null;
        action?: string | null;
        since?: Date | null;
        until?: Date | null;
        withTotal?: boolean;
        fields?: ReadonlySet<string>;
      },
    ): Promise<AuditEventConnection> {
      // Only the events the ability allows (FORBIDDEN when none, before any other answer).
      const allowed = accessibleWhere(access.ability, "read", "AuditEvent");
      const page = pageRequest(args);
      const ks = keyset(page);
      if (args.actorUserId && !UUID_RE.test(args.actorUserId))
        throw badInput("actorUserId must be a user id.", { actorUserId: "invalid" });
      if (args.since && args.until && args.since > args.until)
        throw badInput("since must be before until.", { since: "after until" });
      const where = {
        // ANDed; the cursor below is an OR of its own.
        AND: allowed.AND,
        workspaceId: access.workspaceId,
        ...(args.actorUserId ? { actorUserId: args.actorUserId } : {}),
        // "member." matches every member.* action; otherwise exact.
        // (startsWith is a LIKE pattern: the prefix's own "_", "%" and backslash are escaped to mean themselves.)
        ...(args.action
          ? args.action.endsWith(".")
            ? { action: { startsWith: escapeLike(args.action) } }
            : { action: args.action }
          : {}),
        ...(args.since || args.until
          ? { createdAt: { ...(args.since ? { gte: args.since } : {}), ...(args.until ? { lt: args.until } : {}) } }
          : {}),
      };
      // Counted only when selected (withTotal false: no count statement); only the selected
      // fields' columns. The ability's conditions are field equalities and the filters plain
      // comparisons, which always have a plain-SQL form; fail closed otherwise.
      const opts = {
        where,
        keyset: ks,
        backward: page.backward,
        take: page.take,
        withTotal: args.withTotal !== false,
        fields: args.fields,
      };
      const statements = repo.pageStatements(opts);
      if (!statements) throw forbidden();
      const [sealed, totalCount] = repo.pageFromRows(await readInWorkspace(db, access, statements), opts.withTotal);
      // Personal values are sealed in the rows (decision 0053): opened here, "[erased]" once erased.
      const rows = hasSealed(sealed)
        ? await inWorkspace(db, access, (tx) => revealAudit(tx, access.workspaceId, sealed))
        : sealed;
      // Names for the ids, when the query asked for them (a selection naming them reads every column).
      if (!args.fields || args.fields.has("actor") || args.fields.has("targetLabel"))
        await nameEvents(db, access, rows.slice(0, page.take));
      return connection(rows, page, totalCount, asView);
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
