// The one door every outbound message goes through (W4). While the workspace's agent is paused
// nothing leaves: the message is stored as SUPPRESSED. Otherwise it is QUEUED for the provider
// integration (I4, a later issue), which moves it to SENT or FAILED.
import type { TenantTx } from "@atrium/db";

export async function outboundStatus(tx: TenantTx, workspaceId: string): Promise<"QUEUED" | "SUPPRESSED"> {
  const ws = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { agentPaused: true } });
  return ws.agentPaused ? "SUPPRESSED" : "QUEUED";
}
