/**
 * A user's own preferences (issue 48): the colour theme and the interface language, stored on the
 * user (users.theme, users.locale) and shared by the API's `updatePreferences` and the web app.
 */
import * as z from "zod/mini";

/** "system" follows the device (prefers-color-scheme); "light" and "dark" are explicit choices. */
export const THEME_CHOICES = ["system", "light", "dark"] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

/** The interface languages the web app ships (English and Spanish). */
export const SUPPORTED_LOCALES = ["en", "es"] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

export const PREFERENCE_MESSAGES = {
  theme: "Choose system, light or dark.",
  locale: `Choose one of the supported languages (${SUPPORTED_LOCALES.join(", ")}).`,
} as const;

export const themeChoice = z.enum(THEME_CHOICES, { error: PREFERENCE_MESSAGES.theme });

/** A language choice; null (in the input) means "follow the browser". */
export const localeChoice = z.enum(SUPPORTED_LOCALES, { error: PREFERENCE_MESSAGES.locale });

export function isThemeChoice(value: unknown): value is ThemeChoice {
  return typeof value === "string" && (THEME_CHOICES as readonly string[]).includes(value);
}
