/**
 * @jest-environment jsdom
 */
// /admin/plans in a DOM (jsdom): a plan the API would refuse (a negative quota, no name) is refused
// beside its field and nothing is sent; the API's own verdict (a name that is taken) shows in the
// banner; the assign form checks the slug with the shared slug rule.
import { type MockLink } from "@apollo/client/testing";
import { GraphQLError } from "graphql";

import { describe, expect, it } from "@atrium/test-kit";
import { PLAN_NAME_MESSAGES, SLUG_MESSAGES } from "@atrium/validation";

import {
  button,
  click as clickElement,
  describedBy,
  input as field,
  renderWithApi,
  type,
  until,
} from "../../platform/testing/dom.tsx";
import { AdminPlans } from "./admin-plans.tsx";
import { AdminPlansDocument, CreatePlanDocument } from "./operations.ts";

const plansQuery: MockLink.MockedResponse = {
  request: { query: AdminPlansDocument },
  delay: 0,
  result: {
    data: {
      plans: [
        {
          __typename: "Plan",
          id: "p1",
          name: "Starter",
          monthlyMessages: 10,
          monthlyCalls: null,
          monthlyLeads: null,
          offered: true,
        },
      ],
    },
  },
};

async function renderPage(mocks: MockLink.MockedResponse[] = []): Promise<void> {
  await renderWithApi(<AdminPlans />, [plansQuery, ...mocks]);
  await until(() => document.querySelector('form[aria-label="New plan"]') !== null);
}

const click = (name: string) => clickElement(button(name));

const messages = () => field("Monthly messages (empty = unlimited)");

describe("new plan", () => {
  it("refuses a negative quota beside its field, and sends nothing", async () => {
    // Only the plans query is mocked: a createPlan request would fail and show a banner.
    await renderPage();
    await type(field("Name"), "Growth");
    await type(messages(), "-1");
    await click("Create plan");

    expect(describedBy(messages())).toEqual({ error: "Quotas cannot be negative." });
    expect(messages().getAttribute("aria-invalid")).toBe("true");
    // Blank quotas are unlimited: no error beside the others.
    expect(describedBy(field("Monthly calls (empty = unlimited)"))).toEqual({});
    expect(describedBy(field("Monthly leads (empty = unlimited)"))).toEqual({});
    expect(describedBy(field("Name"))).toEqual({});

    await type(messages(), "1.5");
    expect(describedBy(messages())).toEqual({ error: "Enter a whole number, or leave it empty for unlimited." });

    await type(messages(), "0");
    expect(describedBy(messages())).toEqual({});
    expect(document.querySelector('[role="alert"]')).toBeNull();
  });

  it("asks for a name in the API's words", async () => {
    await renderPage();
    await type(field("Name"), "   ");
    await click("Create plan");
    expect(describedBy(field("Name"))).toEqual({ error: PLAN_NAME_MESSAGES.blank });
    expect(document.querySelector('[role="alert"]')).toBeNull();
  });

  it("shows the API's verdict: a taken name in the banner, the form kept", async () => {
    const serverMessage = "A plan with this name exists.";
    await renderPage([
      {
        request: {
          query: CreatePlanDocument,
          variables: {
            input: { name: "Starter", monthlyMessages: 100, monthlyCalls: null, monthlyLeads: 0, offered: true },
          },
        },
        delay: 0,
        // CONFLICT carries no field messages (only BAD_USER_INPUT does): the banner says it.
        result: {
          errors: [new GraphQLError(serverMessage, { extensions: { code: "CONFLICT", fields: { name: "is taken" } } })],
        },
      },
    ]);
    // The name is sent trimmed, as the API stores it; blank quotas are sent as null (unlimited).
    await type(field("Name"), " Starter ");
    await type(messages(), "100");
    await type(field("Monthly leads (empty = unlimited)"), "0");
    await click("Create plan");

    expect(document.querySelector('[role="alert"]')?.textContent).toBe(serverMessage);
    expect(describedBy(field("Name"))).toEqual({});
    expect(field("Name").value).toBe(" Starter ");
    expect(messages().value).toBe("100");
  });
});

describe("assign a plan", () => {
  it("checks the workspace slug with the shared rule", async () => {
    await renderPage();
    await type(field("Workspace slug"), "ab");
    await click("Assign");
    expect(describedBy(field("Workspace slug"))).toEqual({ error: SLUG_MESSAGES.length });

    await type(field("Workspace slug"), "acme_co");
    expect(describedBy(field("Workspace slug"))).toEqual({ error: SLUG_MESSAGES.format });

    // Looked up trimmed and in lower case, as the API does.
    await type(field("Workspace slug"), " Acme-Co ");
    expect(describedBy(field("Workspace slug"))).toEqual({});
    expect(document.querySelector('[role="alert"]')).toBeNull();
  });
});
