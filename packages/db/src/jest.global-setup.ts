// Jest globalSetup: one PostgreSQL server and migrated template per test run. Jest runs it (and
// the teardown) in its parent process before spawning workers, which inherit the environment.
import { startTestServer, TEST_SERVER_ENV, type TestServer } from "./testing.ts";

declare global {
  var atriumTestServer: TestServer | undefined;
}

export default async function setup(): Promise<void> {
  const server = await startTestServer();
  globalThis.atriumTestServer = server;
  process.env[TEST_SERVER_ENV] = JSON.stringify({ adminUrl: server.adminUrl, templateName: server.templateName });
}
