/**
 * Scenario "shell" (issue 48, decision 0042): the command palette and the keyboard shortcuts, the
 * collapsible sidebar with its counts, the user menu and breadcrumbs. Control+K opens the palette;
 * a lead is found by its phone number (typed with spaces) and opened; "New campaign" runs from the
 * palette and opens the campaign form; "g" then "l" goes to the leads; "?" lists the shortcuts;
 * "g" typed in a search box does nothing; the sidebar collapsed stays collapsed after a reload;
 * the inbox and review counts show numbers. At 390 px the navigation stays behind the Menu button
 * and the palette opens and fits. axe on each state.
 */
import { type Page } from "playwright-core";

import { checkA11y, LIGHT_AND_DARK } from "./axe.ts";
import {
  absent,
  assert,
  atPath,
  createWorkspace,
  focused,
  signUpVerifyAndSignIn,
  visible,
  type Scenario,
  type TestUser,
} from "./helpers.ts";
import { horizontalOverflow } from "./narrow-pages.ts";

const stamp = Date.now();
const owner: TestUser = {
  name: "Shirin Shell",
  email: `e2e-shell-${stamp}@example.test`,
  password: "correct-horse-battery-staple",
};
const workspace = { name: "E2E Shell Team", slug: "e2e-shell-team" };
const digits = String(stamp).slice(-7).padStart(7, "0");
const lead = { name: "Paloma Palette", phone: `+1555${digits}` };
/** The number as someone would type it: spaces, no country code. */
const typedPhone = `555 ${digits.slice(0, 3)} ${digits.slice(3)}`;

async function openPalette(page: Page) {
  await page.keyboard.press("Control+K");
  const dialog = await visible(page.getByRole("dialog", { name: "Command palette" }), "the command palette");
  return dialog;
}

export const shellScenario: Scenario = {
  name: "shell",
  actors: ["owner"],
  steps: [
    {
      name: "the owner signs up, creates a workspace and gets a lead with a phone number",
      run: async (page) => {
        await signUpVerifyAndSignIn(page, owner);
        await createWorkspace(page, workspace);
        const res = await page.request.post(`/forms/${workspace.slug}`, {
          data: { name: lead.name, phone: lead.phone, whatsappOptIn: "yes", message: "Call me." },
        });
        assert(res.status() === 201, `the form answered ${res.status()}`);
      },
    },
    {
      name: "Control+K opens the palette; the lead is found by phone and opened",
      run: async (page, snap) => {
        await page.goto(`/w/${workspace.slug}/contacts`);
        await visible(page.getByRole("heading", { level: 1, name: "Contacts" }), "the contacts page");
        const dialog = await openPalette(page);
        const input = dialog.getByRole("combobox", { name: "Search pages, records and actions" });
        await visible(input, "the palette's search box");
        await focused(input, "the palette's search box");
        await input.fill(typedPhone);
        const hit = await visible(
          dialog.getByTestId("palette-hit").filter({ hasText: lead.name }).filter({ hasText: "Lead" }),
          "the lead found by its phone number",
        );
        await snap("palette with a lead found by phone");
        await checkA11y(page, "the command palette with results", { schemes: LIGHT_AND_DARK });
        await hit.click();
        await page.waitForURL((url) => url.pathname.startsWith(`/w/${workspace.slug}/leads/`));
        await visible(page.getByRole("heading", { level: 1, name: new RegExp(lead.name) }), "the lead's page");
        await absent(page.getByRole("dialog", { name: "Command palette" }), "the closed palette");
        // Breadcrumbs: Workspaces › the workspace › Leads › Lead.
        const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
        await visible(crumbs.getByRole("link", { name: "Leads" }), "the Leads breadcrumb");
        assert(
          (await crumbs.locator('[aria-current="page"]').textContent()) === "Lead",
          "the last breadcrumb should be the current page, Lead",
        );
      },
    },
    {
      name: "the palette runs New campaign: the campaigns page with its form open",
      run: async (page, snap) => {
        const dialog = await openPalette(page);
        await dialog.getByRole("combobox").fill("new camp");
        await visible(dialog.getByRole("option", { name: /New campaign/ }), "the New campaign action");
        await page.keyboard.press("Enter");
        await atPath(page, `/w/${workspace.slug}/campaigns`);
        await visible(page.getByRole("form", { name: "New campaign" }), "the new-campaign form");
        await snap("new campaign from the palette");
      },
    },
    {
      name: "g then l goes to the leads; ? lists the shortcuts; g typed in a field does nothing",
      run: async (page, snap) => {
        await page.goto(`/w/${workspace.slug}/contacts`);
        await visible(page.getByRole("heading", { level: 1, name: "Contacts" }), "the contacts page");
        await page.locator("body").click({ position: { x: 5, y: 5 } });
        await page.keyboard.press("g");
        await page.keyboard.press("l");
        await atPath(page, `/w/${workspace.slug}/leads`);
        await visible(page.getByRole("heading", { level: 1, name: "Leads" }), "the leads page after g l");
        await page.keyboard.press("Shift+?");
        const help = await visible(page.getByRole("dialog", { name: "Keyboard shortcuts" }), "the shortcut list");
        await visible(help.getByText("Go to Leads"), "g l in the list");
        await visible(help.getByText("Go to Inbox"), "g i in the list");
        await snap("shortcut list");
        await checkA11y(page, "the shortcut list", { schemes: LIGHT_AND_DARK });
        await page.keyboard.press("Escape");
        await absent(help, "the closed shortcut list");
        // In a field, "g" then "i" is text.
        await page.goto(`/w/${workspace.slug}/contacts`);
        const search = await visible(
          page
            .getByRole("searchbox")
            .or(page.getByLabel(/Search/))
            .first(),
          "the contacts search box",
        );
        await search.click();
        await page.keyboard.type("gi");
        await page.waitForTimeout(300);
        await atPath(page, `/w/${workspace.slug}/contacts`);
        assert(
          (await search.inputValue()) === "gi",
          `the search box should hold what was typed, got "${await search.inputValue()}"`,
        );
      },
    },
    {
      name: "the sidebar collapses to icons and stays collapsed after a reload; the counts show numbers",
      run: async (page, snap) => {
        await page.goto(`/w/${workspace.slug}/leads`);
        const unassigned = await visible(page.getByTestId("count-unassigned"), "the unassigned-conversations count");
        const review = await visible(page.getByTestId("count-review"), "the review count");
        for (const [count, what] of [
          [unassigned, "unassigned"],
          [review, "review"],
        ] as const) {
          const text = (await count.textContent())?.trim() ?? "";
          assert(/^\d+\+?$/.test(text), `the ${what} count should be a number, got "${text}"`);
        }
        // The link keeps the section's name; the count is its description ("2 unassigned").
        const inbox = await visible(
          page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Inbox", exact: true }),
          "the Inbox link named without its count",
        );
        const described = await page
          .locator(`#${(await inbox.getAttribute("aria-describedby")) ?? "none"}`)
          .textContent();
        assert(
          /^\d+ unassigned$/.test(described ?? ""),
          `the Inbox link should be described by its count, got "${described ?? "nothing"}"`,
        );
        const toggle = page.getByTestId("sidebar-toggle");
        assert((await toggle.getAttribute("aria-expanded")) === "true", "the sidebar should start expanded");
        await toggle.click();
        assert(
          (await toggle.getAttribute("aria-expanded")) === "false",
          "the toggle should say the sidebar is collapsed",
        );
        await page.reload();
        await visible(page.getByRole("heading", { level: 1, name: "Leads" }), "the leads page after the reload");
        assert(
          (await page.getByTestId("sidebar-toggle").getAttribute("aria-expanded")) === "false",
          "the sidebar should still be collapsed after a reload",
        );
        const nav = await page.getByRole("navigation", { name: "Workspace" }).boundingBox();
        assert(nav !== null && nav.width < 80, `the collapsed sidebar should be narrow, it is ${nav?.width} px`);
        // The labels are still the links' names (hidden visually, read out).
        await visible(
          page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Contacts", exact: true }),
          "the Contacts link by name",
        );
        await snap("sidebar collapsed");
        await checkA11y(page, "the collapsed sidebar", { schemes: LIGHT_AND_DARK });
        await page.getByTestId("sidebar-toggle").click();
        assert(
          (await page.getByTestId("sidebar-toggle").getAttribute("aria-expanded")) === "true",
          "the sidebar should expand again",
        );
      },
    },
    {
      name: "the user menu has the account pages, the theme and sign out",
      run: async (page, snap) => {
        await page.getByTestId("user-menu").click();
        const menu = await visible(page.getByRole("dialog", { name: owner.name }), "the user menu");
        await visible(menu.getByRole("link", { name: "Account and security" }), "the account link");
        await visible(menu.getByRole("link", { name: "Sessions" }), "the sessions link");
        await visible(menu.getByRole("button", { name: "Sign out" }), "sign out");
        await snap("user menu");
        await checkA11y(page, "the user menu", { schemes: LIGHT_AND_DARK });
        await menu.getByRole("link", { name: "Sessions" }).click();
        await atPath(page, "/account/sessions");
        await visible(page.getByRole("heading", { level: 1, name: "Your sessions" }), "the sessions page");
      },
    },
    {
      name: "at 390 px the navigation stays behind the Menu button and the palette fits",
      run: async (page, snap) => {
        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto(`/w/${workspace.slug}/leads`);
        await visible(page.getByRole("heading", { level: 1, name: "Leads" }), "the leads page at 390 px");
        const contacts = page
          .getByRole("navigation", { name: "Workspace" })
          .getByRole("link", { name: "Contacts", exact: true });
        assert(!(await contacts.isVisible()), "at 390 px the navigation should be folded behind the Menu button");
        assert(!(await page.getByTestId("sidebar-toggle").isVisible()), "at 390 px there is no collapse toggle");
        await page.getByRole("button", { name: "Menu" }).click();
        await visible(contacts, "the navigation in the opened menu");
        await visible(page.getByTestId("count-unassigned"), "the count in the opened menu");
        await snap("menu open at 390 px");
        await page.getByRole("button", { name: "Menu" }).click();
        const dialog = await openPalette(page);
        await dialog.getByRole("combobox").fill(lead.name.split(" ")[1]!);
        await visible(dialog.getByTestId("palette-hit").first(), "a hit at 390 px");
        const box = await dialog.boundingBox();
        assert(
          box !== null && box.x >= 0 && box.x + box.width <= 390,
          `the palette should fit 390 px, got ${JSON.stringify(box)}`,
        );
        const { scrollWidth } = await horizontalOverflow(page);
        assert(
          scrollWidth <= 390,
          `the page should not scroll sideways at 390 px with the palette open (${scrollWidth} px)`,
        );
        await snap("palette at 390 px");
        await checkA11y(page, "the command palette at 390 px", { schemes: ["dark"] });
        await page.keyboard.press("Escape");
      },
    },
  ],
};
