/**
 * CSV into the contacts page (papaparse: quoting, embedded newlines, BOM, delimiters detected).
 * Columns are matched by header name, loosely: "Name"/"Full name", "E-mail"/"Email",
 * "Phone"/"Mobile"/"Telephone", "Tags"/"Labels". Every cell is read as text, never as a number
 * or a formula: `=1+1` is a name like any other, shown and stored as it is. The export's
 * formula guard (a `'` before a cell that begins with = + - @ tab or CR, decision 0026) is taken
 * off again, so an exported file imports back unchanged. The export itself is the API's
 * (`export.ts`).
 */
import Papa from "papaparse";

import { restoreFormulaText } from "@atrium/validation";

export interface CsvContactRow {
  name: string | null;
  email: string | null;
  phone: string | null;
  tags: string | null;
}

const COLUMN_ALIASES: Record<keyof CsvContactRow, readonly string[]> = {
  name: ["name", "full name", "fullname", "contact", "contact name"],
  email: ["email", "e-mail", "email address", "e-mail address", "mail"],
  phone: ["phone", "phone number", "mobile", "telephone", "tel", "whatsapp"],
  tags: ["tags", "tag", "labels", "label", "groups"],
};

const norm = (header: string) => header.trim().toLowerCase().replace(/[_]+/g, " ");

/** What is wrong with a file, for the import dialog to word (contacts namespace, `import.*`). */
export type CsvProblem =
  | { readonly kind: "noContactColumn" }
  | { readonly kind: "parse"; readonly row: number; readonly message: string };

export interface ParsedCsv {
  rows: CsvContactRow[];
  /** Which CSV header feeds each field (null when none matched). */
  columns: Record<keyof CsvContactRow, string | null>;
  problems: CsvProblem[];
}

export function parseContactsCsv(text: string): ParsedCsv {
  const result = Papa.parse<Record<string, string>>(text, {
    header: true,
    skipEmptyLines: "greedy",
    transformHeader: (h) => h.trim(),
  });
  const headers = result.meta.fields ?? [];
  const columns = Object.fromEntries(
    (Object.keys(COLUMN_ALIASES) as (keyof CsvContactRow)[]).map((field) => [
      field,
      headers.find((h) => COLUMN_ALIASES[field].includes(norm(h))) ?? null,
    ]),
  ) as Record<keyof CsvContactRow, string | null>;
  // papaparse's own message (English) is shown as it comes, after the translated row number.
  const problems: CsvProblem[] = result.errors
    .slice(0, 5)
    .map((e) => ({ kind: "parse", row: (e.row ?? 0) + 2, message: e.message }));
  if (columns.email === null && columns.phone === null) problems.unshift({ kind: "noContactColumn" });
  const cell = (record: Record<string, string>, header: string | null) => {
    if (header === null) return null;
    // Trimmed, then the guard taken off ('\t=1+1 → \t=1+1), then trimmed again, as the cell was before export.
    const v = record[header] === undefined ? "" : restoreFormulaText(record[header].trim()).trim();
    return v === "" ? null : v;
  };
  const rows = result.data.map((record) => ({
    name: cell(record, columns.name),
    email: cell(record, columns.email),
    phone: cell(record, columns.phone),
    tags: cell(record, columns.tags),
  }));
  return { rows, columns, problems };
}

/** How many records a CSV file holds after its header row (quoted line breaks are one record). */
export function countCsvRecords(text: string): number {
  return Math.max(0, Papa.parse(text, { skipEmptyLines: "greedy" }).data.length - 1);
}
