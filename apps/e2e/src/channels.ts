/**
 * Scenario "channels" (issue 12): the whole WhatsApp loop through the UI, against the local
 * provider fakes (@atrium/fakes) the server is pointed at by its base-URL settings.
 *
 * Connect Twilio (a wrong token first: the test says so; then the right one), OpenAI and
 * Cal.com in the integration cards (masked secrets, test connection, remove); set the persona;
 * the Twilio webhook card shows this workspace's URL; a lead from the public form gets the
 * opening message at the fake Twilio and it shows, delivered, in the conversation page; the
 * lead's signed inbound reply and the agent's answer (the fake OpenAI's, prompted with the
 * persona) appear without a reload; paused, the next answer is marked not sent and nothing
 * reaches Twilio; a provider refusal shows on the message with its code; the bookings page
 * offers the next step; the conversation page fits 390 px.
 */
import { type Page } from "playwright-core";

import { type Fakes } from "@atrium/fakes";

import { checkA11y, LIGHT_AND_DARK } from "./axe.ts";
import {
  absent,
  assert,
  createWorkspace,
  signUpVerifyAndSignIn,
  until,
  visible,
  type Scenario,
  type TestUser,
} from "./helpers.ts";
import { rememberSecrets } from "./log-secrets.ts";
import { addWhatsAppTemplate } from "./whatsapp-templates.ts";

const user: TestUser = {
  name: "Cora Channels",
  email: `e2e-channels-${Date.now()}@example.test`,
  password: "correct-horse-battery-staple",
};
const workspace = { name: "E2E Channels", slug: "e2e-channels" };
const twilioAccount = {
  accountSid: `AC${"0123456789abcdef".repeat(2)}`,
  authToken: "e2e-twilio-auth-token-9f3a",
  from: "+14155238886",
};
const openaiKey = "sk-e2e-openai-key-000000000042";
// Issue 56: the agent's opening message to a lead who has not written is an approved template.
const openingTemplate = {
  name: "Welcome",
  sid: `HX${"c4a7".repeat(8)}`,
  body: "Hello {{1}}, thanks for your enquiry. How can we help?",
  opening: true,
};
const lead = { name: "Lena Lead", phone: "+15550001111" };
rememberSecrets(twilioAccount.authToken, openaiKey, lead.name, lead.phone);
const persona = { name: "Ava", role: "Sales assistant" };

/** How far the page scrolls sideways (evaluated in the page; this package has no DOM types). */
const SIDEWAYS_OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth";

const section = (page: Page, name: string) => page.getByRole("region", { name, exact: true });
const card = (page: Page, provider: string) => page.getByTestId(`integration-${provider}`);

export function channelsScenario(fakes: Fakes, baseUrl: () => string): Scenario {
  let webhookUrl = "";
  let conversationPath = "";
  const sentToLead = () => fakes.twilio.messages.filter((message) => message.to === `whatsapp:${lead.phone}`);

  const inbound = async (body: string) => {
    const answer = await fakes.twilio.sendInbound({
      webhookUrl,
      authToken: twilioAccount.authToken,
      accountSid: twilioAccount.accountSid,
      from: lead.phone,
      to: twilioAccount.from,
      body,
    });
    assert(
      answer.status === 200,
      `the signed inbound message should be accepted, got ${answer.status}: ${answer.text}`,
    );
  };

  return {
    name: "channels",
    actors: ["owner"],
    steps: [
      {
        name: "sign up and create a WhatsApp workspace",
        run: async (page) => {
          fakes.twilio.addAccount(twilioAccount.accountSid, twilioAccount.authToken);
          fakes.openai.apiKeys.add(openaiKey);
          await signUpVerifyAndSignIn(page, user);
          await createWorkspace(page, workspace);
        },
      },
      {
        name: "connect Twilio: a wrong token fails the test, the right one passes",
        run: async (page, snap) => {
          await page.goto(`/w/${workspace.slug}/settings`);
          await visible(section(page, "Integrations"), "the integrations section");
          const twilio = card(page, "TWILIO");
          await visible(twilio.getByText("Not connected"), "Twilio not connected yet");
          await twilio.getByLabel("Account SID").fill(twilioAccount.accountSid);
          await twilio.getByLabel("Auth token").fill("wrong-token-0000000000");
          await twilio.getByLabel("WhatsApp sender").fill(twilioAccount.from);
          await snap("filled");
          await twilio.getByRole("button", { name: "Connect" }).click();
          await visible(
            twilio.getByTestId("integration-state").getByText("Connected", { exact: true }),
            "Twilio connected",
          );
          await twilio.getByRole("button", { name: "Test connection" }).click();
          await visible(twilio.getByRole("alert"), "the failed connection test");
          await snap("wrong-token");
          await checkA11y(page, "an integration card with a failed test", { schemes: ["dark"] });

          await twilio.getByRole("button", { name: "Edit" }).click();
          await visible(
            twilio.getByText(/Stored as •+0000\. Leave empty to keep it\./),
            "the masked stored token as a hint",
          );
          await twilio.getByLabel("Auth token").fill(twilioAccount.authToken);
          await twilio.getByRole("button", { name: "Save changes" }).click();
          await visible(twilio.getByText("Saved the Twilio (WhatsApp) card."), "the saved confirmation");
          await twilio.getByRole("button", { name: "Test connection" }).click();
          await visible(
            twilio.getByRole("status").getByText(/Twilio accepted these credentials/),
            "the passed connection test",
          );
          const shown = (await twilio.textContent()) ?? "";
          assert(shown.includes("••••••••9f3a"), "the auth token should be shown masked, last four only");
          assert(!(await page.content()).includes(twilioAccount.authToken), "the auth token must not be in the page");
        },
      },
      {
        name: "connect OpenAI, connect and remove Cal.com",
        run: async (page, snap) => {
          const openai = card(page, "OPENAI");
          await openai.getByLabel("API key").fill(openaiKey);
          assert((await openai.getByLabel("Model").inputValue()) === "gpt-4o-mini", "a model should be suggested");
          await openai.getByRole("button", { name: "Connect" }).click();
          await openai.getByRole("button", { name: "Test connection" }).click();
          await visible(openai.getByRole("status"), "the OpenAI connection test result");
          await absent(openai.getByRole("alert"), "an OpenAI test failure");

          const calcom = card(page, "CALCOM");
          await calcom.getByLabel("API key").fill("cal_live_e2e");
          await calcom.getByLabel("Event type ID").fill("forty-two");
          await calcom.getByRole("button", { name: "Connect" }).click();
          await visible(
            calcom.getByText("The event type id is a whole number."),
            "the field error beside the event type",
          );
          await checkA11y(page, "an integration card with a field error");
          await calcom.getByLabel("Event type ID").fill("42");
          await calcom.getByRole("button", { name: "Connect" }).click();
          await visible(
            calcom.getByTestId("integration-state").getByText("Connected", { exact: true }),
            "Cal.com connected",
          );
          await snap("connected");
          await calcom.getByRole("button", { name: "Remove" }).click();
          const dialog = await visible(
            page.getByRole("dialog", { name: "Remove the Cal.com card?" }),
            "the remove confirmation",
          );
          await checkA11y(page, "the remove-card confirmation");
          await dialog.getByRole("button", { name: "Remove" }).click();
          await visible(
            calcom.getByTestId("integration-state").getByText("Not connected", { exact: true }),
            "Cal.com removed",
          );
        },
      },
      {
        name: "set the persona; the Twilio webhook card shows this workspace's URL",
        run: async (page) => {
          const personaSection = section(page, "Agent persona");
          await personaSection.getByLabel("Agent name").fill(persona.name);
          await personaSection.getByLabel("Agent role").fill(persona.role);
          await personaSection.getByRole("button", { name: "Save persona" }).click();
          await visible(personaSection.getByText("Saved the agent persona."), "the persona saved");
          const workspaceId = ((await page.getByTestId("workspace-uuid").textContent()) ?? "").trim();
          webhookUrl = ((await page.getByTestId("twilio-webhook-url").textContent()) ?? "").trim();
          assert(
            webhookUrl === `${baseUrl()}/webhooks/twilio/${workspaceId}`,
            `the webhook URL ${webhookUrl} should name this workspace on this server`,
          );
          await visible(
            section(page, "Twilio sandbox webhook").getByRole("button", { name: "Copy URL" }),
            "the copy button",
          );
        },
      },
      {
        name: "add the approved opening template in the settings (WhatsApp templates)",
        run: async (page) => {
          await addWhatsAppTemplate(page, workspace.slug, openingTemplate);
          await visible(
            page.getByTestId("message-template").filter({ hasText: openingTemplate.name }).getByText("Opening message"),
            "the template marked as the opening message",
          );
        },
      },
      {
        name: "a lead from the public form gets the opening message, shown delivered",
        run: async (page, snap) => {
          await page.goto(`/forms/${workspace.slug}`);
          // Checked by the leads scenario in a whole run; here too when this scenario runs alone.
          await checkA11y(page, "the public form", { once: true });
          await page.getByLabel("Name", { exact: true }).fill(lead.name);
          await page.getByLabel(/Phone/).fill(lead.phone);
          await page.getByLabel(/I agree to receive WhatsApp messages/).check();
          await page.getByRole("button", { name: "Send" }).click();
          await visible(page.getByRole("heading", { name: /thank you/i }), "the thank-you page");
          const opening = await until("the opening message at the fake Twilio", () => sentToLead()[0]);
          assert(
            opening.contentSid === openingTemplate.sid,
            `the opening message should be the opening template, got ${opening.contentSid ?? "free text"}`,
          );
          assert(
            opening.from === `whatsapp:${twilioAccount.from}`,
            `the opening message should come from the card's sender, not ${opening.from}`,
          );

          await page.goto(`/w/${workspace.slug}/conversations`);
          await visible(page.getByRole("link", { name: new RegExp(lead.name) }), "the conversation in the list");
          await checkA11y(page, "the conversations list", { schemes: LIGHT_AND_DARK });
          await page
            .getByRole("link", { name: new RegExp(lead.name) })
            .first()
            .click();
          await page.waitForURL(/\/conversations\/[0-9a-f-]+$/);
          conversationPath = new URL(page.url()).pathname;
          const message = await visible(
            page.getByTestId("message").filter({ hasText: `Hello Lena, thanks for your enquiry.` }),
            "the opening message in the transcript",
          );
          await visible(message.getByText("Delivered"), "its delivery status (from Twilio's status callback)");
          await snap("opening");
          await checkA11y(page, "a conversation", { schemes: ["dark"] });
        },
      },
      {
        name: "the lead's reply and the agent's answer appear without a reload",
        run: async (page) => {
          await page.evaluate("window.__sameDocument = true");
          const before = sentToLead().length;
          await inbound("Do you have time on Friday?");
          await visible(
            page.getByTestId("message").filter({ hasText: "Do you have time on Friday?" }).first(),
            "the lead's message",
          );
          await visible(
            page.getByTestId("message").filter({ hasText: '("Do you have time on Friday?")' }),
            "the agent's answer",
          );
          assert((await page.evaluate<unknown>("window.__sameDocument")) === true, "the page must not have reloaded");
          // The page may show the answer (queued) before its send job has reached Twilio.
          await until("the answer to reach Twilio", () => (sentToLead().length > before ? true : undefined));
          await page.waitForTimeout(500);
          assert(sentToLead().length === before + 1, "exactly one answer should reach Twilio");
          const prompt =
            fakes.openai
              .completions()
              .at(-1)
              ?.messages.find((message) => message.role === "system")?.content ?? "";
          assert(
            prompt.includes(persona.name) && prompt.includes(persona.role),
            "the OpenAI system prompt should carry the persona set in the UI",
          );
        },
      },
      {
        name: "paused, the next answer is marked not sent and nothing reaches Twilio",
        run: async (page, snap) => {
          await page.goto(`/w/${workspace.slug}/settings`);
          const agent = section(page, "Agent status");
          await agent.getByRole("switch", { name: "Pause the agent" }).check();
          await visible(agent.getByText("The agent is paused", { exact: false }), "the paused confirmation");
          await page.goto(conversationPath);
          await visible(page.getByTestId("message").first(), "the transcript");
          const before = sentToLead().length;
          await inbound("Hello, anyone there?");
          const suppressed = await visible(
            page.locator('[data-testid="message"][data-status="SUPPRESSED"]'),
            "the suppressed answer",
          );
          await visible(suppressed.getByText("Not sent: the agent is paused."), "the not-sent marker and why");
          await page.waitForTimeout(1500);
          assert(sentToLead().length === before, "nothing may reach Twilio while the agent is paused");
          await snap("suppressed");
          await page.goto(`/w/${workspace.slug}/settings`);
          await section(page, "Agent status").getByRole("switch", { name: "Pause the agent" }).uncheck();
          await visible(
            section(page, "Agent status").getByTestId("agent-status").getByText("Running"),
            "the agent running again",
          );
        },
      },
      {
        name: "a provider refusal shows on the message with its code",
        run: async (page) => {
          fakes.twilio.rejectTo.set(lead.phone, {
            code: 63016,
            message: "Failed to send freeform message because you are outside the allowed window.",
            status: 400,
          });
          await page.goto(conversationPath);
          // Take over (issue 47: a button; the badge follows the server's answer).
          await page.getByRole("button", { name: "Take over" }).click();
          await visible(page.getByTestId("takeover-state").getByText("Human takeover"), "human takeover on");
          await page.getByRole("textbox", { name: "Reply" }).fill("A person here: can we call you?");
          await page.getByRole("button", { name: "Send reply" }).click();
          const failed = await visible(
            page.locator('[data-testid="message"][data-status="FAILED"]').filter({ hasText: "A person here" }),
            "the refused reply",
          );
          await visible(failed.getByText("Not delivered"), "the not-delivered marker");
          await visible(failed.getByTestId("message-problem").getByText(/error 63016/), "Twilio's error code");
          await checkA11y(page, "a conversation in human takeover with a refused reply", { schemes: LIGHT_AND_DARK });
          fakes.twilio.rejectTo.delete(lead.phone);
        },
      },
      {
        name: "the conversation page fits a 390 px screen",
        run: async (page, snap) => {
          await page.setViewportSize({ width: 390, height: 844 });
          await page.goto(conversationPath);
          await visible(page.getByTestId("message").first(), "the transcript");
          const overflow = await page.evaluate<number>(SIDEWAYS_OVERFLOW);
          assert(overflow <= 0, `the page should not scroll sideways at 390 px (overflows by ${overflow} px)`);
          await snap("narrow");
          await checkA11y(page, "a conversation at 390 px", { schemes: ["dark"] });
          await page.goto(`/w/${workspace.slug}/settings#settings-integrations`);
          await visible(card(page, "TWILIO"), "the Twilio card");
          const settingsOverflow = await page.evaluate<number>(SIDEWAYS_OVERFLOW);
          assert(
            settingsOverflow <= 0,
            `settings should not scroll sideways at 390 px (overflows by ${settingsOverflow} px)`,
          );
          await checkA11y(page, "the integration cards at 390 px", { schemes: LIGHT_AND_DARK });
          await page.setViewportSize({ width: 1280, height: 800 });
        },
      },
      {
        name: "the bookings page offers the next step",
        run: async (page) => {
          await page.goto(`/w/${workspace.slug}/bookings`);
          const empty = await visible(page.getByTestId("bookings-empty"), "the bookings empty state");
          await visible(
            empty.getByRole("link", { name: "Connect Cal.com in settings" }),
            "the link to connect Cal.com",
          );
        },
      },
    ],
  };
}
