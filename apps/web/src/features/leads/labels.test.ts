import { describe, expect, it } from "@atrium/test-kit";

import leads from "../../i18n/locales/en/leads.json";
import { LEAD_STATUSES, statusFilterFrom } from "./labels.ts";
import { publicFormUrl } from "./public-form-link.tsx";

describe("lead status filter", () => {
  it("accepts every status and labels each", () => {
    for (const status of LEAD_STATUSES) {
      expect(statusFilterFrom(status)).toBe(status);
      expect(leads.status[status]).not.toBe("");
      expect(leads.page.emptyByStatus[status]).not.toBe("");
    }
  });

  it("shows every lead for a missing or unknown status", () => {
    expect(statusFilterFrom(null)).toBeUndefined();
    expect(statusFilterFrom("")).toBeUndefined();
    expect(statusFilterFrom("new")).toBeUndefined();
    expect(statusFilterFrom("ARCHIVED")).toBeUndefined();
  });
});

describe("public form URL", () => {
  it("is /forms/<slug> on this origin", () => {
    expect(publicFormUrl("https://atrium.example", "acme-sales")).toBe("https://atrium.example/forms/acme-sales");
  });
});
