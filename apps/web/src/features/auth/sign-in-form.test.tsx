/**
 * @jest-environment jsdom
 */
// The sign-in form in a DOM (jsdom): bad input is refused with @atrium/validation's sentence,
// beside the field, before anything is sent; the API's own field verdict (BAD_USER_INPUT
// `extensions.fields`) shows in the same place.
import { type MockLink } from "@apollo/client/testing";
import { MockedProvider } from "@apollo/client/testing/react";
import { afterEach, describe, expect, it } from "@atrium/test-kit";
import { EMAIL_MESSAGES, PASSWORD_MESSAGES } from "@atrium/validation";
import { GraphQLError } from "graphql";
import { act } from "react";
import { type Root, createRoot } from "react-dom/client";
import { MemoryRouter } from "react-router";
import { SignInDocument } from "./operations.ts";
import { SignInForm } from "./sign-in-form.tsx";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | undefined;
let container: HTMLDivElement | undefined;

afterEach(() => {
  act(() => root?.unmount());
  container?.remove();
  root = undefined;
  container = undefined;
});

async function renderSignIn(mocks: MockLink.MockedResponse[] = []): Promise<HTMLDivElement> {
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
  // eslint-disable-next-line @typescript-eslint/require-await -- the async act waits for the first effects
  await act(async () => {
    root?.render(
      <MockedProvider mocks={mocks}>
        <MemoryRouter initialEntries={["/signin"]}>
          <SignInForm />
        </MemoryRouter>
      </MockedProvider>,
    );
  });
  return container;
}

/** The control labelled `label`, as a person (or Playwright's getByLabel) finds it. */
function field(page: HTMLElement, label: string): HTMLInputElement {
  const labelElement = [...page.querySelectorAll("label")].find((element) => element.textContent === label);
  const control = labelElement === undefined ? null : document.getElementById(labelElement.htmlFor);
  if (!(control instanceof HTMLInputElement)) throw new Error(`no control labelled ${label}`);
  return control;
}

/** The error shown beside a control: the element its aria-describedby points at with class field__error. */
function errorBeside(page: HTMLElement, control: HTMLInputElement): string | undefined {
  const ids = control.getAttribute("aria-describedby")?.split(" ") ?? [];
  for (const id of ids) {
    const element = document.getElementById(id);
    if (page.contains(element) && element?.classList.contains("field__error")) return element.textContent ?? undefined;
  }
  return undefined;
}

/** Types like a person: React sees an input event with the new value. */
async function type(control: HTMLInputElement, value: string): Promise<void> {
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")?.set?.call(control, value);
    control.dispatchEvent(new Event("input", { bubbles: true }));
    // Re-validation after a change is asynchronous (the resolver).
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

/** Clicks "Sign in" and waits until the form is done with it (checked, and answered if sent). */
async function submit(page: HTMLElement): Promise<void> {
  const button = [...page.querySelectorAll("button")].find((element) => element.textContent === "Sign in");
  await act(async () => {
    button?.click();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
  for (let waited = 0; button?.disabled === true && waited < 2_000; waited += 10) {
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)));
  }
}

describe("sign-in form", () => {
  it("shows the shared messages beside the fields and sends nothing", async () => {
    // No mocks: a request would fail the test with "No more mocked responses".
    const page = await renderSignIn();
    await type(field(page, "Email"), "not-an-email");
    await submit(page);

    const email = field(page, "Email");
    expect(errorBeside(page, email)).toBe(EMAIL_MESSAGES.invalid);
    expect(email.getAttribute("aria-invalid")).toBe("true");
    expect(errorBeside(page, field(page, "Password"))).toBe(PASSWORD_MESSAGES.required);
    expect(page.querySelector('[role="alert"]')).toBeNull();

    // Correcting the field clears its message at once.
    await type(email, "ada@example.com");
    expect(errorBeside(page, field(page, "Email"))).toBeUndefined();
    expect(errorBeside(page, field(page, "Password"))).toBe(PASSWORD_MESSAGES.required);
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
    await type(field(page, "Email"), "  ada@example.com ");
    await type(field(page, "Password"), "correct-horse");
    await submit(page);

    expect(errorBeside(page, field(page, "Email"))).toBe(serverMessage);
    expect(field(page, "Email").getAttribute("aria-invalid")).toBe("true");
    expect(errorBeside(page, field(page, "Password"))).toBeUndefined();
    expect(page.querySelector('[role="alert"]')?.textContent).toBe("Please correct the highlighted fields.");
  });
});
