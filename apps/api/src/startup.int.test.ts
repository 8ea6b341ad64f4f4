// Start-up, supervision and shutdown of the real entry point as `npm start` runs it (the bundle
// of build.mjs, built once for this file: src/test/built.ts), as a person running it meets them (issue 16): every start-up failure is one line naming what to
// change and exits 1; when only the default embedded port is taken another is used and said so;
// a killed embedded PostgreSQL is restarted without restarting the API; SIGTERM exits 0 quickly
// and quietly.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

import { DEFAULT_EMBEDDED_PORT, startEmbeddedPostgres } from "@atrium/db";
import { freePort } from "@atrium/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { buildApi, type BuiltApi } from "./test/built.ts";

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
let built: BuiltApi;
beforeAll(() => {
  built = buildApi();
});
afterAll(async () => built?.remove());

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(env: Record<string, string>): Run {
  const base = { ...process.env };
  for (const name of ["DATABASE_URL", "EMBEDDED_PG_PORT", "EMBEDDED_PG_DIR", "PORT", "NODE_ENV", "JOBS_ENABLED"])
    delete base[name];
  const child = spawn(process.execPath, built.main, {
    cwd: apiDir,
    env: { ...base, NODE_ENV: "development", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

async function finished(run: Run, timeoutMs = 60_000) {
  const result = await Promise.race([
    run.exited,
    sleep(timeoutMs, undefined, { ref: false }).then(() => "timeout" as const),
  ]);
  if (result === "timeout") {
    run.child.kill("SIGKILL");
    throw new Error(`did not exit within ${timeoutMs} ms; output:\n${run.output()}`);
  }
  return result;
}

function occupy(port: number): Promise<Server | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(null));
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

async function status(url: string): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).status;
  } catch {
    return 0;
  }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const began = Date.now();
  for (;;) {
    if (await check()) return Date.now() - began;
    if (Date.now() - began > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * Until this instance says it is ready and /readyz answers 200 on its port. The output line
 * matters: a readiness probe alone would also accept another test worker's server that happened
 * to take the port first.
 */
async function ready(run: Run, base: string, timeoutMs: number): Promise<void> {
  await until(
    "the instance to be ready",
    async () => {
      if (run.child.exitCode !== null || run.child.signalCode !== null)
        throw new Error(`exited before it was ready; output:\n${run.output()}`);
      return run.output().includes("[atrium] ready on") && (await status(`${base}/readyz`)) === 200;
    },
    timeoutMs,
  );
}

/** The one line a failed start prints (besides warnings about development defaults). */
function failureLines(output: string): string[] {
  return output.split("\n").filter((line) => line.startsWith("[atrium] cannot start"));
}

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "atrium-startup-"));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe("start-up failures: one line naming what to change, exit 1", () => {
  it("a bad environment value names the variable", async () => {
    const run = start({ PORT: "forty" });
    expect((await finished(run)).code).toBe(1);
    const lines = failureLines(run.output());
    expect(lines, run.output()).toHaveLength(1);
    expect(lines[0]).toMatch(/invalid configuration: .*PORT/);
  });

  it("an unreachable DATABASE_URL says so, without its password", async () => {
    const port = await freePort();
    const run = start({
      DATABASE_URL: `postgresql://atrium:s3cret-pw@127.0.0.1:${port}/atrium`,
      PORT: String(await freePort()),
    });
    expect((await finished(run)).code).toBe(1);
    const lines = failureLines(run.output());
    expect(lines, run.output()).toEqual([
      `[atrium] cannot start: cannot use the database at 127.0.0.1:${port}/atrium (DATABASE_URL): nothing is listening there`,
    ]);
    expect(run.output()).not.toContain("s3cret-pw");
  });

  it("an unreachable DATABASE_URL through a Unix socket says so too, naming the socket's directory", async () => {
    const port = await freePort();
    const dir = `/tmp/atrium-no-server-${port}`;
    const run = start({
      DATABASE_URL: `postgresql://atrium:s3cret-pw@localhost:${port}/atrium?host=${dir}`,
      PORT: String(await freePort()),
    });
    expect((await finished(run)).code).toBe(1);
    expect(failureLines(run.output()), run.output()).toEqual([
      `[atrium] cannot start: cannot use the database at the socket in ${dir} (port ${port})/atrium (DATABASE_URL): nothing is listening there`,
    ]);
    expect(run.output()).not.toContain("s3cret-pw");
  });

  it("a taken EMBEDDED_PG_PORT names the variable (it used to print `undefined`)", async () => {
    const port = await freePort();
    const blocker = await occupy(port);
    cleanup.push(() => new Promise((resolve) => (blocker ? blocker.close(() => resolve()) : resolve())));
    const run = start({
      EMBEDDED_PG_DIR: path.join(await tempDir(), "pg"),
      EMBEDDED_PG_PORT: String(port),
      PORT: String(await freePort()),
    });
    expect((await finished(run)).code).toBe(1);
    const lines = failureLines(run.output());
    expect(lines, run.output()).toEqual([
      `[atrium] cannot start: the embedded PostgreSQL port ${port} is already in use by another program; set EMBEDDED_PG_PORT to a free port`,
    ]);
    expect(run.output()).not.toMatch(/^undefined$/m);
  });

  it("a data directory from another PostgreSQL version is refused before anything starts", async () => {
    const dir = path.join(await tempDir(), "pg");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "PG_VERSION"), "15\n");
    const run = start({
      EMBEDDED_PG_DIR: dir,
      EMBEDDED_PG_PORT: String(await freePort()),
      PORT: String(await freePort()),
    });
    expect((await finished(run)).code).toBe(1);
    expect(failureLines(run.output()), run.output()).toEqual([
      `[atrium] cannot start: the data directory ${dir} was created by PostgreSQL 15, but the embedded server is PostgreSQL 18; set EMBEDDED_PG_DIR to a new directory (or back it up and remove it)`,
    ]);
  });
});

describe("a running instance: port fallback, taken HTTP port, locked data directory, supervision, shutdown", () => {
  it("runs through the whole life of one instance", async () => {
    const dataDir = path.join(await tempDir(), "pg");
    const httpPort = await freePort();
    // Hold the default embedded port (if nothing else does already): the instance must move.
    const blocker = await occupy(DEFAULT_EMBEDDED_PORT);
    cleanup.push(() => new Promise((resolve) => (blocker ? blocker.close(() => resolve()) : resolve())));
    const first = start({ EMBEDDED_PG_DIR: dataDir, PORT: String(httpPort), JOBS_ENABLED: "true" });
    cleanup.push(async () => {
      first.child.kill("SIGKILL");
      await first.exited;
    });
    const base = `http://127.0.0.1:${httpPort}`;
    await ready(first, base, 240_000);
    expect(first.output()).toMatch(
      new RegExp(`port ${DEFAULT_EMBEDDED_PORT} is taken .*: the embedded PostgreSQL uses port \\d+ instead`),
    );

    // Same HTTP port, another data directory: refused at listen, after its own database started.
    const second = start({ EMBEDDED_PG_DIR: path.join(await tempDir(), "pg"), PORT: String(httpPort) });
    expect((await finished(second, 180_000)).code).toBe(1);
    expect(failureLines(second.output()), second.output()).toEqual([
      `[atrium] cannot start: port ${httpPort} is already in use by another program; set PORT to a free port`,
    ]);

    // Same data directory (this checkout started twice): the lock says who holds it.
    const third = start({ EMBEDDED_PG_DIR: dataDir, PORT: String(await freePort()) });
    expect((await finished(third, 180_000)).code).toBe(1);
    const thirdLines = failureLines(third.output());
    expect(thirdLines, third.output()).toHaveLength(1);
    expect(thirdLines[0]).toMatch(
      new RegExp(`the data directory ${dataDir} is in use by another PostgreSQL .*set EMBEDDED_PG_DIR`),
    );

    // kill -9 the postmaster: /readyz answers 503 while it is gone, then 200 again, same process.
    const pidFile = path.join(dataDir, "postmaster.pid");
    expect(existsSync(pidFile)).toBe(true);
    const postmaster = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    process.kill(postmaster, "SIGKILL");
    await until(
      "/readyz to answer 503 while the database is gone",
      async () => (await status(`${base}/readyz`)) === 503,
      15_000,
    );
    const recovery = await until(
      "/readyz to answer 200 again",
      async () => (await status(`${base}/readyz`)) === 200,
      30_000,
    );
    expect(recovery, "recovered within 20 s of the kill").toBeLessThan(20_000);
    expect(first.child.exitCode).toBeNull();
    expect(first.output()).toMatch(/the embedded PostgreSQL exited \(SIGKILL\); restarting it/);
    const graphql = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(graphql.status).toBe(200);

    // SIGTERM: exit 0 within 10 s, and no error line on the way out.
    const before = first.output().length;
    const began = Date.now();
    first.child.kill("SIGTERM");
    const result = await finished(first, 15_000);
    expect(result.code, first.output().slice(before)).toBe(0);
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(first.output().slice(before)).not.toMatch(/error|terminating connection/i);
    expect(existsSync(pidFile), "the embedded PostgreSQL stopped with the API").toBe(false);
    // initdb + migrations + two starts: minutes on a loaded 2-core machine (not a speed check).
  }, 420_000);
});

describe("the database away and back (DATABASE_URL): fail fast with 503, recover without a restart", () => {
  it("answers SERVICE_UNAVAILABLE with Retry-After while it is gone, and works again once it returns", async () => {
    const dir = await tempDir();
    const pgPort = await freePort();
    let database = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: pgPort, durable: false });
    cleanup.push(() => database.stop());
    const httpPort = await freePort();
    const api = start({ DATABASE_URL: database.url, PORT: String(httpPort), JOBS_ENABLED: "false" });
    cleanup.push(async () => {
      api.child.kill("SIGKILL");
      await api.exited;
    });
    const base = `http://127.0.0.1:${httpPort}`;
    await ready(api, base, 240_000);
    const signIn = async () => {
      const began = Date.now();
      const res = await fetch(`${base}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query:
            'mutation { signIn(input: { email: "nobody@example.test", password: "not-the-password-1" }) { accessToken } }',
        }),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await res.json()) as { errors?: { extensions?: { code?: string; retryAfterSeconds?: number } }[] };
      return {
        status: res.status,
        code: body.errors?.[0]?.extensions?.code,
        retryAfter: res.headers.get("retry-after"),
        ms: Date.now() - began,
        body,
      };
    };
    const healthy = await signIn();
    expect(healthy.code, JSON.stringify(healthy.body)).toBe("UNAUTHENTICATED");

    await database.stop();
    const down = await signIn();
    expect(down, JSON.stringify(down.body)).toMatchObject({
      status: 503,
      code: "SERVICE_UNAVAILABLE",
      retryAfter: "2",
    });
    expect(down.ms, "failed fast").toBeLessThan(6_000);
    expect(await status(`${base}/readyz`)).toBe(503);

    // While it is away, under steady load: every request fails fast with the retryable 503, and
    // the circuit breaker in front of the pools keeps connection attempts few. A listener on the
    // database's port counts them (it accepts and drops each, like a server dying mid-handshake);
    // without the breaker every request makes at least one.
    let attempts = 0;
    const counter = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => counter.listen(pgPort, "127.0.0.1", resolve));
    const outcomes: Awaited<ReturnType<typeof signIn>>[] = [];
    const downFrom = Date.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 8; i++) outcomes.push(await signIn());
      }),
    );
    const downMs = Date.now() - downFrom;
    await new Promise<void>((resolve) => counter.close(() => resolve()));
    const wrong = outcomes.filter((o) => o.status !== 503 || o.code !== "SERVICE_UNAVAILABLE" || o.retryAfter !== "2");
    expect(
      wrong.length === 0
        ? []
        : [
            wrong,
            api
              .output()
              .split("\n")
              .filter((l) => /"level":(40|50|60)/.test(l)),
          ],
    ).toEqual([]);
    expect(Math.max(...outcomes.map((o) => o.ms)), "slowest answer while down (ms)").toBeLessThan(3_000);
    // Backoff 0.1 s doubling to 1 s, one probe at a time: about one attempt a second (a few more
    // in the first second), not one per request (64 here).
    expect(
      attempts,
      `${attempts} connection attempts for ${outcomes.length} requests in ${downMs} ms`,
    ).toBeLessThanOrEqual(Math.ceil(downMs / 1000) + 5);
    expect(attempts * 4, `${attempts} connection attempts for ${outcomes.length} requests`).toBeLessThan(
      outcomes.length,
    );
    expect(api.output()).toContain("[db] the database is unreachable");

    database = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: pgPort, durable: false });
    const back = await until("requests to work again", async () => (await signIn()).code === "UNAUTHENTICATED", 15_000);
    expect(back, "working again within 5 s of the database's return").toBeLessThan(5_000);
    expect(api.child.exitCode).toBeNull();
    expect(api.output()).not.toMatch(/INTERNAL_SERVER_ERROR/);
    expect(api.output()).toContain("[db] the database is reachable again");
  }, 300_000);
});
