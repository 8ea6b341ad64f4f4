/**
 * Scenario "platform-admin" (issue 3, SPEC M8, M9): the first admin is made with
 * `atrium admin grant`; the admin pages find and disable a user (whose session ends at once)
 * and change the registration mode, which the sign-up page reflects.
 */
import { type Page } from "playwright-core";

import { checkA11y, LIGHT_AND_DARK } from "./axe.ts";
import {
  absent,
  assert,
  atPath,
  signUpVerifyAndSignIn,
  TIMEOUT,
  visible,
  type Scenario,
  type TestUser,
} from "./helpers.ts";
import { type RunningServer } from "./server.ts";

const stamp = Date.now();
const admin: TestUser = {
  name: "Ada Admin",
  email: `e2e-admin-${stamp}@example.test`,
  password: "correct-horse-battery-staple",
};
const visitor: TestUser = {
  name: "Walter Visitor",
  email: `e2e-visitor-${stamp}@example.test`,
  password: "another-horse-battery-staple",
};

async function saveMode(page: Page, label: RegExp): Promise<void> {
  await page.getByRole("radio", { name: label }).check();
  await page.getByRole("button", { name: "Save" }).click();
  await visible(page.getByRole("status").filter({ hasText: "Registration settings saved." }), "the saved confirmation");
}

export function platformAdminScenario(server: RunningServer): Scenario {
  return {
    name: "platform-admin",
    actors: ["admin", "visitor"],
    steps: [
      {
        name: "a visitor signs up and signs in",
        actor: "visitor",
        run: async (page) => {
          await signUpVerifyAndSignIn(page, visitor);
          await absent(page.getByRole("link", { name: "Platform admin" }), "the Platform admin link for a plain user");
          await page.goto("/admin/users");
          await visible(
            page.getByText("Platform administration is only available to platform administrators."),
            "the refusal",
          );
          await checkA11y(page, "the platform admin refusal");
        },
      },
      {
        name: "the first admin is granted from the command line",
        actor: "admin",
        run: async (page) => {
          await signUpVerifyAndSignIn(page, admin);
          await absent(page.getByRole("link", { name: "Platform admin" }), "the Platform admin link before the grant");
          const result = await server.cli(["admin", "grant", admin.email]);
          assert(result.code === 0, `atrium admin grant failed (${result.code}): ${result.output}`);
          await page.reload();
          await visible(page.getByRole("link", { name: "Platform admin" }), "the Platform admin link in the top bar");
        },
      },
      {
        name: "the admin finds and disables the visitor",
        actor: "admin",
        run: async (page, snap) => {
          await page.getByRole("link", { name: "Platform admin" }).click();
          await atPath(page, "/admin/users");
          await visible(page.getByRole("table", { name: "Users" }), "the users table");
          await page.getByLabel("Search users").fill(visitor.email);
          await page.getByRole("button", { name: "Search" }).click();
          await visible(page.getByText(`1 user matching “${visitor.email}”`), "exactly one match");
          await checkA11y(page, "the users page with a search", { schemes: LIGHT_AND_DARK });
          const row = page.locator(`tr[data-email="${visitor.email}"]`);
          await (await visible(row.getByRole("button", { name: "Disable" }), "the Disable button")).click();
          const dialog = await visible(page.getByRole("dialog"), "the confirmation");
          await snap("confirm");
          await dialog.getByRole("button", { name: "Disable user" }).click();
          await absent(page.getByRole("dialog"), "the confirmation after disabling");
          await visible(row.getByText("Disabled", { exact: true }), "the disabled status");
        },
      },
      {
        name: "the disabled visitor's session has ended",
        actor: "visitor",
        run: async (page) => {
          await page.goto("/");
          await atPath(page, "/signin");
        },
      },
      {
        name: "the admin enables the visitor again",
        actor: "admin",
        run: async (page) => {
          const row = page.locator(`tr[data-email="${visitor.email}"]`);
          await row.getByRole("button", { name: "Enable" }).click();
          await page.getByRole("dialog").getByRole("button", { name: "Enable user" }).click();
          await visible(row.getByText("Active", { exact: true }), "the active status");
        },
      },
      {
        name: "the platform's single sign-on page offers the provider form, at 1280 and 390 px",
        actor: "admin",
        run: async (page, snap) => {
          await page.getByRole("link", { name: "Single sign-on" }).click();
          await atPath(page, "/admin/sso");
          await visible(page.getByRole("heading", { name: "Single sign-on" }), "the platform single sign-on page");
          await visible(page.getByLabel("Issuer URL"), "the issuer URL field");
          await visible(page.getByRole("button", { name: "Connect provider" }), "the Connect provider button");
          await snap("platform-sso-1280");
          await page.setViewportSize({ width: 390, height: 844 });
          try {
            await visible(page.getByLabel("Issuer URL"), "the issuer URL field at 390 px");
            const overflow = await page.evaluate<number>(
              "document.documentElement.scrollWidth - document.documentElement.clientWidth",
            );
            assert(overflow <= 0, `the platform single sign-on page scrolls sideways at 390 px by ${overflow} px`);
            await snap("platform-sso-390");
          } finally {
            await page.setViewportSize({ width: 1280, height: 800 });
          }
          await page.goto("/admin/users");
        },
      },
      {
        name: "invitation-only registration is explained on sign-up",
        actor: "admin",
        run: async (page, snap, pages) => {
          await page
            .getByRole("navigation", { name: "Platform admin" })
            .getByRole("link", { name: "Registration" })
            .click();
          await atPath(page, "/admin/registration");
          assert(await page.getByRole("radio", { name: /^Open/ }).isChecked(), "registration should start open");
          await saveMode(page, /^Invitation only/);
          const signUp = pages["visitor"];
          assert(signUp !== undefined, "the visitor's page");
          await signUp.goto("/signup");
          await visible(
            signUp.locator('[data-registration-mode="INVITATION_ONLY"]'),
            "the invitation-only explanation",
          );
          await absent(signUp.getByRole("button", { name: "Create account" }), "the sign-up form");
          await snap("sign-up", signUp);
        },
      },
      {
        name: "allowed domains need a domain list",
        actor: "admin",
        run: async (page, snap, pages) => {
          await page.getByRole("radio", { name: /^Allowed email domains/ }).check();
          await page.getByRole("textbox", { name: "Allowed email domains" }).fill("");
          await page.getByRole("button", { name: "Save" }).click();
          await visible(
            page.getByText("List at least one domain, or choose another mode."),
            "the missing-domain error",
          );
          await checkA11y(page, "the registration settings with an error", { schemes: LIGHT_AND_DARK });
          await page.getByRole("textbox", { name: "Allowed email domains" }).fill("example.test\nAcme.com");
          await saveMode(page, /^Allowed email domains/);
          await page.reload();
          // The textarea renders before the settings query answers: wait for the saved value.
          const domains = page.getByRole("textbox", { name: "Allowed email domains" });
          let saved = "";
          for (const deadline = Date.now() + TIMEOUT; Date.now() < deadline; await page.waitForTimeout(100)) {
            saved = await domains.inputValue().catch(() => "");
            if (saved === "example.test\nacme.com") break;
          }
          assert(
            saved === "example.test\nacme.com",
            `the domains should be saved, normalised, got ${JSON.stringify(saved)}`,
          );
          const signUp = pages["visitor"];
          assert(signUp !== undefined, "the visitor's page");
          await signUp.goto("/signup");
          await visible(signUp.locator('[data-registration-mode="ALLOWED_DOMAINS"]'), "the allowed-domains note");
          await visible(signUp.getByRole("button", { name: "Create account" }), "the sign-up form");
          await snap("sign-up", signUp);
        },
      },
      {
        name: "closed registration is explained, then reopened",
        actor: "admin",
        run: async (page, snap, pages) => {
          await saveMode(page, /^Closed/);
          const signUp = pages["visitor"];
          assert(signUp !== undefined, "the visitor's page");
          await signUp.goto("/signup");
          await visible(signUp.locator('[data-registration-mode="CLOSED"]'), "the closed explanation");
          await snap("sign-up", signUp);
          await saveMode(page, /^Open/);
        },
      },
    ],
  };
}
