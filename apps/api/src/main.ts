// `pnpm start` / `pnpm dev`: database (embedded unless DATABASE_URL), migrations, API + web app
// on one port, graceful shutdown (in-flight requests finish, then the pool and the server close).
import "reflect-metadata";
import { createDb, prepareDatabase } from "@atrium/db";
import { loadConfig } from "./env.ts";
import { buildServer } from "./platform/http/server.ts";
import { createServices } from "./services.ts";
import { startScheduler } from "./platform/jobs/scheduler.ts";

let config;
try {
  config = loadConfig();
} catch (err) {
  console.error(`[atrium] invalid configuration: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
if (!config.authSecretFromEnv) console.warn("[atrium] AUTH_SECRET is not set: using the development secret (refused in production).");
if (config.integrationKeys.length === 0) console.warn("[atrium] INTEGRATIONS_ENCRYPTION_KEY is not set: integration credentials cannot be saved until it is.");
else if (!config.integrationsKeyPresent) console.warn("[atrium] INTEGRATIONS_ENCRYPTION_KEY is not set: sealing integration credentials with the development key (production refuses to save them).");

const prepared = await prepareDatabase({ env: config.db, migrate: true, log: (l) => console.log(`[db] ${l}`) });
const db = createDb({ appUrl: prepared.appUrl, ownerUrl: prepared.ownerUrl });
const services = createServices(config, db);
const app = await buildServer(config, services);
const scheduler = config.jobsEnabled
  ? await startScheduler({ ownerUrl: prepared.ownerUrl, db, retention: services.retention, services, log: (msg, data) => app.log.info(data ?? {}, msg) })
  : null;

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, "shutting down");
  try {
    await app.close();
    await scheduler?.stop();
    await services.jobs.stop();
    await db.disconnect();
    await prepared.close();
  } finally {
    process.exit(0);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

await app.listen({ port: config.port, host: config.host });
console.log(`[atrium] ready on http://localhost:${config.port} (GraphQL at /graphql)`);
