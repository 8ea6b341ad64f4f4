// The only module of the browser test that reads process.env.

/** The environment for the server under test: this process's, minus what would point it elsewhere. */
export function serverBaseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  // Always the embedded database and the dev mailbox, whatever the calling shell has set.
  delete env["DATABASE_URL"];
  delete env["SMTP_URL"];
  delete env["PUBLIC_URL"];
  return env;
}

/**
 * `E2E_ONLY=channels,settings` runs only those scenarios (for working on one); unset runs all.
 * playwright.config.ts turns it into a `grep` over the scenarios' tags.
 */
export function onlyScenarios(): ReadonlySet<string> | undefined {
  const raw = process.env["E2E_ONLY"]?.trim();
  return raw === undefined || raw === "" ? undefined : new Set(raw.split(",").map((name) => name.trim()));
}

/**
 * `E2E_WORKERS=1` runs the scenarios one after another on one server; unset, two workers each
 * start their own server and share the scenarios (on 2 cores the pages mostly wait on each other).
 */
export function workerCount(): number {
  const raw = process.env["E2E_WORKERS"]?.trim();
  if (raw === undefined || raw === "") return 2;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1) throw new Error(`E2E_WORKERS must be a positive integer, not ${raw}`);
  return count;
}
