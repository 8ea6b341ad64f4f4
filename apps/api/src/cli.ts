// `pnpm atrium <command>`: operator commands against DATABASE_URL or the embedded database.
//   admin grant <email>    promote a user to platform ADMIN (how the first admin is made)
//   credentials rotate     re-encrypt every integration secret with the newest key of
//                          INTEGRATIONS_ENCRYPTION_KEY (I2), printing progress and the count per key
import "reflect-metadata";
import { createDb, prepareDatabase } from "@atrium/db";
import { loadConfig } from "./env.ts";
import { createPlatformAdminService } from "./modules/platform-admin/platform-admin.service.ts";
import { SecretBox } from "./platform/crypto/secret-box.ts";
import { rotateCredentials } from "./platform/jobs/credentials-rotation.ts";

const USAGE = "usage: pnpm atrium admin grant <email>\n       pnpm atrium credentials rotate";
const [area, command, email] = process.argv.slice(2);
const isGrant = area === "admin" && command === "grant" && Boolean(email);
const isRotate = area === "credentials" && command === "rotate";
if (!isGrant && !isRotate) {
  console.error(USAGE);
  process.exit(2);
}
const config = loadConfig();
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
    console.log(`Re-encrypting integration secrets with key ${box.newestKid}…`);
    const result = await rotateCredentials({ db, box }, { onProgress: (p) => console.log(`  ${p.rotated}/${p.total} re-encrypted${p.failed ? `, ${p.failed} could not be opened` : ""}`) });
    const perKey = await db.system.$queryRaw<{ key_id: string; n: bigint }[]>`SELECT key_id, count(*) AS n FROM integrations GROUP BY key_id ORDER BY key_id`;
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
