/**
 * @jest-environment jsdom
 */
// The data table (decision 0043): client sorting only on a complete list (aria-sort on its
// header, a paged list shows its server order instead), server sorting (the columns the API orders
// by ask the page for that order, loaded or not; aria-sort follows the order asked for), the Columns menu remembered per list in
// localStorage, row selection feeding the bulk actions, the page-size choice, and the card layout's
// labels (each value cell labelled by its column; the layout itself is CSS, checked at 390 px by
// the browser scenario @tables).
import { act, useState } from "react";

import { afterEach, beforeEach, describe, expect, it, jest } from "@atrium/test-kit";

import { render, settle } from "../testing/dom.tsx";
import { usePageSize } from "./data-table-preferences.ts";
import { orderByOf } from "./data-table-sorting.ts";
import { type Column, type SortOrder } from "./data-table-types.ts";
import { DataTable, useKeptData } from "./data-table.tsx";

interface Person {
  readonly id: string;
  readonly name: string;
  readonly age: number | null;
  readonly email: string;
}

const people: readonly Person[] = [
  { id: "1", name: "Grace", age: 85, email: "grace@example.com" },
  { id: "2", name: "ada", age: 36, email: "ada@example.com" },
  { id: "3", name: "Linus", age: null, email: "linus@example.com" },
  { id: "4", name: "Barbara", age: 9, email: "barbara@example.com" },
];

const columns: readonly Column<Person>[] = [
  { id: "name", header: "Name", cell: (p) => p.name, sortValue: (p) => p.name },
  { id: "age", header: "Age", cell: (p) => p.age ?? "—", sortValue: (p) => p.age },
  { id: "email", header: "E-mail", cell: (p) => p.email },
  { id: "actions", header: "Actions", headerHidden: true, cell: (p) => <button type="button">Edit {p.name}</button> },
];

const names = () => [...document.querySelectorAll("tbody tr")].map((tr) => tr.querySelector("td")?.textContent);
const header = (name: string) =>
  [...document.querySelectorAll("thead th")].find((th) => th.textContent?.startsWith(name));
const sortButton = (name: string) => header(name)?.querySelector("button") ?? null;
const click = (element: Element | null | undefined) => act(() => (element as HTMLElement | null)?.click());
const checkbox = (label: string) => {
  const box = document.querySelector<HTMLInputElement>(`input[type="checkbox"][aria-label="${label}"]`);
  if (box === null) throw new Error(`no checkbox ${label}`);
  return box;
};

beforeEach(() => window.localStorage.clear());
afterEach(() => window.localStorage.clear());

describe("DataTable sorting", () => {
  it("sorts a complete list by a column, both ways, with aria-sort on the header (numbers as numbers, empty values last)", async () => {
    await render(<DataTable label="People" columns={columns} rows={people} rowKey={(p) => p.id} />);
    expect(names()).toEqual(["Grace", "ada", "Linus", "Barbara"]);
    expect(header("Name")?.getAttribute("aria-sort")).toBe("none");
    // The e-mail column has no sort value: a plain header, no aria-sort.
    expect(sortButton("E-mail")).toBeNull();
    expect(header("E-mail")?.hasAttribute("aria-sort")).toBe(false);

    click(sortButton("Name"));
    expect(names()).toEqual(["ada", "Barbara", "Grace", "Linus"]);
    expect(header("Name")?.getAttribute("aria-sort")).toBe("ascending");
    click(sortButton("Name"));
    expect(names()).toEqual(["Linus", "Grace", "Barbara", "ada"]);
    expect(header("Name")?.getAttribute("aria-sort")).toBe("descending");
    expect(header("Age")?.getAttribute("aria-sort")).toBe("none");

    click(sortButton("Age"));
    const first = header("Age")?.getAttribute("aria-sort");
    // 9 before 36 before 85 (not "36" < "85" < "9"); the person without an age last either way.
    expect(names()).toEqual(
      first === "ascending" ? ["Barbara", "ada", "Grace", "Linus"] : ["Grace", "ada", "Barbara", "Linus"],
    );
    click(sortButton("Age"));
    expect(names()).toEqual(
      first === "ascending" ? ["Grace", "ada", "Barbara", "Linus"] : ["Barbara", "ada", "Grace", "Linus"],
    );
  });

  it("offers no sorting on a paged list: the server's order is named on its column and in a note", async () => {
    await render(
      <DataTable
        label="People"
        columns={columns}
        rows={people}
        rowKey={(p) => p.id}
        complete={false}
        serverOrder={{ column: "age", direction: "descending", text: "Oldest first" }}
      />,
    );
    expect(sortButton("Name")).toBeNull();
    expect(sortButton("Age")).toBeNull();
    expect(header("Age")?.getAttribute("aria-sort")).toBe("descending");
    expect(header("Name")?.hasAttribute("aria-sort")).toBe(false);
    expect(document.body.textContent).toContain("Oldest first. Sorting by a column needs every row loaded.");
    expect(names()).toEqual(["Grace", "ada", "Linus", "Barbara"]);
  });

  it("drops a client sort when the list stops being complete", async () => {
    function Harness() {
      const [complete, setComplete] = useState(true);
      return (
        <>
          <button type="button" onClick={() => setComplete(false)}>
            page
          </button>
          <DataTable label="People" columns={columns} rows={people} rowKey={(p) => p.id} complete={complete} />
        </>
      );
    }
    await render(<Harness />);
    click(sortButton("Name"));
    expect(names()).toEqual(["ada", "Barbara", "Grace", "Linus"]);
    click([...document.querySelectorAll("button")].find((b) => b.textContent === "page"));
    await settle();
    expect(names()).toEqual(["Grace", "ada", "Linus", "Barbara"]);
  });
});

describe("DataTable server sorting", () => {
  // E-mail sorts only here (the "server" cannot order by it): on a paged list it is a plain header.
  const sortingColumns: readonly Column<Person>[] = columns.map((c) =>
    c.id === "email" ? { ...c, sortValue: (p: Person) => p.email } : c,
  );
  const asked: (SortOrder | undefined)[] = [];
  function Harness({ complete }: { complete: boolean }) {
    const [order, setOrder] = useState<SortOrder>();
    return (
      <DataTable
        label="People"
        columns={sortingColumns}
        rows={people}
        rowKey={(p) => p.id}
        complete={complete}
        serverOrder={{ column: "age", direction: "descending", text: "Oldest first" }}
        serverSort={{
          columns: ["name", "age"],
          value: order,
          onChange: (next) => {
            asked.push(next);
            setOrder(next);
          },
        }}
      />
    );
  }
  beforeEach(() => {
    asked.splice(0);
  });

  it("asks the server for a column's order on a paged list; aria-sort follows it; the default order is asked for as none", async () => {
    await render(<Harness complete={false} />);
    // The default order is shown on its column; every server column is a button.
    expect(header("Age")?.getAttribute("aria-sort")).toBe("descending");
    expect(header("Name")?.getAttribute("aria-sort")).toBe("none");
    expect(sortButton("E-mail")).toBeNull();
    expect(document.body.textContent).toContain("Sorting by E-mail needs every row loaded.");
    expect(document.body.textContent).not.toContain("Oldest first");

    click(sortButton("Name"));
    expect(asked).toEqual([{ column: "name", direction: "ascending" }]);
    expect(header("Name")?.getAttribute("aria-sort")).toBe("ascending");
    expect(header("Age")?.getAttribute("aria-sort")).toBe("none");
    // The rows are the server's: nothing is sorted here.
    expect(names()).toEqual(["Grace", "ada", "Linus", "Barbara"]);
    click(sortButton("Name"));
    expect(asked.at(-1)).toEqual({ column: "name", direction: "descending" });
    expect(header("Name")?.getAttribute("aria-sort")).toBe("descending");
    click(sortButton("Age"));
    expect(asked.at(-1)).toEqual({ column: "age", direction: "ascending" });
    expect(header("Age")?.getAttribute("aria-sort")).toBe("ascending");
    // Age descending is the default order: asked for as none (no orderBy).
    click(sortButton("Age"));
    expect(asked.at(-1)).toBeUndefined();
    expect(header("Age")?.getAttribute("aria-sort")).toBe("descending");
    expect(names()).toEqual(["Grace", "ada", "Linus", "Barbara"]);
  });

  it("on a complete list, sorts the other columns here; a server column then asks the server and drops that sort", async () => {
    await render(<Harness complete />);
    expect(document.body.textContent).not.toContain("needs every row loaded");
    click(sortButton("E-mail"));
    expect(names()).toEqual(["ada", "Barbara", "Grace", "Linus"]);
    expect(header("E-mail")?.getAttribute("aria-sort")).toBe("ascending");
    // The rows are sorted by e-mail now, not by the server's order.
    expect(header("Age")?.getAttribute("aria-sort")).toBe("none");
    expect(asked).toEqual([]);
    click(sortButton("Name"));
    expect(asked).toEqual([{ column: "name", direction: "ascending" }]);
    expect(header("E-mail")?.getAttribute("aria-sort")).toBe("none");
    expect(header("Name")?.getAttribute("aria-sort")).toBe("ascending");
    expect(names()).toEqual(["Grace", "ada", "Linus", "Barbara"]);
  });

  it("maps an order to the API's orderBy, and keeps a list's rows while another order loads", async () => {
    const fields = { name: "NAME", created: "CREATED_AT" } as const;
    expect(orderByOf({ column: "name", direction: "descending" }, fields)).toEqual({
      field: "NAME",
      direction: "DESC",
    });
    expect(orderByOf({ column: "tags", direction: "ascending" }, fields)).toBeUndefined();
    expect(orderByOf(undefined, fields)).toBeUndefined();
    // The list's data: loaded, then another order on its way (same list), then another filter's on its way.
    const steps = [
      { data: "by name", listKey: "all" },
      { data: undefined, listKey: "all" },
      { data: undefined, listKey: "QUALIFIED" },
    ] as const;
    const seen: (string | undefined)[] = [];
    function Kept() {
      const [step, setStep] = useState(0);
      const { data, listKey } = steps[step]!;
      seen.push(useKeptData<string>(data, listKey));
      return (
        <button type="button" onClick={() => setStep(step + 1)}>
          next
        </button>
      );
    }
    await render(<Kept />);
    click(document.querySelector("button"));
    click(document.querySelector("button"));
    expect(seen.at(0)).toBe("by name");
    expect(seen.slice(-2)).toEqual(["by name", undefined]);
  });
});

describe("DataTable column visibility", () => {
  const openMenu = async () => {
    click(document.querySelector('button[aria-label="Columns of People"]'));
    await settle();
  };
  const headers = () => [...document.querySelectorAll("thead th")].map((th) => th.textContent?.replace(/[▲▼↕]/g, ""));

  it("hides a column from the Columns menu and remembers it for that list only", async () => {
    await render(<DataTable label="People" columns={columns} rows={people} rowKey={(p) => p.id} storageKey="people" />);
    await openMenu();
    const menuLabels = [...document.querySelectorAll(".data-table-columns label")].map((l) => l.textContent?.trim());
    // The actions column (hidden header) cannot be hidden.
    expect(menuLabels).toEqual(["Name", "Age", "E-mail"]);
    const email = [...document.querySelectorAll<HTMLInputElement>(".data-table-columns input")][2];
    expect(email?.checked).toBe(true);
    click(email);
    expect(headers()).toEqual(["Name", "Age", "Actions"]);
    expect(document.querySelector("tbody tr")?.textContent).not.toContain("grace@example.com");
    expect(JSON.parse(window.localStorage.getItem("atrium.table.people.hidden") ?? "null")).toEqual(["email"]);
  });

  it("starts from the remembered choice, ignoring another list's and garbage", async () => {
    window.localStorage.setItem("atrium.table.people.hidden", JSON.stringify(["age"]));
    window.localStorage.setItem("atrium.table.others.hidden", JSON.stringify(["name"]));
    await render(<DataTable label="People" columns={columns} rows={people} rowKey={(p) => p.id} storageKey="people" />);
    expect(headers()).toEqual(["Name", "E-mail", "Actions"]);
  });

  it("survives unreadable storage: every column shown", async () => {
    window.localStorage.setItem("atrium.table.people.hidden", "{not json");
    await render(<DataTable label="People" columns={columns} rows={people} rowKey={(p) => p.id} storageKey="people" />);
    expect(headers()).toEqual(["Name", "Age", "E-mail", "Actions"]);
  });
});

describe("DataTable selection", () => {
  it("selects rows by labelled checkboxes and hands the selected rows to the bulk actions", async () => {
    const act1 = jest.fn<(rows: readonly Person[]) => void>();
    await render(
      <DataTable
        label="People"
        columns={columns}
        rows={people}
        rowKey={(p) => p.id}
        selection={{
          rowLabel: (p) => `Select ${p.name}`,
          allLabel: "Select all loaded people",
          canSelect: (p) => p.id !== "3",
          actions: (rows, clear) => (
            <button
              type="button"
              onClick={() => {
                act1(rows);
                clear();
              }}
            >
              Archive
            </button>
          ),
        }}
      />,
    );
    expect(document.querySelector('[data-testid="bulk-actions"]')).toBeNull();
    click(checkbox("Select Grace"));
    click(checkbox("Select Barbara"));
    const bar = document.querySelector('[data-testid="bulk-actions"]');
    expect(bar?.getAttribute("role")).toBe("group");
    expect(bar?.textContent).toContain("2 selected");
    expect(checkbox("Select all loaded people").indeterminate).toBe(true);
    click([...(bar?.querySelectorAll("button") ?? [])].find((b) => b.textContent === "Archive"));
    expect(act1.mock.calls[0]?.[0]?.map((p) => p.name)).toEqual(["Grace", "Barbara"]);
    expect(document.querySelector('[data-testid="bulk-actions"]')).toBeNull();
    expect(checkbox("Select Grace").checked).toBe(false);

    // Select all takes every selectable loaded row (Linus cannot be selected).
    expect(checkbox("Select Linus").disabled).toBe(true);
    click(checkbox("Select all loaded people"));
    expect(document.querySelector('[data-testid="bulk-actions"]')?.textContent).toContain("3 selected");
    expect(checkbox("Select all loaded people").checked).toBe(true);
    click(checkbox("Select all loaded people"));
    expect(document.querySelector('[data-testid="bulk-actions"]')).toBeNull();
  });

  it("forgets selected rows that are no longer loaded", async () => {
    const seen: (readonly Person[])[] = [];
    function Harness() {
      const [rows, setRows] = useState(people);
      return (
        <>
          <button type="button" onClick={() => setRows(people.slice(1))}>
            drop
          </button>
          <DataTable
            label="People"
            columns={columns}
            rows={rows}
            rowKey={(p) => p.id}
            selection={{
              rowLabel: (p) => `Select ${p.name}`,
              allLabel: "Select all",
              actions: (selected) => (seen.push(selected), null),
            }}
          />
        </>
      );
    }
    await render(<Harness />);
    click(checkbox("Select Grace"));
    click(checkbox("Select ada"));
    click([...document.querySelectorAll("button")].find((b) => b.textContent === "drop"));
    expect(document.querySelector('[data-testid="bulk-actions"]')?.textContent).toContain("1 selected");
    expect(seen.at(-1)?.map((p) => p.name)).toEqual(["ada"]);
  });
});

describe("DataTable page size and cards", () => {
  it("offers the page sizes and remembers the choice per list", async () => {
    const sizes: number[] = [];
    function Harness() {
      const pageSize = usePageSize("people", [25, 50, 100], 25);
      sizes.push(pageSize.value);
      return <DataTable label="People" columns={columns} rows={people} rowKey={(p) => p.id} pageSize={pageSize} />;
    }
    await render(<Harness />);
    const select = [...document.querySelectorAll("label")]
      .find((l) => l.textContent?.startsWith("Rows per page"))
      ?.querySelector("select");
    expect([...(select?.options ?? [])].map((o) => o.value)).toEqual(["25", "50", "100"]);
    expect(select?.value).toBe("25");
    act(() => {
      if (select) select.value = "100";
      select?.dispatchEvent(new Event("change", { bubbles: true }));
    });
    expect(sizes.at(-1)).toBe(100);
    expect(window.localStorage.getItem("atrium.table.people.pageSize")).toBe("100");
  });

  it("labels every value cell for the card layout (not the actions or the checkbox), and keeps real table semantics", async () => {
    await render(
      <DataTable
        label="People"
        columns={columns}
        rows={people}
        rowKey={(p) => p.id}
        selection={{ rowLabel: (p) => `Select ${p.name}`, allLabel: "Select all", actions: () => null }}
      />,
    );
    const table = document.querySelector("table");
    expect(table?.classList.contains("table--stack")).toBe(true);
    expect(table?.getAttribute("aria-label")).toBe("People");
    expect([...document.querySelectorAll("thead th")].every((th) => th.getAttribute("scope") === "col")).toBe(true);
    const cells = [...document.querySelectorAll("tbody tr:first-child td")];
    expect(cells.map((td) => td.getAttribute("data-label"))).toEqual([null, "Name", "Age", "E-mail", null]);
    // Each value in one wrapper: the card's grid has exactly a label and a value per cell.
    expect(
      cells
        .slice(1)
        .every((td) => td.children.length === 1 && td.firstElementChild?.classList.contains("data-table__value")),
    ).toBe(true);
  });

  it("stays a table without cards when asked (stack={false})", async () => {
    await render(<DataTable label="People" columns={columns} rows={people} rowKey={(p) => p.id} stack={false} />);
    expect(document.querySelector("table")?.classList.contains("table--stack")).toBe(false);
  });
});
