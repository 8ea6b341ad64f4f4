/**
 * Scenario "step-up" (issue 14, SPEC S7, S2): the owner sets up an authenticator app on the
 * account security page (the TOTP code is computed here from the secret the page shows, as the
 * phone would), saves the recovery codes, and makes the workspace require step-up. A new session
 * opening the workspace's leads is stopped by the prompt, verifies with a code and lands on the
 * leads page it asked for. Then a passkey is added with Chromium's virtual authenticator (CDP
 * WebAuthn.addVirtualAuthenticator) and a later session verifies with it. The sessions page lists
 * the devices.
 */
import { generate } from "otplib";
import { type Page } from "playwright-core";
import { LIGHT_AND_DARK, checkA11y } from "./axe.ts";
import { type Scenario, type TestUser, assert, atPath, createWorkspace, signIn, signUpVerifyAndSignIn, visible } from "./helpers.ts";

const stamp = Date.now();
const owner: TestUser = { name: "Sol Stepup", email: `e2e-stepup-${stamp}@example.test`, password: "correct-horse-battery-staple" };
const workspace = { name: "E2E Guarded Team", slug: "e2e-guarded-team" };
let secret = "";

/** The code of the next 30-second step: never the one just used (the server refuses replays). */
const nextCode = () => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });

async function signOutAndIn(page: Page): Promise<void> {
  await page.goto("/account/sessions");
  await visible(page.getByTestId("sessions-list"), "the sessions list");
  await page.getByTestId("session-row").filter({ hasText: "This device" }).getByRole("button", { name: "Sign out" }).click();
  await atPath(page, "/signin");
  await signIn(page, owner);
  await atPath(page, "/");
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
        await page.getByRole("link", { name: owner.name }).click();
        await atPath(page, "/account/security");
        const totp = await visible(page.getByTestId("account-totp"), "the authenticator app section");
        await totp.getByRole("button", { name: "Set up an authenticator app" }).click();
        secret = ((await (await visible(page.getByTestId("totp-secret"), "the secret")).textContent()) ?? "").trim();
        const url = (await page.getByTestId("totp-otpauth-url").textContent()) ?? "";
        assert(url.startsWith("otpauth://totp/Atrium:") && url.includes(`secret=${secret}`), `the otpauth URL should carry the secret, got ${url}`);
        await snap("enrolment");
        await page.getByLabel("Code from your app").fill(await generate({ secret }));
        await page.getByRole("button", { name: "Turn on" }).click();
        const codes = await visible(page.getByTestId("recovery-codes"), "the recovery codes");
        assert((await codes.locator("li").count()) === 10, "ten recovery codes should be shown");
        await checkA11y(page, "the recovery codes, shown once", { schemes: LIGHT_AND_DARK });
        await page.getByRole("button", { name: "I saved them" }).click();
        await visible(totp.getByText("10 unused recovery codes left"), "the factor is on");
      },
    },
    {
      name: "the workspace requires step-up",
      run: async (page) => {
        await page.goto(`/w/${workspace.slug}/settings`);
        const security = await visible(page.getByRole("region", { name: "Security", exact: true }), "the security section");
        await security.getByLabel("Require step-up verification").check();
        await security.getByLabel("A verification lasts (minutes)").fill("5");
        await security.getByRole("button", { name: "Save security" }).click();
        await visible(security.getByText("Saved. Members confirm a second factor every 5 minutes here."), "the saved message");
        await checkA11y(page, "the settings security section, saved");
      },
    },
    {
      name: "a new session is stopped by the prompt, verifies with a code and carries on to the leads",
      run: async (page, snap) => {
        await signOutAndIn(page);
        const dialog = await openLeadsThroughThePrompt(page);
        await snap("prompt");
        await checkA11y(page, "the step-up prompt", { schemes: ["dark"] });
        await dialog.getByLabel("Code from your authenticator app, or a recovery code").fill(await nextCode());
        await dialog.getByRole("button", { name: "Verify" }).click();
        await visible(page.getByRole("heading", { name: "Leads", exact: true }), "the leads page it asked for");
        await atPath(page, `/w/${workspace.slug}/leads`);
        assert((await page.getByTestId("step-up-dialog").count()) === 0, "the prompt should be gone");
      },
    },
    {
      name: "add a passkey with Chromium's virtual authenticator",
      run: async (page) => {
        const cdp = await page.context().newCDPSession(page);
        await cdp.send("WebAuthn.enable");
        await cdp.send("WebAuthn.addVirtualAuthenticator", {
          options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
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
      name: "a later session verifies with the passkey",
      run: async (page) => {
        await signOutAndIn(page);
        const dialog = await openLeadsThroughThePrompt(page);
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
        const dialog = await visible(page.getByRole("dialog", { name: "What can you do here?" }), "the capabilities dialog");
        const rows = dialog.getByTestId("capability");
        await visible(rows.filter({ hasText: "✓ Delete the workspace" }), "an owner-only power, allowed");
        await checkA11y(page, "the what-can-I-do dialog", { schemes: LIGHT_AND_DARK });
        const leads = (await rows.filter({ hasText: "See leads" }).textContent()) ?? "";
        assert(/role preset of an owner/.test(leads), `the reason should name the role preset, got ${leads}`);
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
