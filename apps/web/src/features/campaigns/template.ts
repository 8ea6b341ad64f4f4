// The placeholder rule itself (which variables, balanced braces) is @atrium/validation's
// `campaignTemplateProblem`, word for word the API's check when a draft is saved.
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The preview shown under the message box, for one sample contact. */
export function previewTemplate(template: string, contact: { name: string; phone?: string | null }): string {
  const first = contact.name.trim().split(/\s+/)[0] ?? "";
  const values: Record<string, string> = {
    name: contact.name,
    firstName: first,
    email: "",
    phone: contact.phone ?? "",
  };
  return template.replace(PLACEHOLDER, (_all, v: string) => values[v] ?? "");
}

/** The statuses a campaign moves through; each is named by the campaigns namespace's `status.<value>`. */
export const CAMPAIGN_STATUSES = ["DRAFT", "SCHEDULED", "RUNNING", "PAUSED", "COMPLETED", "CANCELLED"] as const;
export type KnownCampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const isCampaignStatus = (status: string): status is KnownCampaignStatus =>
  (CAMPAIGN_STATUSES as readonly string[]).includes(status);

/** Campaigns whose status or numbers can still move: the page follows their progress live. */
export const canMove = (status: string) => status !== "COMPLETED" && status !== "CANCELLED";
