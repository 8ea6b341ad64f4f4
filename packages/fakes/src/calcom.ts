// Cal.com API v2: slots, bookings, cancel and reschedule, each requiring the `cal-api-version`
// the product pins for that endpoint, and `GET /v2/me` (used to test credentials).
import { randomBytes } from "node:crypto";

import { bearer, FakeServer, json, type FakeAnswer, type RecordedRequest } from "./fake-server.ts";

export const CAL_SLOTS_VERSION = "2024-09-04";
export const CAL_BOOKINGS_VERSION = "2024-08-13";

export interface FakeCalBooking {
  id: number;
  uid: string;
  eventTypeId: number;
  start: string;
  end: string;
  status: "accepted" | "cancelled" | "pending";
  attendee: { name: string; email: string; timeZone: string; phoneNumber?: string };
  rescheduledFromUid?: string;
}

export class FakeCalcom extends FakeServer {
  protected readonly name = "Cal.com";
  readonly apiKeys = new Set<string>();
  readonly bookings: FakeCalBooking[] = [];
  /** Length of a booking in minutes. */
  slotMinutes = 30;
  private nextId = 1000;

  protected errorBody(status: number): unknown {
    return {
      status: "error",
      error: {
        code: status >= 500 ? "InternalServerErrorException" : "HttpException",
        message: status >= 500 ? "Internal server error" : `HTTP ${status}`,
      },
    };
  }

  private versionError(req: RecordedRequest, want: string): FakeAnswer | null {
    const got = req.headers["cal-api-version"];
    if (got === want) return null;
    return json(400, {
      status: "error",
      error: {
        code: "BadRequestException",
        message: `cal-api-version header must be ${want} for ${req.path}, got ${String(got)}`,
      },
    });
  }

  protected route(req: RecordedRequest): FakeAnswer {
    const key = bearer(req.headers);
    if (!key || (this.apiKeys.size > 0 && !this.apiKeys.has(key)))
      return json(401, { status: "error", error: { code: "UnauthorizedException", message: "Invalid API Key" } });
    if (req.method === "GET" && req.path === "/v2/me")
      return json(200, {
        status: "success",
        data: { id: 1, username: "fake", email: "owner@cal.example.test", timeZone: "UTC" },
      });
    if (req.method === "GET" && req.path === "/v2/slots") return this.slots(req);
    if (req.method === "POST" && req.path === "/v2/bookings") return this.book(req);
    const action = /^\/v2\/bookings\/([^/]+)\/(cancel|reschedule)$/.exec(req.path);
    if (req.method === "POST" && action) return this.change(req, action[1]!, action[2] as "cancel" | "reschedule");
    const one = /^\/v2\/bookings\/([^/]+)$/.exec(req.path);
    if (req.method === "GET" && one) {
      const b = this.bookings.find((x) => x.uid === one[1]);
      return b
        ? json(200, { status: "success", data: this.view(b) })
        : json(404, { status: "error", error: { code: "NotFoundException", message: "Booking not found" } });
    }
    return json(404, {
      status: "error",
      error: { code: "NotFoundException", message: `Cannot ${req.method} ${req.path}` },
    });
  }

  private view(b: FakeCalBooking) {
    return {
      id: b.id,
      uid: b.uid,
      title: "Consultation",
      status: b.status,
      start: b.start,
      end: b.end,
      duration: this.slotMinutes,
      eventTypeId: b.eventTypeId,
      attendees: [b.attendee],
      ...(b.rescheduledFromUid ? { rescheduledFromUid: b.rescheduledFromUid } : {}),
    };
  }

  /** Free starts on the hour, 09:00–16:00 UTC, every day in [start, end]; booked ones are gone. */
  private slots(req: RecordedRequest): FakeAnswer {
    const bad = this.versionError(req, CAL_SLOTS_VERSION);
    if (bad) return bad;
    const eventTypeId = Number(req.query.get("eventTypeId"));
    const start = new Date(req.query.get("start") ?? "");
    const end = new Date(req.query.get("end") ?? "");
    if (!Number.isInteger(eventTypeId) || Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
      return json(400, {
        status: "error",
        error: { code: "BadRequestException", message: "eventTypeId, start and end are required" },
      });
    }
    const taken = new Set(this.bookings.filter((b) => b.status !== "cancelled").map((b) => b.start));
    const data: Record<string, { start: string }[]> = {};
    const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
    for (; day <= end; day.setUTCDate(day.getUTCDate() + 1)) {
      for (let h = 9; h <= 16; h++) {
        const s = new Date(day);
        s.setUTCHours(h);
        if (s < start || s > end) continue;
        const iso = s.toISOString();
        if (taken.has(iso)) continue;
        (data[iso.slice(0, 10)] ??= []).push({ start: iso });
      }
    }
    return json(200, { status: "success", data });
  }

  private book(req: RecordedRequest): FakeAnswer {
    const bad = this.versionError(req, CAL_BOOKINGS_VERSION);
    if (bad) return bad;
    const b = (req.json ?? {}) as {
      start?: unknown;
      eventTypeId?: unknown;
      attendee?: { name?: unknown; email?: unknown; timeZone?: unknown; phoneNumber?: unknown };
    };
    const start = typeof b.start === "string" ? new Date(b.start) : new Date(NaN);
    const a = b.attendee ?? {};
    if (
      Number.isNaN(start.getTime()) ||
      typeof b.eventTypeId !== "number" ||
      typeof a.name !== "string" ||
      typeof a.email !== "string" ||
      typeof a.timeZone !== "string"
    ) {
      return json(400, {
        status: "error",
        error: {
          code: "BadRequestException",
          message: "start, eventTypeId and attendee {name, email, timeZone} are required",
        },
      });
    }
    const iso = start.toISOString();
    if (this.bookings.some((x) => x.start === iso && x.status !== "cancelled")) {
      return json(400, {
        status: "error",
        error: {
          code: "BadRequestException",
          message: "User either already has booking at this time or is not available",
        },
      });
    }
    const booking: FakeCalBooking = {
      id: this.nextId++,
      uid: randomBytes(11).toString("base64url"),
      eventTypeId: b.eventTypeId,
      start: iso,
      end: new Date(start.getTime() + this.slotMinutes * 60_000).toISOString(),
      status: "accepted",
      attendee: {
        name: a.name,
        email: a.email,
        timeZone: a.timeZone,
        ...(typeof a.phoneNumber === "string" ? { phoneNumber: a.phoneNumber } : {}),
      },
    };
    this.bookings.push(booking);
    return json(201, { status: "success", data: this.view(booking) });
  }

  private change(req: RecordedRequest, uid: string, action: "cancel" | "reschedule"): FakeAnswer {
    const bad = this.versionError(req, CAL_BOOKINGS_VERSION);
    if (bad) return bad;
    const b = this.bookings.find((x) => x.uid === uid);
    if (!b)
      return json(404, {
        status: "error",
        error: { code: "NotFoundException", message: `Booking with uid=${uid} was not found in the database` },
      });
    if (b.status === "cancelled")
      return json(400, {
        status: "error",
        error: { code: "BadRequestException", message: "This booking has been cancelled." },
      });
    if (action === "cancel") {
      b.status = "cancelled";
      return json(200, { status: "success", data: this.view(b) });
    }
    const body = (req.json ?? {}) as { start?: unknown };
    const start = typeof body.start === "string" ? new Date(body.start) : new Date(NaN);
    if (Number.isNaN(start.getTime()))
      return json(400, { status: "error", error: { code: "BadRequestException", message: "start is required" } });
    b.status = "cancelled";
    const moved: FakeCalBooking = {
      ...b,
      id: this.nextId++,
      uid: randomBytes(11).toString("base64url"),
      start: start.toISOString(),
      end: new Date(start.getTime() + this.slotMinutes * 60_000).toISOString(),
      status: "accepted",
      rescheduledFromUid: b.uid,
    };
    this.bookings.push(moved);
    return json(201, { status: "success", data: this.view(moved) });
  }
}
