/**
 * Scenario "tables" (issue 48, decision 0043): the data table on the lists that matter most.
 * At 1280 px: leads sort by a column (aria-sort on the header) while every lead is loaded; with
 * more leads than one page (30 more, submitted with an API key), sorting by name asks the server
 * and the order holds across "Load more", both ways (issue 48, decision 0043 addendum); a
 * column hidden from the Columns menu stays hidden after a reload (remembered per list); two
 * leads selected get a new status in one bulk action, kept after a reload; contacts selected
 * get a tag, then are deleted in bulk. At 390 px every table's rows are cards (label: value
 * pairs) and no cell's text breaks inside a word (`brokenWords`, also run by "narrow-pages" on
 * every page). Screenshots at both widths.
 */
import { type Page } from "playwright-core";

import { checkA11y } from "./axe.ts";
import {
  absent,
  assert,
  createWorkspace,
  signUpVerifyAndSignIn,
  visible,
  type Scenario,
  type TestUser,
} from "./helpers.ts";

const stamp = Date.now();
const owner: TestUser = {
  name: "Tabitha Tables",
  email: `e2e-tables-${stamp}@example.test`,
  password: "correct-horse-battery-staple",
};
const workspace = { name: "E2E Tables Team", slug: "e2e-tables-team" };
// Names out of alphabetical order of arrival; long e-mail addresses, as people have.
const leads = [
  {
    name: "Mira Okonkwo-Lindqvist",
    email: `mira.okonkwo-lindqvist.${stamp}@an-unusually-long-domain-name.example.test`,
  },
  { name: "Zeno Abernathy", email: `zeno.${stamp}@example.test` },
  { name: "Alba Featherstonehaugh", email: `alba.featherstonehaugh.${stamp}@example.test` },
] as const;
const contacts = [
  {
    name: "Cornelius Bartholomew Vandersloot",
    email: `cornelius.bartholomew.vandersloot.${stamp}@a-rather-long-domain.example.test`,
  },
  { name: "Dagny Ek", email: `dagny.${stamp}@example.test` },
] as const;

/**
 * Every word of every table cell on the page that the browser broke across lines. A "word" is a
 * run of characters between white space; a break after a hyphen or a dash is an allowed break
 * (the language's own). Each word's text is measured with Range.getClientRects: a word on one
 * line gives rects on one line; a word split across lines gives rects on two. Text in a closed
 * control (a select's options) or hidden from view is skipped. Also reports a cell whose text
 * sticks out past its cell (a long value neither wrapped nor cut).
 */
const BROKEN_WORDS = `(() => {
  const broken = [];
  const cells = Array.from(document.querySelectorAll("table td, table th"));
  for (const cell of cells) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (parent === null || parent.closest("select, option, script, style, .visually-hidden") !== null) continue;
      if (parent.getClientRects().length === 0) continue;
      const text = node.textContent || "";
      const pieces = /[^\\s\\u2010\\u2011\\u2013\\u2014-]+[\\u2010\\u2011\\u2013\\u2014-]*/g;
      for (let match = pieces.exec(text); match !== null; match = pieces.exec(text)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0.5).map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0] + " (" + lines.size + " lines, in " + (cell.getAttribute("data-label") || cell.tagName.toLowerCase()) + ")");
      }
    }
  }
  return broken;
})()`;

/** Words broken across lines inside table cells on the current page (empty: none). */
export async function brokenWords(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(BROKEN_WORDS);
}

/** Whether the tables on the page show their rows as cards (cells not laid out as table cells). */
const CARDS = `Array.from(document.querySelectorAll("table.data-table")).map((t) => { const td = t.querySelector("tbody td"); return td === null ? "empty" : getComputedStyle(td).display; })`;

const leadsTable = (page: Page) => page.getByRole("table", { name: "Leads" });
const leadNames = (page: Page) =>
  page.evaluate<(string | null)[]>(
    `Array.from(document.querySelectorAll('table[aria-label="Leads"] tbody tr')).map((row) => row.getAttribute("data-lead-name"))`,
  );

/** The leads page's rows per page by default (leads-page.tsx: usePageSize("leads", …, 25)). */
const LEADS_PAGE = 25;
/** More leads than one page, arriving out of alphabetical order (distinct first words: every collation agrees). */
const manyLeads = [
  "Quentin",
  "Beatrix",
  "Xavier",
  "Daphne",
  "Kasimir",
  "Oona",
  "Hector",
  "Ulla",
  "Gideon",
  "Wilma",
  "Cyrus",
  "Ingrid",
  "Petra",
  "Felix",
  "Yusuf",
  "Lorna",
  "Ezra",
  "Tamsin",
  "Nadia",
  "Rufus",
  "Sabine",
  "Jonah",
  "Vera",
  "Magnus",
  "Agnes",
  "Hugo",
  "Iris",
  "Otto",
  "Greta",
  "Dario",
].map((first, i) => ({
  name: `${first} Sortwell`,
  email: `${first.toLowerCase()}.sortwell.${stamp}@example.test`,
  n: i,
}));

/** Waits until the leads table, no longer busy, shows `expected` names in that order. */
async function leadNamesBecome(page: Page, expected: readonly string[], what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const busy = await leadsTable(page).getAttribute("aria-busy");
    const names = await leadNames(page);
    if (busy === null && names.join("|") === expected.join("|")) return;
    if (Date.now() > deadline)
      throw new Error(
        `${what}: expected ${expected.length} leads ${expected.slice(0, 4).join(", ")}…, got ${names.length}: ${names.slice(0, 4).join(", ")}…`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A GraphQL request as the signed-in page makes it (its session cookies, which `page.request` shares, and the CSRF header). */
async function gqlAsPage<T>(page: Page, query: string, variables: Record<string, unknown>): Promise<T> {
  const csrf = (await page.context().cookies()).find((c) => c.name === "atrium_csrf")?.value ?? "";
  const res = await page.request.post("/graphql", {
    headers: { "content-type": "application/json", "x-csrf-token": csrf },
    data: { query, variables },
  });
  const body = (await res.json()) as { data?: unknown; errors?: unknown };
  assert(
    res.ok() && body.data !== undefined && body.data !== null && body.errors === undefined,
    `GraphQL as the page failed: ${res.status()} ${JSON.stringify(body.errors)}`,
  );
  return body.data as T;
}

export const tablesScenario: Scenario = {
  name: "tables",
  actors: ["owner"],
  steps: [
    {
      name: "the owner signs up and fills a workspace: three leads, two contacts, a phone number",
      run: async (page) => {
        await signUpVerifyAndSignIn(page, owner);
        await createWorkspace(page, workspace);
        for (const lead of leads) {
          const res = await page.request.post(`/forms/${workspace.slug}`, {
            data: { ...lead, message: "Please call me back about the spring check-up." },
          });
          assert(res.status() === 201, `the public form answered ${res.status()}`);
        }
        await page.goto(`/w/${workspace.slug}/contacts`);
        for (const contact of contacts) {
          await page.getByRole("button", { name: "Add contact" }).first().click();
          const dialog = await visible(page.getByRole("dialog", { name: "Add a contact" }), "the add-contact dialog");
          await dialog.getByLabel("Name", { exact: true }).fill(contact.name);
          await dialog.getByLabel("E-mail", { exact: true }).fill(contact.email);
          await dialog.getByRole("button", { name: "Add contact" }).click();
          await absent(page.getByRole("dialog", { name: "Add a contact" }), "the closed dialog");
        }
        await page.goto(`/w/${workspace.slug}/phone-numbers`);
        await page.getByRole("button", { name: "Add phone number" }).first().click();
        await page.getByLabel("Number", { exact: true }).fill("+1 555 000 4242");
        await page.getByLabel("Label", { exact: true }).fill("Front desk");
        await page.getByRole("button", { name: "Add number" }).click();
        await visible(page.getByTestId("phone-row"), "the number in the list");
      },
    },
    {
      name: "at 1280 px leads sort by name both ways, newest first otherwise, with aria-sort on the header",
      run: async (page, snap) => {
        await page.goto(`/w/${workspace.slug}/leads`);
        await visible(leadsTable(page).locator("tbody tr"), "the leads");
        assert(
          (await leadNames(page)).join() ===
            [...leads]
              .reverse()
              .map((l) => l.name)
              .join(),
          `leads should come newest first, got ${(await leadNames(page)).join(", ")}`,
        );
        const nameHeader = leadsTable(page).getByRole("columnheader", { name: /^Name/ });
        assert(
          (await nameHeader.getAttribute("aria-sort")) === "none",
          "the Name column should be sortable and unsorted",
        );
        // Name is a column the server sorts (issue 48): the rows come back from the server in that order.
        await nameHeader.getByRole("button").click();
        assert(
          (await nameHeader.getAttribute("aria-sort")) === "ascending",
          "the Name column should say it sorts ascending",
        );
        const sorted = [...leads.map((l) => l.name)].sort((a, b) => a.localeCompare(b));
        await leadNamesBecome(page, sorted, "leads by name");
        await nameHeader.getByRole("button").click();
        assert(
          (await nameHeader.getAttribute("aria-sort")) === "descending",
          "the Name column should say it sorts descending",
        );
        await leadNamesBecome(page, [...sorted].reverse(), "leads by name, descending");
        await snap("leads sorted");
      },
    },
    {
      name: "a column hidden from the Columns menu stays hidden after a reload",
      run: async (page, snap) => {
        await page.getByRole("button", { name: "Columns of Leads" }).click();
        const menu = await visible(page.getByRole("dialog", { name: "Show columns" }), "the Columns menu");
        await menu.getByRole("checkbox", { name: "Source" }).uncheck();
        await snap("columns menu");
        await page.keyboard.press("Escape");
        await absent(leadsTable(page).getByRole("columnheader", { name: "Source" }), "the hidden Source column");
        await page.reload();
        await visible(leadsTable(page).locator("tbody tr"), "the leads after a reload");
        await absent(
          leadsTable(page).getByRole("columnheader", { name: "Source" }),
          "the Source column after a reload",
        );
        await visible(leadsTable(page).getByRole("columnheader", { name: /^Email/ }), "the Email column, still shown");
        // The choice belongs to the leads list only: the contacts table is whole.
        await page.getByRole("button", { name: "Columns of Leads" }).click();
        await page.getByRole("dialog", { name: "Show columns" }).getByRole("checkbox", { name: "Source" }).check();
        await page.keyboard.press("Escape");
        await visible(leadsTable(page).getByRole("columnheader", { name: "Source" }), "the Source column shown again");
      },
    },
    {
      name: "two leads selected get a new status in one bulk action, kept after a reload",
      run: async (page, snap) => {
        const [first, second, third] = leads;
        await leadsTable(page)
          .getByRole("checkbox", { name: `Select ${first.name}` })
          .check();
        await leadsTable(page)
          .getByRole("checkbox", { name: `Select ${second.name}` })
          .check();
        const bar = await visible(page.getByRole("group", { name: "Bulk actions: Leads" }), "the bulk actions bar");
        await visible(bar.getByText("2 selected"), "the selection count");
        await bar.getByLabel("Set status").selectOption({ label: "Qualified" });
        await snap("bulk bar");
        await checkA11y(page, "the leads bulk bar at 1280 px");
        await bar.getByRole("button", { name: "Apply to 2" }).click();
        await visible(page.getByRole("status").filter({ hasText: "Set 2 leads to Qualified." }), "the bulk toast");
        await absent(page.getByRole("group", { name: "Bulk actions: Leads" }), "the bulk bar after the action");
        await page.reload();
        await visible(leadsTable(page).locator("tbody tr"), "the leads after a reload");
        for (const [lead, status] of [
          [first, "QUALIFIED"],
          [second, "QUALIFIED"],
          [third, "NEW"],
        ] as const) {
          const value = await leadsTable(page).getByLabel(`Status of ${lead.name}`).inputValue();
          assert(value === status, `${lead.name} should be ${status} after the bulk change, is ${value}`);
        }
      },
    },
    {
      name: "with more leads than one page, sorting by name asks the server, and the order holds across Load more, both ways",
      run: async (page, snap) => {
        // 30 more leads, submitted with an API key (the public form allows 10 a minute per address).
        const { workspace: ws } = await gqlAsPage<{ workspace: { id: string } }>(
          page,
          `query($slug: String!) { workspace(slug: $slug) { id } }`,
          { slug: workspace.slug },
        );
        const { createApiKey } = await gqlAsPage<{ createApiKey: { secret: string } }>(
          page,
          `mutation($w: ID!) { createApiKey(workspaceId: $w, input: { name: "tables seeding", scopes: ["lead.manage"] }) { secret } }`,
          { w: ws.id },
        );
        const origin = new URL(page.url()).origin;
        for (const lead of manyLeads) {
          const res = await fetch(`${origin}/graphql`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${createApiKey.secret}` },
            body: JSON.stringify({
              query: "mutation Submit($input: SubmitLeadInput!) { submitLead(input: $input) { id } }",
              variables: { input: { name: lead.name, email: lead.email } },
            }),
          });
          assert(res.ok, `submitLead answered ${res.status}`);
        }
        const all = [...leads.map((l) => l.name), ...manyLeads.map((l) => l.name)];
        assert(all.length > LEADS_PAGE, "the list must be longer than one page");
        const byName = [...all].sort((a, b) => a.localeCompare(b, "en"));

        await page.goto(`/w/${workspace.slug}/leads`);
        const newest = [...manyLeads].reverse().map((l) => l.name);
        await leadNamesBecome(page, newest.slice(0, LEADS_PAGE), "the first page, newest first");
        const loadMore = page.getByRole("button", { name: "Load more" });
        await visible(loadMore, "Load more (the list is longer than a page)");
        // Source cannot be sorted by the server: the note says it needs every row.
        await visible(
          page.getByText("Sorting by Source needs every row loaded."),
          "the note on the columns that sort only when loaded",
        );
        const nameHeader = leadsTable(page).getByRole("columnheader", { name: /^Name/ });
        const createdHeader = leadsTable(page).getByRole("columnheader", { name: /^Created/ });
        assert(
          (await createdHeader.getAttribute("aria-sort")) === "descending",
          "the Created column should say newest first",
        );
        assert(
          (await nameHeader.getAttribute("aria-sort")) === "none",
          "the Name column should be sortable on a paged list",
        );

        await nameHeader.getByRole("button").click();
        assert(
          (await nameHeader.getAttribute("aria-sort")) === "ascending",
          "the Name column should say it sorts ascending",
        );
        await leadNamesBecome(page, byName.slice(0, LEADS_PAGE), "the first page by name");
        assert((await createdHeader.getAttribute("aria-sort")) === "none", "the Created column is no longer the order");
        await loadMore.click();
        await leadNamesBecome(page, byName, "every lead by name after Load more");
        await absent(loadMore, "Load more, every lead loaded");
        await snap("leads sorted by name on the server");

        // Descending: a new first page of the other order (the loaded rows are not merely reversed).
        await nameHeader.getByRole("button").click();
        assert(
          (await nameHeader.getAttribute("aria-sort")) === "descending",
          "the Name column should say it sorts descending",
        );
        const descending = [...byName].reverse();
        await leadNamesBecome(page, descending.slice(0, LEADS_PAGE), "the first page by name, descending");
        await page.getByRole("button", { name: "Load more" }).click();
        await leadNamesBecome(page, descending, "every lead by name, descending, after Load more");
        await checkA11y(page, "the leads sorted on the server");
      },
    },
    {
      name: "contacts selected get a tag, then are deleted in bulk",
      run: async (page, snap) => {
        await page.goto(`/w/${workspace.slug}/contacts`);
        const table = page.getByRole("table", { name: "Contacts" });
        for (const contact of contacts) await table.getByRole("checkbox", { name: `Select ${contact.name}` }).check();
        const bar = await visible(page.getByRole("group", { name: "Bulk actions: Contacts" }), "the bulk actions bar");
        await bar.getByLabel("Tag to add").fill("Spring 2026");
        await bar.getByRole("button", { name: "Add tag" }).click();
        await visible(
          page.getByRole("status").filter({ hasText: "Tagged 2 contacts “spring 2026”." }),
          "the tag toast",
        );
        for (const contact of contacts) {
          await visible(
            table.getByRole("row").filter({ hasText: contact.name }).getByText("spring 2026", { exact: true }),
            `the new tag on ${contact.name}`,
          );
        }
        await snap("contacts tagged");
        for (const contact of contacts) await table.getByRole("checkbox", { name: `Select ${contact.name}` }).check();
        await page
          .getByRole("group", { name: "Bulk actions: Contacts" })
          .getByRole("button", { name: "Delete selected" })
          .click();
        const dialog = await visible(
          page.getByRole("dialog", { name: "Delete 2 contacts?" }),
          "the bulk delete confirmation",
        );
        await dialog.getByRole("button", { name: "Delete 2 contacts" }).click();
        await visible(page.getByRole("status").filter({ hasText: "Deleted 2 contacts." }), "the delete toast");
        for (const contact of contacts)
          await absent(table.getByRole("row").filter({ hasText: contact.name }), `${contact.name}, deleted`);
      },
    },
    {
      name: "at 390 px every table's rows are cards and no cell text breaks inside a word; 1280 px screenshots",
      run: async (page, snap) => {
        const pages = ["leads", "contacts", "members", "phone-numbers", "audit-log"];
        const failures: string[] = [];
        for (const width of [390, 1280]) {
          await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
          for (const path of pages) {
            await page.goto(`/w/${workspace.slug}/${path}`);
            await visible(page.locator("table.data-table tbody tr"), `a table row on ${path}`);
            await page.waitForLoadState("networkidle");
            await snap(`${path} at ${width} px`);
            const broken = await brokenWords(page);
            if (broken.length > 0) failures.push(`${path} at ${width} px: ${broken.slice(0, 8).join("; ")}`);
            const layouts: string[] = await page.evaluate<string[]>(CARDS);
            // Wider than 640 px a table may still be a card list where the sidebar leaves the page less.
            if (
              width === 390 &&
              !layouts.every((display) => display === "grid" || display === "block" || display === "empty")
            ) {
              failures.push(`${path} at ${width} px: rows should be cards, cells are ${layouts.join(", ")}`);
            }
            if (width === 1280 && !layouts.every((display) => display === "table-cell" || display === "empty"))
              failures.push(`${path} at ${width} px: should be a table, cells are ${layouts.join(", ")}`);
          }
        }
        assert(failures.length === 0, `tables:\n  ${failures.join("\n  ")}`);
      },
    },
  ],
};
