/**
 * Scenario "sso" (issue 49): the owner connects a real OpenID Connect provider (oidc-provider,
 * started here on a loopback port) in the workspace's settings, adds the company's domain, and
 * verifies it through the TXT record the page shows once, published on the real DNS server the
 * API asks (DNS_SERVERS, scenario-test.ts). A colleague then signs in from the sign-in page with
 * "Sign in with SSO": the provider's own login page, and back into Atrium as a member who was
 * provisioned just in time. Finally the owner requires SSO for the domain, and the colleague's
 * password attempt is told to use SSO.
 */
import { startTestProvider, type TestProvider } from "../../api/src/test/oidc.ts";
import { checkA11y } from "./axe.ts";
import {
  assert,
  atPath,
  createWorkspace,
  signUpVerifyAndSignIn,
  visible,
  type Scenario,
  type TestUser,
} from "./helpers.ts";
import { rememberSecrets } from "./log-secrets.ts";
import { liveBaseUrl, liveDns } from "./scenario-test.ts";

const stamp = Date.now();
const domain = `sso-${stamp}.test`;
const owner: TestUser = { name: "Olga Owner", email: `olga@${domain}`, password: "correct-horse-battery-staple" };
const colleague = `cora@${domain}`;
const dan: TestUser = { name: "Dan Domain", email: `dan@${domain}`, password: "another-correct-horse-battery" };
const workspace = { name: "E2E SSO Team", slug: "e2e-sso-team" };
let provider: TestProvider | undefined;

export async function closeSso(): Promise<void> {
  await provider?.close();
  provider = undefined;
}

export const ssoScenario: Scenario = {
  name: "sso",
  actors: ["owner", "colleague"],
  steps: [
    {
      name: "the owner signs up with the company's address and creates a workspace",
      run: async (page) => {
        await signUpVerifyAndSignIn(page, owner);
        await createWorkspace(page, workspace);
      },
    },
    {
      name: "connect the identity provider and verify the domain by its TXT record",
      run: async (page, snap) => {
        provider = await startTestProvider({ redirectUris: [`${liveBaseUrl()}/sso/callback`] });
        rememberSecrets(provider.clientSecret);
        await page.goto(`/w/${workspace.slug}/settings`);
        const section = await visible(page.getByTestId("settings-sso"), "the single sign-on section");
        await section.getByLabel("Issuer URL").fill(provider.issuer);
        await section.getByLabel("Client ID").fill(provider.clientId);
        await section.getByLabel("Client secret").fill(provider.clientSecret);
        await section.getByLabel("New members join as").selectOption("operator");
        await section.getByRole("button", { name: "Connect provider" }).click();
        await visible(section.getByText("Saved. Atrium read the provider's discovery document."), "the saved provider");
        await section.getByLabel("E-mail domain").fill(domain);
        await section.getByRole("button", { name: "Add domain" }).click();
        const record = await visible(page.getByTestId("sso-txt-record"), "the TXT record to publish");
        // The second code block: the name first, then the value.
        const value = ((await record.locator("pre").nth(1).textContent()) ?? "").trim();
        assert(value.startsWith("atrium-domain-verification="), `the TXT value should be shown, got ${value}`);
        await snap("txt-record");
        await checkA11y(page, "the single sign-on section with a TXT record");
        const row = page.getByTestId(`sso-domain-${domain}`);
        // Not published yet: the check says what it found.
        await row.getByRole("button", { name: `Verify ${domain}` }).click();
        await visible(row.getByText(/No TXT record was found/), "the missing-record result");
        liveDns().setTxt(`_atrium-challenge.${domain}`, [value]);
        await row.getByRole("button", { name: `Verify ${domain}` }).click();
        await visible(row.getByText(`${domain} is verified`, { exact: false }), "the verified result");
        await visible(row.getByRole("switch", { name: "Require SSO for this domain" }), "the require-SSO switch");
      },
    },
    {
      name: "a colleague signs in with SSO through the provider's login page and joins just in time",
      actor: "colleague",
      run: async (page, snap) => {
        rememberSecrets(colleague);
        await page.goto("/signin");
        await page.getByLabel("Email", { exact: true }).fill(colleague);
        await checkA11y(page, "the sign-in page with its SSO entry");
        await page.getByRole("button", { name: "Sign in with SSO" }).click();
        // The provider's own login page (oidc-provider's development interaction).
        await page.waitForURL((url) => url.href.startsWith(provider!.issuer), { timeout: 15_000 });
        await page.locator('input[name="login"]').fill(colleague);
        await page.locator('input[name="password"]').fill("any password");
        // Not `snap`: that runs axe, and this page is the provider's, not Atrium's.
        await page.getByRole("button", { name: "Sign-in" }).click();
        await page.waitForURL((url) => url.href.startsWith(liveBaseUrl()) && url.pathname !== "/signin", {
          timeout: 15_000,
        });
        await page.goto(`/w/${workspace.slug}/leads`);
        await atPath(page, `/w/${workspace.slug}/leads`);
        await visible(page.getByRole("heading", { name: "Leads" }), "the workspace's leads, as its new member");
        await snap("member-after-sso");
      },
    },
    {
      name: "with SSO required for the domain, a password sign-in is told to use SSO",
      run: async (page, snap, pages) => {
        // Another colleague who had signed up with a password before the rule.
        const other = pages.colleague!;
        await other.context().clearCookies();
        await signUpVerifyAndSignIn(other, dan);
        await other.context().clearCookies();
        await page.goto(`/w/${workspace.slug}/settings`);
        const row = page.getByTestId(`sso-domain-${domain}`);
        await row.getByRole("switch", { name: "Require SSO for this domain" }).click();
        await visible(row.getByText(/Password sign-in is now refused/), "the require-SSO confirmation");
        await other.goto("/signin");
        await other.getByLabel("Email", { exact: true }).fill(dan.email);
        await other.getByLabel("Password", { exact: true }).fill(dan.password);
        await other.getByRole("button", { name: "Sign in", exact: true }).click();
        await visible(other.getByText(/requires single sign-on for this address/).first(), "the SSO-required notice");
        await checkA11y(other, "the sign-in page telling to use SSO");
        await snap("sso-required", other);
      },
    },
  ],
};
