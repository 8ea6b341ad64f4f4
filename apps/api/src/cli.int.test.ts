import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

import { freePort } from "@atrium/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { runCheckpointSweep } from "./modules/audit/audit-checkpoint-sweep.ts";
import { AUDIT_KEYS_PATH, generateAuditSigningKey } from "./platform/audit/signing.ts";
import { buildApi, startProduct, type BuiltApi, type RunningProduct } from "./test/built.ts";
import { createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "./test/harness.ts";

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// The CLI and the product bundled by build.mjs (dist/cli.js, dist/main.js: what `npm start` runs;
// the source `pnpm atrium` runs through tsx), built once for this file.
let built: BuiltApi;
beforeAll(() => {
  built = buildApi();
});
afterAll(async () => built?.remove());

describe("pnpm atrium admin grant <email>", () => {
  let api: TestApi;
  let user: TestUser;
  beforeAll(async () => {
    api = await startTestApi();
    user = await api.user("Future admin");
  });
  afterAll(async () => api.close());

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [...built.cli, ...args], {
      cwd: apiDir,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: api.testDb.ownerUrl, APP_DATABASE_URL: api.testDb.appUrl, NODE_ENV: "test" },
      timeout: 60_000,
    });

  it("promotes an existing user to platform ADMIN", async () => {
    const r = cli("admin", "grant", user.email);
    expect(r.stdout).toContain(`${user.email} is now a platform admin.`);
    expect(r.status).toBe(0);
    const rows = await ownerSql<{ global_role: string }>(api, `SELECT global_role FROM users WHERE id = $1`, [user.id]);
    expect(rows[0]?.global_role).toBe("ADMIN");
  });

  it("explains an unknown e-mail and a wrong command, with a non-zero exit", () => {
    const unknown = cli("admin", "grant", "nobody@example.com");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("sign up first");
    const wrong = cli("admin", "revoke");
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain("usage:");
  });
});

/** A failed CLI run: exit code non-zero, exactly one line on stderr, no stack trace. */
function oneLineFailure(
  r: SpawnSyncReturns<string>,
  why = `status ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`,
): string {
  expect(r.status, why).not.toBe(0);
  expect(r.status, why).not.toBeNull();
  expect(r.stderr, why).not.toMatch(/^ {4}at /m);
  const lines = r.stderr.trim().split("\n");
  expect(lines, why).toHaveLength(1);
  return lines[0]!;
}

// Issue 56, item 11: the commands work while Atrium runs on its embedded PostgreSQL (they attach
// to the running server, found through its postmaster.pid, instead of starting a second one on
// the same data directory), and every failure is one line on stderr with a non-zero exit.
describe("pnpm atrium while Atrium runs on its embedded PostgreSQL", () => {
  let dir: string;
  let dataDir: string;
  let product: RunningProduct | undefined;
  let base: string;
  let pgUrl: string;

  /** The environment of a checkout using the embedded default (no DATABASE_URL, no port). */
  const embeddedEnv = (env: Record<string, string>) => {
    const e: Record<string, string | undefined> = { ...process.env, NODE_ENV: "development", ...env };
    for (const name of ["DATABASE_URL", "APP_DATABASE_URL", "EMBEDDED_PG_PORT", "PORT", "JOBS_ENABLED"])
      if (!(name in env)) delete e[name];
    return e;
  };
  const cli = (env: Record<string, string>, ...args: string[]) => {
    const r = spawnSync(process.execPath, [...built.cli, ...args], {
      cwd: apiDir,
      encoding: "utf8",
      env: embeddedEnv(env),
      timeout: 120_000,
    });
    return {
      ...r,
      why: `pnpm atrium ${args.join(" ")}: status ${r.status}, signal ${r.signal}${r.error ? `, ${r.error.message}` : ""}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`,
    };
  };
  const sql = async <T>(text: string, params: unknown[] = []): Promise<T[]> => {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    try {
      return (await c.query(text, params)).rows as T[];
    } finally {
      await c.end();
    }
  };
  const postmasterPid = () => Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "atrium-cli-"));
    dataDir = path.join(dir, "pg");
    const pgPort = await freePort();
    const httpPort = await freePort();
    base = `http://127.0.0.1:${httpPort}`;
    pgUrl = `postgresql://postgres:postgres@127.0.0.1:${pgPort}/atrium`;
    // The product itself (`pnpm start`'s entry point), on its own embedded data directory.
    product = await startProduct(
      built.main,
      embeddedEnv({
        EMBEDDED_PG_DIR: dataDir,
        EMBEDDED_PG_PORT: String(pgPort),
        PORT: String(httpPort),
        HOST: "127.0.0.1",
        JOBS_ENABLED: "false",
      }),
    );
  }, 300_000);
  afterAll(async () => {
    await product?.stop();
    await rm(dir, { recursive: true, force: true });
  }, 30_000);

  it("admin grant promotes a user while Atrium runs, and an unknown e-mail is one line", async () => {
    const email = `running-${Date.now().toString(36)}@example.com`;
    const signUp = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }`,
        variables: { i: { email, password: "correct horse battery staple", name: "Running Admin" } },
      }),
    });
    const body = (await signUp.json()) as { data?: { signUp: { user: { id: string } } }; errors?: unknown };
    expect(body.errors, JSON.stringify(body)).toBeUndefined();
    const id = body.data!.signUp.user.id;
    const pid = postmasterPid();

    const r = cli({ EMBEDDED_PG_DIR: dataDir }, "admin", "grant", email);
    expect(r.status, r.why).toBe(0);
    expect(r.stdout.trim(), r.why).toBe(`${email} is now a platform admin.`);
    expect(r.stderr, r.why).not.toMatch(/^ {4}at /m);
    const rows = await sql<{ global_role: string }>(`SELECT global_role FROM users WHERE id = $1`, [id]);
    expect(rows[0]?.global_role).toBe("ADMIN");
    // The same server, still serving the product: nothing was started or stopped on its data.
    expect(postmasterPid()).toBe(pid);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    const unknown = cli({ EMBEDDED_PG_DIR: dataDir }, "admin", "grant", "nobody-here@example.com");
    expect(oneLineFailure(unknown, unknown.why)).toBe(
      "[atrium] admin grant failed: no account uses nobody-here@example.com; sign up first, then run this again",
    );
    expect(unknown.stdout).toBe("");
  }, 240_000);

  it("credentials rotate works while Atrium runs", () => {
    const r = cli({ EMBEDDED_PG_DIR: dataDir }, "credentials", "rotate");
    expect(r.status, r.why).toBe(0);
    expect(r.stdout, r.why).toContain("Re-encrypting integration and TOTP secrets");
    expect(r.stderr, r.why).not.toMatch(/^ {4}at /m);
  }, 120_000);

  it("every other failure is one line on stderr with a non-zero exit", async () => {
    // No database: nothing is created for a command that needs one.
    const missing = path.join(dir, "never-started");
    const none = cli({ EMBEDDED_PG_DIR: missing }, "admin", "grant", "someone@example.com");
    expect(oneLineFailure(none, none.why)).toMatch(
      /^\[atrium\] admin grant failed: there is no Atrium database in .*never-started yet/,
    );
    expect(existsSync(missing), "no data directory created").toBe(false);
    // The database unreachable.
    const port = await freePort();
    const away = cli(
      { DATABASE_URL: `postgresql://atrium:s3cret-pw@127.0.0.1:${port}/atrium` },
      "admin",
      "grant",
      "someone@example.com",
    );
    expect(oneLineFailure(away, away.why)).toBe(
      `[atrium] admin grant failed: cannot use the database at 127.0.0.1:${port}/atrium (DATABASE_URL): nothing is listening there`,
    );
    // Bad arguments and a bad setting.
    const noEmail = cli({ EMBEDDED_PG_DIR: dataDir }, "admin", "grant");
    expect(oneLineFailure(noEmail, noEmail.why)).toMatch(/^usage: pnpm atrium admin grant <email>/);
    expect(noEmail.status).toBe(2);
    const extra = cli({ EMBEDDED_PG_DIR: dataDir }, "admin", "grant", "a@example.com", "b@example.com");
    expect(extra.status, extra.why).toBe(2);
    oneLineFailure(extra, extra.why);
    const badPort = cli({ EMBEDDED_PG_DIR: dataDir, EMBEDDED_PG_PORT: "forty" }, "credentials", "rotate");
    expect(oneLineFailure(badPort, badPort.why)).toMatch(/^\[atrium\] invalid configuration: .*EMBEDDED_PG_PORT/);
  }, 240_000);
});

describe("pnpm atrium credentials rotate", () => {
  it("re-encrypts every secret with the newest key, printing progress and the count per key", async () => {
    const { randomBytes } = await import("node:crypto");
    const { kidOf } = await import("./env.ts");
    const raw1 = randomBytes(32);
    const raw2 = randomBytes(32);
    const k1 = { kid: kidOf(new Uint8Array(raw1)), key: new Uint8Array(raw1) };
    const api = await startTestApi({ integrationKeys: [k1] });
    try {
      const owner = await api.user("Rotator");
      const ws = await api.gql<{ createWorkspace: { id: string } }>(
        `mutation { createWorkspace(input: { name: "Rotate CLI", channel: WHATSAPP }) { id } }`,
        {},
        { token: owner.token },
      );
      const w = ws.data!.createWorkspace.id;
      for (const i of [
        { openai: { apiKey: "sk-rotate-cli-0001", model: "gpt-4o-mini" } },
        { calcom: { apiKey: "cal-rotate-cli-0001", eventTypeId: 7 } },
      ]) {
        const r = await api.gql(
          `mutation($w: ID!, $i: IntegrationInput!) { setIntegration(workspaceId: $w, input: $i) { provider } }`,
          { w, i },
          { token: owner.token },
        );
        expect(r.errors).toBeUndefined();
      }
      const run = (env: Record<string, string>) =>
        spawnSync(process.execPath, [...built.cli, "credentials", "rotate"], {
          cwd: apiDir,
          encoding: "utf8",
          env: {
            ...process.env,
            DATABASE_URL: api.testDb.ownerUrl,
            APP_DATABASE_URL: api.testDb.appUrl,
            NODE_ENV: "test",
            ...env,
          },
          timeout: 60_000,
        });
      const kid2 = kidOf(new Uint8Array(raw2));
      const r = run({ INTEGRATIONS_ENCRYPTION_KEY: `${raw2.toString("base64")},${raw1.toString("base64")}` });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`Re-encrypting integration and TOTP secrets with key ${kid2}`);
      expect(r.stdout).toContain("2/2 re-encrypted");
      expect(r.stdout).toContain(`${kid2} (newest): 2 secret(s)`);
      const rows = await ownerSql<{ key_id: string }>(api, `SELECT DISTINCT key_id FROM integrations`);
      expect(rows).toEqual([{ key_id: kid2 }]);
      const none = run({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(40), INTEGRATIONS_ENCRYPTION_KEY: "" });
      expect(none.status).toBe(1);
      expect(none.stderr).toContain("INTEGRATIONS_ENCRYPTION_KEY is not set");
    } finally {
      await api.close();
    }
  });
});

// Issue 50 (decision 0053): the audit chain leaves the database as a file anyone can verify
// offline with the platform's public keys (the well-known JWKS, a file, or the raw key).
describe("pnpm atrium audit export / verify", () => {
  let api: TestApi;
  let owner: TestUser;
  let dir: string;
  const signer = generateAuditSigningKey("cli-1");
  beforeAll(async () => {
    api = await startTestApi({
      auditChain: { keys: [signer.key], keysFromEnv: true, checkpointIntervalSeconds: 3600 },
    });
    owner = await api.user("Exporter");
    dir = await mkdtemp(path.join(tmpdir(), "atrium-audit-"));
  });
  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [...built.cli, ...args], {
      cwd: apiDir,
      encoding: "utf8",
      env: {
        ...process.env,
        DATABASE_URL: api.testDb.ownerUrl,
        APP_DATABASE_URL: api.testDb.appUrl,
        NODE_ENV: "test",
        INIT_CWD: dir,
      },
      timeout: 60_000,
    });
  /** The same, without blocking this process: the API it fetches the keys from runs here. */
  const cliAsync = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [...built.cli, ...args], {
        cwd: apiDir,
        env: { ...process.env, NODE_ENV: "test", INIT_CWD: dir },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
  const audit = (w: string, n: number) =>
    ownerSql(
      api,
      `INSERT INTO audit_events (workspace_id, action, data) SELECT $1, 'test.row', jsonb_build_object('n', i) FROM generate_series(1, $2::int) AS i ORDER BY i`,
      [w, n],
    );

  it("exports a workspace (by slug to a file, by id to stdout) that verifies against the well-known keys, a key file and the raw key", async () => {
    const ws = await createWorkspace(api, owner, "Export Co");
    await audit(ws.id, 6);
    await runCheckpointSweep({ db: api.db, keys: api.config.auditChain.keys, log: () => undefined });
    const [{ seq }] = (await ownerSql<{ seq: string }>(
      api,
      `SELECT max(seq)::text AS seq FROM audit_checkpoints WHERE workspace_id = $1`,
      [ws.id],
    )) as [{ seq: string }];
    await audit(ws.id, 2);
    const rows = Number(seq) + 2;

    const toFile = cli("audit", "export", ws.slug, "--out", "export.jsonl");
    expect(toFile.status, toFile.stderr).toBe(0);
    expect(toFile.stdout).toBe("");
    const summary = toFile.stderr.trim().split("\n");
    expect(summary).toHaveLength(1);
    expect(
      summary[0]!.startsWith(
        `Exported ${rows} audit rows (seq 1–${rows}) and 1 signed checkpoints of workspace ${ws.slug} (${ws.id}) to ${path.join(dir, "export.jsonl")}.`,
      ),
    ).toBe(true);
    const file = path.join(dir, "export.jsonl");
    const text = readFileSync(file, "utf8");
    expect(text.trim().split("\n")).toHaveLength(1 + rows + 1);

    const toStdout = cli("audit", "export", ws.id);
    expect(toStdout.status, toStdout.stderr).toBe(0);
    // The same lines, but the header's export time.
    expect(toStdout.stdout.split("\n").slice(1)).toEqual(text.split("\n").slice(1));

    const expected = new RegExp(
      `^verified: ${rows} rows, chain verified up to checkpoint seq ${seq} signed at \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z \\(key cli-1\\); 2 rows after it not yet signed\n$`,
    );
    const jwks = (await api.app.inject({ method: "GET", url: AUDIT_KEYS_PATH })).body;
    await writeFile(path.join(dir, "keys.json"), jwks);
    for (const key of [`${api.url}${AUDIT_KEYS_PATH}`, "keys.json", signer.key.x]) {
      const r = await cliAsync("audit", "verify", "export.jsonl", "--key", key);
      expect(r.stdout, `${key}: ${r.stderr}`).toMatch(expected);
      expect(r.status).toBe(0);
    }
    // Another key does not verify the checkpoint.
    const other = cli("audit", "verify", file, "--key", generateAuditSigningKey("cli-1").key.x);
    expect(oneLineFailure(other)).toMatch(/^FAILED: the checkpoint at seq \d+ .*does not verify with key "cli-1"$/);
    expect(other.status).toBe(1);
  });

  it("names the first tampered row, with exit code 1", async () => {
    const ws = await createWorkspace(api, owner, "Tamper Co");
    await audit(ws.id, 6);
    const { default: pgc } = await import("pg");
    const c = new pgc.Client({ connectionString: api.testDb.ownerUrl });
    await c.connect();
    await c.query("SET session_replication_role = replica");
    await c.query(`UPDATE audit_events SET data = '{"n": 666}' WHERE workspace_id = $1 AND seq = 4`, [ws.id]);
    await c.end();
    const [{ id }] = (await ownerSql<{ id: string }>(
      api,
      `SELECT id::text FROM audit_events WHERE workspace_id = $1 AND seq = 4`,
      [ws.id],
    )) as [{ id: string }];
    expect(cli("audit", "export", ws.slug, "--out", "tampered.jsonl").status).toBe(0);
    const r = cli("audit", "verify", "tampered.jsonl", "--key", signer.key.x);
    expect(oneLineFailure(r)).toBe(`FAILED: row ${id} at seq 4 was edited: its content no longer matches its hash`);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
  });

  it("explains a missing file, a bad key, a file that is no export, an unknown workspace and bad arguments in one line", async () => {
    await writeFile(path.join(dir, "notes.txt"), "hello\n");
    await writeFile(
      path.join(dir, "other.jsonl"),
      `${JSON.stringify({ type: "header", format: "something-else/1" })}\n`,
    );
    const cases: [string[], RegExp, number][] = [
      [
        ["audit", "verify", "missing.jsonl", "--key", signer.key.x],
        /^\[atrium\] audit verify failed: no such file: .*missing\.jsonl$/,
        1,
      ],
      [
        ["audit", "verify", "notes.txt", "--key", "not-a-key"],
        /^\[atrium\] audit verify failed: --key is not an Ed25519 public key/,
        1,
      ],
      [
        ["audit", "verify", "notes.txt", "--key", signer.key.x],
        /^\[atrium\] audit verify failed: .*notes\.txt: line 1 is not JSON$/,
        1,
      ],
      [
        ["audit", "verify", "other.jsonl", "--key", signer.key.x],
        /^\[atrium\] audit verify failed: .*other\.jsonl: not an Atrium audit export/,
        1,
      ],
      [
        ["audit", "export", "no-such-workspace"],
        /^\[atrium\] audit export failed: no workspace has the slug no-such-workspace$/,
        1,
      ],
      [["audit", "verify", "export.jsonl"], /^usage: pnpm atrium audit export/, 2],
      [["audit", "export", "a", "b"], /^usage: pnpm atrium audit export/, 2],
    ];
    for (const [args, message, status] of cases) {
      const r = cli(...args);
      expect(oneLineFailure(r), args.join(" ")).toMatch(message);
      expect(r.status, args.join(" ")).toBe(status);
    }
  });
});
