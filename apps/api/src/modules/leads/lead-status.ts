// Lead status follows the conversation (issue 56, item 6): CONTACTED when the first outbound
// message is delivered or a call connects, ENGAGED when the lead replies, BOOKED when a booking is
// made. Automatic changes only ever move a lead forward, so a booked lead who replies stays booked;
// LOST is a person's (or the agent's) decision that only a booking overrides. People still set any
// status by hand (updateLeadStatus). Every change is recorded in the lead's timeline — the
// workspace audit log (`lead.status_changed`, as a manual change is) — in the change's
// transaction; the leads table's live trigger publishes it on `leadEvents`.
import type { TenantTx } from "@atrium/db";

import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { leadsRepository as repo } from "./leads.repository.ts";
import { LeadStatus } from "./leads.types.ts";

/** The forward order of a lead's life (LOST stands aside). */
export const LEAD_PROGRESS: readonly LeadStatus[] = [
  LeadStatus.NEW,
  LeadStatus.CONTACTED,
  LeadStatus.ENGAGED,
  LeadStatus.QUALIFIED,
  LeadStatus.BOOKED,
];

/** Why the product moved a lead; kept in the timeline entry. */
export type LeadStatusCause = "MESSAGE_DELIVERED" | "CALL_CONNECTED" | "LEAD_REPLIED" | "BOOKING_MADE" | "AGENT_UPDATE";

/** Whether an automatic change from `from` to `to` is a step forward. */
export function movesForward(from: LeadStatus, to: LeadStatus): boolean {
  if (from === to) return false;
  if (to === LeadStatus.LOST) return from !== LeadStatus.BOOKED;
  if (from === LeadStatus.LOST) return to === LeadStatus.BOOKED;
  return LEAD_PROGRESS.indexOf(to) > LEAD_PROGRESS.indexOf(from);
}

const SYSTEM: Actor = { userId: null, ip: null, userAgent: null, requestId: "lead-status" };

/**
 * Moves the lead to `to` if that is forward, in `tx`, with its timeline entry. Each move is one
 * conditional UPDATE on the status it read, so two causes at once (a delivery callback and a
 * reply) cannot move it backwards: the loser re-reads and judges again. Returns the new status
 * when it moved, else null.
 */
export async function advanceLeadStatus(
  tx: TenantTx,
  workspaceId: string,
  leadId: string,
  to: LeadStatus,
  cause: LeadStatusCause,
  actor: Actor = SYSTEM,
): Promise<LeadStatus | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await repo.statusOf(tx, workspaceId, leadId);
    if (!current) return null;
    const from = current as LeadStatus;
    if (!movesForward(from, to)) return null;
    if (!(await repo.moveStatus(tx, workspaceId, leadId, from, to))) continue;
    await recordWorkspaceAudit(tx, workspaceId, actor, {
      action: "lead.status_changed",
      targetType: "Lead",
      targetId: leadId,
      data: { from, to, cause, automatic: true },
    });
    return to;
  }
  return null;
}
