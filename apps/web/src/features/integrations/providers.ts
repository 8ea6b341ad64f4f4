/**
 * What each provider card asks for (SPEC I1), in the words a customer knows from the provider's
 * own console, and how a filled-in card becomes the API's `IntegrationInput`. The formats are
 * @atrium/validation's (`INTEGRATION_FIELD_RULES`, what the API's input checks, in its words);
 * which fields may be left empty, and the typed event type id, are the card's own. Which channel
 * may use which card stays the API's.
 */
import { INTEGRATION_FIELD_RULES, fieldProblems, problemOf } from "@atrium/validation";
import * as z from "zod/mini";
import { type IntegrationInput, type IntegrationProvider } from "../../gql/graphql.ts";

export interface ProviderFieldSpec {
  /** The input member's name, as the API names it (and in its field errors). */
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly secret: boolean;
  readonly numeric?: boolean;
}

export interface ProviderCardSpec {
  readonly provider: IntegrationProvider;
  readonly title: string;
  readonly inputKey: "twilio" | "vapi" | "calcom" | "openai";
  readonly purpose: string;
  readonly fields: readonly ProviderFieldSpec[];
}

export const PROVIDER_CARDS: Readonly<Record<IntegrationProvider, ProviderCardSpec>> = {
  TWILIO: {
    provider: "TWILIO",
    title: "Twilio (WhatsApp)",
    inputKey: "twilio",
    purpose: "Sends and receives the WhatsApp messages of this workspace.",
    fields: [
      { name: "accountSid", label: "Account SID", hint: "AC followed by 32 characters, from the Twilio console.", secret: false },
      { name: "authToken", label: "Auth token", secret: true },
      { name: "whatsappFrom", label: "WhatsApp sender", hint: "E.164, e.g. +14155238886 (the sandbox number works).", secret: false },
    ],
  },
  VAPI: {
    provider: "VAPI",
    title: "Vapi (voice)",
    inputKey: "vapi",
    purpose: "Calls each new lead with your voice assistant.",
    fields: [
      { name: "apiKey", label: "Private API key", secret: true },
      { name: "assistantId", label: "Assistant ID", secret: false },
      { name: "phoneNumberId", label: "Phone number ID", secret: false },
      { name: "serverSecret", label: "Server secret", hint: "What Vapi sends in x-vapi-secret to this workspace's webhook.", secret: true },
    ],
  },
  CALCOM: {
    provider: "CALCOM",
    title: "Cal.com",
    inputKey: "calcom",
    purpose: "Offers free slots and books consultations.",
    fields: [
      { name: "apiKey", label: "API key", secret: true },
      { name: "eventTypeId", label: "Event type ID", hint: "The number in the event type's URL.", secret: false, numeric: true },
    ],
  },
  OPENAI: {
    provider: "OPENAI",
    title: "OpenAI",
    inputKey: "openai",
    purpose: "Writes the agent's replies from your persona. Without it, conversations wait for a person.",
    fields: [
      { name: "apiKey", label: "API key", secret: true },
      { name: "model", label: "Model", hint: "A chat model, e.g. gpt-4o-mini.", secret: false },
    ],
  },
};

export type CardValues = Readonly<Record<string, string>>;
/**
 * A card's form: the input member's fields as typed, under the member's key, so that each field's
 * path is the key the API names it by in its errors (`twilio.accountSid`).
 */
export type CardForm = Record<string, Record<string, string>>;

/** The form's starting values: public fields as stored, secrets empty (left empty = keep). */
export function initialValues(spec: ProviderCardSpec, stored: readonly { name: string; value: string; secret: boolean }[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of spec.fields) {
    const current = stored.find((candidate) => candidate.name === field.name);
    values[field.name] = field.secret || current === undefined ? "" : current.value;
  }
  if (spec.provider === "OPENAI" && values["model"] === "") values["model"] = "gpt-4o-mini";
  return values;
}

/** The first problem with one field as typed (spaces around it are not sent), or undefined. */
function fieldProblem(spec: ProviderCardSpec, field: ProviderFieldSpec, configured: boolean, typed: string): string | undefined {
  const rules: Readonly<Record<string, z.ZodMiniType>> = INTEGRATION_FIELD_RULES[spec.inputKey];
  const rule = rules[field.name];
  const value = typed.trim();
  const label = field.label.toLowerCase();
  // An empty secret keeps the stored one; the API says so too ("Required when the card is first saved.").
  if (value === "") return field.secret && configured ? undefined : `Enter the ${label}.`;
  if (field.numeric === true) {
    if (!/^\d{1,9}$/.test(value)) return `The ${label} is a whole number.`;
    return rule === undefined ? undefined : problemOf(rule, Number(value));
  }
  return rule === undefined ? undefined : problemOf(rule, value);
}

/** The card's form schema: each field required (a secret only until the card is saved), then the API's rule. */
export function cardSchema(spec: ProviderCardSpec, configured: boolean): z.ZodMiniType<CardForm, CardForm> {
  const member = Object.fromEntries(
    spec.fields.map((field) => [
      field.name,
      z.string().check(
        z.superRefine((typed, ctx) => {
          const problem = fieldProblem(spec, field, configured, typed);
          if (problem !== undefined) ctx.issues.push({ code: "custom", message: problem, input: typed });
        }),
      ),
    ]),
  );
  return z.object({ [spec.inputKey]: z.object(member) });
}

/** The paths of a card's fields in its form, which are the API's field error keys (`twilio.authToken`). */
export function cardFieldPaths(spec: ProviderCardSpec): string[] {
  return spec.fields.map((field) => `${spec.inputKey}.${field.name}`);
}

/**
 * Checks what can be checked before sending (`cardSchema`) and builds the input. Secrets left
 * empty are left out: the API keeps the stored value (and says which ones are required when the
 * card is first saved). Field errors use the API's keys (`twilio.authToken`).
 */
export function buildInput(
  spec: ProviderCardSpec,
  values: CardValues,
  configured: boolean,
): { input: IntegrationInput; problems?: undefined } | { input?: undefined; problems: Record<string, string> } {
  const typed = Object.fromEntries(spec.fields.map((field) => [field.name, values[field.name] ?? ""]));
  const problems = fieldProblems(cardSchema(spec, configured), { [spec.inputKey]: typed });
  if (Object.keys(problems).length > 0) return { problems };
  const member: Record<string, string | number> = {};
  for (const field of spec.fields) {
    const value = (typed[field.name] ?? "").trim();
    if (value === "") continue;
    member[field.name] = field.numeric === true ? Number(value) : value;
  }
  return { input: { [spec.inputKey]: member } };
}
