/**
 * Scenario "narrow-pages" (issue 13): every workspace page and the account pages at 390 px wide
 * (a phone) with data in them — a contact, a draft campaign, a phone number, a webhook endpoint
 * and a lead from the public form with its delivery — must not scroll sideways as a page:
 * `document.documentElement.scrollWidth` ≤ 390. A wide table may scroll inside its own
 * `.table-wrap`. A failure names the outermost elements that stick out past the viewport.
 * There, each page's heading is in the top third of the first screen: the workspace navigation
 * and the top bar's links are folded behind the top bar's "Menu" button (a disclosure: opened by
 * it, closed by a link followed or Escape, focus back on it); at 1280 px there is no button and
 * the navigation shows as a sidebar. The empty phone-numbers page links to the Integrations
 * section of the settings. With the server unreachable, a page says so, offers a retry and keeps
 * a document title.
 */
import { type Page } from "playwright-core";

import { FakeWebhookReceiver } from "@atrium/fakes";

import { checkA11y } from "./axe.ts";
import {
  absent,
  assert,
  atPath,
  chooseRowAction,
  createWorkspace,
  focused,
  settledBox,
  signUpVerifyAndSignIn,
  visible,
  type Scenario,
  type TestUser,
} from "./helpers.ts";
import { brokenWords } from "./tables.ts";

const WIDTH = 390;
const HEIGHT = 844;
/** The top third of a phone's screen: where a page's heading starts, with the navigation folded. */
const HEADING_MAX_TOP = Math.round(HEIGHT / 3);
const stamp = Date.now();
// A long name, as people have: the 1280 px top bar must still be one row (it wrapped before).
const owner: TestUser = {
  name: "Nora Narrowbridge-Vandermeulen Oyelaran-Castellanos",
  email: `e2e-narrow-${stamp}@example.test`,
  password: "correct-horse-battery-staple",
};
const workspace = { name: "E2E Narrow Team", slug: "e2e-narrow-team" };
const receiver = new FakeWebhookReceiver();

/** Stops the local receiver (scenario-test.ts calls it when the worker ends, whatever happened). */
export async function closeNarrowPages(): Promise<void> {
  await receiver.close();
}

/** Workspace pages (path under /w/<slug>/, heading), account pages and the public form (path, heading). */
const PAGES: readonly { path: string; heading: string | RegExp }[] = [
  { path: `/w/${workspace.slug}`, heading: workspace.name },
  { path: `/w/${workspace.slug}/leads`, heading: "Leads" },
  { path: `/w/${workspace.slug}/contacts`, heading: "Contacts" },
  { path: `/w/${workspace.slug}/conversations`, heading: "Inbox" },
  { path: `/w/${workspace.slug}/review`, heading: "Review" },
  { path: `/w/${workspace.slug}/safety`, heading: "Safety rules" },
  { path: `/w/${workspace.slug}/bookings`, heading: "Bookings" },
  { path: `/w/${workspace.slug}/campaigns`, heading: "Campaigns" },
  { path: `/w/${workspace.slug}/analytics`, heading: "Analytics" },
  { path: `/w/${workspace.slug}/phone-numbers`, heading: "Phone numbers" },
  { path: `/w/${workspace.slug}/webhooks`, heading: "Webhooks" },
  { path: `/w/${workspace.slug}/usage`, heading: "Usage and plan" },
  { path: `/w/${workspace.slug}/members`, heading: "Members" },
  { path: `/w/${workspace.slug}/api-keys`, heading: "API keys" },
  { path: `/w/${workspace.slug}/settings`, heading: "Settings" },
  { path: `/w/${workspace.slug}/audit-log`, heading: "Audit log" },
  { path: "/account/sessions", heading: "Your sessions" },
  { path: "/account/security", heading: "Account security" },
  { path: "/", heading: "Your workspaces" },
  // The public form, served by the API itself (not the web app).
  { path: `/forms/${workspace.slug}`, heading: `Contact ${workspace.name}` },
];

// Plain JavaScript run in the page, kept as a string: tsx would wrap named functions written
// here in a `__name` helper that does not exist in the browser.
const MEASURE = `(() => {
  const viewport = document.documentElement.clientWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  const culprits = [];
  if (scrollWidth <= viewport) return { scrollWidth, culprits };
  function describe(el) {
    const cls = typeof el.className === "string" && el.className.trim() !== "" ? "." + el.className.trim().split(/\\s+/).join(".") : "";
    const label = el.getAttribute("aria-label") || el.getAttribute("id") || "";
    return el.tagName.toLowerCase() + cls + (label ? "[" + label + "]" : "");
  }
  // Clipped by a scrolling ancestor that ends inside the viewport. An absolutely positioned box
  // is clipped only by scrolling ancestors from its containing block (positioned ancestor) up.
  function clipped(el) {
    let outOfFlow = ["absolute", "fixed"].includes(getComputedStyle(el).position);
    for (let p = el.parentElement; p !== null && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (outOfFlow && style.position === "static") continue;
      if (style.overflowX !== "visible" && p.getBoundingClientRect().right <= viewport + 0.5) return true;
      outOfFlow = ["absolute", "fixed"].includes(style.position);
    }
    return false;
  }
  const wide = new Set();
  for (const el of Array.from(document.body.querySelectorAll("*"))) {
    if (el.getBoundingClientRect().right > viewport + 0.5 && !clipped(el)) wide.add(el);
  }
  for (const el of wide) {
    if (el.parentElement !== null && wide.has(el.parentElement)) continue;
    culprits.push(describe(el) + " (right edge " + Math.round(el.getBoundingClientRect().right) + " px)");
    if (culprits.length >= 6) break;
  }
  return { scrollWidth, culprits };
})()`;

/**
 * The page's scroll width and, when it is wider than the viewport, the outermost elements whose
 * box ends past the right edge and is not clipped by a scrolling ancestor inside the viewport.
 */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; culprits: string[] }> {
  return page.evaluate<{ scrollWidth: number; culprits: string[] }>(MEASURE);
}

export const narrowPagesScenario: Scenario = {
  name: "narrow-pages",
  actors: ["owner"],
  steps: [
    {
      name: "the owner signs up and fills a workspace with data",
      run: async (page) => {
        await receiver.start();
        await signUpVerifyAndSignIn(page, owner);
        await createWorkspace(page, workspace);
        // A contact with a long e-mail address and several tags.
        await page.goto(`/w/${workspace.slug}/contacts`);
        await page.getByRole("button", { name: "Add contact" }).click();
        await page.getByLabel("Name", { exact: true }).fill("Maximilian Alexander Featherstonehaugh-Cholmondeley");
        await page
          .getByLabel("E-mail", { exact: true })
          .fill(`maximilian.featherstonehaugh.${stamp}@a-rather-long-domain.example.test`);
        await page.getByLabel("Phone", { exact: true }).fill("+44 20 7946 0958");
        await page.getByLabel("Tags", { exact: true }).fill("vip, london, newsletter, wholesale");
        await page
          .getByRole("button", { name: /^(Add|Save|Create)/ })
          .last()
          .click();
        await visible(page.getByTestId("contact-row"), "the contact in the list");
        // A draft campaign with a long message.
        await page.goto(`/w/${workspace.slug}/campaigns`);
        await page.getByRole("button", { name: "Write the first campaign" }).click();
        const form = page.getByRole("form", { name: "New campaign" });
        await form.getByLabel("Name").fill("A spring check-up campaign with a rather long name");
        await form
          .getByLabel("Message")
          .fill(
            "Hi {{firstName}}, spring check-ups are open at https://clinic.example.test/book/spring-check-up-appointments-2026!",
          );
        await form.getByRole("button", { name: "Choose all" }).click();
        await form.getByRole("button", { name: "Save draft" }).click();
        await visible(page.getByTestId("campaign-status").getByText("Draft"), "the draft");
        // A phone number. Before it, the empty page's pointer to the integration cards is a link
        // that lands on the settings' Integrations section (its heading focused, on screen).
        await page.goto(`/w/${workspace.slug}/phone-numbers`);
        await visible(page.getByText("No phone numbers yet"), "the empty phone-numbers page");
        await page.getByRole("link", { name: "Settings → Integrations" }).click();
        await atPath(page, `/w/${workspace.slug}/settings`);
        await focused(page.locator("#settings-integrations-title"), "the Integrations section's heading");
        const integrations = await page.getByRole("heading", { name: "Integrations", exact: true }).boundingBox();
        assert(
          integrations !== null && integrations.y >= 0 && integrations.y < 800,
          `the Integrations heading should be on screen, got ${JSON.stringify(integrations)}`,
        );
        await page.goBack();
        await atPath(page, `/w/${workspace.slug}/phone-numbers`);
        await page.getByRole("button", { name: "Add phone number" }).click();
        await page.getByLabel("Number", { exact: true }).fill("+1 555 000 9999");
        await page.getByLabel("Label", { exact: true }).fill("Sales line with a long label for the narrow test");
        await page.getByRole("button", { name: "Add number" }).click();
        await visible(page.getByTestId("phone-row"), "the number in the list");
        // A webhook endpoint, then a lead from the public form: a delivery, a lead, a conversation.
        await page.goto(`/w/${workspace.slug}/webhooks`);
        await page.getByRole("button", { name: "Add endpoint" }).click();
        await page
          .getByLabel("URL", { exact: true })
          .fill(`${receiver.baseUrl}/a/rather/long/path/for/the/narrow/test/atrium-webhooks`);
        await page.getByRole("button", { name: "Add endpoint" }).last().click();
        await visible(page.getByTestId("webhook-secret"), "the secret");
        await page.getByRole("button", { name: "I have stored the secret" }).click();
        const res = await page.request.post(`/forms/${workspace.slug}`, {
          data: {
            name: "Narrow Lead",
            email: `narrow-lead-${stamp}@example.test`,
            message: "A message long enough to wrap on a phone screen, twice over.",
          },
        });
        assert(res.status() === 201, `form answered ${res.status()}`);
        await visible(page.getByTestId("webhook-delivery").filter({ hasText: "SUCCEEDED" }), "the delivery");
      },
    },
    {
      name: `no page scrolls sideways at ${WIDTH} px`,
      run: async (page, snap) => {
        await page.setViewportSize({ width: WIDTH, height: HEIGHT });
        const failures: string[] = [];
        for (const { path, heading } of PAGES) {
          await page.goto(path);
          await atPath(page, path);
          const h1 = await visible(
            page.getByRole("heading", { level: 1, name: heading, exact: typeof heading === "string" }),
            `the heading of ${path}`,
          );
          await page.waitForLoadState("networkidle");
          // Nothing folded away above it (the navigation, the top bar's links): the page starts on the first screen.
          const top = (await h1.boundingBox())?.y ?? Infinity;
          if (top > HEADING_MAX_TOP)
            failures.push(
              `${path}: the heading starts at ${Math.round(top)} px, below the top third (${HEADING_MAX_TOP} px)`,
            );
          const { scrollWidth, culprits } = await horizontalOverflow(page);
          await snap(path.replaceAll("/", " ").trim() || "home");
          await checkA11y(page, `${path} at ${WIDTH} px`, { schemes: ["dark"] });
          if (scrollWidth > WIDTH) failures.push(`${path}: scrollWidth ${scrollWidth} px — ${culprits.join(", ")}`);
          // No table cell's text broken inside a word (tables.ts).
          const broken = await brokenWords(page);
          if (broken.length > 0) failures.push(`${path}: words broken across lines: ${broken.slice(0, 6).join("; ")}`);
        }
        // On a phone the settings index is a disclosure above the sections; a link closes it and lands on the section.
        await page.goto(`/w/${workspace.slug}/settings`);
        const index = page.getByRole("navigation", { name: "Settings sections" });
        await index.getByText("Jump to a section").click();
        await checkA11y(page, `the settings index open at ${WIDTH} px`, { schemes: ["light"] });
        await index.getByRole("link", { name: "Data retention" }).click();
        await focused(page.locator("#settings-retention-title"), "the Data retention section's heading");
        assert(
          !(await index.getByRole("link", { name: "Data retention" }).isVisible()),
          "the index should close after a jump",
        );
        // The detail page of the form's lead. (No conversation: the workspace has no WhatsApp card.)
        for (const [list, what] of [["leads", "lead"]] as const) {
          await page.goto(`/w/${workspace.slug}/${list}`);
          await page
            .getByRole("link", { name: /Narrow Lead/ })
            .first()
            .click();
          await page.waitForURL((url) => url.pathname.startsWith(`/w/${workspace.slug}/${list}/`));
          await visible(page.getByRole("heading", { name: /Narrow Lead/ }), `the ${what} page`);
          await page.waitForLoadState("networkidle");
          const { scrollWidth, culprits } = await horizontalOverflow(page);
          await snap(`${what} detail`);
          await checkA11y(page, `the ${what} detail at ${WIDTH} px`, { schemes: ["dark"] });
          if (scrollWidth > WIDTH)
            failures.push(`${what} detail: scrollWidth ${scrollWidth} px — ${culprits.join(", ")}`);
        }
        assert(failures.length === 0, `pages wider than ${WIDTH} px:\n  ${failures.join("\n  ")}`);
      },
    },
    {
      name: "the members table: rows stack where the page beside the sidebar is narrow (700 px), a table at 1280 px; a role stays one line",
      run: async (page, snap) => {
        // The owner's row lists every policy: the crowded table once squeezed "Owner" to "Own/er",
        // and at 700 px (the page ~460 px beside the sidebar) names to a few letters a line.
        const LINES = `[...document.querySelectorAll("td.table__cell--word")].map((td) => { const r = document.createRange(); r.selectNodeContents(td.querySelector(".data-table__value") ?? td); return td.textContent + ":" + new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size; })`;
        // Stacked: the cells are not table cells (the data table's cards lay each out as a label: value grid).
        const STACKED = `getComputedStyle(document.querySelector("table.table--stack td")).display !== "table-cell"`;
        for (const [width, stacked] of [
          [1280, false],
          [700, true],
        ] as const) {
          await page.setViewportSize({ width, height: 900 });
          await page.goto(`/w/${workspace.slug}/members`);
          await visible(page.getByTestId("member-row"), "the owner's row");
          await page.waitForLoadState("networkidle");
          const cells = await page.evaluate<string[]>(LINES);
          await snap(`members at ${width} px`);
          assert(cells.length > 0, `the members table at ${width} px should have a role cell`);
          assert(
            cells.every((c) => c.endsWith(":1")),
            `role cells at ${width} px should be one line each (text:lines): ${cells.join(", ")}`,
          );
          assert(
            (await page.evaluate<boolean>(STACKED)) === stacked,
            `at ${width} px the members table should ${stacked ? "stack its rows" : "be a table"}`,
          );
        }
      },
    },
    {
      name: "when the server cannot be reached, a page says so with a retry and keeps a document title, at 1280 and 390 px",
      run: async (page, snap) => {
        // Every GraphQL request fails as a dropped connection would; the session cannot load.
        await page.route("**/graphql", (route) => route.abort());
        try {
          for (const width of [1280, WIDTH]) {
            await page.setViewportSize({ width, height: 844 });
            await page.goto(`/w/${workspace.slug}/members`);
            await visible(
              page.getByRole("heading", { level: 1, name: "Can't load this page" }),
              `the connection error's heading at ${width} px`,
            );
            await visible(
              page.getByRole("alert").getByText("We couldn't reach the server"),
              `the connection error at ${width} px`,
            );
            await visible(page.getByRole("button", { name: "Try again" }), `the retry at ${width} px`);
            assert(
              (await page.title()) === "Connection problem · Atrium",
              `the error page's title at ${width} px: "${await page.title()}"`,
            );
            await snap(`unreachable at ${width} px`);
          }
        } finally {
          await page.unroute("**/graphql");
        }
        // Back once the server answers: the retry loads the page.
        await page.getByRole("button", { name: "Try again" }).click();
        await visible(page.getByRole("heading", { level: 1, name: "Members" }), "the members page after the retry");
      },
    },
    {
      name: `at ${WIDTH} px the navigation folds behind the Menu button; at 1280 px it is a sidebar`,
      run: async (page, snap) => {
        await page.setViewportSize({ width: WIDTH, height: HEIGHT });
        await page.goto(`/w/${workspace.slug}/leads`);
        const heading = await visible(page.getByRole("heading", { level: 1, name: "Leads" }), "the leads heading");
        const menu = await visible(page.getByRole("button", { name: "Menu" }), "the Menu button");
        const contacts = page
          .getByRole("navigation", { name: "Workspace" })
          .getByRole("link", { name: "Contacts", exact: true });
        const expanded = async () => menu.getAttribute("aria-expanded");
        const focusedIsMenu = () =>
          page.evaluate<boolean>('document.activeElement?.classList.contains("nav-menu__button") === true');
        // Folded: the heading on the first screen, no navigation link shown.
        assert((await expanded()) === "false", "the menu should start closed");
        const controls = (await menu.getAttribute("aria-controls"))?.split(" ") ?? [];
        assert(
          controls.includes("workspace-nav"),
          `the Menu button should control the workspace navigation, got aria-controls=${controls.join(" ")}`,
        );
        const top = (await heading.boundingBox())?.y ?? Infinity;
        assert(
          top < HEADING_MAX_TOP,
          `the heading should start in the top third of the screen, at ${Math.round(top)} px`,
        );
        assert(!(await contacts.isVisible()), "the workspace navigation should be folded");
        assert(
          !(await page.getByTestId("user-menu").isVisible()),
          "the top bar's user menu should be folded into the menu",
        );
        // Open: the links, the current page marked, the top bar's own links too.
        await menu.click();
        assert((await expanded()) === "true", "the Menu button should say it is expanded");
        await visible(contacts, "the Contacts link in the opened menu");
        const current = page
          .getByRole("navigation", { name: "Workspace" })
          .getByRole("link", { name: "Leads", exact: true });
        assert(
          (await current.getAttribute("aria-current")) === "page",
          "the current page's link should be aria-current=page",
        );
        await visible(page.getByTestId("user-menu"), "the user menu (with Sign out) in the opened menu");
        await snap("menu open");
        await checkA11y(page, `the menu open at ${WIDTH} px`, { schemes: ["light", "dark"] });
        // A link followed: the page changes and the menu folds; focus is not lost with the link but
        // goes on to the new page's heading, where a reader of the new page starts.
        await contacts.click();
        await atPath(page, `/w/${workspace.slug}/contacts`);
        await visible(page.getByRole("heading", { level: 1, name: "Contacts" }), "the contacts page");
        assert((await expanded()) === "false", "following a link should close the menu");
        assert(!(await contacts.isVisible()), "the navigation should be folded after following a link");
        const onHeading = await focused(
          page.getByRole("heading", { level: 1, name: "Contacts", exact: true }),
          "the Contacts heading",
        ).then(
          () => true,
          () => false,
        );
        assert(
          onHeading,
          `focus should move to the Contacts heading after following a link, it is on ${await page.evaluate<string>('document.activeElement?.outerHTML.slice(0, 120) ?? "nothing"')}`,
        );
        // The current page's own link: the route does not change, focus stays on the Menu button.
        await menu.click();
        await page
          .getByRole("navigation", { name: "Workspace" })
          .getByRole("link", { name: "Contacts", exact: true })
          .click();
        assert((await expanded()) === "false", "following the current page's link should close the menu");
        assert(await focusedIsMenu(), "focus should be on the Menu button after following the current page's link");
        // Escape closes it, from the button and from a link inside it; focus returns to the button.
        await menu.click();
        await visible(contacts, "the reopened menu");
        await page.keyboard.press("Escape");
        assert((await expanded()) === "false", "Escape should close the menu");
        assert(!(await contacts.isVisible()), "the navigation should be folded after Escape");
        assert(await focusedIsMenu(), "focus should stay on the Menu button after Escape");
        await menu.click();
        await contacts.focus();
        await page.keyboard.press("Escape");
        assert((await expanded()) === "false", "Escape in the navigation should close the menu");
        assert(await focusedIsMenu(), "Escape in the navigation should return focus to the Menu button");
        // Wide: no button, the navigation and the top bar's links shown as a sidebar and a row.
        await page.setViewportSize({ width: 1280, height: 800 });
        await page.goto(`/w/${workspace.slug}/leads`);
        await visible(page.getByRole("heading", { level: 1, name: "Leads" }), "the leads heading at 1280 px");
        await visible(contacts, "the workspace navigation at 1280 px");
        assert(!(await menu.isVisible()), "there should be no Menu button at 1280 px");
        const signOut = await visible(page.getByTestId("user-menu"), "the user menu in the top bar at 1280 px");
        // One row: the long user name (the user menu) is cut, not pushing the bar onto a second line.
        const brand = await page.getByRole("link", { name: "Atrium", exact: true }).boundingBox();
        const signOutBox = await signOut.boundingBox();
        assert(
          brand !== null &&
            signOutBox !== null &&
            Math.abs(brand.y + brand.height / 2 - (signOutBox.y + signOutBox.height / 2)) < 8,
          `at 1280 px the user menu should be on the top bar's one row, beside the brand (brand at y ${brand?.y}, the menu at y ${signOutBox?.y})`,
        );
        const userLink = page.getByRole("banner").getByTestId("user-menu");
        assert(
          await page.evaluate<boolean>(
            '(() => { const el = document.querySelector("header .topbar__user"); return el !== null && el.scrollWidth > el.clientWidth; })()',
          ),
          "the long user name should be cut with an ellipsis at 1280 px",
        );
        assert(
          (await userLink.getAttribute("title"))?.startsWith(owner.name) === true,
          "the cut user name should be whole in its title",
        );
        const sidebar = await page.getByRole("navigation", { name: "Workspace" }).boundingBox();
        const main = await page.getByRole("heading", { level: 1, name: "Leads" }).boundingBox();
        assert(
          sidebar !== null && main !== null && sidebar.x + sidebar.width <= main.x,
          "at 1280 px the navigation should be a sidebar left of the page",
        );
        await checkA11y(page, "the workspace navigation at 1280 px", { once: true });
        // A tablet (700 px, between the phone's 40rem and 48rem): no Menu button, and the
        // navigation stays a sidebar beside the page rather than a long list above it.
        await page.setViewportSize({ width: 700, height: 900 });
        await visible(contacts, "the workspace navigation at 700 px");
        assert(!(await menu.isVisible()), "there should be no Menu button at 700 px");
        const tabletNav = await page.getByRole("navigation", { name: "Workspace" }).boundingBox();
        const tabletHeading = await page.getByRole("heading", { level: 1, name: "Leads" }).boundingBox();
        assert(
          tabletNav !== null && tabletHeading !== null && tabletNav.x + tabletNav.width <= tabletHeading.x,
          `at 700 px the navigation should be a sidebar left of the page (nav ends at x ${tabletNav ? tabletNav.x + tabletNav.width : "?"}, heading at x ${tabletHeading?.x})`,
        );
        assert(
          tabletHeading.y < HEADING_MAX_TOP,
          `at 700 px the heading should be near the top, at ${Math.round(tabletHeading.y)} px`,
        );
      },
    },
    {
      name: `at ${WIDTH} px a toast leaves the bottom of the screen and the row's actions free`,
      run: async (page, snap) => {
        await page.setViewportSize({ width: WIDTH, height: HEIGHT });
        await page.goto(`/w/${workspace.slug}/phone-numbers`);
        const row = await visible(page.getByTestId("phone-row"), "the number in the list");
        const actions = await chooseRowAction(page, row, /^Actions for \+/, "Edit");
        await page.getByRole("dialog").getByRole("button", { name: "Save", exact: true }).click();
        const toast = await visible(
          page.getByRole("status").filter({ hasText: /^Saved Sales line/ }),
          "the saved toast",
        );
        const box = await settledBox(toast);
        assert(
          box !== null && box.x >= 0 && box.x + box.width <= WIDTH,
          `the toast should fit a ${WIDTH} px screen, got ${JSON.stringify(box)}`,
        );
        // Where the end of the page is (the last row's buttons, a form's submit), no toast: the
        // element at the bottom of the screen is the page's own.
        const bottom = await page.evaluate<string>(`(() => {
          const el = document.elementFromPoint(${WIDTH / 2}, window.innerHeight - 24);
          return el === null ? "nothing" : el.closest(".toast-viewport") !== null ? "the toast" : "the page";
        })()`);
        assert(bottom === "the page", `the bottom of the screen should show the page, not ${bottom}`);
        // The row's menu button takes a click while the toast is up (nothing covers it).
        await actions.click({ trial: true, timeout: 5_000 });
        // A pointer over the toast holds it (6 s otherwise) while it is checked and dismissed.
        await toast.hover();
        await snap("toast");
        await checkA11y(page, `a toast at ${WIDTH} px`, { schemes: ["light", "dark"] });
        await page.getByRole("button", { name: "Dismiss" }).click();
        await absent(page.getByRole("status").filter({ hasText: /^Saved Sales line/ }), "the dismissed toast");
      },
    },
  ],
};
