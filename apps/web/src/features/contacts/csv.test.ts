import { describe, expect, it } from "@atrium/test-kit";
import { batches, contactsToCsv, parseContactsCsv } from "./csv.ts";

describe("contacts CSV", () => {
  it("matches columns by loose header names and keeps quoted commas and newlines", () => {
    const parsed = parseContactsCsv('\uFEFFFull Name,E-mail,Mobile,Labels\n"Lovelace, Ada",ada@example.com,+44 20 7946 0958,"vip, london"\n"Two\nLines",,+15550001111,\n\n');
    expect(parsed.columns).toEqual({ name: "Full Name", email: "E-mail", phone: "Mobile", tags: "Labels" });
    expect(parsed.rows).toEqual([
      { name: "Lovelace, Ada", email: "ada@example.com", phone: "+44 20 7946 0958", tags: "vip, london" },
      { name: "Two\nLines", email: null, phone: "+15550001111", tags: null },
    ]);
    expect(parsed.problems).toEqual([]);
  });

  it("says so when neither an e-mail nor a phone column exists", () => {
    expect(parseContactsCsv("name,city\nAda,London\n").problems[0]).toMatch(/No e-mail or phone column/);
  });

  it("semicolon-separated files work too (delimiter detected)", () => {
    expect(parseContactsCsv("name;email\nAda;ada@example.com\n").rows).toEqual([{ name: "Ada", email: "ada@example.com", phone: null, tags: null }]);
  });

  it("exports what it imports", () => {
    const csv = contactsToCsv([{ name: 'Ada "The Countess"', email: "ada@example.com", phone: null, tags: ["vip", "london"] }]);
    expect(parseContactsCsv(csv).rows).toEqual([{ name: 'Ada "The Countess"', email: "ada@example.com", phone: null, tags: "vip, london" }]);
  });

  it("batches", () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
