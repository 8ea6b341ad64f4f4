/**
 * What each provider card asks for (SPEC I1), in the words a customer knows from the provider's
 * own console, and how a filled-in card becomes the API's `IntegrationInput`. The API owns the
 * rules (formats, which channel may use which card); this file only names and shapes.
 */
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

/**
 * Checks what can be checked before sending (required fields, a whole number) and builds the
 * input. Secrets left empty are left out: the API keeps the stored value (and says which ones
 * are required when the card is first saved). Field errors use the API's keys (`twilio.authToken`).
 */
export function buildInput(
  spec: ProviderCardSpec,
  values: CardValues,
  configured: boolean,
): { input: IntegrationInput; problems?: undefined } | { input?: undefined; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const member: Record<string, string | number> = {};
  for (const field of spec.fields) {
    const value = (values[field.name] ?? "").trim();
    const key = `${spec.inputKey}.${field.name}`;
    if (value === "") {
      if (!field.secret || !configured) problems[key] = `Enter the ${field.label.toLowerCase()}.`;
      continue;
    }
    if (field.numeric === true) {
      if (!/^\d{1,9}$/.test(value)) {
        problems[key] = `The ${field.label.toLowerCase()} is a whole number.`;
        continue;
      }
      member[field.name] = Number(value);
    } else {
      member[field.name] = value;
    }
  }
  if (Object.keys(problems).length > 0) return { problems };
  return { input: { [spec.inputKey]: member } };
}
