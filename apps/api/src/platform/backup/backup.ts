// `pnpm atrium backup` / `pnpm atrium restore`: a pg_dump of the database (embedded by default,
// DATABASE_URL otherwise) in pg_dump's custom format (or, with --plain, its SQL script), and its restore into an empty (or, with --replace, dropped and
// re-created) database, followed by any newer migrations.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

import { APP_ROLE, migrate, setAppRolePassword, startEmbeddedPostgres, type DatabaseEnv } from "@atrium/db";

import { ArchiveError, archiveToScript, isArchive, readArchive } from "./archive.ts";
import { pgDumpFile, pgDumpText, type DumpFormat } from "./pg-dump.ts";

export interface Target {
  ownerUrl: string;
  /** How the server was found, for the first line the command prints. */
  description: string;
  close(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === "EPERM";
  }
}

/** The embedded PostgreSQL running on `dataDir` (Atrium's own, say), from its postmaster.pid; null when none runs. */
export function runningEmbedded(dataDir: string): { ownerUrl: string; port: number; pid: number } | null {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  let lines: string[];
  try {
    lines = readFileSync(pidFile, "utf8").split("\n");
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!(pid > 0 && alive(pid) && port > 0)) return null;
  return { ownerUrl: `postgresql://postgres:postgres@127.0.0.1:${port}/atrium`, port, pid };
}

/** There is no database to work on: the embedded data directory was never created. */
export class NoDatabase extends Error {
  override readonly name = "NoDatabase";
}

/** Refuses, in one line, an embedded data directory that does not exist yet. */
export function requireEmbeddedDataDir(dataDir: string): void {
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    throw new NoDatabase(
      `there is no Atrium database in ${dataDir} yet: start Atrium once (pnpm start), or set DATABASE_URL or EMBEDDED_PG_DIR`,
    );
  }
}

/**
 * The database to back up or restore: DATABASE_URL; else the embedded server — the running one
 * (read from its postmaster.pid, so a backup works while Atrium runs), or started for the command.
 * `missing: "refuse"`: an embedded data directory that does not exist yet is an error (NoDatabase)
 * instead of a new, empty database.
 */
export async function openTarget(env: DatabaseEnv, opts: { missing?: "create" | "refuse" } = {}): Promise<Target> {
  if (env.databaseUrl)
    return { ownerUrl: env.databaseUrl, description: "the database in DATABASE_URL", close: () => Promise.resolve() };
  const running = runningEmbedded(env.embeddedDataDir);
  if (running) {
    return {
      ownerUrl: running.ownerUrl,
      description: `the running embedded PostgreSQL (port ${running.port}, data in ${env.embeddedDataDir})`,
      close: () => Promise.resolve(),
    };
  }
  if (opts.missing === "refuse") requireEmbeddedDataDir(env.embeddedDataDir);
  const server = await startEmbeddedPostgres({
    dataDir: env.embeddedDataDir,
    port: env.embeddedPort,
    portVariable: "EMBEDDED_PG_PORT",
  });
  return {
    ownerUrl: server.url,
    description: `the embedded PostgreSQL (data in ${env.embeddedDataDir}, started for this command)`,
    close: () => server.stop(),
  };
}

export async function backup(ownerUrl: string, format: DumpFormat = "custom"): Promise<Uint8Array> {
  if (format === "plain") {
    const text = await pgDumpText(ownerUrl);
    if (!text.includes("PostgreSQL database dump complete"))
      throw new Error("pg_dump stopped before the end of the dump");
    return Buffer.from(text, "utf8");
  }
  const archive = await pgDumpFile(ownerUrl, "custom");
  // Read it back before calling it a backup: a file the restore cannot read is no backup.
  const toc = readArchive(archive);
  if (!toc.entries.some((e) => e.desc === "TABLE")) throw new Error("the archive pg_dump wrote holds no tables");
  return archive;
}

/** The SQL a backup file restores: a custom-format archive (made into pg_restore's script) or a plain dump. */
export function restoreScript(file: Uint8Array): string {
  if (isArchive(file)) return archiveToScript(readArchive(file));
  const text = Buffer.from(file).toString("utf8");
  if (!text.includes("PostgreSQL database dump"))
    throw new RestoreRefused(
      "that file is neither a pg_dump custom-format archive nor a pg_dump SQL dump (made by pnpm atrium backup)",
    );
  return text;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export class RestoreRefused extends Error {
  override readonly name = "RestoreRefused";
}

/**
 * Restores a backup made by `backup` (either format) into the database of `ownerUrl`: refuses a database that has
 * tables unless `replace`, and refuses to drop one that others are connected to (stop the API
 * first). The whole script runs as one transaction: a failed restore leaves an empty database.
 */
export async function restore(
  ownerUrl: string,
  file: Uint8Array,
  opts: { replace: boolean; appDbPassword: string; log?: (line: string) => void },
): Promise<{ tables: number }> {
  const log = opts.log ?? (() => undefined);
  let dump: string;
  try {
    dump = restoreScript(file);
  } catch (err) {
    if (err instanceof ArchiveError) throw new RestoreRefused(`that archive cannot be restored: ${err.message}`);
    throw err;
  }
  const database = decodeURIComponent(new URL(ownerUrl).pathname.slice(1));
  const admin = new pg.Client({ connectionString: withDatabase(ownerUrl, "postgres") });
  await admin.connect();
  try {
    const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])).rowCount === 1;
    if (exists) {
      const target = new pg.Client({ connectionString: ownerUrl });
      await target.connect();
      const tables = Number(
        (
          await target.query<{ n: string }>(
            "SELECT count(*)::text AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
          )
        ).rows[0]!.n,
      );
      await target.end();
      if (tables > 0 && !opts.replace) {
        throw new RestoreRefused(
          `the database "${database}" already holds ${tables} tables; run again with --replace to drop it and restore the backup in its place (stop Atrium first)`,
        );
      }
      const others = Number(
        (
          await admin.query<{ n: string }>(
            "SELECT count(*)::text AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            [database],
          )
        ).rows[0]!.n,
      );
      if (others > 0)
        throw new RestoreRefused(
          `${others} connection(s) are open to the database "${database}" — stop Atrium (and anything else using it) first`,
        );
      log(`dropping the database "${database}"`);
      await admin.query(`DROP DATABASE ${quoteIdent(database)}`);
    }
    await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
    // Roles belong to the server, not the dump: the app role must exist for the dump's GRANTs.
    await admin.query(
      `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN CREATE ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT; END IF; END $$`,
    );
  } finally {
    await admin.end();
  }
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    // One simple-protocol message: PostgreSQL runs it as one implicit transaction.
    await client.query(dump);
    const m = await migrate(ownerUrl, { log });
    if (m.applied.length > 0) log(`applied ${m.applied.length} migration(s) newer than the backup`);
    await setAppRolePassword(ownerUrl, opts.appDbPassword);
    const tables = Number(
      (
        await client.query<{ n: string }>(
          "SELECT count(*)::text AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
        )
      ).rows[0]!.n,
    );
    await client.end();
    return { tables };
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
}
