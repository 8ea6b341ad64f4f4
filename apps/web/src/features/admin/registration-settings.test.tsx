/**
 * @jest-environment jsdom
 */
// Platform admin → Registration in a DOM (jsdom): the allowed-domains mode needs a domain list, and
// what is not a domain is refused beside the field, nothing sent; the domains are sent normalised.
import { type MockLink } from "@apollo/client/testing";

import { describe, expect, it } from "@atrium/test-kit";

import { button, click, describedBy, field, renderWithApi, type, until } from "../../platform/testing/dom.tsx";
import { AdminRegistrationSettingsDocument, UpdateRegistrationSettingsDocument } from "./operations.ts";
import { RegistrationSettingsForm } from "./registration-settings.tsx";

const settingsQuery: MockLink.MockedResponse = {
  request: { query: AdminRegistrationSettingsDocument },
  delay: 0,
  result: {
    data: {
      registrationSettings: { __typename: "RegistrationSettings", mode: "OPEN", allowedEmailDomains: ["old.example"] },
    },
  },
};

async function renderForm(mocks: MockLink.MockedResponse[] = []): Promise<void> {
  await renderWithApi(<RegistrationSettingsForm />, [settingsQuery, ...mocks]);
  await until(() => document.querySelector("form") !== null);
}

const domains = () => field("Allowed email domains");

function radio(mode: string): HTMLInputElement {
  const control = document.querySelector(`input[type="radio"][value="${mode}"]`);
  if (!(control instanceof HTMLInputElement)) throw new Error(`no radio ${mode}`);
  return control;
}

const errorOf = (control: HTMLElement) => describedBy(control).error;
// While saving, the button says so.
const save = () => click(button("Save"), (element) => element.textContent === "Saving…");

describe("registration settings", () => {
  it("starts on the saved settings", async () => {
    await renderForm();
    expect(radio("OPEN").checked).toBe(true);
    expect(radio("OPEN").name).toBe("mode");
    expect(domains().value).toBe("old.example");
  });

  it("needs a domain list for the allowed-domains mode, and refuses what is not a domain", async () => {
    await renderForm();
    await click(radio("ALLOWED_DOMAINS"));
    await type(domains(), "");
    await save();
    expect(errorOf(domains())).toBe("List at least one domain, or choose another mode.");

    await type(domains(), "example.test\nnot a domain");
    expect(errorOf(domains())).toBe("Not a domain: not, a, domain");
    await type(domains(), "example.test, localhost");
    expect(errorOf(domains())).toBe("Not a domain: localhost");
    expect(document.querySelector('[role="alert"]')).toBeNull();
    expect(document.querySelector('[role="status"]')).toBeNull();
  });

  it("sends the domains normalised", async () => {
    await renderForm([
      {
        request: {
          query: UpdateRegistrationSettingsDocument,
          variables: { input: { mode: "ALLOWED_DOMAINS", allowedEmailDomains: ["example.test", "acme.com"] } },
        },
        delay: 0,
        result: {
          data: {
            updateRegistrationSettings: {
              __typename: "RegistrationSettings",
              mode: "ALLOWED_DOMAINS",
              allowedEmailDomains: ["example.test", "acme.com"],
            },
          },
        },
      },
    ]);
    await click(radio("ALLOWED_DOMAINS"));
    await type(domains(), "example.test\n@Acme.com");
    await save();
    expect(document.querySelector('[role="status"]')?.textContent).toBe("Registration settings saved.");
    expect(errorOf(domains())).toBeUndefined();
  });
});
