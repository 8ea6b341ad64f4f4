/** Booking labels and the reschedule form's rules (SPEC R4). */
import { type BookingStatus } from "../../gql/graphql.ts";

export const BOOKING_STATUS_LABELS: Readonly<Record<BookingStatus, string>> = {
  ACCEPTED: "Confirmed",
  PENDING: "Awaiting confirmation",
  CANCELLED: "Cancelled",
  REJECTED: "Declined",
};

/** Only a booking Cal.com still holds can be moved or cancelled. */
export function isActive(status: BookingStatus): boolean {
  return status === "ACCEPTED" || status === "PENDING";
}

/**
 * A `datetime-local` value (the user's local time) as the ISO instant the API takes, or why it
 * cannot be one: empty, unreadable, or not in the future.
 */
export function rescheduleStart(value: string, now: Date = new Date()): { start: string } | { problem: string } {
  if (value.trim() === "") return { problem: "Choose the new date and time." };
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return { problem: "That is not a date and time." };
  if (date.getTime() <= now.getTime()) return { problem: "Choose a time in the future." };
  return { start: date.toISOString() };
}

/** The `datetime-local` value of an ISO instant, in the browser's time zone (the form's default). */
export function toLocalInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
