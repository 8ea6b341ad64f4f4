/**
 * Dates, times and numbers as the page's language writes them (decision 0045): each function takes
 * an optional locale and defaults to the current i18next language; an unparseable value is shown
 * as received.
 */
import i18n from "i18next";

/** The locale to format in: the one given, else the page's language (i18next), else the browser's. */
export function currentLocale(locale?: string): string | undefined {
  return locale ?? (i18n.language || undefined);
}

/** The words of the compact times below, in the locale's language (namespace "common"). */
function word(key: "format.now" | "format.yesterday", locale: string | undefined): string;
function word(key: "format.minutes" | "format.hours", locale: string | undefined, count: number): string;
function word(
  key: "format.now" | "format.yesterday" | "format.minutes" | "format.hours",
  locale: string | undefined,
  count?: number,
): string {
  const lng = locale?.split("-")[0];
  return i18n.t(key, {
    ns: "common",
    ...(lng === undefined ? {} : { lng }),
    ...(count === undefined ? {} : { count }),
  });
}

export function formatTime(iso: string | null | undefined, empty = "—", locale?: string): string {
  if (iso == null || iso === "") return empty;
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : new Intl.DateTimeFormat(currentLocale(locale), { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** A number as the page's language writes it (grouping, decimals): 12,345 / 12.345. */
export function formatNumber(value: number, options?: Intl.NumberFormatOptions, locale?: string): string {
  return new Intl.NumberFormat(currentLocale(locale), options).format(value);
}

/** How far the API counts a list (issue 52): past this, `totalCount` is 1,001 and `totalCountExact` false. */
export const TOTAL_COUNT_CAP = 1000;

/**
 * A list's total as the page shows it: the number ("1,234" / "1.234"), or past the API's cap
 * "1,000+" ("más de 1.000"). Pluralise with `totalCount` itself (1,001 when capped: the plural form).
 */
export function formatTotal(
  list: { readonly totalCount: number; readonly totalCountExact: boolean },
  locale?: string,
): string {
  if (list.totalCountExact) return formatNumber(list.totalCount, undefined, locale);
  const lng = currentLocale(locale)?.split("-")[0];
  return i18n.t("format.atLeast", {
    ns: "common",
    number: formatNumber(TOTAL_COUNT_CAP, undefined, locale),
    ...(lng === undefined ? {} : { lng }),
  });
}

/** A calendar date without its time ("27 Nov 2026" / "27 nov 2026"). */
export function formatDate(iso: string | null | undefined, empty = "—", locale?: string): string {
  if (iso == null || iso === "") return empty;
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : new Intl.DateTimeFormat(currentLocale(locale), { dateStyle: "medium" }).format(date);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/**
 * A compact time for lists (the inbox, notifications): "now", "5 min", "3 h" within the last
 * hours, then "Yesterday", a weekday within the week, a date ("12 Mar") within the year, and a
 * date with its year before. The exact time goes in the element's title (`formatTime`).
 */
export function formatRelative(iso: string | null | undefined, now: Date = new Date(), given?: string): string {
  const locale = currentLocale(given);
  if (iso == null || iso === "") return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const ago = now.getTime() - date.getTime();
  // A clock a little ahead of ours is still "now".
  if (ago < MINUTE) return word("format.now", locale);
  if (ago < HOUR) return word("format.minutes", locale, Math.floor(ago / MINUTE));
  if (ago < 12 * HOUR) return word("format.hours", locale, Math.floor(ago / HOUR));
  const days = Math.round((startOfDay(now) - startOfDay(date)) / (24 * HOUR));
  if (days === 0) return new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit" }).format(date);
  if (days === 1) return word("format.yesterday", locale);
  if (days < 7) return new Intl.DateTimeFormat(locale, { weekday: "short" }).format(date);
  if (date.getFullYear() === now.getFullYear())
    return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short" }).format(date);
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric" }).format(date);
}

/**
 * A moment in a running record (a transcript): the time alone today, with the date before
 * ("27 Nov, 09:35") within the year, and the year too before. The exact time is `formatTime`.
 */
export function formatMoment(iso: string | null | undefined, now: Date = new Date(), given?: string): string {
  const locale = currentLocale(given);
  if (iso == null || iso === "") return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const time = { hour: "numeric", minute: "2-digit" } as const;
  if (startOfDay(date) === startOfDay(now)) return new Intl.DateTimeFormat(locale, time).format(date);
  if (date.getFullYear() === now.getFullYear())
    return new Intl.DateTimeFormat(locale, { ...time, day: "numeric", month: "short" }).format(date);
  return new Intl.DateTimeFormat(locale, { ...time, day: "numeric", month: "short", year: "numeric" }).format(date);
}
