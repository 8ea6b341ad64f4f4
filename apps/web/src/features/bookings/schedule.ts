/** Booking labels and the reschedule form's rules (SPEC R4). */
import i18next from "i18next";

import { type BookingStatus } from "../../gql/graphql.ts";

/** The translation key (namespace "bookings") of each status's label. */
export const BOOKING_STATUS_LABELS = {
  ACCEPTED: "status.accepted",
  PENDING: "status.pending",
  CANCELLED: "status.cancelled",
  REJECTED: "status.rejected",
} as const satisfies Readonly<Record<BookingStatus, string>>;

/** Only a booking Cal.com still holds can be moved or cancelled. */
export function isActive(status: BookingStatus): boolean {
  return status === "ACCEPTED" || status === "PENDING";
}

/**
 * A `datetime-local` value (the user's local time) as the ISO instant the API takes, or why it
 * cannot be one (in the current language): empty, unreadable, or not in the future.
 */
export function rescheduleStart(value: string, now: Date = new Date()): { start: string } | { problem: string } {
  if (value.trim() === "") return { problem: i18next.t("schedule.empty", { ns: "bookings" }) };
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return { problem: i18next.t("schedule.unreadable", { ns: "bookings" }) };
  if (date.getTime() <= now.getTime()) return { problem: i18next.t("schedule.past", { ns: "bookings" }) };
  return { start: date.toISOString() };
}

/** The `datetime-local` value of an ISO instant, in the browser's time zone (the form's default). */
export function toLocalInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
