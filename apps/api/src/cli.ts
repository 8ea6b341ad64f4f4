// `pnpm atrium <command>`: operator commands against DATABASE_URL or the embedded database.
//   admin grant <email>   promote a user to platform ADMIN (how the first admin is made)
import "reflect-metadata";
import { createDb, prepareDatabase } from "@atrium/db";
import { loadConfig } from "./env.ts";
import { createPlatformAdminService } from "./modules/platform-admin/platform-admin.service.ts";

const USAGE = "usage: pnpm atrium admin grant <email>";
const [area, command, email] = process.argv.slice(2);
if (area !== "admin" || command !== "grant" || !email) {
  console.error(USAGE);
  process.exit(2);
}
const config = loadConfig();
const prepared = await prepareDatabase({ env: config.db, migrate: true });
const db = createDb({ appUrl: prepared.appUrl, ownerUrl: prepared.ownerUrl, poolSize: 1 });
let code = 0;
try {
  const u = await createPlatformAdminService({ db }).grantAdmin(email);
  console.log(`${u.email} is now a platform admin.`);
} catch (err) {
  const notFound = err instanceof Error && "code" in err && err.code === "NOT_FOUND";
  console.error(notFound ? `No account uses ${email}: sign up first, then run this again.` : err instanceof Error ? err.message : String(err));
  code = 1;
} finally {
  await db.disconnect();
  await prepared.close();
}
process.exit(code);
