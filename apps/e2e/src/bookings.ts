/**
 * Scenario "voice-bookings" (issue 12, R4): a VOICE workspace connects Vapi and Cal.com in the
 * cards; a lead from the public form is called at the fake Vapi; Vapi's `book_consultation`
 * tool call (sent to our webhook with the card's server secret, as Vapi would) books on the
 * fake Cal.com; the bookings page and the lead's page show it; reschedule and cancel from the
 * UI reach Cal.com and the rows show its answers.
 */
import { type Page } from "playwright-core";

import { toolCallsMessage, type Fakes } from "@atrium/fakes";

import { checkA11y, LIGHT_AND_DARK } from "./axe.ts";
import {
  assert,
  atPath,
  chooseRowAction,
  signUpVerifyAndSignIn,
  TIMEOUT,
  visible,
  type Scenario,
  type TestUser,
} from "./helpers.ts";
import { rememberSecrets } from "./log-secrets.ts";

const user: TestUser = {
  name: "Vic Voice",
  email: `e2e-voice-${Date.now()}@example.test`,
  password: "correct-horse-battery-staple",
};
const workspace = { name: "E2E Voice", slug: "e2e-voice" };
const vapi = {
  apiKey: "vapi-private-e2e-key-7731",
  assistantId: "asst_e2e",
  phoneNumberId: "pn_e2e",
  serverSecret: "vapi-server-secret-e2e-5150",
};
const lead = { name: "Vera Voice", phone: "+15550002222", email: "vera@example.test" };
rememberSecrets(vapi.apiKey, vapi.serverSecret, "cal_live_e2e_voice", lead.name, lead.phone, lead.email);

const card = (page: Page, provider: string) => page.getByTestId(`integration-${provider}`);

/** The `datetime-local` text of a moment, in this machine's zone (the browser runs here too). */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function voiceBookingsScenario(fakes: Fakes, baseUrl: () => string): Scenario {
  let workspaceId = "";
  const firstStart = new Date(
    Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 2, 10),
  );
  const movedStart = new Date(firstStart.getFullYear(), firstStart.getMonth(), firstStart.getDate() + 1, 15, 0);

  return {
    name: "voice-bookings",
    actors: ["owner"],
    steps: [
      {
        name: "create a voice workspace and connect Vapi and Cal.com",
        run: async (page, snap) => {
          fakes.vapi.apiKeys.add(vapi.apiKey);
          fakes.calcom.apiKeys.add("cal_live_e2e_voice");
          await signUpVerifyAndSignIn(page, user);
          await page.goto("/workspaces/new");
          await page.getByLabel("Workspace name").fill(workspace.name);
          await page.getByRole("radio", { name: /Voice/ }).check();
          // Both pages are checked by other scenarios in a whole run; here too when this one runs alone.
          await checkA11y(page, "the new-workspace form", { once: true });
          await page.getByRole("button", { name: "Create workspace" }).click();
          await atPath(page, `/w/${workspace.slug}`);
          await visible(page.getByRole("heading", { name: workspace.name }), "the workspace home");
          await checkA11y(page, "the workspace home", { once: true });

          await page.goto(`/w/${workspace.slug}/settings`);
          assert((await card(page, "TWILIO").count()) === 0, "a voice workspace has no Twilio card");
          assert(
            (await page.getByTestId("twilio-webhook-url").count()) === 0,
            "a voice workspace has no Twilio webhook card",
          );
          const vapiCard = card(page, "VAPI");
          await vapiCard.getByLabel("Private API key").fill(vapi.apiKey);
          await vapiCard.getByLabel("Assistant ID").fill(vapi.assistantId);
          await vapiCard.getByLabel("Phone number ID").fill(vapi.phoneNumberId);
          await vapiCard.getByLabel("Server secret").fill(vapi.serverSecret);
          await vapiCard.getByRole("button", { name: "Connect" }).click();
          await vapiCard.getByRole("button", { name: "Test connection" }).click();
          await visible(vapiCard.getByRole("status"), "the Vapi connection test result");
          const calcom = card(page, "CALCOM");
          await calcom.getByLabel("API key").fill("cal_live_e2e_voice");
          await calcom.getByLabel("Event type ID").fill("42");
          await calcom.getByRole("button", { name: "Connect" }).click();
          await calcom.getByRole("button", { name: "Test connection" }).click();
          await visible(calcom.getByRole("status"), "the Cal.com connection test result");
          workspaceId = ((await page.getByTestId("workspace-uuid").textContent()) ?? "").trim();
          await snap("connected");
        },
      },
      {
        name: "a lead from the public form is called; Vapi's booking tool books on Cal.com",
        run: async (page) => {
          await page.goto(`/forms/${workspace.slug}`);
          // Checked by the leads scenario in a whole run; here too when this scenario runs alone.
          await checkA11y(page, "the public form", { once: true });
          await page.getByLabel("Name", { exact: true }).fill(lead.name);
          await page.getByLabel("E-mail", { exact: true }).fill(lead.email);
          await page.getByLabel(/Phone/).fill(lead.phone);
          await page.getByRole("button", { name: "Send" }).click();
          await visible(page.getByRole("heading", { name: /thank you/i }), "the thank-you page");
          await until("the call at the fake Vapi", () =>
            fakes.vapi.calls.find((call) => JSON.stringify(call).includes(lead.phone)),
          );

          const response = await fetch(`${baseUrl()}/webhooks/vapi/${workspaceId}`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-vapi-secret": vapi.serverSecret },
            body: JSON.stringify({
              message: toolCallsMessage(lead.phone, [
                { name: "book_consultation", arguments: { start: firstStart.toISOString() } },
              ]),
            }),
          });
          const text = await response.text();
          assert(
            response.status === 200 && text.includes("bookingId"),
            `the booking tool call should succeed, got ${response.status}: ${text}`,
          );
          assert(
            fakes.calcom.bookings.some(
              (booking) => booking.start === firstStart.toISOString() && booking.status === "accepted",
            ),
            "Cal.com should hold the booking",
          );
        },
      },
      {
        name: "the bookings page and the lead show the booking",
        run: async (page, snap) => {
          await page.goto(`/w/${workspace.slug}/bookings`);
          const row = await visible(page.getByTestId("booking-row").filter({ hasText: lead.name }), "the booking row");
          await visible(row.getByText("Confirmed"), "the booking confirmed");
          await snap("list");
          await row.getByRole("link", { name: lead.name }).click();
          await visible(page.getByRole("heading", { name: "Consultation" }), "the consultation section on the lead");
          await visible(page.getByTestId("booking-row"), "the booking on the lead's page");
          await checkA11y(page, "a lead with a booking", { schemes: LIGHT_AND_DARK });
        },
      },
      {
        name: "reschedule and cancel from the UI reach Cal.com",
        run: async (page, snap) => {
          await page.goto(`/w/${workspace.slug}/bookings`);
          await chooseRowAction(
            page,
            page.getByTestId("booking-row"),
            new RegExp(`^Actions for ${lead.name}, `),
            "Reschedule",
          );
          const dialog = await visible(
            page.getByRole("dialog", { name: `Reschedule ${lead.name}` }),
            "the reschedule dialog",
          );
          await dialog.getByLabel("New start (your local time)").fill("2000-01-01T10:00");
          await dialog.getByRole("button", { name: "Reschedule" }).click();
          await visible(dialog.getByText("Choose a time in the future."), "the past time refused before sending");
          await checkA11y(page, "the reschedule dialog with an error", { schemes: LIGHT_AND_DARK });
          await dialog.getByLabel("New start (your local time)").fill(localInput(movedStart));
          await dialog.getByRole("button", { name: "Reschedule" }).click();
          await visible(page.getByRole("status").getByText(/^Moved to /), "the rescheduled confirmation");
          const moved = fakes.calcom.bookings.find((booking) => booking.start === movedStart.toISOString());
          assert(
            moved?.status === "accepted" && moved.rescheduledFromUid !== undefined,
            "Cal.com should hold the moved booking",
          );
          await snap("rescheduled");

          await chooseRowAction(
            page,
            page.getByTestId("booking-row"),
            new RegExp(`^Actions for ${lead.name}, `),
            "Cancel consultation",
          );
          const cancel = await visible(
            page.getByRole("dialog", { name: `Cancel the consultation with ${lead.name}?` }),
            "the cancel dialog",
          );
          await cancel.getByLabel(/Reason/).fill("The lead asked to stop.");
          await checkA11y(page, "the cancel dialog");
          await cancel.getByRole("button", { name: "Cancel consultation" }).click();
          await visible(
            page.locator('[data-testid="booking-row"][data-status="CANCELLED"]').getByText("Cancelled"),
            "the booking cancelled",
          );
          assert(
            fakes.calcom.bookings.find((booking) => booking.uid === moved.uid)?.status === "cancelled",
            "Cal.com should have cancelled it",
          );
          await checkA11y(page, "the bookings page with a cancelled booking", { schemes: LIGHT_AND_DARK });
        },
      },
    ],
  };
}
