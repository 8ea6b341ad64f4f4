/**
 * Every message of this package with a stable code (issue 48): the API keeps answering in English
 * (its Contract: BAD_USER_INPUT's `extensions.fields`, the schemas' verdicts), and the web app
 * recognises those English sentences to show them in the page's language (its "validation"
 * namespace, keyed by these codes).
 *
 * A code is `<group>.<key>`: the group is the constant's name in camel case without `_MESSAGES`
 * (EMAIL_MESSAGES.invalid → `email.invalid`, PERSON_NAME_MESSAGES.tooLong → `personName.tooLong`).
 * A fixed message's template is its English text. A message built by a function has its values as
 * `{{placeholder}}` (the function called with them, so the template is its English word for word);
 * `params` names them, and only those are placeholders: other braces in the text are literal (a
 * campaign variable such as `{{firstName}}`).
 */
import { ACCOUNT_MESSAGES } from "./account.ts";
import {
  KNOWLEDGE_LIMITS,
  KNOWLEDGE_MESSAGES,
  OPENING_MESSAGE_MESSAGES,
  TEST_CHAT_MESSAGES,
  type KnowledgeField,
} from "./agent.ts";
import { EMAIL_MESSAGES } from "./email.ts";
import {
  API_KEY_NAME_MESSAGES,
  BOOKING_CANCEL_REASON_MESSAGES,
  CAMPAIGN_MESSAGE_MESSAGES,
  CAMPAIGN_NAME_MESSAGES,
  CAMPAIGN_TAG_MESSAGES,
  CONTACT_IMPORT_MESSAGES,
  CONTACT_NAME_MESSAGES,
  GUIDANCE_MESSAGES,
  LEAD_MESSAGE_MESSAGES,
  LEAD_NAME_MESSAGES,
  PASSWORD_MESSAGES,
  PERSON_NAME_MESSAGES,
  PERSONA_MESSAGES,
  PHONE_LABEL_MESSAGES,
  PLAN_NAME_MESSAGES,
  REPLY_BODY_MESSAGES,
  STEP_UP_CODE_MESSAGES,
  TAG_MESSAGES,
  TEMPLATE_MESSAGES,
  WORKSPACE_DESCRIPTION_MESSAGES,
  WORKSPACE_NAME_MESSAGES,
} from "./fields.ts";
import { INTEGRATION_MESSAGES } from "./integrations.ts";
import { PHONE_MESSAGES } from "./phone.ts";
import { PREFERENCE_MESSAGES } from "./preferences.ts";
import { SAFETY_MESSAGES } from "./safety-messages.ts";
import { RECOVERY_CODE_MESSAGES, TOTP_CODE_MESSAGES } from "./sign-in-factor.ts";
import { SLUG_MESSAGES } from "./slug.ts";
import { SSO_MESSAGES } from "./sso.ts";
import { WEBHOOK_EVENTS_MESSAGES, WEBHOOK_URL_MESSAGES } from "./webhooks.ts";
import { WHATSAPP_MESSAGES } from "./whatsapp.ts";

export interface ValidationMessage {
  /** `<group>.<key>`: stable, and the web app's translation key. */
  readonly code: string;
  /** The English text; `{{param}}` where a value goes (function-built messages). */
  readonly template: string;
  /** The placeholders of `template` (empty for a fixed message). */
  readonly params: readonly string[];
}

/** Every `*_MESSAGES` constant the package exports, by its name (messages.test.ts checks none is missing). */
export const MESSAGE_SOURCES = {
  ACCOUNT_MESSAGES,
  EMAIL_MESSAGES,
  PHONE_MESSAGES,
  SLUG_MESSAGES,
  PERSON_NAME_MESSAGES,
  PASSWORD_MESSAGES,
  STEP_UP_CODE_MESSAGES,
  WORKSPACE_NAME_MESSAGES,
  WORKSPACE_DESCRIPTION_MESSAGES,
  PERSONA_MESSAGES,
  API_KEY_NAME_MESSAGES,
  PLAN_NAME_MESSAGES,
  REPLY_BODY_MESSAGES,
  GUIDANCE_MESSAGES,
  CAMPAIGN_NAME_MESSAGES,
  CAMPAIGN_MESSAGE_MESSAGES,
  TEMPLATE_MESSAGES,
  CAMPAIGN_TAG_MESSAGES,
  BOOKING_CANCEL_REASON_MESSAGES,
  LEAD_NAME_MESSAGES,
  LEAD_MESSAGE_MESSAGES,
  CONTACT_NAME_MESSAGES,
  CONTACT_IMPORT_MESSAGES,
  PHONE_LABEL_MESSAGES,
  TAG_MESSAGES,
  WEBHOOK_URL_MESSAGES,
  WEBHOOK_EVENTS_MESSAGES,
  INTEGRATION_MESSAGES,
  TOTP_CODE_MESSAGES,
  RECOVERY_CODE_MESSAGES,
  SSO_MESSAGES,
  SAFETY_MESSAGES,
  WHATSAPP_MESSAGES,
  OPENING_MESSAGE_MESSAGES,
  KNOWLEDGE_MESSAGES,
  TEST_CHAT_MESSAGES,
  PREFERENCE_MESSAGES,
} as const;

/** EMAIL_MESSAGES → "email", OPENING_MESSAGE_MESSAGES → "openingMessage". */
export function messageGroup(constantName: string): string {
  return constantName
    .replace(/_MESSAGES$/, "")
    .toLowerCase()
    .replace(/_([a-z])/g, (_all, letter: string) => letter.toUpperCase());
}

/** `{{name}}`, typed as any argument: a function called with it writes its own template. */
const slot = (name: string) => `{{${name}}}` as never;
const entry = (code: string, template: string, params: readonly string[] = []): ValidationMessage => ({
  code,
  template,
  params,
});

/**
 * The function-built messages, by `<group>.<key>`: their entries (a template, or fixed messages
 * when the function's value is one of a few sentences, or its wording depends on the value).
 */
const FUNCTION_MESSAGES: Record<string, readonly ValidationMessage[]> = {
  "slug.reserved": [entry("slug.reserved", SLUG_MESSAGES.reserved(slot("slug")), ["slug"])],
  "template.unknown": [entry("template.unknown", TEMPLATE_MESSAGES.unknown(slot("variable")), ["variable"])],
  "tag.invalid": [entry("tag.invalid", TAG_MESSAGES.invalid(slot("tag")), ["tag"])],
  "safety.patternInvalid": [entry("safety.patternInvalid", SAFETY_MESSAGES.patternInvalid(slot("why")), ["why"])],
  "whatsapp.variableCount": [
    entry("whatsapp.variableCount_one", WHATSAPP_MESSAGES.variableCount(1)),
    entry("whatsapp.variableCount_other", WHATSAPP_MESSAGES.variableCount(slot("count")), ["count"]),
  ],
  "whatsapp.unknownField": [entry("whatsapp.unknownField", WHATSAPP_MESSAGES.unknownField(slot("field")), ["field"])],
  "openingMessage.unknown": [
    entry("openingMessage.unknown", OPENING_MESSAGE_MESSAGES.unknown(slot("variable")), ["variable"]),
  ],
  "openingMessage.unclosedSection": [
    entry("openingMessage.unclosedSection", OPENING_MESSAGE_MESSAGES.unclosedSection(slot("section")), ["section"]),
  ],
  "openingMessage.strayClose": [
    entry("openingMessage.strayClose", OPENING_MESSAGE_MESSAGES.strayClose(slot("section")), ["section"]),
  ],
  "knowledge.tooLong": (Object.keys(KNOWLEDGE_LIMITS) as KnowledgeField[]).map((field) =>
    entry(`knowledge.tooLong.${field}`, KNOWLEDGE_MESSAGES.tooLong(field)),
  ),
};

function catalog(): ValidationMessage[] {
  const entries: ValidationMessage[] = [];
  for (const [name, messages] of Object.entries(MESSAGE_SOURCES)) {
    const group = messageGroup(name);
    for (const [key, value] of Object.entries(messages)) {
      const code = `${group}.${key}`;
      if (typeof value === "string") entries.push(entry(code, value));
      else entries.push(...(FUNCTION_MESSAGES[code] ?? []));
    }
  }
  return entries;
}

/** Every message with its code, in the order of MESSAGE_SOURCES. */
export const VALIDATION_MESSAGES: readonly ValidationMessage[] = Object.freeze(catalog());

const escapeRe = (text: string) => text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");

/** A template as a pattern that captures its values (a repeated placeholder must repeat its value). */
function templatePattern(message: ValidationMessage): RegExp {
  const slots = new RegExp(message.params.map((p) => escapeRe(`{{${p}}}`)).join("|"), "g");
  const seen = new Set<string>();
  let pattern = "";
  let last = 0;
  for (const m of message.template.matchAll(slots)) {
    const name = m[0].slice(2, -2);
    const index = message.params.indexOf(name);
    pattern += escapeRe(message.template.slice(last, m.index));
    pattern += seen.has(name) ? `\\k<p${index}>` : `(?<p${index}>[\\s\\S]*?)`;
    seen.add(name);
    last = m.index + m[0].length;
  }
  pattern += escapeRe(message.template.slice(last));
  return new RegExp(`^${pattern}$`);
}

export interface RecognisedMessage {
  readonly message: ValidationMessage;
  /** The values of its placeholders, by name. */
  readonly values: Readonly<Record<string, string>>;
}

/**
 * Recognises texts among `messages` (exactly, or a template with its values; the first that fits).
 * The web app also builds one over a translation (the same codes and params, another language's
 * templates), to read back a message it already translated.
 */
export function messageRecogniser(
  messages: readonly ValidationMessage[],
): (text: string) => RecognisedMessage | undefined {
  const exact = new Map<string, ValidationMessage>();
  const patterns: [ValidationMessage, RegExp][] = [];
  for (const message of messages) {
    if (message.params.length > 0) patterns.push([message, templatePattern(message)]);
    else if (!exact.has(message.template)) exact.set(message.template, message);
  }
  return (text) => {
    const fixed = exact.get(text);
    if (fixed !== undefined) return { message: fixed, values: {} };
    for (const [message, pattern] of patterns) {
      const match = pattern.exec(text);
      if (match === null) continue;
      const values: Record<string, string> = {};
      message.params.forEach((param, index) => (values[param] = match.groups?.[`p${index}`] ?? ""));
      return { message, values };
    }
    return undefined;
  };
}

let english: ((text: string) => RecognisedMessage | undefined) | undefined;

/** Which catalog message the English `text` is (exactly, or a template with its values); undefined for any other text. */
export function recogniseValidationMessage(text: string): RecognisedMessage | undefined {
  english ??= messageRecogniser(VALIDATION_MESSAGES);
  return english(text);
}

/** `template` with each of `params`' placeholders replaced by its value (one pass: a value is never read as a placeholder). */
export function fillTemplate(
  template: string,
  params: readonly string[],
  values: Readonly<Record<string, string>>,
): string {
  if (params.length === 0) return template;
  const slots = new RegExp(params.map((p) => escapeRe(`{{${p}}}`)).join("|"), "g");
  return template.replace(slots, (token) => values[token.slice(2, -2)] ?? token);
}
