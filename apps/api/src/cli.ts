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
//   audit export <workspace id or slug> [--out file]  the workspace's audit hash chain and its
//                          signed checkpoints as JSON Lines (issue 50, decision 0053), to stdout
//                          or the file; a one-line summary on stderr
//   audit verify <file> --key <public key | file | JWKS URL>  verifies an export offline: exit 0
//                          and "verified: …", or exit 1 and "FAILED: …" naming the first bad row
//   audit keygen [kid]     a new Ed25519 entry for AUDIT_SIGNING_KEYS, and its public key
// With the embedded default, every command uses the running embedded PostgreSQL when Atrium runs
// (found through its postmaster.pid) and starts it for the command otherwise — never a second
// server on the same data directory. Every failure is one line on stderr and a non-zero exit
// (2: bad arguments, 1: anything else); never a stack trace.
import "reflect-metadata";

import type { KeyObject } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import {
  appUrlFrom,
  createDb,
  explainDatabaseUrlFailure,
  prepareDatabase,
  repoRoot,
  type DatabaseEnv,
  type Db,
} from "@atrium/db";

import { rotateCredentials } from "./credentials-rotation.ts";
import { loadConfig, type AppConfig } from "./env.ts";
import { exportChain } from "./modules/audit/audit-chain.service.ts";
import { createPlatformAdminService } from "./modules/platform-admin/platform-admin.service.ts";
import {
  ChainFileError,
  exportToJsonLines,
  parseJsonLines,
  parsePublicKeys,
  verifyChain,
  type PublicKeys,
} from "./platform/audit/chain.ts";
import { AUDIT_KEYS_PATH, generateAuditSigningKey } from "./platform/audit/signing.ts";
import { UUID_RE } from "./platform/authz/access.ts";
import {
  backup,
  openTarget,
  requireEmbeddedDataDir,
  restore,
  RestoreRefused,
  runningEmbedded,
} from "./platform/backup/backup.ts";
import { SecretBox } from "./platform/crypto/secret-box.ts";
import { seedPlan, SeedRefused, seedScale } from "./seed-scale.ts";

const USAGES: Record<string, string> = {
  admin: "admin grant <email>",
  credentials: "credentials rotate",
  backup: "backup [file] [--plain]",
  restore: "restore <file> [--replace]",
  "seed-scale": "seed-scale [--scale <fraction>]",
  audit:
    "audit export <workspace id or slug> [--out file] | audit verify <file> --key <public key | file | JWKS URL> | audit keygen [kid]",
};
const args = process.argv.slice(2);
const [area, command, email] = args;

/** Prints one line to stderr and exits; nothing else of the process is printed after it. */
function fail(line: string, code = 1): never {
  console.error(line);
  process.exit(code);
}

const isGrant =
  area === "admin" && command === "grant" && Boolean(email) && args.length === 3 && !email!.startsWith("-");
const isRotate = area === "credentials" && command === "rotate" && args.length === 2;
const backupArgs = area === "backup" ? args.slice(1) : [];
const plain = backupArgs.includes("--plain");
const backupFiles = backupArgs.filter((a) => a !== "--plain");
const backupFile = backupFiles[0];
const isBackup =
  area === "backup" &&
  backupFiles.length <= 1 &&
  backupArgs.length - backupFiles.length <= 1 &&
  !backupFile?.startsWith("--");
const isRestore =
  area === "restore" &&
  Boolean(command) &&
  !command!.startsWith("--") &&
  args.length <= 3 &&
  (args[2] === undefined || args[2] === "--replace");
/** `--name value` pairs after the positional arguments of an `audit` command; null when malformed. */
function auditArgs(rest: string[], names: string[]): { positional: string[]; flags: Record<string, string> } | null {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a.startsWith("--")) {
      const name = a.slice(2);
      const value = rest[i + 1];
      if (!names.includes(name) || value === undefined || value.startsWith("--") || name in flags) return null;
      flags[name] = value;
      i++;
    } else positional.push(a);
  }
  return { positional, flags };
}
const auditExport = area === "audit" && command === "export" ? auditArgs(args.slice(2), ["out"]) : null;
const auditVerify = area === "audit" && command === "verify" ? auditArgs(args.slice(2), ["key"]) : null;
const isAuditExport = auditExport !== null && auditExport.positional.length === 1;
const isAuditVerify =
  auditVerify !== null && auditVerify.positional.length === 1 && auditVerify.flags.key !== undefined;
const isAuditKeygen =
  area === "audit" &&
  command === "keygen" &&
  args.length <= 3 &&
  (args[2] === undefined || /^[A-Za-z0-9._-]{1,64}$/.test(args[2]));
const isSeed =
  area === "seed-scale" &&
  (args.length === 1 ||
    (args.length === 3 && args[1] === "--scale" && /^(0|1)?(\.\d+)?$/.test(args[2] ?? "") && args[2] !== ""));
if (!isGrant && !isRotate && !isBackup && !isRestore && !isSeed && !isAuditExport && !isAuditVerify && !isAuditKeygen) {
  const usage = area !== undefined && Object.hasOwn(USAGES, area) ? USAGES[area]! : Object.values(USAGES).join(" | ");
  fail(`usage: pnpm atrium ${usage}`, 2);
}
const commandName = isGrant
  ? "admin grant"
  : isRotate
    ? "credentials rotate"
    : isBackup
      ? "backup"
      : isRestore
        ? "restore"
        : isSeed
          ? "seed-scale"
          : `audit ${command}`;
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

/** Writes all of `text` to stdout before the process may exit (a pipe takes it in chunks). */
const toStdout = (text: string) =>
  new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));

if (isAuditKeygen) {
  const kid = args[2] ?? new Date().toISOString().slice(0, 10);
  const { entry, key } = generateAuditSigningKey(kid);
  await toStdout(
    [
      `AUDIT_SIGNING_KEYS=${entry}`,
      "",
      `Put it first in AUDIT_SIGNING_KEYS (comma-separated, newest first) and keep the older entries: they stay published at ${AUDIT_KEYS_PATH} so older checkpoints still verify.`,
      `Keep the value secret. Its public key (kid "${kid}"): ${key.x}`,
      "",
    ].join("\n"),
  );
  process.exit(0);
}

if (isAuditVerify) {
  // Offline: no database, nothing but the file and the key.
  const here = callerPath;
  const failVerify = (why: string): never => fail(`[atrium] audit verify failed: ${why}`);
  const keyArg = auditVerify.flags.key!;
  let keyText: string;
  if (/^https?:\/\//i.test(keyArg)) {
    const res = await fetch(keyArg, { signal: AbortSignal.timeout(15_000) }).catch((err: unknown) =>
      failVerify(`cannot fetch the public keys from ${keyArg}: ${reason(err)}`),
    );
    if (!res.ok) failVerify(`cannot fetch the public keys from ${keyArg}: HTTP ${res.status}`);
    keyText = await res.text();
  } else {
    keyText = await readFile(here(keyArg), "utf8").catch((err: { code?: string }) =>
      err.code === "ENOENT" || err.code === "ENAMETOOLONG"
        ? keyArg
        : failVerify(`cannot read the key file ${here(keyArg)}: ${reason(err)}`),
    );
  }
  let keys: PublicKeys = [];
  try {
    keys = parsePublicKeys(keyText);
    const list: KeyObject[] =
      keys instanceof Map
        ? [...(keys as ReadonlyMap<string, KeyObject>).values()]
        : [...(keys as readonly KeyObject[])];
    if (list.length === 0 || list.some((k) => k.asymmetricKeyType !== "ed25519")) throw new Error("not Ed25519");
  } catch {
    failVerify(
      "--key is not an Ed25519 public key: give a PEM, a JWK or JWKS (text, a file or its URL), or the 32-byte key in base64url or hex",
    );
  }
  const file = here(auditVerify.positional[0]!);
  const text = await readFile(file, "utf8").catch((err: { code?: string }) =>
    failVerify(err.code === "ENOENT" ? `no such file: ${file}` : `cannot read ${file}: ${reason(err)}`),
  );
  let result: ReturnType<typeof verifyChain>;
  try {
    result = verifyChain(parseJsonLines(text), keys);
  } catch (err) {
    failVerify(
      err instanceof ChainFileError
        ? `${file}: ${err.message}`
        : `${file} is not an Atrium audit export (${reason(err)})`,
    );
  }
  const r = result!;
  if (!r.ok) fail(`FAILED: ${r.problem!.message}`);
  const v = r.verifiedThrough;
  await toStdout(
    v
      ? `verified: ${r.rows} rows, chain verified up to checkpoint seq ${v.seq} signed at ${v.signedAt} (key ${v.keyId}); ${r.unsignedRows} rows after it not yet signed\n`
      : `verified: ${r.rows} rows, links and hashes hold, but no signed checkpoint covers them yet; ${r.unsignedRows} rows not yet signed\n`,
  );
  process.exit(0);
}

/** Why `err` happened, in one line a person can act on. */
function reason(err: unknown): string {
  const e = (err ?? {}) as {
    code?: unknown;
    message?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string } } };
  };
  if (e.code === "NOT_FOUND" && isGrant) return `no account uses ${email}; sign up first, then run this again`;
  // A database that went away or refuses us: pg's error codes, or Prisma's driver-adapter kinds.
  const kind = e.meta?.driverAdapterError?.cause?.kind;
  const code =
    kind === "DatabaseNotReachable" || kind === "ConnectionClosed"
      ? "ECONNREFUSED"
      : kind === "SocketTimeout"
        ? "ETIMEDOUT"
        : kind === "AuthenticationFailed"
          ? "28P01"
          : kind === "DatabaseDoesNotExist"
            ? "3D000"
            : typeof e.code === "string"
              ? e.code
              : undefined;
  if (
    code !== undefined &&
    /^(ECONNREFUSED|ECONNRESET|EPIPE|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|28P01|28000|3D000|57P01|57P03)$/.test(code)
  ) {
    if (dbEnv?.databaseUrl) return explainDatabaseUrlFailure({ code }, dbEnv.databaseUrl);
    const running = dbEnv ? runningEmbedded(dbEnv.embeddedDataDir) : null;
    return `cannot use the embedded PostgreSQL${running ? ` on port ${running.port}` : ""} (${code === "57P03" ? "it is starting or stopping" : code === "57P01" ? "it was shut down" : "it is not reachable"}); try again once Atrium has started, or stop Atrium and run this again`;
  }
  const text = err instanceof Error || typeof e.message === "string" ? String(e.message) : String(err);
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  // Prisma's messages: "Invalid `prisma.x()` invocation:" then, lines below, what went wrong.
  const line = lines[0]?.startsWith("Invalid `") ? lines.at(-1)! : lines.join(" ");
  return line === "" ? (err instanceof Error ? err.name : "unknown error") : line;
}

let code = 0;
if (isBackup || isRestore) {
  const target = await openTarget(config.db, { missing: isBackup ? "refuse" : "create" }).catch((err: unknown) =>
    fail(`[atrium] ${commandName} failed: ${reason(err)}`),
  );
  try {
    if (isBackup) {
      const stamp = new Date()
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d+Z$/, "Z");
      const file = backupFile
        ? callerPath(backupFile)
        : path.join(repoRoot, "backups", `atrium-${stamp}.${plain ? "sql" : "dump"}`);
      console.log(`Backing up ${target.description} (${plain ? "plain SQL" : "pg_dump custom format"})…`);
      const started = Date.now();
      const bytes = await backup(target.ownerUrl, plain ? "plain" : "custom");
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, bytes, { mode: 0o600 });
      console.log(
        `Wrote ${file} (${(bytes.length / 1024).toFixed(0)} KiB, ${Date.now() - started} ms). Restore with: pnpm atrium restore ${file}`,
      );
    } else {
      const file = callerPath(command!);
      const dump = await readFile(file).catch(() => {
        throw new RestoreRefused(`cannot read ${file}`);
      });
      console.log(`Restoring ${file} into ${target.description}…`);
      const r = await restore(target.ownerUrl, dump, {
        replace: args[2] === "--replace",
        appDbPassword: config.db.appDbPassword,
        log: (l) => console.log(`  ${l}`),
      });
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
    const db = createDb({
      appUrl: config.db.appDatabaseUrl ?? appUrlFrom(running.ownerUrl, config.db.appDbPassword),
      ownerUrl: running.ownerUrl,
      poolSize: 1,
    });
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
  if (config.nodeEnv === "production")
    fail(`[atrium] seed-scale is a development command; refused with NODE_ENV=production`);
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
    await seedScale(opened.ownerUrl, {
      scale: args[2] === undefined ? 1 : Number(args[2]),
      log: (l) => console.log(l),
    });
  } else if (isGrant) {
    const u = await createPlatformAdminService({ db }).grantAdmin(email!);
    console.log(`${u.email} is now a platform admin.`);
  } else if (isAuditExport) {
    const ref = auditExport.positional[0]!;
    const ws = await db.system.workspace.findFirst({
      where: UUID_RE.test(ref) ? { id: ref } : { slug: ref },
      select: { id: true, slug: true },
    });
    if (!ws) throw new Error(`no workspace has the ${UUID_RE.test(ref) ? "id" : "slug"} ${ref}`);
    const exp = await exportChain(db, ws.id);
    const out = auditExport.flags.out;
    const lines = exportToJsonLines(exp);
    if (out) {
      const file = callerPath(out);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, lines, { mode: 0o600 });
    } else await toStdout(lines);
    const first = exp.rows[0]?.seq;
    const last = exp.rows.at(-1)?.seq;
    console.error(
      `Exported ${exp.rows.length} audit rows${first === undefined ? "" : ` (seq ${first}–${last})`} and ${exp.checkpoints.length} signed checkpoints of workspace ${ws.slug} (${ws.id}) to ${out ? callerPath(out) : "stdout"}. Verify with: pnpm atrium audit verify <file> --key <public keys URL, ending ${AUDIT_KEYS_PATH}>`,
    );
  } else {
    const box = new SecretBox(config.integrationKeys);
    if (!box.newestKid) throw new Error("INTEGRATIONS_ENCRYPTION_KEY is not set: there is no key to rotate to.");
    console.log(`Re-encrypting integration and TOTP secrets with key ${box.newestKid}…`);
    const result = await rotateCredentials(
      { db, box },
      {
        onProgress: (p) =>
          console.log(`  ${p.rotated}/${p.total} re-encrypted${p.failed ? `, ${p.failed} could not be opened` : ""}`),
      },
    );
    const perKey = await db.system.$queryRaw<{ key_id: string; n: bigint }[]>`
      SELECT key_id, count(*) AS n FROM (SELECT key_id FROM integrations UNION ALL SELECT key_id FROM totp_factors) k GROUP BY key_id ORDER BY key_id`;
    console.log(
      `Done: ${result.rotated} re-encrypted${result.failed ? `, ${result.failed} sealed with a key that is no longer configured` : ""}.`,
    );
    for (const r of perKey)
      console.log(`  ${r.key_id}${r.key_id === box.newestKid ? " (newest)" : ""}: ${r.n} secret(s)`);
    if (result.failed) code = 1;
  }
} catch (err) {
  console.error(
    err instanceof SeedRefused
      ? `[atrium] seed-scale refused: ${err.message}`
      : `[atrium] ${commandName} failed: ${reason(err)}`,
  );
  code = 1;
} finally {
  await opened.close().catch(() => undefined);
}
process.exit(code);
