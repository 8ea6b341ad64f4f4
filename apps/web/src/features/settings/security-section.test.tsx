/**
 * @jest-environment jsdom
 */
// Settings → Security in a DOM (jsdom): a verification lifetime the API would refuse is refused
// beside its field and nothing is sent; the API's own verdict on the lifetime
// (`{ stepUpLifetimeMinutes: "out of range" }`) shows in the same place.
import { type MockLink } from "@apollo/client/testing";
import { GraphQLError } from "graphql";
import { MemoryRouter } from "react-router";

import { describe, expect, it } from "@atrium/test-kit";

import { type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { button, click, describedBy, input, renderWithApi, type } from "../../platform/testing/dom.tsx";
import { SetWorkspaceSecurityDocument } from "./operations.ts";
import { SecuritySection } from "./security-section.tsx";

const LIFETIME_MESSAGE = "Enter whole minutes between 1 and 1440.";

const workspace = { id: "w1", requireStepUp: false, stepUpLifetimeMinutes: 15 } as WorkspaceSettingsFieldsFragment;

const renderSection = (mocks: MockLink.MockedResponse[] = []) =>
  renderWithApi(
    <MemoryRouter>
      <SecuritySection workspace={workspace} canUpdate />
    </MemoryRouter>,
    mocks,
  );
const field = input;
const checkbox = input;
const submit = () => click(button("Save security"));

const lifetime = () => field("A verification lasts (minutes)");

describe("workspace security", () => {
  it("starts on the current settings", async () => {
    await renderSection();
    expect(checkbox("Require step-up verification").checked).toBe(false);
    expect(lifetime().value).toBe("15");
    expect(describedBy(lifetime())).toEqual({});
  });

  it("refuses a lifetime out of range beside the field, and sends nothing", async () => {
    // No mocks: a request would fail with "No more mocked responses" and show a banner.
    await renderSection();
    await type(lifetime(), "0");
    await submit();
    expect(describedBy(lifetime())).toEqual({ error: LIFETIME_MESSAGE });
    expect(lifetime().getAttribute("aria-invalid")).toBe("true");

    await type(lifetime(), "1441");
    expect(describedBy(lifetime())).toEqual({ error: LIFETIME_MESSAGE });
    await submit();
    expect(describedBy(lifetime())).toEqual({ error: LIFETIME_MESSAGE });

    await type(lifetime(), "2.5");
    expect(describedBy(lifetime())).toEqual({ error: LIFETIME_MESSAGE });

    await type(lifetime(), "");
    expect(describedBy(lifetime())).toEqual({ error: LIFETIME_MESSAGE });

    await type(lifetime(), "1440");
    expect(describedBy(lifetime())).toEqual({});
    expect(lifetime().getAttribute("aria-invalid")).toBeNull();
    expect(document.querySelector('[role="alert"]')).toBeNull();
    expect(document.querySelector('[role="status"]')).toBeNull();
  });

  it("shows the API's verdict on the lifetime where its own would be", async () => {
    const serverMessage = "A verification lasts 1–1440 minutes.";
    await renderSection([
      {
        request: {
          query: SetWorkspaceSecurityDocument,
          variables: { workspaceId: "w1", input: { requireStepUp: true, stepUpLifetimeMinutes: 30 } },
        },
        delay: 0,
        // The service names the field with a token: the error's sentence is shown for it.
        result: {
          errors: [
            new GraphQLError(serverMessage, {
              extensions: { code: "BAD_USER_INPUT", fields: { stepUpLifetimeMinutes: "out of range" } },
            }),
          ],
        },
      },
    ]);
    await click(checkbox("Require step-up verification"));
    await type(lifetime(), "30");
    await submit();

    expect(describedBy(lifetime())).toEqual({ error: serverMessage });
    expect(document.querySelector('[role="alert"]')?.textContent).toBe("Please correct the highlighted fields.");

    // Correcting the field clears the server's verdict.
    await type(lifetime(), "31");
    expect(describedBy(lifetime())).toEqual({});
  });
});
