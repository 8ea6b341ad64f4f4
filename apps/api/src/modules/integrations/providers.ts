// What each provider card holds (I1): which channel may use it, its public fields (stored and
// shown as they are) and its secret fields (sealed; shown masked).
import type { Channel } from "../workspaces/workspaces.types.ts";
import { IntegrationProvider } from "./integrations.types.ts";

export interface ProviderSpec {
  label: string;
  inputKey: "twilio" | "vapi" | "calcom" | "openai";
  channel: Channel | null;
  publicFields: readonly string[];
  secretFields: readonly string[];
}

export const PROVIDER_SPECS: Record<IntegrationProvider, ProviderSpec> = {
  TWILIO: {
    label: "Twilio",
    inputKey: "twilio",
    channel: "WHATSAPP" as Channel,
    publicFields: ["accountSid", "whatsappFrom"],
    secretFields: ["authToken"],
  },
  VAPI: {
    label: "Vapi",
    inputKey: "vapi",
    channel: "VOICE" as Channel,
    publicFields: ["assistantId", "phoneNumberId"],
    secretFields: ["apiKey", "serverSecret"],
  },
  CALCOM: {
    label: "Cal.com",
    inputKey: "calcom",
    channel: null,
    publicFields: ["eventTypeId"],
    secretFields: ["apiKey"],
  },
  OPENAI: { label: "OpenAI", inputKey: "openai", channel: null, publicFields: ["model"], secretFields: ["apiKey"] },
};

export const PROVIDER_ORDER: IntegrationProvider[] = [
  IntegrationProvider.TWILIO,
  IntegrationProvider.VAPI,
  IntegrationProvider.CALCOM,
  IntegrationProvider.OPENAI,
];

/** "••••••••3f9a": the last four characters only for long secrets, where they identify without revealing. */
export function mask(secret: string): string {
  return secret.length >= 16 ? `••••••••${secret.slice(-4)}` : "••••••••";
}
