/**
 * @jest-environment jsdom
 */
// Settings → Data retention in a DOM (jsdom): custom days the API would refuse are refused beside
// the Days field in the form's words and nothing is sent; the API's own verdict on the days
// (`{ retentionDays: "out of range" }`) shows in the same place.
import { type MockLink } from "@apollo/client/testing";
import { GraphQLError } from "graphql";

import { describe, expect, it } from "@atrium/test-kit";

import { type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { button, click, describedBy, input, renderWithApi, type } from "../../platform/testing/dom.tsx";
import { SetRetentionDocument } from "./operations.ts";
import { RetentionSection } from "./retention-section.tsx";
import { RETENTION_MESSAGES } from "./retention.ts";

// Only what the section reads: its id and the current setting.
const workspace = { id: "w1", retentionDays: 90 } as WorkspaceSettingsFieldsFragment;

const renderSection = (mocks: MockLink.MockedResponse[] = []) =>
  renderWithApi(<RetentionSection workspace={workspace} canUpdate />, mocks);
const radio = input;
const field = input;
const choose = (label: string) => click(radio(label));
// While saving, the button says so.
const submit = () => click(button("Save retention"), (element) => element.textContent === "Saving…");

describe("data retention", () => {
  it("starts on the current setting, with the radios named retention", async () => {
    await renderSection();
    expect(radio("90 days").checked).toBe(true);
    expect(radio("90 days").name).toBe("retention");
    expect([...document.querySelectorAll<HTMLInputElement>('input[type="radio"]')].map((input) => input.name)).toEqual(
      Array(5).fill("retention"),
    );
    expect(document.querySelector('[data-testid="retention-current"]')?.textContent).toBe("Deleted after 90 days");
  });

  it("refuses custom days out of range beside the field, and sends nothing", async () => {
    // No mocks: a request would fail with "No more mocked responses" and show a banner.
    await renderSection();
    await choose("Custom");
    expect(describedBy(field("Days"))).toEqual({ hint: "From 1 to 3650." });

    await type(field("Days"), "0");
    await submit();
    expect(describedBy(field("Days"))).toEqual({ error: RETENTION_MESSAGES.range });
    expect(RETENTION_MESSAGES.range).toBe("Enter between 1 and 3650 days.");
    expect(field("Days").getAttribute("aria-invalid")).toBe("true");

    await type(field("Days"), "3651");
    expect(describedBy(field("Days"))).toEqual({ error: RETENTION_MESSAGES.range });

    await type(field("Days"), "1.5");
    expect(describedBy(field("Days"))).toEqual({ error: RETENTION_MESSAGES.wholeNumber });

    await type(field("Days"), "3650");
    expect(describedBy(field("Days"))).toEqual({ hint: "From 1 to 3650." });
    expect(document.querySelector('[role="alert"]')).toBeNull();
    expect(document.querySelector('[role="status"]')).toBeNull();
  });

  it("does not check the custom days when another choice is made", async () => {
    await renderSection();
    await choose("Custom");
    await type(field("Days"), "0");
    await submit();
    expect(describedBy(field("Days"))).toEqual({ error: RETENTION_MESSAGES.range });

    // Back to custom after another choice: the last attempt's error is gone, the typed days kept.
    await choose("Forever");
    expect(document.body.textContent).toContain("Forever turns the nightly deletion off.");
    await choose("Custom");
    expect(field("Days").value).toBe("0");
    expect(describedBy(field("Days"))).toEqual({ hint: "From 1 to 3650." });
  });

  it("shows the API's verdict on the days where its own would be", async () => {
    const serverMessage = "Retention is 1–3650 days, or forever.";
    await renderSection([
      {
        request: { query: SetRetentionDocument, variables: { workspaceId: "w1", days: 45 } },
        delay: 0,
        // The service names the field with a token: the error's sentence is shown for it.
        result: {
          errors: [
            new GraphQLError(serverMessage, {
              extensions: { code: "BAD_USER_INPUT", fields: { retentionDays: "out of range" } },
            }),
          ],
        },
      },
    ]);
    await choose("Custom");
    await type(field("Days"), "45");
    await submit();

    expect(describedBy(field("Days"))).toEqual({ error: serverMessage });
    expect(document.querySelector('[role="alert"]')?.textContent).toBe("Please correct the highlighted fields.");

    // Correcting the field clears the server's verdict (the banner stays until the next attempt).
    await type(field("Days"), "46");
    expect(describedBy(field("Days"))).toEqual({ hint: "From 1 to 3650." });
  });
});
