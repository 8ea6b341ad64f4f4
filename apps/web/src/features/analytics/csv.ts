/**
 * Analytics as CSV (RFC 4180: CRLF line ends; fields with a comma, quote or line break quoted),
 * every cell through @atrium/validation's `csvField` (decision 0026): text that a spreadsheet would
 * run as a formula gets a leading `'`; the counts and ratios, computed here, are written as numbers.
 */
import { csvRecord } from "@atrium/validation";

export interface DayRow {
  day: string;
  leads: number;
  messagesIn: number;
  messagesOut: number;
  calls: number;
  bookings: number;
  bookedLeads: number;
  conversion: number;
}

const COLUMNS: readonly (keyof DayRow)[] = [
  "day",
  "leads",
  "messagesIn",
  "messagesOut",
  "calls",
  "bookings",
  "bookedLeads",
  "conversion",
];

const cell = (value: string | number) => (typeof value === "number" ? Math.round(value * 10_000) / 10_000 : value);

export function toCsv(rows: readonly DayRow[]): string {
  return csvRecord(COLUMNS) + rows.map((r) => csvRecord(COLUMNS.map((c) => cell(r[c])))).join("");
}

/** The last `days` UTC days ending today, as YYYY-MM-DD. */
export function lastDays(days: number, today = new Date()): { from: string; to: string } {
  const to = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const from = new Date(to.getTime() - (days - 1) * 86_400_000);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

export function totals(rows: readonly DayRow[]) {
  const sum = (k: keyof Omit<DayRow, "day">) => rows.reduce((n, r) => n + r[k], 0);
  const leads = sum("leads");
  const booked = sum("bookedLeads");
  return {
    leads,
    messagesIn: sum("messagesIn"),
    messagesOut: sum("messagesOut"),
    calls: sum("calls"),
    bookings: sum("bookings"),
    conversion: leads === 0 ? 0 : booked / leads,
  };
}
