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
