// Campaign test helpers shared by the campaign, usage and access tests.
import { ownerSql, type TestApi } from "./harness.ts";
import { twilioSenders } from "./providers.ts";

export const CREATE = `mutation($w: ID!, $i: CreateCampaignInput!) { createCampaign(workspaceId: $w, input: $i) { id name status } }`;
export const RUN = `mutation($w: ID!, $id: ID!) { runCampaign(workspaceId: $w, id: $id) { id status total } }`;
export const GET = `query($w: ID!, $id: ID!) { campaign(workspaceId: $w, id: $id) { id name status sent failed suppressed queued held cancelled total completedAt } }`;
export type Progress = {
  id: string;
  status: string;
  sent: number;
  failed: number;
  suppressed: number;
  queued: number;
  held: number;
  cancelled: number;
  total: number;
};

let seq = 0;
/** Contacts written directly (the contacts API is another issue's); phones unique per run. */
/**
 * `wroteRecently` (default true): the contacts wrote to the workspace within the day, so WhatsApp's
 * 24-hour window is open for them — in the database and at the workspace's fake Twilio, which
 * enforces the window (issue 56). False: contacts who never wrote (a template is needed).
 */
export async function seedContacts(
  api: TestApi,
  workspaceId: string,
  n: number,
  opts: { tags?: string[]; prefix?: string; wroteRecently?: boolean } = {},
): Promise<{ id: string; phone: string; name: string }[]> {
  const out = [];
  const wrote = opts.wroteRecently !== false;
  const sender = twilioSenders.get(workspaceId);
  const base = `+1444${String(Date.now() % 100_000).padStart(5, "0")}`;
  for (let i = 0; i < n; i++) {
    const phone = `${base}${String(seq++).padStart(3, "0")}`;
    const name = `${opts.prefix ?? "Pat"} Person${seq}`;
    const [row] = await ownerSql<{ id: string }>(
      api,
      `INSERT INTO contacts (workspace_id, name, phone, tags, last_inbound_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [workspaceId, name, phone, opts.tags ?? [], wrote ? new Date() : null],
    );
    if (wrote) sender?.fakes.twilio.noteInbound(phone, sender.from);
    out.push({ id: row!.id, phone, name });
  }
  return out;
}
