/**
 * The web app's languages (issue 48, decision 0045): English and Spanish, with i18next and
 * react-i18next. One namespace per feature folder (features/<name> → "<name>"; platform/ and
 * routes/ → "common"), texts in ./locales/<language>/<namespace>.json.
 *
 * English is the fallback of every key. The namespaces the first page needs (./en-initial.ts:
 * common, auth, sso, step-up, dev-mailbox) are bundled with the entry; the others (./en.ts) are a
 * chunk of their own, loaded with the first lazily loaded page or component (`loadTexts`, which
 * router.tsx and layout.tsx await beside the page's code). Spanish (./es.ts, every namespace) is
 * one more chunk, loaded only when the page is in Spanish — before the first render (main.tsx
 * awaits `initI18n()`), so a Spanish page never flashes English. Both keep the JavaScript before
 * the sign-in form within its budget (scripts/check-budget.mjs).
 *
 * Which language: the signed-in user's `locale` (`me.preferences.locale`, saved by
 * `updatePreferences`; applied by session.tsx when `me` loads), else the choice remembered on
 * this device (localStorage, for the signed-out pages), else the browser's language (`es*` →
 * Spanish, anything else English). `<html lang>` follows.
 */
import i18n from "i18next";
import { initReactI18next } from "react-i18next";

import { enInitial } from "./en-initial.ts";

export const LANGUAGES = ["en", "es"] as const;
export type Language = (typeof LANGUAGES)[number];
/** The namespaces bundled with the entry (the others load with `loadTexts`). */
export const INITIAL_NAMESPACES = Object.keys(enInitial);
/** The localStorage key of the language chosen on this device (absent: the browser's). */
export const LANGUAGE_STORAGE_KEY = "atrium.language";

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** The language a browser asks for (`navigator.languages`): the first English or Spanish one; English otherwise. */
export function browserLanguage(
  languages: readonly string[] | undefined = typeof navigator === "undefined" ? undefined : navigator.languages,
): Language {
  for (const tag of languages ?? []) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLanguage(base)) return base;
  }
  return "en";
}

function safeLocalStorage(): Storage | undefined {
  try {
    return typeof window === "undefined" ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}

/** The language chosen on this device, if any. */
export function storedLanguage(storage: Pick<Storage, "getItem"> | undefined = safeLocalStorage()): Language | null {
  try {
    const value = storage?.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

function storeLanguage(
  choice: Language | null,
  storage: Pick<Storage, "setItem" | "removeItem"> | undefined = safeLocalStorage(),
): void {
  try {
    if (choice === null) storage?.removeItem(LANGUAGE_STORAGE_KEY);
    else storage?.setItem(LANGUAGE_STORAGE_KEY, choice);
  } catch {
    // Storage refused (private mode, quota): the page still switches; it just is not remembered.
  }
}

/** The language to show: the account's choice, else this device's, else the browser's. */
export function resolveLanguage(
  account: string | null | undefined,
  stored: Language | null = storedLanguage(),
  browser: Language = browserLanguage(),
): Language {
  if (isLanguage(account)) return account;
  return stored ?? browser;
}

let english: Promise<void> | undefined;
const spanish = new Map<Language, Promise<void>>();

/** Every English namespace (the ones not bundled with the entry): once, however often asked. */
function loadEnglish(): Promise<void> {
  english ??= import("./en.ts").then(({ en }) => {
    for (const [ns, texts] of Object.entries(en))
      if (!i18n.hasResourceBundle("en", ns)) i18n.addResourceBundle("en", ns, texts, true, true);
  });
  return english;
}

/** Adds a language's texts to i18next when they are not bundled (Spanish: its own chunk). */
export async function loadLanguage(lang: Language): Promise<void> {
  if (lang === "en") return;
  let loading = spanish.get(lang);
  if (loading === undefined) {
    loading = import("./es.ts").then(({ es }) => {
      for (const [ns, texts] of Object.entries(es)) i18n.addResourceBundle(lang, ns, texts, true, true);
    });
    spanish.set(lang, loading);
  }
  await loading;
}

/**
 * Every text a page may need in the current language: English's remaining namespaces (the
 * fallback) and, on a Spanish page, Spanish. Lazy pages and components await it beside their code.
 */
export async function loadTexts(): Promise<void> {
  await Promise.all([loadEnglish(), isLanguage(i18n.language) ? loadLanguage(i18n.language) : undefined]);
}

/** Shows the page in `lang`: its texts loaded first, then i18next and `<html lang>` switch together. */
async function show(lang: Language): Promise<void> {
  await loadLanguage(lang);
  if (i18n.language !== lang) await i18n.changeLanguage(lang);
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}

// The person's choice, for the picker (null: "Browser default"): started from this device's.
let choice: Language | null | undefined;
const listeners = new Set<() => void>();

/** The current choice (null: follow the browser). */
export function languageChoice(): Language | null {
  if (choice === undefined) choice = storedLanguage();
  return choice;
}

/** For useSyncExternalStore: called whenever the choice changes. */
export function subscribeToLanguageChoice(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The person's choice (the language picker; the account's `locale` when `me` loads): remembered
 * on this device and shown at once. `null` is "Browser default".
 */
export async function setLanguage(next: Language | null): Promise<void> {
  storeLanguage(next);
  if (next !== languageChoice()) {
    choice = next;
    for (const listener of listeners) listener();
  }
  await show(next ?? browserLanguage());
}

/** Applies the signed-in user's stored `locale` (session.tsx, whenever `me` arrives or changes); an unknown value counts as none. */
export function applyAccountLanguage(locale: string | null | undefined): void {
  if (locale === undefined) return; // `me` not loaded
  void setLanguage(isLanguage(locale) ? locale : null);
}

/**
 * Starts i18next in the language this device should show (before the first render: main.tsx
 * awaits it). Idempotent.
 */
export async function initI18n(): Promise<typeof i18n> {
  const lang = resolveLanguage(undefined);
  if (!i18n.isInitialized) {
    await i18n.use(initReactI18next).init({
      resources: { en: enInitial },
      // Namespaces added later (loadTexts) are not missing: they are on their way.
      partialBundledLanguages: true,
      lng: "en",
      fallbackLng: "en",
      supportedLngs: [...LANGUAGES],
      ns: INITIAL_NAMESPACES,
      defaultNS: "common",
      interpolation: { escapeValue: false }, // React escapes
      returnNull: false,
      // A namespace added after a component rendered re-renders it ("added").
      react: { useSuspense: false, bindI18nStore: "added" },
    });
  }
  await show(lang);
  return i18n;
}

export { i18n };
