// `pnpm atrium <command>`: operator commands against DATABASE_URL or the embedded database.
//   admin grant <email>    promote a user to platform ADMIN (how the first admin is made)
//   credentials rotate     re-encrypt every integration and TOTP secret with the newest key of
//                          INTEGRATIONS_ENCRYPTION_KEY (I2), printing progress and the count per key
//   backup [file] [--plain]  a pg_dump of the database in its custom format (default
//                          backups/atrium-<time>.dump); --plain: the SQL script instead (.sql)
//   restore <file> [--replace]  restore a backup (either format) into an empty database
//                          (--replace: drop it first)
//   seed-scale [--scale <fraction>]  development only: fill a database of its own with 10,000
//                          workspaces, 5 M leads and contacts, 20 M messages, 1 M audit rows and
//                          one measured workspace (issue 52; --scale 0.01 for a hundredth)
// With the embedded default, every command uses the running embedded PostgreSQL when Atrium runs
// (found through its postmaster.pid) and starts it for the command otherwise — never a second
// server on the same data directory. Every failure is one line on stderr and a non-zero exit
// (2: bad arguments, 1: anything else); never a stack trace.
import "reflect-metadata";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { appUrlFrom, createDb, explainDatabaseUrlFailure, prepareDatabase, repoRoot, type DatabaseEnv, type Db } from "@atrium/db";
import { loadConfig, type AppConfig } from "./env.ts";
import { backup, openTarget, requireEmbeddedDataDir, restore, RestoreRefused, runningEmbedded } from "./platform/backup/backup.ts";
import { createPlatformAdminService } from "./modules/platform-admin/platform-admin.service.ts";
import { SecretBox } from "./platform/crypto/secret-box.ts";
import { rotateCredentials } from "./credentials-rotation.ts";
import { SeedRefused, seedPlan, seedScale } from "./seed-scale.ts";

const USAGES: Record<string, string> = {
  admin: "admin grant <email>",
  credentials: "credentials rotate",
  backup: "backup [file] [--plain]",
  restore: "restore <file> [--replace]",
  "seed-scale": "seed-scale [--scale <fraction>]",
};
const args = process.argv.slice(2);
const [area, command, email] = args;

/** Prints one line to stderr and exits; nothing else of the process is printed after it. */
function fail(line: string, code = 1): never {
  console.error(line);
  process.exit(code);
}

const isGrant = area === "admin" && command === "grant" && Boolean(email) && args.length === 3 && !email!.startsWith("-");
const isRotate = area === "credentials" && command === "rotate" && args.length === 2;
const backupArgs = area === "backup" ? args.slice(1) : [];
const plain = backupArgs.includes("--plain");
const backupFiles = backupArgs.filter((a) => a !== "--plain");
const backupFile = backupFiles[0];
const isBackup = area === "backup" && backupFiles.length <= 1 && backupArgs.length - backupFiles.length <= 1 && !backupFile?.startsWith("--");
const isRestore = area === "restore" && Boolean(command) && !command!.startsWith("--") && args.length <= 3 && (args[2] === undefined || args[2] === "--replace");
const isSeed = area === "seed-scale" && (args.length === 1 || (args.length === 3 && args[1] === "--scale" && /^(0|1)?(\.\d+)?$/.test(args[2] ?? "") && args[2] !== ""));
if (!isGrant && !isRotate && !isBackup && !isRestore && !isSeed) {
  const usage = area !== undefined && Object.hasOwn(USAGES, area) ? USAGES[area]! : Object.values(USAGES).join(" | ");
  fail(`usage: pnpm atrium ${usage}`, 2);
}
const commandName = isGrant ? "admin grant" : isRotate ? "credentials rotate" : isBackup ? "backup" : isRestore ? "restore" : "seed-scale";
/** The database settings, once read (reason() names the database with them). */
let dbEnv: DatabaseEnv | undefined;
// The last resort (a pool's late socket error, say): one line, not Node's stack trace.
const lastResort = (err: unknown) => fail(`[atrium] ${commandName} failed: ${reason(err)}`);
process.on("uncaughtException", lastResort);
process.on("unhandledRejection", lastResort);

let config: AppConfig;
try {
  config = loadConfig();
  dbEnv = config.db;
} catch (err) {
  fail(`[atrium] invalid configuration: ${reason(err)}`);
}
// pnpm runs this in apps/api; file names are the caller's, relative to where pnpm was run.
const callerPath = (file: string) => path.resolve(config.invokedFrom, file);

/** Why `err` happened, in one line a person can act on. */
function reason(err: unknown): string {
  const e = (err ?? {}) as { code?: unknown; message?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string } } } };
  if (e.code === "NOT_FOUND" && isGrant) return `no account uses ${email}; sign up first, then run this again`;
  // A database that went away or refuses us: pg's error codes, or Prisma's driver-adapter kinds.
  const kind = e.meta?.driverAdapterError?.cause?.kind;
  const code =
    kind === "DatabaseNotReachable" || kind === "ConnectionClosed" ? "ECONNREFUSED"
    : kind === "SocketTimeout" ? "ETIMEDOUT"
    : kind === "AuthenticationFailed" ? "28P01"
    : kind === "DatabaseDoesNotExist" ? "3D000"
    : typeof e.code === "string" ? e.code
    : undefined;
  if (code !== undefined && /^(ECONNREFUSED|ECONNRESET|EPIPE|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|28P01|28000|3D000|57P01|57P03)$/.test(code)) {
    if (dbEnv?.databaseUrl) return explainDatabaseUrlFailure({ code }, dbEnv.databaseUrl);
    const running = dbEnv ? runningEmbedded(dbEnv.embeddedDataDir) : null;
    return `cannot use the embedded PostgreSQL${running ? ` on port ${running.port}` : ""} (${code === "57P03" ? "it is starting or stopping" : code === "57P01" ? "it was shut down" : "it is not reachable"}); try again once Atrium has started, or stop Atrium and run this again`;
  }
  const text = err instanceof Error || typeof e.message === "string" ? String(e.message) : String(err);
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  // Prisma's messages: "Invalid `prisma.x()` invocation:" then, lines below, what went wrong.
  const line = lines[0]?.startsWith("Invalid `") ? lines.at(-1)! : lines.join(" ");
  return line === "" ? (err instanceof Error ? err.name : "unknown error") : line;
}

let code = 0;
if (isBackup || isRestore) {
  const target = await openTarget(config.db, { missing: isBackup ? "refuse" : "create" }).catch((err: unknown) => fail(`[atrium] ${commandName} failed: ${reason(err)}`));
  try {
    if (isBackup) {
      const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
      const file = backupFile ? callerPath(backupFile) : path.join(repoRoot, "backups", `atrium-${stamp}.${plain ? "sql" : "dump"}`);
      console.log(`Backing up ${target.description} (${plain ? "plain SQL" : "pg_dump custom format"})…`);
      const started = Date.now();
      const bytes = await backup(target.ownerUrl, plain ? "plain" : "custom");
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, bytes, { mode: 0o600 });
      console.log(`Wrote ${file} (${(bytes.length / 1024).toFixed(0)} KiB, ${Date.now() - started} ms). Restore with: pnpm atrium restore ${file}`);
    } else {
      const file = callerPath(command!);
      const dump = await readFile(file).catch(() => {
        throw new RestoreRefused(`cannot read ${file}`);
      });
      console.log(`Restoring ${file} into ${target.description}…`);
      const r = await restore(target.ownerUrl, dump, { replace: args[2] === "--replace", appDbPassword: config.db.appDbPassword, log: (l) => console.log(`  ${l}`) });
      console.log(`Restored: ${r.tables} tables. Start Atrium as usual.`);
    }
  } catch (err) {
    console.error(`[atrium] ${commandName} failed: ${reason(err)}`);
    code = 1;
  } finally {
    await target.close().catch(() => undefined);
  }
  process.exit(code);
}

/**
 * The database for admin grant and credentials rotate: the running embedded server when Atrium
 * runs (its migrations and the app role's password are the running instance's business, so they
 * are left alone); else what Atrium itself would start — DATABASE_URL, or the embedded server
 * started for this command, once its data directory exists (a command that needs users or secrets
 * has nothing to do on a new, empty database).
 */
async function openDb(): Promise<{ db: Db; ownerUrl: string; close(): Promise<void> }> {
  const running = config.db.databaseUrl ? null : runningEmbedded(config.db.embeddedDataDir);
  if (running) {
    const db = createDb({ appUrl: config.db.appDatabaseUrl ?? appUrlFrom(running.ownerUrl, config.db.appDbPassword), ownerUrl: running.ownerUrl, poolSize: 1 });
    return { db, ownerUrl: running.ownerUrl, close: () => db.disconnect() };
  }
  // seed-scale makes its database (a new embedded data directory is what it is for).
  if (!config.db.databaseUrl && !isSeed) requireEmbeddedDataDir(config.db.embeddedDataDir);
  const prepared = await prepareDatabase({ env: config.db, migrate: true });
  const db = createDb({ appUrl: prepared.appUrl, ownerUrl: prepared.ownerUrl, poolSize: 1 });
  return {
    db,
    ownerUrl: prepared.ownerUrl,
    close: async () => {
      await db.disconnect().catch(() => undefined);
      await prepared.close();
    },
  };
}

if (isSeed) {
  // A development command: never against a production deployment's database.
  if (config.nodeEnv === "production") fail(`[atrium] seed-scale is a development command; refused with NODE_ENV=production`);
  const scale = args[2] === undefined ? 1 : Number(args[2]);
  try {
    seedPlan(scale);
  } catch (err) {
    fail(`[atrium] seed-scale: ${reason(err)}`, 2);
  }
}

const opened = await openDb().catch((err: unknown) => fail(`[atrium] ${commandName} failed: ${reason(err)}`));
const { db } = opened;
try {
  if (isSeed) {
    await seedScale(opened.ownerUrl, { scale: args[2] === undefined ? 1 : Number(args[2]), log: (l) => console.log(l) });
  } else if (isGrant) {
    const u = await createPlatformAdminService({ db }).grantAdmin(email!);
    console.log(`${u.email} is now a platform admin.`);
  } else {
    const box = new SecretBox(config.integrationKeys);
    if (!box.newestKid) throw new Error("INTEGRATIONS_ENCRYPTION_KEY is not set: there is no key to rotate to.");
    console.log(`Re-encrypting integration and TOTP secrets with key ${box.newestKid}…`);
    const result = await rotateCredentials({ db, box }, { onProgress: (p) => console.log(`  ${p.rotated}/${p.total} re-encrypted${p.failed ? `, ${p.failed} could not be opened` : ""}`) });
    const perKey = await db.system.$queryRaw<{ key_id: string; n: bigint }[]>`
      SELECT key_id, count(*) AS n FROM (SELECT key_id FROM integrations UNION ALL SELECT key_id FROM totp_factors) k GROUP BY key_id ORDER BY key_id`;
    console.log(`Done: ${result.rotated} re-encrypted${result.failed ? `, ${result.failed} sealed with a key that is no longer configured` : ""}.`);
    for (const r of perKey) console.log(`  ${r.key_id}${r.key_id === box.newestKid ? " (newest)" : ""}: ${r.n} secret(s)`);
    if (result.failed) code = 1;
  }
} catch (err) {
  console.error(err instanceof SeedRefused ? `[atrium] seed-scale refused: ${err.message}` : `[atrium] ${commandName} failed: ${reason(err)}`);
  code = 1;
} finally {
  await opened.close().catch(() => undefined);
}
process.exit(code);
