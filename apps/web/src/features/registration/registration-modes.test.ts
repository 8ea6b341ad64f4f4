import i18n from "i18next";

import { describe, expect, it } from "@atrium/test-kit";

import esRegistration from "../../i18n/locales/es/registration.json" with { type: "json" };
import {
  isPlausibleDomain,
  normaliseDomains,
  REGISTRATION_REFUSALS,
  signUpAvailability,
} from "./registration-modes.ts";

describe("signUpAvailability", () => {
  it("shows the form when registration is open (or not known yet)", () => {
    expect(signUpAvailability("OPEN", false)).toBe("form");
    expect(signUpAvailability(undefined, false)).toBe("form");
  });

  it("asks for an invitation in invitation-only mode, unless one is in hand", () => {
    expect(signUpAvailability("INVITATION_ONLY", false)).toBe("needs-invitation");
    expect(signUpAvailability("INVITATION_ONLY", true)).toBe("form");
  });

  it("mentions the domain rule, which an invitation bypasses", () => {
    expect(signUpAvailability("ALLOWED_DOMAINS", false)).toBe("form-domains");
    expect(signUpAvailability("ALLOWED_DOMAINS", true)).toBe("form");
  });

  it("is closed even with an invitation", () => {
    expect(signUpAvailability("CLOSED", true)).toBe("closed");
  });
});

describe("domains", () => {
  it("splits on commas, spaces and lines, lowercases, drops @ and duplicates", () => {
    expect(normaliseDomains("Acme.com, @example.org\nacme.com  ")).toEqual(["acme.com", "example.org"]);
  });

  it("accepts real-looking domains only", () => {
    expect(isPlausibleDomain("acme.com")).toBe(true);
    expect(isPlausibleDomain("mail.acme.co.uk")).toBe(true);
    expect(isPlausibleDomain("localhost")).toBe(false);
    expect(isPlausibleDomain("-acme.com")).toBe(false);
    expect(isPlausibleDomain("acme..com")).toBe(false);
  });
});

describe("REGISTRATION_REFUSALS", () => {
  it("reads each refusal in the page's language when it is looked up, and nothing for another reason", async () => {
    expect(REGISTRATION_REFUSALS["REGISTRATION_CLOSED"]).toBe(
      "Registration is closed on this server. Ask an administrator for help.",
    );
    expect(REGISTRATION_REFUSALS["SOMETHING_ELSE"]).toBeUndefined();
    i18n.addResourceBundle("es", "registration", esRegistration, true, true);
    await i18n.changeLanguage("es");
    try {
      expect(REGISTRATION_REFUSALS["REGISTRATION_CLOSED"]).toBe(esRegistration.refusals.REGISTRATION_CLOSED);
      expect(REGISTRATION_REFUSALS["REGISTRATION_DOMAIN_NOT_ALLOWED"]).toMatch(/dominio/);
    } finally {
      await i18n.changeLanguage("en");
    }
  });
});
