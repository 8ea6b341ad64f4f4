/**
 * Single-field rules the forms share with the API: names, passwords, the agent persona (W10),
 * labels and tags. Each is checked on the value as sent (the web app trims what it trims before
 * sending), so the API's verdict and the form's are the same sentence.
 */
import * as z from "zod/mini";

/** Required text: something other than white space, at most `max` characters. */
function requiredText(max: number, messages: { blank: string; tooLong: string }) {
  return z.string().check(z.regex(/\S/, messages.blank), z.maxLength(max, messages.tooLong));
}

// --- People and accounts -----------------------------------------------------------------------

export const PERSON_NAME_MAX = 100;
export const PERSON_NAME_MESSAGES = {
  blank: "Enter your name.",
  tooLong: `Names are at most ${PERSON_NAME_MAX} characters.`,
} as const;
/** A user's name (sign-up). */
export const personName = requiredText(PERSON_NAME_MAX, PERSON_NAME_MESSAGES);

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;
export const PASSWORD_MESSAGES = {
  tooShort: `Use at least ${PASSWORD_MIN} characters.`,
  tooLong: `Passwords are at most ${PASSWORD_MAX} characters.`,
  required: "Enter your password.",
} as const;
/** A password being chosen (sign-up). */
export const newPassword = z
  .string()
  .check(z.minLength(PASSWORD_MIN, PASSWORD_MESSAGES.tooShort), z.maxLength(PASSWORD_MAX, PASSWORD_MESSAGES.tooLong));
/** A password being typed to sign in: anything not empty (older accounts may have shorter ones). */
export const currentPassword = z
  .string()
  .check(z.minLength(1, PASSWORD_MESSAGES.required), z.maxLength(PASSWORD_MAX, PASSWORD_MESSAGES.tooLong));

/** A second-factor code (S7): a TOTP from the authenticator app, or a recovery code; checked trimmed. */
export const STEP_UP_CODE_MAX = 32;
export const STEP_UP_CODE_MESSAGES = {
  invalid: "Enter the 6-digit code from your authenticator app, or a recovery code.",
} as const;
export const stepUpCode = z.string().check(
  z.refine((code) => {
    const trimmedCode = code.trim();
    return trimmedCode.length > 0 && trimmedCode.length <= STEP_UP_CODE_MAX;
  }, STEP_UP_CODE_MESSAGES.invalid),
);

// --- Workspaces --------------------------------------------------------------------------------

export const WORKSPACE_NAME_MAX = 80;
export const WORKSPACE_NAME_MESSAGES = {
  blank: "Enter a name.",
  tooLong: `Names are at most ${WORKSPACE_NAME_MAX} characters.`,
} as const;
export const workspaceName = requiredText(WORKSPACE_NAME_MAX, WORKSPACE_NAME_MESSAGES);

export const WORKSPACE_DESCRIPTION_MAX = 500;
export const WORKSPACE_DESCRIPTION_MESSAGES = {
  tooLong: `Descriptions are at most ${WORKSPACE_DESCRIPTION_MAX} characters.`,
} as const;
export const workspaceDescription = z
  .string()
  .check(z.maxLength(WORKSPACE_DESCRIPTION_MAX, WORKSPACE_DESCRIPTION_MESSAGES.tooLong));

// --- Agent persona (W10) -----------------------------------------------------------------------

export const AGENT_TONES = ["FRIENDLY", "PROFESSIONAL", "CONCISE", "ENTHUSIASTIC"] as const;
export type AgentTone = (typeof AGENT_TONES)[number];

export const AGENT_NAME_MAX = 60;
export const AGENT_ROLE_MAX = 200;
export const QUESTION_MAX = 300;
export const MAX_QUALIFICATION_QUESTIONS = 20;

export const PERSONA_MESSAGES = {
  agentNameBlank: "Name the agent.",
  agentNameTooLong: `At most ${AGENT_NAME_MAX} characters.`,
  agentRoleBlank: "Describe the agent's role.",
  agentRoleTooLong: `At most ${AGENT_ROLE_MAX} characters.`,
  tone: `Tone must be one of ${AGENT_TONES.join(", ")}.`,
  questionBlank: "Questions cannot be empty.",
  questionTooLong: `Questions are at most ${QUESTION_MAX} characters.`,
  tooManyQuestions: `At most ${MAX_QUALIFICATION_QUESTIONS} questions.`,
} as const;

export const agentName = requiredText(AGENT_NAME_MAX, {
  blank: PERSONA_MESSAGES.agentNameBlank,
  tooLong: PERSONA_MESSAGES.agentNameTooLong,
});
export const agentRole = requiredText(AGENT_ROLE_MAX, {
  blank: PERSONA_MESSAGES.agentRoleBlank,
  tooLong: PERSONA_MESSAGES.agentRoleTooLong,
});
export const agentTone = z.enum(AGENT_TONES, PERSONA_MESSAGES.tone);
export const qualificationQuestion = requiredText(QUESTION_MAX, {
  blank: PERSONA_MESSAGES.questionBlank,
  tooLong: PERSONA_MESSAGES.questionTooLong,
});
/** Asked in this order. */
export const qualificationQuestions = z
  .array(qualificationQuestion)
  .check(z.maxLength(MAX_QUALIFICATION_QUESTIONS, PERSONA_MESSAGES.tooManyQuestions));

// --- API keys (A1) ------------------------------------------------------------------------------

export const API_KEY_NAME_MAX = 80;
export const API_KEY_NAME_MESSAGES = {
  blank: "Name the key.",
  tooLong: `Names are at most ${API_KEY_NAME_MAX} characters.`,
} as const;
/** What a key is called ("Website backend"). */
export const apiKeyName = requiredText(API_KEY_NAME_MAX, API_KEY_NAME_MESSAGES);

// --- Plans (usage, platform admin) -----------------------------------------------------------------

export const PLAN_NAME_MAX = 60;
export const PLAN_NAME_MESSAGES = {
  blank: "Enter a plan name.",
  tooLong: `Plan names are at most ${PLAN_NAME_MAX} characters.`,
} as const;
/** What a plan is called ("Starter"); the API stores it trimmed. */
export const planName = requiredText(PLAN_NAME_MAX, PLAN_NAME_MESSAGES);

// --- Conversations (W4) -------------------------------------------------------------------------

export const REPLY_BODY_MAX = 4096;
export const REPLY_BODY_MESSAGES = {
  blank: "Write a message.",
  tooLong: `Messages are at most ${REPLY_BODY_MAX} characters.`,
} as const;
/** A member's manual reply during human takeover (sent trimmed). */
export const replyBody = requiredText(REPLY_BODY_MAX, REPLY_BODY_MESSAGES);

export const GUIDANCE_MAX = 2000;
export const GUIDANCE_MESSAGES = {
  blank: "Write the guidance.",
  tooLong: `Guidance is at most ${GUIDANCE_MAX} characters.`,
} as const;
/** An operator's private note to the agent (issue 47; sent trimmed). */
export const guidanceText = requiredText(GUIDANCE_MAX, GUIDANCE_MESSAGES);

// --- Campaigns (R5) ------------------------------------------------------------------------------

export const CAMPAIGN_NAME_MAX = 120;
export const CAMPAIGN_NAME_MESSAGES = {
  blank: "Enter a name.",
  tooLong: `Names are at most ${CAMPAIGN_NAME_MAX} characters.`,
} as const;
export const campaignName = requiredText(CAMPAIGN_NAME_MAX, CAMPAIGN_NAME_MESSAGES);

export const CAMPAIGN_MESSAGE_MAX = 1600;
export const CAMPAIGN_MESSAGE_MESSAGES = {
  blank: "Enter a message.",
  tooLong: `Messages are at most ${CAMPAIGN_MESSAGE_MAX} characters.`,
} as const;
/** What CreateCampaignInput checks on arrival; the placeholders are checked when the draft is saved. */
export const campaignMessageText = requiredText(CAMPAIGN_MESSAGE_MAX, CAMPAIGN_MESSAGE_MESSAGES);

/** The variables a campaign message may use, as {{name}}. */
export const TEMPLATE_VARIABLES = ["name", "firstName", "email", "phone"] as const;
const TEMPLATE_PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
export const TEMPLATE_MESSAGES = {
  unknown: (name: string) =>
    `Unknown variable {{${name}}}. Use ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(", ")}.`,
  unbalanced: "A placeholder is not closed or not opened: write variables as {{name}}.",
} as const;

/**
 * Why a campaign message's placeholders are refused, in words for the person writing it; undefined
 * when they are fine. The API's rule (modules/campaigns/campaign-template.ts) word for word.
 */
export function campaignTemplateProblem(template: string): string | undefined {
  for (const match of template.matchAll(TEMPLATE_PLACEHOLDER)) {
    const name = match[1] ?? "";
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name)) return TEMPLATE_MESSAGES.unknown(name);
  }
  const rest = template.replace(TEMPLATE_PLACEHOLDER, "");
  if (rest.includes("{{") || rest.includes("}}")) return TEMPLATE_MESSAGES.unbalanced;
  return undefined;
}

/** A campaign message as saving a draft judges it: the input's rule, then the placeholders. */
export const campaignMessage = campaignMessageText.check(
  z.superRefine((template, ctx) => {
    const problem = campaignTemplateProblem(template);
    if (problem !== undefined) ctx.issues.push({ code: "custom", message: problem, input: template });
  }),
);

export const CAMPAIGN_TAG_MAX = 60;
export const CAMPAIGN_TAG_MESSAGES = { tooLong: `Tags are at most ${CAMPAIGN_TAG_MAX} characters.` } as const;
/** The tag whose contacts a campaign also reaches (optional). */
export const campaignTag = z.string().check(z.maxLength(CAMPAIGN_TAG_MAX, CAMPAIGN_TAG_MESSAGES.tooLong));

// --- Bookings (R4) -------------------------------------------------------------------------------

export const BOOKING_CANCEL_REASON_MAX = 500;
export const BOOKING_CANCEL_REASON_MESSAGES = { tooLong: `At most ${BOOKING_CANCEL_REASON_MAX} characters.` } as const;
/** Why a consultation is cancelled (optional; sent to the attendee). */
export const bookingCancelReason = z
  .string()
  .check(z.maxLength(BOOKING_CANCEL_REASON_MAX, BOOKING_CANCEL_REASON_MESSAGES.tooLong));

// --- Leads, contacts, phone numbers ------------------------------------------------------------

export const LEAD_NAME_MAX = 120;
export const LEAD_NAME_MESSAGES = {
  blank: "Enter a name.",
  tooLong: `Names are at most ${LEAD_NAME_MAX} characters.`,
} as const;
/** A lead's name (the public form, submitLead). */
export const leadName = requiredText(LEAD_NAME_MAX, LEAD_NAME_MESSAGES);

export const LEAD_MESSAGE_MAX = 4000;
export const LEAD_MESSAGE_MESSAGES = { tooLong: `Messages are at most ${LEAD_MESSAGE_MAX} characters.` } as const;
export const leadMessage = z.string().check(z.maxLength(LEAD_MESSAGE_MAX, LEAD_MESSAGE_MESSAGES.tooLong));

export const CONTACT_NAME_MAX = 200;
export const CONTACT_NAME_MESSAGES = {
  blank: "Enter a name.",
  tooLong: `Names are at most ${CONTACT_NAME_MAX} characters.`,
} as const;
export const contactName = requiredText(CONTACT_NAME_MAX, CONTACT_NAME_MESSAGES);

/**
 * Rows in one contacts import: the whole file is one call, planned and applied in one
 * transaction (decision 0030), so the preview and the import see the same file.
 */
export const CONTACT_IMPORT_MAX_ROWS = 5000;
export const CONTACT_IMPORT_MESSAGES = {
  tooMany: `At most ${CONTACT_IMPORT_MAX_ROWS.toLocaleString("en")} rows per import; split the file.`,
} as const;

export const PHONE_LABEL_MAX = 80;
export const PHONE_LABEL_MESSAGES = {
  blank: "Enter a label.",
  tooLong: `At most ${PHONE_LABEL_MAX} characters.`,
} as const;
/** What a workspace calls one of its numbers ("Sales line"). */
export const phoneLabel = requiredText(PHONE_LABEL_MAX, PHONE_LABEL_MESSAGES);

/** A contact's tags: lower-cased, 1–40 letters, digits, spaces, - or _, at most 20. */
export const TAG_RE = /^[\p{L}\p{N}][\p{L}\p{N} _-]{0,39}$/u;
export const TAG_MAX = 40;
export const MAX_TAGS = 20;
export const TAG_MESSAGES = {
  invalid: (tag: string) => `"${tag.slice(0, TAG_MAX)}" is not a valid tag: use 1–40 letters, digits, spaces, - or _.`,
  tooMany: `At most ${MAX_TAGS} tags.`,
  tooLong: `Tags are at most ${TAG_MAX} characters.`,
} as const;

/**
 * Tags as stored: trimmed, lower case, inner white space collapsed, blanks and repeats dropped.
 * The first problem instead when a tag is malformed or there are too many.
 */
export function normaliseTags(raw: readonly string[]): { tags: string[] } | { problem: string } {
  const tags: string[] = [];
  for (const tag of raw) {
    const value = tag.trim().toLowerCase().replace(/\s+/g, " ");
    if (!value) continue;
    if (!TAG_RE.test(value)) return { problem: TAG_MESSAGES.invalid(tag) };
    if (!tags.includes(value)) tags.push(value);
  }
  return tags.length > MAX_TAGS ? { problem: TAG_MESSAGES.tooMany } : { tags };
}

/** Tags typed as one comma-separated line (the contact form). */
export const tagList = z.string().check(
  z.superRefine((line, ctx) => {
    const result = normaliseTags(splitTags(line));
    if ("problem" in result) ctx.issues.push({ code: "custom", message: result.problem, input: line });
  }),
);

/** "vip, London ,," → ["vip", "London"] (as typed: `normaliseTags` does the rest). */
export function splitTags(line: string): string[] {
  return line
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "");
}
