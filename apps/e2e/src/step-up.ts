/**
 * Scenario "step-up" (issue 14, SPEC S7, S2; issue 56): the owner sets up an authenticator app on
 * the account security page — a QR code drawn on the page beside the key (the TOTP code is
 * computed here from the secret the page shows, as the phone would) — saves the recovery codes,
 * and makes the workspace require step-up. Signing in again now takes a second step: a wrong
 * code is refused, the right one signs in and counts as the step-up (the guarded leads open with
 * no prompt); another sign-in uses a recovery code. Then a passkey is added with Chromium's
 * virtual authenticator (CDP WebAuthn.addVirtualAuthenticator), the authenticator app is turned
 * off, and a session signed in with the password alone is stopped by the prompt and verifies
 * with the passkey. The sessions page lists the devices.
 */
import { generate } from "otplib";
import { type Page } from "playwright-core";

import { checkA11y, LIGHT_AND_DARK } from "./axe.ts";
import {
  assert,
  atPath,
  createWorkspace,
  signIn,
  signUpVerifyAndSignIn,
  visible,
  type Scenario,
  type TestUser,
} from "./helpers.ts";

const stamp = Date.now();
const owner: TestUser = {
  name: "Sol Stepup",
  email: `e2e-stepup-${stamp}@example.test`,
  password: "correct-horse-battery-staple",
};
const workspace = { name: "E2E Guarded Team", slug: "e2e-guarded-team" };
let secret = "";
let recoveryCode = "";

/** The code of the next 30-second step: never the one just used (the server refuses replays). */
const nextCode = () => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });

/** Ends this session from the sessions page, then enters the e-mail and password again. */
async function signOutAndEnterPassword(page: Page): Promise<void> {
  await page.goto("/account/sessions");
  await visible(page.getByTestId("sessions-list"), "the sessions list");
  await page
    .getByTestId("session-row")
    .filter({ hasText: "This device" })
    .getByRole("button", { name: "End this session" })
    .click();
  await atPath(page, "/signin");
  await signIn(page, owner);
}

async function openLeadsThroughThePrompt(page: Page): Promise<ReturnType<Page["getByTestId"]>> {
  await page.goto(`/w/${workspace.slug}/leads`);
  return visible(page.getByTestId("step-up-dialog"), "the step-up prompt");
}

export const stepUpScenario: Scenario = {
  name: "step-up",
  actors: ["owner"],
  steps: [
    {
      name: "the owner signs up and creates a workspace",
      run: async (page) => {
        await signUpVerifyAndSignIn(page, owner);
        await createWorkspace(page, workspace);
      },
    },
    {
      name: "set up an authenticator app and see the recovery codes once",
      run: async (page, snap) => {
        // The user menu (issue 48) links to the account's security page.
        await page.getByTestId("user-menu").click();
        await page.getByRole("link", { name: "Account and security" }).click();
        await atPath(page, "/account/security");
        const totp = await visible(page.getByTestId("account-totp"), "the authenticator app section");
        await totp.getByRole("button", { name: "Set up an authenticator app" }).click();
        secret = ((await (await visible(page.getByTestId("totp-secret"), "the secret")).textContent()) ?? "").trim();
        const url = (await page.getByTestId("totp-otpauth-url").textContent()) ?? "";
        assert(
          url.startsWith("otpauth://totp/Atrium:") && url.includes(`secret=${secret}`),
          `the otpauth URL should carry the secret, got ${url}`,
        );
        // The QR code is drawn on the page (an SVG), not an image fetched from anywhere.
        await visible(totp.getByRole("img", { name: /QR code/ }), "the QR code beside the key");
        assert(
          (await totp.locator('svg[data-testid="totp-qr-code"] path').count()) === 1,
          "the QR code should be an inline SVG",
        );
        assert((await totp.locator("img").count()) === 0, "no <img> in the enrolment");
        await snap("enrolment");
        await page.getByLabel("Code from your app").fill(await generate({ secret }));
        await page.getByRole("button", { name: "Turn on" }).click();
        const codes = await visible(page.getByTestId("recovery-codes"), "the recovery codes");
        assert((await codes.locator("li").count()) === 10, "ten recovery codes should be shown");
        recoveryCode = ((await codes.locator("li").first().textContent()) ?? "").trim();
        await checkA11y(page, "the recovery codes, shown once", { schemes: LIGHT_AND_DARK });
        await page.getByRole("button", { name: "I saved them" }).click();
        await visible(totp.getByText("10 unused recovery codes left"), "the factor is on");
      },
    },
    {
      name: "the workspace requires step-up",
      run: async (page) => {
        await page.goto(`/w/${workspace.slug}/settings`);
        const security = await visible(
          page.getByRole("region", { name: "Security", exact: true }),
          "the security section",
        );
        await security.getByLabel("Require step-up verification").check();
        await security.getByLabel("A verification lasts (minutes)").fill("5");
        await security.getByRole("button", { name: "Save security" }).click();
        await visible(
          security.getByText("Saved. Members confirm a second factor every 5 minutes here."),
          "the saved message",
        );
        await checkA11y(page, "the settings security section, saved");
      },
    },
    {
      name: "signing in asks for the authenticator code: a wrong one is refused, the right one signs in and counts as the step-up",
      run: async (page, snap) => {
        await signOutAndEnterPassword(page);
        await visible(page.getByRole("heading", { name: "Two-step verification" }), "the second step of sign-in");
        await snap("second-factor");
        await checkA11y(page, "the sign-in's second step", { schemes: LIGHT_AND_DARK });
        const right = await nextCode();
        const wrong = right === "000000" ? "111111" : "000000";
        await page.getByLabel("Authentication code").fill(wrong);
        await page.getByRole("button", { name: "Verify" }).click();
        await visible(
          page.getByText("That code is not valid. Enter the 6 digits your app shows now."),
          "the wrong code's message beside the field",
        );
        await checkA11y(page, "the sign-in's second step, a wrong code");
        await page.getByLabel("Authentication code").fill(right);
        await page.getByRole("button", { name: "Verify" }).click();
        await atPath(page, "/");
        // The code just given is this session's step-up: the guarded workspace opens without a prompt.
        await page.goto(`/w/${workspace.slug}/leads`);
        await visible(page.getByRole("heading", { name: "Leads", exact: true }), "the guarded leads page");
        assert(
          (await page.getByTestId("step-up-dialog").count()) === 0,
          "no step-up prompt after a sign-in with the app",
        );
      },
    },
    {
      name: "a recovery code signs in instead of the app, once",
      run: async (page) => {
        await signOutAndEnterPassword(page);
        await visible(page.getByRole("heading", { name: "Two-step verification" }), "the second step of sign-in");
        await page.getByRole("button", { name: "Use a recovery code instead" }).click();
        await page.getByLabel("Recovery code").fill(recoveryCode);
        await page.getByRole("button", { name: "Verify" }).click();
        await atPath(page, "/");
        await page.goto("/account/security");
        await visible(
          page.getByTestId("account-totp").getByText("9 unused recovery codes left"),
          "one recovery code fewer",
        );
      },
    },
    {
      name: "add a passkey with Chromium's virtual authenticator",
      run: async (page) => {
        const cdp = await page.context().newCDPSession(page);
        await cdp.send("WebAuthn.enable");
        await cdp.send("WebAuthn.addVirtualAuthenticator", {
          options: {
            protocol: "ctap2",
            transport: "internal",
            hasResidentKey: true,
            hasUserVerification: true,
            isUserVerified: true,
            automaticPresenceSimulation: true,
          },
        });
        await page.goto("/account/security");
        const passkeys = await visible(page.getByTestId("account-passkeys"), "the passkeys section");
        await passkeys.getByLabel("Name (optional)").fill("E2E virtual key");
        await passkeys.getByRole("button", { name: "Add a passkey" }).click();
        await visible(passkeys.getByText("E2E virtual key"), "the new passkey in the list");
        await checkA11y(page, "account security with a passkey and an authenticator app", { schemes: LIGHT_AND_DARK });
      },
    },
    {
      name: "with the app turned off, a session signed in with the password alone is stopped by the prompt and verifies with the passkey",
      run: async (page, snap) => {
        const totp = page.getByTestId("account-totp");
        await totp.getByRole("button", { name: "Turn off" }).click();
        await visible(totp.getByRole("button", { name: "Set up an authenticator app" }), "the app turned off");
        await signOutAndEnterPassword(page);
        await atPath(page, "/");
        const dialog = await openLeadsThroughThePrompt(page);
        await snap("prompt");
        await checkA11y(page, "the step-up prompt", { schemes: ["dark"] });
        await dialog.getByRole("button", { name: "Use a passkey" }).click();
        await visible(page.getByRole("heading", { name: "Leads", exact: true }), "the leads page after the passkey");
        assert((await page.getByTestId("step-up-dialog").count()) === 0, "the prompt should be gone");
      },
    },
    {
      name: "what can I do here? explains each capability with its reason",
      run: async (page) => {
        await page.goto(`/w/${workspace.slug}/members`);
        await page.getByRole("button", { name: "What can I do?" }).click();
        const dialog = await visible(
          page.getByRole("dialog", { name: "What can you do here?" }),
          "the capabilities dialog",
        );
        const rows = dialog.getByTestId("capability");
        await visible(rows.filter({ hasText: "✓ Delete the workspace" }), "an owner-only power, allowed");
        await checkA11y(page, "the what-can-I-do dialog", { schemes: LIGHT_AND_DARK });
        const leads = (await rows.filter({ hasText: "See leads" }).textContent()) ?? "";
        assert(/your role Owner includes every policy/.test(leads), `the reason should name the role, got ${leads}`);
        await dialog.getByRole("button", { name: "Close" }).click();
      },
    },
    {
      name: "the sessions page lists this device",
      run: async (page) => {
        await page.goto("/account/sessions");
        const list = await visible(page.getByTestId("sessions-list"), "the sessions list");
        await visible(list.getByText("This device"), "the current session marked");
        assert((await list.getByTestId("session-row").count()) >= 1, "at least this session should be listed");
        await checkA11y(page, "your sessions", { schemes: LIGHT_AND_DARK });
      },
    },
  ],
};
