/**
 * Scenario "campaigns" (issue 13): contacts arrive through the public form (API), Twilio is
 * connected against the fake, a campaign is written in the UI (a bad {{variable}} is refused at
 * once), run, and its progress moves live to Completed with one message per contact at the fake
 * Twilio; the analytics page's "Messages out" and chart move; CSV export downloads; usage shows
 * the metered messages; the campaigns page fits 390 px.
 */
import { type Page } from "playwright-core";

import { type Fakes } from "@atrium/fakes";

import { checkA11y, LIGHT_AND_DARK } from "./axe.ts";
import {
  assert,
  createWorkspace,
  signUpVerifyAndSignIn,
  TIMEOUT,
  visible,
  type Scenario,
  type TestUser,
} from "./helpers.ts";
import { rememberSecrets } from "./log-secrets.ts";
import { addWhatsAppTemplate } from "./whatsapp-templates.ts";

const user: TestUser = {
  name: "Cam Paign",
  email: `e2e-campaigns-${Date.now()}@example.test`,
  password: "correct-horse-battery-staple",
};
const workspace = { name: "E2E Campaigns", slug: "e2e-campaigns" };
const twilioAccount = {
  accountSid: `AC${"abcdef0123456789".repeat(2)}`,
  authToken: "e2e-campaign-auth-token-77aa",
  from: "+14155230000",
};
const contacts = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov"].map(
  (name, i) => ({ name, phone: `+1555777000${i}` }),
);
rememberSecrets(twilioAccount.authToken, ...contacts.flatMap((c) => [c.name, c.phone]));
// None of the contacts has written: WhatsApp takes only an approved template from the campaign.
const template = {
  name: "Spring check-up",
  sid: `HX${"5eed".repeat(8)}`,
  body: "Hi {{1}}, spring check-ups are open!",
  opening: false,
};
const SIDEWAYS_OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth";

async function totalOut(page: Page): Promise<number> {
  return Number(((await page.getByTestId("total-messages-out").textContent()) ?? "").trim());
}

export function campaignsScenario(fakes: Fakes, baseUrl: () => string): Scenario {
  const sentTo = (phone: string) => fakes.twilio.messages.filter((m) => m.to === `whatsapp:${phone}`);
  return {
    name: "campaigns",
    actors: ["owner"],
    steps: [
      {
        name: "sign up, create a WhatsApp workspace, five contacts arrive through the public form API",
        run: async (page) => {
          fakes.twilio.addAccount(twilioAccount.accountSid, twilioAccount.authToken);
          await signUpVerifyAndSignIn(page, user);
          await createWorkspace(page, workspace);
          // Before Twilio is connected: no opening messages, just leads and their contacts.
          for (const c of contacts) {
            const res = await fetch(`${baseUrl()}/forms/${workspace.slug}`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify(c),
            });
            assert(res.status === 201, `the form should accept ${c.name}, got ${res.status}`);
          }
        },
      },
      {
        name: "connect Twilio (the fake)",
        run: async (page) => {
          await page.goto(`/w/${workspace.slug}/settings`);
          const twilio = page.getByTestId("integration-TWILIO");
          await twilio.getByLabel("Account SID").fill(twilioAccount.accountSid);
          await twilio.getByLabel("Auth token").fill(twilioAccount.authToken);
          await twilio.getByLabel("WhatsApp sender").fill(twilioAccount.from);
          await twilio.getByRole("button", { name: "Connect" }).click();
          await visible(
            twilio.getByTestId("integration-state").getByText("Connected", { exact: true }),
            "Twilio connected",
          );
        },
      },
      {
        name: "add the approved WhatsApp template the campaign will send",
        run: async (page, snap) => {
          await addWhatsAppTemplate(page, workspace.slug, template);
          await snap("templates");
          await checkA11y(page, "the WhatsApp templates page", { schemes: LIGHT_AND_DARK });
        },
      },
      {
        name: "analytics before the campaign: five leads, no message out",
        run: async (page) => {
          await page.getByRole("link", { name: "Analytics", exact: true }).click();
          await visible(page.getByTestId("analytics-chart"), "the analytics chart");
          await visible(page.getByTestId("total-leads").getByText("5", { exact: true }), "five leads today");
          assert((await totalOut(page)) === 0, "no message should have gone out yet");
        },
      },
      {
        name: "write a campaign: an unknown variable is refused, then a draft is saved for all contacts",
        run: async (page, snap) => {
          await page.getByRole("link", { name: "Campaigns", exact: true }).click();
          await visible(page.getByTestId("campaigns-empty"), "the empty state offering the first campaign");
          await checkA11y(page, "the campaigns page, empty");
          await page.getByRole("button", { name: "Write the first campaign" }).click();
          const form = page.getByRole("form", { name: "New campaign" });
          await form.getByLabel("Name").fill("Spring check-up");
          await form.getByLabel("Message").fill("Hi {{frist}}, spring check-ups are open!");
          await visible(form.getByText(/Unknown variable \{\{frist\}\}/), "the unknown-variable error");
          await checkA11y(page, "the campaign form with an unknown variable");
          await form.getByLabel("Message").fill("Hi {{firstName}}, spring check-ups are open!");
          await visible(
            form.getByText(/Preview for .*: “Hi \w+, spring check-ups are open!”/),
            "the preview for a sample contact",
          );
          await form.getByLabel("WhatsApp template").selectOption({ label: template.name });
          // The picker searches every contact; the chosen ones become removable chips.
          await form.getByLabel("Find contacts").fill("Ada");
          await visible(form.getByText(/Showing 1 of 1 matching “Ada”/), "the search narrowing the contacts");
          await form.getByLabel("Find contacts").fill("");
          await visible(form.getByText(/Showing 5 of 5\./), "every contact again");
          await form.getByRole("button", { name: "Choose all shown" }).click();
          await visible(form.getByText("Contacts (5 chosen)"), "five contacts chosen");
          await visible(form.getByRole("button", { name: "Remove Ada Lovelace" }), "a chip per chosen contact");
          await snap("form");
          await form.getByRole("button", { name: "Save draft" }).click();
          await visible(
            page.getByText("Saved the draft “Spring check-up”. Run it when you are ready."),
            "the saved notice",
          );
          await visible(page.getByTestId("campaign-status").getByText("Draft"), "the draft");
          await checkA11y(page, "a draft campaign", { schemes: LIGHT_AND_DARK });
        },
      },
      {
        name: "run it and watch the progress reach Completed; one message per contact at the fake Twilio",
        run: async (page, snap) => {
          await page.getByRole("button", { name: "Run now" }).click();
          // The confirmation: what running now would do, counted by the API, and the sample.
          const confirm = page.getByRole("dialog", { name: "Run “Spring check-up” now?" });
          await visible(
            confirm
              .getByTestId("run-summary")
              .getByText("5 recipients · 0 skipped (opted out 0, no phone 0, need a template 0) · no monthly quota"),
            "the counts before Run",
          );
          await visible(
            confirm.getByTestId("run-sample").getByText(/^Hi \w+, spring check-ups are open!$/),
            "the sample message",
          );
          await checkA11y(page, "the Run confirmation");
          await snap("confirm");
          await confirm.getByRole("button", { name: "Run now" }).click();
          await visible(page.getByText("Started “Spring check-up”."), "the started notice");
          await snap("running");
          await page
            .getByTestId("campaign-status")
            .getByText("Completed")
            .waitFor({ timeout: TIMEOUT * 2 });
          const counts = (await page.getByTestId("campaign-counts").textContent()) ?? "";
          assert(
            counts.includes("5 sent") && counts.includes("of 5"),
            `the counts should say 5 sent of 5, got: ${counts}`,
          );
          await checkA11y(page, "a completed campaign", { schemes: LIGHT_AND_DARK });
          for (const c of contacts) {
            const got = sentTo(c.phone);
            assert(got.length === 1, `${c.name} should get exactly one message, got ${got.length}`);
            assert(
              got[0]?.contentSid === template.sid,
              `${c.name} should get the approved template, got ${got[0]?.contentSid ?? "free text"}`,
            );
            assert(
              got[0]?.contentVariables?.["1"] === c.name.split(" ")[0],
              `the template to ${c.name} should be personalised, got ${JSON.stringify(got[0]?.contentVariables)}`,
            );
          }
        },
      },
      {
        name: "the analytics chart moves: five messages out; CSV export downloads the days",
        run: async (page) => {
          await page.getByRole("link", { name: "Analytics", exact: true }).click();
          await visible(page.getByTestId("analytics-chart"), "the analytics chart");
          const deadline = Date.now() + TIMEOUT;
          while ((await totalOut(page)) !== 5) {
            if (Date.now() > deadline) throw new Error(`messages out should reach 5, it shows ${await totalOut(page)}`);
            await page.waitForTimeout(250);
          }
          const bars = await page.getByTestId("analytics-chart").locator(".recharts-bar-rectangle").count();
          assert(bars > 0, "the chart should draw bars");
          await checkA11y(page, "the analytics page with data", { schemes: LIGHT_AND_DARK });
          const download = page.waitForEvent("download");
          await page.getByRole("button", { name: "Export CSV" }).click();
          const file = await download;
          assert(
            /^analytics-e2e-campaigns-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/.test(file.suggestedFilename()),
            `unexpected file name ${file.suggestedFilename()}`,
          );
        },
      },
      {
        name: "usage shows the five metered messages; the campaigns page fits 390 px",
        run: async (page, snap) => {
          await page.getByRole("link", { name: "Usage and plan", exact: true }).click();
          await visible(page.getByText(/Outbound messages: 5 of unlimited/), "five metered messages");
          await visible(page.getByTestId("usage-chart"), "the usage chart");
          await snap("usage");
          await checkA11y(page, "the usage page", { schemes: ["dark"] });
          await page.setViewportSize({ width: 390, height: 844 });
          await page.goto(`/w/${workspace.slug}/campaigns`);
          await visible(page.getByTestId("campaign"), "the campaign card");
          const overflow = Number(await page.evaluate(SIDEWAYS_OVERFLOW));
          assert(overflow <= 0, `the campaigns page should not scroll sideways at 390 px (overflow ${overflow} px)`);
          await checkA11y(page, "the campaigns page at 390 px", { schemes: LIGHT_AND_DARK });
        },
      },
    ],
  };
}
