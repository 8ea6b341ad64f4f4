// Database configuration, read once. Every other module receives values, never process.env.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export interface DatabaseEnv {
  /** Owner (schema) connection. Unset: embedded PostgreSQL. */
  databaseUrl: string | undefined;
  /** The API's login role connection; derived from databaseUrl when unset. */
  appDatabaseUrl: string | undefined;
  /** Password given to the atrium_app role when the runner can set it. */
  appDbPassword: string;
  embeddedDataDir: string;
  embeddedPort: number;
  /** EMBEDDED_PG_PORT was set: a taken port is an error, not a reason to pick another. */
  embeddedPortExplicit: boolean;
}

/**
 * The embedded server's default port: below Linux's ephemeral range (32768–60999), so an
 * outgoing connection can never be handed this port and block a restart.
 */
export const DEFAULT_EMBEDDED_PORT = 25432;

function intFrom(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return n;
}

export function readDatabaseEnv(env: NodeJS.ProcessEnv = process.env): DatabaseEnv {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    appDatabaseUrl: env.APP_DATABASE_URL || undefined,
    appDbPassword: env.APP_DB_PASSWORD || "atrium-app-local",
    embeddedDataDir: path.resolve(repoRoot, env.EMBEDDED_PG_DIR || ".data/postgres"),
    embeddedPort: intFrom("EMBEDDED_PG_PORT", env.EMBEDDED_PG_PORT, DEFAULT_EMBEDDED_PORT),
    embeddedPortExplicit: env.EMBEDDED_PG_PORT !== undefined && env.EMBEDDED_PG_PORT !== "",
  };
}

/**
 * ATRIUM_SCOPE_WITNESS=1 (tests and the browser suite only): every unit of work run inside a
 * request must carry that request's scope (clients.ts; README.md, "The request scope").
 */
export const scopeWitnessOn = (env: NodeJS.ProcessEnv = process.env): boolean => env.ATRIUM_SCOPE_WITNESS === "1";

/**
 * ATRIUM_DB_PIPELINES=off: the engine runs without its pipelines (every unit of work through the
 * plain tenant transaction, pg's public API only) — the test suite's plain lane, and what the
 * engine does by itself when pg's internals it relies on are missing.
 */
export const pipelinesOff = (env: NodeJS.ProcessEnv = process.env): boolean => env.ATRIUM_DB_PIPELINES === "off";
