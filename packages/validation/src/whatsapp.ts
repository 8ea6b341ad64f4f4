/**
 * WhatsApp's rules (issue 56): the 24-hour window and approved templates. Shared by the API (which
 * decides whether a message may go as free text, and renders a template's variables) and the web
 * app (the template editor's preview, the composer's "window closed" state), so both say the same.
 *
 * A template is one approved in Twilio (Content SID `HX` + 32 hex digits). Its `body` is the text
 * Twilio holds, with positional placeholders {{1}}…{{n}}; `variables[i]` names the lead or
 * contact field that fills {{i+1}}, sent as Twilio's `ContentVariables` JSON ({"1": "Jane"}).
 */
import * as z from "zod/mini";

/** How long after the contact's last inbound message a business may send free text. */
export const WHATSAPP_WINDOW_MS = 24 * 3600 * 1000;

/** Whether free text may be sent now to a contact whose last inbound message was at `lastInboundAt`. */
export function insideWhatsAppWindow(lastInboundAt: Date | string | null | undefined, now: Date = new Date()): boolean {
  if (!lastInboundAt) return false;
  const at = typeof lastInboundAt === "string" ? new Date(lastInboundAt) : lastInboundAt;
  return now.getTime() - at.getTime() < WHATSAPP_WINDOW_MS;
}

/** The fields a template variable can be filled from. */
export const TEMPLATE_FIELDS = ["name", "firstName", "email", "phone", "business", "agent"] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];
export const TEMPLATE_FIELD_LABELS: Record<TemplateField, string> = {
  name: "Contact's full name",
  firstName: "Contact's first name",
  email: "Contact's e-mail",
  phone: "Contact's phone",
  business: "Business (workspace) name",
  agent: "Agent's name",
};

export const TEMPLATE_NAME_MAX = 80;
export const TEMPLATE_BODY_MAX = 1024;
export const TEMPLATE_VARIABLES_MAX = 10;
export const OPT_IN_TEXT_MAX = 500;

export const WHATSAPP_MESSAGES = {
  nameBlank: "Name the template.",
  nameTooLong: `Names are at most ${TEMPLATE_NAME_MAX} characters.`,
  contentSid:
    "Enter the template's Content SID from Twilio: HX followed by 32 letters and digits (Messaging → Content Template Builder).",
  bodyBlank: "Paste the template's text as approved in Twilio.",
  bodyTooLong: `Template texts are at most ${TEMPLATE_BODY_MAX} characters.`,
  placeholders: "Placeholders are numbered {{1}}, {{2}}, … in order, without gaps.",
  tooManyVariables: `At most ${TEMPLATE_VARIABLES_MAX} variables.`,
  variableCount: (n: number) => `The text has ${n} placeholder${n === 1 ? "" : "s"}: choose a field for each.`,
  unknownField: (f: string) => `Unknown field "${f}". Choose one of: ${TEMPLATE_FIELDS.join(", ")}.`,
  windowClosed:
    "WhatsApp allows free text only within 24 hours of the contact's last message. Send an approved template instead.",
  templateRequired:
    "Not sent: WhatsApp allows free text only within 24 hours of the contact's last message, and no approved template was chosen (Settings → WhatsApp templates).",
  optedOut: "This contact replied STOP: WhatsApp messages to them are off until they send START.",
} as const;

const PLACEHOLDER = /\{\{\s*(\d+)\s*\}\}/g;

/** The placeholder numbers of a template body, in order of appearance. */
export function templatePlaceholders(body: string): number[] {
  return [...body.matchAll(PLACEHOLDER)].map((m) => Number(m[1]));
}

/** How many variables a body needs (its highest placeholder), or a problem with its numbering. */
export function templateBodyProblem(body: string): string | undefined {
  if (!/\S/.test(body)) return WHATSAPP_MESSAGES.bodyBlank;
  if (body.length > TEMPLATE_BODY_MAX) return WHATSAPP_MESSAGES.bodyTooLong;
  const rest = body.replace(PLACEHOLDER, "");
  if (rest.includes("{{") || rest.includes("}}")) return WHATSAPP_MESSAGES.placeholders;
  const numbers = new Set(templatePlaceholders(body));
  if (numbers.size > TEMPLATE_VARIABLES_MAX) return WHATSAPP_MESSAGES.tooManyVariables;
  for (let i = 1; i <= numbers.size; i++) if (!numbers.has(i)) return WHATSAPP_MESSAGES.placeholders;
  return undefined;
}

export const templateName = z
  .string()
  .check(z.regex(/\S/, WHATSAPP_MESSAGES.nameBlank), z.maxLength(TEMPLATE_NAME_MAX, WHATSAPP_MESSAGES.nameTooLong));
export const contentSid = z.string().check(z.regex(/^HX[0-9a-fA-F]{32}$/, WHATSAPP_MESSAGES.contentSid));
export const templateBody = z.string().check(
  z.refine((b) => templateBodyProblem(b) === undefined, {
    error: (issue) => templateBodyProblem(String(issue.input)) ?? WHATSAPP_MESSAGES.placeholders,
  }),
);

/** The whole template as the editor and the API check it (the variables must match the placeholders). */
export const messageTemplateForm = z
  .object({ name: templateName, contentSid, body: templateBody, variables: z.array(z.string()) })
  .check(
    z.superRefine((v, ctx) => {
      if (templateBodyProblem(v.body) !== undefined) return;
      const needed = new Set(templatePlaceholders(v.body)).size;
      if (v.variables.length !== needed)
        ctx.issues.push({
          code: "custom",
          message: WHATSAPP_MESSAGES.variableCount(needed),
          path: ["variables"],
          input: v.variables,
        });
      v.variables.forEach((f, i) => {
        if (!(TEMPLATE_FIELDS as readonly string[]).includes(f))
          ctx.issues.push({
            code: "custom",
            message: WHATSAPP_MESSAGES.unknownField(f),
            path: ["variables", i],
            input: f,
          });
      });
    }),
  );

export interface TemplateValues {
  name: string;
  email: string | null;
  phone: string | null;
  business: string;
  agent: string | null;
}

/** Twilio's ContentVariables for one recipient: {"1": value, …} (a missing value becomes "-": WhatsApp refuses empty parameters). */
export function templateVariables(variables: readonly string[], v: TemplateValues): Record<string, string> {
  const out: Record<string, string> = {};
  variables.forEach((field, i) => {
    const value = fieldValue(field, v).trim();
    out[String(i + 1)] = value || "-";
  });
  return out;
}

function fieldValue(field: string, v: TemplateValues): string {
  switch (field as TemplateField) {
    case "name":
      return v.name;
    case "firstName":
      return v.name.trim().split(/\s+/)[0] ?? "";
    case "email":
      return v.email ?? "";
    case "phone":
      return v.phone ?? "";
    case "business":
      return v.business;
    case "agent":
      return v.agent ?? v.business;
    default:
      return "";
  }
}

/** The text the recipient reads: the body with its placeholders filled. */
export function renderWhatsAppTemplate(body: string, values: Record<string, string>): string {
  return body.replace(PLACEHOLDER, (_all, n: string) => values[n] ?? "");
}

/** The opt-in text the public form of a WhatsApp workspace shows beside its consent box. */
export function defaultOptInText(business: string): string {
  return `I agree to receive WhatsApp messages from ${business} about my enquiry. I can reply STOP at any time to stop them.`;
}
