/**
 * Scenario "settings" (issue 5, SPEC W3, W4, W6, W7, W9, W10, W11, S3): the owner renames a
 * workspace's slug in the settings page and the old /forms/<old-slug> answers 404 at once
 * while the new one works; pauses the agent and sees the status (header badge, and the switch
 * after a reload); saves retention and the persona (reordering questions); converts the
 * environment through the warnings dialog; filters the audit log; and deletes a second
 * workspace through the danger zone by typing its slug, after which the switcher no longer
 * lists it. Issue 50: a privacy (data-subject) request refused for a bad e-mail, an erasure
 * waiting for its dialog, an export followed live to "Done"; an audit stream set up, followed live
 * to "Up to date" and folded to one line so that the log stays above the fold at 390 px. Last (issue 48), the owner chooses the dark theme on the account page: applied at
 * once, before the first paint after a reload, and from the account in another browser.
 */
import { type Page } from "playwright-core";

import { FakeWebhookReceiver } from "@atrium/fakes";

import { checkA11y, LIGHT_AND_DARK } from "./axe.ts";
import {
  absent,
  assert,
  atPath,
  createWorkspace,
  focused,
  signIn,
  signUpVerifyAndSignIn,
  visible,
  type Scenario,
  type TestUser,
} from "./helpers.ts";

const stamp = Date.now();
const owner: TestUser = {
  name: "Sam Settings",
  email: `e2e-settings-${stamp}@example.test`,
  password: "correct-horse-battery-staple",
};
const workspace = { name: "E2E Settings Team", slug: "e2e-settings-team" };
const renamedSlug = "e2e-settings-renamed";
const doomed = { name: "E2E Doomed Team", slug: "e2e-doomed-team" };

const section = (page: Page, name: string) => page.getByRole("region", { name, exact: true });

async function openSettings(page: Page, slug: string): Promise<void> {
  await page.goto(`/w/${slug}/settings`);
  await visible(page.getByRole("heading", { name: "Settings", exact: true }), "the settings page");
  await visible(section(page, "Agent status"), "the agent status section");
}

export const settingsScenario: Scenario = {
  name: "settings",
  actors: ["owner"],
  steps: [
    {
      name: "the owner signs up, verifies and signs in",
      run: async (page) => {
        await signUpVerifyAndSignIn(page, owner);
      },
    },
    {
      name: "the owner creates two workspaces",
      run: async (page) => {
        await createWorkspace(page, doomed);
        await createWorkspace(page, workspace);
      },
    },
    {
      name: "open the settings page",
      run: async (page) => {
        await page
          .getByRole("navigation", { name: "Workspace" })
          .getByRole("link", { name: "Settings", exact: true })
          .click();
        await atPath(page, `/w/${workspace.slug}/settings`);
        await visible(section(page, "Agent status"), "the agent status section");
        // The agent's sections load with their own query: read the titles once they are there.
        await visible(section(page, "Test chat"), "the agent's test chat section");
        // W11's order, top to bottom (WhatsApp workspace: the Twilio card is there).
        const titles = await page.locator(".settings-section__title").allTextContents();
        const expected = [
          "Agent status",
          "Name and address",
          "Public form and workspace ID",
          "Integrations",
          "Data retention",
          "API keys",
          "Twilio sandbox webhook",
          "WhatsApp templates",
          "Authentication diagnostics",
        ];
        assert(
          JSON.stringify(titles.slice(0, expected.length)) === JSON.stringify(expected),
          `the sections should start ${expected.join(", ")}, got ${titles.join(", ")}`,
        );
        assert(titles.at(-1) === "Danger zone", `the danger zone should come last, got ${titles.at(-1) ?? "nothing"}`);
        const status = await visible(page.getByTestId("agent-status"), "the agent status");
        assert((await status.textContent()) === "Running", "a new workspace's agent should be running");
        const uuid =
          (await (await visible(page.getByTestId("workspace-uuid"), "the workspace ID")).textContent()) ?? "";
        assert(/^[0-9a-f-]{36}$/.test(uuid), `the workspace ID should be a UUID, got ${uuid}`);
        const diagnostics = section(page, "Authentication diagnostics");
        await visible(diagnostics.getByTestId("diagnostic-signing-secret"), "the signing secret presence");
        await checkA11y(page, "the settings page", { schemes: LIGHT_AND_DARK });
        // The side index lists exactly the sections shown, and takes the reader (and focus) there.
        const index = page.getByRole("navigation", { name: "Settings sections" });
        // The index follows the headings through a MutationObserver: give it the render it needs.
        let entries: string[] = [];
        for (let attempt = 0; attempt < 20; attempt++) {
          entries = await index.getByRole("link").allTextContents();
          if (JSON.stringify(entries) === JSON.stringify(titles)) break;
          await page.waitForTimeout(100);
        }
        assert(
          JSON.stringify(entries) === JSON.stringify(titles),
          `the index should list ${titles.join(", ")}, got ${entries.join(", ")}`,
        );
        await index.getByRole("link", { name: "Data retention" }).click();
        await focused(page.locator("#settings-retention-title"), "the Data retention section's heading");
        await visible(
          index.getByRole("link", { name: "Data retention" }).and(page.locator('[aria-current="location"]')),
          "the index marking the section being read",
        );
        const text = (await diagnostics.textContent()) ?? "";
        assert(/Configured|Not configured/.test(text), `the diagnostics should show presence, got ${text}`);
      },
    },
    {
      name: "rename the slug",
      run: async (page, snap) => {
        const rename = section(page, "Name and address");
        await rename.getByLabel("Slug").fill(renamedSlug);
        const warning = await visible(
          rename.getByTestId("slug-change-warning"),
          "the warning that the old form URL stops working",
        );
        assert(
          ((await warning.textContent()) ?? "").includes(`/forms/${workspace.slug}`),
          "the warning should name the old form URL",
        );
        await snap("warning");
        await rename.getByRole("button", { name: "Save name and address" }).click();
        await atPath(page, `/w/${renamedSlug}/settings`);
        await visible(section(page, "Name and address").getByRole("status"), "the saved confirmation");
        assert(
          (await section(page, "Name and address").getByLabel("Slug").inputValue()) === renamedSlug,
          "the slug field should show the new slug",
        );
        await page.getByLabel("Switch workspace").click();
        const options = await page.getByRole("listbox", { name: "Workspaces" }).getByRole("option").allTextContents();
        await page.keyboard.press("Escape");
        assert(
          options.some((option) => option.includes(`(${renamedSlug})`)),
          `the switcher should list the new slug, got ${JSON.stringify(options)}`,
        );
        const link = await visible(page.getByTestId("public-form-link").getByRole("link"), "the public form link");
        assert(
          ((await link.getAttribute("href")) ?? "").endsWith(`/forms/${renamedSlug}`),
          "the public form link should use the new slug",
        );
      },
    },
    {
      name: "the old form URL is gone and the new one works",
      run: async (page, snap) => {
        const old = await page.goto(`/forms/${workspace.slug}`);
        assert(
          old?.status() === 404,
          `/forms/${workspace.slug} should answer 404, got ${old?.status() ?? "no response"}`,
        );
        await visible(page.getByRole("heading", { name: "This form does not exist" }), "the form-not-found page");
        await snap("old");
        await checkA11y(page, "the form-not-found page", { schemes: ["dark"] });
        const current = await page.goto(`/forms/${renamedSlug}`);
        assert(
          current?.status() === 200,
          `/forms/${renamedSlug} should answer 200, got ${current?.status() ?? "no response"}`,
        );
        await visible(page.getByRole("heading", { name: `Contact ${workspace.name}` }), "the renamed workspace's form");
      },
    },
    {
      name: "pause the agent",
      run: async (page, snap) => {
        await openSettings(page, renamedSlug);
        await absent(page.getByTestId("agent-paused-badge"), "the paused badge before pausing");
        const agent = section(page, "Agent status");
        await agent.getByRole("switch", { name: "Pause the agent" }).check();
        await visible(agent.getByText("The agent is paused", { exact: false }), "the paused confirmation");
        assert((await agent.getByTestId("agent-status").textContent()) === "Paused", "the status should read Paused");
        await visible(page.getByTestId("agent-paused-badge"), "the paused badge in the workspace header");
        await snap("paused");
        await page.reload();
        await visible(section(page, "Agent status"), "the settings page after a reload");
        assert(
          await section(page, "Agent status").getByRole("switch", { name: "Pause the agent" }).isChecked(),
          "the switch should stay on after a reload",
        );
        assert(
          (await page.getByTestId("agent-status").textContent()) === "Paused",
          "the status should still read Paused",
        );
        await visible(page.getByTestId("agent-paused-badge"), "the paused badge after a reload");
      },
    },
    {
      name: "save retention and the agent persona",
      run: async (page, snap) => {
        const retention = section(page, "Data retention");
        await retention.getByRole("radio", { name: "Custom" }).check();
        await retention.getByRole("spinbutton", { name: "Days" }).fill("0");
        await retention.getByRole("button", { name: "Save retention" }).click();
        await visible(retention.getByText("Enter between 1 and 3650 days."), "the custom days error");
        await checkA11y(page, "the settings page with a retention error");
        await retention.getByRole("radio", { name: "90 days" }).check();
        await retention.getByRole("button", { name: "Save retention" }).click();
        await visible(retention.getByRole("status"), "the retention saved confirmation");
        assert(
          (await retention.getByTestId("retention-current").textContent()) === "Deleted after 90 days",
          "the current retention should be 90 days",
        );
        // A fresh workspace has nothing older than 90 days: the preview says what would go (nothing).
        await visible(
          retention.getByTestId("retention-preview").getByText("0 leads", { exact: false }),
          "the retention preview",
        );

        const persona = section(page, "Agent persona");
        await persona.getByLabel("Agent name").fill("Ava");
        await persona.getByLabel("Agent role").fill("Sales assistant");
        await persona.getByLabel("Tone").selectOption("PROFESSIONAL");
        await persona.getByRole("button", { name: "Add question" }).click();
        await persona.getByRole("textbox", { name: "Question 1", exact: true }).fill("What is your budget?");
        await persona.getByRole("button", { name: "Add question" }).click();
        await persona.getByRole("textbox", { name: "Question 2", exact: true }).fill("When do you want to start?");
        await persona.getByRole("button", { name: "Move question 2 up" }).click();
        assert(
          (await persona.getByRole("textbox", { name: "Question 1", exact: true }).inputValue()) ===
            "When do you want to start?",
          "moving up should reorder the questions",
        );
        await snap("persona");
        await persona.getByRole("button", { name: "Save persona" }).click();
        await visible(persona.getByRole("status"), "the persona saved confirmation");

        await page.reload();
        const reloaded = section(page, "Agent persona");
        await visible(reloaded, "the persona after a reload");
        assert((await reloaded.getByLabel("Agent name").inputValue()) === "Ava", "the agent name should be saved");
        assert((await reloaded.getByLabel("Tone").inputValue()) === "PROFESSIONAL", "the tone should be saved");
        assert(
          (await reloaded.getByRole("textbox", { name: "Question 1", exact: true }).inputValue()) ===
            "When do you want to start?",
          "the question order should be saved",
        );
        assert(
          (await reloaded.getByRole("textbox", { name: "Question 2", exact: true }).inputValue()) ===
            "What is your budget?",
          "the second question should be saved",
        );
        assert(
          await section(page, "Data retention").getByRole("radio", { name: "90 days" }).isChecked(),
          "90 days should be selected after a reload",
        );
      },
    },
    {
      name: "move to staging through the warnings dialog",
      run: async (page, snap) => {
        const environment = section(page, "Environment");
        await environment.getByLabel("Move to environment").selectOption("STAGING");
        await environment.getByRole("button", { name: "Review change" }).click();
        const dialog = await visible(
          page.getByRole("dialog", { name: "Move to Staging?" }),
          "the environment change dialog",
        );
        await visible(dialog.getByText("From Development to Staging", { exact: false }), "what the change is");
        await snap("dialog");
        await dialog.getByRole("button", { name: "Move to Staging" }).click();
        await absent(page.getByRole("dialog"), "the dialog after confirming");
        await visible(environment.getByRole("status"), "the environment changed confirmation");
        assert(
          (await environment.getByTestId("environment-current").textContent()) === "Staging",
          "the environment should now be Staging",
        );
      },
    },
    {
      name: "filter the audit log",
      run: async (page, snap) => {
        await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Audit log" }).click();
        await atPath(page, `/w/${renamedSlug}/audit-log`);
        const table = page.getByRole("table", { name: "Audit events" });
        await visible(table, "the audit events table");
        await page.getByLabel("Action", { exact: true }).selectOption("agent.");
        await visible(page.getByRole("button", { name: "Clear filters" }), "the clear-filters button");
        await checkA11y(page, "the audit log, filtered", { schemes: LIGHT_AND_DARK });
        await visible(table.getByText("agent.paused"), "the pause event");
        let actions: string[] = [];
        for (const deadline = Date.now() + 10_000; Date.now() < deadline; await page.waitForTimeout(200)) {
          actions = await Promise.all(
            (await table.locator("tbody tr").all()).map(async (row) => (await row.getAttribute("data-action")) ?? ""),
          );
          if (actions.length > 0 && actions.every((action) => action.startsWith("agent."))) break;
        }
        assert(
          actions.length >= 2 && actions.every((action) => action.startsWith("agent.")),
          `only agent.* events should be listed, got ${actions.join(", ")}`,
        );
        // Names, not ids (issue 56): the event says who did it and what, in words.
        const pause = table.locator('tbody tr[data-action="agent.paused"]').first();
        await visible(pause.getByText("Agent paused", { exact: true }), "the pause event in words");
        await visible(pause.getByText(owner.email), "who paused it, by e-mail");
        await page.getByLabel("Actor", { exact: true }).selectOption({ index: 1 });
        await visible(table.getByText("agent.paused"), "the pause event by the owner");
        await page.getByRole("button", { name: "Clear filters" }).click();
        await visible(table.getByText("workspace.updated").first(), "every event again");
        await snap("audit-log-1280");
      },
    },
    {
      name: "a privacy request: checked before sending, an erasure asks first, an export followed live",
      run: async (page, snap) => {
        await openSettings(page, renamedSlug);
        const privacy = section(page, "Privacy requests");
        await privacy.scrollIntoViewIfNeeded();
        await privacy.getByLabel("E-mail", { exact: true }).fill("not-an-email");
        await privacy.getByRole("button", { name: "Create request" }).click();
        await visible(privacy.getByText("Enter a valid e-mail address."), "the shared e-mail rule's message");
        await privacy.getByLabel("E-mail", { exact: true }).fill(`e2e-privacy-${stamp}@example.test`);
        await privacy.getByLabel("Request", { exact: true }).selectOption("ERASE");
        await privacy.getByRole("button", { name: "Create request" }).click();
        const dialog = await visible(
          page.getByRole("dialog", { name: "Erase this person's data?" }),
          "the erasure's confirmation",
        );
        await snap("erase-dialog");
        await dialog.getByRole("button", { name: "Cancel" }).click();
        await absent(page.getByRole("dialog"), "the dialog after cancelling");
        assert((await privacy.getByTestId("privacy-requests").count()) === 0, "cancelling should make no request");
        await privacy.getByLabel("Request", { exact: true }).selectOption("EXPORT");
        await privacy.getByRole("button", { name: "Create request" }).click();
        await visible(
          privacy.getByRole("status").getByText("Request created; it runs in the background."),
          "the created confirmation",
        );
        // The job runs in the background; the list follows it over the live subscription (no polling).
        await privacy.locator('[data-status="COMPLETED"]').first().waitFor({ state: "visible", timeout: 30_000 });
        await visible(privacy.getByRole("link", { name: "Download export" }), "the export's download link");
        await page.setViewportSize({ width: 390, height: 844 });
        await privacy.scrollIntoViewIfNeeded();
        await snap("privacy-390");
        await page.setViewportSize({ width: 1280, height: 800 });
      },
    },
    {
      name: "stream the audit log: set up, followed live, folded to one line above the log",
      run: async (page, snap) => {
        const receiver = new FakeWebhookReceiver();
        await receiver.start();
        try {
          await page.setViewportSize({ width: 390, height: 844 });
          await page.goto(`/w/${renamedSlug}/audit-log`);
          const card = await visible(page.getByTestId("audit-stream"), "the Streaming card");
          const table = page.getByRole("table", { name: "Audit events" });
          await visible(table, "the audit events table");
          // Nothing set up: the card is open, with the form.
          await card.getByLabel("Endpoint URL", { exact: true }).fill(`${receiver.baseUrl}/siem`);
          await card.getByRole("button", { name: "Set up streaming" }).click();
          const dialog = await visible(
            page.getByRole("dialog", { name: "Audit stream set up" }),
            "the secret, shown once",
          );
          await dialog.getByRole("button", { name: "I have stored it" }).click();
          await absent(page.getByRole("dialog"), "the secret dialog after closing");
          // Set up: folded to one line; the first batch is delivered and the card hears it live.
          const toggle = await visible(
            card.getByRole("button", { name: "Details and settings" }),
            "the card's Details button",
          );
          assert((await toggle.getAttribute("aria-expanded")) === "false", "a stream that is set up should be folded");
          await card.getByText("Up to date", { exact: true }).waitFor({ state: "visible", timeout: 30_000 });
          assert(receiver.received("POST", "/siem").length >= 1, "the receiver should have had a batch");
          await page.evaluate("window.scrollTo(0, 0)");
          // Folded, the card is a few lines: the log (its first row's first line) starts above the fold.
          const cardBox = await card.boundingBox();
          assert(
            cardBox !== null && cardBox.height <= 160,
            `the folded card should be a few lines at 390 px, it is ${cardBox === null ? "?" : String(cardBox.height)} px tall`,
          );
          const row = await visible(table.locator("tbody tr").first(), "the log's first row");
          const box = await row.boundingBox();
          assert(
            box !== null && box.y + 24 <= 844,
            `the log's first row should start above the fold at 390 px, it starts at ${box === null ? "?" : String(box.y)}`,
          );
          await snap("audit-stream-folded-390");
          await page.setViewportSize({ width: 1280, height: 800 });
          await snap("audit-stream-folded-1280");
          await toggle.click();
          await visible(card.getByRole("button", { name: "Remove stream" }), "the stream's controls, opened");
          await snap("audit-stream-open-1280");
          await card.getByRole("button", { name: "Remove stream" }).click();
          const remove = await visible(
            page.getByRole("dialog", { name: "Remove the audit stream?" }),
            "the removal's confirmation",
          );
          await remove.getByRole("button", { name: "Remove stream" }).click();
          await visible(card.getByText("No stream is set up."), "the card after removal");
        } finally {
          await page.setViewportSize({ width: 1280, height: 800 });
          await receiver.close();
        }
      },
    },
    {
      name: "delete a workspace through the danger zone",
      run: async (page, snap) => {
        await openSettings(page, doomed.slug);
        await section(page, "Danger zone").getByRole("button", { name: "Delete workspace" }).click();
        const dialog = await visible(page.getByRole("dialog", { name: `Delete ${doomed.name}?` }), "the delete dialog");
        const confirm = dialog.getByRole("button", { name: "Delete this workspace" });
        assert(await confirm.isDisabled(), "deleting should wait for the typed slug");
        await dialog.getByLabel(`Type ${doomed.slug} to confirm`).fill("wrong-slug");
        assert(await confirm.isDisabled(), "a wrong slug should not enable deleting");
        await dialog.getByLabel(`Type ${doomed.slug} to confirm`).fill(doomed.slug);
        await snap("confirm");
        await confirm.click();
        await atPath(page, "/");
        await visible(page.getByTestId("workspace-deleted"), "the deleted confirmation");
        await checkA11y(page, "your workspaces, after a deletion");
        await page.getByLabel("Switch workspace").click();
        const options = await page.getByRole("listbox", { name: "Workspaces" }).getByRole("option").allTextContents();
        await page.keyboard.press("Escape");
        assert(
          !options.some((option) => option.includes(doomed.name)),
          `the switcher should no longer list ${doomed.name}, got ${JSON.stringify(options)}`,
        );
        assert(
          options.some((option) => option.includes(workspace.name)),
          "the other workspace should remain",
        );
        await page.goto(`/w/${doomed.slug}`);
        await visible(page.getByRole("heading", { name: "Workspace not found" }), "the deleted workspace is not found");
        await checkA11y(page, "workspace not found");
        const form = await page.goto(`/forms/${doomed.slug}`);
        assert(
          form?.status() === 404,
          `the deleted workspace's form should answer 404, got ${form?.status() ?? "no response"}`,
        );
      },
    },
    {
      // Issue 48 (decision 0040): System / Light / Dark, applied at once, before the first paint
      // after a reload, and remembered on the account (another browser gets it at sign-in).
      name: "choose the dark theme on the account page",
      run: async (page, snap) => {
        const theme = () => page.evaluate<string | null>(`document.documentElement.getAttribute("data-theme")`);
        await page.goto("/account/security");
        const picker = await visible(page.getByRole("group", { name: "Theme" }), "the theme picker");
        assert(
          await picker.getByRole("radio", { name: "System" }).isChecked(),
          "a new account follows the system theme",
        );
        assert((await theme()) === null, "System leaves data-theme off");
        await picker.getByRole("radio", { name: "Dark" }).check();
        assert((await theme()) === "dark", "Dark applies at once");
        await visible(picker.getByText("Theme saved."), "the saved confirmation");
        await snap("appearance");
        await checkA11y(page, "the account page with the dark theme chosen", { schemes: LIGHT_AND_DARK });
        // Before the app's script has run: the head's theme-init.js applied it (no light flash).
        await page.reload({ waitUntil: "domcontentloaded" });
        assert((await theme()) === "dark", "the stored choice should be applied before the app renders");
        const background = await page.evaluate<string>(`getComputedStyle(document.body).backgroundColor`);
        assert(background === "rgb(20, 20, 24)", `the page should be dark from the start, got ${background}`);
        // Another browser (nothing stored there) gets the choice from the account when signing in.
        const browser = page.context().browser();
        assert(browser !== null, "the scenario's browser");
        const other = await browser.newContext({
          baseURL: new URL(page.url()).origin,
          viewport: { width: 390, height: 844 },
        });
        try {
          const phone = await other.newPage();
          await signIn(phone, owner);
          await phone.locator('html[data-theme="dark"]').waitFor({ state: "attached" });
          await phone.goto("/account/security");
          assert(
            await phone.getByRole("group", { name: "Theme" }).getByRole("radio", { name: "Dark" }).isChecked(),
            "the picker shows the account's choice",
          );
          await checkA11y(phone, "the account page at 390 px, dark chosen", { schemes: LIGHT_AND_DARK });
          // Light, chosen explicitly, wins over a device that prefers dark.
          await phone.emulateMedia({ colorScheme: "dark" });
          await phone.getByRole("group", { name: "Theme" }).getByRole("radio", { name: "Light" }).check();
          const light = await phone.evaluate<string>(`getComputedStyle(document.body).backgroundColor`);
          assert(
            light === "rgb(247, 247, 248)",
            `an explicit light choice should win over the device's dark, got ${light}`,
          );
          await visible(phone.getByText("Theme saved."), "the saved confirmation");
        } finally {
          await other.close();
        }
        // Back to System, for whatever runs after.
        await page.goto("/account/security");
        await page.getByRole("group", { name: "Theme" }).getByRole("radio", { name: "System" }).check();
        await visible(page.getByText("Theme saved."), "the saved confirmation");
        assert((await theme()) === null, "System takes data-theme off again");
      },
    },
  ],
};
