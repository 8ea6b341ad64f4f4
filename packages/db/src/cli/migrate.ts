// `pnpm db:migrate`: applies pending migrations to DATABASE_URL or the embedded server.
import { prepareDatabase } from "../prepare.ts";

const db = await prepareDatabase({ log: (l) => console.log(`[db] ${l}`) }).catch((err: unknown) => {
  console.error(`[db] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
await db.close();
