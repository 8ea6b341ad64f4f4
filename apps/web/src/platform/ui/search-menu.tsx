/**
 * A button that opens a searchable list (Radix Popover + the ARIA combobox pattern): typing
 * filters, ↑/↓ move, Enter picks, Escape closes and returns focus to the button. The item the
 * page is on is marked; an optional footer (e.g. "Create workspace") sits under the list.
 */
import * as Popover from "@radix-ui/react-popover";
import { useId, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { Icon } from "./icon.tsx";

export interface SearchMenuItem {
  readonly id: string;
  readonly label: string;
  /** Secondary text after the label (e.g. a slug), searched too. */
  readonly hint?: string;
}

interface SearchMenuProps {
  /** The button's accessible name. */
  readonly label: string;
  /** The open menu's and its list's accessible name. */
  readonly listLabel: string;
  /** What the button shows. */
  readonly value: ReactNode;
  readonly items: readonly SearchMenuItem[];
  readonly currentId?: string | undefined;
  readonly onSelect: (id: string) => void;
  readonly searchLabel: string;
  readonly emptyText: string;
  /** Rendered under the list; `close` shuts the menu (call it before navigating). */
  readonly footer?: (close: () => void) => ReactNode;
  readonly triggerProps?: { readonly [data: `data-${string}`]: string };
}

export function SearchMenu({
  label,
  listLabel,
  value,
  items,
  currentId,
  onSelect,
  searchLabel,
  emptyText,
  footer,
  triggerProps,
}: SearchMenuProps) {
  const { t } = useTranslation("common");
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const listId = useId();
  const needle = query.trim().toLowerCase();
  const shown =
    needle === "" ? items : items.filter((item) => `${item.label} ${item.hint ?? ""}`.toLowerCase().includes(needle));
  const activeIndex = Math.min(active, shown.length - 1);
  const optionId = (index: number) => `${listId}-${index}`;

  const openChange = (next: boolean) => {
    setOpen(next);
    setQuery("");
    // Start on the current item, so Enter right away keeps you where you are.
    setActive(
      Math.max(
        0,
        items.findIndex((item) => item.id === currentId),
      ),
    );
  };
  const pick = (item: SearchMenuItem | undefined) => {
    if (item === undefined) return;
    openChange(false);
    onSelect(item.id);
  };

  return (
    <Popover.Root open={open} onOpenChange={openChange}>
      <Popover.Trigger className="search-menu__trigger" aria-label={label} {...triggerProps}>
        {/* Cut with an ellipsis when long: the whole name on hover. */}
        <span className="search-menu__value" title={typeof value === "string" ? value : undefined}>
          {value}
        </span>
        <Icon name="chevron-down" className="search-menu__chevron" />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          className="search-menu"
          aria-label={listLabel}
          align="start"
          sideOffset={6}
          collisionPadding={8}
        >
          <input
            className="search-menu__input"
            type="text"
            role="combobox"
            aria-label={searchLabel}
            aria-expanded="true"
            // An empty listbox is invalid ARIA: the list is not rendered when nothing matches.
            aria-controls={shown.length > 0 ? listId : undefined}
            aria-autocomplete="list"
            aria-activedescendant={activeIndex >= 0 ? optionId(activeIndex) : undefined}
            placeholder={searchLabel}
            autoComplete="off"
            spellCheck={false}
            value={query}
            onChange={(event) => {
              setQuery(event.target.value);
              setActive(0);
            }}
            onKeyDown={(event) => {
              if (event.key === "ArrowDown" || event.key === "ArrowUp") {
                event.preventDefault();
                if (shown.length === 0) return;
                const step = event.key === "ArrowDown" ? 1 : -1;
                setActive((activeIndex + step + shown.length) % shown.length);
              } else if (event.key === "Home" || event.key === "End") {
                event.preventDefault();
                setActive(event.key === "Home" ? 0 : shown.length - 1);
              } else if (event.key === "Enter") {
                event.preventDefault();
                pick(shown[activeIndex]);
              }
            }}
          />
          {shown.length > 0 && (
            <ul className="search-menu__list" role="listbox" id={listId} aria-label={listLabel}>
              {shown.map((item, index) => (
                <li
                  key={item.id}
                  id={optionId(index)}
                  role="option"
                  aria-selected={index === activeIndex}
                  className={
                    index === activeIndex ? "search-menu__option search-menu__option--active" : "search-menu__option"
                  }
                  onMouseMove={() => setActive(index)}
                  // Keep focus in the input: the list is driven from there.
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => pick(item)}
                >
                  <span className="search-menu__check" aria-hidden="true">
                    {item.id === currentId && <Icon name="tick" />}
                  </span>
                  <span className="search-menu__label">
                    {item.label}
                    {item.hint !== undefined && <span className="search-menu__hint"> ({item.hint})</span>}
                    {item.id === currentId && <span className="visually-hidden">{t("searchMenu.current")}</span>}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {shown.length === 0 && (
            <p className="search-menu__empty" role="status">
              {emptyText}
            </p>
          )}
          {footer !== undefined && <div className="search-menu__footer">{footer(() => openChange(false))}</div>}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
