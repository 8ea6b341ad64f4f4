/**
 * Integration cards (SPEC I1): the rules IntegrationInput's members check on arrival
 * (`TwilioInput`, `VapiInput`, `CalcomInput`, `OpenAIInput`), in the API's words, so the card's
 * form refuses early what the API would refuse anyway. Whether a field may be left empty (a
 * stored secret is kept) is the card's business: these judge a value that is sent.
 */
import * as z from "zod/mini";

import { E164_RE } from "./phone.ts";

export const INTEGRATION_SECRET_RE = /^\S{8,500}$/;
/** Provider ids and model names: letters, digits, `_ . : -`, at most 100. */
export const INTEGRATION_ID_RE = /^[\w.:-]{1,100}$/;
export const TWILIO_ACCOUNT_SID_RE = /^AC[0-9a-fA-F]{32}$/;
/** The WhatsApp sender: E.164, with the `whatsapp:` prefix Twilio's console shows accepted. */
export const WHATSAPP_SENDER_RE = new RegExp(`^(whatsapp:)?${E164_RE.source.slice(1)}`);
export const CALCOM_EVENT_TYPE_MAX = 2_147_483_647;

export const INTEGRATION_MESSAGES = {
  secret: "Paste the value without spaces (8–500 characters).",
  accountSid: "An account SID is AC followed by 32 hexadecimal characters.",
  whatsappFrom: "Use the E.164 format, e.g. +15551234567.",
  assistantId: "Paste the assistant id from Vapi.",
  phoneNumberId: "Paste the phone number id from Vapi.",
  eventTypeId: "Event type ids are positive numbers.",
  model: "Use a model name such as gpt-4o-mini.",
} as const;

/** Any provider secret (auth token, API key, server secret) when one is sent. */
export const integrationSecret = z.string().check(z.regex(INTEGRATION_SECRET_RE, INTEGRATION_MESSAGES.secret));
export const twilioAccountSid = z.string().check(z.regex(TWILIO_ACCOUNT_SID_RE, INTEGRATION_MESSAGES.accountSid));
export const whatsappSender = z.string().check(z.regex(WHATSAPP_SENDER_RE, INTEGRATION_MESSAGES.whatsappFrom));
export const vapiAssistantId = z.string().check(z.regex(INTEGRATION_ID_RE, INTEGRATION_MESSAGES.assistantId));
export const vapiPhoneNumberId = z.string().check(z.regex(INTEGRATION_ID_RE, INTEGRATION_MESSAGES.phoneNumberId));
export const openaiModel = z.string().check(z.regex(INTEGRATION_ID_RE, INTEGRATION_MESSAGES.model));
/** Cal.com's event type id: a positive 32-bit integer (GraphQL's Int already refuses fractions). */
export const calcomEventTypeId = z
  .number()
  .check(z.refine((id) => id >= 1 && id <= CALCOM_EVENT_TYPE_MAX, INTEGRATION_MESSAGES.eventTypeId));

/** Each card's fields as the API's input names them (secrets and the rest alike). */
export const INTEGRATION_FIELD_RULES = {
  twilio: { accountSid: twilioAccountSid, authToken: integrationSecret, whatsappFrom: whatsappSender },
  vapi: {
    apiKey: integrationSecret,
    assistantId: vapiAssistantId,
    phoneNumberId: vapiPhoneNumberId,
    serverSecret: integrationSecret,
  },
  calcom: { apiKey: integrationSecret, eventTypeId: calcomEventTypeId },
  openai: { apiKey: integrationSecret, model: openaiModel },
} as const;
