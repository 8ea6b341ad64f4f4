/** Dates as the user's locale writes them; an unparseable value is shown as received. */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatTime(iso: string | null | undefined, empty = "—"): string {
  if (iso == null || iso === "") return empty;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
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
export function formatRelative(iso: string | null | undefined, now: Date = new Date(), locale?: string): string {
  if (iso == null || iso === "") return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const ago = now.getTime() - date.getTime();
  // A clock a little ahead of ours is still "now".
  if (ago < MINUTE) return "now";
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min`;
  if (ago < 12 * HOUR) return `${Math.floor(ago / HOUR)} h`;
  const days = Math.round((startOfDay(now) - startOfDay(date)) / (24 * HOUR));
  if (days === 0) return new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit" }).format(date);
  if (days === 1) return "Yesterday";
  if (days < 7) return new Intl.DateTimeFormat(locale, { weekday: "short" }).format(date);
  if (date.getFullYear() === now.getFullYear()) return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short" }).format(date);
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric" }).format(date);
}

/**
 * A moment in a running record (a transcript): the time alone today, with the date before
 * ("27 Nov, 09:35") within the year, and the year too before. The exact time is `formatTime`.
 */
export function formatMoment(iso: string | null | undefined, now: Date = new Date(), locale?: string): string {
  if (iso == null || iso === "") return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const time = { hour: "numeric", minute: "2-digit" } as const;
  if (startOfDay(date) === startOfDay(now)) return new Intl.DateTimeFormat(locale, time).format(date);
  if (date.getFullYear() === now.getFullYear()) return new Intl.DateTimeFormat(locale, { ...time, day: "numeric", month: "short" }).format(date);
  return new Intl.DateTimeFormat(locale, { ...time, day: "numeric", month: "short", year: "numeric" }).format(date);
}
