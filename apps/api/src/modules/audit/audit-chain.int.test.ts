// The tamper-evident audit log (issue 50, decision 0053) on a real database: the trigger's
// canonical JSON against an independent RFC 8785 implementation (`canonicalize`), the chain the
// product writes, and rows edited, deleted, inserted and reordered directly in SQL as the schema
// owner (triggers off, as a DBA could) — each named by the offline verification. Then
// crypto-shredding: a person's keys destroyed, their data unreadable, the chain still whole; and the
// retention cut, which stops at a signed checkpoint.
import { generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from "node:crypto";
import canonicalize from "canonicalize";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import {
  canonicalJson,
  checkpointPayload,
  exportToJsonLines,
  parseJsonLines,
  rowContent,
  verifyChain,
  type ChainExport,
} from "../../platform/audit/chain.ts";
import { ERASED, revealAudit } from "../../platform/audit/reveal.ts";
import { createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";
import { exportChain } from "./audit-chain.service.ts";

const CREATE_KEY = `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "k", scopes: ["lead.read"] }) { apiKey { id } } }`;

describe("the audit hash chain", () => {
  let api: TestApi;
  let owner: TestUser;
  const signer = generateKeyPairSync("ed25519");
  const keys = new Map<string, KeyObject>([["test-1", signer.publicKey]]);

  /** `n` audit rows in workspace `w` (one statement; the trigger chains them in order). */
  const audit = (w: string, n: number, data: (i: number) => Record<string, unknown> = (i) => ({ n: i })) =>
    ownerSql(
      api,
      `INSERT INTO audit_events (workspace_id, action, data) SELECT $1, 'test.row', d FROM unnest($2::jsonb[]) WITH ORDINALITY AS t(d, o) ORDER BY o`,
      [w, Array.from({ length: n }, (_, i) => JSON.stringify(data(i + 1)))],
    );
  /** SQL as the schema owner with triggers off (session_replication_role = replica): what a DBA could do. */
  const asDba = async (statements: string[], params: unknown[]) => {
    const { default: pg } = await import("pg");
    const c = new pg.Client({ connectionString: api.testDb.ownerUrl });
    await c.connect();
    try {
      await c.query("SET session_replication_role = replica");
      for (const s of statements) await c.query(s, s.includes("$1") ? params : []);
    } finally {
      await c.end();
    }
  };
  const tamper = (sql: string, params: unknown[]) => asDba([sql], params);
  const checkpoint = async (w: string, seq: number) => {
    const [row] = await ownerSql<{ hash: string }>(
      api,
      `SELECT encode(hash, 'hex') AS hash FROM audit_events WHERE workspace_id = $1 AND seq = $2`,
      [w, seq],
    );
    const c = { workspace_id: w, seq, hash: row!.hash, signed_at: new Date().toISOString() };
    const signature = sign(null, checkpointPayload(c), signer.privateKey);
    await ownerSql(
      api,
      `INSERT INTO audit_checkpoints (workspace_id, seq, hash, signed_at, key_id, signature) VALUES ($1, $2, decode($3, 'hex'), $4, 'test-1', $5)`,
      [w, seq, c.hash, c.signed_at, signature],
    );
  };
  const fresh = async (name: string, rows = 8) => {
    const ws = await createWorkspace(api, owner, name);
    await audit(ws.id, rows);
    return ws.id;
  };
  const verify = async (w: string) => {
    // Through the file format, as `pnpm atrium audit verify` reads it.
    const exp: ChainExport = parseJsonLines(exportToJsonLines(await exportChain(api.db, w)));
    return verifyChain(exp, keys);
  };
  const seqOf = async (w: string, n: number) =>
    (
      await ownerSql<{ id: string }>(api, `SELECT id::text FROM audit_events WHERE workspace_id = $1 AND seq = $2`, [
        w,
        n,
      ])
    )[0]!.id;

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user("Owner");
  });
  afterAll(async () => {
    await api.close();
  });

  it("the database's canonical JSON is RFC 8785's (checked against the independent `canonicalize` package)", async () => {
    const strings = [
      "",
      "plain",
      'quote " and \\ backslash',
      "tab\tnew\nline\rcr\bbs\ffeed",
      "\u0001\u001f\u007f",
      "é ü ß 日本 🎉",
      "\u2028\u2029",
      "</script>",
    ];
    const numbers = [
      0, -0, 1, -1, 42, 1.5, -2.25, 0.1, 1e-7, 123456789012, 1e20, 1e21, 3.14159e-10, 9007199254740991, 0.000001,
      1.7976931348623157e308, 5e-324,
    ];
    const values: unknown[] = [
      ...strings,
      ...numbers,
      true,
      false,
      null,
      [],
      {},
      { b: 1, a: [3, { d: null, c: "x" }], "": "empty key", A: "upper", é: "accent", "10": 1, "9": 2 },
      [1, "two", [3, [4, [5]]], { z: { y: { x: [] } } }],
    ];
    for (let i = 0; i < 200; i++) {
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;
      const obj: Record<string, unknown> = {};
      for (let k = 0; k < 6; k++)
        obj[pick(["id", "email", "n", "a_b", "Z", "ü", "x" + k])] = pick<unknown>([
          pick(strings),
          pick(numbers),
          null,
          true,
          [pick(numbers), pick(strings)],
          { nested: pick(numbers) },
        ]);
      values.push(obj);
    }
    const rows = await ownerSql<{ i: number; c: string }>(
      api,
      `SELECT t.o::int - 1 AS i, audit_canonical_json(t.v) AS c FROM unnest($1::jsonb[]) WITH ORDINALITY AS t(v, o)`,
      [values.map((v) => JSON.stringify(v))],
    );
    expect(rows).toHaveLength(values.length);
    // JSON.parse(JSON.stringify(v)) is what the database stored (-0 becomes 0 on the way).
    for (const r of rows) expect([r.i, r.c]).toEqual([r.i, canonicalize(JSON.parse(JSON.stringify(values[r.i])))]);
  });

  it("rows the product writes form one chain per workspace that verifies, with their seq from 1", async () => {
    const ws = await createWorkspace(api, owner, "Chain Co");
    for (let i = 0; i < 3; i++)
      expect((await api.gql(CREATE_KEY, { w: ws.id }, { token: owner.token })).errors).toBeUndefined();
    const exp = await exportChain(api.db, ws.id);
    expect(exp.rows.map((r) => r.seq)).toEqual(exp.rows.map((_, i) => i + 1));
    expect(exp.rows.map((r) => r.action)).toEqual(expect.arrayContaining(["workspace.created", "api_key.created"]));
    expect(exp.rows[0]!.prev_hash).toBe("0".repeat(64));
    // The verifier's canonical form is RFC 8785's too (the independent package agrees on every row).
    for (const r of exp.rows) expect(canonicalJson(rowContent(r))).toBe(canonicalize(rowContent(r)));
    const v = verifyChain(exp, keys);
    expect(v).toMatchObject({
      ok: true,
      rows: exp.rows.length,
      problem: null,
      verifiedThrough: null,
      unsignedRows: exp.rows.length,
    });
    await checkpoint(ws.id, exp.rows.length);
    expect(await verify(ws.id)).toMatchObject({
      ok: true,
      verifiedThrough: { seq: exp.rows.length, keyId: "test-1" },
      unsignedRows: 0,
    });
  });

  it("concurrent writers in one workspace get one gapless chain (appends are serialised per workspace)", async () => {
    const w = await fresh("Busy Co", 0);
    await Promise.all(Array.from({ length: 12 }, (_, i) => audit(w, 5, (j) => ({ writer: i, j }))));
    const exp = await exportChain(api.db, w);
    expect(exp.rows).toHaveLength(61); // workspace.created + 12 × 5
    expect(verifyChain(exp, keys)).toMatchObject({ ok: true, problem: null });
  });

  it("names the first edited row (content changed, hash kept), and a row edited with its hash recomputed", async () => {
    const w = await fresh("Edit Co");
    await tamper(`UPDATE audit_events SET data = '{"n": 999}' WHERE workspace_id = $1 AND seq = 4`, [w]);
    expect((await verify(w)).problem).toEqual({
      kind: "edited",
      seq: 4,
      id: await seqOf(w, 4),
      message: expect.stringContaining("edited"),
    });

    const w2 = await fresh("Rehash Co");
    await tamper(
      `UPDATE audit_events SET action = 'test.forged', hash = sha256(prev_hash || convert_to('x', 'UTF8')) WHERE workspace_id = $1 AND seq = 6`,
      [w2],
    );
    expect((await verify(w2)).problem).toMatchObject({ kind: "edited", seq: 6, id: await seqOf(w2, 6) });
  });

  it("names deleted rows", async () => {
    const w = await fresh("Delete Co");
    await tamper(`DELETE FROM audit_events WHERE workspace_id = $1 AND seq IN (3, 4)`, [w]);
    expect((await verify(w)).problem).toMatchObject({
      kind: "deleted",
      seq: 3,
      id: null,
      message: expect.stringContaining("rows 3–4 were deleted"),
    });
  });

  it("names an inserted row, even one with a valid hash linked to the row before it", async () => {
    const w = await fresh("Insert Co");
    const forged = randomUUID();
    // Make room at seq 5, then insert a row that links to row 4 with a hash the attacker computed
    // the way the trigger does (the canonical form is public).
    await asDba(
      [
        `UPDATE audit_events SET seq = seq + 1000 WHERE workspace_id = $1 AND seq >= 5`,
        `UPDATE audit_events SET seq = seq - 999 WHERE workspace_id = $1 AND seq >= 1000`,
        `INSERT INTO audit_events (workspace_id, id, action, data, seq, prev_hash, hash, created_at)
           SELECT workspace_id, '${forged}', 'test.forged', '{}', 5, hash, hash, created_at FROM audit_events WHERE workspace_id = $1 AND seq = 4`,
        `UPDATE audit_events SET hash = sha256(prev_hash || convert_to(audit_row_canonical(audit_events), 'UTF8')) WHERE workspace_id = $1 AND id = '${forged}'`,
      ],
      [w],
    );
    expect((await verify(w)).problem).toMatchObject({ kind: "inserted", seq: 5, id: forged });
  });

  it("names reordered rows", async () => {
    const w = await fresh("Reorder Co");
    const [a, b] = [await seqOf(w, 3), await seqOf(w, 4)];
    await asDba(
      [
        `UPDATE audit_events SET seq = 1003 WHERE workspace_id = $1 AND seq = 3`,
        `UPDATE audit_events SET seq = 3 WHERE workspace_id = $1 AND seq = 4`,
        `UPDATE audit_events SET seq = 4 WHERE workspace_id = $1 AND seq = 1003`,
      ],
      [w],
    );
    expect((await verify(w)).problem).toMatchObject({ kind: "reordered", seq: 3, id: b });
    expect(a).not.toBe(b);
  });

  it("names a rewritten history that a signed checkpoint contradicts", async () => {
    const w = await fresh("Rewrite Co", 5);
    await checkpoint(w, 6);
    // Rewrite every row's hash consistently (a perfect rewrite without the signing key).
    await asDba(
      [
        `UPDATE audit_events SET data = '{"n": 0}' WHERE workspace_id = $1 AND seq = 3`,
        `DO $$ DECLARE r audit_events%ROWTYPE; prev bytea := '\\x0000000000000000000000000000000000000000000000000000000000000000'; BEGIN
           FOR r IN SELECT * FROM audit_events WHERE workspace_id = '${w}' ORDER BY seq LOOP
             UPDATE audit_events SET prev_hash = prev, hash = sha256(prev || convert_to(audit_row_canonical(r), 'UTF8')) WHERE workspace_id = r.workspace_id AND id = r.id RETURNING hash INTO prev;
           END LOOP; END $$`,
      ],
      [w],
    );
    expect((await verify(w)).problem).toMatchObject({
      kind: "checkpoint",
      seq: 6,
      message: expect.stringContaining("rewritten"),
    });
  });

  it("refuses UPDATE and DELETE of audit rows to the app role (grants) and to the owner (trigger)", async () => {
    const w = await fresh("Locked Co", 2);
    await expect(ownerSql(api, `UPDATE audit_events SET action = 'x' WHERE workspace_id = $1`, [w])).rejects.toThrow(
      /append-only/,
    );
    await expect(ownerSql(api, `DELETE FROM audit_events WHERE workspace_id = $1`, [w])).rejects.toThrow(/append-only/);
    await expect(ownerSql(api, `TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
    await expect(
      api.db.tenant(
        { workspaceId: w },
        (tx) => tx.$executeRaw`UPDATE audit_events SET action = 'x' WHERE workspace_id = ${w}::uuid`,
      ),
    ).rejects.toThrow(/permission denied/);
    expect(await verify(w)).toMatchObject({ ok: true });
  });

  it("encrypts personal data under its subject's key; destroying the key erases it and leaves the chain whole", async () => {
    const w = await fresh("Shred Co", 2);
    const email = `Person.${randomBytes(4).toString("hex")}@Example.test`;
    const phone = `+1555${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;
    await audit(w, 2, (i) => ({ email, nested: { phones: [phone] }, note: "kept", i }));
    const stored = await ownerSql<{ t: string }>(
      api,
      `SELECT data::text AS t FROM audit_events WHERE workspace_id = $1 AND action = 'test.row' AND data ? 'email'`,
      [w],
    );
    expect(stored).toHaveLength(2);
    for (const s of stored) {
      expect(s.t).not.toContain(email);
      expect(s.t).not.toContain(phone);
      expect(s.t).toContain("kept");
    }
    const read = async () =>
      api.db.tenant({ workspaceId: w }, async (tx) => {
        const rows = await tx.auditEvent.findMany({
          where: { workspaceId: w, action: "test.row" },
          orderBy: { seq: "asc" },
        });
        return revealAudit(
          tx,
          w,
          rows.filter((r) => (r.data as { email?: string }).email),
        );
      });
    expect((await read()).map((r) => r.data)).toEqual([
      { email, nested: { phones: [phone] }, note: "kept", i: 1 },
      { email, nested: { phones: [phone] }, note: "kept", i: 2 },
    ]);
    // The same address in another case is the same subject: one key for the e-mail, one for the phone.
    const [{ n }] = (await ownerSql<{ n: number }>(
      api,
      `SELECT count(*)::int AS n FROM audit_subject_keys WHERE workspace_id = $1`,
      [w],
    )) as [{ n: number }];
    expect(n).toBe(2);
    const [{ d }] = (await ownerSql<{ d: number }>(api, `SELECT audit_shred_subject($1, $2, $3, '{}') AS d`, [
      w,
      email.toLowerCase(),
      phone,
    ])) as [{ d: number }];
    expect(d).toBe(2);
    expect((await read()).map((r) => r.data)).toEqual([
      { email: ERASED, nested: { phones: [ERASED] }, note: "kept", i: 1 },
      { email: ERASED, nested: { phones: [ERASED] }, note: "kept", i: 2 },
    ]);
    expect(await verify(w)).toMatchObject({ ok: true, problem: null });
  });

  it("cuts for retention only at a signed checkpoint, and the export verifies from the new anchor", async () => {
    const w = await fresh("Retain Co", 9); // seq 1..10
    const cut = async (limit: number) =>
      (await ownerSql<{ n: number }>(api, `SELECT audit_cut($1, now() + interval '1 day', $2) AS n`, [w, limit]))[0]!.n;
    expect(await cut(100)).toBe(0); // no checkpoint yet: nothing may go
    await checkpoint(w, 7);
    expect(await cut(4)).toBe(4); // at most 4 rows per call
    expect(await cut(100)).toBe(3); // then up to the checkpoint, no further
    expect(await cut(100)).toBe(0);
    const exp = await exportChain(api.db, w);
    expect(exp.anchor.seq).toBe(7);
    expect(exp.rows.map((r) => r.seq)).toEqual([8, 9, 10]);
    expect(verifyChain(exp, keys)).toMatchObject({ ok: true, verifiedThrough: { seq: 7 }, unsignedRows: 3 });
  });
});
