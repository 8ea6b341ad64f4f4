/**
 * Scenario "inbox" (issue 47): an operator's day in the inbox and the console, against the
 * provider fakes, at 1280 px and again at 390 px (a second lead).
 *
 * A WhatsApp workspace with Twilio and OpenAI connected, and a safety rule made from the "Legal
 * threat" template on the safety rules page. For each width: a lead's signed message (mentioning a
 * lawyer) arrives in the inbox without a reload, unread; the operator opens it, takes over (the
 * agent stays silent), replies by hand (the reply reaches the fake Twilio), leaves guidance for
 * the agent (never sent to the lead), hands back, and the agent's next OpenAI request carries the
 * guidance; the flagged message waits in the review queue, where the operator claims it and
 * resolves it with an outcome. Screenshots at each width go to the scenario's artifacts.
 */
import { type Page } from "playwright-core";

import { type Fakes } from "@atrium/fakes";

import { checkA11y } from "./axe.ts";
import {
  absent,
  assert,
  connectTwilioAndOpenAI,
  createWorkspace,
  signUpVerifyAndSignIn,
  until,
  visible,
  type Scenario,
  type TestUser,
} from "./helpers.ts";
import { rememberSecrets } from "./log-secrets.ts";

const user: TestUser = {
  name: "Opal Operator",
  email: `e2e-inbox-${Date.now()}@example.test`,
  password: "correct-horse-battery-staple",
};
const workspace = { name: "E2E Inbox", slug: "e2e-inbox" };
const twilioAccount = {
  accountSid: `AC${"a1b2c3d4e5f60718".repeat(2)}`,
  authToken: "e2e-inbox-twilio-token-4747",
  from: "+14155230047",
};
const openaiKey = "sk-e2e-inbox-openai-key-0000000047";
const leads = [
  { name: "Wide Wendy", phone: "+15550004701", width: 1280, height: 800 },
  { name: "Narrow Nico", phone: "+15550004702", width: 390, height: 844 },
];
rememberSecrets(twilioAccount.authToken, openaiKey, ...leads.flatMap((lead) => [lead.name, lead.phone]));

export function inboxScenario(fakes: Fakes): Scenario {
  let webhookUrl = "";
  const sentTo = (phone: string) => fakes.twilio.messages.filter((message) => message.to === `whatsapp:${phone}`);

  const dayAt = (lead: (typeof leads)[number]) => [
    {
      name: `${lead.width} px: a lead's message arrives in the inbox, live and unread`,
      run: async (page: Page) => {
        await page.setViewportSize({ width: lead.width, height: lead.height });
        await page.goto(`/w/${workspace.slug}/conversations`);
        await visible(page.getByRole("heading", { name: "Inbox" }), "the inbox");
        fakes.openai.reply = () => "Thanks for reaching out! A teammate will look at this.";
        const answer = await fakes.twilio.sendInbound({
          webhookUrl,
          authToken: twilioAccount.authToken,
          accountSid: twilioAccount.accountSid,
          from: lead.phone,
          to: twilioAccount.from,
          body: "My lawyer says the invoice is wrong.",
          profileName: lead.name,
        });
        assert(answer.status === 200, `the signed inbound message should be accepted, got ${answer.status}`);
        const row = await visible(
          page.getByRole("list", { name: "Conversations" }).getByRole("link", { name: new RegExp(lead.name) }),
          "the new conversation in the inbox, without a reload",
        );
        await visible(row.getByText(/unread/i), "its unread count");
        await until("the agent's answer at the fake Twilio", () => (sentTo(lead.phone).length > 0 ? true : undefined));
        await checkA11y(page, `the inbox at ${lead.width} px`, { once: true });
        await row.click();
        await page.waitForURL(/\/conversations\/[0-9a-f-]+$/);
        await visible(
          page.getByTestId("message").filter({ hasText: "My lawyer says the invoice is wrong." }),
          "the lead's message in the console",
        );
      },
    },
    {
      name: `${lead.width} px: take over, reply by hand, leave guidance, hand back`,
      run: async (page: Page, snap: (label: string, on?: Page) => Promise<void>) => {
        await page.getByRole("button", { name: "Take over" }).click();
        await visible(page.getByTestId("takeover-state").getByText(/human/i), "HUMAN mode");
        const before = sentTo(lead.phone).length;
        const reply = `Hi ${lead.name.split(" ")[1]}, this is Opal. I'll check the invoice now.`;
        await page.getByRole("textbox", { name: "Reply" }).fill(reply);
        await page.getByRole("button", { name: "Send reply" }).click();
        await until("the manual reply at the fake Twilio", () =>
          sentTo(lead.phone).some((m) => m.body === reply) ? true : undefined,
        );
        await visible(page.getByTestId("message").filter({ hasText: reply }), "the manual reply in the transcript");
        assert(
          sentTo(lead.phone).length === before + 1,
          "exactly the manual reply went out while a person had the conversation",
        );

        await page.getByRole("tab", { name: /guidance/i }).click();
        const guidance = "Offer Tuesday slots first.";
        await page.getByLabel("Guidance for the agent").fill(guidance);
        await page.getByRole("button", { name: "Add note" }).click();
        await visible(page.getByText(guidance).first(), "the guidance note in the transcript");
        await snap(`console-${lead.width}`);
        await page.getByRole("button", { name: "Hand back to AI" }).click();
        await visible(page.getByRole("button", { name: "Take over" }), "AI mode again");
        assert(!fakes.twilio.messages.some((m) => m.body.includes(guidance)), "guidance must never reach Twilio");

        // The agent's next answer is written with the guidance.
        const requests = fakes.openai.completions().length;
        fakes.openai.reply = () => "Would Tuesday at 10:00 suit you?";
        await fakes.twilio.sendInbound({
          webhookUrl,
          authToken: twilioAccount.authToken,
          accountSid: twilioAccount.accountSid,
          from: lead.phone,
          to: twilioAccount.from,
          body: "When can I come in?",
        });
        await visible(
          page.getByTestId("message").filter({ hasText: "Would Tuesday at 10:00 suit you?" }),
          "the agent's answer, live",
        );
        const request = fakes.openai.completions().slice(requests).at(-1);
        assert(
          request !== undefined && request.messages.some((m) => m.role === "system" && m.content.includes(guidance)),
          "the agent's request should carry the guidance as a system message",
        );
        await checkA11y(page, `the console at ${lead.width} px`, { once: true });
      },
    },
    {
      name: `${lead.width} px: claim and resolve the flagged message in the review queue`,
      run: async (page: Page, snap: (label: string, on?: Page) => Promise<void>) => {
        await page.goto(`/w/${workspace.slug}/review`);
        const item = await visible(
          page
            .getByRole("list", { name: "Review items" })
            .getByRole("listitem")
            .filter({ hasText: lead.name })
            .filter({ hasText: "Legal threat" })
            .first(),
          "the flagged item in the queue",
        );
        await item.getByRole("button", { name: "Claim" }).click();
        await visible(item.getByText(/claimed/i).first(), "claimed by the operator");
        await item.getByRole("button", { name: /^Resolve/ }).click();
        const dialog = await visible(page.getByRole("dialog"), "the resolve dialog");
        await dialog.getByLabel("Outcome").selectOption({ index: 1 });
        await dialog.getByLabel("Note (optional)").fill("Called the lead; the invoice is being corrected.");
        await snap(`resolve-${lead.width}`);
        await dialog.getByRole("button", { name: "Resolve", exact: true }).click();
        // The dialog closes when the API has answered (while it is open the list behind it is hidden from the accessibility tree).
        await absent(page.getByRole("dialog"), "the resolve dialog after resolving");
        // Resolved items leave the open queue.
        await absent(
          page.getByRole("list", { name: "Review items" }).getByRole("listitem").filter({ hasText: lead.name }),
          "the resolved item in the open queue",
        );
        await page.getByLabel("Status").selectOption({ label: "Resolved" });
        await visible(
          page
            .getByRole("list", { name: "Review items" })
            .getByRole("listitem")
            .filter({ hasText: lead.name })
            .filter({ hasText: "Called the lead" }),
          "the item under Resolved, with its note",
        );
        await checkA11y(page, `the review queue at ${lead.width} px`, { once: true });
      },
    },
  ];

  return {
    name: "inbox",
    actors: ["owner"],
    steps: [
      {
        name: "sign up, create a WhatsApp workspace, connect Twilio and OpenAI",
        run: async (page) => {
          fakes.twilio.addAccount(twilioAccount.accountSid, twilioAccount.authToken);
          fakes.openai.apiKeys.add(openaiKey);
          await signUpVerifyAndSignIn(page, user);
          await createWorkspace(page, workspace);
          webhookUrl = await connectTwilioAndOpenAI(page, workspace.slug, twilioAccount, openaiKey);
        },
      },
      {
        name: "a safety rule from the Legal threat template",
        run: async (page, snap) => {
          await page.goto(`/w/${workspace.slug}/safety`);
          await page
            .getByRole("button", { name: /legal threat/i })
            .first()
            .click();
          const dialog = await visible(page.getByRole("dialog"), "the rule editor, filled from the template");
          await dialog.getByLabel("Sample message").fill("I will call my lawyer");
          await visible(dialog.getByText("Matches", { exact: true }), "the try-it preview matching");
          await snap("rule-editor");
          await dialog
            .getByRole("button", { name: /save|create|add rule/i })
            .first()
            .click();
          await visible(page.getByText("Legal threat").first(), "the rule in the list");
          await checkA11y(page, "the safety rules page", { once: true });
        },
      },
      ...leads.flatMap(dayAt),
    ],
  };
}
