/**
 * Scenario "spanish" (issue 48, decision 0045): the web app in Spanish. A new user creates a
 * workspace with a lead (the public form), chooses Español in the user menu — the page switches at
 * once — and then visits the main pages: on each `<html lang="es">`, and no visible text equals
 * an English text of the catalog (apps/web/src/i18n/locales/en/*.json) whose Spanish differs
 * (texts under 4 characters and those the same in both languages are skipped). Axe runs on each
 * page in Spanish.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Page } from "playwright-core";

import { checkA11y } from "./axe.ts";
import { assert, createWorkspace, signUpVerifyAndSignIn, visible, type Scenario, type TestUser } from "./helpers.ts";

const user: TestUser = {
  name: "Sofía Spanish",
  email: `e2e-spanish-${Date.now()}@example.test`,
  password: "correct-horse-battery-staple",
};
const workspace = { name: "E2E Español", slug: "e2e-espanol" };
const lead = { name: "Lucía Lead", email: "lucia.lead@example.test" };

type Catalog = { [key: string]: string | Catalog };
const localesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../web/src/i18n/locales");

function leaves(catalog: Catalog, prefix: string, out: Map<string, string>): Map<string, string> {
  for (const [key, value] of Object.entries(catalog)) {
    const full = `${prefix}.${key}`;
    if (typeof value === "string") out.set(full, value);
    else leaves(value, full, out);
  }
  return out;
}

/**
 * The English texts that must not show on a Spanish page: every catalog value whose Spanish
 * differs, at least 4 characters, with placeholders and tags removed (what stays is compared
 * with whole text nodes, trimmed). Maps the text to its key, for the failure message.
 */
function englishOnlyTexts(): Map<string, string> {
  const texts = new Map<string, string>();
  for (const file of readdirSync(path.join(localesDir, "en")).filter((f) => f.endsWith(".json"))) {
    const ns = file.slice(0, -".json".length);
    const en = leaves(JSON.parse(readFileSync(path.join(localesDir, "en", file), "utf8")) as Catalog, ns, new Map());
    const es = leaves(JSON.parse(readFileSync(path.join(localesDir, "es", file), "utf8")) as Catalog, ns, new Map());
    for (const [key, english] of en) {
      if (es.get(key) === english) continue;
      // A value with a placeholder or a tag is never one text node as written: skip it.
      if (/\{\{|<[a-z]/i.test(english)) continue;
      const text = english.trim();
      if (text.length < 4) continue;
      texts.set(text, key);
    }
  }
  return texts;
}

/** The visible text nodes of the page (not in hidden elements, scripts or styles), trimmed. */
// Run in the page (a string: this package has no DOM types).
const VISIBLE_TEXTS = `(() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    const text = (node.textContent || "").trim();
    const parent = node.parentElement;
    if (text === "" || parent === null || parent.closest("script, style, noscript, [hidden], [aria-hidden='true']") !== null) continue;
    const style = getComputedStyle(parent);
    if (style.display === "none" || style.visibility === "hidden" || parent.getClientRects().length === 0) continue;
    out.push(text);
  }
  return out;
})()`;

/** The visible text nodes of the page (not in hidden elements, scripts or styles), trimmed. */
async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(VISIBLE_TEXTS);
}

async function checkSpanish(page: Page, what: string, english: Map<string, string>): Promise<void> {
  await page.waitForLoadState("networkidle");
  const lang = await page.evaluate<string>("document.documentElement.lang");
  assert(lang === "es", `${what}: <html lang> should be "es", got "${lang}"`);
  const found = (await visibleTexts(page)).filter((text) => english.has(text));
  assert(
    found.length === 0,
    `${what} shows English texts in Spanish: ${found.map((text) => `"${text}" (${english.get(text)})`).join(", ")}`,
  );
  await checkA11y(page, `${what} in Spanish`);
}

export function spanishScenario(baseUrl: () => string): Scenario {
  const english = englishOnlyTexts();
  const pages = [
    ["the workspace home", `/w/${workspace.slug}`],
    ["the leads", `/w/${workspace.slug}/leads`],
    ["the contacts", `/w/${workspace.slug}/contacts`],
    ["the inbox", `/w/${workspace.slug}/conversations`],
    ["the campaigns", `/w/${workspace.slug}/campaigns`],
    ["the members", `/w/${workspace.slug}/members`],
    ["the API keys", `/w/${workspace.slug}/api-keys`],
    ["the settings", `/w/${workspace.slug}/settings`],
    ["the account", "/account/security"],
  ] as const;
  return {
    name: "spanish",
    actors: ["owner"],
    steps: [
      {
        name: "a workspace with a lead; Español in the user menu switches the page at once",
        run: async (page, snap) => {
          await signUpVerifyAndSignIn(page, user);
          await createWorkspace(page, workspace);
          const response = await fetch(`${baseUrl()}/forms/${workspace.slug}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(lead),
          });
          assert(response.ok, `the public form should take the lead (HTTP ${response.status})`);
          await page.getByTestId("user-menu").click();
          const picker = await visible(page.getByTestId("language-picker"), "the language choice in the user menu");
          await picker.getByRole("radio", { name: "Español" }).check();
          await visible(
            page.getByTestId("language-picker").getByText("Idioma", { exact: true }),
            "the picker itself in Spanish",
          );
          await visible(page.getByText("Idioma guardado."), "the choice saved on the account");
          await page.keyboard.press("Escape");
          await snap("spanish-user-menu");
        },
      },
      ...pages.map(([what, pathname]) => ({
        name: `${what} in Spanish`,
        run: async (page: Page, snap: (name: string) => Promise<void>) => {
          await page.goto(pathname);
          await checkSpanish(page, what, english);
          await snap(`spanish-${pathname.split("/").pop() ?? "page"}`);
        },
      })),
    ],
  };
}
