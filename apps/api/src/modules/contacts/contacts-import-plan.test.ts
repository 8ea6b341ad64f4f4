// The import plan as a pure function (decision 0030): what each row does, and what it reports.
import "reflect-metadata"; // the enums come from the GraphQL types module

import { describe, expect, it } from "@atrium/test-kit";
import { MAX_TAGS } from "@atrium/validation";

import { normaliseImportRow, planContactImport } from "./contacts-import-plan.ts";
import type { ContactRow } from "./contacts.repository.ts";
import { ContactImportConflictMode as Mode } from "./contacts.types.ts";

const contact = (id: string, values: Partial<ContactRow>): ContactRow => ({
  workspaceId: "w",
  id,
  name: "X",
  email: null,
  phone: null,
  tags: [],
  optedOutAt: null,
  optInAt: null,
  optInText: null,
  lastInboundAt: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...values,
});
const plan = (
  rows: Parameters<typeof normaliseImportRow>[0][],
  stored: ContactRow[],
  mode = Mode.KEEP_EXISTING,
  canUpdate = () => true,
) => planContactImport(rows.map(normaliseImportRow), stored, mode, canUpdate);

describe("planContactImport", () => {
  it("fills empty fields without a conflict, in every mode; skip mode skips only rows that conflict", () => {
    const stored = [contact("1", { name: "Ada", email: "ada@example.com" })];
    for (const mode of [Mode.KEEP_EXISTING, Mode.OVERWRITE, Mode.SKIP]) {
      const p = plan([{ email: "ada@example.com", phone: "+44 20 7946 0958" }], stored, mode);
      expect(p.rows[0]).toMatchObject({
        action: "UPDATED",
        phone: "+442079460958",
        changes: [{ field: "phone", kind: "ADDED", stored: null, incoming: "+442079460958" }],
      });
      expect(p.ops).toHaveLength(1);
    }
  });

  it("tags beyond the cap are listed as not imported, never cut silently", () => {
    const full = Array.from({ length: MAX_TAGS - 1 }, (_, i) => `t${i}`);
    const p = plan(
      [{ email: "ada@example.com", tags: "new1, new2, new3" }],
      [contact("1", { name: "Ada", email: "ada@example.com", tags: full })],
    );
    expect(p.rows[0]!.changes).toEqual([
      { field: "tags", kind: "ADDED", stored: full.join(", "), incoming: "new1" },
      { field: "tags", kind: "IGNORED", stored: full.join(", "), incoming: "new2, new3" },
    ]);
  });

  it("refuses with the column and reason: no key, bad values, a name too long, keys of two contacts, a contact it may not change", () => {
    const stored = [contact("1", { email: "a@example.com" }), contact("2", { phone: "+15550100001" })];
    const p = plan(
      [
        { name: "No key" },
        { name: "P", phone: "123" },
        { name: "T", email: "t@example.com", tags: "<b>" },
        { name: "x".repeat(201), email: "long@example.com" },
        { name: "Both", email: "a@example.com", phone: "+15550100001" },
      ],
      stored,
    );
    expect(p.rows.map((r) => [r.action, r.field])).toEqual([
      ["ERROR", "email"],
      ["ERROR", "phone"],
      ["ERROR", "tags"],
      ["ERROR", "name"],
      ["ERROR", "phone"],
    ]);
    expect(p.ops).toEqual([]);
    const locked = plan([{ name: "A", email: "a@example.com" }], stored, Mode.OVERWRITE, () => false);
    expect(locked.rows[0]).toMatchObject({ action: "ERROR", field: "email" });
  });

  it("the plan id follows the outcome: the same inputs give the same id, another stored value another", () => {
    const rows = [{ name: "Ada L.", email: "ada@example.com" }];
    const a = plan(rows, [contact("1", { name: "Ada", email: "ada@example.com" })]);
    expect(plan(rows, [contact("1", { name: "Ada", email: "ada@example.com" })]).planId).toBe(a.planId);
    expect(plan(rows, [contact("1", { name: "Ada King", email: "ada@example.com" })]).planId).not.toBe(a.planId);
    expect(plan(rows, [contact("1", { name: "Ada", email: "ada@example.com" })], Mode.OVERWRITE).planId).not.toBe(
      a.planId,
    );
  });
});
