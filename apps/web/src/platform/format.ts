/** Dates as the user's locale writes them; an unparseable value is shown as received. */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatTime(iso: string | null | undefined, empty = "—"): string {
  if (iso == null || iso === "") return empty;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}
