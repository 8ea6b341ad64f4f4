// The contacts import plan (issue 56, item 9; decision 0030): the preview (dryRun) and the import
// are one computation over the whole file, so their counts and rows agree exactly — duplicates
// inside the file included (two rows with one phone, after the import's own normalisation) — in
// every conflict mode; "keep existing" loses no stored value; every value a merge would drop or
// replace is listed in the preview; bad rows are listed (index and reason) and never stored.
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import {
  codeOf,
  createWorkspace,
  ownerSql,
  raceOnLock,
  startTestApi,
  type TestApi,
  type TestUser,
} from "../../test/harness.ts";
import { newKey } from "../../test/providers.ts";

const CREATE = `mutation($w: ID!, $i: ContactInput!) { createContact(workspaceId: $w, input: $i) { id } }`;
const IMPORT = `mutation($w: ID!, $i: ImportContactsInput!) { importContacts(workspaceId: $w, input: $i) {
  dryRun onConflict planId created updated skipped failed
  rows { row action name email phone tags error field matchedBy duplicateOfRow changes { field kind stored incoming } }
} }`;

type Mode = "KEEP_EXISTING" | "OVERWRITE" | "SKIP";
interface Change {
  field: string;
  kind: string;
  stored: string | null;
  incoming: string | null;
}
interface Row {
  row: number;
  action: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  tags: string[];
  error: string | null;
  field: string | null;
  matchedBy: string | null;
  duplicateOfRow: number | null;
  changes: Change[];
}
interface Result {
  dryRun: boolean;
  onConflict: Mode;
  planId: string;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  rows: Row[];
}

describe("contacts import: one plan for the preview and the import", () => {
  let api: TestApi;
  let owner: TestUser;

  beforeAll(async () => {
    api = await startTestApi({ integrationKeys: [newKey()] });
    owner = await api.user("Importer");
  });
  afterAll(async () => api.close());

  const importRows = async (w: string, input: Record<string, unknown>): Promise<Result> => {
    const r = await api.gql<{ importContacts: Result }>(IMPORT, { w, i: input }, { token: owner.token });
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.importContacts;
  };
  const contactsOf = (w: string) =>
    ownerSql<{ name: string; email: string | null; phone: string | null; tags: string[] }>(
      api,
      `SELECT name, email, phone, tags FROM contacts WHERE workspace_id = $1 ORDER BY name`,
      [w],
    );

  // Two rows share a phone (written differently) with different e-mails; one row matches an
  // existing contact by e-mail (in other case) with another name; two bad rows; 1,000 new rows.
  const file = [
    { name: "Bea First", email: "bea@example.com", phone: "+1 555 010 0001" },
    { name: "Bea Second", email: "bea.other@example.com", phone: "+1 (555) 010-0001" },
    { name: "Ada L.", email: "ADA@Example.com", tags: "imported" },
    { name: "", email: "nameless@example.com" },
    { name: "Bad Mail", email: "not-an-email" },
    ...Array.from({ length: 1000 }, (_, i) => ({ name: `Person ${i}`, email: `person${i}@example.com` })),
  ];
  const expected: Record<Mode, { created: number; updated: number; skipped: number; failed: number }> = {
    KEEP_EXISTING: { created: 1001, updated: 2, skipped: 0, failed: 2 },
    OVERWRITE: { created: 1001, updated: 2, skipped: 0, failed: 2 },
    SKIP: { created: 1001, updated: 0, skipped: 2, failed: 2 },
  };

  for (const mode of ["KEEP_EXISTING", "OVERWRITE", "SKIP"] as const) {
    it(`${mode}: the preview's counts and rows are exactly the import's`, async () => {
      const ws = await createWorkspace(api, owner, `Import ${mode}`);
      await api.gql(
        CREATE,
        { w: ws.id, i: { name: "Ada Lovelace", email: "ada@example.com", tags: ["vip"] } },
        { token: owner.token },
      );

      const preview = await importRows(ws.id, { rows: file, dryRun: true, onConflict: mode });
      expect(preview).toMatchObject({ dryRun: true, onConflict: mode, ...expected[mode] });
      expect(await contactsOf(ws.id)).toHaveLength(1); // the preview stores nothing

      const real = await importRows(ws.id, { rows: file, onConflict: mode, expectedPlanId: preview.planId });
      expect({ created: real.created, updated: real.updated, skipped: real.skipped, failed: real.failed }).toEqual(
        expected[mode],
      );
      expect({ ...real, dryRun: true }).toEqual(preview);
      expect(await contactsOf(ws.id)).toHaveLength(1 + expected[mode].created);

      // Bad rows: listed with their index, column and reason; nothing of them stored.
      expect(preview.rows.filter((r) => r.action === "ERROR").map((r) => [r.row, r.field, r.error])).toEqual([
        [3, "name", expect.stringMatching(/name/i)],
        [4, "email", expect.stringMatching(/e-mail/i)],
      ]);
      expect(
        await ownerSql(
          api,
          `SELECT 1 FROM contacts WHERE workspace_id = $1 AND (email = 'nameless@example.com' OR name = 'Bad Mail')`,
          [ws.id],
        ),
      ).toEqual([]);

      // The second Bea row is a duplicate of the first inside the file (same phone once normalised).
      const [bea1, bea2, ada] = preview.rows;
      expect(bea1).toMatchObject({ action: "CREATED", phone: "+15550100001", changes: [] });
      expect(bea2).toMatchObject({ matchedBy: "phone", duplicateOfRow: 0 });
      expect(ada).toMatchObject({ matchedBy: "email", duplicateOfRow: null });
      const byPhone = (await contactsOf(ws.id)).find((c) => c.phone === "+15550100001");
      const storedAda = (await contactsOf(ws.id)).find((c) => c.email === "ada@example.com");

      if (mode === "KEEP_EXISTING") {
        // Nothing stored is lost: the earlier contact keeps its name and e-mail; the file's
        // differing values are listed as not used.
        expect(byPhone).toMatchObject({ name: "Bea First", email: "bea@example.com" });
        expect(storedAda).toMatchObject({ name: "Ada Lovelace", tags: ["vip", "imported"] });
        expect(bea2).toMatchObject({ action: "UPDATED", name: "Bea First", email: "bea@example.com" });
        expect(bea2!.changes).toEqual([
          { field: "name", kind: "IGNORED", stored: "Bea First", incoming: "Bea Second" },
          { field: "email", kind: "IGNORED", stored: "bea@example.com", incoming: "bea.other@example.com" },
        ]);
        expect(ada!.changes).toEqual([
          { field: "name", kind: "IGNORED", stored: "Ada Lovelace", incoming: "Ada L." },
          { field: "tags", kind: "ADDED", stored: "vip", incoming: "imported" },
        ]);
      } else if (mode === "OVERWRITE") {
        // The preview names every stored value the import replaces.
        expect(byPhone).toMatchObject({ name: "Bea Second", email: "bea.other@example.com" });
        expect(storedAda).toMatchObject({ name: "Ada L.", tags: ["vip", "imported"] });
        expect(bea2!.changes).toEqual([
          { field: "name", kind: "REPLACED", stored: "Bea First", incoming: "Bea Second" },
          { field: "email", kind: "REPLACED", stored: "bea@example.com", incoming: "bea.other@example.com" },
        ]);
        expect(ada!.changes).toEqual([
          { field: "name", kind: "REPLACED", stored: "Ada Lovelace", incoming: "Ada L." },
          { field: "tags", kind: "ADDED", stored: "vip", incoming: "imported" },
        ]);
      } else {
        // Conflicting rows are skipped whole; what they would have changed is listed.
        expect(byPhone).toMatchObject({ name: "Bea First", email: "bea@example.com" });
        expect(storedAda).toMatchObject({ name: "Ada Lovelace", tags: ["vip"] });
        expect([bea2!.action, ada!.action]).toEqual(["SKIPPED", "SKIPPED"]);
        expect(ada!.changes).toEqual([
          { field: "name", kind: "IGNORED", stored: "Ada Lovelace", incoming: "Ada L." },
          { field: "tags", kind: "IGNORED", stored: "vip", incoming: "imported" },
        ]);
      }
    });
  }

  it("a cell over 1,000 characters refuses the call, naming the row and column; nothing is stored", async () => {
    const ws = await createWorkspace(api, owner, "Cells Co");
    const long = "x".repeat(1001);
    const r = await api.gql(
      IMPORT,
      {
        w: ws.id,
        i: {
          rows: [
            { name: "Ok", email: "ok@example.com" },
            { name: "Also ok", email: "fine@example.com" },
            { name: "Long", email: `${long}@example.com` },
          ],
        },
      },
      { token: owner.token },
    );
    expect(codeOf(r)).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(r.errors)).toContain("rows[2].email must be at most 1000 characters.");
    const atLimit = await importRows(ws.id, { rows: [{ name: "y".repeat(1000), email: "limit@example.com" }] });
    expect(atLimit.failed).toBe(1); // stored by no rule: a name over 200 characters is a row error, not a refused call
    expect(await ownerSql(api, `SELECT 1 FROM contacts WHERE workspace_id = $1`, [ws.id])).toEqual([]);
  });

  it("overwrite: an e-mail given up by one row can be taken by a later row (the writes keep the file's order)", async () => {
    const ws = await createWorkspace(api, owner, "Import Swap");
    await api.gql(
      CREATE,
      { w: ws.id, i: { name: "One", email: "a@example.com", phone: "+15550200001" } },
      { token: owner.token },
    );
    await api.gql(
      CREATE,
      { w: ws.id, i: { name: "Two", email: "c@example.com", phone: "+15550200002" } },
      { token: owner.token },
    );
    const rows = [
      { name: "One", email: "b@example.com", phone: "+15550200001" }, // One gives up a@
      { name: "Two", email: "a@example.com", phone: "+15550200002" }, // Two takes a@, gives up c@
      { name: "Three", email: "c@example.com" }, // a new contact takes c@
      { name: "One again", email: "b@example.com", tags: "x" }, // One a second time
    ];
    const preview = await importRows(ws.id, { rows, dryRun: true, onConflict: "OVERWRITE" });
    expect(preview).toMatchObject({ created: 1, updated: 3, failed: 0 });
    expect(preview.rows[3]).toMatchObject({ matchedBy: "email", duplicateOfRow: 0, name: "One again" });
    const real = await importRows(ws.id, { rows, onConflict: "OVERWRITE", expectedPlanId: preview.planId });
    expect({ ...real, dryRun: true }).toEqual(preview);
    expect((await contactsOf(ws.id)).map((c) => [c.name, c.email, c.phone, c.tags])).toEqual([
      ["One again", "b@example.com", "+15550200001", ["x"]],
      ["Three", "c@example.com", null, []],
      ["Two", "a@example.com", "+15550200002", []],
    ]);
  });

  it("the import re-plans under a lock: a concurrent change is seen, and a plan that changed since the preview is refused whole", async () => {
    const ws = await createWorkspace(api, owner, "Import Race");
    const ada = (
      await api.gql<{ createContact: { id: string } }>(
        CREATE,
        { w: ws.id, i: { name: "Ada Lovelace", email: "ada@example.com" } },
        { token: owner.token },
      )
    ).data!.createContact.id;
    const rows = [
      { name: "Ada L.", email: "ada@example.com" },
      { name: "Grace", email: "grace@example.com" },
    ];
    const preview = await importRows(ws.id, { rows, dryRun: true, onConflict: "OVERWRITE" });
    expect(preview.rows[0]!.changes).toEqual([
      { field: "name", kind: "REPLACED", stored: "Ada Lovelace", incoming: "Ada L." },
    ]);

    // Someone renames Ada while the import waits for her row: the import sees the new name.
    const real = await raceOnLock(
      api,
      `SELECT id FROM contacts WHERE id = $1 FOR UPDATE`,
      [ada],
      1,
      () => importRows(ws.id, { rows, onConflict: "OVERWRITE" }),
      async (sql) => {
        await sql(`UPDATE contacts SET name = 'Ada King' WHERE id = $1`, [ada]);
        await sql("COMMIT");
      },
    );
    expect(real.rows[0]!.changes).toEqual([
      { field: "name", kind: "REPLACED", stored: "Ada King", incoming: "Ada L." },
    ]);
    expect(real.created).toBe(1);

    // A preview older than the data: the import with its plan id changes nothing.
    await ownerSql(api, `UPDATE contacts SET name = 'Ada Byron' WHERE id = $1`, [ada]);
    const stale = await api.gql(
      IMPORT,
      {
        w: ws.id,
        i: {
          rows: [...rows, { name: "Hedy", email: "hedy@example.com" }],
          onConflict: "OVERWRITE",
          expectedPlanId: preview.planId,
        },
      },
      { token: owner.token },
    );
    expect(codeOf(stale)).toBe("CONFLICT");
    expect((await contactsOf(ws.id)).map((c) => c.name)).toEqual(["Ada Byron", "Grace"]);
  });
});
