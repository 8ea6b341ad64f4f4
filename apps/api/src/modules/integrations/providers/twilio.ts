// Twilio through the official `twilio` SDK. The SDK has no base-URL option; its REST domain
// object (`client.api`) carries the base URL it joins paths to, so that is set from
// TWILIO_API_BASE_URL. The SDK's own retries are off: retries belong to the send job. The SDK is
// imported at the first call (load-once.ts).
import type twilio from "twilio";

import { sha256Hex } from "../../../platform/crypto/digest.ts";
import { loadOnce } from "../../../platform/load-once.ts";
import { ProviderError } from "./provider-error.ts";

/** The `twilio` package, imported at its first use (also the signature check of messaging.service). */
export const twilioSdk = loadOnce(async () => (await import("twilio")).default);

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
  whatsappFrom: string;
}

interface TwilioRestError {
  status?: number;
  code?: number | string;
  message?: string;
}

export function createTwilioAdapter(cfg: { baseUrl: string; timeoutMs: number }) {
  const clients = new Map<string, twilio.Twilio>();
  const clientFor = async (c: TwilioCredentials): Promise<twilio.Twilio> => {
    const key = `${c.accountSid}:${sha256Hex(c.authToken)}`;
    let client = clients.get(key);
    if (!client) {
      const twilio = await twilioSdk();
      client = twilio(c.accountSid, c.authToken, { autoRetry: false, timeout: cfg.timeoutMs, keepAlive: true });
      client.api.baseUrl = cfg.baseUrl;
      if (clients.size >= 200) clients.delete(clients.keys().next().value!);
      clients.set(key, client);
    }
    return client;
  };

  const wrap = (err: unknown): ProviderError => {
    const e = err as TwilioRestError & { code?: unknown };
    if (typeof e?.status === "number")
      return new ProviderError("Twilio", e.message ?? "error", e.status, e.code != null ? String(e.code) : null);
    const message = err instanceof Error ? err.message : String(err);
    return new ProviderError(
      "Twilio",
      /timeout/i.test(message) ? `no answer within ${cfg.timeoutMs} ms` : message,
      null,
      null,
    );
  };

  return {
    /** Sends one WhatsApp message; the answer's `sid` identifies it in status callbacks. */
    /**
     * Free text (`body`), or an approved template (`contentSid` + `contentVariables`, Twilio's
     * Content API: required by WhatsApp outside the 24-hour window).
     */
    async sendWhatsApp(
      c: TwilioCredentials,
      msg: {
        to: string;
        body: string;
        statusCallback: string;
        contentSid?: string | null;
        contentVariables?: Record<string, string> | null;
      },
    ): Promise<{ sid: string; status: string }> {
      try {
        const m = await (await clientFor(c)).api.v2010.accounts(c.accountSid).messages.create({
          to: `whatsapp:${msg.to}`,
          from: `whatsapp:${c.whatsappFrom}`,
          statusCallback: msg.statusCallback,
          ...(msg.contentSid
            ? { contentSid: msg.contentSid, contentVariables: JSON.stringify(msg.contentVariables ?? {}) }
            : { body: msg.body }),
        });
        return { sid: m.sid, status: m.status };
      } catch (err) {
        throw wrap(err);
      }
    },

    /**
     * Issue 50: deletes a message's record at Twilio (DELETE …/Messages/{sid}.json). A message
     * already gone (404) counts as deleted: an erasure resumed after a crash asks again.
     */
    async deleteMessage(c: TwilioCredentials, messageSid: string): Promise<void> {
      try {
        await (await clientFor(c)).api.v2010.accounts(c.accountSid).messages(messageSid).remove();
      } catch (err) {
        const e = wrap(err);
        if (e.status !== 404) throw e;
      }
    },

    /**
     * The SIDs of WhatsApp messages Twilio holds from the card's sender to `to` with exactly
     * `body`, created at or after `since` (newest first). Twilio has no idempotency key on
     * create; this is how a retry learns that an attempt whose answer was lost was accepted.
     */
    async findSent(c: TwilioCredentials, msg: { to: string; body: string; since: Date }): Promise<string[]> {
      try {
        const found = await (await clientFor(c)).api.v2010.accounts(c.accountSid).messages.list({
          to: `whatsapp:${msg.to}`,
          from: `whatsapp:${c.whatsappFrom}`,
          dateSentAfter: new Date(msg.since.getTime() - 24 * 3600 * 1000),
          limit: 50,
        });
        // Twilio filters by day; the minute-level check is ours (with a minute of clock skew).
        const earliest = msg.since.getTime() - 60_000;
        return found
          .filter((m) => m.body === msg.body && (m.dateCreated?.getTime() ?? 0) >= earliest)
          .map((m) => m.sid);
      } catch (err) {
        throw wrap(err);
      }
    },

    /** Fetches the account: proves the SID and token (plain words for the settings card). */
    async test(c: TwilioCredentials): Promise<string> {
      try {
        const a = await (await clientFor(c)).api.v2010.accounts(c.accountSid).fetch();
        return `Twilio accepted these credentials: account "${a.friendlyName}" is ${a.status}.`;
      } catch (err) {
        throw wrap(err);
      }
    },
  };
}

export type TwilioAdapter = ReturnType<typeof createTwilioAdapter>;
