/**
 * @jest-environment jsdom
 */
// The kit's own behaviour in a DOM: the DataTable's rows, labels and empty slot; the searchable
// menu's filtering, keyboard and empty state; the dialog's name and Escape; the row-action menu's
// roles, keyboard and focus return; the form's action row; the narrow-screen menu's disclosure.
import { act, useState } from "react";
import { Link, MemoryRouter, Route, Routes } from "react-router";

import { describe, expect, it, jest } from "@atrium/test-kit";

import { button, click, render, settle, type } from "../testing/dom.tsx";
import {
  DataTable,
  Dialog,
  FormActions,
  NavMenuButton,
  NavMenuProvider,
  NavMenuRegion,
  RowActions,
  SearchMenu,
} from "./index.ts";

const press = (target: Element, key: string) =>
  act(() => void target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true })));

interface Person {
  readonly id: string;
  readonly name: string;
}

describe("DataTable", () => {
  const columns = [
    { id: "name", header: "Name", cell: (p: Person) => p.name },
    {
      id: "actions",
      header: "Actions",
      headerHidden: true,
      cell: (p: Person) => <button type="button">Edit {p.name}</button>,
    },
  ];

  it("renders one row per item, named, with row attributes and stacked-layout labels", async () => {
    const view = await render(
      <DataTable
        label="People"
        stack
        columns={columns}
        rows={[
          { id: "1", name: "Ada" },
          { id: "2", name: "Grace" },
        ]}
        rowKey={(p) => p.id}
        rowProps={(p) => ({ "data-name": p.name })}
      />,
    );
    const table = view.querySelector("table");
    expect(table?.getAttribute("aria-label")).toBe("People");
    expect(table?.classList.contains("table--stack")).toBe(true);
    expect([...view.querySelectorAll("tbody tr")].map((tr) => tr.getAttribute("data-name"))).toEqual(["Ada", "Grace"]);
    const [name, actions] = [...view.querySelectorAll("tbody tr:first-child td")];
    expect(name?.getAttribute("data-label")).toBe("Name");
    // A hidden header (actions) gives its cells no label in the stacked layout.
    expect(actions?.hasAttribute("data-label")).toBe(false);
    expect(view.querySelector("thead th:last-child .visually-hidden")?.textContent).toBe("Actions");
  });

  it("shows the empty slot instead of a table when there are no rows", async () => {
    const view = await render(
      <DataTable label="People" columns={columns} rows={[]} rowKey={(p) => p.id} empty={<p>Nobody yet.</p>} />,
    );
    expect(view.querySelector("table")).toBeNull();
    expect(view.textContent).toBe("Nobody yet.");
  });
});

describe("SearchMenu", () => {
  const items = [
    { id: "", label: "All workspaces" },
    { id: "sales", label: "Sales", hint: "sales" },
    { id: "support", label: "Support desk", hint: "support" },
  ];

  async function open(onSelect: (id: string) => void): Promise<HTMLInputElement> {
    await render(
      <SearchMenu
        label="Switch workspace: Sales"
        listLabel="Workspaces"
        value="Sales"
        items={items}
        currentId="sales"
        onSelect={onSelect}
        searchLabel="Find a workspace"
        emptyText="No workspace matches"
      />,
    );
    const trigger = document.querySelector<HTMLButtonElement>('button[aria-label="Switch workspace: Sales"]');
    // Radix opens on pointerdown/click; a click is what a keyboard Enter on a button produces too.
    act(() => trigger?.click());
    const input = document.querySelector<HTMLInputElement>('input[role="combobox"]');
    if (input === null) throw new Error("the menu did not open");
    return input;
  }

  it("starts on the current item, filters as you type, and picks with Enter", async () => {
    const onSelect = jest.fn();
    const input = await open(onSelect);
    const active = () => document.getElementById(input.getAttribute("aria-activedescendant") ?? "")?.textContent;
    expect(active()).toContain("Sales");
    expect(active()).toContain("current");
    await type(input, "desk");
    expect([...document.querySelectorAll('[role="option"]')].map((o) => o.textContent)).toEqual([
      "Support desk (support)",
    ]);
    press(input, "Enter");
    expect(onSelect).toHaveBeenCalledWith("support");
  });

  it("moves with the arrow keys, wrapping around", async () => {
    const onSelect = jest.fn();
    const input = await open(onSelect);
    press(input, "ArrowDown");
    press(input, "ArrowDown");
    press(input, "Enter");
    expect(onSelect).toHaveBeenCalledWith("");
  });

  it("says when nothing matches, without an empty listbox", async () => {
    const input = await open(jest.fn());
    await type(input, "zzz");
    expect(document.querySelector('[role="listbox"]')).toBeNull();
    expect(input.hasAttribute("aria-controls")).toBe(false);
    expect(document.querySelector('[role="status"]')?.textContent).toBe("No workspace matches");
  });
});

describe("Dialog", () => {
  it("is a modal dialog named by its title that closes on Escape", async () => {
    const onClose = jest.fn();
    await render(
      <Dialog title="Invite a member" onClose={onClose}>
        <button type="button">Send</button>
      </Dialog>,
    );
    const dialog = document.querySelector('[role="dialog"]');
    const title = dialog?.getAttribute("aria-labelledby") ?? "";
    expect(document.getElementById(title)?.textContent).toBe("Invite a member");
    if (dialog === null) throw new Error("no dialog");
    press(dialog, "Escape");
    expect(onClose).toHaveBeenCalled();
  });

  // The app's dialogs have no Radix Dialog.Trigger (the parent mounts them), so the kit returns focus itself.
  function Opener({ removeOpener = false }: { removeOpener?: boolean }) {
    const [open, setOpen] = useState(false);
    return (
      <main>
        <h1 tabIndex={-1}>Contacts</h1>
        {!(removeOpener && open) && (
          <button type="button" onClick={() => setOpen(true)}>
            Delete Ada
          </button>
        )}
        {open && (
          <Dialog title="Delete Ada?" onClose={() => setOpen(false)}>
            <button type="button">Delete</button>
          </Dialog>
        )}
      </main>
    );
  }

  async function openAndClose(): Promise<void> {
    const opener = button("Delete Ada");
    act(() => opener.focus());
    await click(opener);
    const dialog = document.querySelector('[role="dialog"]');
    if (dialog === null) throw new Error("no dialog");
    expect(dialog.contains(document.activeElement)).toBe(true);
    press(dialog, "Escape");
    await settle();
  }

  it("returns focus to the button that opened it", async () => {
    await render(<Opener />);
    await openAndClose();
    expect(document.activeElement).toBe(button("Delete Ada"));
  });

  it("moves focus to the page heading when the opener is gone (its row was deleted)", async () => {
    await render(<Opener removeOpener />);
    await openAndClose();
    expect(document.activeElement?.tagName).toBe("H1");
  });
});

describe("RowActions", () => {
  const trigger = () => {
    const found = document.querySelector<HTMLButtonElement>('button[aria-label="Actions for Ada Lovelace"]');
    if (found === null) throw new Error("no menu button for the row");
    return found;
  };
  const menu = () => document.querySelector<HTMLElement>('[role="menu"]');
  const items = () => [...document.querySelectorAll<HTMLElement>('[role="menuitem"]')];
  // Radix opens the menu on a primary-button pointerdown (a mouse or a tap), as a browser sends it.
  const pointerDown = (target: Element) =>
    act(() => void target.dispatchEvent(new MouseEvent("pointerdown", { bubbles: true, cancelable: true, button: 0 })));

  it("is one menu button named after the row; a click opens a menu of the row's actions, the destructive one marked", async () => {
    await render(
      <RowActions
        name="Ada Lovelace"
        actions={[
          { label: "Edit", onSelect: jest.fn() },
          false,
          { label: "Remove", danger: true, onSelect: jest.fn() },
        ]}
      />,
    );
    expect(trigger().getAttribute("aria-haspopup")).toBe("menu");
    expect(trigger().getAttribute("aria-expanded")).toBe("false");
    expect(menu()).toBeNull();
    pointerDown(trigger());
    expect(trigger().getAttribute("aria-expanded")).toBe("true");
    // The menu is named by its button, so it too says which row it acts on.
    expect(menu()?.getAttribute("aria-labelledby")).toBe(trigger().id);
    expect(items().map((item) => item.textContent)).toEqual(["Edit", "Remove"]);
    expect(items().map((item) => item.hasAttribute("data-danger"))).toEqual([false, true]);
    expect(document.querySelectorAll('[role="menu"] [role="separator"]')).toHaveLength(1);
  });

  it("calls the picked item's handler once, after the menu has closed and focus is back on the button", async () => {
    const edit = jest.fn();
    const remove = jest.fn();
    await render(
      <RowActions
        name="Ada Lovelace"
        actions={[
          { label: "Edit", onSelect: edit },
          { label: "Remove", danger: true, onSelect: remove },
        ]}
      />,
    );
    pointerDown(trigger());
    const [, removeItem] = items();
    if (removeItem === undefined) throw new Error("no Remove item");
    act(() => removeItem.click());
    await settle();
    expect(menu()).toBeNull();
    expect(remove).toHaveBeenCalledTimes(1);
    expect(edit).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(trigger());
  });

  it("works from the keyboard: Enter opens on the first item, the arrows move (wrapping), Enter picks, Escape closes", async () => {
    const edit = jest.fn();
    const transfer = jest.fn();
    const remove = jest.fn();
    await render(
      <RowActions
        name="Ada Lovelace"
        actions={[
          { label: "Edit", onSelect: edit },
          { label: "Transfer ownership", onSelect: transfer },
          { label: "Remove", danger: true, onSelect: remove },
        ]}
      />,
    );
    // Keys go to the focused element; the menu moves focus a moment later (as in a browser).
    const key = async (name: string) => {
      press(document.activeElement ?? document.body, name);
      await settle();
    };
    act(() => trigger().focus());
    await key("Enter");
    expect(document.activeElement?.getAttribute("role")).toBe("menuitem");
    expect(document.activeElement?.textContent).toBe("Edit");
    await key("ArrowDown");
    expect(document.activeElement?.textContent).toBe("Transfer ownership");
    await key("ArrowUp");
    await key("ArrowUp");
    expect(document.activeElement?.textContent).toBe("Remove");
    await key("Escape");
    expect(menu()).toBeNull();
    expect(document.activeElement).toBe(trigger());
    expect(remove).not.toHaveBeenCalled();

    await key("ArrowDown");
    expect(document.activeElement?.textContent).toBe("Edit");
    await key("ArrowDown");
    await key("Enter");
    expect(transfer).toHaveBeenCalledTimes(1);
    expect(edit).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(trigger());
  });

  it("returns focus to the menu button when a dialog opened from an item closes", async () => {
    function Row() {
      const [editing, setEditing] = useState(false);
      return (
        <>
          <RowActions
            name="Ada Lovelace"
            actions={[
              { label: "Edit", onSelect: () => setEditing(true) },
              { label: "Remove", danger: true, onSelect: jest.fn() },
            ]}
          />
          {editing && (
            <Dialog title="Edit Ada Lovelace" onClose={() => setEditing(false)}>
              <button type="button">Save</button>
            </Dialog>
          )}
        </>
      );
    }
    await render(<Row />);
    pointerDown(trigger());
    const [editItem] = items();
    act(() => editItem?.click());
    await settle();
    const dialog = document.querySelector('[role="dialog"]');
    if (dialog === null) throw new Error("the dialog did not open");
    expect(dialog.contains(document.activeElement)).toBe(true);
    press(dialog, "Escape");
    await settle();
    expect(document.querySelector('[role="dialog"]')).toBeNull();
    expect(document.activeElement).toBe(trigger());
  });

  it("leaves a single action as a plain button, and leaves out the actions not allowed (false, null, undefined)", async () => {
    const explain = jest.fn();
    await render(
      <RowActions name="Ada Lovelace" actions={[{ label: "What can Ada do?", onSelect: explain }, undefined, null]} />,
    );
    expect(document.querySelector('[aria-haspopup="menu"]')).toBeNull();
    await click(button("What can Ada do?"));
    expect(explain).toHaveBeenCalledTimes(1);
  });
});

describe("FormActions", () => {
  it("submits the form, says it is pending while disabled, and cancels without submitting", async () => {
    const submitted = jest.fn((event: Event) => event.preventDefault());
    const cancelled = jest.fn();
    function Form({ pending }: { pending: boolean }) {
      return (
        <form onSubmit={(event) => submitted(event.nativeEvent)}>
          <FormActions submitLabel="Save changes" pending={pending} pendingLabel="Saving…" onCancel={cancelled} />
        </form>
      );
    }
    const view = await render(<Form pending={false} />);
    expect([...view.querySelectorAll("button")].map((b) => [b.type, b.textContent, b.className])).toEqual([
      ["submit", "Save changes", "button button--primary"],
      ["button", "Cancel", "button"],
    ]);
    await click(button("Cancel"));
    expect(cancelled).toHaveBeenCalledTimes(1);
    expect(submitted).not.toHaveBeenCalled();
    await click(button("Save changes"));
    expect(submitted).toHaveBeenCalledTimes(1);
  });

  it("shows the pending label on a disabled button, and the danger variant for a destructive submit", async () => {
    const view = await render(
      <form>
        <FormActions
          submitLabel="Cancel consultation"
          pending
          pendingLabel="Cancelling…"
          variant="danger"
          onCancel={jest.fn()}
          cancelLabel="Keep it"
        />
      </form>,
    );
    const [submit, cancel] = [...view.querySelectorAll("button")];
    expect(submit?.textContent).toBe("Cancelling…");
    expect(submit?.disabled).toBe(true);
    expect(submit?.className).toBe("button button--danger");
    expect(cancel?.textContent).toBe("Keep it");
    expect(cancel?.disabled).toBe(false);
  });
});

describe("NavMenu", () => {
  async function renderMenu(): Promise<{ menu: HTMLButtonElement; region: HTMLElement }> {
    await render(
      <MemoryRouter initialEntries={["/a"]}>
        <NavMenuProvider>
          <NavMenuButton />
          <NavMenuRegion id="section-nav">
            <nav aria-label="Sections">
              <Link to="/a">A</Link>
              <Link to="/b">B</Link>
            </nav>
          </NavMenuRegion>
          <Routes>
            <Route path="*" element={<p data-testid="at">page</p>} />
          </Routes>
        </NavMenuProvider>
      </MemoryRouter>,
    );
    return { menu: button("Menu"), region: document.getElementById("section-nav")! };
  }
  const link = (name: string) => [...document.querySelectorAll("a")].find((a) => a.textContent === name)!;

  it("is a disclosure: closed at first, aria-expanded and aria-controls follow the region it folds", async () => {
    const { menu, region } = await renderMenu();
    expect(menu.getAttribute("aria-expanded")).toBe("false");
    expect(menu.getAttribute("aria-controls")).toBe("section-nav");
    expect(region.hasAttribute("data-open")).toBe(false);
    await click(menu);
    expect(menu.getAttribute("aria-expanded")).toBe("true");
    expect(region.hasAttribute("data-open")).toBe(true);
    await click(menu);
    expect(menu.getAttribute("aria-expanded")).toBe("false");
  });

  it("closes when a link is followed and gives focus to the button, not the document", async () => {
    const { menu, region } = await renderMenu();
    await click(menu);
    link("B").focus();
    await click(link("B"));
    expect(menu.getAttribute("aria-expanded")).toBe("false");
    expect(region.hasAttribute("data-open")).toBe(false);
    expect(document.activeElement).toBe(menu);
    // The current page's link closes it too (the route does not change).
    await click(menu);
    await click(link("B"));
    expect(menu.getAttribute("aria-expanded")).toBe("false");
  });

  it("closes on Escape from inside the region or on the button, returning focus to the button", async () => {
    const { menu } = await renderMenu();
    await click(menu);
    link("A").focus();
    press(link("A"), "Escape");
    expect(menu.getAttribute("aria-expanded")).toBe("false");
    expect(document.activeElement).toBe(menu);
    await click(menu);
    press(menu, "Escape");
    expect(menu.getAttribute("aria-expanded")).toBe("false");
  });
});
