/**
 * @jest-environment jsdom
 */
// The account pages' texts (issue 48): built in code (the device name, the sessions' details) or
// as a sentence around markup (the recovery codes left), in English as the browser tests read
// them and in Spanish once the language switches.
import i18n from "i18next";
import { act } from "react";
import { Trans } from "react-i18next";

import { afterEach, beforeAll, describe, expect, it } from "@atrium/test-kit";

import esAccount from "../../i18n/locales/es/account.json" with { type: "json" };
import { render } from "../../platform/testing/dom.tsx";
import { describeDevice } from "./sessions-page.tsx";

const CHROME_LINUX =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";

beforeAll(() => {
  i18n.addResourceBundle("es", "account", esAccount, true, true);
});
afterEach(async () => {
  await act(() => i18n.changeLanguage("en"));
});

describe("describeDevice", () => {
  it("names the browser and the system in the page's language", async () => {
    expect(describeDevice(CHROME_LINUX)).toBe("Chrome on Linux");
    expect(describeDevice(null)).toBe("Unknown device");
    await i18n.changeLanguage("es");
    expect(describeDevice(CHROME_LINUX)).toBe("Chrome en Linux");
    expect(describeDevice(undefined)).toBe("Dispositivo desconocido");
  });
});

describe("the recovery codes left", () => {
  const codesLeft = (count: number) =>
    render(<Trans ns="account" i18nKey="security.totpOn" count={count} components={{ strong: <strong /> }} />);

  it("reads as one sentence with the number in bold, singular or plural", async () => {
    const page = await codesLeft(10);
    expect(page.textContent).toBe("On. 10 unused recovery codes left.");
    expect(page.querySelector("strong")?.textContent).toBe("10");
    await act(() => i18n.changeLanguage("es"));
    expect(page.textContent).toBe("Activada. Te quedan 10 códigos de recuperación sin usar.");
  });

  it("has a singular", async () => {
    expect((await codesLeft(1)).textContent).toBe("On. 1 unused recovery code left.");
  });
});
