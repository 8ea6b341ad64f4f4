/**
 * @jest-environment jsdom
 */
// The sign-in page's single sign-on entry (issue 49): a password refused because the address's
// domain requires SSO says so (not "incorrect password") and puts "Sign in with SSO" forward;
// the button needs an address first, and leads to /sso/start with it.
import { GraphQLError } from "graphql";
import { MemoryRouter, Route, Routes } from "react-router";

import { describe, expect, it } from "@atrium/test-kit";

import { button, click, input as field, renderWithApi, type } from "../../platform/testing/dom.tsx";
import { SignInDocument } from "../auth/operations.ts";
import { SignInForm } from "../auth/sign-in-form.tsx";
import { ssoStartUrl } from "./sso-sign-in.tsx";

const DAVE = { email: "dave@acme.test", password: "correct-horse" };

const renderSignIn = (mocks: Parameters<typeof renderWithApi>[1] = []) =>
  renderWithApi(
    <MemoryRouter initialEntries={["/signin"]}>
      <Routes>
        <Route path="/signin" element={<SignInForm />} />
      </Routes>
    </MemoryRouter>,
    mocks,
  );

describe("sign-in with SSO", () => {
  it("explains a refusal for SSO_REQUIRED and offers SSO as the way in", async () => {
    const page = await renderSignIn([
      {
        request: { query: SignInDocument, variables: { input: DAVE } },
        delay: 0,
        result: {
          errors: [
            new GraphQLError(
              'Your organisation requires single sign-on for acme.test addresses. Use "Sign in with SSO" instead of a password.',
              { extensions: { code: "UNAUTHENTICATED", reason: "SSO_REQUIRED" } },
            ),
          ],
        },
      },
    ]);
    await type(field("Email"), DAVE.email);
    await type(field("Password"), DAVE.password);
    await click(button("Sign in"));
    const alerts = [...page.querySelectorAll('[role="alert"]')].map((a) => a.textContent ?? "");
    expect(alerts.some((text) => text.includes("requires single sign-on"))).toBe(true);
    expect(alerts.some((text) => text.includes("incorrect"))).toBe(false);
    expect(button("Sign in with SSO").className).toContain("button--primary");
  });

  it("asks for the address before leaving for the provider", async () => {
    const page = await renderSignIn();
    await click(button("Sign in with SSO"));
    expect(page.textContent).toContain('Enter your work e-mail above, then choose "Sign in with SSO".');
  });

  it("starts at /sso/start with the address", () => {
    expect(ssoStartUrl(" dave+x@acme.test ")).toBe("/sso/start?email=dave%2Bx%40acme.test");
  });
});
