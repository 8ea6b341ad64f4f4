/**
 * Scenario "leads-and-keys" (issue 4, SPEC R1, W5, A1, A2, A4): the owner creates an API key
 * with `lead.manage` in the UI and reads its secret from the copy-once dialog; a lead submitted
 * over HTTP with that key (as a server would, no browser) shows up in the leads list; so does
 * a lead sent through the public form at /forms/<slug> (plain HTML, filled in the browser);
 * finally the bundled GraphQL playground runs its default query as the signed-in user.
 */
import { type Page } from "playwright-core";

import { checkA11y, LIGHT_AND_DARK } from "./axe.ts";
import {
  assert,
  atPath,
  createWorkspace,
  signUpVerifyAndSignIn,
  visible,
  type Scenario,
  type TestUser,
} from "./helpers.ts";

const stamp = Date.now();
const owner: TestUser = {
  name: "Lena Leads",
  email: `e2e-leads-${stamp}@example.test`,
  password: "correct-horse-battery-staple",
};
const workspace = { name: "E2E Leads Team", slug: "e2e-leads-team" };
const apiLead = { name: "Ada Api", email: `ada-${stamp}@example.test` };
const formLead = {
  name: "Felix Form",
  email: `felix-${stamp}@example.test`,
  phone: `+1555${String(stamp).slice(-7).padStart(7, "0")}`,
  message: "Please call me back.",
};
const keyName = "Website backend";

/** The secret as shown once by the copy-once dialog, for the HTTP step. */
let secret = "";

const workspaceNav = (page: Page) => page.getByRole("navigation", { name: "Workspace" });
const leadRow = (page: Page, name: string) =>
  page.getByRole("table", { name: "Leads" }).locator(`tr[data-lead-name="${name}"]`);

async function openLeads(page: Page): Promise<void> {
  await workspaceNav(page).getByRole("link", { name: "Leads", exact: true }).click();
  await atPath(page, `/w/${workspace.slug}/leads`);
  await visible(page.getByRole("heading", { name: "Leads", exact: true }), "the leads page");
}

export const leadsScenario: Scenario = {
  name: "leads-and-keys",
  actors: ["owner"],
  steps: [
    {
      name: "the owner signs up, verifies and signs in",
      run: async (page) => {
        await signUpVerifyAndSignIn(page, owner);
      },
    },
    {
      name: "the owner creates a workspace",
      run: async (page) => {
        await createWorkspace(page, workspace);
        const link = await visible(
          page.getByTestId("public-form-link").getByRole("link"),
          "the public form link on the workspace home",
        );
        const href = (await link.getAttribute("href")) ?? "";
        assert(
          href.endsWith(`/forms/${workspace.slug}`),
          `the public form link ${href} should end in /forms/${workspace.slug}`,
        );
      },
    },
    {
      name: "open the API keys page",
      run: async (page) => {
        await workspaceNav(page).getByRole("link", { name: "API keys", exact: true }).click();
        await atPath(page, `/w/${workspace.slug}/api-keys`);
        await visible(page.getByText("No API keys yet."), "the empty key list");
        await visible(page.getByRole("link", { name: "Open the GraphQL playground" }), "the link to the playground");
      },
    },
    {
      name: "create a key with lead.manage",
      run: async (page, snap) => {
        await page.getByRole("button", { name: "Create API key" }).click();
        const dialog = await visible(page.getByRole("dialog", { name: "Create an API key" }), "the create-key dialog");
        await dialog.getByLabel("Key name").fill(keyName);
        // The owner holds every policy, so every scope is offered; tick only lead.manage.
        await visible(dialog.getByRole("checkbox", { name: /apikey\.manage/ }), "an owner-held scope in the checklist");
        await dialog.getByRole("checkbox", { name: /lead\.manage/ }).check();
        await snap("dialog");
        await dialog.getByRole("button", { name: "Create key" }).click();

        const shown = await visible(
          page.getByRole("dialog", { name: "Copy your new API key" }),
          "the copy-once dialog",
        );
        await visible(shown.getByText("will not be able to see it again", { exact: false }), "the shown-once warning");
        await visible(shown.getByRole("button", { name: "Copy key" }), "the copy button");
        secret = await shown.getByTestId("api-key-secret").inputValue();
        assert(/^atr_[a-z]+_/.test(secret), `the secret should look like an Atrium key, got ${secret.slice(0, 12)}…`);
        await snap("secret");
        await shown.getByRole("button", { name: "I have stored the key" }).click();

        const row = await visible(page.locator(`tr[data-key-name="${keyName}"]`), "the new key in the list");
        const text = (await row.textContent()) ?? "";
        assert(text.includes("lead.manage"), `the key row should list its scope, got ${text}`);
        assert(!text.includes(secret), "the list must not show the secret");
        assert(text.includes("Never") && text.includes("Active"), `a new key is active and never used, got ${text}`);
      },
    },
    {
      name: "submit a lead over HTTP with the key",
      run: async (page) => {
        const origin = new URL(page.url()).origin;
        const response = await fetch(`${origin}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
          body: JSON.stringify({
            query: "mutation Submit($input: SubmitLeadInput!) { submitLead(input: $input) { id name source } }",
            variables: { input: apiLead },
          }),
        });
        const body = (await response.json()) as {
          data?: { submitLead?: { id: string; name: string; source: string } };
          errors?: unknown;
        };
        assert(
          response.ok && body.data?.submitLead?.name === apiLead.name,
          `submitLead should succeed, got ${response.status} ${JSON.stringify(body)}`,
        );
        assert(
          body.data.submitLead.source === "API",
          `the lead's source should be API, got ${body.data.submitLead.source}`,
        );
        // The key's last use shows on the keys page.
        await page.reload();
        const row = await visible(page.locator(`tr[data-key-name="${keyName}"]`), "the key after its use");
        const lastUsed = (await row.locator("td").nth(3).textContent()) ?? "";
        assert(lastUsed !== "Never", "the key's last-used time should be set");
      },
    },
    {
      name: "the API lead appears in the leads list",
      run: async (page) => {
        await openLeads(page);
        const row = await visible(leadRow(page, apiLead.name), "the lead submitted with the key");
        const text = (await row.textContent()) ?? "";
        assert(
          text.includes(apiLead.email) && text.includes("API"),
          `the row should show the email and source API, got ${text}`,
        );
        await visible(page.getByTestId("public-form-link"), "the public form link on the leads page");
      },
    },
    {
      name: "submit the public form",
      run: async (page, snap) => {
        await page.goto(`/forms/${workspace.slug}`);
        await visible(page.getByRole("heading", { name: `Contact ${workspace.name}` }), "the public form");
        await checkA11y(page, "the public form", { schemes: LIGHT_AND_DARK });
        // Sent empty: the same page again, with the error summary and each field's error — a WhatsApp
        // workspace's form needs the name, the phone and the consent to WhatsApp messages (issue 56).
        await page.getByRole("button", { name: "Send" }).click();
        await visible(page.getByRole("alert").getByText("3 fields need your attention."), "the error summary");
        assert(
          (await page.getByLabel("Name", { exact: true }).getAttribute("aria-invalid")) === "true",
          "the name field should be marked invalid",
        );
        assert(
          (await page.getByLabel(/Phone/).getAttribute("aria-invalid")) === "true",
          "the phone field should be marked invalid",
        );
        await checkA11y(page, "the public form with an error", { schemes: LIGHT_AND_DARK });
        await page.getByLabel("Name", { exact: true }).fill(formLead.name);
        await page.getByLabel("E-mail", { exact: true }).fill(formLead.email);
        await page.getByLabel(/Phone/).fill(formLead.phone);
        await page.getByLabel("Message", { exact: true }).fill(formLead.message);
        await page.getByLabel(/I agree to receive WhatsApp messages/).check();
        await snap("filled");
        await page.getByRole("button", { name: "Send" }).click();
        await visible(page.getByRole("heading", { name: /thank you/i }), "the thank-you page");
        await checkA11y(page, "the public form's thank-you page", { schemes: LIGHT_AND_DARK });
      },
    },
    {
      name: "the form lead appears in the leads list",
      run: async (page) => {
        await page.goto(`/w/${workspace.slug}/leads`);
        const row = await visible(leadRow(page, formLead.name), "the lead sent through the public form");
        const text = (await row.textContent()) ?? "";
        assert(text.includes("Public form"), `the row should show the source Public form, got ${text}`);
        await visible(leadRow(page, apiLead.name), "the API lead still listed");
        // Filter by status: both leads are new.
        await page.getByLabel("Filter by status").selectOption("NEW");
        await visible(leadRow(page, formLead.name), "the form lead among new leads");
        await page.getByLabel("Filter by status").selectOption("LOST");
        await visible(page.getByText("No lost leads."), "no lost leads");
        await page.getByLabel("Filter by status").selectOption("");
        await row.getByRole("link", { name: formLead.name }).click();
        await visible(page.getByRole("heading", { name: formLead.name }), "the lead detail");
        await visible(page.getByRole("heading", { name: "Contact" }), "the lead's contact");
        await visible(page.getByText(formLead.message), "the message sent with the form");
        await checkA11y(page, "the lead detail", { schemes: LIGHT_AND_DARK });
      },
    },
    {
      name: "run the default query in the playground",
      run: async (page) => {
        await page.getByRole("link", { name: "Playground", exact: true }).click();
        await atPath(page, "/playground");
        const workspaceId =
          (await (await visible(page.getByTestId("playground-workspace-id"), "the workspace ID"))
            .locator("code")
            .textContent()) ?? "";
        assert(workspaceId !== "", "the playground should name the workspace");
        const run = await visible(page.getByRole("button", { name: /Execute query/ }), "the run button");
        // The variables editor is prefilled with this workspace's ID.
        const variables = await visible(page.locator(".graphiql-editor-tool .view-lines"), "the variables editor");
        const prefilled = ((await variables.textContent()) ?? "").replace(/\s+/g, " ");
        assert(prefilled.includes(workspaceId), `the variables should hold ${workspaceId}, got ${prefilled}`);
        await checkA11y(page, "the playground", { schemes: LIGHT_AND_DARK });
        await run.click();
        // Monaco renders only the lines in view: both leads counted, the newest (the form's) shown first.
        const response = page.locator(".graphiql-response .view-lines");
        const wanted = ['"totalCount": 2', formLead.name, '"status": "NEW"'];
        let shown = "";
        for (const deadline = Date.now() + 15_000; Date.now() < deadline; await page.waitForTimeout(250)) {
          shown = ((await response.textContent().catch(() => "")) ?? "").replace(/\s+/g, " ");
          if (wanted.every((text) => shown.includes(text))) break;
        }
        assert(
          wanted.every((text) => shown.includes(text)),
          `the result should count both leads, got ${shown.slice(0, 400)}`,
        );
        assert(!shown.includes('"errors"'), `the result should have no errors, got ${shown.slice(0, 400)}`);
        // The schema loaded by introspection as the signed-in user: the docs list the root types.
        await page.getByRole("button", { name: "Show Documentation Explorer" }).click();
        await visible(
          page.locator(".graphiql-doc-explorer").getByText("Root Types"),
          "the root types in the documentation explorer",
        );
        await visible(
          page.locator(".graphiql-doc-explorer").getByText("Query", { exact: true }),
          "the Query type in the documentation explorer",
        );
        await checkA11y(page, "the playground with a result and the documentation explorer", {
          schemes: LIGHT_AND_DARK,
        });
      },
    },
    {
      name: "try the API key in the playground with the submit-lead example",
      run: async (page, snap) => {
        await page.getByLabel("Run as API key").fill(secret);
        await visible(
          page.getByTestId("playground-principal").getByText("Requests run as this API key", { exact: false }),
          "the key's hint",
        );
        await page.getByRole("button", { name: "Show Examples" }).click();
        await page.getByRole("button", { name: "Open “Submit a lead” in a new tab" }).click();
        const query = page.locator(".graphiql-query-editor .view-lines");
        for (const deadline = Date.now() + 5_000; Date.now() < deadline; await page.waitForTimeout(100)) {
          if (((await query.textContent()) ?? "").includes("submitLead")) break;
        }
        assert(((await query.textContent()) ?? "").includes("submitLead"), "the example should be in the editor");
        await page.getByRole("button", { name: /Execute query/ }).click();
        const response = page.locator(".graphiql-response .view-lines");
        let shown = "";
        for (const deadline = Date.now() + 15_000; Date.now() < deadline; await page.waitForTimeout(250)) {
          shown = ((await response.textContent().catch(() => "")) ?? "").replace(/\s+/g, " ");
          if (shown.includes("Ada Lovelace")) break;
        }
        assert(
          shown.includes("Ada Lovelace") && !shown.includes('"errors"'),
          `the key should submit the example's lead, got ${shown.slice(0, 400)}`,
        );
        await snap("api-key");
        await checkA11y(page, "the playground's examples", { schemes: LIGHT_AND_DARK });
        // The error reasons, as the API documents them, findable by name.
        await page.getByRole("button", { name: "Show Error reasons" }).click();
        await page.getByLabel("Find a reason or code").fill("persisted_only");
        await visible(
          page.getByTestId("error-reason").filter({ hasText: "PERSISTED_ONLY" }),
          "the PERSISTED_ONLY reason",
        );
        assert((await page.getByTestId("error-reason").count()) === 1, "the filter should leave one reason");
        await checkA11y(page, "the playground's error reasons", { schemes: LIGHT_AND_DARK });
      },
    },
  ],
};
