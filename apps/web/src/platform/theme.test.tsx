/**
 * @jest-environment jsdom
 */
// The theme picker (decision 0040) in a DOM: the current choice is checked, a new one applies at
// once (data-theme, localStorage) and is saved on the account with updatePreferences; when saving
// fails the choice still applies here and the picker says it was not saved.
import { GraphQLError } from "graphql";

import { beforeEach, describe, expect, it } from "@atrium/test-kit";

import { click, renderWithApi, settle, until } from "./testing/dom.tsx";
import { resetThemeForTests, THEME_STORAGE_KEY } from "./theme-state.ts";
import { ThemePicker, UpdateThemeDocument } from "./theme.tsx";

const radio = (label: string) => {
  const found = [...document.querySelectorAll<HTMLLabelElement>(".theme-picker__option")]
    .find((option) => option.textContent === label)
    ?.querySelector("input");
  if (!(found instanceof HTMLInputElement)) throw new Error(`no radio ${label}`);
  return found;
};
const status = () => document.querySelector('[data-testid="theme-picker"] [role="status"]')?.textContent ?? "";
const saved = (theme: "SYSTEM" | "LIGHT" | "DARK") => ({
  request: { query: UpdateThemeDocument, variables: { input: { theme } } },
  result: {
    data: {
      updatePreferences: {
        __typename: "User" as const,
        id: "u1",
        preferences: { __typename: "UserPreferences" as const, theme, locale: null },
      },
    },
  },
});

beforeEach(() => {
  localStorage.clear();
  document.documentElement.removeAttribute("data-theme");
  resetThemeForTests();
});

describe("ThemePicker", () => {
  it("shows the choice stored on this device, as a named radio group", async () => {
    localStorage.setItem(THEME_STORAGE_KEY, "light");
    await renderWithApi(<ThemePicker />);
    expect(document.querySelector("fieldset legend")?.textContent).toBe("Theme");
    expect(radio("Light").checked).toBe(true);
    expect(radio("System").checked).toBe(false);
    expect(document.querySelectorAll('.theme-picker svg[aria-hidden="true"]')).toHaveLength(3);
  });

  it("applies a choice at once and saves it on the account", async () => {
    await renderWithApi(<ThemePicker />, [saved("DARK")]);
    expect(radio("System").checked).toBe(true);
    await click(radio("Dark"));
    expect(document.documentElement.getAttribute("data-theme")).toBe("dark");
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe("dark");
    expect(radio("Dark").checked).toBe(true);
    await until(() => status() === "Theme saved.");
  });

  it("keeps the choice on this device and says so when saving fails", async () => {
    await renderWithApi(<ThemePicker />, [
      {
        request: { query: UpdateThemeDocument, variables: { input: { theme: "LIGHT" } } },
        result: { errors: [new GraphQLError("Network trouble", { extensions: { code: "INTERNAL_SERVER_ERROR" } })] },
      },
    ]);
    await click(radio("Light"));
    await settle(20);
    expect(document.documentElement.getAttribute("data-theme")).toBe("light");
    await until(() => status().includes("could not be saved"));
  });
});
