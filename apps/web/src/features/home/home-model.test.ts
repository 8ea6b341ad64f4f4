import { describe, expect, it } from "@atrium/test-kit";

import { checklistSteps, comparison, relativeTime } from "./home-model.ts";

describe("home model", () => {
  it("names the channel's provider and links each step to where it is done", () => {
    const items = [
      { key: "CHANNEL_CONNECTED", done: false },
      { key: "API_KEY_CREATED", done: true },
    ] as const;
    const wa = checklistSteps(items, { slug: "acme", channel: "WHATSAPP" });
    expect(wa.map((s) => [s.label, s.href, s.done])).toEqual([
      ["Connect Twilio", "/w/acme/settings#settings-integrations-title", false],
      ["Create an API key", "/w/acme/api-keys", true],
    ]);
    expect(checklistSteps(items, { slug: "acme", channel: "VOICE" })[0]!.label).toBe("Connect Vapi");
  });

  it("compares with the previous period: up, down, the same", () => {
    expect(comparison({ current: 5, previous: 2 })).toEqual({ text: "+3 vs the 24 h before (2)", trend: "up" });
    expect(comparison({ current: 1, previous: 1200 })).toEqual({
      text: "−1,199 vs the 24 h before (1,200)",
      trend: "down",
    });
    expect(comparison({ current: 0, previous: 0 })).toEqual({ text: "Same as the 24 h before", trend: "same" });
  });

  it("says when, relative to now", () => {
    const now = new Date("2026-11-27T12:00:00Z");
    expect(relativeTime("2026-11-27T11:59:30Z", now)).toBe("now");
    expect(relativeTime("2026-11-27T11:55:00Z", now)).toBe("5 minutes ago");
    expect(relativeTime("2026-11-27T09:00:00Z", now)).toBe("3 hours ago");
    expect(relativeTime("2026-11-26T12:00:00Z", now)).toBe("yesterday");
    expect(relativeTime("2026-10-01T12:00:00Z", now)).toBe("Oct 1, 2026");
  });
});
