/**
 * @jest-environment jsdom
 */
// The lead timeline's entries (issue 48): one item per entry in the order given, each kind with
// its icon and words, relative times through Intl, links to the conversation, and the empty state.
import { MemoryRouter } from "react-router";

import { describe, expect, it } from "@atrium/test-kit";

import { render } from "../../platform/testing/dom.tsx";
import { TIMELINE_KINDS, TimelineEntries, type TimelineEntry } from "./lead-timeline-entries.tsx";

const NOW = new Date("2026-11-27T12:00:00Z");
const entry = (
  over: Partial<TimelineEntry> & Pick<TimelineEntry, "id" | "kind" | "at" | "summary">,
): TimelineEntry => ({
  __typename: "LeadTimelineEntry",
  conversationId: null,
  messageId: null,
  callId: null,
  bookingId: null,
  campaignId: null,
  ...over,
});

describe("TimelineEntries", () => {
  it("lists the entries in order with their kind, relative time and summary", async () => {
    const entries = [
      entry({ id: "s1", kind: "STATUS_CHANGE", at: "2026-11-27T11:55:00Z", summary: "Status NEW → QUALIFIED" }),
      entry({ id: "b1", kind: "BOOKING", at: "2026-11-27T09:00:00Z", summary: "Booking accepted", bookingId: "b1" }),
      entry({
        id: "m1",
        kind: "MESSAGE_IN",
        at: "2026-11-26T12:00:00Z",
        summary: "Is the flat free?",
        conversationId: "c1",
        messageId: "m1",
      }),
    ];
    const view = await render(
      <MemoryRouter>
        <TimelineEntries entries={entries} slug="acme" now={NOW} />
      </MemoryRouter>,
    );
    const items = [...view.querySelectorAll("ol[aria-label='Timeline'] > li")];
    expect(items.map((li) => li.getAttribute("data-kind"))).toEqual(["STATUS_CHANGE", "BOOKING", "MESSAGE_IN"]);
    expect(items.map((li) => li.querySelector("strong")?.textContent)).toEqual([
      "Status change",
      "Booking",
      "Message received",
    ]);
    expect(items.map((li) => li.querySelector("time")?.textContent)).toEqual([
      "5 minutes ago",
      "3 hours ago",
      "yesterday",
    ]);
    expect(items[0]?.querySelector("time")?.getAttribute("dateTime")).toBe("2026-11-27T11:55:00Z");
    // Every entry has its (decorative) icon.
    expect(items.every((li) => li.querySelector("svg[aria-hidden='true']") !== null)).toBe(true);
    const link = items[2]?.querySelector("a");
    expect(link?.getAttribute("href")).toBe("/w/acme/conversations/c1");
    expect(link?.textContent).toBe("Is the flat free?");
    expect(items[1]?.querySelector("a")).toBeNull();
    expect(items[1]?.textContent).toContain("Booking accepted");
  });

  it("names every kind with its own icon", () => {
    const icons = Object.values(TIMELINE_KINDS).map((k) => k.icon);
    expect(new Set(icons).size).toBe(6);
  });

  it("offers an empty state when nothing has happened", async () => {
    const view = await render(
      <MemoryRouter>
        <TimelineEntries entries={[]} slug="acme" now={NOW} />
      </MemoryRouter>,
    );
    expect(view.querySelector("ol")).toBeNull();
    expect(view.querySelector("[data-testid='lead-timeline-empty']")?.textContent).toContain(
      "Nothing has happened yet.",
    );
  });
});
