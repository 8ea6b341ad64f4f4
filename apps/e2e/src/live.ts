/**
 * Scenario "live" (issue 46): the conversation page follows the conversation over the
 * WebSocket (GraphQL subscriptions, graphql-ws), with no polling.
 *
 * A WhatsApp workspace with Twilio and OpenAI connected (against the provider fakes); a lead
 * from the public form gets the opening message, which the fake Twilio leaves at "sent". On the
 * open conversation page (human takeover on, so the agent stays quiet): the lead's signed
 * inbound reply appears, and Twilio's "delivered" callback for the opening message moves its
 * status, both without a reload; then 20 s of idleness on the page make no HTTP request to
 * /graphql at all (the socket is not an HTTP request), and the "Reconnecting…" indicator is
 * not shown while connected. A message stored while the page's live socket is not yet up (its
 * chunk held back) appears once it is, without a reload. Screenshots of the page at 390 and
 * 1280 px go to /tmp/live-*.png.
 */
import { type Request } from "playwright-core";

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
import { addWhatsAppTemplate } from "./whatsapp-templates.ts";

const user: TestUser = {
  name: "Liv Live",
  email: `e2e-live-${Date.now()}@example.test`,
  password: "correct-horse-battery-staple",
};
const workspace = { name: "E2E Live", slug: "e2e-live" };
const twilioAccount = {
  accountSid: `AC${"fedcba9876543210".repeat(2)}`,
  authToken: "e2e-live-twilio-token-51c7",
  from: "+14155230046",
};
const openaiKey = "sk-e2e-live-openai-key-0000000046";
// Issue 56: the agent's opening message to a lead who has not written is an approved template.
const openingTemplate = {
  name: "Welcome",
  sid: `HX${"11fe".repeat(8)}`,
  body: "Hello {{1}}, thanks for your enquiry. How can we help?",
  opening: true,
};
const lead = { name: "Remy Reply", phone: "+15550004646" };
/** How long the page must stay quiet: no HTTP GraphQL request at all. */
const IDLE_MS = 20_000;

/** HTTP requests to /graphql (a WebSocket upgrade is not reported as one, and is left out anyway). */
const isHttpGraphQL = (request: Request) =>
  new URL(request.url()).pathname === "/graphql" && request.resourceType() !== "websocket";

export function liveScenario(fakes: Fakes): Scenario {
  let webhookUrl = "";
  let conversationPath = "";
  let openingSid = "";
  const sentToLead = () => fakes.twilio.messages.filter((message) => message.to === `whatsapp:${lead.phone}`);
  let statusSequence: string[] = [];

  return {
    name: "live",
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
        name: "a lead from the public form gets the opening message; open the conversation",
        run: async (page) => {
          // The fake Twilio reports "sent" only: "delivered" is sent by hand, later, on the open page.
          statusSequence = fakes.twilio.statusSequence;
          fakes.twilio.statusSequence = ["sent"];
          await page.goto(`/forms/${workspace.slug}`);
          await page.getByLabel("Name", { exact: true }).fill(lead.name);
          await page.getByLabel(/Phone/).fill(lead.phone);
          await page.getByLabel(/I agree to receive WhatsApp messages/).check();
          await page.getByRole("button", { name: "Send" }).click();
          await visible(page.getByRole("heading", { name: /thank you/i }), "the thank-you page");
          await checkA11y(page, "the public form's thank-you page", { once: true });
          const opening = await until("the opening message at the fake Twilio", () => sentToLead()[0]);
          assert(
            opening.contentSid === openingTemplate.sid,
            `the opening message should be the opening template, got ${opening.contentSid ?? "free text"}`,
          );
          openingSid = opening.sid;

          await page.goto(`/w/${workspace.slug}/conversations`);
          await visible(page.getByRole("link", { name: new RegExp(lead.name) }), "the conversation in the list");
          await checkA11y(page, "the conversations list", { once: true });
          await page
            .getByRole("link", { name: new RegExp(lead.name) })
            .first()
            .click();
          await page.waitForURL(/\/conversations\/[0-9a-f-]+$/);
          conversationPath = new URL(page.url()).pathname;
          const message = await visible(
            page.getByTestId("message").filter({ hasText: `Hello Remy, thanks for your enquiry.` }),
            "the opening message in the transcript",
          );
          await until("the opening message's sent status callback", () =>
            fakes.twilio.callbacks.some(
              (c) => c.params["MessageSid"] === openingSid && c.params["MessageStatus"] === "sent",
            )
              ? true
              : undefined,
          );
          await visible(
            page
              .locator(`[data-testid="message"][data-status="SENT"]`)
              .filter({ hasText: `Hello Remy, thanks for your enquiry.` }),
            "the opening message, sent (not yet delivered)",
          );
          assert(
            (await message.getAttribute("data-status")) !== "DELIVERED",
            "the opening message should not be delivered yet",
          );
          // Human takeover: the agent does not answer the lead's reply, so the page goes quiet after it.
          await page.getByRole("button", { name: "Take over" }).click();
          await visible(page.getByTestId("takeover-state").getByText("Human takeover"), "human takeover on");
        },
      },
      {
        name: "the lead's reply and a delivery status appear without a reload",
        run: async (page) => {
          await page.evaluate("window.__sameDocument = true");
          const answer = await fakes.twilio.sendInbound({
            webhookUrl,
            authToken: twilioAccount.authToken,
            accountSid: twilioAccount.accountSid,
            from: lead.phone,
            to: twilioAccount.from,
            body: "Yes please, Thursday works for me.",
          });
          assert(
            answer.status === 200,
            `the signed inbound message should be accepted, got ${answer.status}: ${answer.text}`,
          );
          await visible(
            page.getByTestId("message").filter({ hasText: "Yes please, Thursday works for me." }),
            "the lead's reply",
          );

          const status = await fakes.twilio.sendStatus(openingSid, "delivered", undefined, twilioAccount.authToken);
          assert(status >= 200 && status < 300, `the delivered status callback should be accepted, got ${status}`);
          const delivered = await visible(
            page.locator('[data-testid="message"][data-status="DELIVERED"]'),
            "the opening message, now delivered",
          );
          await visible(delivered.getByText("Delivered"), "its Delivered label");
          assert((await page.evaluate<unknown>("window.__sameDocument")) === true, "the page must not have reloaded");
        },
      },
      {
        name: "20 s of idleness on the page make no HTTP GraphQL request",
        run: async (page) => {
          // Let whatever the events above started (reading the new message) finish first.
          await page.waitForLoadState("networkidle");
          await page.waitForTimeout(1_000);
          const requests: string[] = [];
          const record = (request: Request) => {
            if (isHttpGraphQL(request))
              requests.push(`${request.method()} ${request.url()} ${request.postData()?.slice(0, 120) ?? ""}`);
          };
          page.on("request", record);
          try {
            await page.waitForTimeout(IDLE_MS);
          } finally {
            page.off("request", record);
          }
          assert(
            requests.length === 0,
            `no HTTP GraphQL request should be made while the page is idle, got ${requests.length}:\n${requests.join("\n")}`,
          );
          // Connected: the status region is there, empty.
          await absent(page.getByText("Reconnecting…"), "the reconnecting indicator");
          const state = await page
            .getByRole("status")
            .filter({ has: page.locator(".live-status__pill") })
            .count();
          assert(state === 0, "the reconnecting indicator should not be shown while connected");
          assert(
            (await page.locator(".live-status").getAttribute("data-state")) === "connected",
            "the live socket should be connected",
          );
        },
      },
      {
        name: "a message that arrives before the live socket is up still appears without a reload",
        run: async (page) => {
          // The page's queries run at once; its socket waits for the live chunk, held here until
          // the lead's message is stored. The subscription's start makes the page read again
          // (decision 0044, "the gap before the socket is up"): without it, the message would
          // show only after a reload.
          let release: () => void = () => undefined;
          const held = new Promise<void>((resolve) => (release = resolve));
          let asked = false;
          await page.route(/\/assets\/live-client-[^/]+\.js$/, async (route) => {
            asked = true;
            await held;
            await route.continue();
          });
          try {
            await page.goto(conversationPath);
            await visible(page.getByTestId("message").first(), "the transcript");
            await page.evaluate("window.__sameDocument = true");
            await until("the page to ask for the live chunk", () => (asked ? true : undefined));
            const body = "Are you still there? (sent before the socket was up)";
            const answer = await fakes.twilio.sendInbound({
              webhookUrl,
              authToken: twilioAccount.authToken,
              accountSid: twilioAccount.accountSid,
              from: lead.phone,
              to: twilioAccount.from,
              body,
            });
            assert(answer.status === 200, `the inbound message should be accepted, got ${answer.status}`);
            await absent(page.getByTestId("message").filter({ hasText: body }), "the message, before the socket is up");
            release();
            await visible(page.getByTestId("message").filter({ hasText: body }), "the message, once the socket is up");
            assert((await page.evaluate<unknown>("window.__sameDocument")) === true, "the page must not have reloaded");
          } finally {
            release();
            await page.unroute(/\/assets\/live-client-[^/]+\.js$/);
          }
        },
      },
      {
        name: "screenshots of the live conversation page at 390 and 1280 px",
        run: async (page) => {
          try {
            await page.setViewportSize({ width: 390, height: 844 });
            await page.goto(conversationPath);
            await visible(page.getByTestId("message").first(), "the transcript");
            await page.screenshot({ path: "/tmp/live-390.png", fullPage: true });
            await page.setViewportSize({ width: 1280, height: 800 });
            await visible(page.getByTestId("message").first(), "the transcript");
            await page.screenshot({ path: "/tmp/live-1280.png", fullPage: true });
          } finally {
            await page.setViewportSize({ width: 1280, height: 800 });
            fakes.twilio.statusSequence = statusSequence;
          }
        },
      },
    ],
  };
}
