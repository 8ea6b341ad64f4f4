/**
 * @jest-environment jsdom
 */
// The colour theme's logic (decision 0040): resolution of system / light / dark, the choice kept
// in localStorage, shown as data-theme on <html>, and the boot script that applies it before the
// first paint (public/theme-init.js, run here as the browser runs it).
import { readFileSync } from "node:fs";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "@atrium/test-kit";

import {
  applyAccountTheme,
  applyTheme,
  currentTheme,
  readStoredTheme,
  resetThemeForTests,
  resolveTheme,
  setTheme,
  storeTheme,
  THEME_STORAGE_KEY,
} from "./theme-state.ts";

const html = () => document.documentElement;
const initScript = readFileSync(path.join(import.meta.dirname, "../../public/theme-init.js"), "utf8");
// The file's own text, run as the browser runs a classic script (jsdom here runs no <script>).
// eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call
const runInitScript = () => new Function(initScript)() as void;

beforeEach(() => {
  localStorage.clear();
  html().removeAttribute("data-theme");
  resetThemeForTests();
});
afterEach(() => localStorage.clear());

describe("resolveTheme", () => {
  it("follows the device under system, and ignores it for an explicit choice", () => {
    expect(resolveTheme("system", false)).toBe("light");
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("light", true)).toBe("light");
    expect(resolveTheme("dark", false)).toBe("dark");
  });
});

describe("the stored choice", () => {
  it("is system when nothing, or something unknown, is stored", () => {
    expect(readStoredTheme()).toBe("system");
    localStorage.setItem(THEME_STORAGE_KEY, "sepia");
    expect(readStoredTheme()).toBe("system");
  });

  it("keeps light and dark, and forgets the key for system", () => {
    storeTheme("dark");
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe("dark");
    expect(readStoredTheme()).toBe("dark");
    storeTheme("light");
    expect(readStoredTheme()).toBe("light");
    storeTheme("system");
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBeNull();
  });

  it("reads as system and stores nothing when storage refuses", () => {
    const refusing = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
      removeItem: () => undefined,
    };
    expect(readStoredTheme(refusing)).toBe("system");
    expect(() => storeTheme("dark", refusing)).not.toThrow();
  });
});

describe("applying a choice", () => {
  it("sets data-theme for light and dark and removes it for system", () => {
    applyTheme("dark");
    expect(html().getAttribute("data-theme")).toBe("dark");
    applyTheme("light");
    expect(html().getAttribute("data-theme")).toBe("light");
    applyTheme("system");
    expect(html().hasAttribute("data-theme")).toBe(false);
  });

  it("setTheme applies, remembers and becomes the current choice", () => {
    expect(currentTheme()).toBe("system");
    setTheme("dark");
    expect(html().getAttribute("data-theme")).toBe("dark");
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe("dark");
    expect(currentTheme()).toBe("dark");
    setTheme("system");
    expect(html().hasAttribute("data-theme")).toBe(false);
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBeNull();
    expect(currentTheme()).toBe("system");
  });

  it("takes the account's stored choice when it arrives, and keeps it on this device", () => {
    localStorage.setItem(THEME_STORAGE_KEY, "light");
    applyAccountTheme("DARK");
    expect(html().getAttribute("data-theme")).toBe("dark");
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe("dark");
    expect(currentTheme()).toBe("dark");
    applyAccountTheme(null);
    expect(currentTheme()).toBe("dark");
    applyAccountTheme("SYSTEM");
    expect(html().hasAttribute("data-theme")).toBe(false);
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBeNull();
  });

  it("starts from the choice stored by an earlier visit", () => {
    localStorage.setItem(THEME_STORAGE_KEY, "light");
    expect(currentTheme()).toBe("light");
  });
});

describe("public/theme-init.js (before the first paint)", () => {
  it("applies a stored light or dark choice to <html>", () => {
    localStorage.setItem(THEME_STORAGE_KEY, "dark");
    runInitScript();
    expect(html().getAttribute("data-theme")).toBe("dark");
    localStorage.setItem(THEME_STORAGE_KEY, "light");
    runInitScript();
    expect(html().getAttribute("data-theme")).toBe("light");
  });

  it("leaves the page to the system preference when nothing valid is stored", () => {
    runInitScript();
    expect(html().hasAttribute("data-theme")).toBe(false);
    localStorage.setItem(THEME_STORAGE_KEY, '"><script>');
    runInitScript();
    expect(html().hasAttribute("data-theme")).toBe(false);
  });

  it("uses the same storage key as the app", () => {
    expect(initScript).toContain(`"${THEME_STORAGE_KEY}"`);
  });
});
