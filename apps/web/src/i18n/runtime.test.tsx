/**
 * @jest-environment jsdom
 */
// The language runtime (decision 0045): a component shows the current language's text, Spanish
// arrives on demand (its own chunk) and a switch re-renders what is on the page, <html lang> and
// the date helpers following; the language picker switches at once and saves the choice.
import { act } from "react";
import { useTranslation } from "react-i18next";

import { afterEach, describe, expect, it } from "@atrium/test-kit";

import { formatRelative } from "../platform/format.ts";
import { LanguagePicker } from "../platform/language.tsx";
import { LoadError } from "../platform/load-error.tsx";
import { click, render, renderWithApi, until } from "../platform/testing/dom.tsx";
import { UpdateThemeDocument } from "../platform/theme.tsx";
import { browserLanguage, i18n, initI18n, LANGUAGE_STORAGE_KEY, resolveLanguage, setLanguage } from "./index.ts";

function Greeting() {
  const { t } = useTranslation("common");
  return <p data-testid="greeting">{t("userMenu.signOut")}</p>;
}
const text = () => document.querySelector('[data-testid="greeting"]')?.textContent;

afterEach(async () => {
  await act(() => setLanguage(null));
  localStorage.clear();
});

describe("the language runtime", () => {
  it("renders Spanish when the language is es, and re-renders on a switch", async () => {
    await render(
      <>
        <Greeting />
        <LoadError error={new Error("x")} onRetry={() => undefined} />
      </>,
    );
    expect(text()).toBe("Sign out");
    await act(() => setLanguage("es"));
    expect(text()).toBe("Cerrar sesión");
    expect(document.body.textContent).toContain("Intentar de nuevo");
    expect(document.documentElement.lang).toBe("es");
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe("es");
    expect(formatRelative(new Date(Date.now() - 10_000).toISOString())).toBe("ahora");
    await act(() => setLanguage("en"));
    expect(text()).toBe("Sign out");
    expect(document.documentElement.lang).toBe("en");
    expect(formatRelative(new Date(Date.now() - 10_000).toISOString())).toBe("now");
  });

  it("starts in the account's language, else this device's, else the browser's", async () => {
    expect(resolveLanguage("es", "en", "en")).toBe("es");
    expect(resolveLanguage(null, "es", "en")).toBe("es");
    expect(resolveLanguage(undefined, null, "es")).toBe("es");
    expect(resolveLanguage("fr", null, "en")).toBe("en");
    expect(browserLanguage(["es-MX", "en"])).toBe("es");
    expect(browserLanguage(["de-DE", "fr"])).toBe("en");
    localStorage.setItem(LANGUAGE_STORAGE_KEY, "es");
    await act(async () => void (await initI18n()));
    expect(i18n.language).toBe("es"); // Spanish loaded before anything renders
    expect(i18n.t("userMenu.signOut")).toBe("Cerrar sesión");
  });

  it("the picker switches at once and saves the choice on the account", async () => {
    const saved = {
      request: { query: UpdateThemeDocument, variables: { input: { locale: "es" } } },
      result: {
        data: {
          updatePreferences: {
            __typename: "User" as const,
            id: "u1",
            preferences: { __typename: "UserPreferences" as const, theme: "SYSTEM" as const, locale: "es" },
          },
        },
      },
    };
    await renderWithApi(<LanguagePicker />, [saved]);
    const radio = (label: string) =>
      [...document.querySelectorAll("label")].find((l) => l.textContent === label)?.querySelector("input");
    expect(radio("Browser default")?.checked).toBe(true);
    await click(radio("Español") as HTMLInputElement);
    await until(() => document.querySelector("legend")?.textContent === "Idioma");
    expect(radio("Español")?.checked).toBe(true);
    await until(
      () =>
        document.querySelector('[data-testid="language-picker"] [role="status"]')?.textContent === "Idioma guardado.",
    );
  });
});
