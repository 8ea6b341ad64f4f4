/**
 * The browser test on `@playwright/test` (decision 0023): one worker-scoped fixture starts the
 * product once per worker (provider fakes, then the production server on a fresh embedded
 * Postgres), and `describeScenario` turns a `Scenario` (helpers.ts) into a `describe.serial`
 * group with one `test()` per step.
 *
 * Within a scenario the steps depend on each other: in a serial group the first failure skips
 * the rest, as the old runner did. Scenarios are independent of each other. After a failed step
 * Playwright replaces the worker, so the scenarios after it get a server of their own (a fresh
 * database, which they do not need but do not mind); a green run starts exactly one.
 *
 * Each step keeps its screenshots where the old runner put them (`NN-<step>.png` at its end,
 * `NN-<step>-<label>.png` for each `snap`, with `-dark.png` beside it in the dark theme,
 * `NN-<step>-failed.png` when it fails) and its axe
 * checks (axe.ts); Playwright adds a trace and a screenshot of every open page to a failed
 * step's folder in artifacts/test-results/.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { test as base, type BrowserContext, type Page } from "@playwright/test";

import { startFakes, type Fakes } from "@atrium/fakes";

import { startTestDns, type TestDns } from "../../api/src/test/oidc.ts";
import { a11yRecord, beginA11yLog, checkA11y, endA11yLog, inScheme, recordVisit } from "./axe.ts";
import { closeContactsWebhooks } from "./contacts-webhooks.ts";
import { artifacts, repoRoot, workerRecords, type WorkerRecord } from "./global-setup.ts";
import { TIMEOUT, type Scenario } from "./helpers.ts";
import { rememberedSecrets, rememberSessionCookies, watchForSecrets } from "./log-secrets.ts";
import { closeNarrowPages } from "./narrow-pages.ts";
import { startServer, type RunningServer } from "./server.ts";
import { closeSso } from "./sso.ts";

interface Product {
  readonly server: RunningServer;
  readonly fakes: Fakes;
  /** A real DNS server the API's domain verification asks (DNS_SERVERS): the "sso" scenario publishes its TXT record there. */
  readonly dns: TestDns;
  readonly pageErrors: string[];
}

let product: Product | undefined;

function running(): Product {
  if (product === undefined) throw new Error("the server is not running (the `product` fixture starts it)");
  return product;
}

/**
 * The server and the fakes of the current worker, for scenarios that are built before either
 * runs (Playwright collects the tests first): every use is forwarded when it happens.
 */
export const liveServer: RunningServer = {
  get baseUrl() {
    return running().server.baseUrl;
  },
  cli: (args) => running().server.cli(args),
  stop: () => running().server.stop(),
};
export const liveBaseUrl = (): string => running().server.baseUrl;
export const liveDns = (): TestDns => running().dns;
export const liveFakes = new Proxy({} as Fakes, {
  get: (_target, key) => Reflect.get(running().fakes, key) as unknown,
});

export const test = base.extend<Record<never, never>, { product: Product }>({
  product: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function asks for from this pattern
    async ({}, use, workerInfo) => {
      const pageErrors: string[] = [];
      let fakes: Fakes | undefined;
      let server: RunningServer | undefined;
      let dns: TestDns | undefined;
      try {
        // The provider fakes on free ports; the server reaches them through its base-URL settings.
        fakes = await startFakes();
        dns = await startTestDns();
        const log = workerInfo.workerIndex === 0 ? "server.log" : `server-${workerInfo.workerIndex}.log`;
        server = await startServer({
          repoRoot,
          logFile: path.join(artifacts, log),
          env: { ...fakes.env, DNS_SERVERS: dns.address },
        });
        console.log(`e2e: server ready at ${server.baseUrl}`);
        product = { server, fakes, dns, pageErrors };
        await use(product);
      } finally {
        product = undefined;
        const record: WorkerRecord = { ...a11yRecord(), pageErrors, secrets: rememberedSecrets() };
        await mkdir(workerRecords, { recursive: true });
        await writeFile(path.join(workerRecords, `worker-${workerInfo.workerIndex}.json`), JSON.stringify(record));
        await server
          ?.stop()
          .catch((error: unknown) => console.log(`e2e: stopping the server failed: ${String(error)}`));
        await fakes?.close().catch(() => undefined);
        await dns?.close().catch(() => undefined);
        await closeContactsWebhooks().catch(() => undefined);
        await closeNarrowPages().catch(() => undefined);
        await closeSso().catch(() => undefined);
      }
    },
    // Start-up waits up to 180 s for the server; stopping it up to 15 s more.
    { scope: "worker", timeout: 240_000 },
  ],
});

function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/**
 * Declares `scenario` as a serial group tagged `@<name>` (E2E_ONLY selects by tag, see
 * playwright.config.ts), keeping its screenshots and axe report in `directory`.
 */
export function describeScenario(scenario: Scenario, directory: string): void {
  test.describe.serial(scenario.name, { tag: `@${scenario.name}` }, () => {
    const contexts: BrowserContext[] = [];
    const pages: Record<string, Page> = {};

    test.beforeAll(async ({ browser, product }) => {
      await mkdir(directory, { recursive: true });
      beginA11yLog(scenario.name, directory);
      // One browser context per actor: separate cookies, as two people on two machines.
      for (const actor of scenario.actors) {
        const context = await browser.newContext({
          baseURL: product.server.baseUrl,
          viewport: { width: 1280, height: 800 },
        });
        context.setDefaultTimeout(TIMEOUT);
        contexts.push(context);
        const page = await context.newPage();
        page.on("framenavigated", (frame) => {
          // Atrium's own pages only: another origin (the identity provider's login page in "sso") is not the product.
          if (frame === page.mainFrame() && frame.url().startsWith(product.server.baseUrl))
            recordVisit(frame.url(), scenario.name);
        });
        page.on("pageerror", (error) => product.pageErrors.push(`${scenario.name}/${actor}: ${error.message}`));
        // What the context's pages send and receive, for the redaction check over the server's log (log-scan.ts).
        watchForSecrets(context);
        page.on("console", (message) => {
          if (message.type() === "error")
            console.log(`  browser console (${actor}): ${message.text()} (${message.location().url})`);
        });
        pages[actor] = page;
      }
    });

    test.afterAll(async () => {
      for (const context of contexts) await rememberSessionCookies(context);
      for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
      console.log(await endA11yLog());
    });

    for (const [index, step] of scenario.steps.entries()) {
      test(step.name, async () => {
        const actor = step.actor ?? scenario.actors[0] ?? "";
        const page = pages[actor];
        if (page === undefined) throw new Error(`step ${step.name}: unknown actor ${actor}`);
        const shot = path.join(directory, `${String(index + 1).padStart(2, "0")}-${slugOf(step.name)}.png`);
        // A state worth a screenshot (a dialog open, a form filled, each narrow page) is checked by axe too.
        const snap = async (label: string, on: Page = page) => {
          await on.screenshot({ path: shot.replace(/\.png$/, `-${slugOf(label)}.png`), fullPage: true });
          // The same state in the dark theme, for looking at both (decision 0040).
          await inScheme(on, "dark", () =>
            on.screenshot({ path: shot.replace(/\.png$/, `-${slugOf(label)}-dark.png`), fullPage: true }),
          );
          await checkA11y(on, `${step.name} — ${label}`);
        };
        try {
          await step.run(page, snap, pages);
          // Where the step left the page, unless this route, scheme and width were checked already.
          await checkA11y(page, step.name, { once: true });
          await page.screenshot({ path: shot, fullPage: true });
        } catch (error) {
          await page.screenshot({ path: shot.replace(/\.png$/, "-failed.png"), fullPage: true }).catch(() => undefined);
          throw error;
        }
      });
    }
  });
}
