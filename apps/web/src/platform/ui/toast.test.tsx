/**
 * @jest-environment jsdom
 */
// Toasts (issue 56, item 12: "success toasts not in the warning style"): each variant is drawn
// with its own class and icon — a success green with a check, an error red with an alert sign and
// "Error:" read out first — and the colours behind them in styles.css reach WCAG AA on the
// surface, light and dark; the success styles never borrow the note's warning yellow.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "@atrium/test-kit";
import { act } from "react";
import { render } from "../testing/dom.tsx";
import { Toaster, toast } from "./toast.tsx";

const shown = () => [...document.querySelectorAll<HTMLElement>(".toast")].filter((element) => element.getAttribute("data-state") !== "closed");

describe("toast variants", () => {
  it("draws a confirmation as a success, with its check icon", async () => {
    await render(<Toaster />);
    act(() => toast("Endpoint deleted."));
    const [item] = shown().slice(-1);
    expect(item?.classList.contains("toast--success")).toBe(true);
    expect(item?.classList.contains("toast--error")).toBe(false);
    expect(item?.querySelector("svg.toast__icon path")?.getAttribute("d")).toContain("M8 12.5");
    expect(item?.textContent).toContain("Endpoint deleted.");
  });

  it("draws an error as an error, says so to screen readers, and never as a success", async () => {
    await render(<Toaster />);
    act(() => toast("The export failed.", { variant: "error" }));
    const [item] = shown().slice(-1);
    expect(item?.classList.contains("toast--error")).toBe(true);
    expect(item?.classList.contains("toast--success")).toBe(false);
    expect(item?.querySelector(".visually-hidden")?.textContent).toBe("Error: ");
  });
});

// --- The colours: styles.css, read as the browser reads its custom properties. ---
const css = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../styles.css"), "utf8");
const block = (start: string) => {
  const at = css.indexOf(start);
  return css.slice(at, css.indexOf("}", at));
};
const variables = (text: string) => new Map([...text.matchAll(/(--[a-z-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!]));
const light = variables(block(":root {"));
const dark = new Map([...light, ...variables(block("@media (prefers-color-scheme: dark) {\n  :root {"))]);
const rule = (selector: string) => block(`${selector} {`);

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

describe("toast and banner colours", () => {
  it("gives success its own colour, never the note's warning yellow", () => {
    expect(rule(".toast--success")).toContain("var(--success)");
    expect(rule(".banner--success")).toContain("var(--success-bg)");
    expect(rule(".banner--success")).not.toContain("--note-bg");
    expect(rule(".toast--error")).toContain("var(--danger)");
  });

  it.each([
    ["light", light],
    ["dark", dark],
  ] as const)("reaches AA contrast in %s mode", (_mode, theme) => {
    const get = (name: string) => {
      const value = theme.get(name);
      if (value === undefined) throw new Error(`${name} is not defined`);
      return value;
    };
    // The icon and the edge on the toast's surface; the banner's text on its background.
    expect(contrast(get("--success"), get("--surface"))).toBeGreaterThanOrEqual(4.5);
    expect(contrast(get("--danger"), get("--surface"))).toBeGreaterThanOrEqual(4.5);
    expect(contrast(get("--text"), get("--success-bg"))).toBeGreaterThanOrEqual(4.5);
  });
});
