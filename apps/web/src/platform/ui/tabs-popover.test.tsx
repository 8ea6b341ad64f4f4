/**
 * @jest-environment jsdom
 */
// The kit's tabs in a DOM: the ARIA tabs pattern (one tab stop, ←/→/Home/End select and focus,
// every tab controls the one panel), and the popover: a named panel from a named button, Escape.
import { act, useState } from "react";

import { describe, expect, it } from "@atrium/test-kit";

import { render, settle } from "../testing/dom.tsx";
import { Popover, tabPanelProps, Tabs } from "./index.ts";

const press = (target: Element, key: string) =>
  act(() => void target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true })));
const tabs = () => [...document.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
const selected = () => tabs().find((tab) => tab.getAttribute("aria-selected") === "true")?.textContent;

function Example() {
  const [value, setValue] = useState<"mine" | "unassigned" | "all">("all");
  return (
    <>
      <Tabs
        label="Conversations to show"
        panelId="panel"
        value={value}
        onValueChange={setValue}
        items={[
          { value: "mine", label: "Mine" },
          { value: "unassigned", label: "Unassigned" },
          { value: "all", label: "All" },
        ]}
      />
      <div {...tabPanelProps("panel", value)}>Showing {value}</div>
    </>
  );
}

describe("Tabs", () => {
  it("is a named tab list with one tab stop, each tab controlling the panel the selected one labels", async () => {
    await render(<Example />);
    expect(document.querySelector('[role="tablist"]')?.getAttribute("aria-label")).toBe("Conversations to show");
    expect(tabs().map((tab) => tab.tabIndex)).toEqual([-1, -1, 0]);
    expect(tabs().every((tab) => tab.getAttribute("aria-controls") === "panel")).toBe(true);
    const panel = document.getElementById("panel");
    expect(panel?.getAttribute("role")).toBe("tabpanel");
    expect(document.getElementById(panel?.getAttribute("aria-labelledby") ?? "")?.textContent).toBe("All");
  });

  it("selects and focuses with the arrow keys (wrapping), Home and End", async () => {
    await render(<Example />);
    const [mine, , all] = tabs();
    all?.focus();
    press(all!, "ArrowRight");
    expect(selected()).toBe("Mine");
    expect(document.activeElement).toBe(mine);
    expect(document.getElementById("panel")?.textContent).toBe("Showing mine");
    press(mine!, "ArrowLeft");
    expect(selected()).toBe("All");
    press(document.activeElement!, "Home");
    expect(selected()).toBe("Mine");
    press(document.activeElement!, "End");
    expect(selected()).toBe("All");
    expect(tabs().map((tab) => tab.tabIndex)).toEqual([-1, -1, 0]);
  });

  it("selects a clicked tab", async () => {
    await render(<Example />);
    act(() => tabs()[1]?.click());
    expect(selected()).toBe("Unassigned");
  });
});

describe("Popover", () => {
  it("opens a panel named by its title from a named button, hands `close` to its content, and closes on Escape", async () => {
    await render(
      <Popover
        label="Notifications, 2 unread"
        trigger="🔔"
        title="Notifications"
        titleAction={<button type="button">Mark all read</button>}
      >
        {(close) => (
          <button type="button" onClick={close}>
            Open it
          </button>
        )}
      </Popover>,
    );
    const trigger = document.querySelector<HTMLButtonElement>('button[aria-label="Notifications, 2 unread"]');
    expect(trigger?.getAttribute("aria-expanded")).toBe("false");
    act(() => trigger?.click());
    const panel = document.querySelector('[role="dialog"]');
    expect(document.getElementById(panel?.getAttribute("aria-labelledby") ?? "")?.textContent).toBe("Notifications");
    expect(trigger?.getAttribute("aria-expanded")).toBe("true");
    press(panel!, "Escape");
    await settle();
    expect(document.querySelector('[role="dialog"]')).toBeNull();

    act(() => trigger?.click());
    const item = [...document.querySelectorAll("button")].find((button) => button.textContent === "Open it");
    act(() => item?.click());
    await settle();
    expect(document.querySelector('[role="dialog"]')).toBeNull();
  });
});
