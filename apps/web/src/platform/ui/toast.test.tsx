/**
 * @jest-environment jsdom
 */
// Toasts (issue 56, item 12: "success toasts not in the warning style"): each variant is drawn
// with its own class and icon — a success green with a check, an error red with an alert sign and
// "Error:" read out first — and the colours behind them in styles.css reach WCAG AA on the
// surface, light and dark; the success styles never borrow the note's warning yellow.
import { act } from "react";

import { describe, expect, it } from "@atrium/test-kit";

import { block, contrast, DARK, LIGHT, resolve } from "../testing/design-tokens.ts";
import { render } from "../testing/dom.tsx";
import { toast, Toaster } from "./toast.tsx";

const shown = () =>
  [...document.querySelectorAll<HTMLElement>(".toast")].filter(
    (element) => element.getAttribute("data-state") !== "closed",
  );

describe("toast variants", () => {
  it("draws a confirmation as a success, with its check icon", async () => {
    await render(<Toaster />);
    act(() => toast("Endpoint deleted."));
    const [item] = shown().slice(-1);
    expect(item?.classList.contains("toast--success")).toBe(true);
    expect(item?.classList.contains("toast--error")).toBe(false);
    // Lucide's circle-check (icon.tsx): the check inside a circle.
    expect(item?.querySelector("svg.toast__icon")?.classList.contains("lucide-circle-check")).toBe(true);
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

// --- The colours: styles.css's tokens, resolved as the browser resolves them. ---
const rule = (selector: string) => block(`${selector} {`);
describe("toast and banner colours", () => {
  it("gives success its own colour, never the note's warning yellow", () => {
    expect(rule(".toast--success")).toContain("var(--color-success)");
    expect(rule(".banner--success")).toContain("var(--color-success-subtle)");
    expect(rule(".banner--success")).not.toContain("--color-warning-subtle");
    expect(rule(".toast--error")).toContain("var(--color-danger)");
  });

  it.each([
    ["light", LIGHT],
    ["dark", DARK],
  ] as const)("reaches AA contrast in %s mode", (_mode, theme) => {
    const get = (name: string) => resolve(theme, name);
    // The icon and the edge on the toast's surface; the banner's text on its background.
    expect(contrast(get("--success"), get("--surface"))).toBeGreaterThanOrEqual(4.5);
    expect(contrast(get("--danger"), get("--surface"))).toBeGreaterThanOrEqual(4.5);
    expect(contrast(get("--text"), get("--success-bg"))).toBeGreaterThanOrEqual(4.5);
  });
});
