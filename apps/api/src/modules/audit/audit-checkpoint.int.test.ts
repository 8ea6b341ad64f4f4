// Signed checkpoints of the audit hash chain (issue 50, decision 0053): the job that signs where
// each workspace's chain stands only when the rows since its last checkpoint verify, the public
// keys at the well-known URL (a JWKS that verifies what the job signed), and `auditChainStatus`.
// Rows are tampered with directly in SQL as the schema owner with triggers off, as a DBA could.
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { exportToJsonLines, parseJsonLines, parsePublicKeys, verifyChain } from "../../platform/audit/chain.ts";
import { AUDIT_KEYS_PATH, generateAuditSigningKey } from "../../platform/audit/signing.ts";
import { checkpointCron } from "../../scheduler.ts";
import { addMember, createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";
import { exportChain } from "./audit-chain.service.ts";
import { runCheckpointSweep } from "./audit-checkpoint-sweep.ts";

const STATUS = `query($w: ID!) { auditChainStatus(workspaceId: $w) { rows headSeq verifiedThrough { seq signedAt keyId } unsignedRows problem signing publicKeysUrl } }`;

interface Status {
  rows: number;
  headSeq: number;
  verifiedThrough: { seq: number; signedAt: string; keyId: string } | null;
  unsignedRows: number;
  problem: string | null;
  signing: boolean;
  publicKeysUrl: string;
}

describe("signed checkpoints of the audit chain", () => {
  let api: TestApi;
  let owner: TestUser;
  // A rotation: the first key signs, the second (older) is still published.
  const current = generateAuditSigningKey("2026-11");
  const older = generateAuditSigningKey("2026-05");

  const alarms: { msg: string; data: object }[] = [];
  /** One run of the checkpoint job, as the scheduler runs it. */
  const sweep = (a: TestApi) =>
    runCheckpointSweep({
      db: a.db,
      keys: a.config.auditChain.keys,
      log: () => undefined,
      alarm: (msg, data) => alarms.push({ msg, data }),
    });
  const audit = (w: string, n: number) =>
    ownerSql(
      api,
      `INSERT INTO audit_events (workspace_id, action, data) SELECT $1, 'test.row', jsonb_build_object('n', i) FROM generate_series(1, $2::int) AS i ORDER BY i`,
      [w, n],
    );
  const tamper = async (sql: string, params: unknown[]) => {
    const { default: pg } = await import("pg");
    const c = new pg.Client({ connectionString: api.testDb.ownerUrl });
    await c.connect();
    try {
      await c.query("SET session_replication_role = replica");
      await c.query(sql, params);
    } finally {
      await c.end();
    }
  };
  const status = async (w: string, token = owner.token) => {
    const r = await api.gql<{ auditChainStatus: Status }>(STATUS, { w }, { token });
    expect(r.errors).toBeUndefined();
    return r.data!.auditChainStatus;
  };
  const checkpoints = async (w: string) =>
    (
      await ownerSql<{ seq: string }>(
        api,
        `SELECT seq::text FROM audit_checkpoints WHERE workspace_id = $1 ORDER BY seq`,
        [w],
      )
    ).map((r) => Number(r.seq));
  const jwksText = async () => {
    const res = await api.app.inject({ method: "GET", url: AUDIT_KEYS_PATH });
    expect(res.statusCode).toBe(200);
    return res.body;
  };
  const idAt = async (w: string, seq: number) =>
    (
      await ownerSql<{ id: string }>(api, `SELECT id::text FROM audit_events WHERE workspace_id = $1 AND seq = $2`, [
        w,
        seq,
      ])
    )[0]!.id;

  beforeAll(async () => {
    api = await startTestApi({
      auditChain: { keys: [current.key, older.key], keysFromEnv: true, checkpointIntervalSeconds: 3600 },
    });
    owner = await api.user("Owner");
  });
  afterAll(async () => {
    await api.close();
  });

  it("publishes every key as a JWKS at the well-known URL, without authentication, cacheable", async () => {
    const res = await api.app.inject({ method: "GET", url: AUDIT_KEYS_PATH });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers["cache-control"]).toBe("public, max-age=3600");
    const body = res.json<{ keys: Record<string, string>[] }>();
    expect(body).toEqual({
      keys: [
        { kty: "OKP", crv: "Ed25519", x: current.key.x, kid: "2026-11", use: "sig", alg: "EdDSA" },
        { kty: "OKP", crv: "Ed25519", x: older.key.x, kid: "2026-05", use: "sig", alg: "EdDSA" },
      ],
    });
    // Nothing private in it.
    expect(JSON.stringify(body)).not.toMatch(/"d"/);
  });

  it("signs where the chain stands with the current key; the JWKS from the well-known URL verifies it; status says verified", async () => {
    const ws = await createWorkspace(api, owner, "Signed Co");
    await audit(ws.id, 5);
    const before = await status(ws.id);
    expect(before).toMatchObject({
      verifiedThrough: null,
      problem: null,
      signing: true,
      unsignedRows: before.headSeq,
      rows: before.headSeq,
    });
    expect(before.publicKeysUrl.endsWith(AUDIT_KEYS_PATH)).toBe(true);

    const run = await sweep(api);
    expect(run.problems.filter((p) => p.workspaceId === ws.id)).toEqual([]);
    const head = before.headSeq;
    expect(await checkpoints(ws.id)).toEqual([head]);

    const keys = parsePublicKeys(await jwksText());
    const v = verifyChain(parseJsonLines(exportToJsonLines(await exportChain(api.db, ws.id))), keys);
    expect(v).toMatchObject({
      ok: true,
      problem: null,
      verifiedThrough: { seq: head, keyId: "2026-11" },
      unsignedRows: 0,
    });
    // Only the published keys verify it: another key does not.
    const stranger = generateAuditSigningKey("2026-11");
    expect(verifyChain(await exportChain(api.db, ws.id), new Map([["2026-11", stranger.key.publicKey]]))).toMatchObject(
      { ok: false, problem: { kind: "checkpoint" } },
    );

    const after = await status(ws.id);
    expect(after).toMatchObject({
      headSeq: head,
      rows: head,
      unsignedRows: 0,
      problem: null,
      verifiedThrough: { seq: head, keyId: "2026-11" },
    });
    expect(new Date(after.verifiedThrough!.signedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

    // Nothing new: nothing signed. New rows: counted as unsigned, then signed by the next run.
    await sweep(api);
    expect(await checkpoints(ws.id)).toEqual([head]);
    await audit(ws.id, 3);
    expect(await status(ws.id)).toMatchObject({
      headSeq: head + 3,
      unsignedRows: 3,
      verifiedThrough: { seq: head },
      problem: null,
    });
    await sweep(api);
    expect(await checkpoints(ws.id)).toEqual([head, head + 3]);
    expect(verifyChain(await exportChain(api.db, ws.id), keys)).toMatchObject({
      ok: true,
      verifiedThrough: { seq: head + 3 },
      unsignedRows: 0,
    });
  });

  it("does not sign a chain whose rows since the last checkpoint were tampered with, and the status names the row", async () => {
    const ws = await createWorkspace(api, owner, "Tampered Co");
    await audit(ws.id, 4);
    await sweep(api);
    const [signed] = await checkpoints(ws.id);
    await audit(ws.id, 4);
    const victim = signed! + 2;
    await tamper(`UPDATE audit_events SET data = '{"n": 999}' WHERE workspace_id = $1 AND seq = $2`, [ws.id, victim]);

    const run = await sweep(api);
    const mine = run.problems.filter((p) => p.workspaceId === ws.id);
    expect(mine).toEqual([
      {
        workspaceId: ws.id,
        problem: expect.stringContaining(`row ${await idAt(ws.id, victim)} at seq ${victim} was edited`),
      },
    ]);
    expect(await checkpoints(ws.id)).toEqual([signed]);
    expect(alarms).toContainEqual({
      msg: "AUDIT CHAIN BROKEN: not signing a checkpoint",
      data: expect.objectContaining({ workspaceId: ws.id, lastCheckpointSeq: signed }),
    });
    const s = await status(ws.id);
    expect(s).toMatchObject({
      verifiedThrough: { seq: signed },
      unsignedRows: 4,
      problem: expect.stringContaining(`seq ${victim} was edited`),
    });
    // Still not signed on the next run, while the row stays edited.
    await sweep(api);
    expect(await checkpoints(ws.id)).toEqual([signed]);
  });

  it("reports a signed row rewritten after its checkpoint, and a deleted unsigned row", async () => {
    const ws = await createWorkspace(api, owner, "Rewritten Co");
    await audit(ws.id, 3);
    await sweep(api);
    const [signed] = await checkpoints(ws.id);
    // The checkpoint's own row, edited with its hash recomputed the way the trigger does.
    await tamper(`UPDATE audit_events SET action = 'test.forged' WHERE workspace_id = $1 AND seq = $2`, [
      ws.id,
      signed,
    ]);
    await tamper(
      `UPDATE audit_events SET hash = sha256(prev_hash || convert_to(audit_row_canonical(audit_events), 'UTF8')) WHERE workspace_id = $1 AND seq = $2`,
      [ws.id, signed],
    );
    expect((await status(ws.id)).problem).toMatch(
      new RegExp(`^the chain was rewritten: the checkpoint signed .* says seq ${signed} has hash`),
    );

    const ws2 = await createWorkspace(api, owner, "Deleted Co");
    await audit(ws2.id, 2);
    await sweep(api);
    const [signed2] = await checkpoints(ws2.id);
    await audit(ws2.id, 3);
    await tamper(`DELETE FROM audit_events WHERE workspace_id = $1 AND seq = $2`, [ws2.id, signed2! + 1]);
    await sweep(api);
    expect(await checkpoints(ws2.id)).toEqual([signed2]);
    expect((await status(ws2.id)).problem).toContain(`rows ${signed2! + 1} were deleted`);
  });

  it("requires audit.read, like the audit log", async () => {
    const ws = await createWorkspace(api, owner, "Private Co");
    const agent = await api.user("Agent");
    await addMember(api, ws.id, agent, "AGENT");
    const denied = await api.gql(STATUS, { w: ws.id }, { token: agent.token });
    expect(denied.data).toBeNull();
    expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const stranger = await api.user("Stranger");
    expect((await api.gql(STATUS, { w: ws.id }, { token: stranger.token })).errors?.[0]?.extensions?.code).toBe(
      "NOT_FOUND",
    );
    const auditor = await api.user("Auditor");
    await addMember(api, ws.id, auditor, "AGENT", ["audit.read"]);
    expect(await status(ws.id, auditor.token)).toMatchObject({ problem: null, signing: true });
  });
});

describe("checkpointCron (AUDIT_CHECKPOINT_INTERVAL_SECONDS on the cron grid)", () => {
  it("is hourly by default, and rounds other intervals to whole minutes or hours", () => {
    expect(checkpointCron(3600)).toBe("0 * * * *");
    expect(checkpointCron(60)).toBe("* * * * *");
    expect(checkpointCron(600)).toBe("*/10 * * * *");
    expect(checkpointCron(620)).toBe("*/10 * * * *");
    expect(checkpointCron(7200)).toBe("0 */2 * * *");
    expect(checkpointCron(86_400)).toBe("0 0 * * *");
  });
});
