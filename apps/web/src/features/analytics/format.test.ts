import { describe, expect, it } from "@atrium/test-kit";

import { dayLabel, percent } from "./format.ts";

describe("analytics numbers and days", () => {
  it("writes a ratio as a percentage with at most one decimal, in the language's way", () => {
    expect(percent(2 / 3)).toBe("66.7%");
    expect(percent(0.5)).toBe("50%");
    expect(percent(1)).toBe("100%");
    expect(percent(2 / 3, "es")).toBe("66,7\u00a0%");
  });

  it("names a UTC day in the language, whatever the browser's time zone", () => {
    expect(dayLabel("2026-03-05")).toBe("Mar 5");
    expect(dayLabel("2026-03-05", "medium")).toBe("Mar 5, 2026");
    expect(dayLabel("2026-03-05", "short", "es")).toBe("5 mar");
    expect(dayLabel("2026-03-05", "medium", "es")).toBe("5 mar 2026");
    expect(dayLabel("not a day")).toBe("not a day");
  });
});
