// `pnpm atrium <command>`: operator commands against DATABASE_URL or the embedded database.
//   admin grant <email>    promote a user to platform ADMIN (how the first admin is made)
//   credentials rotate     re-encrypt every integration and TOTP secret with the newest key of
//                          INTEGRATIONS_ENCRYPTION_KEY (I2), printing progress and the count per key
//   backup [file] [--plain]  a pg_dump of the database in its custom format (default
//                          backups/atrium-<time>.dump); --plain: the SQL script instead (.sql)
//   restore <file> [--replace]  restore a backup (either format) into an empty database
//                          (--replace: drop it first)
import "reflect-metadata";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { createDb, prepareDatabase, repoRoot } from "@atrium/db";
import { loadConfig } from "./env.ts";
import { backup, openTarget, restore, RestoreRefused } from "./platform/backup/backup.ts";
import { createPlatformAdminService } from "./modules/platform-admin/platform-admin.service.ts";
import { SecretBox } from "./platform/crypto/secret-box.ts";
import { rotateCredentials } from "./credentials-rotation.ts";

const USAGE = "usage: pnpm atrium admin grant <email>\n       pnpm atrium credentials rotate\n       pnpm atrium backup [file] [--plain]\n       pnpm atrium restore <file> [--replace]";
const args = process.argv.slice(2);
const [area, command, email] = args;
const isGrant = area === "admin" && command === "grant" && Boolean(email);
const isRotate = area === "credentials" && command === "rotate";
const backupArgs = area === "backup" ? args.slice(1) : [];
const plain = backupArgs.includes("--plain");
const backupFiles = backupArgs.filter((a) => a !== "--plain");
const backupFile = backupFiles[0];
const isBackup = area === "backup" && backupFiles.length <= 1 && backupArgs.length - backupFiles.length <= 1 && !backupFile?.startsWith("--");
const isRestore = area === "restore" && Boolean(command) && command !== "--replace" && args.length <= 3 && (args[2] === undefined || args[2] === "--replace");
if (!isGrant && !isRotate && !isBackup && !isRestore) {
  console.error(USAGE);
  process.exit(2);
}
const config = loadConfig();
// pnpm runs this in apps/api; file names are the caller's, relative to where pnpm was run.
const callerPath = (file: string) => path.resolve(config.invokedFrom, file);

if (isBackup || isRestore) {
  let target;
  try {
    target = await openTarget(config.db);
  } catch (err) {
    console.error(`[atrium] cannot open the database: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  let status = 0;
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
    console.error(`[atrium] ${isBackup ? "backup" : "restore"} failed: ${err instanceof Error ? err.message : String(err)}`);
    status = 1;
  } finally {
    await target.close();
  }
  process.exit(status);
}
const prepared = await prepareDatabase({ env: config.db, migrate: true });
const db = createDb({ appUrl: prepared.appUrl, ownerUrl: prepared.ownerUrl, poolSize: 1 });
let code = 0;
try {
  if (isGrant) {
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
  const notFound = err instanceof Error && "code" in err && err.code === "NOT_FOUND";
  console.error(notFound ? `No account uses ${email}: sign up first, then run this again.` : err instanceof Error ? err.message : String(err));
  code = 1;
} finally {
  await db.disconnect();
  await prepared.close();
}
process.exit(code);
