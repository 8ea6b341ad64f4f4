import { describe, expect, it } from "@atrium/test-kit";

import { apiKeyForm, webhookEndpointForm } from "./forms.ts";
import { fieldProblems, problemOf } from "./problems.ts";
import {
  WEBHOOK_EVENTS_MESSAGES,
  WEBHOOK_URL_MESSAGES,
  webhookEvents,
  webhookUrl,
  webhookUrlLength,
} from "./webhooks.ts";

describe("webhook endpoint URL", () => {
  it("takes a full http(s) URL, spaces around it included (the service trims them)", () => {
    expect(problemOf(webhookUrl, "https://example.com/webhooks/atrium")).toBeUndefined();
    expect(problemOf(webhookUrl, "http://localhost:8080/hook")).toBeUndefined();
    expect(problemOf(webhookUrl, "  https://example.com/x ")).toBeUndefined();
  });

  it("refuses what the service refuses, in its words", () => {
    expect(problemOf(webhookUrl, "")).toBe(WEBHOOK_URL_MESSAGES.invalid);
    expect(problemOf(webhookUrl, "example.com/webhooks")).toBe(WEBHOOK_URL_MESSAGES.invalid);
    expect(problemOf(webhookUrl, "ftp://example.com/hook")).toBe(WEBHOOK_URL_MESSAGES.scheme);
    expect(problemOf(webhookUrl, "https://user:pw@example.com/hook")).toBe(WEBHOOK_URL_MESSAGES.credentials);
    expect(problemOf(webhookUrl, "https://user@example.com/hook")).toBe(WEBHOOK_URL_MESSAGES.credentials);
  });

  it("is at most 2000 characters (the API input's own rule)", () => {
    const base = "https://example.com/";
    const longest = base + "a".repeat(2000 - base.length);
    expect(problemOf(webhookUrl, longest)).toBeUndefined();
    expect(problemOf(webhookUrl, `${longest}a`)).toBe("At most 2000 characters.");
    expect(problemOf(webhookUrlLength, `${longest}a`)).toBe("At most 2000 characters.");
    // The input checks only the length: the rest is the service's, after authorisation.
    expect(problemOf(webhookUrlLength, "not a url")).toBeUndefined();
  });

  it("needs at least one event", () => {
    expect(problemOf(webhookEvents, ["lead.created"])).toBeUndefined();
    expect(problemOf(webhookEvents, [])).toBe(WEBHOOK_EVENTS_MESSAGES.none);
  });
});

describe("webhook and API key forms", () => {
  it("report each field, keyed like the GraphQL input", () => {
    expect(fieldProblems(webhookEndpointForm, { url: "https://example.com/h", events: ["lead.created"] })).toEqual({});
    expect(fieldProblems(webhookEndpointForm, { url: "nope", events: [] })).toEqual({
      url: WEBHOOK_URL_MESSAGES.invalid,
      events: WEBHOOK_EVENTS_MESSAGES.none,
    });
    expect(fieldProblems(apiKeyForm, { name: "Website backend" })).toEqual({});
    expect(fieldProblems(apiKeyForm, { name: " " })).toEqual({ name: "Name the key." });
  });
});
