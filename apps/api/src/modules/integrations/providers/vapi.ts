// Vapi's REST API (no official Node SDK is used here): `POST /call` starts an outbound call;
// Live Call Control (issue 47) POSTs to the call's `monitor.controlUrl`: `add-message` (guidance
// to the assistant mid-call) and `transfer` (an operator joins on their own phone).
import { ProviderError, providerFetch } from "./provider-error.ts";

export interface VapiCredentials {
  apiKey: string;
  assistantId: string;
  phoneNumberId: string;
  serverSecret: string;
}

const messageOf = (body: unknown): string => {
  const m = (body as { message?: unknown } | null)?.message;
  if (Array.isArray(m)) return m.join("; ");
  return typeof m === "string" ? m : typeof body === "string" && body ? body.slice(0, 200) : "error";
};

export function createVapiAdapter(cfg: { baseUrl: string; timeoutMs: number }) {
  const call = async (c: VapiCredentials, method: string, path: string, body?: unknown) => {
    const r = await providerFetch(
      "Vapi",
      `${cfg.baseUrl}${path}`,
      {
        method,
        headers: { authorization: `Bearer ${c.apiKey}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      },
      cfg.timeoutMs,
    );
    if (r.status >= 300) throw new ProviderError("Vapi", messageOf(r.body), r.status, null);
    return r.body as Record<string, unknown>;
  };

  return {
    /**
     * `overrides` (issue 56): what the assistant starts this call with — the opening line
     * (`firstMessage`) and the persona, knowledge and lead as `variableValues`; the server URL and
     * secret are always the workspace's.
     */
    async startCall(
      c: VapiCredentials,
      customer: { number: string; name: string },
      serverUrl: string,
      overrides: Record<string, unknown> = {},
    ): Promise<{ id: string; status: string; controlUrl: string | null }> {
      const r = await call(c, "POST", "/call", {
        assistantId: c.assistantId,
        phoneNumberId: c.phoneNumberId,
        customer: { number: customer.number, name: customer.name.slice(0, 40) },
        assistantOverrides: { ...overrides, server: { url: serverUrl, secret: c.serverSecret } },
      });
      if (typeof r.id !== "string") throw new ProviderError("Vapi", "the answer had no call id", 201, null);
      const monitor = r.monitor as { controlUrl?: unknown } | undefined;
      return {
        id: r.id,
        status: typeof r.status === "string" ? r.status : "queued",
        controlUrl: typeof monitor?.controlUrl === "string" ? monitor.controlUrl : null,
      };
    },

    /**
     * The ids of calls Vapi holds from the card's phone number to `number`, created at or after
     * `since` (a minute of clock skew allowed). Vapi has no idempotency key on create; this is
     * how a retry learns that an attempt whose answer was lost started a call.
     */
    async findStarted(c: VapiCredentials, customer: { number: string; since: Date }): Promise<string[]> {
      const after = new Date(customer.since.getTime() - 60_000).toISOString();
      const r = (await call(
        c,
        "GET",
        `/call?phoneNumberId=${encodeURIComponent(c.phoneNumberId)}&createdAtGt=${encodeURIComponent(after)}&limit=100`,
      )) as unknown;
      const rows = Array.isArray(r) ? (r as { id?: unknown; customer?: { number?: unknown } }[]) : [];
      return rows
        .filter((row) => typeof row.id === "string" && row.customer?.number === customer.number)
        .map((row) => row.id as string);
    },

    /**
     * One Live Call Control message to a call in progress. The control URL is the call's own
     * (Vapi authenticates it by its unguessable path), so no API key is sent with it.
     */
    async control(controlUrl: string, message: Record<string, unknown>): Promise<void> {
      const r = await providerFetch(
        "Vapi",
        controlUrl,
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(message) },
        cfg.timeoutMs,
      );
      if (r.status >= 300) throw new ProviderError("Vapi", messageOf(r.body), r.status, null);
    },

    /** Issue 50: deletes a call (its recording and transcript) at Vapi; one already gone (404) counts as deleted. */
    async deleteCall(c: VapiCredentials, callId: string): Promise<void> {
      try {
        await call(c, "DELETE", `/call/${encodeURIComponent(callId)}`);
      } catch (err) {
        if (!(err instanceof ProviderError && err.status === 404)) throw err;
      }
    },

    async test(c: VapiCredentials): Promise<string> {
      const a = await call(c, "GET", `/assistant/${encodeURIComponent(c.assistantId)}`);
      return `Vapi accepted this API key; assistant "${typeof a.name === "string" ? a.name : c.assistantId}" exists.`;
    },
  };
}

export type VapiAdapter = ReturnType<typeof createVapiAdapter>;
