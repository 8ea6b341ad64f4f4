// `pnpm atrium backup` / `restore` (issue 16): a dump of a database the product wrote, restored by
// the CLI into a database that did not exist, and read back through the product's own API.
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { readArchive } from "./platform/backup/archive.ts";
import { backup, restore } from "./platform/backup/backup.ts";
import { buildApi, type BuiltApi } from "./test/built.ts";
import { createWorkspace, startTestApi, type TestApi } from "./test/harness.ts";

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// The CLI bundled by build.mjs (dist/cli.js; the source `pnpm atrium` runs through tsx), built once
// for this file: a tsx start-up per run cost seconds.
let built: BuiltApi;
beforeAll(() => {
  built = buildApi();
});
afterAll(async () => built?.remove());

/** One CLI run; `why` is everything about it, for the message of an assertion on it. */
const cli = (env: Record<string, string>, ...args: string[]) => {
  const started = Date.now();
  const r = spawnSync(process.execPath, [...built.cli, ...args], {
    cwd: apiDir,
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "test", ...env },
    timeout: 120_000,
  });
  const why = [
    `pnpm atrium ${args.join(" ")}: status ${r.status}, signal ${r.signal}, ${Date.now() - started} ms${r.error ? `, ${r.error.message}` : ""}`,
    `stdout: ${r.stdout}`,
    `stderr: ${r.stderr}`,
  ].join("\n");
  return { ...r, why };
};

async function adminQuery(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

describe("pnpm atrium backup / restore", () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it("restores a backup into a fresh database, and the product reads it back", async () => {
    const source = await startTestApi();
    cleanup.push(() => source.close());
    const owner = await source.user("Backed Up");
    const ws = await createWorkspace(source, owner, "Backup Co");
    const keyRes = await source.gql<{ createApiKey: { secret: string } }>(
      `mutation($w: ID!, $i: CreateApiKeyInput!) { createApiKey(workspaceId: $w, input: $i) { secret } }`,
      { w: ws.id, i: { name: "backup", scopes: ["lead.manage"] } },
      { token: owner.token },
    );
    const secret = keyRes.data!.createApiKey.secret;
    for (const name of ["Ada Before-Backup", "Grace Before-Backup"]) {
      const r = await source.gql(
        `mutation($i: SubmitLeadInput!) { submitLead(input: $i) { id } }`,
        { i: { name, email: `${name.split(" ")[0]!.toLowerCase()}@example.test` } },
        { token: secret },
      );
      expect(r.errors).toBeUndefined();
    }

    const dir = await mkdtemp(path.join(tmpdir(), "atrium-backup-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, "atrium.dump");
    const appPassword = decodeURIComponent(new URL(source.testDb.appUrl).password);
    const made = cli(
      { DATABASE_URL: source.testDb.ownerUrl, APP_DB_PASSWORD: appPassword, INIT_CWD: dir },
      "backup",
      "atrium.dump",
    );
    expect(made.status, made.why).toBe(0);
    expect(made.stdout).toContain("pg_dump custom format");
    expect(made.stdout).toContain(`Wrote ${file}`);
    // pg_dump's custom format (what `pg_restore` reads): the PGDMP header, a table of contents,
    // compressed data blocks — the leads are in the `leads` table's data, not in clear text.
    const archiveBytes = await readFile(file);
    expect(archiveBytes.subarray(0, 5).toString("latin1")).toBe("PGDMP");
    expect(archiveBytes.includes("Ada Before-Backup")).toBe(false);
    const archive = readArchive(archiveBytes);
    expect(archive.pgDumpVersion).toMatch(/^18\./);
    expect(archive.compression).toBe("gzip");
    expect(archive.entries.find((e) => e.desc === "TABLE DATA" && e.tag === "leads")?.data).toContain(
      "Ada Before-Backup",
    );

    // Databases that do not exist yet, on the same server.
    const adminUrl = new URL(source.testDb.ownerUrl);
    adminUrl.pathname = "/postgres";
    const fresh = (suffix: string) => {
      const name = `atrium_restore_${Date.now().toString(36)}_${suffix}`;
      const url = new URL(source.testDb.ownerUrl);
      url.pathname = `/${name}`;
      cleanup.push(() => adminQuery(adminUrl.toString(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      return { name, url: url.toString() };
    };
    const { name: freshName, url: freshUrlText } = fresh("a");
    const freshUrl = new URL(freshUrlText);
    const restored = cli(
      { DATABASE_URL: freshUrl.toString(), APP_DB_PASSWORD: appPassword, INIT_CWD: dir },
      "restore",
      "atrium.dump",
    );
    expect(restored.status, restored.why).toBe(0);
    expect(restored.stdout).toMatch(/Restored: \d+ tables/);

    // Nothing lost in the archive's restore: pg_dump's own SQL rendering of the restored database,
    // archived again and restored into a second database, is the same script line for line
    // (tables, constraints, indexes, policies, grants, data). The plain format restores too.
    // The CLI makes the first script; the round trips call what it calls, in this process (each
    // CLI run is a Node start-up, slow on a loaded machine).
    const plainRun = cli(
      { DATABASE_URL: freshUrl.toString(), APP_DB_PASSWORD: appPassword, INIT_CWD: dir },
      "backup",
      "first.sql",
      "--plain",
    );
    expect(plainRun.status, plainRun.why).toBe(0);
    expect(plainRun.stdout).toContain("plain SQL");
    const firstSql = await readFile(path.join(dir, "first.sql"), "utf8");
    expect(firstSql).toContain("-- Dumped by pg_dump version 18");
    expect(firstSql).toContain("Ada Before-Backup");
    expect(firstSql).toContain("CREATE POLICY");
    const sqlOf = async (url: string) => Buffer.from(await backup(url, "plain")).toString("utf8");
    const second = fresh("b");
    await restore(second.url, await backup(freshUrl.toString(), "custom"), {
      replace: false,
      appDbPassword: appPassword,
    });
    expect(await sqlOf(second.url)).toBe(firstSql);
    const third = fresh("c");
    await restore(third.url, await readFile(path.join(dir, "first.sql")), {
      replace: false,
      appDbPassword: appPassword,
    });
    expect(await sqlOf(third.url)).toBe(firstSql);

    // The product, on the restored database: the same owner signs in, sees the workspace and its
    // leads, and the API key still works.
    const appUrl = new URL(freshUrl.toString());
    appUrl.username = new URL(source.testDb.appUrl).username;
    appUrl.password = encodeURIComponent(appPassword);
    const copy: TestApi = await startTestApi(
      {},
      {
        testDb: {
          name: freshName,
          ownerUrl: freshUrl.toString(),
          appUrl: appUrl.toString(),
          drop: () => Promise.resolve(),
        },
      },
    );
    cleanup.push(() => copy.close());
    const signIn = await copy.gql<{ signIn: { accessToken: string } }>(
      `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`,
      { i: { email: owner.email, password: owner.password } },
    );
    expect(signIn.errors).toBeUndefined();
    const token = signIn.data!.signIn.accessToken;
    const leads = await copy.gql<{ leads: { totalCount: number; edges: { node: { name: string } }[] } }>(
      `query($w: ID!) { leads(workspaceId: $w, first: 10) { totalCount edges { node { name } } } }`,
      { w: ws.id },
      { token },
    );
    expect(leads.errors).toBeUndefined();
    expect(leads.data!.leads.totalCount).toBe(2);
    expect(leads.data!.leads.edges.map((e) => e.node.name).sort()).toEqual([
      "Ada Before-Backup",
      "Grace Before-Backup",
    ]);
    const byKey = await copy.gql<{ submitLead: { id: string } }>(
      `mutation($i: SubmitLeadInput!) { submitLead(input: $i) { id } }`,
      { i: { name: "After Restore", email: "after@example.test" } },
      { token: secret },
    );
    expect(byKey.errors).toBeUndefined();

    // Restoring over a database that has data is refused without --replace, in one line.
    const again = cli(
      { DATABASE_URL: freshUrl.toString(), APP_DB_PASSWORD: appPassword, INIT_CWD: dir },
      "restore",
      "atrium.dump",
    );
    expect(again.status, again.why).toBe(1);
    expect(again.stderr.trim()).toMatch(
      /^\[atrium\] restore failed: the database "atrium_restore_\w+" already holds \d+ tables; run again with --replace/,
    );
    // … and with --replace while the product is connected, refused too (stop Atrium first).
    const busy = cli(
      { DATABASE_URL: freshUrl.toString(), APP_DB_PASSWORD: appPassword, INIT_CWD: dir },
      "restore",
      "atrium.dump",
      "--replace",
    );
    expect(busy.status, busy.why).toBe(1);
    expect(busy.stderr).toContain("stop Atrium");
    // A cut archive is refused before anything is touched (the fourth database stays absent).
    await writeFile(path.join(dir, "cut.dump"), archiveBytes.subarray(0, Math.floor(archiveBytes.length / 2)));
    const fourth = fresh("d");
    const cut = cli({ DATABASE_URL: fourth.url, APP_DB_PASSWORD: appPassword, INIT_CWD: dir }, "restore", "cut.dump");
    expect(cut.status, cut.why).toBe(1);
    expect(cut.stderr.trim()).toBe(
      "[atrium] restore failed: that archive cannot be restored: the archive ends early (truncated file?)",
    );
    // Six CLI runs (a Node start-up each).
  }, 300_000);
});
