/**
 * A table row's actions. Two or more become one "Actions" menu button (Radix DropdownMenu: the
 * trigger has `aria-haspopup="menu"`, the list is a `menu` of `menuitem`s named by the trigger,
 * ↑/↓ move (wrapping), Home/End, Enter or Space picks, typing a letter jumps, Escape closes and returns
 * focus to the trigger); a single action stays a plain button, since a menu of one only adds a
 * click. The trigger's accessible name names the row ("Actions for Ada Lovelace"), so a list of
 * them read out, or found by a test, says which row each belongs to.
 *
 * Focus: an item's handler runs once the menu has closed and focus is back on the trigger (the
 * menu's close-auto-focus), not while the item is still focused. A dialog the handler opens then
 * records the trigger as its opener and returns focus there when it closes; called earlier, the
 * dialog would open over a menu item about to be removed and hand focus back to nothing.
 */
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { Fragment, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { Icon } from "./icon.tsx";

export interface RowAction {
  /** The menu item's text (the button's, when it is the row's only action). */
  readonly label: string;
  readonly onSelect: () => void;
  /** Destructive (remove, delete, cancel…): shown in the danger colour, after a separator. */
  readonly danger?: boolean;
  readonly disabled?: boolean;
}

interface RowActionsProps {
  /** What the row is, for the trigger's name: `Actions for ${name}`. */
  readonly name: string;
  /** The row's actions in menu order; `false`/`null`/`undefined` entries (not allowed here) are left out. */
  readonly actions: readonly (RowAction | false | null | undefined)[];
  /** Shown after the actions in the same cell (e.g. why a row cannot be changed). */
  readonly children?: ReactNode;
}

export function RowActions({ name, actions, children }: RowActionsProps) {
  const { t } = useTranslation("common");
  const shown = actions.filter(
    (action): action is RowAction => action !== false && action !== null && action !== undefined,
  );
  // The item picked, run when the menu has closed (see the file's comment).
  const picked = useRef<RowAction | undefined>(undefined);
  const [only] = shown;

  return (
    <div className="table__actions">
      {shown.length === 1 && only !== undefined && (
        <button
          type="button"
          className={only.danger === true ? "button button--small button--danger" : "button button--small"}
          disabled={only.disabled}
          onClick={only.onSelect}
        >
          {only.label}
        </button>
      )}
      {shown.length > 1 && (
        <DropdownMenu.Root>
          <DropdownMenu.Trigger
            className="button button--small row-actions__trigger"
            aria-label={t("rowActions.label", { name })}
          >
            {t("rowActions.trigger")}
            <Icon name="chevron-down" className="row-actions__chevron" />
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content
              className="menu"
              align="end"
              sideOffset={4}
              collisionPadding={8}
              loop
              onCloseAutoFocus={() => {
                const action = picked.current;
                picked.current = undefined;
                action?.onSelect();
              }}
            >
              {shown.map((action, index) => (
                <Fragment key={action.label}>
                  {action.danger === true && index > 0 && shown[index - 1]?.danger !== true && (
                    <DropdownMenu.Separator className="menu__separator" />
                  )}
                  <DropdownMenu.Item
                    className={action.danger === true ? "menu__item menu__item--danger" : "menu__item"}
                    data-danger={action.danger === true ? "" : undefined}
                    disabled={action.disabled}
                    onSelect={() => {
                      picked.current = action;
                    }}
                  >
                    {action.label}
                  </DropdownMenu.Item>
                </Fragment>
              ))}
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
      )}
      {children}
    </div>
  );
}
