/**
 * What each provider card asks for (SPEC I1), in the words a customer knows from the provider's
 * own console, and how a filled-in card becomes the API's `IntegrationInput`. The formats are
 * @atrium/validation's (`INTEGRATION_FIELD_RULES`, what the API's input checks, in its words);
 * which fields may be left empty, and the typed event type id, are the card's own. Which channel
 * may use which card stays the API's. The words are translation keys of the "integrations"
 * namespace, translated where they are shown (and the card's own problems when they are found).
 */
import i18next, { type ParseKeys } from "i18next";
import * as z from "zod/mini";

import { fieldProblems, INTEGRATION_FIELD_RULES, problemOf } from "@atrium/validation";

import { type IntegrationInput, type IntegrationProvider } from "../../gql/graphql.ts";

/** A translation key of the "integrations" namespace. */
export type IntegrationsKey = ParseKeys<"integrations">;

export interface ProviderFieldSpec {
  /** The input member's name, as the API names it (and in its field errors). */
  readonly name: string;
  readonly label: IntegrationsKey;
  readonly hint?: IntegrationsKey;
  /** What the card says when the field is left empty. */
  readonly required: IntegrationsKey;
  readonly secret: boolean;
  /** A whole number; `wholeNumber` is what the card says when it is not one. */
  readonly numeric?: { readonly wholeNumber: IntegrationsKey };
}

export interface ProviderCardSpec {
  readonly provider: IntegrationProvider;
  readonly title: IntegrationsKey;
  readonly inputKey: "twilio" | "vapi" | "calcom" | "openai";
  readonly purpose: IntegrationsKey;
  readonly fields: readonly ProviderFieldSpec[];
}

export const PROVIDER_CARDS: Readonly<Record<IntegrationProvider, ProviderCardSpec>> = {
  TWILIO: {
    provider: "TWILIO",
    title: "cards.twilio.title",
    inputKey: "twilio",
    purpose: "cards.twilio.purpose",
    fields: [
      {
        name: "accountSid",
        label: "cards.twilio.accountSid.label",
        hint: "cards.twilio.accountSid.hint",
        required: "cards.twilio.accountSid.required",
        secret: false,
      },
      {
        name: "authToken",
        label: "cards.twilio.authToken.label",
        required: "cards.twilio.authToken.required",
        secret: true,
      },
      {
        name: "whatsappFrom",
        label: "cards.twilio.whatsappFrom.label",
        hint: "cards.twilio.whatsappFrom.hint",
        required: "cards.twilio.whatsappFrom.required",
        secret: false,
      },
    ],
  },
  VAPI: {
    provider: "VAPI",
    title: "cards.vapi.title",
    inputKey: "vapi",
    purpose: "cards.vapi.purpose",
    fields: [
      { name: "apiKey", label: "cards.vapi.apiKey.label", required: "cards.vapi.apiKey.required", secret: true },
      {
        name: "assistantId",
        label: "cards.vapi.assistantId.label",
        required: "cards.vapi.assistantId.required",
        secret: false,
      },
      {
        name: "phoneNumberId",
        label: "cards.vapi.phoneNumberId.label",
        required: "cards.vapi.phoneNumberId.required",
        secret: false,
      },
      {
        name: "serverSecret",
        label: "cards.vapi.serverSecret.label",
        hint: "cards.vapi.serverSecret.hint",
        required: "cards.vapi.serverSecret.required",
        secret: true,
      },
    ],
  },
  CALCOM: {
    provider: "CALCOM",
    title: "cards.calcom.title",
    inputKey: "calcom",
    purpose: "cards.calcom.purpose",
    fields: [
      { name: "apiKey", label: "cards.calcom.apiKey.label", required: "cards.calcom.apiKey.required", secret: true },
      {
        name: "eventTypeId",
        label: "cards.calcom.eventTypeId.label",
        hint: "cards.calcom.eventTypeId.hint",
        required: "cards.calcom.eventTypeId.required",
        secret: false,
        numeric: { wholeNumber: "cards.calcom.eventTypeId.wholeNumber" },
      },
    ],
  },
  OPENAI: {
    provider: "OPENAI",
    title: "cards.openai.title",
    inputKey: "openai",
    purpose: "cards.openai.purpose",
    fields: [
      { name: "apiKey", label: "cards.openai.apiKey.label", required: "cards.openai.apiKey.required", secret: true },
      {
        name: "model",
        label: "cards.openai.model.label",
        hint: "cards.openai.model.hint",
        required: "cards.openai.model.required",
        secret: false,
      },
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
export function initialValues(
  spec: ProviderCardSpec,
  stored: readonly { name: string; value: string; secret: boolean }[],
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of spec.fields) {
    const current = stored.find((candidate) => candidate.name === field.name);
    values[field.name] = field.secret || current === undefined ? "" : current.value;
  }
  if (spec.provider === "OPENAI" && values["model"] === "") values["model"] = "gpt-4o-mini";
  return values;
}

/** The first problem with one field as typed (spaces around it are not sent), or undefined. */
function fieldProblem(
  spec: ProviderCardSpec,
  field: ProviderFieldSpec,
  configured: boolean,
  typed: string,
): string | undefined {
  const rules: Readonly<Record<string, z.ZodMiniType>> = INTEGRATION_FIELD_RULES[spec.inputKey];
  const rule = rules[field.name];
  const value = typed.trim();
  // An empty secret keeps the stored one; the API says so too ("Required when the card is first saved.").
  if (value === "") return field.secret && configured ? undefined : i18next.t(field.required, { ns: "integrations" });
  if (field.numeric !== undefined) {
    if (!/^\d{1,9}$/.test(value)) return i18next.t(field.numeric.wholeNumber, { ns: "integrations" });
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
    member[field.name] = field.numeric !== undefined ? Number(value) : value;
  }
  return { input: { [spec.inputKey]: member } };
}
