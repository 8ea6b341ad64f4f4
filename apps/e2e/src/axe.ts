/**
 * Accessibility checks of the browser test (issue 10): axe-core, through @axe-core/playwright,
 * runs on every page the scenarios visit.
 *
 * `checkA11y(page, label)` analyses the page as it is now (the caller has waited for it to be
 * rendered) and throws an AssertionError — failing the step, and so the scenario — when any
 * violation of impact "serious" or "critical" is found, naming the rule, impact, target selectors
 * and help text. Moderate and minor violations do not fail: every check, with all it found, is
 * written to the scenario's `a11y.json` and `a11y.md` in its artifacts folder.
 *
 * scenario-test.ts also checks the page at the end of every step (`{ once: true }`: only a
 * route, colour scheme and width not checked yet in this worker), and records every route the
 * browser navigates to; a route visited but never checked fails the run (global-setup.ts), so a
 * new page cannot slip past axe.
 * No rule is disabled and nothing is excluded.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import axe, { type Result as AxeViolation } from "axe-core";
import { type Page } from "playwright-core";

import { AssertionError } from "./helpers.ts";

/**
 * axe goes into a document once, here, not on every check: AxeBuilder sends its 550 kB source
 * with each analyze() (twice in legacy mode), which took 1–2.5 s of a check on this machine
 * against ~0.1 s for axe.run itself — and an SPA keeps one document across many checks. So the
 * source AxeBuilder is given only asserts that axe is there.
 */
const AXE_PRESENT = `if (typeof window.axe === "undefined") throw new Error("axe-core is not in this document");`;

async function ensureAxe(page: Page): Promise<void> {
  if (await page.evaluate<boolean>("typeof window.axe === 'object'")) return;
  await page.evaluate(axe.source);
}

export type Scheme = "light" | "dark";
export type Impact = "critical" | "serious" | "moderate" | "minor";

/** Impacts that fail the step; the others are recorded in the artifacts. */
const BLOCKING: ReadonlySet<string> = new Set<Impact>(["critical", "serious"]);
const IMPACTS: readonly Impact[] = ["critical", "serious", "moderate", "minor"];

export interface Finding {
  readonly rule: string;
  readonly impact: Impact;
  readonly help: string;
  readonly helpUrl: string;
  /** One CSS selector path per offending node (frames joined by " >>> "). */
  readonly targets: readonly string[];
  /** What axe says is wrong with the first node (e.g. the contrast it measured). */
  readonly summary: string;
}

export interface A11yCheck {
  readonly label: string;
  readonly url: string;
  readonly route: string;
  readonly scheme: Scheme;
  readonly width: number;
  readonly milliseconds: number;
  readonly findings: readonly Finding[];
}

/** The checks of one scenario, written to its artifacts folder when it ends. */
interface ScenarioLog {
  readonly scenario: string;
  readonly directory: string;
  readonly checks: A11yCheck[];
}

let current: ScenarioLog | undefined;
/** Across this worker's part of the run: every check, and every route the browser was at. */
const allChecks: A11yCheck[] = [];
const visitedRoutes = new Map<string, string>();

/**
 * The page's route with its variable parts named: `/w/acme/leads/3f…` → `/w/:slug/leads/:id`,
 * `/forms/acme` → `/forms/:slug`. Query and hash are dropped.
 */
export function routeOf(url: string): string {
  const { pathname } = new URL(url);
  const parts = pathname.split("/");
  return parts
    .map((part, index) => {
      const before = parts[index - 1];
      if ((before === "w" || before === "forms") && index === 2) return ":slug";
      if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(part)) return ":id";
      return part;
    })
    .join("/");
}

function findingsOf(violations: readonly AxeViolation[]): Finding[] {
  return violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact ?? "minor",
    help: violation.help,
    helpUrl: violation.helpUrl,
    targets: violation.nodes.map((node) =>
      node.target.map((selector) => (Array.isArray(selector) ? selector.join(" >> ") : String(selector))).join(" >>> "),
    ),
    summary: (violation.nodes[0]?.failureSummary ?? "").replace(/\s+/g, " ").trim(),
  }));
}

export function describeFinding(finding: Finding): string {
  const targets =
    finding.targets.slice(0, 8).join(", ") +
    (finding.targets.length > 8 ? `, … (${finding.targets.length} in all)` : "");
  return `${finding.rule} [${finding.impact}] ${finding.help} — ${targets} (${finding.helpUrl})${finding.summary === "" ? "" : ` — first: ${finding.summary}`}`;
}

/**
 * For pages checked in both themes. Each scheme is checked with the device's preference emulated
 * and the app's explicit choice (data-theme) set to it, after asserting that the explicit and the
 * system theme resolve every token alike (decision 0040); the public form follows the preference.
 */
export const LIGHT_AND_DARK: readonly Scheme[] = ["light", "dark"];

export interface CheckOptions {
  /** The colour schemes to analyse under, one after the other; light only by default. */
  readonly schemes?: readonly Scheme[];
  /** Skip a route, colour scheme and width already checked in this run (for shared flows and the after-step check). */
  readonly once?: boolean;
}

function alreadyChecked(route: string, scheme: Scheme, width: number): boolean {
  return allChecks.some((check) => check.route === route && check.scheme === scheme && check.width === width);
}

async function analyse(page: Page, label: string, scheme: Scheme): Promise<A11yCheck> {
  const started = Date.now();
  // Legacy mode runs axe.run in the page itself; the default mode also opens a blank page per
  // check to merge per-frame results, for cross-origin frames, which these pages do not have.
  // Passes are not reported, so not gathered.
  await ensureAxe(page);
  const results = await new AxeBuilder({ page, axeSource: AXE_PRESENT })
    .setLegacyMode(true)
    .options({ resultTypes: ["violations"] })
    .analyze();
  const check: A11yCheck = {
    label,
    url: page.url(),
    route: routeOf(page.url()),
    scheme,
    width: page.viewportSize()?.width ?? 0,
    milliseconds: Date.now() - started,
    findings: findingsOf(results.violations),
  };
  allChecks.push(check);
  current?.checks.push(check);
  return check;
}

// Plain JavaScript run in the page, kept as a string (tsx would wrap a named function in a
// `__name` helper the browser does not have). Infinite animations (skeletons) are left running.
const SETTLE_ANIMATIONS = `Promise.race([
  Promise.all(document.getAnimations().filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity).map((a) => a.finished.catch(() => undefined))),
  new Promise((resolve) => setTimeout(resolve, 2000)),
])`;

/** Waits (at most 2 s) until the page's finite animations — a drawer's slide-in, a toast's fade — have ended. */
export async function settleAnimations(page: Page): Promise<void> {
  await page.evaluate(SETTLE_ANIMATIONS);
}

/**
 * Runs axe on the page as rendered now (in light, or in each of `schemes`) and fails on
 * any serious or critical violation; everything found is kept for the scenario's a11y report.
 */
export async function checkA11y(page: Page, label: string, options: CheckOptions = {}): Promise<void> {
  const blocking: string[] = [];
  // Reduced motion while axe measures: a toast whose timer closes it during the analysis (after
  // the animations were settled) is gone at once instead of fading, which axe measured as a
  // half-transparent 2.81:1 (seen in CI). The styles' own reduced-motion path; nothing excluded.
  await page.emulateMedia({ reducedMotion: "reduce" });
  try {
    await checkSchemes(page, label, options, blocking);
  } finally {
    await page.emulateMedia({ reducedMotion: null });
    // Motion back on re-applies the `no-preference` rules, so an open drawer's slide-in starts
    // again; the caller gets the page settled, as it was (seen in CI: a drawer measured 8 px in).
    await settleAnimations(page);
  }
  if (blocking.length > 0)
    throw new AssertionError(`axe found serious or critical violations on ${blocking.join("\n  ")}`);
}

// The app's theme (decision 0040) is data-theme on <html> ("light" / "dark": the person's choice;
// absent: the system's, through prefers-color-scheme). Plain JavaScript run in the page, kept as
// strings (see SETTLE_ANIMATIONS). THEME_TOKENS reads every custom property the stylesheets set
// for the explicit dark theme, as computed on <html> with data-theme absent (the system path,
// under the emulated scheme) and with data-theme set to the scheme (the explicit path); the two
// must be equal, or the theme a person chose paints differently from the one axe checked.
const THEME_TOKENS = `((scheme) => {
  const root = document.documentElement;
  const before = root.getAttribute("data-theme");
  const names = new Set();
  const visit = (rules) => { for (const rule of rules) {
    if (rule.cssRules) visit(rule.cssRules);
    if (rule.selectorText && rule.selectorText.includes('[data-theme="dark"]') && rule.style) for (const name of rule.style) if (name.startsWith("--")) names.add(name);
  } };
  for (const sheet of document.styleSheets) { try { visit(sheet.cssRules); } catch { /* cross-origin sheet */ } }
  const read = () => Object.fromEntries([...names].map((name) => [name, getComputedStyle(root).getPropertyValue(name).trim()]));
  root.removeAttribute("data-theme");
  const system = read();
  root.setAttribute("data-theme", scheme);
  const chosen = read();
  if (before === null) root.removeAttribute("data-theme"); else root.setAttribute("data-theme", before);
  return Object.keys(system).filter((name) => system[name] !== chosen[name]).map((name) => name + ": " + system[name] + " (system) vs " + chosen[name] + " (chosen)");
})`;
const SET_THEME = `((value) => { const root = document.documentElement; if (value === null) root.removeAttribute("data-theme"); else root.setAttribute("data-theme", value); })`;
const TWO_FRAMES = "new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))";

/**
 * Runs `fn` with the page in `scheme` — the device's preference emulated and the app's explicit
 * choice (data-theme) set to it — then puts both back (for the dark screenshots of scenario-test.ts).
 */
export async function inScheme<T>(page: Page, scheme: Scheme, fn: () => Promise<T>): Promise<T> {
  const stored = await page.evaluate<string | null>(`document.documentElement.getAttribute("data-theme")`);
  await page.emulateMedia({ colorScheme: scheme });
  await page.evaluate(`${SET_THEME}(${JSON.stringify(scheme)})`);
  try {
    await page.evaluate(TWO_FRAMES);
    await settleAnimations(page);
    return await fn();
  } finally {
    await page.evaluate(`${SET_THEME}(${JSON.stringify(stored)})`);
    await page.emulateMedia({ colorScheme: "light" });
  }
}

async function checkSchemes(page: Page, label: string, options: CheckOptions, blocking: string[]): Promise<void> {
  for (const scheme of options.schemes ?? ["light"]) {
    const width = page.viewportSize()?.width ?? 0;
    if (options.once === true && alreadyChecked(routeOf(page.url()), scheme, width)) continue;
    // Both ways of getting the scheme at once: the device's preference (emulated) and the explicit
    // choice (data-theme, as the theme picker sets it) — whatever theme the user has stored.
    const stored = await page.evaluate<string | null>(`document.documentElement.getAttribute("data-theme")`);
    await page.emulateMedia({ colorScheme: scheme });
    try {
      const drift = await page.evaluate<string[]>(`${THEME_TOKENS}(${JSON.stringify(scheme)})`);
      if (drift.length > 0)
        blocking.push(
          `${label} (${routeOf(page.url())}, ${scheme}, ${width} px): the chosen ${scheme} theme differs from the system's:\n    ${drift.join("\n    ")}`,
        );
      await page.evaluate(`${SET_THEME}(${JSON.stringify(scheme)})`);
      // Two frames: whatever reacts to the media query in script (charts, GraphiQL) repaints.
      await page.evaluate(TWO_FRAMES);
      // Colours are measured as painted: let finite animations (a toast fading in or out) end
      // first, or axe measures a half-transparent frame (seen in CI: 4.29:1 mid-fade).
      await settleAnimations(page);
      const check = await analyse(page, label, scheme);
      const serious = check.findings.filter((finding) => BLOCKING.has(finding.impact));
      if (serious.length > 0) {
        blocking.push(
          `${label} (${check.route}, ${scheme}, ${check.width} px):\n    ${serious.map(describeFinding).join("\n    ")}`,
        );
      }
    } finally {
      await page.evaluate(`${SET_THEME}(${JSON.stringify(stored)})`);
      await page.emulateMedia({ colorScheme: "light" });
    }
  }
}

/** Starts collecting the checks of a scenario (scenario-test.ts, before its first step). */
export function beginA11yLog(scenario: string, directory: string): void {
  current = { scenario, directory, checks: [] };
}

/** Remembers where the browser was, to find routes no check covered (scenario-test.ts, on each navigation). */
export function recordVisit(url: string, scenario: string): void {
  if (!/^https?:/.test(url)) return;
  const route = routeOf(url);
  if (!visitedRoutes.has(route)) visitedRoutes.set(route, `${scenario}: ${url}`);
}

function counts(checks: readonly A11yCheck[]): Record<Impact, number> {
  const total: Record<Impact, number> = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  for (const check of checks) for (const finding of check.findings) total[finding.impact] += finding.targets.length;
  return total;
}

const countLine = (total: Record<Impact, number>) => IMPACTS.map((impact) => `${total[impact]} ${impact}`).join(", ");

function markdown(title: string, checks: readonly A11yCheck[]): string {
  const lines = [`# ${title}`, "", `${checks.length} axe checks: ${countLine(counts(checks))} (nodes).`, ""];
  lines.push("| page (label) | route | scheme | width | ms | violations |", "| --- | --- | --- | --- | --- | --- |");
  for (const check of checks) {
    const found =
      check.findings.length === 0
        ? "none"
        : check.findings.map((f) => `${f.rule} (${f.impact}, ${f.targets.length})`).join("; ");
    lines.push(
      `| ${check.label.replaceAll("|", "\\|")} | ${check.route} | ${check.scheme} | ${check.width} | ${check.milliseconds} | ${found} |`,
    );
  }
  const detailed = checks.filter((check) => check.findings.length > 0);
  if (detailed.length > 0) lines.push("", "## Details");
  for (const check of detailed) {
    lines.push("", `### ${check.label} — ${check.route}, ${check.scheme}, ${check.width} px`, "");
    for (const finding of check.findings) lines.push(`- ${describeFinding(finding)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Writes the scenario's a11y.json and a11y.md; returns a one-line summary. */
export async function endA11yLog(): Promise<string> {
  const log = current;
  current = undefined;
  if (log === undefined) return "";
  await writeFile(path.join(log.directory, "a11y.json"), `${JSON.stringify(log.checks, null, 2)}\n`);
  await writeFile(
    path.join(log.directory, "a11y.md"),
    markdown(`Accessibility (axe) — scenario ${log.scenario}`, log.checks),
  );
  const routes = new Set(log.checks.map((check) => check.route)).size;
  return `axe: ${log.checks.length} checks on ${routes} routes: ${countLine(counts(log.checks))}`;
}

/** What this process saw: its checks and the routes its pages were at (route → where first seen). */
export interface A11yRecord {
  readonly checks: readonly A11yCheck[];
  readonly visits: readonly (readonly [string, string])[];
}

/** This worker's checks and visits, for the end of the run (scenario-test.ts, when the worker stops). */
export function a11yRecord(): A11yRecord {
  return { checks: [...allChecks], visits: [...visitedRoutes] };
}

/**
 * Ends the run, over every worker's record: writes artifacts/a11y-all.md (every check) and
 * returns the routes the browser was at that no check covered, each with where it was first seen.
 */
export async function finishA11y(artifacts: string, records: readonly A11yRecord[]): Promise<string[]> {
  const checks = records.flatMap((record) => record.checks);
  const visited = new Map<string, string>();
  for (const record of records)
    for (const [route, where] of record.visits) if (!visited.has(route)) visited.set(route, where);
  await writeFile(path.join(artifacts, "a11y-all.md"), markdown("Accessibility (axe) — the whole run", checks));
  const checked = new Set(checks.map((check) => check.route));
  return [...visited].filter(([route]) => !checked.has(route)).map(([route, where]) => `${route} (${where})`);
}
