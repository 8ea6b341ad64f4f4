/**
 * @jest-environment jsdom
 */
// The verification page (decision 0024): it sends nothing on opening — an account's first
// verification needs the password, which the person holding the mailbox enters here — then sends
// the token with that password; a refused link says so, a refused password shows beside the field.
import { type MockLink } from "@apollo/client/testing";
import { describe, expect, it } from "@atrium/test-kit";
import { PASSWORD_MESSAGES } from "@atrium/validation";
import { GraphQLError } from "graphql";
import { MemoryRouter } from "react-router";
import { button, click, describedBy, input as field, renderWithApi, settle, type } from "../../platform/testing/dom.tsx";
import { VerifyEmailDocument } from "./operations.ts";
import { VerifyEmail } from "./verify-email.tsx";

const renderPage = (mocks: MockLink.MockedResponse[] = []) =>
  renderWithApi(
    <MemoryRouter initialEntries={["/verify-email?token=tok123"]}>
      <VerifyEmail />
    </MemoryRouter>,
    mocks,
  );

describe("verify-email page", () => {
  it("asks for the password and sends nothing until it is given", async () => {
    // No mocks: a request would fail the test with "No more mocked responses".
    const page = await renderPage();
    await settle(20);
    expect(page.textContent).not.toContain("verified");
    await click(button("Verify email"));
    expect(describedBy(field("Password")).error).toBe(PASSWORD_MESSAGES.tooShort);
  });

  it("sends the token with the password and confirms", async () => {
    const page = await renderPage([
      { request: { query: VerifyEmailDocument, variables: { token: "tok123", password: "correct horse battery" } }, delay: 0, result: { data: { verifyEmail: true } } },
    ]);
    await type(field("Password"), "correct horse battery");
    await click(button("Verify email"));
    expect(page.textContent).toContain("Your email address is verified.");
  });

  it("says when the link itself is refused", async () => {
    const page = await renderPage([
      {
        request: { query: VerifyEmailDocument, variables: { token: "tok123", password: "correct horse battery" } },
        delay: 0,
        result: { errors: [new GraphQLError("This verification link is invalid, already used or expired.", { extensions: { code: "BAD_USER_INPUT", fields: { token: "invalid or expired" } } })] },
      },
    ]);
    await type(field("Password"), "correct horse battery");
    await click(button("Verify email"));
    expect(page.querySelector('[role="alert"]')?.textContent).toMatch(/invalid or has expired/);
  });
});
