// Vitest globalSetup: one PostgreSQL server and migrated template per test run.
import type { TestProject } from "vitest/node";
import { startTestServer, type TestServerInfo } from "./testing.ts";

declare module "vitest" {
  export interface ProvidedContext {
    atriumTestServer: TestServerInfo;
  }
}

export default async function setup(project: TestProject) {
  const server = await startTestServer();
  project.provide("atriumTestServer", { adminUrl: server.adminUrl, templateName: server.templateName });
  return async () => server.stop();
}
