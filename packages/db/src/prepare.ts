// One code path for every start: an external server when DATABASE_URL is set, otherwise the
// embedded one under .data/; then migrations, then the app role's password.
import { createServer } from "node:net";

import { EmbeddedStartError, startEmbeddedPostgres, type EmbeddedServer } from "./embedded.ts";
import { readDatabaseEnv, type DatabaseEnv } from "./env.ts";
import { migrate } from "./migrate.ts";
import { appUrlFrom, setAppRolePassword } from "./roles.ts";

export interface PreparedDatabase {
  ownerUrl: string;
  appUrl: string;
  embedded: EmbeddedServer | null;
  close(): Promise<void>;
}

/** A start-up failure of the database, in one line that names what to change. */
export class DatabaseStartError extends Error {
  override readonly name = "DatabaseStartError";
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/**
 * The default port when free; when only the default is taken (another checkout's server, say),
 * the next free one below the ephemeral range. An explicit EMBEDDED_PG_PORT is used as given.
 */
async function embeddedPort(env: DatabaseEnv, log: (line: string) => void): Promise<number> {
  if (env.embeddedPortExplicit || (await portFree(env.embeddedPort))) return env.embeddedPort;
  for (let port = env.embeddedPort + 1; port < env.embeddedPort + 200; port++) {
    if (await portFree(port)) {
      log(
        `port ${env.embeddedPort} is taken (another Atrium checkout?): the embedded PostgreSQL uses port ${port} instead (set EMBEDDED_PG_PORT to choose)`,
      );
      return port;
    }
  }
  throw new DatabaseStartError(
    `ports ${env.embeddedPort}–${env.embeddedPort + 199} are all taken; set EMBEDDED_PG_PORT to a free port`,
  );
}

/** What went wrong reaching DATABASE_URL, without its password. */
export function explainDatabaseUrlFailure(err: unknown, url: string): string {
  let where = "the server in DATABASE_URL";
  try {
    const u = new URL(url);
    const socketDir = u.searchParams.get("host");
    where = socketDir?.startsWith("/")
      ? `the socket in ${socketDir} (port ${u.port || "5432"})${u.pathname}`
      : `${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "DATABASE_URL is not a valid postgresql:// URL";
  }
  const e = err as { code?: string; message?: string };
  const why =
    e.code === "ECONNREFUSED" || e.code === "ENOENT"
      ? "nothing is listening there"
      : e.code === "ENOTFOUND" || e.code === "EAI_AGAIN"
        ? "the host name does not resolve"
        : e.code === "ETIMEDOUT"
          ? "the connection timed out"
          : e.code === "28P01" || e.code === "28000"
            ? "the user name or password is wrong"
            : e.code === "3D000"
              ? "that database does not exist"
              : (e.message ?? String(err)).replace(/\s+/g, " ");
  return `cannot use the database at ${where} (DATABASE_URL): ${why}`;
}

export async function prepareDatabase(
  opts: {
    env?: DatabaseEnv;
    migrate?: boolean;
    log?: (line: string) => void;
    /** Restart the embedded server when it dies (the product's own start; not tools and tests). */
    supervise?: boolean;
    onSupervisorEvent?: Parameters<typeof startEmbeddedPostgres>[0]["onSupervisorEvent"];
  } = {},
): Promise<PreparedDatabase> {
  const env = opts.env ?? readDatabaseEnv();
  const log = opts.log ?? (() => undefined);
  let embedded: EmbeddedServer | null = null;
  let ownerUrl = env.databaseUrl;
  if (!ownerUrl) {
    const port = await embeddedPort(env, log);
    try {
      embedded = await startEmbeddedPostgres({
        dataDir: env.embeddedDataDir,
        port,
        portVariable: "EMBEDDED_PG_PORT",
        supervise: opts.supervise ?? false,
        ...(opts.onSupervisorEvent !== undefined ? { onSupervisorEvent: opts.onSupervisorEvent } : {}),
      });
    } catch (err) {
      if (err instanceof EmbeddedStartError) throw new DatabaseStartError(err.message);
      throw err;
    }
    ownerUrl = embedded.url;
    log(`embedded PostgreSQL running, data in ${env.embeddedDataDir}, port ${port}`);
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
    const { code, syscall } = err as { code?: string; syscall?: string };
    // ENOENT only from connect(): a Unix-socket DATABASE_URL (?host=/run/postgresql) with no server.
    const socketGone = code === "ENOENT" && syscall === "connect";
    if (
      env.databaseUrl &&
      code !== undefined &&
      (socketGone || /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|28P01|28000|3D000)$/.test(code))
    ) {
      throw new DatabaseStartError(explainDatabaseUrlFailure(err, env.databaseUrl));
    }
    throw err;
  }
}
