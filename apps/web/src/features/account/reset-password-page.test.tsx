/**
 * @jest-environment jsdom
 */
// The reset-password page (issue 49): the shared rules first (length, the same password twice),
// then the API's strength verdict beside the field; a refused link says so and offers a new one.
import { type MockLink } from "@apollo/client/testing";
import { GraphQLError } from "graphql";
import { MemoryRouter } from "react-router";

import { describe, expect, it } from "@atrium/test-kit";
import { ACCOUNT_MESSAGES, PASSWORD_MESSAGES } from "@atrium/validation";

import { button, click, describedBy, input as field, renderWithApi, type } from "../../platform/testing/dom.tsx";
import { ResetPasswordDocument } from "./operations.ts";
import { ResetPasswordPage } from "./reset-password-page.tsx";

const STRONG = "violet-orbit-kettle-57";
const renderPage = (mocks: MockLink.MockedResponse[] = []) =>
  renderWithApi(
    <MemoryRouter initialEntries={["/reset-password?token=tok123"]}>
      <ResetPasswordPage />
    </MemoryRouter>,
    mocks,
  );
const reply = (password: string, result: MockLink.MockedResponse["result"]): MockLink.MockedResponse => ({
  request: { query: ResetPasswordDocument, variables: { token: "tok123", password } },
  delay: 0,
  result,
});

describe("reset-password page", () => {
  it("checks the shared rules before sending anything", async () => {
    // No mocks: a request would fail the test with "No more mocked responses".
    await renderPage();
    await type(field("New password"), "short");
    await type(field("New password again"), "short");
    await click(button("Set new password"));
    expect(describedBy(field("New password")).error).toBe(PASSWORD_MESSAGES.tooShort);
    await type(field("New password"), STRONG);
    await type(field("New password again"), `${STRONG}x`);
    await click(button("Set new password"));
    expect(describedBy(field("New password again")).error).toBe(ACCOUNT_MESSAGES.passwordsDiffer);
  });

  it("shows the API's strength advice beside the field, then the confirmation", async () => {
    const advice = "This password is too easy to guess. This is similar to a commonly used password.";
    const page = await renderPage([
      reply("password123456", {
        errors: [
          new GraphQLError(advice, {
            extensions: { code: "BAD_USER_INPUT", reason: "WEAK_PASSWORD", fields: { password: advice } },
          }),
        ],
      }),
      reply(STRONG, { data: { resetPassword: true } }),
    ]);
    await type(field("New password"), "password123456");
    await type(field("New password again"), "password123456");
    await click(button("Set new password"));
    expect(describedBy(field("New password")).error).toBe(advice);
    await type(field("New password"), STRONG);
    await type(field("New password again"), STRONG);
    await click(button("Set new password"));
    expect(page.querySelector('[role="status"]')?.textContent).toContain("Your password was changed");
    expect(
      [...page.querySelectorAll("a")]
        .find((a) => a.textContent === "Sign in with your new password")
        ?.getAttribute("href"),
    ).toBe("/signin");
  });

  it("says when the link itself is refused and offers a new one", async () => {
    const page = await renderPage([
      reply(STRONG, {
        errors: [
          new GraphQLError("This reset link is invalid, already used or expired. Ask for a new one.", {
            extensions: { code: "BAD_USER_INPUT", reason: "INVALID_LINK", fields: { token: "invalid or expired" } },
          }),
        ],
      }),
    ]);
    await type(field("New password"), STRONG);
    await type(field("New password again"), STRONG);
    await click(button("Set new password"));
    expect(page.querySelector('[role="alert"]')?.textContent).toMatch(/invalid, already used or expired/);
    expect(
      [...page.querySelectorAll("a")].find((a) => a.textContent === "Ask for a new link")?.getAttribute("href"),
    ).toBe("/forgot-password");
  });
});
