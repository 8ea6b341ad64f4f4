/**
 * Scenario "home" (issue 48): the workspace's home. A new WhatsApp workspace shows the onboarding
 * checklist at 0 of 6, each step a link to where it is done; the empty inbox says Twilio is not
 * connected and its "Connect Twilio" link leads to the integration card; connecting Twilio and
 * creating an API key tick their steps (and the inbox then offers the form); a lead submitted
 * through the public form appears in the last 24 hours' numbers, the checklist and the activity
 * feed without a reload (graphql-ws). At 1280 and 390 px (no page-level horizontal scroll), axe
 * in light and dark.
 */
import { type Page } from "playwright-core";

import { type Fakes } from "@atrium/fakes";

import { checkA11y, LIGHT_AND_DARK } from "./axe.ts";
import {
  assert,
  atPath,
  connectTwilioAndOpenAI,
  createWorkspace,
  signUpVerifyAndSignIn,
  visible,
  type Scenario,
  type TestUser,
} from "./helpers.ts";

const user: TestUser = {
  name: "Hana Home",
  email: `e2e-home-${Date.now()}@example.test`,
  password: "correct-horse-battery-staple",
};
const workspace = { name: "E2E Home", slug: "e2e-home" };
const twilioAccount = {
  accountSid: `AC${"0123456789abcdef".repeat(2)}`,
  authToken: "e2e-home-twilio-token-4848",
  from: "+14155230048",
};
const openaiKey = "sk-e2e-home-openai-key-0000000048";
const lead = { name: "Lena Live", email: "lena.live@example.test" };

const STEPS = [
  "CHANNEL_CONNECTED",
  "PERSONA_SET",
  "FIRST_LEAD",
  "TEAMMATE_INVITED",
  "API_KEY_CREATED",
  "FIRST_CAMPAIGN",
] as const;

const step = (page: Page, key: (typeof STEPS)[number]) => page.getByTestId(`home-step-${key}`);

async function progress(page: Page, text: string): Promise<void> {
  await visible(
    page.getByTestId("home-checklist-progress").getByText(text, { exact: true }),
    `the checklist at ${text}`,
  );
}

async function noHorizontalScroll(page: Page, what: string): Promise<void> {
  const overflow = await page.evaluate<number>(
    "document.documentElement.scrollWidth - document.documentElement.clientWidth",
  );
  assert(
    overflow <= 0,
    `${what} should not scroll sideways at ${page.viewportSize()?.width ?? 0} px (overflow ${overflow} px)`,
  );
}

export function homeScenario(fakes: Fakes, baseUrl: () => string): Scenario {
  return {
    name: "home",
    actors: ["owner"],
    steps: [
      {
        name: "a new workspace's home shows the checklist at 0 of 6, each step a link",
        run: async (page, snap) => {
          await signUpVerifyAndSignIn(page, user);
          await createWorkspace(page, workspace);
          await visible(page.getByRole("heading", { name: "Set up your workspace" }), "the onboarding checklist");
          await progress(page, "0 of 6 done");
          const hrefs: Record<string, string> = {
            CHANNEL_CONNECTED: `/w/${workspace.slug}/settings#settings-integrations-title`,
            PERSONA_SET: `/w/${workspace.slug}/settings#settings-persona-title`,
            FIRST_LEAD: `/w/${workspace.slug}/settings#settings-public-form-title`,
            TEAMMATE_INVITED: `/w/${workspace.slug}/members`,
            API_KEY_CREATED: `/w/${workspace.slug}/api-keys`,
            FIRST_CAMPAIGN: `/w/${workspace.slug}/campaigns`,
          };
          for (const key of STEPS) {
            const link = await visible(step(page, key).getByRole("link"), `the ${key} step's link`);
            assert(
              (await link.getAttribute("href")) === hrefs[key],
              `${key} should link to ${hrefs[key]}, got ${await link.getAttribute("href")}`,
            );
          }
          await visible(
            step(page, "CHANNEL_CONNECTED").getByRole("link", { name: "Connect Twilio" }),
            "Connect Twilio (a WhatsApp workspace)",
          );
          for (const metric of ["newLeads", "waitingForReply", "bookings", "sendsFailed"]) {
            await visible(
              page.getByTestId(`home-metric-${metric}-value`).getByText("0", { exact: true }),
              `${metric} at 0`,
            );
          }
          await visible(
            page.getByTestId("home-activity").getByText(/Workspace created/),
            "the workspace's creation in the activity feed",
          );
          await checkA11y(page, "the workspace home with its checklist", { schemes: LIGHT_AND_DARK });
          await snap("home-1280");
        },
      },
      {
        name: "at 390 px the home fits the screen",
        run: async (page, snap) => {
          await page.setViewportSize({ width: 390, height: 844 });
          await visible(page.getByRole("heading", { name: "Set up your workspace" }), "the checklist at 390 px");
          await noHorizontalScroll(page, "the home");
          await checkA11y(page, "the workspace home at 390 px", { schemes: LIGHT_AND_DARK });
          await snap("home-390");
          await page.setViewportSize({ width: 1280, height: 800 });
        },
      },
      {
        name: "the empty inbox says Twilio is not connected; its link opens the integration card",
        run: async (page, snap) => {
          await page.goto(`/w/${workspace.slug}/conversations`);
          const empty = await visible(page.getByTestId("inbox-empty"), "the inbox's empty state");
          await visible(empty.getByText("Twilio is not connected."), "what is missing");
          await checkA11y(page, "the empty inbox, Twilio not connected");
          await snap("inbox-not-connected");
          await empty.getByRole("link", { name: "Connect Twilio" }).click();
          await atPath(page, `/w/${workspace.slug}/settings`);
          await visible(page.getByTestId("integration-TWILIO"), "the Twilio card");
        },
      },
      {
        name: "connecting Twilio and creating an API key tick their steps; the inbox then offers the form",
        run: async (page, snap) => {
          fakes.twilio.addAccount(twilioAccount.accountSid, twilioAccount.authToken);
          fakes.openai.apiKeys.add(openaiKey);
          await connectTwilioAndOpenAI(page, workspace.slug, twilioAccount, openaiKey);

          await page.goto(`/w/${workspace.slug}/api-keys`);
          await page.getByRole("button", { name: "Create API key" }).click();
          const dialog = await visible(
            page.getByRole("dialog", { name: "Create an API key" }),
            "the create-key dialog",
          );
          await dialog.getByLabel("Key name").fill("Website");
          await dialog.getByRole("checkbox", { name: /lead\.manage/ }).check();
          await dialog.getByRole("button", { name: "Create key" }).click();
          const shown = await visible(
            page.getByRole("dialog", { name: "Copy your new API key" }),
            "the copy-once dialog",
          );
          await shown.getByRole("button", { name: "I have stored the key" }).click();
          await visible(page.locator('tr[data-key-name="Website"]'), "the new key in the list");
          await checkA11y(page, "the API keys page with a key", { once: true });

          await page.goto(`/w/${workspace.slug}/conversations`);
          const empty = await visible(page.getByTestId("inbox-empty"), "the inbox's empty state");
          await visible(
            empty.getByText(/Twilio is connected\. Share your lead form/),
            "the next step once Twilio is connected",
          );
          await visible(empty.getByTestId("public-form-link"), "the form link to share");
          await snap("inbox-connected");

          await page.goto(`/w/${workspace.slug}`);
          await progress(page, "2 of 6 done");
          assert(
            (await step(page, "CHANNEL_CONNECTED").getAttribute("data-done")) === "true",
            "Connect Twilio should be ticked",
          );
          assert(
            (await step(page, "API_KEY_CREATED").getAttribute("data-done")) === "true",
            "Create an API key should be ticked",
          );
          assert(
            (await step(page, "FIRST_LEAD").getAttribute("data-done")) === "false",
            "Share your lead form should not be ticked yet",
          );
          await snap("home-two-done");
        },
      },
      {
        name: "a lead from the public form appears in today's numbers and the activity feed without a reload",
        run: async (page, snap) => {
          await visible(
            page.getByTestId("home-metric-newLeads-value").getByText("0", { exact: true }),
            "no new lead yet",
          );
          // A mark on the window: still there afterwards means the page was not reloaded.
          await page.evaluate("window.homeNotReloaded = true");
          const response = await fetch(`${baseUrl()}/forms/${workspace.slug}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(lead),
          });
          assert(response.status === 201, `the public form should take the lead, got ${response.status}`);

          await visible(
            page.getByTestId("home-metric-newLeads-value").getByText("1", { exact: true }),
            "one new lead, live",
          );
          await visible(
            page.getByTestId("home-metric-newLeads").getByText("+1 vs the 24 h before (0)"),
            "the comparison with the 24 h before",
          );
          await visible(
            page.getByTestId("home-activity").getByRole("link", { name: new RegExp(lead.name) }),
            "the lead in the activity feed, live",
          );
          await progress(page, "3 of 6 done");
          assert(
            (await page.evaluate<boolean>("window.homeNotReloaded === true")) === true,
            "the page should not have been reloaded",
          );
          await checkA11y(page, "the home with a lead", { schemes: LIGHT_AND_DARK });
          await snap("home-live-lead");
          await page.setViewportSize({ width: 390, height: 844 });
          await noHorizontalScroll(page, "the home with activity");
          await snap("home-live-lead-390");
          await page.setViewportSize({ width: 1280, height: 800 });
        },
      },
    ],
  };
}
