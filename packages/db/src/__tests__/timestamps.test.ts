import pg from "pg";

import { describe, expect, it } from "@atrium/test-kit";

import { parseTimestamptz, withFastTimestamps } from "../timestamps.ts";

const pgParse = pg.types.getTypeParser(1184, "text") as (text: string) => unknown;
const time = (v: unknown) => (v instanceof Date ? v.getTime() : v);

describe("parseTimestamptz", () => {
  it("reads a UTC session's timestamptz text to the millisecond, with 0 to 6 fraction digits", () => {
    // mulberry32: 32-bit integer arithmetic throughout, every residue reachable.
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const months = new Set<number>();
    const hours = new Set<number>();
    for (let k = 0; k < 5_000; k++) {
      const ms = Date.UTC(100 + rand(9900), rand(12), 1 + rand(28), rand(24), rand(60), rand(60));
      const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
      const digits = String(rand(1_000_000)).padStart(6, "0").slice(0, rand(7));
      const text = `${iso.slice(0, 10)} ${iso.slice(11, 19)}${digits ? `.${digits}` : ""}+00`;
      const expected = ms + Number(digits.slice(0, 3).padEnd(3, "0"));
      months.add(new Date(ms).getUTCMonth());
      hours.add(new Date(ms).getUTCHours());
      expect(time(parseTimestamptz(text)), text).toBe(expected);
      // pg's own parser agrees, but for its float rounding (at most 1 ms low).
      const theirs = time(pgParse(text)) as number;
      expect(expected - theirs, text).toBeGreaterThanOrEqual(0);
      expect(expected - theirs, text).toBeLessThanOrEqual(1);
    }
    expect(months.size, "every month drawn").toBe(12);
    expect(hours.size, "every hour drawn").toBe(24);
    expect(time(parseTimestamptz("2026-11-24 15:20:16.289+00"))).toBe(Date.UTC(2026, 10, 24, 15, 20, 16, 289));
  });

  it("hands everything else to pg's parser unchanged", () => {
    for (const text of [
      "2026-11-24 15:20:16.123456+05:30",
      "2026-11-24 15:20:16-03",
      "0050-01-02 03:04:05+00",
      "0001-01-01 00:00:00+00 BC",
      "10000-01-01 00:00:00+00",
      "infinity",
      "-infinity",
      "2026-11-24T15:20:16+00",
      "2026-1x-24 15:20:16+00",
      "2026-11-24 15:20:16,5+00",
    ]) {
      expect(time(parseTimestamptz(text)), text).toEqual(time(pgParse(text)));
    }
  });

  it("is used for timestamptz text only", () => {
    const types = withFastTimestamps(pg.types);
    expect(types.getTypeParser(1184, "text")).toBe(parseTimestamptz);
    expect(types.getTypeParser(1184)).toBe(parseTimestamptz);
    expect(types.getTypeParser(1114, "text")).toBe(pg.types.getTypeParser(1114, "text"));
    expect(types.getTypeParser(25, "text")).toBe(pg.types.getTypeParser(25, "text"));
  });
});
