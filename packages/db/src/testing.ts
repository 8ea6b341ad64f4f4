// Test databases: one server per test run (embedded, or TEST_DATABASE_URL's), one migrated
// template, and a fresh database cloned from it (CREATE DATABASE ... TEMPLATE) per test file.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

import { startEmbeddedPostgres } from "./embedded.ts";
import { migrate, readMigrations } from "./migrate.ts";
import { appUrlFrom, setAppRolePassword } from "./roles.ts";

const APP_PASSWORD = "atrium-app-test";

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/**
 * A port nothing listens on right now, on 127.0.0.1 (for test servers and processes), chosen at
 * random from 10000–24999: below the ephemeral range (32768+ on Linux, 49152+ on macOS) and the
 * embedded PostgreSQL's default 25432 and its fallbacks. Asking the kernel for port 0 would hand
 * out an ephemeral port that the kernel may give, a moment after the probe closes, to any server
 * another test worker starts on port 0 (the API harness, the provider fakes) — a process that is
 * told to use the port then finds it taken, or a readiness probe gets an answer from the wrong
 * server (CI saw both).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 10_000 + Math.floor(Math.random() * 15_000);
    if (await canListen(port)) return port;
  }
  throw new Error("no free port in 10000–24999 after 200 tries");
}

async function adminQuery(url: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(sql, params);
  } finally {
    await c.end();
  }
}

/**
 * The environment variable through which Jest's globalSetup (the parent process) hands the
 * test server to the test files (its workers, spawned afterwards, inherit the environment).
 */
export const TEST_SERVER_ENV = "ATRIUM_TEST_SERVER";

/** What test files need to clone databases; serialisable (passed as JSON in TEST_SERVER_ENV). */
export interface TestServerInfo {
  /** Owner URL of a maintenance database on the server (never the template itself). */
  adminUrl: string;
  templateName: string;
}

export interface TestServer extends TestServerInfo {
  stop(): Promise<void>;
}

/** Starts (or connects to) the test server and builds the migrated template. Jest globalSetup. */
export async function startTestServer(): Promise<TestServer> {
  let baseUrl = process.env.TEST_DATABASE_URL;
  let stopServer = (): Promise<void> => Promise.resolve();
  if (!baseUrl) {
    const dir = await mkdtemp(path.join(os.tmpdir(), "atrium-test-pg-"));
    const server = await startEmbeddedPostgres({
      dataDir: path.join(dir, "data"),
      port: await freePort(),
      database: "postgres_test",
      durable: false,
    });
    baseUrl = server.url;
    stopServer = async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  // The template's name follows the migrations' content, so a stale template is never reused.
  const migrations = await readMigrations();
  const digest = hashOf(migrations.map((m) => m.checksum).join(","));
  const templateName = `atrium_tpl_${digest}_${randomBytes(3).toString("hex")}`;
  await adminQuery(baseUrl, `CREATE DATABASE ${templateName}`);
  const templateUrl = withDatabase(baseUrl, templateName);
  await migrate(templateUrl);
  await setAppRolePassword(templateUrl, APP_PASSWORD);
  return {
    adminUrl: baseUrl,
    templateName,
    stop: async () => {
      await adminQuery(baseUrl, `DROP DATABASE IF EXISTS ${templateName} WITH (FORCE)`).catch(() => undefined);
      await stopServer();
    },
  };
}

function hashOf(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16);
}

export interface TestDatabase {
  name: string;
  ownerUrl: string;
  appUrl: string;
  drop(): Promise<void>;
}

/** A fresh database cloned from the template; drop it in afterAll. */
export async function createTestDatabase(server: TestServerInfo): Promise<TestDatabase> {
  const name = `atrium_t_${randomBytes(6).toString("hex")}`;
  await adminQuery(server.adminUrl, `CREATE DATABASE ${name} TEMPLATE ${server.templateName}`);
  const ownerUrl = withDatabase(server.adminUrl, name);
  return {
    name,
    ownerUrl,
    appUrl: appUrlFrom(ownerUrl, APP_PASSWORD),
    drop: async () => {
      await adminQuery(server.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** In a test file: a fresh database for this file, dropped afterwards. */
export async function freshTestDatabase(): Promise<TestDatabase> {
  const raw = process.env[TEST_SERVER_ENV];
  if (raw === undefined || raw === "") {
    throw new Error(
      `${TEST_SERVER_ENV} is not set: run the tests through Jest with the @atrium/db globalSetup (pnpm test)`,
    );
  }
  return createTestDatabase(JSON.parse(raw) as TestServerInfo);
}
