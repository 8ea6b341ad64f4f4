/**
 * The analytics page's numbers and days as the page's language writes them (issue 48): a ratio as
 * a percentage ("66.7%" / "66,7 %"), a UTC day ("Mar 5" / "5 mar" on the charts' axis, with its
 * year in the table). The days are UTC days, so they are formatted in UTC, never shifted by the
 * browser's time zone.
 */
import { currentLocale, formatNumber } from "../../platform/format.ts";

/** A ratio (0…1) as a percentage with at most one decimal. */
export function percent(ratio: number, locale?: string): string {
  return formatNumber(Math.round(ratio * 1000) / 1000, { style: "percent", maximumFractionDigits: 1 }, locale);
}

/** A UTC day (YYYY-MM-DD): short (day and month) for the charts, medium (with the year) for the table; anything else as received. */
export function dayLabel(day: string, style: "short" | "medium" = "short", locale?: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(date.getTime())) return day;
  const options: Intl.DateTimeFormatOptions =
    style === "short" ? { day: "numeric", month: "short", timeZone: "UTC" } : { dateStyle: "medium", timeZone: "UTC" };
  return new Intl.DateTimeFormat(currentLocale(locale), options).format(date);
}
