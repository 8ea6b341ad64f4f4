/**
 * Scenario "password-reset" (issue 49, decision 0038): a signed-out user follows "Forgot
 * password?" from the sign-in page, opens the reset link from the dev mailbox, is refused a weak
 * password (zxcvbn's advice beside the field), sets a strong one, and signs in with it — the old
 * password no longer works. Then, in the account page, a wrong current password is refused beside
 * its field, the password is changed, and the new one signs in.
 */
import { type Page } from "playwright-core";

import { checkA11y, LIGHT_AND_DARK } from "./axe.ts";
import {
  assert,
  atPath,
  mailLink,
  signIn,
  signUpVerifyAndSignIn,
  visible,
  type Scenario,
  type TestUser,
} from "./helpers.ts";
import { rememberSecrets } from "./log-secrets.ts";

const stamp = Date.now();
const user: TestUser = {
  name: "Rita Reset",
  email: `e2e-reset-${stamp}@example.test`,
  password: "correct-horse-battery-staple",
};
const resetPassword = "violet-orbit-kettle-57";
const changedPassword = "amber-quarry-lantern-84";
rememberSecrets(resetPassword, changedPassword);

async function signOut(page: Page): Promise<void> {
  await page.getByTestId("user-menu").click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await atPath(page, "/signin");
}

export const passwordResetScenario: Scenario = {
  name: "password-reset",
  actors: ["user"],
  steps: [
    {
      name: "a user signs up, then signs out",
      run: async (page) => {
        await signUpVerifyAndSignIn(page, user);
        await signOut(page);
      },
    },
    {
      name: "forgot password from the sign-in page",
      run: async (page, snap) => {
        await visible(page.getByRole("button", { name: "Sign in", exact: true }), "the sign-in form");
        await page.getByRole("link", { name: "Forgot password?" }).click();
        await atPath(page, "/forgot-password");
        await visible(page.getByRole("heading", { name: "Reset your password" }), "the forgot-password page");
        await checkA11y(page, "the forgot-password form", { schemes: LIGHT_AND_DARK });
        await page.getByLabel("Email", { exact: true }).fill(user.email);
        await page.getByRole("button", { name: "Send reset link" }).click();
        const status = await visible(
          page.getByRole("status").filter({ hasText: "we have sent it a link" }),
          "the same-for-everyone confirmation",
        );
        assert(((await status.textContent()) ?? "").includes(user.email), "the confirmation should repeat the address");
        await visible(page.getByRole("link", { name: "Open the development mailbox" }), "the dev mailbox link");
        await snap("link-sent");
        await checkA11y(page, "forgot password: link sent");
      },
    },
    {
      name: "the reset link from the dev mailbox refuses a weak password and takes a strong one",
      run: async (page, snap) => {
        const link = await mailLink(page, user.email, /\/reset-password\?token=/, "the reset link in the mail");
        await visible(page.getByRole("heading", { name: "Reset your Atrium password" }), "the reset mail's subject");
        await checkA11y(page, "the dev mailbox with the reset mail", { once: true });
        await link.click();
        await atPath(page, "/reset-password");
        await visible(page.getByRole("button", { name: "Set new password" }), "the new-password form");
        await checkA11y(page, "the reset-password form", { schemes: LIGHT_AND_DARK });
        // Typed twice, differently: the shared rule says so before anything is sent.
        await page.getByLabel("New password", { exact: true }).fill(resetPassword);
        await page.getByLabel("New password again").fill("something-else-entirely");
        await page.getByRole("button", { name: "Set new password" }).click();
        await visible(page.getByText("The two passwords are not the same."), "the mismatch beside the second field");
        // Long enough, but easy to guess: the API's zxcvbn verdict, beside the field.
        await page.getByLabel("New password", { exact: true }).fill("password123456");
        await page.getByLabel("New password again").fill("password123456");
        await page.getByRole("button", { name: "Set new password" }).click();
        await visible(page.getByText(/This password is too easy to guess/), "the strength advice beside the field");
        await snap("weak-password");
        await checkA11y(page, "reset password: weak password refused");
        await page.getByLabel("New password", { exact: true }).fill(resetPassword);
        await page.getByLabel("New password again").fill(resetPassword);
        await page.getByRole("button", { name: "Set new password" }).click();
        await visible(
          page.getByText(/Your password was changed, and every device that was signed in has been signed out/),
          "the reset confirmation",
        );
        await checkA11y(page, "reset password: done");
      },
    },
    {
      name: "the old password is refused and the new one signs in",
      run: async (page) => {
        await page.getByRole("link", { name: "Sign in with your new password" }).click();
        await atPath(page, "/signin");
        await signIn(page, user);
        await visible(page.locator('[data-error-code="UNAUTHENTICATED"]'), "the refusal of the old password");
        await signIn(page, { ...user, password: resetPassword });
        await atPath(page, "/");
        await visible(page.getByRole("heading", { name: "Your workspaces" }), "the workspace list, signed in");
      },
    },
    {
      name: "change the password in the account page",
      run: async (page, snap) => {
        await page.getByTestId("user-menu").click();
        await page.getByRole("link", { name: "Account and security" }).click();
        await atPath(page, "/account/security");
        const section = await visible(page.getByTestId("account-password"), "the password section");
        await checkA11y(page, "the account page with the password section", { schemes: LIGHT_AND_DARK });
        await section.getByLabel("Current password").fill("not-my-password-at-all");
        await section.getByLabel("New password", { exact: true }).fill(changedPassword);
        await section.getByRole("button", { name: "Change password" }).click();
        await visible(
          section.getByText("That is not your current password."),
          "the wrong current password beside its field",
        );
        await section.getByLabel("Current password").fill(resetPassword);
        await section.getByRole("button", { name: "Change password" }).click();
        await visible(
          section.getByText(/Password changed\. Your other devices were signed out/),
          "the change confirmation",
        );
        await snap("password-changed");
        await checkA11y(page, "account: password changed");
      },
    },
    {
      name: "the notices arrived, and the changed password signs in",
      run: async (page) => {
        await page.goto(`/dev/mailbox-view?to=${encodeURIComponent(user.email)}`);
        await visible(page.getByRole("heading", { name: "Your Atrium password was changed" }), "the change notice");
        await visible(page.getByRole("heading", { name: "Your Atrium password was reset" }), "the reset notice");
        const subjects = await page.getByTestId("dev-mail").getByRole("heading").allTextContents();
        assert(
          subjects.length >= 4,
          `the mailbox should hold the verification, reset link and two notices, got ${JSON.stringify(subjects)}`,
        );
        await page.goto("/");
        await signOut(page);
        await signIn(page, { ...user, password: changedPassword });
        await atPath(page, "/");
        await visible(
          page.getByRole("heading", { name: "Your workspaces" }),
          "the workspace list with the changed password",
        );
      },
    },
  ],
};
