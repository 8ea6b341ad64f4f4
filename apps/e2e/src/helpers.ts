/** Assertions, waits and shared flows of the browser test. */
import { expect } from "@playwright/test";
import { type Locator, type Page } from "playwright-core";

import { checkA11y, settleAnimations } from "./axe.ts";
import { rememberSecrets } from "./log-secrets.ts";

export const TIMEOUT = 15_000;

export class AssertionError extends Error {}

export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export async function visible(locator: Locator, what: string): Promise<Locator> {
  try {
    await locator.first().waitFor({ state: "visible", timeout: TIMEOUT });
  } catch {
    throw new AssertionError(`expected ${what} to be visible`);
  }
  return locator.first();
}

/**
 * Waits until `locator` has focus, with Playwright's own check in its isolated world. (A string
 * given to `page.waitForFunction` is run through `eval` on every poll; the app's CSP has no
 * 'unsafe-eval', so every poll after the first throws: seen in CI when focus moved a frame late.)
 */
export async function focused(locator: Locator, what: string): Promise<void> {
  try {
    await expect(locator).toBeFocused({ timeout: 5_000 });
  } catch {
    throw new AssertionError(`expected ${what} to have focus`);
  }
}

/**
 * The bounding box of `locator` once the page's finite animations (a drawer's slide-in, a toast's
 * fade) have ended: a box measured mid-animation is where the element is passing through, not
 * where it stays (seen in CI: a drawer measured 8 px in, its slide-in restarted by a media change).
 */
export async function settledBox(
  locator: Locator,
): Promise<{ x: number; y: number; width: number; height: number } | null> {
  await settleAnimations(locator.page());
  return locator.boundingBox();
}

/** Waits until `locator` matches nothing visible (e.g. a control hidden from this user). */
export async function absent(locator: Locator, what: string): Promise<void> {
  try {
    await locator.first().waitFor({ state: "hidden", timeout: TIMEOUT });
  } catch {
    throw new AssertionError(`expected ${what} not to be shown`);
  }
}

/**
 * Picks `item` from a table row's actions menu (the web kit's RowActions): the menu button named
 * "Actions for <row>" inside `scope`, then the `menuitem` of the menu it opens. Returns the button
 * (a dialog opened by the item gives focus back to it when it closes).
 */
export async function chooseRowAction(
  page: Page,
  scope: Locator | Page,
  row: string | RegExp,
  item: string,
): Promise<Locator> {
  const trigger = await visible(
    scope.getByRole("button", { name: typeof row === "string" ? `Actions for ${row}` : row }),
    `the actions menu button of ${String(row)}`,
  );
  await trigger.click();
  const menu = await visible(page.getByRole("menu"), `the actions menu of ${String(row)}`);
  await menu.getByRole("menuitem", { name: item, exact: true }).click();
  return trigger;
}

export async function atPath(page: Page, pathname: string): Promise<void> {
  try {
    await page.waitForURL((url) => url.pathname === pathname, { timeout: TIMEOUT });
  } catch {
    throw new AssertionError(`expected to be at ${pathname}, but the page is at ${page.url()}`);
  }
}

export interface Step {
  readonly name: string;
  /** Whose browser the step runs in (and is screenshotted); the scenario's first actor by default. */
  readonly actor?: string;
  /**
   * `snap` keeps an extra screenshot in the middle of the step (the step's own is taken at its
   * end); `pages` holds every actor's page, for steps that look at more than one.
   */
  readonly run: (
    page: Page,
    snap: (label: string, on?: Page) => Promise<void>,
    pages: Readonly<Record<string, Page>>,
  ) => Promise<void>;
}

export interface Scenario {
  readonly name: string;
  /** One browser context each (separate cookies). */
  readonly actors: readonly string[];
  readonly steps: readonly Step[];
}

export interface TestUser {
  readonly name: string;
  readonly email: string;
  readonly password: string;
}

/** Opens the newest mail to `email` in the dev mailbox and returns the link matching `linkPattern`. */
export async function mailLink(page: Page, email: string, linkPattern: RegExp, what: string): Promise<Locator> {
  await page.goto(`/dev/mailbox-view?to=${encodeURIComponent(email)}`);
  const mail = await visible(page.getByTestId("dev-mail"), `a mail to ${email} in the dev mailbox`);
  return visible(mail.getByRole("link", { name: linkPattern }), what);
}

/**
 * Self-service sign-up, then e-mail verification from the dev mailbox, which signs the person in. Ends at "/".
 * Each page it passes is checked by axe unless this run has checked that route already (the
 * account scenario does, first), so a scenario run alone with E2E_ONLY still covers them.
 */
export async function signUpVerifyAndSignIn(page: Page, user: TestUser): Promise<void> {
  rememberSecrets(user.name, user.email, user.password);
  await page.goto("/signup");
  await visible(page.getByRole("button", { name: "Create account" }), "the sign-up form");
  await checkA11y(page, "the sign-up form", { once: true });
  await page.getByLabel("Name", { exact: true }).fill(user.name);
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await visible(page.getByRole("heading", { name: "Check your email" }), "the check-your-email confirmation");
  const link = await mailLink(page, user.email, /\/verify-email\?token=/, "the verification link");
  await checkA11y(page, "the dev mailbox", { once: true });
  await link.click();
  // The first verification takes the password (decision 0024): the one chosen at sign-up.
  await visible(page.getByRole("button", { name: "Verify email" }), "the verification form");
  await checkA11y(page, "the verification form", { once: true });
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Verify email" }).click();
  // Verifying signs the person in (issue 56).
  await visible(page.getByText("Your email address is verified. You're signed in."), "the verified confirmation");
  await checkA11y(page, "the verified e-mail address", { once: true });
  await page.getByRole("link", { name: "Continue to Atrium" }).click();
  await atPath(page, "/");
  await visible(page.getByRole("heading", { name: "Your workspaces" }), "the workspace list");
  await checkA11y(page, "your workspaces", { once: true });
}

export async function signIn(page: Page, user: TestUser): Promise<void> {
  rememberSecrets(user.name, user.email, user.password);
  if (new URL(page.url()).pathname !== "/signin") await page.goto("/signin");
  await visible(page.getByRole("button", { name: "Sign in", exact: true }), "the sign-in form");
  await checkA11y(page, "the sign-in form", { once: true });
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Creates a WhatsApp workspace from the form; ends on its home page. */
export async function createWorkspace(page: Page, workspace: { name: string; slug: string }): Promise<void> {
  await page.goto("/workspaces/new");
  await page.getByLabel("Workspace name").fill(workspace.name);
  await page.getByRole("radio", { name: /WhatsApp/ }).check();
  await checkA11y(page, "the new-workspace form", { once: true });
  await page.getByRole("button", { name: "Create workspace" }).click();
  await atPath(page, `/w/${workspace.slug}`);
  await visible(page.getByRole("heading", { name: workspace.name }), "the workspace home");
  await checkA11y(page, "the workspace home", { once: true });
}

/** Polls `probe` (a fake's state, not the page) until it returns something; a timeout names `what`. */
export async function until<T>(what: string, probe: () => T | undefined, timeout = TIMEOUT): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Connects Twilio and OpenAI in the workspace's integration cards (against the fakes, which the
 * caller has told about the account and key) and returns the Twilio webhook URL the settings show.
 */
export async function connectTwilioAndOpenAI(
  page: Page,
  slug: string,
  twilio: { accountSid: string; authToken: string; from: string },
  openaiKey: string,
): Promise<string> {
  rememberSecrets(twilio.authToken, openaiKey);
  await page.goto(`/w/${slug}/settings`);
  const card = (provider: string) => page.getByTestId(`integration-${provider}`);
  const tw = card("TWILIO");
  await tw.getByLabel("Account SID").fill(twilio.accountSid);
  await tw.getByLabel("Auth token").fill(twilio.authToken);
  await tw.getByLabel("WhatsApp sender").fill(twilio.from);
  await tw.getByRole("button", { name: "Connect" }).click();
  await visible(tw.getByTestId("integration-state").getByText("Connected", { exact: true }), "Twilio connected");
  const openai = card("OPENAI");
  await openai.getByLabel("API key").fill(openaiKey);
  await openai.getByRole("button", { name: "Connect" }).click();
  await visible(openai.getByTestId("integration-state").getByText("Connected", { exact: true }), "OpenAI connected");
  await checkA11y(page, "the settings page", { once: true });
  const webhookUrl = ((await page.getByTestId("twilio-webhook-url").textContent()) ?? "").trim();
  assert(webhookUrl.includes("/webhooks/twilio/"), `the Twilio webhook URL should be shown, got ${webhookUrl}`);
  return webhookUrl;
}
