/** The same rule the API applies when a draft is saved (modules/campaigns/campaign-template.ts), for instant feedback. */
export const TEMPLATE_VARIABLES = ["name", "firstName", "email", "phone"] as const;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function templateProblem(template: string): string | undefined {
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1] ?? "";
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name)) return `Unknown variable {{${name}}}. Use ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(", ")}.`;
  }
  const rest = template.replace(PLACEHOLDER, "");
  if (rest.includes("{{") || rest.includes("}}")) return "A placeholder is not closed or not opened: write variables as {{name}}.";
  return undefined;
}

/** The preview shown under the message box, for one sample contact. */
export function previewTemplate(template: string, contact: { name: string; phone?: string | null }): string {
  const first = contact.name.trim().split(/\s+/)[0] ?? "";
  const values: Record<string, string> = { name: contact.name, firstName: first, email: "", phone: contact.phone ?? "" };
  return template.replace(PLACEHOLDER, (_all, v: string) => values[v] ?? "");
}

export const CAMPAIGN_STATUS_LABELS: Record<string, string> = {
  DRAFT: "Draft",
  SCHEDULED: "Scheduled",
  RUNNING: "Running",
  PAUSED: "Paused",
  COMPLETED: "Completed",
  CANCELLED: "Cancelled",
};

/** Campaigns whose numbers still move: the page polls while one is shown. */
export const isLive = (status: string) => status === "RUNNING" || status === "SCHEDULED";
