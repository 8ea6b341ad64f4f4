import i18n from "i18next";

import { describe, expect, it } from "@atrium/test-kit";

import esCommon from "../i18n/locales/es/common.json" with { type: "json" };
import { formatMoment, formatRelative, formatTotal } from "./format.ts";

// A Wednesday, 15:00 local time.
const now = new Date(2026, 10, 25, 15, 0, 0);
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe("relative times in lists", () => {
  it("counts minutes and hours for what just happened", () => {
    expect(formatRelative(ago(20_000), now)).toBe("now");
    expect(formatRelative(ago(-5_000), now)).toBe("now");
    expect(formatRelative(ago(5 * MINUTE), now)).toBe("5 min");
    expect(formatRelative(ago(3 * HOUR + 10 * MINUTE), now)).toBe("3 h");
  });

  it("names yesterday and the weekday within the week, then the date", () => {
    expect(formatRelative(new Date(2026, 10, 24, 9, 0).toISOString(), now, "en-GB")).toBe("Yesterday");
    expect(formatRelative(new Date(2026, 10, 21, 9, 0).toISOString(), now, "en-GB")).toBe("Sat");
    expect(formatRelative(new Date(2026, 2, 12, 9, 0).toISOString(), now, "en-GB")).toBe("12 Mar");
    expect(formatRelative(new Date(2025, 2, 12, 9, 0).toISOString(), now, "en-GB")).toBe("12 Mar 2025");
  });

  it("shows nothing for no time, and an unreadable one as it came", () => {
    expect(formatRelative(null, now)).toBe("");
    expect(formatRelative("soon", now)).toBe("soon");
  });
});

describe("moments in a transcript", () => {
  it("shows the time alone today, and the date before it on other days", () => {
    expect(formatMoment(new Date(2026, 10, 25, 9, 5).toISOString(), now, "en-GB")).toBe("9:05");
    expect(formatMoment(new Date(2026, 10, 24, 9, 5).toISOString(), now, "en-GB")).toBe("24 Nov, 9:05");
    expect(formatMoment(new Date(2025, 10, 24, 9, 5).toISOString(), now, "en-GB")).toBe("24 Nov 2025, 9:05");
    expect(formatMoment(undefined, now)).toBe("");
  });
});

describe("list totals (the API counts up to 1,000)", () => {
  it("shows an exact total as the number, and one past the cap as 1,000+ in the page's language", () => {
    expect(formatTotal({ totalCount: 1000, totalCountExact: true }, "en-GB")).toBe("1,000");
    expect(formatTotal({ totalCount: 0, totalCountExact: true }, "en-GB")).toBe("0");
    expect(formatTotal({ totalCount: 1001, totalCountExact: false }, "en-GB")).toBe("1,000+");
    i18n.addResourceBundle("es", "common", esCommon, true, true);
    expect(formatTotal({ totalCount: 1001, totalCountExact: false }, "es-ES")).toBe("más de 1000");
    expect(formatTotal({ totalCount: 25000, totalCountExact: true }, "es-ES")).toBe("25.000");
  });
});
