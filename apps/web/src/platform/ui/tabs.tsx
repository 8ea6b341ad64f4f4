/**
 * Tabs (the ARIA tabs pattern): a `tablist` of `tab` buttons, one selected, each controlling the
 * panel `panelId` (the caller renders it with `tabPanelProps`). One tab stop: ←/→ (and Home/End)
 * move between tabs and select the one reached (automatic activation), Tab leaves for the panel.
 */
import { type KeyboardEvent, type ReactNode } from "react";

export interface TabItem<T extends string> {
  readonly value: T;
  readonly label: ReactNode;
}

interface TabsProps<T extends string> {
  /** The tab list's accessible name (e.g. "Conversations to show"). */
  readonly label: string;
  readonly items: readonly TabItem<T>[];
  readonly value: T;
  readonly onValueChange: (value: T) => void;
  /** The id of the panel every tab controls (one panel whose content follows the selection). */
  readonly panelId: string;
  readonly className?: string;
}

export const tabId = (panelId: string, value: string): string => `${panelId}-tab-${value}`;

/** Spread on the panel the tabs control. */
export function tabPanelProps(panelId: string, value: string) {
  return { id: panelId, role: "tabpanel", "aria-labelledby": tabId(panelId, value) } as const;
}

export function Tabs<T extends string>({ label, items, value, onValueChange, panelId, className }: TabsProps<T>) {
  const move = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = items.length - 1;
    const next =
      event.key === "ArrowRight"
        ? index === last
          ? 0
          : index + 1
        : event.key === "ArrowLeft"
          ? index === 0
            ? last
            : index - 1
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? last
              : undefined;
    const item = next === undefined ? undefined : items[next];
    if (item === undefined) return;
    event.preventDefault();
    onValueChange(item.value);
    document.getElementById(tabId(panelId, item.value))?.focus();
  };
  return (
    <div role="tablist" aria-label={label} className={["tabs", className].filter(Boolean).join(" ")}>
      {items.map((item, index) => {
        const selected = item.value === value;
        return (
          <button
            key={item.value}
            type="button"
            role="tab"
            id={tabId(panelId, item.value)}
            className="tabs__tab"
            aria-selected={selected}
            aria-controls={panelId}
            tabIndex={selected ? 0 : -1}
            onClick={() => onValueChange(item.value)}
            onKeyDown={(event) => move(event, index)}
          >
            {item.label}
          </button>
        );
      })}
    </div>
  );
}
