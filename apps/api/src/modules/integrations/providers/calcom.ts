// Cal.com API v2 over REST, each endpoint with the `cal-api-version` it is documented for.
import { ProviderError, providerFetch } from "./provider-error.ts";

export interface CalcomCredentials {
  apiKey: string;
  eventTypeId: number;
}

export const CAL_SLOTS_VERSION = "2024-09-04";
export const CAL_BOOKINGS_VERSION = "2024-08-13";

export interface CalBooking {
  id: number;
  uid: string;
  start: string;
  end: string;
  status: string;
}

const messageOf = (body: unknown): string => {
  const e = (body as { error?: { message?: unknown }; message?: unknown } | null) ?? {};
  const m = e.error?.message ?? e.message;
  return typeof m === "string" ? m : Array.isArray(m) ? m.join("; ") : "error";
};

function asBooking(data: unknown): CalBooking {
  const d = (data ?? {}) as Record<string, unknown>;
  if (typeof d.uid !== "string" || typeof d.start !== "string")
    throw new ProviderError("Cal.com", "the answer had no booking", 200, null);
  return {
    id: Number(d.id),
    uid: d.uid,
    start: d.start,
    end: typeof d.end === "string" ? d.end : d.start,
    status: typeof d.status === "string" ? d.status : "accepted",
  };
}

export function createCalcomAdapter(cfg: { baseUrl: string; timeoutMs: number }) {
  const call = async (c: CalcomCredentials, method: string, path: string, version: string | null, body?: unknown) => {
    const r = await providerFetch(
      "Cal.com",
      `${cfg.baseUrl}${path}`,
      {
        method,
        headers: {
          authorization: `Bearer ${c.apiKey}`,
          ...(version ? { "cal-api-version": version } : {}),
          ...(body ? { "content-type": "application/json" } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      },
      cfg.timeoutMs,
    );
    if (r.status >= 300) throw new ProviderError("Cal.com", messageOf(r.body), r.status, null);
    return (r.body as { data?: unknown } | null)?.data;
  };

  return {
    /** Free start times (ISO) in [start, end]. */
    async slots(c: CalcomCredentials, start: Date, end: Date): Promise<string[]> {
      const q = new URLSearchParams({
        eventTypeId: String(c.eventTypeId),
        start: start.toISOString(),
        end: end.toISOString(),
      });
      const data = (await call(c, "GET", `/v2/slots?${q.toString()}`, CAL_SLOTS_VERSION)) as Record<
        string,
        { start: string }[]
      > | null;
      return Object.values(data ?? {})
        .flat()
        .map((s) => s.start)
        .sort();
    },

    async book(
      c: CalcomCredentials,
      b: { start: string; name: string; email: string; phone: string | null; timeZone?: string },
    ): Promise<CalBooking> {
      return asBooking(
        await call(c, "POST", "/v2/bookings", CAL_BOOKINGS_VERSION, {
          start: b.start,
          eventTypeId: c.eventTypeId,
          attendee: {
            name: b.name,
            email: b.email,
            timeZone: b.timeZone ?? "UTC",
            ...(b.phone ? { phoneNumber: b.phone } : {}),
          },
        }),
      );
    },

    async cancel(c: CalcomCredentials, uid: string, reason: string | null): Promise<CalBooking> {
      return asBooking(
        await call(c, "POST", `/v2/bookings/${encodeURIComponent(uid)}/cancel`, CAL_BOOKINGS_VERSION, {
          cancellationReason: reason ?? "Cancelled from Atrium",
        }),
      );
    },

    async reschedule(c: CalcomCredentials, uid: string, start: string): Promise<CalBooking> {
      return asBooking(
        await call(c, "POST", `/v2/bookings/${encodeURIComponent(uid)}/reschedule`, CAL_BOOKINGS_VERSION, {
          start,
          reschedulingReason: "Rescheduled from Atrium",
        }),
      );
    },

    async test(c: CalcomCredentials): Promise<string> {
      const me = (await call(c, "GET", "/v2/me", null)) as { username?: string; email?: string } | null;
      return `Cal.com accepted this API key (user ${me?.username ?? me?.email ?? "unknown"}).`;
    },
  };
}

export type CalcomAdapter = ReturnType<typeof createCalcomAdapter>;
