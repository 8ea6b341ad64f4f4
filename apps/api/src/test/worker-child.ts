// A job worker in a child process (src/test/worker-process.ts) against a test API's database, for
// the tests that kill workers with SIGKILL mid-job (campaign exactly-once, erasure resume).
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { Fakes } from "@atrium/fakes";

import type { TestApi } from "./harness.ts";

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Starts a worker (the test's own settings in `env`) and resolves once it says it is ready; `children` collects it for teardown. */
export function startWorkerChild(opts: {
  api: TestApi;
  fakes: Fakes;
  key: { key: Uint8Array };
  env: Record<string, string>;
  children: ChildProcess[];
}): Promise<ChildProcess> {
  const { api, fakes, key, children } = opts;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    INTEGRATIONS_ENCRYPTION_KEY: Buffer.from(key.key).toString("base64"),
    TWILIO_API_BASE_URL: fakes.env.TWILIO_API_BASE_URL,
    PUBLIC_URL: api.url,
    PROVIDER_TIMEOUT_MS: "3000",
    ...opts.env,
  };
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/test/worker-process.ts", api.testDb.appUrl, api.testDb.ownerUrl],
    { cwd: apiDir, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  children.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("worker ready")) resolve(child);
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${output}`)));
  });
}

/** SIGKILL, and wait until it is gone. */
export async function killChild(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}
