import { describe, expect, it } from "@atrium/test-kit";
import { fieldProblems } from "@atrium/validation";

import {
  describeRetention,
  RETENTION_MESSAGES,
  RETENTION_PRESETS,
  retentionDaysFromForm,
  retentionForm,
  retentionFormValue,
} from "./retention.ts";

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

  it("says why custom days are refused", () => {
    for (const typed of ["", "abc", "1.5", "-3"]) {
      expect(retentionDaysFromForm({ choice: "custom", customDays: typed })).toEqual({
        ok: false,
        problem: RETENTION_MESSAGES.wholeNumber,
      });
    }
    for (const typed of ["0", "3651"]) {
      expect(retentionDaysFromForm({ choice: "custom", customDays: typed })).toEqual({
        ok: false,
        problem: RETENTION_MESSAGES.range,
      });
    }
    expect(RETENTION_MESSAGES.range).toBe("Enter between 1 and 3650 days.");
  });

  it("checks the form's custom days only when custom is chosen, on the field the API names", () => {
    expect(fieldProblems(retentionForm, { retention: "custom", retentionDays: "0" })).toEqual({
      retentionDays: RETENTION_MESSAGES.range,
    });
    expect(fieldProblems(retentionForm, { retention: "custom", retentionDays: "" })).toEqual({
      retentionDays: RETENTION_MESSAGES.wholeNumber,
    });
    expect(fieldProblems(retentionForm, { retention: "custom", retentionDays: " 3650 " })).toEqual({});
    for (const retention of ["30", "90", "365", "forever"]) {
      expect(fieldProblems(retentionForm, { retention, retentionDays: "0" })).toEqual({});
    }
    expect(Object.keys(fieldProblems(retentionForm, { retention: "weekly", retentionDays: "" }))).toEqual([
      "retention",
    ]);
  });

  it("describes the setting", () => {
    expect(describeRetention(null)).toBe("Kept forever");
    expect(describeRetention(1)).toBe("Deleted after 1 day");
    expect(describeRetention(90)).toBe("Deleted after 90 days");
  });
});
