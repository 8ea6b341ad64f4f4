/**
 * How the audit log words an event (issue 56, item 12: readable at 1280 px, names not ids): who
 * did it (a member's name and e-mail, an API key's name, "Former member", the system), what
 * ("Contacts imported", the action's code beside it), to what (the target's label the API read,
 * never its id) and the details in a line ("1,001 created · 1 merged · 1 skipped").
 */
import i18n from "i18next";

import { type AuditActorKind } from "../../gql/graphql.ts";
import type auditTexts from "../../i18n/locales/en/audit.json";
import { formatNumber } from "../../platform/format.ts";

/** The audit namespace's texts, in the language current when called. */
const t = i18n.getFixedT(null, "audit");

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
  if (actor == null)
    return event.actorUserId != null
      ? { name: t("actor.aMember") }
      : { name: t("actor.system"), detail: t("actor.systemDetail") };
  if (event.actorUserId === myUserId)
    return { name: t("actor.you"), ...(actor.email != null ? { detail: actor.email } : {}) };
  if (actor.kind === "API_KEY") return { name: actor.name, detail: t("actor.apiKey") };
  // The API names someone who left "Former member" (in English): said in the page's language.
  if (actor.kind === "FORMER_MEMBER") return { name: t("actor.formerMember"), detail: t("actor.formerMemberDetail") };
  return { name: actor.name, ...(actor.email != null ? { detail: actor.email } : {}) };
}

type Texts = typeof auditTexts;
/** An action the audit namespace words ("contact.imported"), as `actions.<noun>.<verb>`. */
type KnownAction = {
  [N in keyof Texts["actions"]]: `${N}.${keyof Texts["actions"][N] & string}`;
}[keyof Texts["actions"]];
type Noun = keyof Texts["nouns"];
type TargetType = keyof Texts["targetTypes"];

const isKnownAction = (action: string): action is KnownAction =>
  /^[a-z_]+\.[a-z_]+$/.test(action) && i18n.exists(`actions.${action}`, { ns: "audit" });
const isNoun = (noun: string): noun is Noun => /^[a-z_]+$/.test(noun) && i18n.exists(`nouns.${noun}`, { ns: "audit" });
const isTargetType = (type: string): type is TargetType =>
  /^[A-Za-z]+$/.test(type) && i18n.exists(`targetTypes.${type}`, { ns: "audit" });

const words = (text: string) => text.replace(/_/g, " ");

/**
 * "member.updated" → "Member updated" (the namespace's `actions`); an unknown one in the same
 * shape: its noun in words, then the rest of its code.
 */
export function actionText(action: string): string {
  if (isKnownAction(action)) return t(`actions.${action}`);
  const [noun = "", ...rest] = action.split(".");
  const subject = isNoun(noun)
    ? t(`nouns.${noun}`)
    : noun === ""
      ? ""
      : `${noun.charAt(0).toUpperCase()}${words(noun.slice(1))}`;
  const what = words(rest.join(" "));
  if (subject === "" || what === "") return subject === "" ? what : subject;
  return t("actionFallback", { subject, what });
}

/** What it was done to: the label, with its kind; no label (gone, or not readable to the viewer) → the kind only. */
export function targetText(event: AuditEventLike): { label: string; kind?: string } | undefined {
  if (event.targetType == null) return event.targetLabel != null ? { label: event.targetLabel } : undefined;
  const kind = isTargetType(event.targetType) ? t(`targetTypes.${event.targetType}`) : event.targetType;
  if (event.targetLabel != null) return { label: event.targetLabel, kind };
  return { label: kind };
}

function valueText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return formatNumber(value);
  if (Array.isArray(value) && value.every((item) => typeof item === "string"))
    return value.length === 0 ? t("details.none") : value.join(", ");
  return JSON.stringify(value);
}

/** The event's details in one line; an import as its counts. The other details' keys are the data's own (field names). */
export function detailsText(action: string, data: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return data;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    return parsed === null ? "" : JSON.stringify(parsed);
  const record = parsed as Record<string, unknown>;
  if (action === "contact.imported") {
    const count = (key: string) => (typeof record[key] === "number" ? record[key] : 0);
    const counted = (key: "created" | "merged" | "skipped" | "refused", n: number) =>
      t(`details.${key}`, { count: n, number: formatNumber(n) });
    const parts = [
      counted("created", count("created")),
      counted("merged", count("updated")),
      counted("skipped", count("skipped")),
    ];
    if (count("failed") > 0) parts.push(counted("refused", count("failed")));
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
