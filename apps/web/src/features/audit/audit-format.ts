/**
 * How the audit log words an event (issue 56, item 12: readable at 1280 px, names not ids): who
 * did it (a member's name and e-mail, an API key's name, "Former member", the system), what
 * ("Contacts imported", the action's code beside it), to what (the target's label the API read,
 * never its id) and the details in a line ("1,001 created · 1 merged · 1 skipped").
 */
import { type AuditActorKind } from "../../gql/graphql.ts";

export interface AuditEventLike {
  readonly action: string;
  readonly actorUserId?: string | null;
  readonly actor?: { readonly kind: AuditActorKind; readonly name: string; readonly email?: string | null } | null;
  readonly targetType?: string | null;
  readonly targetLabel?: string | null;
  readonly data: string;
}

/** Who did it: a line, and what tells it apart (the e-mail, "API key"). */
export function actorText(event: AuditEventLike, myUserId: string): { name: string; detail?: string } {
  const actor = event.actor;
  if (actor == null) return event.actorUserId != null ? { name: "A member" } : { name: "System", detail: "a job, a provider or the public form" };
  if (event.actorUserId === myUserId) return { name: "You", ...(actor.email != null ? { detail: actor.email } : {}) };
  if (actor.kind === "API_KEY") return { name: actor.name, detail: "API key" };
  if (actor.kind === "FORMER_MEMBER") return { name: actor.name, detail: "no longer in the workspace" };
  return { name: actor.name, ...(actor.email != null ? { detail: actor.email } : {}) };
}

const NOUNS: Readonly<Record<string, string>> = {
  api_key: "API key",
  contact: "Contact",
  lead: "Lead",
  member: "Member",
  invitation: "Invitation",
  workspace: "Workspace",
  agent: "Agent",
  conversation: "Conversation",
  message: "Message",
  campaign: "Campaign",
  integration: "Integration",
  webhook: "Webhook",
  booking: "Booking",
  access: "Access",
  retention: "Retention",
  plan: "Plan",
  safety_rule: "Safety rule",
  review: "Review item",
  inbox: "Inbox",
  phone_config: "Phone number",
};

/** Actions whose generic wording ("Contact imported") would say less than it should. */
const ACTION_TEXT: Readonly<Record<string, string>> = {
  "contact.imported": "Contacts imported",
  "contact.exported": "Contacts exported",
  "access.denied": "Access refused",
  "agent.paused": "Agent paused",
  "agent.resumed": "Agent resumed",
  "member.left": "Member left",
};

const words = (text: string) => text.replace(/_/g, " ");

/** "member.updated" → "Member updated"; an unknown one in the same shape. */
export function actionText(action: string): string {
  const known = ACTION_TEXT[action];
  if (known !== undefined) return known;
  const [noun = "", ...rest] = action.split(".");
  const subject = NOUNS[noun] ?? (noun === "" ? "" : `${noun.charAt(0).toUpperCase()}${words(noun.slice(1))}`);
  return [subject, words(rest.join(" "))].filter((part) => part !== "").join(" ");
}

const TARGET_TYPES: Readonly<Record<string, string>> = { ApiKey: "API key", WebhookEndpoint: "Webhook endpoint", PhoneConfig: "Phone number", SafetyRule: "Safety rule", ReviewItem: "Review item", WebhookDelivery: "Webhook delivery" };

/** What it was done to: the label, with its kind; no label (gone, or not readable to the viewer) → the kind only. */
export function targetText(event: AuditEventLike): { label: string; kind?: string } | undefined {
  if (event.targetType == null) return event.targetLabel != null ? { label: event.targetLabel } : undefined;
  const kind = TARGET_TYPES[event.targetType] ?? event.targetType;
  if (event.targetLabel != null) return { label: event.targetLabel, kind };
  return { label: kind };
}

const number = new Intl.NumberFormat("en-US");

function valueText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return number.format(value);
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value.length === 0 ? "none" : value.join(", ");
  return JSON.stringify(value);
}

/** The event's details in one line; an import as its counts. */
export function detailsText(action: string, data: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return data;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return parsed === null ? "" : JSON.stringify(parsed);
  const record = parsed as Record<string, unknown>;
  if (action === "contact.imported") {
    const count = (key: string) => (typeof record[key] === "number" ? record[key] : 0);
    const parts = [`${number.format(count("created"))} created`, `${number.format(count("updated"))} merged`, `${number.format(count("skipped"))} skipped`];
    if (count("failed") > 0) parts.push(`${number.format(count("failed"))} refused`);
    return parts.join(" · ");
  }
  if (action === "access.denied") {
    const message = typeof record["message"] === "string" ? record["message"] : "";
    const operation = typeof record["operation"] === "string" ? record["operation"] : "";
    return [message, operation !== "" ? `(${operation})` : ""].filter((part) => part !== "").join(" ");
  }
  return Object.entries(record)
    .filter(([, value]) => value !== null && value !== undefined && value !== "")
    .map(([key, value]) => `${words(key)}: ${valueText(value)}`)
    .join(" · ");
}
