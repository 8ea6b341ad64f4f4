/**
 * @jest-environment jsdom
 */
// The sign-in form in a DOM (jsdom): bad input is refused with @atrium/validation's sentence,
// beside the field, before anything is sent; the API's own field verdict (BAD_USER_INPUT
// `extensions.fields`) shows in the same place.
import { type MockLink } from "@apollo/client/testing";
import { describe, expect, it } from "@atrium/test-kit";
import { EMAIL_MESSAGES, PASSWORD_MESSAGES } from "@atrium/validation";
import { GraphQLError } from "graphql";
import { MemoryRouter } from "react-router";
import { button, click, describedBy, input as field, renderWithApi, type } from "../../platform/testing/dom.tsx";
import { SignInDocument } from "./operations.ts";
import { SignInForm } from "./sign-in-form.tsx";

const renderSignIn = (mocks: MockLink.MockedResponse[] = []) =>
  renderWithApi(
    <MemoryRouter initialEntries={["/signin"]}>
      <SignInForm />
    </MemoryRouter>,
    mocks,
  );

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
        request: { query: SignInDocument, variables: { input: { email: "ada@example.com", password: "correct-horse" } } },
        delay: 0,
        result: { errors: [new GraphQLError(serverMessage, { extensions: { code: "BAD_USER_INPUT", fields: { "input.email": serverMessage } } })] },
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
});
