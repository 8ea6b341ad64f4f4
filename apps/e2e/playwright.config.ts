// The browser test (decision 0023): `pnpm --filter @atrium/e2e browser` = `playwright test`.
// Each worker runs its own server (scenario-test.ts); a scenario is a serial group, so it stays in
// one worker, and independent scenarios share the two workers.
import { defineConfig } from "@playwright/test";

import { onlyScenarios, workerCount } from "./src/env.ts";
import { TIMEOUT } from "./src/helpers.ts";

/** `E2E_ONLY=channels,settings`: only the scenarios tagged `@channels` or `@settings` (run.ts). */
function scenarioFilter(): RegExp | undefined {
  const only = onlyScenarios();
  if (only === undefined) return undefined;
  const names = [...only].filter((name) => name !== "").map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  // Whole tag only: `@leads` must not select `@leads-and-keys`.
  return new RegExp(`@(?:${names.join("|")})(?![\\w-])`);
}

export default defineConfig({
  testDir: "src",
  testMatch: "run.ts",
  globalSetup: "./src/global-setup.ts",
  outputDir: "artifacts/test-results",
  reporter: [["list"], ["html", { open: "never", outputFolder: "artifacts/report" }]],
  grep: scenarioFilter(),
  workers: workerCount(),
  fullyParallel: true,
  retries: 0,
  // A step: the old runner had no limit; the slowest take about a minute under load.
  timeout: 300_000,
  globalTimeout: 3_600_000,
  expect: { timeout: TIMEOUT },
  use: {
    browserName: "chromium",
    headless: true,
    // Debian's Chromium: Playwright downloads no browser (`playwright install` is never run).
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    actionTimeout: TIMEOUT,
    navigationTimeout: TIMEOUT,
    // The trace keeps DOM snapshots of every action (the viewer renders them) but not the
    // screencast: recording frames of every step cost more than the rest of the trace together
    // (decision 0023); the failing moment is kept as a screenshot anyway.
    trace: { mode: "retain-on-failure", screenshots: false, snapshots: true, sources: true },
    screenshot: "only-on-failure",
    video: "off",
  },
  projects: [{ name: "chromium" }],
});
