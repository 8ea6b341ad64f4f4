/**
 * @jest-environment jsdom
 */
// The verification page (decision 0024): it sends nothing on opening — an account's first
// verification needs the password, which the person holding the mailbox enters here — then sends
// the token with that password; a refused link says so, a refused password shows beside the field.
// A first verification signs the person in (issue 56): the page says so and leads into the app.
import { type MockLink } from "@apollo/client/testing";
import { GraphQLError } from "graphql";
import { MemoryRouter } from "react-router";

import { describe, expect, it } from "@atrium/test-kit";
import { PASSWORD_MESSAGES } from "@atrium/validation";

import {
  button,
  click,
  describedBy,
  input as field,
  renderWithApi,
  settle,
  type,
} from "../../platform/testing/dom.tsx";
import { VerifyEmailAndSignInDocument } from "./operations.ts";
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

  it("sends the token with the password; the first verification signs the person in and leads into the app", async () => {
    const session = {
      __typename: "AuthPayload",
      expiresAt: "2026-11-27T12:00:00.000Z",
      user: { __typename: "User", id: "u1", email: "ada@example.com" },
    };
    const page = await renderPage([
      {
        request: {
          query: VerifyEmailAndSignInDocument,
          variables: { token: "tok123", password: "correct horse battery" },
        },
        delay: 0,
        result: { data: { verifyEmailAndSignIn: { __typename: "EmailVerificationResult", session } } },
      },
    ]);
    await type(field("Password"), "correct horse battery");
    await click(button("Verify email"));
    expect(page.querySelector('[role="status"]')?.textContent).toContain(
      "Your email address is verified. You're signed in.",
    );
    const next = [...page.querySelectorAll("a")].find((a) => a.textContent === "Continue to Atrium");
    expect(next?.getAttribute("href")).toBe("/");
    expect([...page.querySelectorAll("a")].some((a) => a.textContent === "Sign in")).toBe(false);
  });

  it("a verification that starts no session (an address verified already) asks the person to sign in", async () => {
    const page = await renderPage([
      {
        request: {
          query: VerifyEmailAndSignInDocument,
          variables: { token: "tok123", password: "correct horse battery" },
        },
        delay: 0,
        result: { data: { verifyEmailAndSignIn: { __typename: "EmailVerificationResult", session: null } } },
      },
    ]);
    await type(field("Password"), "correct horse battery");
    await click(button("Verify email"));
    expect(page.textContent).toContain("Your email address is verified.");
    expect(page.textContent).not.toContain("signed in");
    expect([...page.querySelectorAll("a")].find((a) => a.textContent === "Sign in")?.getAttribute("href")).toBe(
      "/signin",
    );
  });

  it("says when the link itself is refused", async () => {
    const page = await renderPage([
      {
        request: {
          query: VerifyEmailAndSignInDocument,
          variables: { token: "tok123", password: "correct horse battery" },
        },
        delay: 0,
        result: {
          errors: [
            new GraphQLError("This verification link is invalid, already used or expired.", {
              extensions: { code: "BAD_USER_INPUT", fields: { token: "invalid or expired" } },
            }),
          ],
        },
      },
    ]);
    await type(field("Password"), "correct horse battery");
    await click(button("Verify email"));
    expect(page.querySelector('[role="alert"]')?.textContent).toMatch(/invalid or has expired/);
  });
});
