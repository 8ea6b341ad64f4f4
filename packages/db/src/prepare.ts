// One code path for every start: an external server when DATABASE_URL is set, otherwise the
// embedded one under .data/; then migrations, then the app role's password.
import { startEmbeddedPostgres, type EmbeddedServer } from "./embedded.ts";
import { readDatabaseEnv, type DatabaseEnv } from "./env.ts";
import { migrate } from "./migrate.ts";
import { appUrlFrom, setAppRolePassword } from "./roles.ts";

export interface PreparedDatabase {
  ownerUrl: string;
  appUrl: string;
  embedded: EmbeddedServer | null;
  close(): Promise<void>;
}

export async function prepareDatabase(opts: {
  env?: DatabaseEnv;
  migrate?: boolean;
  log?: (line: string) => void;
} = {}): Promise<PreparedDatabase> {
  const env = opts.env ?? readDatabaseEnv();
  const log = opts.log ?? (() => undefined);
  let embedded: EmbeddedServer | null = null;
  let ownerUrl = env.databaseUrl;
  if (!ownerUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: env.embeddedDataDir, port: env.embeddedPort });
    ownerUrl = embedded.url;
    log(`embedded PostgreSQL running, data in ${env.embeddedDataDir}, port ${env.embeddedPort}`);
  }
  try {
    if (opts.migrate !== false) {
      const r = await migrate(ownerUrl, { log });
      log(`migrations: ${r.applied.length} applied, ${r.alreadyApplied} already present`);
    }
    let appUrl = env.appDatabaseUrl;
    if (!appUrl) {
      await setAppRolePassword(ownerUrl, env.appDbPassword);
      appUrl = appUrlFrom(ownerUrl, env.appDbPassword);
    }
    return { ownerUrl, appUrl, embedded, close: async () => embedded?.stop() };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}
