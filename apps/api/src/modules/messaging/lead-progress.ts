// Where the channel loop moves a lead's status forward (issue 56, item 6); the rule itself —
// forward only, each change in the lead's timeline — is the leads feature's (lead-status.ts).
import type { TenantTx } from "@atrium/db";

import { advanceLeadStatus } from "../leads/lead-status.ts";
import { LeadStatus } from "../leads/leads.types.ts";
import { messagingRepository as repo } from "./messaging.repository.ts";

/** Twilio says an outbound message reached the lead: CONTACTED (the first delivery counts; later ones change nothing). */
export async function leadContactedByMessage(tx: TenantTx, workspaceId: string, messageId: string): Promise<void> {
  const leadId = await repo.leadOfOutbound(tx, workspaceId, messageId);
  if (leadId) await advanceLeadStatus(tx, workspaceId, leadId, LeadStatus.CONTACTED, "MESSAGE_DELIVERED");
}

/** The lead wrote back (WhatsApp) or spoke on a call: ENGAGED, unless already further on. */
export async function leadReplied(tx: TenantTx, workspaceId: string, leadId: string | null | undefined): Promise<void> {
  if (leadId) await advanceLeadStatus(tx, workspaceId, leadId, LeadStatus.ENGAGED, "LEAD_REPLIED");
}

/** A call to (or from) the lead connected: CONTACTED. */
export async function leadReachedByCall(
  tx: TenantTx,
  workspaceId: string,
  leadId: string | null | undefined,
): Promise<void> {
  if (leadId) await advanceLeadStatus(tx, workspaceId, leadId, LeadStatus.CONTACTED, "CALL_CONNECTED");
}
