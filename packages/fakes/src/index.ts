// Local HTTP fakes of the four providers the product talks to, for tests and `pnpm fakes`.
// Each speaks the provider's real protocol at its own base URL; point the API at them with
// TWILIO_API_BASE_URL, VAPI_API_BASE_URL, CALCOM_API_BASE_URL and OPENAI_BASE_URL.
import { FakeCalcom } from "./calcom.ts";
import { FakeOpenAI } from "./openai.ts";
import { FakeTwilio } from "./twilio.ts";
import { FakeVapi } from "./vapi.ts";

export { FakeServer, type RecordedRequest, type Failure } from "./fake-server.ts";
export { FakeTwilio, twilioSignature, type FakeTwilioMessage } from "./twilio.ts";
export {
  FakeVapi,
  toolCallsMessage,
  endOfCallReport,
  statusUpdateMessage,
  transcriptMessage,
  type FakeVapiCall,
} from "./vapi.ts";
export { FakeCalcom, CAL_BOOKINGS_VERSION, CAL_SLOTS_VERSION, type FakeCalBooking } from "./calcom.ts";
export { FakeOpenAI, type ChatMessage } from "./openai.ts";
export { FakeWebhookReceiver, type ReceivedWebhook } from "./webhook-receiver.ts";

export interface Fakes {
  twilio: FakeTwilio;
  vapi: FakeVapi;
  calcom: FakeCalcom;
  openai: FakeOpenAI;
  /** The values of the four base-URL settings. */
  env: { TWILIO_API_BASE_URL: string; VAPI_API_BASE_URL: string; CALCOM_API_BASE_URL: string; OPENAI_BASE_URL: string };
  clearAll(): void;
  close(): Promise<void>;
}

/** Starts all four fakes (ports from `ports`, or free ones). */
export async function startFakes(
  opts: { host?: string; ports?: Partial<Record<"twilio" | "vapi" | "calcom" | "openai", number>> } = {},
): Promise<Fakes> {
  const host = opts.host ?? "127.0.0.1";
  const twilio = new FakeTwilio();
  const vapi = new FakeVapi();
  const calcom = new FakeCalcom();
  const openai = new FakeOpenAI();
  const [t, v, c, o] = await Promise.all([
    twilio.start(opts.ports?.twilio ?? 0, host),
    vapi.start(opts.ports?.vapi ?? 0, host),
    calcom.start(opts.ports?.calcom ?? 0, host),
    openai.start(opts.ports?.openai ?? 0, host),
  ]);
  const all = [twilio, vapi, calcom, openai];
  return {
    twilio,
    vapi,
    calcom,
    openai,
    env: { TWILIO_API_BASE_URL: t, VAPI_API_BASE_URL: v, CALCOM_API_BASE_URL: c, OPENAI_BASE_URL: `${o}/v1` },
    clearAll: () => all.forEach((f) => f.clear()),
    close: async () => {
      await Promise.all(all.map((f) => f.close()));
    },
  };
}
