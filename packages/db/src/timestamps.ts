// A faster text parser for timestamptz values as a UTC session prints them,
// "2026-11-24 15:20:16.123456+00". pg's own parser (postgres-date) runs three regular expressions
// and parseInt per value; the key read parses 200 of them per request. Anything else — another zone
// offset, a year before 100 or after 9999, BC, infinity — goes to pg's parser unchanged.
// Milliseconds are the first three fraction digits (truncated, as postgres-date means to; it
// computes them through a float and can land 1 ms low).
import pg from "pg";

const TIMESTAMPTZ = 1184;
const pgParse = pg.types.getTypeParser(TIMESTAMPTZ, "text") as (text: string) => unknown;

/** The digit at `i` of `s`, or -1 when it is not one. */
function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

export function parseTimestamptz(s: string): unknown {
  const n = s.length;
  // "YYYY-MM-DD HH:MM:SS" (19) [".f" … ".ffffff"] "+00"
  if (
    n < 22 ||
    n === 23 ||
    n > 29 ||
    s.charCodeAt(n - 3) !== 43 ||
    s.charCodeAt(n - 2) !== 48 ||
    s.charCodeAt(n - 1) !== 48
  )
    return pgParse(s);
  if (
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 32 ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58
  )
    return pgParse(s);
  const y0 = digit(s, 0),
    y1 = digit(s, 1),
    y2 = digit(s, 2),
    y3 = digit(s, 3);
  const mo0 = digit(s, 5),
    mo1 = digit(s, 6),
    d0 = digit(s, 8),
    d1 = digit(s, 9);
  const h0 = digit(s, 11),
    h1 = digit(s, 12),
    mi0 = digit(s, 14),
    mi1 = digit(s, 15),
    s0 = digit(s, 17),
    s1 = digit(s, 18);
  if ((y0 | y1 | y2 | y3 | mo0 | mo1 | d0 | d1 | h0 | h1 | mi0 | mi1 | s0 | s1) < 0) return pgParse(s);
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  if (year < 100) return pgParse(s);
  let ms = 0;
  if (n > 22) {
    if (s.charCodeAt(19) !== 46) return pgParse(s);
    // Digits 20 … n-4; the first three are the milliseconds.
    for (let i = 20, scale = 100; i < n - 3; i++, scale /= 10) {
      const f = digit(s, i);
      if (f < 0) return pgParse(s);
      if (scale >= 1) ms += f * scale;
    }
  }
  return new Date(Date.UTC(year, mo0 * 10 + mo1 - 1, d0 * 10 + d1, h0 * 10 + h1, mi0 * 10 + mi1, s0 * 10 + s1, ms));
}

/** pg's type parsers with `parseTimestamptz` for timestamptz text values. */
export function withFastTimestamps(base: { getTypeParser(oid: number, format?: string): unknown }): {
  getTypeParser(oid: number, format?: string): unknown;
} {
  return {
    getTypeParser: (oid, format) =>
      oid === TIMESTAMPTZ && (format ?? "text") === "text" ? parseTimestamptz : base.getTypeParser(oid, format),
  };
}
