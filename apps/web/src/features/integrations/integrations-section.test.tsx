/**
 * @jest-environment jsdom
 */
// An integration card in a DOM (jsdom): values the API's input would refuse are refused beside
// their fields in @atrium/validation's words (or the card's own, for what it alone knows) and
// nothing is sent; the API's verdict on a field (`calcom.eventTypeId`) shows in the same place.
import { type MockLink } from "@apollo/client/testing";
import { GraphQLError } from "graphql";

import { describe, expect, it } from "@atrium/test-kit";
import { INTEGRATION_MESSAGES } from "@atrium/validation";

import { button, click, describedBy, input as field, renderWithApi, type, until } from "../../platform/testing/dom.tsx";
import { IntegrationsSection } from "./integrations-section.tsx";
import { IntegrationsDocument, SetIntegrationDocument } from "./operations.ts";

const calcomCard = {
  __typename: "Integration" as const,
  provider: "CALCOM" as const,
  configured: false,
  updatedAt: null,
  fields: [],
};
const listCards: MockLink.MockedResponse = {
  request: { query: IntegrationsDocument, variables: { workspaceId: "w1" } },
  result: { data: { integrations: [calcomCard] } },
};

async function renderSection(mocks: MockLink.MockedResponse[] = []): Promise<void> {
  await renderWithApi(<IntegrationsSection workspaceId="w1" canManage />, [listCards, ...mocks]);
  await until(() => document.querySelector('[data-testid="integration-CALCOM"]') !== null);
}

const connect = () => click(button("Connect"));

describe("an integration card", () => {
  it("refuses what the API would refuse beside each field, and sends nothing", async () => {
    // Only the list is mocked: a SetIntegration request would fail and show a banner.
    await renderSection();
    expect(describedBy(field("Event type ID"))).toEqual({ hint: "The number in the event type's URL." });

    await connect();
    expect(describedBy(field("API key"))).toEqual({ error: "Enter the api key." });
    expect(describedBy(field("Event type ID"))).toEqual({ error: "Enter the event type id." });

    await type(field("API key"), "short");
    await type(field("Event type ID"), "forty-two");
    expect(describedBy(field("API key"))).toEqual({ error: INTEGRATION_MESSAGES.secret });
    expect(describedBy(field("Event type ID"))).toEqual({ error: "The event type id is a whole number." });
    expect(field("Event type ID").getAttribute("aria-invalid")).toBe("true");

    await type(field("Event type ID"), "0");
    expect(describedBy(field("Event type ID"))).toEqual({ error: INTEGRATION_MESSAGES.eventTypeId });

    await type(field("API key"), "cal_live_e2e");
    await type(field("Event type ID"), "42");
    expect(describedBy(field("API key"))).toEqual({});
    expect(describedBy(field("Event type ID"))).toEqual({ hint: "The number in the event type's URL." });
    expect(document.querySelector('[role="alert"]')).toBeNull();
    expect(document.querySelector('[data-testid="integration-state"]')?.textContent).toBe("Not connected");
  });

  it("shows the API's verdict on a field where its own would be", async () => {
    const serverMessage = "Cal.com has no event type 42 for this key.";
    await renderSection([
      {
        request: {
          query: SetIntegrationDocument,
          variables: { workspaceId: "w1", input: { calcom: { apiKey: "cal_live_e2e", eventTypeId: 42 } } },
        },
        delay: 0,
        result: {
          errors: [
            new GraphQLError(serverMessage, {
              extensions: { code: "BAD_USER_INPUT", fields: { "calcom.eventTypeId": serverMessage } },
            }),
          ],
        },
      },
    ]);
    // Spaces around a value are not part of it: the card trims them, as it sends.
    await type(field("API key"), " cal_live_e2e ");
    await type(field("Event type ID"), "42 ");
    await connect();

    expect(describedBy(field("Event type ID"))).toEqual({ error: serverMessage });
    expect(document.querySelector('[role="alert"]')?.textContent).toBe("Please correct the highlighted fields.");

    await type(field("Event type ID"), "43");
    expect(describedBy(field("Event type ID"))).toEqual({ hint: "The number in the event type's URL." });
  });
});
