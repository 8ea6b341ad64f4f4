import { describe, expect, it } from "@atrium/test-kit";
import { RETENTION_PRESETS, describeRetention, retentionDaysFromForm, retentionFormValue } from "./retention.ts";

describe("retention presets", () => {
  it("shows a preset for 30, 90 and 365 days and round-trips it", () => {
    for (const days of RETENTION_PRESETS) {
      const value = retentionFormValue(days);
      expect(value.choice).toBe(String(days));
      expect(retentionDaysFromForm(value)).toEqual({ ok: true, days });
    }
  });

  it("shows forever for null and sends null", () => {
    expect(retentionFormValue(null)).toEqual({ choice: "forever", customDays: "" });
    expect(retentionDaysFromForm({ choice: "forever", customDays: "45" })).toEqual({ ok: true, days: null });
  });

  it("shows any other number as custom days and round-trips it", () => {
    expect(retentionFormValue(45)).toEqual({ choice: "custom", customDays: "45" });
    expect(retentionDaysFromForm({ choice: "custom", customDays: " 45 " })).toEqual({ ok: true, days: 45 });
  });

  it("refuses custom days that are not a whole number from 1 to 3650", () => {
    for (const typed of ["", "abc", "1.5", "-3", "0", "3651"]) {
      expect(retentionDaysFromForm({ choice: "custom", customDays: typed }).ok).toBe(false);
    }
    expect(retentionDaysFromForm({ choice: "custom", customDays: "3650" })).toEqual({ ok: true, days: 3650 });
    expect(retentionDaysFromForm({ choice: "custom", customDays: "1" })).toEqual({ ok: true, days: 1 });
  });

  it("describes the setting", () => {
    expect(describeRetention(null)).toBe("Kept forever");
    expect(describeRetention(1)).toBe("Deleted after 1 day");
    expect(describeRetention(90)).toBe("Deleted after 90 days");
  });
});
