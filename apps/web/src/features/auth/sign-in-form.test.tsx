/**
 * @jest-environment jsdom
 */
// The sign-in form in a DOM (jsdom): bad input is refused with @atrium/validation's sentence,
// beside the field, before anything is sent; the API's own field verdict (BAD_USER_INPUT
// `extensions.fields`) shows in the same place. An account with an authenticator app (issue 56)
// gets a second screen after the right password: the 6-digit code, or a recovery code.
import { type MockLink } from "@apollo/client/testing";
import { GraphQLError } from "graphql";
import { MemoryRouter, Route, Routes } from "react-router";

import { describe, expect, it } from "@atrium/test-kit";
import { EMAIL_MESSAGES, PASSWORD_MESSAGES, RECOVERY_CODE_MESSAGES } from "@atrium/validation";

import { button, click, describedBy, input as field, renderWithApi, type, until } from "../../platform/testing/dom.tsx";
import { CompleteSignInDocument, SignInDocument } from "./operations.ts";
import { SignInForm } from "./sign-in-form.tsx";

const renderSignIn = (mocks: MockLink.MockedResponse[] = []) =>
  renderWithApi(
    <MemoryRouter initialEntries={["/signin?next=/w/acme/leads"]}>
      <Routes>
        <Route path="/signin" element={<SignInForm />} />
        <Route path="/w/acme/leads" element={<p>The leads page</p>} />
      </Routes>
    </MemoryRouter>,
    mocks,
  );

const ADA = { email: "ada@example.com", password: "correct-horse" };
const SESSION = {
  __typename: "AuthPayload",
  expiresAt: "2026-11-27T12:00:00.000Z",
  user: { __typename: "User", id: "u1", email: ADA.email },
};

/** The password step's answer for an account with an authenticator app. */
const secondFactorRequired: MockLink.MockedResponse = {
  request: { query: SignInDocument, variables: { input: ADA } },
  delay: 0,
  result: {
    errors: [
      new GraphQLError(
        "Enter the 6-digit code from your authenticator app, or a recovery code, to finish signing in.",
        {
          extensions: {
            code: "UNAUTHENTICATED",
            reason: "SECOND_FACTOR_REQUIRED",
            challenge: "challenge-1",
            methods: ["TOTP", "RECOVERY_CODE"],
          },
        },
      ),
    ],
  },
};

const completes = (code: string): MockLink.MockedResponse => ({
  request: { query: CompleteSignInDocument, variables: { challenge: "challenge-1", code } },
  delay: 0,
  result: { data: { completeSignIn: SESSION } },
});

async function enterPassword(): Promise<void> {
  await type(field("Email"), ADA.email);
  await type(field("Password"), ADA.password);
  await submit();
}

/** Clicks "Sign in" and waits until the form is done with it (checked, and answered if sent). */
const submit = () => click(button("Sign in"));

describe("sign-in form", () => {
  it("shows the shared messages beside the fields and sends nothing", async () => {
    // No mocks: a request would fail the test with "No more mocked responses".
    const page = await renderSignIn();
    await type(field("Email"), "not-an-email");
    await submit();

    const email = field("Email");
    expect(describedBy(email).error).toBe(EMAIL_MESSAGES.invalid);
    expect(email.getAttribute("aria-invalid")).toBe("true");
    expect(describedBy(field("Password")).error).toBe(PASSWORD_MESSAGES.required);
    expect(page.querySelector('[role="alert"]')).toBeNull();

    // Correcting the field clears its message at once.
    await type(email, "ada@example.com");
    expect(describedBy(field("Email")).error).toBeUndefined();
    expect(describedBy(field("Password")).error).toBe(PASSWORD_MESSAGES.required);
  });

  it("shows the server's field errors where its own would be", async () => {
    const serverMessage = "This address cannot sign in here.";
    const page = await renderSignIn([
      {
        request: {
          query: SignInDocument,
          variables: { input: { email: "ada@example.com", password: "correct-horse" } },
        },
        delay: 0,
        result: {
          errors: [
            new GraphQLError(serverMessage, {
              extensions: { code: "BAD_USER_INPUT", fields: { "input.email": serverMessage } },
            }),
          ],
        },
      },
    ]);
    // Spaces around the address are not the address: the form trims them, as it sends.
    await type(field("Email"), "  ada@example.com ");
    await type(field("Password"), "correct-horse");
    await submit();

    expect(describedBy(field("Email")).error).toBe(serverMessage);
    expect(field("Email").getAttribute("aria-invalid")).toBe("true");
    expect(describedBy(field("Password")).error).toBeUndefined();
    expect(page.querySelector('[role="alert"]')?.textContent).toBe("Please correct the highlighted fields.");
  });

  it("a password-only account is signed in by the password and sent where it was going", async () => {
    const page = await renderSignIn([
      {
        request: { query: SignInDocument, variables: { input: ADA } },
        delay: 0,
        result: { data: { signIn: SESSION } },
      },
    ]);
    await enterPassword();
    await until(() => page.textContent?.includes("The leads page") === true);
    expect(page.textContent).toBe("The leads page");
  });

  it("an account with an authenticator app is asked for its code after the password, and the code signs it in", async () => {
    const page = await renderSignIn([secondFactorRequired, completes("123456")]);
    await enterPassword();

    expect(page.querySelector("h2")?.textContent).toBe("Two-step verification");
    const code = field("Authentication code");
    // The code field takes the focus, and says what to type; no error is shown for the password step.
    expect(document.activeElement).toBe(code);
    expect(code.getAttribute("autocomplete")).toBe("one-time-code");
    expect(code.getAttribute("inputmode")).toBe("numeric");
    expect(describedBy(code).hint).toBe("6 digits. A new code appears every 30 seconds.");
    expect(page.querySelector('[role="alert"]')).toBeNull();

    // Typed as the app shows it ("123 456"), sent as six digits.
    await type(code, "123 456");
    await click(button("Verify"));
    await until(() => page.textContent?.includes("The leads page") === true);
    expect(page.textContent).toBe("The leads page");
  });

  it("a wrong code shows beside the field; a recovery code can be used instead, checked before it is sent", async () => {
    const page = await renderSignIn([
      secondFactorRequired,
      {
        request: { query: CompleteSignInDocument, variables: { challenge: "challenge-1", code: "000000" } },
        delay: 0,
        result: {
          errors: [
            new GraphQLError("That code is not valid. Check your authenticator app and try again.", {
              extensions: { code: "BAD_USER_INPUT", fields: { code: "invalid" } },
            }),
          ],
        },
      },
      completes("ABCDE-23456"),
    ]);
    await enterPassword();
    await type(field("Authentication code"), "000000");
    await click(button("Verify"));
    const code = field("Authentication code");
    expect(describedBy(code).error).toBe("That code is not valid. Enter the 6 digits your app shows now.");
    expect(code.getAttribute("aria-invalid")).toBe("true");
    expect(page.querySelector('[role="alert"]')?.textContent).toBe("Please correct the highlighted fields.");

    await click(button("Use a recovery code instead"));
    const recovery = field("Recovery code");
    expect(document.activeElement).toBe(recovery);
    expect(page.querySelector('[role="alert"]')).toBeNull();
    // Not a recovery code: refused here (no mock would answer it).
    await type(recovery, "123456");
    await click(button("Verify"));
    expect(describedBy(field("Recovery code")).error).toBe(RECOVERY_CODE_MESSAGES.invalid);
    await type(field("Recovery code"), " abcde-23456 ");
    await click(button("Verify"));
    await until(() => page.textContent?.includes("The leads page") === true);
    expect(page.textContent).toBe("The leads page");
  });

  it("an expired sign-in goes back to the password and says why; Start over does too, without a notice", async () => {
    const page = await renderSignIn([
      secondFactorRequired,
      {
        request: { query: CompleteSignInDocument, variables: { challenge: "challenge-1", code: "123456" } },
        delay: 0,
        result: {
          errors: [
            new GraphQLError("This sign-in has expired or was already used.", {
              extensions: { code: "UNAUTHENTICATED", reason: "SIGN_IN_CHALLENGE_EXPIRED" },
            }),
          ],
        },
      },
      secondFactorRequired,
    ]);
    await enterPassword();
    await type(field("Authentication code"), "123456");
    await click(button("Verify"));

    expect(page.querySelector("h2")).toBeNull();
    expect(page.querySelector('[role="alert"]')?.textContent).toBe(
      "This sign-in has expired. Enter your password again.",
    );
    expect(field("Email").value).toBe(ADA.email);
    expect(field("Password").value).toBe("");

    await type(field("Password"), ADA.password);
    await submit();
    expect(page.querySelector("h2")?.textContent).toBe("Two-step verification");
    await click(button("Start over"));
    expect(page.querySelector("h2")).toBeNull();
    expect(page.querySelector('[role="alert"]')).toBeNull();
    expect(field("Email").value).toBe(ADA.email);
  });
});
