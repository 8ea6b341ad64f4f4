// Issue 52 (decision 0055): a large file imported in chunks (importId, chunk, chunks). Each chunk
// commits with its record, so a chunk whose transaction dies mid-way (here: its database
// connection terminated while it waits to write its record, after its contacts were written)
// leaves nothing behind, progress says which chunks are committed, the import resumes from there
// and a chunk sent again (with the same rows) is answered from its record: exactly one contact per row, one audit
// event per committed chunk. Bad chunk arguments are typed errors.
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

const IMPORT = `mutation($w: ID!, $i: ImportContactsInput!) { importContacts(workspaceId: $w, input: $i) { created updated skipped failed replayed rows { row action error field } } }`;
const PROGRESS = `query($w: ID!, $id: ID!) { contactImport(workspaceId: $w, importId: $id) { importId chunks chunksDone rowsDone created updated skipped failed } }`;

interface Result {
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  replayed: boolean;
  rows: { row: number; action: string; error: string | null; field: string | null }[];
}

describe("contacts import in chunks: resumable, nothing twice", () => {
  let api: TestApi;
  let owner: TestUser;

  beforeAll(async () => {
    api = await startTestApi({ integrationKeys: [newKey()] });
    owner = await api.user("Chunked Importer");
  });
  afterAll(async () => api.close());

  const CHUNK = 400;
  // 1,200 rows in 3 chunks; row 5 of the second chunk is bad (no e-mail nor phone).
  const file = Array.from({ length: 3 * CHUNK }, (_, i) =>
    i === CHUNK + 5
      ? { name: "No Address" }
      : { name: `Chunk Person ${i}`, email: `chunk${i}@example.com`, phone: `+1555${String(2_000_000 + i)}` },
  );
  const chunkRows = (c: number) => file.slice(c * CHUNK, (c + 1) * CHUNK);
  const send = (w: string, importId: string, chunk: number, extra: Record<string, unknown> = {}) =>
    api.gql<{ importContacts: Result }>(
      IMPORT,
      { w, i: { rows: chunkRows(chunk), importId, chunk, chunks: 3, ...extra } },
      { token: owner.token },
    );
  const progress = async (w: string, id: string) =>
    (
      await api.gql<{
        contactImport: {
          chunks: number;
          chunksDone: number[];
          rowsDone: number;
          created: number;
          failed: number;
        } | null;
      }>(PROGRESS, { w, id }, { token: owner.token })
    ).data!.contactImport;
  const stored = async (w: string) =>
    (
      await ownerSql<{ n: number; emails: number }>(
        api,
        `SELECT count(*)::int AS n, count(DISTINCT email)::int AS emails FROM contacts WHERE workspace_id = $1`,
        [w],
      )
    )[0]!;

  it("a chunk cut off mid-transaction leaves nothing; the import resumes from the committed chunks and ends with one contact per row", async () => {
    const ws = await createWorkspace(api, owner, "Chunks Co");
    const importId = crypto.randomUUID();
    expect(await progress(ws.id, importId)).toBeNull();

    const first = await send(ws.id, importId, 0);
    expect(first.data!.importContacts).toMatchObject({ created: CHUNK, failed: 0, replayed: false });

    // The second chunk writes its contacts, then waits to write its record (the table is held
    // in SHARE mode by another transaction); its connection is terminated there: a real
    // database failure in the middle of the chunk's transaction.
    const cut = await raceOnLock(
      api,
      `LOCK TABLE contact_import_chunks IN SHARE MODE`,
      [],
      1,
      () => send(ws.id, importId, 1),
      async (sql) => {
        const rows = (await sql(
          `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND usename = 'atrium_app'`,
        )) as { rows: { ok: boolean }[] };
        expect(rows.rows).toEqual([{ ok: true }]);
        await sql("ROLLBACK");
      },
    );
    expect(cut.data?.importContacts ?? null).toBeNull();
    expect(codeOf(cut)).toBeDefined();
    expect(codeOf(cut)).not.toBe("INTERNAL_SERVER_ERROR");
    // Nothing of the cut chunk is stored; progress says chunk 0 only.
    expect(await stored(ws.id)).toEqual({ n: CHUNK, emails: CHUNK });
    expect(await progress(ws.id, importId)).toMatchObject({
      chunks: 3,
      chunksDone: [0],
      rowsDone: CHUNK,
      created: CHUNK,
    });

    // Resume: the chunks not committed, in order.
    const done = new Set((await progress(ws.id, importId))!.chunksDone);
    for (const c of [0, 1, 2].filter((c) => !done.has(c))) {
      const r = await send(ws.id, importId, c);
      expect(r.errors).toBeUndefined();
      expect(r.data!.importContacts.replayed).toBe(false);
    }
    expect(await progress(ws.id, importId)).toMatchObject({
      chunksDone: [0, 1, 2],
      rowsDone: 3 * CHUNK,
      created: 3 * CHUNK - 1,
      failed: 1,
    });
    expect(await stored(ws.id)).toEqual({ n: 3 * CHUNK - 1, emails: 3 * CHUNK - 1 });

    // Every chunk sent again (answers lost, a client retrying): answered from the records, the
    // bad row still listed, nothing stored or audited again.
    for (const c of [0, 1, 2]) {
      const again = (await send(ws.id, importId, c)).data!.importContacts;
      expect(again.replayed).toBe(true);
      expect(again.created).toBe(c === 1 ? CHUNK - 1 : CHUNK);
      expect(again.failed).toBe(c === 1 ? 1 : 0);
      expect(again.rows).toEqual(c === 1 ? [expect.objectContaining({ row: 5, action: "ERROR", field: "email" })] : []);
    }
    expect(await stored(ws.id)).toEqual({ n: 3 * CHUNK - 1, emails: 3 * CHUNK - 1 });
    const audited = await ownerSql<{ chunk: number }>(
      api,
      `SELECT (data::jsonb->>'chunk')::int AS chunk FROM audit_events WHERE workspace_id = $1 AND action = 'contact.imported' ORDER BY 1`,
      [ws.id],
    );
    expect(audited.map((a) => a.chunk)).toEqual([0, 1, 2]);
  });

  it("refuses inconsistent chunk arguments with typed errors, and shows progress only in its workspace", async () => {
    const ws = await createWorkspace(api, owner, "Chunk Args Co");
    const importId = crypto.randomUUID();
    const rows = [{ name: "A", email: "a@example.com" }];
    const call = (i: Record<string, unknown>) =>
      api.gql(IMPORT, { w: ws.id, i: { rows, ...i } }, { token: owner.token });
    expect(codeOf(await call({ importId }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await call({ importId, chunk: 3, chunks: 3 }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await call({ importId: "not-a-uuid", chunk: 0, chunks: 3 }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await call({ importId, chunk: 0, chunks: 2000 }))).toBe("BAD_USER_INPUT");
    expect((await call({ importId, chunk: 0, chunks: 2 })).errors).toBeUndefined();
    expect(codeOf(await call({ importId, chunk: 1, chunks: 3 }))).toBe("BAD_USER_INPUT");
    // Chunk 0 again with other rows, or another conflict mode: refused whole, nothing stored.
    const differs = await call({ importId, chunk: 0, chunks: 2, rows: [{ name: "B", email: "b@example.com" }] });
    expect(codeOf(differs)).toBe("CONFLICT");
    expect((differs.errors![0]!.extensions as { reason?: string }).reason).toBe("IMPORT_CHUNK_DIFFERS");
    expect(codeOf(await call({ importId, chunk: 0, chunks: 2, onConflict: "OVERWRITE" }))).toBe("CONFLICT");
    expect(await ownerSql(api, `SELECT email FROM contacts WHERE workspace_id = $1`, [ws.id])).toEqual([
      { email: "a@example.com" },
    ]);
    expect(codeOf(await api.gql(PROGRESS, { w: ws.id, id: "nope" }, { token: owner.token }))).toBe("BAD_USER_INPUT");
    expect(await progress(ws.id, importId)).toMatchObject({ chunks: 2, chunksDone: [0], rowsDone: 1 });
    // Another workspace of the same owner does not see it.
    const other = await createWorkspace(api, owner, "Other Chunks Co");
    expect(await progress(other.id, importId)).toBeNull();
  });
});
