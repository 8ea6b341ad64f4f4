// The workspace's home (issue 48, decision 0041): what the caller may read of the workspace's
// setup, its last 24 hours against the 24 before, and its latest activity — a few aggregate
// statements in one tenant round trip, plus the audit log's own page read for the feed.
import { subject } from "@casl/ability";

import type { Db } from "@atrium/db";
import type { Action, SubjectName } from "@atrium/policies";

import { inWorkspace, readInWorkspace, type WorkspaceAccess } from "../../platform/authz/access.ts";
import type { AuditService } from "../audit/audit.service.ts";
import {
  checklistStatement,
  glanceStatement,
  homeRepository as repo,
  type ChecklistRow,
  type GlanceRow,
} from "./home.repository.ts";
import {
  ChecklistItemKey,
  type HomeActivityView,
  type HomeGlanceView,
  type HomeMetricView,
  type OnboardingChecklistView,
  type WorkspaceHomeView,
} from "./home.types.ts";

const HOUR_MS = 3_600_000;
/** How many events the feed shows. */
export const ACTIVITY_SIZE = 8;

/** The parts a query selected; a part not selected is not read. */
export interface HomeSelection {
  checklist: boolean;
  glance: boolean;
  activity: boolean;
}

/**
 * Each step, the column that says it is done and what the caller must be able to read to be told.
 * The whole checklist is shown only to whoever can change the workspace's settings (setup is
 * theirs to do); an API key with that scope but not, say, integration reads sees fewer items.
 */
const STEPS: readonly {
  key: ChecklistItemKey;
  column: keyof Omit<ChecklistRow, "channel">;
  reads: readonly [Action, SubjectName][];
}[] = [
  { key: ChecklistItemKey.CHANNEL_CONNECTED, column: "channel_connected", reads: [["read", "Integration"]] },
  { key: ChecklistItemKey.PERSONA_SET, column: "persona_set", reads: [["update", "Workspace"]] },
  { key: ChecklistItemKey.FIRST_LEAD, column: "first_lead", reads: [["read", "Lead"]] },
  { key: ChecklistItemKey.TEAMMATE_INVITED, column: "teammate_invited", reads: [["read", "Invitation"]] },
  { key: ChecklistItemKey.API_KEY_CREATED, column: "api_key_created", reads: [["read", "ApiKey"]] },
  { key: ChecklistItemKey.FIRST_CAMPAIGN, column: "first_campaign", reads: [["read", "Campaign"]] },
];

const metric = (cur: number | null, prev: number | null): HomeMetricView | null =>
  cur === null || prev === null ? null : { current: cur, previous: prev };

export function createHomeService(deps: { db: Db; audit: Pick<AuditService, "list">; now?: () => Date }) {
  const { db, audit } = deps;
  const now = deps.now ?? (() => new Date());

  async function activity(access: WorkspaceAccess): Promise<HomeActivityView[]> {
    if (access.ability.can("read", "AuditEvent")) {
      // The audit log's own read: its filter by the ability, its names for actors and targets.
      const page = await audit.list(access, { first: ACTIVITY_SIZE, withTotal: false });
      return page.edges.map(({ node: e }) => ({
        id: e.id,
        action: e.action,
        actorName: e.actor?.name ?? null,
        targetType: e.targetType,
        targetId: e.targetId,
        targetLabel: e.targetLabel ?? null,
        createdAt: e.createdAt,
      }));
    }
    if (access.ability.can("read", subject("Lead", { workspaceId: access.workspaceId }))) {
      const leads = await inWorkspace(db, access, (tx) => repo.latestLeads(tx, access.workspaceId, ACTIVITY_SIZE));
      return leads.map((l) => ({
        id: `lead:${l.id}`,
        action: "lead.created",
        actorName: null,
        targetType: "Lead",
        targetId: l.id,
        targetLabel: l.name,
        createdAt: l.createdAt,
      }));
    }
    return [];
  }

  return {
    async home(access: WorkspaceAccess, selection: HomeSelection): Promise<WorkspaceHomeView> {
      const can = (action: Action, name: SubjectName) =>
        access.ability.can(action, subject(name, { workspaceId: access.workspaceId }));
      const until = now();
      const times = {
        until,
        since: new Date(until.getTime() - 24 * HOUR_MS),
        previousSince: new Date(until.getTime() - 48 * HOUR_MS),
      };
      const parts = {
        leads: can("read", "Lead"),
        conversations: can("read", "Conversation") && can("read", "Message"),
      };
      const wantChecklist = selection.checklist && can("update", "Workspace");
      const wantGlance = selection.glance && (parts.leads || parts.conversations);

      const statements = [
        ...(wantGlance ? [glanceStatement(access.workspaceId, times, parts)] : []),
        ...(wantChecklist ? [checklistStatement(access.workspaceId)] : []),
      ];
      const [rows, feed] = await Promise.all([
        statements.length === 0 ? [] : readInWorkspace(db, access, statements),
        selection.activity ? activity(access) : [],
      ]);
      const g = wantGlance ? (rows[0]![0] as unknown as GlanceRow) : null;
      const c = wantChecklist ? (rows[wantGlance ? 1 : 0]![0] as unknown as ChecklistRow | undefined) : undefined;

      const glance: HomeGlanceView = {
        ...times,
        newLeads: g ? metric(g.leads_cur, g.leads_prev) : null,
        bookings: g ? metric(g.bookings_cur, g.bookings_prev) : null,
        sendsFailed: g ? metric(g.failed_cur, g.failed_prev) : null,
        waitingForReply: g ? metric(g.waiting_cur, g.waiting_prev) : null,
      };
      let checklist: OnboardingChecklistView | null = null;
      if (c) {
        const items = STEPS.filter((s) => s.reads.every(([action, name]) => can(action, name))).map((s) => ({
          key: s.key,
          done: c[s.column],
        }));
        const doneCount = items.filter((i) => i.done).length;
        checklist = { items, doneCount, total: items.length, complete: doneCount === items.length };
      }
      return { checklist, glance, activity: feed };
    },
  };
}

export type HomeService = ReturnType<typeof createHomeService>;
