/**
 * @jest-environment jsdom
 */
// The contacts import's conflict choice (issue 56, item 9; decision 0030): the dialog asks how a
// row that matches a contact with other values is treated, previews with that choice, shows per
// row which fields a merge adds, replaces or leaves unused (a duplicate inside the file named as
// such), re-previews when the choice changes, and imports exactly the plan it showed (the
// preview's planId goes with the import).
import { act } from "react";

import { describe, expect, it } from "@atrium/test-kit";

import { click, input, renderWithApi, until } from "../../platform/testing/dom.tsx";
import { ImportDialog } from "./import-dialog.tsx";
import { ImportContactsDocument } from "./operations.ts";

async function choose(text: string): Promise<void> {
  const control = input("CSV file");
  const file = Object.assign(new File([text], "contacts.csv", { type: "text/csv" }), {
    text: () => Promise.resolve(text),
  });
  Object.defineProperty(control, "files", { value: [file], configurable: true });
  // eslint-disable-next-line @typescript-eslint/require-await -- the async act lets the change handler's promises run
  await act(async () => {
    control.dispatchEvent(new Event("change", { bubbles: true }));
  });
}

const rows = [
  { name: "Bea First", email: "bea@example.com", phone: "+1 555 010 0001", tags: null },
  { name: "Bea Second", email: "bea.other@example.com", phone: "+1 (555) 010-0001", tags: null },
  { name: "Ada L.", email: "ADA@example.com", phone: null, tags: "imported" },
];
type Kind = "ADDED" | "REPLACED" | "IGNORED";
const change = (field: string, kind: Kind, stored: string | null, incoming: string | null) => ({
  __typename: "ContactImportFieldChange" as const,
  field,
  kind,
  stored,
  incoming,
});
const row = (
  index: number,
  action: string,
  values: { name: string; email: string; phone: string | null; tags: string[] },
  extra: { matchedBy?: string; duplicateOfRow?: number; changes?: ReturnType<typeof change>[] } = {},
) => ({
  __typename: "ContactImportRowResult" as const,
  row: index,
  action,
  ...values,
  error: null,
  field: null,
  matchedBy: extra.matchedBy ?? null,
  duplicateOfRow: extra.duplicateOfRow ?? null,
  changes: extra.changes ?? [],
});
const bea = { name: "Bea First", email: "bea@example.com", phone: "+15550100001", tags: [] };
function plan(mode: "KEEP_EXISTING" | "OVERWRITE", dryRun: boolean) {
  const keep = mode === "KEEP_EXISTING";
  return {
    __typename: "ContactImportResult" as const,
    dryRun,
    onConflict: mode,
    planId: `plan-${mode}`,
    created: 1,
    updated: 2,
    skipped: 0,
    failed: 0,
    rows: [
      row(0, "CREATED", bea),
      row(1, "UPDATED", keep ? bea : { ...bea, name: "Bea Second", email: "bea.other@example.com" }, {
        matchedBy: "phone",
        duplicateOfRow: 0,
        changes: [
          change("name", keep ? "IGNORED" : "REPLACED", "Bea First", "Bea Second"),
          change("email", keep ? "IGNORED" : "REPLACED", "bea@example.com", "bea.other@example.com"),
        ],
      }),
      row(
        2,
        "UPDATED",
        { name: keep ? "Ada Lovelace" : "Ada L.", email: "ada@example.com", phone: null, tags: ["vip", "imported"] },
        {
          matchedBy: "email",
          changes: [
            change("name", keep ? "IGNORED" : "REPLACED", "Ada Lovelace", "Ada L."),
            change("tags", "ADDED", "vip", "imported"),
          ],
        },
      ),
    ],
  };
}

/** The "Changes" cell of the preview's row for the file's line `line`, one entry per change. */
function changesOfLine(line: number): string[] {
  const tr = [...document.querySelectorAll("table tbody tr")].find(
    (r) => r.querySelector("td, th")?.textContent === String(line),
  );
  if (!tr) throw new Error(`no row for line ${line}`);
  return [...tr.querySelectorAll("[data-testid='row-changes'] li")].map((li) => li.textContent ?? "");
}
const summary = () => document.querySelector('[data-testid="import-summary"]')?.textContent;
const radio = (mode: string) =>
  document.querySelector<HTMLInputElement>(`input[type="radio"][name="on-conflict"][value="${mode}"]`);

describe("contacts import: conflicts", () => {
  it("asks how conflicts are resolved, shows each row's changes, re-previews on a new choice and imports that plan", async () => {
    await renderWithApi(<ImportDialog workspaceId="w1" onClose={() => undefined} />, [
      {
        request: {
          query: ImportContactsDocument,
          variables: { workspaceId: "w1", input: { rows, dryRun: true, onConflict: "KEEP_EXISTING" } },
        },
        result: { data: { importContacts: plan("KEEP_EXISTING", true) } },
      },
      {
        request: {
          query: ImportContactsDocument,
          variables: { workspaceId: "w1", input: { rows, dryRun: true, onConflict: "OVERWRITE" } },
        },
        result: { data: { importContacts: plan("OVERWRITE", true) } },
      },
      {
        request: {
          query: ImportContactsDocument,
          variables: {
            workspaceId: "w1",
            input: { rows, dryRun: false, onConflict: "OVERWRITE", expectedPlanId: "plan-OVERWRITE" },
          },
        },
        result: { data: { importContacts: plan("OVERWRITE", false) } },
      },
    ]);
    // The choice is there before the file, "keep existing" by default; skipping is offered.
    expect(radio("KEEP_EXISTING")?.checked).toBe(true);
    expect(radio("OVERWRITE")?.checked).toBe(false);
    expect(radio("SKIP")).not.toBeNull();

    await choose(
      `name,email,phone,tags\r\nBea First,bea@example.com,+1 555 010 0001,\r\nBea Second,bea.other@example.com,+1 (555) 010-0001,\r\nAda L.,ADA@example.com,,imported\r\n`,
    );
    await until(() => summary() !== undefined);
    expect(summary()).toBe("1 will be created, 2 will be merged into existing contacts, 0 with errors.");
    // Line 3 (the file's second contact) is a duplicate of line 2: nothing of the stored contact is lost.
    expect(changesOfLine(3)).toEqual([
      "Same contact as line 2 (matched by phone)",
      "Name: keeps “Bea First”, not “Bea Second”",
      "E-mail: keeps “bea@example.com”, not “bea.other@example.com”",
    ]);
    expect(changesOfLine(4)).toEqual([
      "Matched by e-mail",
      "Name: keeps “Ada Lovelace”, not “Ada L.”",
      "Tags: adds “imported”",
    ]);
    expect(changesOfLine(2)).toEqual([]);

    // Overwrite: a new preview, which says what is replaced.
    await click(radio("OVERWRITE")!);
    await until(
      () => document.querySelector("[data-testid='import-losses']")?.textContent?.includes("replace") === true,
    );
    expect(radio("OVERWRITE")?.checked).toBe(true);
    expect(changesOfLine(3)).toEqual([
      "Same contact as line 2 (matched by phone)",
      "Name: “Bea First” replaced by “Bea Second”",
      "E-mail: “bea@example.com” replaced by “bea.other@example.com”",
    ]);
    expect(changesOfLine(4)).toEqual([
      "Matched by e-mail",
      "Name: “Ada Lovelace” replaced by “Ada L.”",
      "Tags: adds “imported”",
    ]);
    expect(document.querySelector("[data-testid='import-losses']")?.textContent).toContain(
      "2 rows replace stored values",
    );

    // The import sends the plan it previewed; it answers what it did.
    const importButton = [...document.querySelectorAll("button")].find((b) => b.textContent === "Import 3 rows");
    expect(importButton).toBeDefined();
    await click(importButton!);
    await until(() => document.querySelector('[role="status"]')?.textContent === "Import finished.");
    expect(summary()).toBe("1 were created, 2 were merged into existing contacts, 0 with errors.");
  });
});
