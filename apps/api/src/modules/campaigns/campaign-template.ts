// Campaign messages with {{variable}} placeholders, validated when the draft is saved (an unknown
// variable or a stray brace is refused then, not discovered while sending to thousands).

export const TEMPLATE_VARIABLES = ["name", "firstName", "email", "phone"] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Why the template is refused, in words for the person writing it; null when it is fine. */
export function templateProblem(template: string): string | null {
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(m[1]!))
      return `Unknown variable {{${m[1]}}}. Use ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(", ")}.`;
  }
  const rest = template.replace(PLACEHOLDER, "");
  if (rest.includes("{{") || rest.includes("}}"))
    return "A placeholder is not closed or not opened: write variables as {{name}}.";
  return null;
}

export interface TemplateContact {
  name: string;
  email: string | null;
  phone: string | null;
}

/** The message for one contact; a missing value becomes an empty string. */
export function renderTemplate(template: string, c: TemplateContact): string {
  const values: Record<TemplateVariable, string> = {
    name: c.name,
    firstName: c.name.trim().split(/\s+/)[0] ?? "",
    email: c.email ?? "",
    phone: c.phone ?? "",
  };
  return template.replace(PLACEHOLDER, (_all, v: string) => values[v as TemplateVariable] ?? "");
}
