import { describe, expect, it } from "@atrium/test-kit";

import { isActive, rescheduleStart, toLocalInput } from "./schedule.ts";

describe("booking schedule rules", () => {
  const now = new Date("2026-11-23T10:00:00Z");

  it("turns a local date-time into the ISO instant the API takes", () => {
    const local = toLocalInput("2026-12-01T15:30:00Z");
    const result = rescheduleStart(local, now);
    expect(result).toEqual({ start: "2026-12-01T15:30:00.000Z" });
  });

  it("refuses an empty, unreadable or past time with a reason", () => {
    expect(rescheduleStart("", now)).toEqual({ problem: "Choose the new date and time." });
    expect(rescheduleStart("next tuesday", now)).toEqual({ problem: "That is not a date and time." });
    expect(rescheduleStart(toLocalInput("2026-11-23T09:59:00Z"), now)).toEqual({
      problem: "Choose a time in the future.",
    });
  });

  it("lets only bookings Cal.com still holds be moved or cancelled", () => {
    expect(isActive("ACCEPTED")).toBe(true);
    expect(isActive("PENDING")).toBe(true);
    expect(isActive("CANCELLED")).toBe(false);
    expect(isActive("REJECTED")).toBe(false);
  });
});
