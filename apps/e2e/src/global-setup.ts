/**
 * Once per run (playwright.config.ts `globalSetup`): empties artifacts/ before the tests, and
 * after them runs the checks that belong to the whole run rather than to a step — from what
 * each worker left in artifacts/workers/ (scenario-test.ts):
 * - axe's coverage check: a route the browser was at but no check covered fails the run
 *   (decision 0019), and artifacts/a11y-all.md lists every check;
 * - an uncaught error in any page fails the run;
 * - the redaction check: personal data or a secret the suite used (the workers' `secrets`,
 *   log-secrets.ts), or anything shaped like one (log-scan.ts), in a server log fails the run.
 * A failure here is reported as an error of the run and makes its exit code non-zero.
 */
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { finishA11y, type A11yRecord } from "./axe.ts";
import { describeFindings, scanLog } from "./log-scan.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../../..");
/** Screenshots, axe reports, server logs, Playwright's results and report of the last run. */
export const artifacts = path.resolve(here, "../artifacts");
/** Where each worker leaves what the run-level checks need, when it stops. */
export const workerRecords = path.join(artifacts, "workers");

/** What a worker hands to the end of the run: its axe checks and visits, uncaught page errors, the secrets its scenarios used. */
export interface WorkerRecord extends A11yRecord {
  readonly pageErrors: readonly string[];
  readonly secrets: readonly string[];
}

/** The redaction check over every server log of the run (server.log, server-<worker>.log). */
async function scanServerLogs(known: readonly string[]): Promise<string[]> {
  const logs = (await readdir(artifacts)).filter((file) => /^server(?:-\d+)?\.log$/.test(file));
  const problems: string[] = [];
  for (const file of logs)
    problems.push(...describeFindings(file, scanLog(await readFile(path.join(artifacts, file), "utf8"), known)));
  return problems;
}

async function readWorkerRecords(): Promise<WorkerRecord[]> {
  const files = await readdir(workerRecords).catch(() => [] as string[]);
  return Promise.all(
    files
      .filter((file) => file.endsWith(".json"))
      .map(async (file) => JSON.parse(await readFile(path.join(workerRecords, file), "utf8")) as WorkerRecord),
  );
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  await rm(artifacts, { recursive: true, force: true });
  await mkdir(artifacts, { recursive: true });

  return async () => {
    const records = await readWorkerRecords();
    // No worker ran (nothing selected, or every test filtered out): nothing to check.
    if (records.length === 0) return;
    const failures: string[] = [];
    const unchecked = await finishA11y(artifacts, records);
    if (unchecked.length > 0) failures.push(`pages visited that axe never checked: ${unchecked.join(" | ")}`);
    const pageErrors = records.flatMap((record) => record.pageErrors);
    if (pageErrors.length > 0) failures.push(`uncaught errors in the page: ${pageErrors.join(" | ")}`);
    const leaks = await scanServerLogs(records.flatMap((record) => record.secrets));
    if (leaks.length > 0)
      failures.push(`personal data or secrets in the server log (${leaks.length}): ${leaks.slice(0, 20).join(" | ")}`);
    if (failures.length > 0) {
      for (const failure of failures) console.log(`✗ ${failure}`);
      throw new Error(failures.join("\n"));
    }
  };
}
