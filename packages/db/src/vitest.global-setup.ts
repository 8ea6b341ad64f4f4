// Vitest globalSetup: one PostgreSQL server and migrated template per test run.
import type { TestProject } from "vitest/node";
import { startTestServer } from "./testing.ts";

export default async function setup(project: TestProject) {
  const server = await startTestServer();
  project.provide("atriumTestServer", { adminUrl: server.adminUrl, templateName: server.templateName });
  return async () => server.stop();
}
