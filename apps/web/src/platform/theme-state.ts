/**
 * The colour theme (issue 48, decision 0040): the person's choice — "system" (follow the device's
 * prefers-color-scheme), "light" or "dark" — and what it resolves to.
 *
 * The choice is shown as `data-theme` on <html> ("light" or "dark"; absent for "system", where
 * styles.css follows the media query) and kept in localStorage, so /theme-init.js (a same-origin
 * script in index.html's head, allowed by the CSP's script-src 'self') applies it before the
 * first paint, with no flash. The choice is also stored on the user (`me.preferences.theme`):
 * theme.tsx applies the server's once it is known, so it follows the person across devices.
 */
import { useSyncExternalStore } from "react";

import { isThemeChoice, type ThemeChoice } from "@atrium/validation";

export type { ThemeChoice };
export type ResolvedTheme = "light" | "dark";

/** The localStorage key; public/theme-init.js reads the same one. */
export const THEME_STORAGE_KEY = "atrium.theme";
const DARK_QUERY = "(prefers-color-scheme: dark)";

/** What a choice looks like on the page, given whether the device prefers dark. */
export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): ResolvedTheme {
  if (choice === "system") return systemPrefersDark ? "dark" : "light";
  return choice;
}

/** The stored choice; "system" when none is stored, it is not one of the three, or storage is unavailable. */
export function readStoredTheme(storage: Pick<Storage, "getItem"> | undefined = safeLocalStorage()): ThemeChoice {
  try {
    const value = storage?.getItem(THEME_STORAGE_KEY);
    return isThemeChoice(value) ? value : "system";
  } catch {
    return "system";
  }
}

/** Remembers the choice on this device ("system" removes it). Storage refused (private mode, quota): ignored. */
export function storeTheme(
  choice: ThemeChoice,
  storage: Pick<Storage, "setItem" | "removeItem"> | undefined = safeLocalStorage(),
): void {
  try {
    if (choice === "system") storage?.removeItem(THEME_STORAGE_KEY);
    else storage?.setItem(THEME_STORAGE_KEY, choice);
  } catch {
    // The page still shows the choice; it just is not remembered here.
  }
}

/** Shows the choice on the page: `data-theme` on <html>, or none for "system". */
export function applyTheme(choice: ThemeChoice, root: HTMLElement = document.documentElement): void {
  if (choice === "system") root.removeAttribute("data-theme");
  else root.setAttribute("data-theme", choice);
}

function safeLocalStorage(): Storage | undefined {
  try {
    return typeof window === "undefined" ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}

// The current choice, for React: the store below, started from what /theme-init.js applied.
let current: ThemeChoice | undefined;
const listeners = new Set<() => void>();

export function currentTheme(): ThemeChoice {
  current ??= readStoredTheme();
  return current;
}

/** Applies, remembers and announces a choice (the picker; the server's value once `me` loads). */
export function setTheme(choice: ThemeChoice): void {
  applyTheme(choice);
  storeTheme(choice);
  if (choice === currentTheme()) return;
  current = choice;
  for (const listener of listeners) listener();
}

/** The account's stored theme, as the API names it (`me.preferences.theme`). */
export type AccountTheme = "SYSTEM" | "LIGHT" | "DARK";
const FROM_ACCOUNT: Readonly<Record<AccountTheme, ThemeChoice>> = { SYSTEM: "system", LIGHT: "light", DARK: "dark" };
export const TO_ACCOUNT: Readonly<Record<ThemeChoice, AccountTheme>> = {
  system: "SYSTEM",
  light: "LIGHT",
  dark: "DARK",
};

/** Applies the signed-in user's stored choice (session.tsx, whenever `me` arrives or changes): it follows the person across devices. */
export function applyAccountTheme(theme: AccountTheme | null | undefined): void {
  if (theme != null) setTheme(FROM_ACCOUNT[theme]);
}

function subscribeToChoice(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function subscribeToSystem(listener: () => void): () => void {
  if (typeof window === "undefined" || typeof window.matchMedia !== "function") return () => undefined;
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener("change", listener);
  return () => query.removeEventListener("change", listener);
}

const systemPrefersDark = () =>
  typeof window !== "undefined" && typeof window.matchMedia === "function" && window.matchMedia(DARK_QUERY).matches;

/** The person's choice, live. */
export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(subscribeToChoice, currentTheme, () => "system");
}

/** What the page shows, live: the choice, or the device's setting under "system" (for script that draws, e.g. GraphiQL's editor). */
export function useResolvedTheme(): ResolvedTheme {
  const choice = useThemeChoice();
  const prefersDark = useSyncExternalStore(subscribeToSystem, systemPrefersDark, () => false);
  return resolveTheme(choice, prefersDark);
}

/** For tests: forget the in-memory choice (the next read comes from storage). */
export function resetThemeForTests(): void {
  current = undefined;
  listeners.clear();
}
