/**
 * What the agent knows and says first (issue 56, items 4–5), shared by the API (which stores,
 * renders and sends it) and the settings page (which validates as you type and previews the
 * opening message with the same renderer, so the preview is exactly what a lead receives).
 *
 * The opening message is a template over a fixed, documented set of variables:
 * `{{lead.firstName}}` is replaced by its value; `{{#lead.message}}…{{/lead.message}}` keeps its
 * content only when the variable has a value, `{{^lead.message}}…{{/lead.message}}` only when it
 * has none (the Mustache section syntax, nothing more: no loops, no partials, no HTML).
 */
import * as z from "zod/mini";

export interface TemplateVariable {
  name: string;
  description: string;
  /** What the settings preview uses. */
  example: string;
}

/** Every variable an opening message may use; anything else is refused. */
export const OPENING_MESSAGE_VARIABLES = [
  { name: "lead.firstName", description: 'The lead\'s first name ("there" when the form had none).', example: "Jane" },
  { name: "lead.name", description: "The lead's full name as submitted.", example: "Jane Doe" },
  {
    name: "lead.message",
    description: "What the lead wrote in the form (shortened to 200 characters; empty when nothing).",
    example: "I'd like a check-up next week.",
  },
  { name: "business.name", description: "The workspace's name.", example: "Smile Dental" },
  { name: "agent.name", description: 'The agent\'s name ("the team" when unnamed).', example: "Ava" },
  { name: "agent.role", description: "The agent's role, as written in the persona.", example: "patient coordinator" },
  {
    name: "agent.firstQuestion",
    description: 'The first qualification question ("How can we help?" when there is none).',
    example: "Is this for a check-up or a treatment?",
  },
] as const satisfies readonly TemplateVariable[];
export type OpeningMessageVariable = (typeof OPENING_MESSAGE_VARIABLES)[number]["name"];
const VARIABLE_NAMES: readonly string[] = OPENING_MESSAGE_VARIABLES.map((v) => v.name);

/**
 * The opening message when the workspace has not written its own: names the agent and the
 * business once, acknowledges what the lead wrote instead of asking for it again, and otherwise
 * opens with the first qualification question.
 */
export const DEFAULT_OPENING_MESSAGE_TEMPLATE =
  'Hi {{lead.firstName}}, this is {{agent.name}} from {{business.name}}.{{#lead.message}} Thanks for your message: "{{lead.message}}" I\'m happy to help with that.{{/lead.message}}{{^lead.message}} Thanks for getting in touch! {{agent.firstQuestion}}{{/lead.message}}';

export const OPENING_MESSAGE_MAX = 1000;
/** What `{{lead.message}}` keeps of a long form message. */
export const LEAD_MESSAGE_IN_OPENING_MAX = 200;

export const OPENING_MESSAGE_MESSAGES = {
  blank: "Write the opening message, or reset it to the default.",
  tooLong: `The opening message is at most ${OPENING_MESSAGE_MAX} characters.`,
  unknown: (name: string) =>
    `Unknown variable {{${name}}}. Use one of ${VARIABLE_NAMES.map((v) => `{{${v}}}`).join(", ")}.`,
  unbalanced: "A placeholder is not closed or not opened: write variables as {{lead.firstName}}.",
  unclosedSection: (name: string) =>
    `The section {{#${name}}} (or {{^${name}}}) is not closed: end it with {{/${name}}}.`,
  strayClose: (name: string) => `{{/${name}}} closes a section that was not opened.`,
} as const;

type Token = { kind: "text"; text: string } | { kind: "var" | "open" | "inverted" | "close"; name: string };
const TAG = /\{\{\s*([#^/]?)\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;

function tokenize(template: string): Token[] | { problem: string } {
  const tokens: Token[] = [];
  let last = 0;
  for (const m of template.matchAll(TAG)) {
    const text = template.slice(last, m.index);
    if (text.includes("{{") || text.includes("}}")) return { problem: OPENING_MESSAGE_MESSAGES.unbalanced };
    if (text) tokens.push({ kind: "text", text });
    const name = m[2] ?? "";
    if (!VARIABLE_NAMES.includes(name)) return { problem: OPENING_MESSAGE_MESSAGES.unknown(name) };
    tokens.push({ kind: m[1] === "#" ? "open" : m[1] === "^" ? "inverted" : m[1] === "/" ? "close" : "var", name });
    last = m.index + m[0].length;
  }
  const rest = template.slice(last);
  if (rest.includes("{{") || rest.includes("}}")) return { problem: OPENING_MESSAGE_MESSAGES.unbalanced };
  if (rest) tokens.push({ kind: "text", text: rest });
  const open: string[] = [];
  for (const t of tokens) {
    if (t.kind === "open" || t.kind === "inverted") open.push(t.name);
    else if (t.kind === "close" && open.pop() !== t.name)
      return { problem: OPENING_MESSAGE_MESSAGES.strayClose(t.name) };
  }
  if (open.length > 0) return { problem: OPENING_MESSAGE_MESSAGES.unclosedSection(open.at(-1)!) };
  return tokens;
}

/** Why an opening message template is refused, in words for its author; undefined when it is fine. */
export function openingMessageTemplateProblem(template: string): string | undefined {
  if (!/\S/.test(template)) return OPENING_MESSAGE_MESSAGES.blank;
  if (template.length > OPENING_MESSAGE_MAX) return OPENING_MESSAGE_MESSAGES.tooLong;
  const tokens = tokenize(template);
  return "problem" in tokens ? tokens.problem : undefined;
}

export const openingMessageTemplate = z.string().check(
  z.superRefine((template, ctx) => {
    const problem = openingMessageTemplateProblem(template);
    if (problem !== undefined) ctx.issues.push({ code: "custom", message: problem, input: template });
  }),
);

/** The values of the variables for one lead (`openingMessageValues` builds them). */
export type OpeningMessageValues = Record<OpeningMessageVariable, string>;

/** The variables' values, each with its documented fallback. */
export function openingMessageValues(input: {
  leadName: string;
  leadMessage: string | null;
  businessName: string;
  agentName: string | null;
  agentRole: string | null;
  firstQuestion: string | null;
}): OpeningMessageValues {
  const message = (input.leadMessage ?? "").replace(/\s+/g, " ").trim();
  return {
    "lead.firstName": input.leadName.trim().split(/\s+/)[0] || "there",
    "lead.name": input.leadName.trim(),
    "lead.message":
      message.length > LEAD_MESSAGE_IN_OPENING_MAX
        ? `${message.slice(0, LEAD_MESSAGE_IN_OPENING_MAX - 1).trimEnd()}…`
        : message,
    "business.name": input.businessName.trim(),
    "agent.name": input.agentName?.trim() || "the team",
    "agent.role": input.agentRole?.trim() ?? "",
    "agent.firstQuestion": input.firstQuestion?.trim() || "How can we help?",
  };
}

/** The example values the settings page previews with. */
export const OPENING_MESSAGE_EXAMPLE = Object.fromEntries(
  OPENING_MESSAGE_VARIABLES.map((v) => [v.name, v.example]),
) as OpeningMessageValues;

/**
 * The message a template gives for these values: sections kept or dropped, variables replaced,
 * white space tidied (no double spaces left by an empty variable). Throws on a template
 * `openingMessageTemplateProblem` refuses (stored templates are checked on the way in).
 */
export function renderOpeningMessage(template: string, values: OpeningMessageValues): string {
  const tokens = tokenize(template);
  if ("problem" in tokens) throw new Error(`renderOpeningMessage: ${tokens.problem}`);
  const value = (name: string) => values[name as OpeningMessageVariable] ?? "";
  let out = "";
  // Sections nest; a closed section skips everything up to its {{/name}}.
  const skipping: boolean[] = [];
  for (const t of tokens) {
    const hidden = skipping.includes(true);
    if (t.kind === "open" || t.kind === "inverted")
      skipping.push(t.kind === "open" ? value(t.name) === "" : value(t.name) !== "");
    else if (t.kind === "close") skipping.pop();
    else if (!hidden) out += t.kind === "text" ? t.text : value(t.name);
  }
  return out
    .replace(/[ \t]+/g, " ")
    .replace(/ ([.,!?;:])/g, "$1")
    .replace(/ *\n */g, "\n")
    .trim();
}

// --- Business knowledge --------------------------------------------------------------------------

export const KNOWLEDGE_LIMITS = { hours: 2000, services: 4000, prices: 4000, faqs: 8000 } as const;
export type KnowledgeField = keyof typeof KNOWLEDGE_LIMITS;
export const KNOWLEDGE_LABELS: Record<KnowledgeField, string> = {
  hours: "Opening hours",
  services: "Services",
  prices: "Prices",
  faqs: "FAQs",
};
export const KNOWLEDGE_MESSAGES = {
  tooLong: (field: KnowledgeField) =>
    `${KNOWLEDGE_LABELS[field]} are at most ${KNOWLEDGE_LIMITS[field].toLocaleString("en")} characters.`,
} as const;
const knowledgeText = (field: KnowledgeField) =>
  z.string().check(z.maxLength(KNOWLEDGE_LIMITS[field], KNOWLEDGE_MESSAGES.tooLong(field)));
export const knowledgeHours = knowledgeText("hours");
export const knowledgeServices = knowledgeText("services");
export const knowledgePrices = knowledgeText("prices");
export const knowledgeFaqs = knowledgeText("faqs");

/** Settings → the agent's knowledge and opening message (an empty knowledge field is stored as none). */
export const agentKnowledgeForm = z.object({
  openingMessageTemplate,
  hours: knowledgeHours,
  services: knowledgeServices,
  prices: knowledgePrices,
  faqs: knowledgeFaqs,
});
export type AgentKnowledgeForm = z.infer<typeof agentKnowledgeForm>;

// --- Test chat -------------------------------------------------------------------------------------

export const TEST_CHAT_MAX_MESSAGES = 30;
export const TEST_CHAT_MESSAGE_MAX = 2000;
export const TEST_CHAT_MESSAGES = {
  empty: "Write a message to the agent first.",
  tooMany: `A test chat holds at most ${TEST_CHAT_MAX_MESSAGES} messages; start a new one.`,
  blank: "Messages cannot be empty.",
  tooLong: `Messages are at most ${TEST_CHAT_MESSAGE_MAX} characters.`,
  lastFromLead: "The last message must be the lead's (role USER): the agent answers it.",
} as const;
export const testChatMessageBody = z
  .string()
  .check(z.regex(/\S/, TEST_CHAT_MESSAGES.blank), z.maxLength(TEST_CHAT_MESSAGE_MAX, TEST_CHAT_MESSAGES.tooLong));

/** Why a test chat's messages cannot be sent to the agent; undefined when they can. */
export function testChatProblem(messages: readonly { role: string; content: string }[]): string | undefined {
  if (messages.length === 0) return TEST_CHAT_MESSAGES.empty;
  if (messages.length > TEST_CHAT_MAX_MESSAGES) return TEST_CHAT_MESSAGES.tooMany;
  for (const m of messages) {
    const problem = testChatMessageBody.safeParse(m.content);
    if (!problem.success) return problem.error.issues[0]?.message;
  }
  if (messages.at(-1)?.role !== "USER") return TEST_CHAT_MESSAGES.lastFromLead;
  return undefined;
}

// --- Voice (Vapi) ----------------------------------------------------------------------------------

/**
 * The tools a workspace's Vapi assistant must define (SPEC, Contract part 2), with the JSON
 * Schema of their arguments as Vapi's function tools take them. The settings page lists them.
 */
export const VAPI_TOOLS = [
  {
    name: "update_lead",
    description: "Record the lead's qualification answers and, when it changes, their status.",
    parameters: {
      type: "object",
      properties: {
        status: {
          type: "string",
          enum: ["CONTACTED", "ENGAGED", "QUALIFIED", "BOOKED", "LOST"],
          description: "Moves forward only; a booked lead stays booked.",
        },
        answers: {
          type: "array",
          items: {
            type: "object",
            properties: { question: { type: "string" }, answer: { type: "string" } },
            required: ["question", "answer"],
          },
        },
      },
    },
  },
  {
    name: "list_slots",
    description: "The free consultation start times between two dates (default: the next 7 days).",
    parameters: {
      type: "object",
      properties: {
        start: { type: "string", description: "ISO 8601" },
        end: { type: "string", description: "ISO 8601" },
      },
    },
  },
  {
    name: "book_consultation",
    description: "Book a consultation at one of the free start times.",
    parameters: {
      type: "object",
      properties: {
        start: { type: "string", description: "ISO 8601, one of list_slots' starts" },
        name: { type: "string" },
        email: { type: "string", description: "Needed when the lead has none on file" },
      },
      required: ["start"],
    },
  },
] as const;
