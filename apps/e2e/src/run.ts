/**
 * Browser test of the web app against the production build. Assumes `pnpm build` ran.
 * The one test file `playwright test` loads (playwright.config.ts): it declares every scenario
 * below, in order, through scenario-test.ts — one `describe.serial` per scenario, tagged
 * `@<name>`, one `test()` per step.
 *
 * Scenario "account" (issue 2): sign up → open the verification mail from the dev mailbox, which
 * signs the person in (issue 56) → create a workspace → it appears in the workspace switcher.
 * Scenario "invitations" (issue 3, see invitations.ts): an owner invites a Viewer; the invitee
 * signs up from the mailed link in a second browser, accepts, and sees what the Viewer preset
 * allows; the owner grants a policy and the invitee's UI shows it after a reload.
 * Scenario "platform-admin" (issue 3, see admin.ts): users page and registration settings.
 * Scenario "leads-and-keys" (issue 4, see leads.ts): an API key created in the UI submits a lead
 * over HTTP, the public form submits another, both appear in the leads list; the playground runs.
 * Scenario "settings" (issue 5, see settings.ts): rename the slug and see the old form URL 404;
 * pause the agent and see the status; retention, persona, environment, audit filters; delete a
 * workspace through the danger zone.
 * Scenario "channels" (issue 12, see channels.ts): integration cards against the provider
 * fakes, the public form → opening message → live conversation → agent answer, pause, failure.
 * Scenario "live" (issue 46, see live.ts): the conversation page over the WebSocket: the lead's
 * reply and a delivery status appear without a reload, and 20 s idle make no HTTP GraphQL request.
 * Scenario "inbox" (issue 47, see inbox.ts): at 1280 and 390 px, a lead's message arrives live in
 * the inbox; the operator takes over, replies, leaves guidance, hands back, and resolves the
 * flagged message in the review queue; a safety rule made from a template on the way.
 * Scenario "voice-bookings" (issue 12, see bookings.ts): Vapi and Cal.com cards, a booking made
 * by Vapi's tool call, shown on the bookings and lead pages, rescheduled and cancelled there.
 * Scenario "step-up" (issue 14, see step-up.ts): TOTP enrolment with its QR code, sign-in with the
 * authenticator app or a recovery code (issue 56), a workspace requiring step-up, the prompt and
 * carrying on with a passkey through Chromium's virtual authenticator, sessions.
 *
 * Scenario "sso" (issue 49, see sso.ts): the owner connects a real OpenID Connect provider and
 * verifies the company's domain by the TXT record the page shows once (a real DNS server); a
 * colleague signs in with SSO through the provider's own login page and joins just in time; with
 * SSO required, a password sign-in of the domain is told to use SSO.
 *
 * Scenario "password-reset" (issue 49, see password-reset.ts): "Forgot password?" on the sign-in
 * page, the reset link from the dev mailbox, a weak password refused, the new one signs in; then the
 * password changed in the account page.
 *
 * Scenario "contacts-webhooks" (issue 13, see contacts-webhooks.ts): CSV import with a preview,
 * search, a phone number, a webhook endpoint and a live delivery of lead.created.
 *
 * Scenario "campaigns" (issue 13, see campaigns.ts): contacts from the form API, a campaign
 * written and run in the UI against the fake Twilio, live progress, the analytics chart moving.
 *
 * Scenario "home" (issue 48, see home.ts): a new workspace's onboarding checklist at 0 of 6 with its
 * links, the empty inbox's "Connect Twilio", steps ticked by connecting Twilio and creating a key,
 * and a public-form lead arriving live in the last 24 hours' numbers and the activity feed.
 *
 * Scenario "shell" (issue 48, see shell.ts): the command palette (Control+K, a lead found by
 * phone, "New campaign"), "g" shortcuts and "?", the collapsible sidebar with its counts, the user
 * menu, at 1280 and 390 px.
 *
 * Scenario "narrow-pages" (issue 13, see narrow-pages.ts): every workspace and account page at
 * 390 px wide, with data in it, has no page-level horizontal scroll.
 *
 * Scenario "tables" (issue 48, see tables.ts): the data table — sorting a complete list, a hidden
 * column remembered, bulk status on leads, bulk tag and delete on contacts — and at 390 px rows
 * as cards with no cell text broken inside a word.
 *
 * Scenario "spanish" (issue 48, see spanish.ts): Español chosen in the user menu; the main pages
 * show no English text of the catalog whose Spanish differs, with <html lang="es">, axe on each.
 *
 * Accessibility (issue 10, see axe.ts): axe runs on every page the scenarios visit — at the end
 * of each step (a route, colour scheme and width not yet checked), at each `snap` (a state worth
 * a screenshot is worth checking), and where a step calls `checkA11y` on a page it passes
 * through, in dark mode too where it says so. A serious or critical violation fails the step;
 * all findings go to a11y.md / a11y.json beside the scenario's screenshots, and
 * artifacts/a11y-all.md lists every check of the run. A route the browser was at but no check
 * covered fails the run.
 *
 * One screenshot per step in artifacts/ (later scenarios' in artifacts/<scenario>/); a failed
 * step also leaves Playwright's trace and screenshots in artifacts/test-results/ and the HTML
 * report in artifacts/report/. Within a scenario steps depend on each other, so the first
 * failure skips the rest of it; scenarios are independent. The exit code is non-zero on any
 * failure.
 */
import path from "node:path";
import { type BrowserContext, type Page } from "playwright-core";

import { platformAdminScenario } from "./admin.ts";
import { checkA11y, LIGHT_AND_DARK } from "./axe.ts";
import { voiceBookingsScenario } from "./bookings.ts";
import { campaignsScenario } from "./campaigns.ts";
import { channelsScenario } from "./channels.ts";
import { contactsWebhooksScenario } from "./contacts-webhooks.ts";
import { artifacts } from "./global-setup.ts";
import { assert, atPath, visible, type Scenario } from "./helpers.ts";
import { homeScenario } from "./home.ts";
import { inboxScenario } from "./inbox.ts";
import { invitationsScenario } from "./invitations.ts";
import { leadsScenario } from "./leads.ts";
import { liveScenario } from "./live.ts";
import { narrowPagesScenario } from "./narrow-pages.ts";
import { passwordResetScenario } from "./password-reset.ts";
import { describeScenario, liveBaseUrl, liveFakes, liveServer } from "./scenario-test.ts";
import { settingsScenario } from "./settings.ts";
import { shellScenario } from "./shell.ts";
import { spanishScenario } from "./spanish.ts";
import { ssoScenario } from "./sso.ts";
import { stepUpScenario } from "./step-up.ts";
import { tablesScenario } from "./tables.ts";

const user = {
  name: "Erin Example",
  email: `e2e-${Date.now()}@example.test`,
  password: "correct-horse-battery-staple",
};
const workspace = { name: "E2E Sales Team", slug: "e2e-sales-team", description: "Created by the browser test." };

async function cookieValue(context: BrowserContext, name: string): Promise<string | undefined> {
  return (await context.cookies()).find((cookie) => cookie.name === name)?.value;
}

/** Replaces the httpOnly access cookie, as an expired or tampered one would be. */
async function spoilAccessCookie(page: Page): Promise<void> {
  const url = new URL(page.url());
  await page.context().addCookies([
    {
      name: "atrium_at",
      value: "not-a-valid-token",
      domain: url.hostname,
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
    },
  ]);
}

const accountScenario: Scenario = {
  name: "account",
  actors: ["user"],
  steps: [
    {
      name: "sign up",
      run: async (page) => {
        await page.goto("/signup");
        await visible(page.getByRole("button", { name: "Create account" }), "the sign-up form");
        await checkA11y(page, "the sign-up form", { schemes: LIGHT_AND_DARK });
        await page.getByLabel("Name", { exact: true }).fill(user.name);
        await page.getByLabel("Email", { exact: true }).fill(user.email);
        await page.getByLabel("Password", { exact: true }).fill(user.password);
        await page.getByRole("button", { name: "Create account" }).click();
        await visible(page.getByRole("heading", { name: "Check your email" }), "the check-your-email confirmation");
        await visible(page.getByText(user.email), "the address the mail went to");
        await visible(page.getByRole("link", { name: "Open the development mailbox" }), "the dev mailbox link");
        await checkA11y(page, "sign-up: check your email");
      },
    },
    {
      name: "sign in before verifying is refused",
      run: async (page) => {
        await page.goto("/signin");
        await visible(page.getByRole("button", { name: "Sign in", exact: true }), "the sign-in form");
        await checkA11y(page, "the sign-in form", { schemes: LIGHT_AND_DARK });
        await page.getByLabel("Email", { exact: true }).fill(user.email);
        await page.getByLabel("Password", { exact: true }).fill(user.password);
        await page.getByRole("button", { name: "Sign in", exact: true }).click();
        const alert = await visible(
          page.locator('[data-error-code="EMAIL_NOT_VERIFIED"]'),
          "the email-not-verified message",
        );
        assert(
          /not verified/i.test((await alert.textContent()) ?? ""),
          "the message should say the email is not verified",
        );
        await visible(
          page.getByRole("button", { name: "Resend verification email" }),
          "the resend verification button",
        );
        await checkA11y(page, "sign-in: email not verified");
      },
    },
    {
      name: "open the verification mail from the dev mailbox",
      run: async (page, snap) => {
        await page.getByRole("link", { name: "Open the development mailbox" }).click();
        await atPath(page, "/dev/mailbox-view");
        const mail = await visible(page.getByTestId("dev-mail"), "a mail in the dev mailbox");
        const link = await visible(
          mail.getByRole("link", { name: /\/verify-email\?token=/ }),
          "the verification link in the mail",
        );
        const href = (await link.textContent()) ?? "";
        assert(
          href.startsWith(`${new URL(page.url()).origin}/verify-email?token=`),
          `the mail link ${href} should point at this server`,
        );
        await snap("mailbox");
        await link.click();
        await atPath(page, "/verify-email");
        // The first verification takes the password (decision 0024): the one chosen at sign-up.
        await visible(page.getByRole("button", { name: "Verify email" }), "the verification form");
        await checkA11y(page, "the verification form");
        await page.getByLabel("Password", { exact: true }).fill(user.password);
        await page.getByRole("button", { name: "Verify email" }).click();
        // Verifying signs the person in (issue 56): no second form to fill.
        await visible(
          page.getByText("Your email address is verified. You're signed in."),
          "the verified and signed-in confirmation",
        );
        await checkA11y(page, "verified and signed in");
      },
    },
    {
      name: "the verification signed the person in",
      run: async (page) => {
        await page.getByRole("link", { name: "Continue to Atrium" }).click();
        await atPath(page, "/");
        await visible(page.getByRole("heading", { name: "Your workspaces" }), "the workspace list");
        await visible(page.getByText("You are not a member of any workspace yet."), "the empty workspace list");
        // Sign out is in the user menu (issue 48).
        await visible(page.getByTestId("user-menu"), "the user menu");
        await checkA11y(page, "your workspaces (none yet)", { schemes: LIGHT_AND_DARK });
      },
    },
    {
      name: "create a workspace",
      run: async (page, snap) => {
        await page.getByRole("link", { name: "New workspace" }).click();
        await atPath(page, "/workspaces/new");
        await page.getByLabel("Workspace name").fill(workspace.name);
        const preview = (await page.getByTestId("slug-preview").textContent()) ?? "";
        assert(preview === `/w/${workspace.slug}`, `the slug preview should be /w/${workspace.slug}, got ${preview}`);
        assert(
          (await page.getByLabel("Slug").inputValue()) === workspace.slug,
          "the slug field should follow the name",
        );
        await visible(page.getByTestId("channel-permanent-note"), "the note that the channel is permanent");
        assert(
          (await page.getByLabel("Environment").inputValue()) === "DEVELOPMENT",
          "the environment should default to development",
        );
        await page.getByRole("radio", { name: /WhatsApp/ }).check();
        await page.getByLabel("Description (optional)").fill(workspace.description);
        await snap("form");
        await checkA11y(page, "the new-workspace form", { schemes: ["dark"] });
        await page.getByRole("button", { name: "Create workspace" }).click();
        await atPath(page, `/w/${workspace.slug}`);
        await visible(page.getByRole("heading", { name: workspace.name }), "the workspace home");
        await checkA11y(page, "the workspace home", { schemes: LIGHT_AND_DARK });
      },
    },
    {
      name: "the workspace appears in the switcher",
      run: async (page) => {
        const switcher = await visible(page.getByLabel("Switch workspace"), "the workspace switcher");
        assert(
          (await switcher.getAttribute("data-current")) === workspace.slug,
          "the switcher should select the new workspace",
        );
        await switcher.click();
        const options = await page.getByRole("listbox", { name: "Workspaces" }).getByRole("option").allTextContents();
        assert(
          options.some((text) => text.includes(workspace.name)),
          `the switcher options ${JSON.stringify(options)} should include ${workspace.name}`,
        );
        // The owner sees every section of the workspace navigation.
        const nav = page.getByRole("navigation", { name: "Workspace" });
        for (const label of [
          "Leads",
          "Inbox",
          "Review",
          "Safety rules",
          "Members",
          "API keys",
          "Settings",
          "Audit log",
        ]) {
          await visible(nav.getByRole("link", { name: label, exact: true }), `the ${label} navigation item`);
        }
        // Switching away and back goes through the switcher itself: pick "All workspaces", then
        // type to filter and press Enter.
        await page.getByRole("option", { name: "All workspaces" }).click();
        await atPath(page, "/");
        await visible(page.getByRole("link", { name: workspace.name }), "the workspace in the list");
        await page.getByLabel("Switch workspace").click();
        await page.getByRole("combobox", { name: "Find a workspace" }).fill(workspace.slug);
        await page.keyboard.press("Enter");
        await atPath(page, `/w/${workspace.slug}`);
      },
    },
    {
      name: "the audit log records the creation",
      run: async (page) => {
        await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Audit log" }).click();
        await atPath(page, `/w/${workspace.slug}/audit-log`);
        await visible(page.getByRole("table", { name: "Audit events" }), "the audit events table");
        const rows = await page.getByRole("table", { name: "Audit events" }).locator("tbody tr").count();
        assert(rows >= 1, "the audit log should list at least the workspace creation");
      },
    },
    {
      name: "an invalid access cookie is refreshed transparently",
      run: async (page) => {
        const refreshBefore = await cookieValue(page.context(), "atrium_rt");
        await spoilAccessCookie(page);
        await page.goto(`/w/${workspace.slug}`);
        await visible(page.getByRole("heading", { name: workspace.name }), "the workspace home after the refresh");
        const access = await cookieValue(page.context(), "atrium_at");
        assert(access !== undefined && access !== "not-a-valid-token", "the refresh should set a new access cookie");
        assert((await cookieValue(page.context(), "atrium_rt")) !== refreshBefore, "the refresh token should rotate");
      },
    },
    {
      name: "a session that cannot be refreshed goes to sign in",
      run: async (page) => {
        await spoilAccessCookie(page);
        await page.context().clearCookies({ name: "atrium_rt" });
        await page.goto(`/w/${workspace.slug}/audit-log`);
        await atPath(page, "/signin");
        const next = new URL(page.url()).searchParams.get("next");
        assert(next === `/w/${workspace.slug}/audit-log`, `sign-in should return to the audit log, got next=${next}`);
        // Signing in again returns to where the session ended.
        await page.getByLabel("Email", { exact: true }).fill(user.email);
        await page.getByLabel("Password", { exact: true }).fill(user.password);
        await page.getByRole("button", { name: "Sign in", exact: true }).click();
        await atPath(page, `/w/${workspace.slug}/audit-log`);
        await visible(page.getByRole("table", { name: "Audit events" }), "the audit log after signing in again");
      },
    },
    {
      name: "sign out",
      run: async (page) => {
        await page.getByTestId("user-menu").click();
        await page.getByRole("button", { name: "Sign out" }).click();
        await atPath(page, "/signin");
        await page.goto("/");
        await atPath(page, "/signin");
      },
    },
  ],
};

// Playwright runs the scenarios in this order, one worker, one at a time (playwright.config.ts).
const scenarios: readonly Scenario[] = [
  accountScenario,
  invitationsScenario,
  platformAdminScenario(liveServer),
  leadsScenario,
  settingsScenario,
  channelsScenario(liveFakes, liveBaseUrl),
  liveScenario(liveFakes),
  inboxScenario(liveFakes),
  voiceBookingsScenario(liveFakes, liveBaseUrl),
  stepUpScenario,
  ssoScenario,
  passwordResetScenario,
  contactsWebhooksScenario,
  campaignsScenario(liveFakes, liveBaseUrl),
  homeScenario(liveFakes, liveBaseUrl),
  narrowPagesScenario,
  tablesScenario,
  shellScenario,
  spanishScenario(liveBaseUrl),
];
for (const [index, scenario] of scenarios.entries()) {
  // The first scenario keeps its screenshots at the top of artifacts/ (as before).
  describeScenario(scenario, index === 0 ? artifacts : path.join(artifacts, scenario.name));
}
