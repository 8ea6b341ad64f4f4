/**
 * The one table of the app (decision 0043), on TanStack Table v9: the rows come from the caller
 * (its paging — "Load more" with the API's cursor — and its filters stay with it), the table adds
 *
 * - sorting by a column: by the server (`serverSort`, the list's query's `orderBy`) for the columns
 *   the API can order by — a header asks the page for that order and the page restarts its paging
 *   with it, loaded or not; client-side for the other columns, offered only when `complete` (every
 *   row of the list is loaded: sorting a loaded page would pretend an order the list does not
 *   have). A paged list without server sorting names the server's order instead (`serverOrder`:
 *   its header gets aria-sort, a note says so);
 * - column visibility: a "Columns" menu, the choice remembered per list (`storageKey`) in
 *   localStorage;
 * - row selection (`selection`): a labelled checkbox per row and one for all loaded rows, and a
 *   bar with the caller's bulk actions for the selected rows;
 * - page size (`pageSize`): how many rows a page (a "Load more") brings, the caller's query's
 *   `first`;
 * - a sticky header: the table scrolls in a box of at most ~75 % of the window, its header stays.
 *
 * Where the table is given ≤ 640 px (a container query: a phone, a tablet beside the sidebar)
 * each row becomes a card of label: value pairs (data-table.css). No cell text breaks inside a
 * word: cells wrap only between words; a long unbroken value (an e-mail, a URL) goes in a
 * `TruncatedText`, which ellipsizes it and keeps the whole in its title.
 */
import {
  type ColumnDef,
  type ColumnVisibilityState,
  type Row as TableRow,
  type RowData,
  type RowSelectionState,
  type SortingState,
  columnVisibilityFeature,
  createSortedRowModel,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
} from "@tanstack/react-table";
import { type HTMLAttributes, type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { TableScroll } from "../scroll-region.tsx";
import { Popover } from "./popover.tsx";

export interface Column<Row> {
  /** Stable key of the column (also what the visibility choice is remembered by). */
  readonly id: string;
  /** Header content; for an actions column, hide it visually with `headerHidden`. */
  readonly header: string;
  readonly cell: (row: Row) => ReactNode;
  /** The cell's label in the card layout (defaults to `header`; `null`: no label). */
  readonly label?: string | null;
  /** The header is read by screen readers only (e.g. "Actions"). */
  readonly headerHidden?: boolean;
  readonly className?: string;
  /** The value the column sorts by; a column without one does not sort. */
  readonly sortValue?: (row: Row) => string | number | boolean | null | undefined;
  /** May be hidden from the Columns menu (default: yes, except a column with a hidden header). */
  readonly hideable?: boolean;
}

/** Extra attributes of a row: test ids, `data-*` values browser tests select rows by. */
export type RowAttributes = HTMLAttributes<HTMLTableRowElement> & { readonly [data: `data-${string}`]: string | undefined };

export interface RowSelection<Row> {
  /** The row checkbox's accessible name, e.g. "Select Ada Lovelace". */
  readonly rowLabel: (row: Row) => string;
  /** The header checkbox's name, e.g. "Select all loaded leads". */
  readonly allLabel: string;
  /** The bulk actions for the selected rows (in the loaded order); `clear` empties the selection. */
  readonly actions: (selected: readonly Row[], clear: () => void) => ReactNode;
  /** Whether a row can be selected (default: every row). */
  readonly canSelect?: (row: Row) => boolean;
}

/** An order of a paged list by one column, as the server sorts it. */
export interface SortOrder {
  readonly column: string;
  readonly direction: "ascending" | "descending";
}

/** Sorting by the server: which columns it can order by, the order asked for, and the call for another. */
export interface ServerSort {
  /** Ids of the columns the API can order the whole list by. */
  readonly columns: readonly string[];
  /** The order the page asked for; undefined: the server's default order (`serverOrder`). */
  readonly value: SortOrder | undefined;
  /** A header asked for `next` (undefined: the default order again); the page refetches from the first page. */
  readonly onChange: (next: SortOrder | undefined) => void;
}

export interface PageSizeChoice {
  readonly value: number;
  readonly options: readonly number[];
  readonly onChange: (size: number) => void;
}

interface DataTableProps<Row> {
  /** The table's accessible name (and its scroll region's). */
  readonly label: string;
  readonly columns: readonly Column<Row>[];
  readonly rows: readonly Row[];
  readonly rowKey: (row: Row) => string;
  readonly rowProps?: (row: Row) => RowAttributes;
  /** Shown instead of the table when there are no rows (omit to show an empty table). */
  readonly empty?: ReactNode;
  /** A visible caption above the table. */
  readonly caption?: ReactNode;
  /** Rows become labelled cards where the table has ≤ 640 px (default: yes). */
  readonly stack?: boolean;
  readonly className?: string;
  /** Every row of the list is loaded, so sorting by a column is honest (default: yes). */
  readonly complete?: boolean;
  /** A paged list's server order (shown on its column with aria-sort), e.g. newest first: its default order when it has `serverSort`. */
  readonly serverOrder?: { readonly column?: string; readonly direction: "ascending" | "descending"; readonly text: string };
  /** Sorting by the server for some columns (a paged list whose query takes an order). */
  readonly serverSort?: ServerSort;
  /** The rows are being replaced (another order, more rows): aria-busy on the table. */
  readonly busy?: boolean;
  /** Remember the hidden columns under this key (per list) and offer the Columns menu. */
  readonly storageKey?: string;
  readonly selection?: RowSelection<Row>;
  readonly pageSize?: PageSizeChoice;
}

const features = tableFeatures({ rowSortingFeature, sortedRowModel: createSortedRowModel(), columnVisibilityFeature, rowSelectionFeature });

type Value = string | number | boolean | undefined;
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** Ascending order of two defined values (TanStack reverses it for descending; undefined sorts last). */
function compare(a: Value, b: Value): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  return collator.compare(String(a), String(b));
}

const STORAGE_PREFIX = "atrium.table.";
const SMALL_BUTTON = "button button--small";
/** The sort mark beside a sortable header (hidden from screen readers: aria-sort says it). */
const SORT_MARKS = { asc: "▲", desc: "▼", none: "↕" } as const;
const sortMark = (sorted: false | "asc" | "desc") => SORT_MARKS[sorted === false ? "none" : sorted];

/** aria-sort of a header: the table's own sort, else the server's order while rows are missing. */
function ariaSortOf(canSort: boolean, sorted: false | "asc" | "desc", serverDirection: "ascending" | "descending" | undefined): "ascending" | "descending" | "none" | undefined {
  if (canSort) return sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none";
  return serverDirection;
}

const asSorted = (direction: "ascending" | "descending") => (direction === "ascending" ? "asc" : "desc");

/**
 * The server order a header asks for: the column shown sorted flips its direction, another column
 * sorts ascending. The default order (`fallback`) is asked for as undefined (no `orderBy`).
 */
function nextServerOrder(column: string, shown: SortOrder | undefined, fallback: SortOrder | undefined): SortOrder | undefined {
  const next: SortOrder = { column, direction: shown?.column === column && shown.direction === "ascending" ? "descending" : "ascending" };
  return fallback !== undefined && fallback.column === next.column && fallback.direction === next.direction ? undefined : next;
}

/** The hidden columns remembered for `key` (none when storage is unavailable or holds garbage). */
export function readHiddenColumns(key: string | undefined): ColumnVisibilityState {
  if (key === undefined) return {};
  try {
    const stored: unknown = JSON.parse(window.localStorage.getItem(`${STORAGE_PREFIX}${key}.hidden`) ?? "[]");
    return Array.isArray(stored) ? Object.fromEntries(stored.filter((id): id is string => typeof id === "string").map((id) => [id, false])) : {};
  } catch {
    return {};
  }
}

function writeHiddenColumns(key: string, visibility: ColumnVisibilityState): void {
  const hidden = Object.entries(visibility)
    .filter(([, visible]) => !visible)
    .map(([id]) => id);
  try {
    window.localStorage.setItem(`${STORAGE_PREFIX}${key}.hidden`, JSON.stringify(hidden));
  } catch {
    // Storage full or refused (a private window): the choice lasts for this page only.
  }
}

/** A page size remembered per list (`atrium.table.<key>.pageSize`), one of `options`. */
export function usePageSize(key: string, options: readonly number[], fallback: number): PageSizeChoice {
  const [value, setValue] = useState(() => {
    try {
      const stored = Number(window.localStorage.getItem(`${STORAGE_PREFIX}${key}.pageSize`));
      return options.includes(stored) ? stored : fallback;
    } catch {
      return fallback;
    }
  });
  return {
    value,
    options,
    onChange: (size) => {
      setValue(size);
      try {
        window.localStorage.setItem(`${STORAGE_PREFIX}${key}.pageSize`, String(size));
      } catch {
        // As above: this page only.
      }
    },
  };
}

/**
 * The API's `orderBy` ({ field, direction }) for a table order, `fields` naming each server-sorted
 * column's field (column id → the API's order field); undefined for the default order.
 */
export function orderByOf<F extends string>(order: SortOrder | undefined, fields: Readonly<Record<string, F>>): { field: F; direction: "ASC" | "DESC" } | undefined {
  const field = order === undefined ? undefined : fields[order.column];
  return order === undefined || field === undefined ? undefined : { field, direction: order.direction === "ascending" ? "ASC" : "DESC" };
}

/**
 * A query's data, or while it is undefined (its variables changed and the new rows are on their
 * way) the last data it had for the same `key`: a list asked for another order keeps showing — and
 * keeps its table, its focus and its header's new aria-sort — until the new rows come. Anything
 * else that changes `key` (a filter, the page size) shows the loading state as before.
 */
export function useKeptData<T>(data: T | undefined, key: string): T | undefined {
  const kept = useRef<{ key: string; data: T } | undefined>(undefined);
  if (data !== undefined) kept.current = { key, data };
  return data ?? (kept.current?.key === key ? kept.current.data : undefined);
}

/** Keeps the previous array while the caller passes the same rows again (a fresh `.map` each render). */
function useStableRows<Row>(rows: readonly Row[]): Row[] {
  const previous = useRef<Row[]>([]);
  const current = previous.current;
  if (current.length !== rows.length || rows.some((row, i) => row !== current[i])) previous.current = [...rows];
  return previous.current;
}


export function DataTable<Row extends RowData>({
  label,
  columns,
  rows,
  rowKey,
  rowProps,
  empty,
  caption,
  stack = true,
  className,
  complete = true,
  serverOrder,
  serverSort,
  busy,
  storageKey,
  selection,
  pageSize,
}: DataTableProps<Row>) {
  const data = useStableRows(rows);
  // The latest column definitions, read by the table's accessors: pages build their columns
  // inline on every render, the table's own definitions change only with the set of columns.
  const latest = useRef(columns);
  latest.current = columns;
  // The columns the server sorts are never sorted here: their order is the query's.
  const onServer = (id: string) => serverSort?.columns.includes(id) === true;
  const clientSorts = (c: Column<Row>) => c.sortValue !== undefined && complete && !onServer(c.id);
  const shape = columns.map((c) => `${c.id}:${clientSorts(c) ? "s" : ""}:${c.hideable ?? c.headerHidden !== true ? "h" : ""}`).join("|");
  const columnDefs = useMemo<ColumnDef<typeof features, Row>[]>(
    () =>
      latest.current.map((column) => ({
        id: column.id,
        header: column.header,
        accessorFn: (row: Row) => latest.current.find((c) => c.id === column.id)?.sortValue?.(row) ?? undefined,
        enableSorting: clientSorts(column),
        enableHiding: column.hideable ?? column.headerHidden !== true,
        sortUndefined: "last" as const,
        sortFn: (a: TableRow<typeof features, Row>, b: TableRow<typeof features, Row>, id: string) => compare(a.getValue<Value>(id), b.getValue<Value>(id)),
      })),
    // `shape` stands for the columns' identity (their ids and abilities).
    [shape],
  );
  const { t } = useTranslation("common");
  const [sorting, setSorting] = useState<SortingState>([]);
  const [columnVisibility, setColumnVisibility] = useState<ColumnVisibilityState>(() => readHiddenColumns(storageKey));
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  useEffect(() => {
    if (storageKey !== undefined) writeHiddenColumns(storageKey, columnVisibility);
  }, [storageKey, columnVisibility]);
  // A list that stops being complete (a filter changed, more rows came) loses a client sort it can no longer honour.
  useEffect(() => {
    if (!complete) setSorting([]);
  }, [complete]);

  const table = useTable({
    features,
    columns: columnDefs,
    data,
    getRowId: (row: Row) => rowKey(row),
    state: { sorting, columnVisibility, rowSelection },
    onSortingChange: setSorting,
    onColumnVisibilityChange: setColumnVisibility,
    onRowSelectionChange: setRowSelection,
    enableRowSelection: selection?.canSelect === undefined ? true : (row: TableRow<typeof features, Row>) => selection.canSelect?.(row.original) ?? true,
    enableMultiSort: false,
    manualSorting: !complete,
  });

  const tableRows = table.getRowModel().rows;
  // Selected rows that are still loaded (a refetch may have dropped some), in the shown order.
  const selected = tableRows.filter((row) => rowSelection[row.id] === true);
  const clear = () => setRowSelection({});
  const byId = new Map(columns.map((c) => [c.id, c]));
  const visible = table
    .getVisibleLeafColumns()
    .map((c) => byId.get(c.id))
    .filter((c): c is Column<Row> => c !== undefined);
  const hideable = table.getAllLeafColumns().filter((c) => c.getCanHide());
  const sortable = columns.some((c) => c.sortValue !== undefined);
  // The server's order: the one asked for, else its default one (on a column it can sort by).
  const fallback: SortOrder | undefined = serverSort !== undefined && serverOrder?.column !== undefined && onServer(serverOrder.column) ? { column: serverOrder.column, direction: serverOrder.direction } : undefined;
  const serverShown = serverSort === undefined ? undefined : (serverSort.value ?? fallback);
  // What the rows are ordered by on screen: a client sort, else the server's order.
  const shown: SortOrder | undefined = sorting[0] !== undefined ? { column: sorting[0].id, direction: sorting[0].desc ? "descending" : "ascending" } : serverShown;
  const askServer = (column: string) => {
    setSorting([]);
    serverSort?.onChange(nextServerOrder(column, shown, fallback));
  };

  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  const classes = ["table", "data-table", stack ? "table--stack" : undefined, className].filter(Boolean).join(" ");
  // Columns that sort only here (the server cannot order by them) while rows are missing.
  const clientOnly = serverSort === undefined ? [] : columns.filter((c) => c.sortValue !== undefined && !onServer(c.id)).map((c) => c.header);
  const note = complete
    ? undefined
    : serverSort !== undefined
      ? clientOnly.length > 0
        ? t("dataTable.clientSortNote", { columns: clientOnly })
        : undefined
      : serverOrder !== undefined && sortable
        ? t("dataTable.serverOrderNote", { order: serverOrder.text })
        : undefined;
  const showToolbar = selection !== undefined || note !== undefined || pageSize !== undefined || (storageKey !== undefined && hideable.length > 0);
  const selectable = tableRows.filter((row) => row.getCanSelect());
  const allSelected = selectable.length > 0 && selectable.every((row) => rowSelection[row.id] === true);
  const someSelected = !allSelected && selectable.some((row) => rowSelection[row.id] === true);

  return (
    <div className="data-table-box">
      {showToolbar && (
        <div className="data-table-toolbar">
          {selection !== undefined && selected.length > 0 && (
            <div className="data-table-bulk" role="group" aria-label={t("dataTable.bulkActions", { label })} data-testid="bulk-actions">
              <span aria-live="polite">{t("dataTable.selected", { count: selected.length })}</span>
              {selection.actions(
                selected.map((row) => row.original),
                clear,
              )}
              <button type="button" className="button button--small" onClick={clear}>
                {t("dataTable.clearSelection")}
              </button>
            </div>
          )}
          {note !== undefined && <span className="muted small data-table-toolbar__note">{note}</span>}
          <span className="data-table-toolbar__spacer" />
          {pageSize !== undefined && (
            <label className="data-table-toolbar__field">
              <span>{t("dataTable.rowsPerPage")}</span>
              <select value={pageSize.value} onChange={(event) => pageSize.onChange(Number(event.target.value))}>
                {pageSize.options.map((size) => (
                  <option key={size} value={size}>
                    {size}
                  </option>
                ))}
              </select>
            </label>
          )}
          {storageKey !== undefined && hideable.length > 0 && (
            <Popover label={t("dataTable.columnsOf", { label })} trigger={t("dataTable.columns")} triggerClassName={SMALL_BUTTON} title={t("dataTable.showColumns")} align="end">
              {() => (
                <ul className="data-table-columns">
                  {hideable.map((column) => {
                    const own = byId.get(column.id);
                    return (
                      <li key={column.id}>
                        <label>
                          <input type="checkbox" checked={column.getIsVisible()} onChange={(event) => column.toggleVisibility(event.target.checked)} /> {own?.header ?? column.id}
                        </label>
                      </li>
                    );
                  })}
                </ul>
              )}
            </Popover>
          )}
        </div>
      )}
      <TableScroll label={label}>
        <table className={classes} aria-label={label} aria-busy={busy === true ? true : undefined}>
          {caption !== undefined && <caption className="table__caption">{caption}</caption>}
          <thead>
            <tr>
              {selection !== undefined && (
                <th scope="col" className="data-table__select">
                  <input
                    type="checkbox"
                    aria-label={selection.allLabel}
                    checked={allSelected}
                    ref={(box) => {
                      if (box !== null) box.indeterminate = someSelected;
                    }}
                    disabled={selectable.length === 0}
                    onChange={(event) => setRowSelection(event.target.checked ? Object.fromEntries(selectable.map((row) => [row.id, true])) : {})}
                  />
                </th>
              )}
              {visible.map((column) => {
                const tableColumn = table.getColumn(column.id);
                const server = onServer(column.id);
                const canSort = server || tableColumn?.getCanSort() === true;
                const sorted = server ? (shown?.column === column.id ? asSorted(shown.direction) : false) : (tableColumn?.getIsSorted() ?? false);
                const ariaSort = ariaSortOf(canSort, sorted, !complete && serverOrder?.column === column.id ? serverOrder.direction : undefined);
                return (
                  <th key={column.id} scope="col" className={column.className} aria-sort={ariaSort}>
                    {column.headerHidden === true ? (
                      <span className="visually-hidden">{column.header}</span>
                    ) : server ? (
                      <button type="button" className="data-table__sort" onClick={() => askServer(column.id)} data-sorted={sorted || undefined}>
                        {column.header}
                        <span className="data-table__sort-mark" aria-hidden="true">
                          {sortMark(sorted)}
                        </span>
                      </button>
                    ) : canSort ? (
                      <button type="button" className="data-table__sort" onClick={tableColumn?.getToggleSortingHandler()} data-sorted={sorted || undefined}>
                        {column.header}
                        <span className="data-table__sort-mark" aria-hidden="true">
                          {sortMark(sorted)}
                        </span>
                      </button>
                    ) : (
                      column.header
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {tableRows.map((row) => (
              <tr key={row.id} {...rowProps?.(row.original)} data-selected={selection !== undefined && rowSelection[row.id] === true ? "" : undefined}>
                {selection !== undefined && (
                  <td className="data-table__select">
                    <input
                      type="checkbox"
                      aria-label={selection.rowLabel(row.original)}
                      checked={rowSelection[row.id] === true}
                      disabled={!row.getCanSelect()}
                      onChange={row.getToggleSelectedHandler()}
                    />
                  </td>
                )}
                {visible.map((column) => {
                  const cellLabel = column.label === undefined ? (column.headerHidden === true ? undefined : column.header) : (column.label ?? undefined);
                  return (
                    <td key={column.id} className={column.className} data-label={cellLabel}>
                      <div className="data-table__value">{column.cell(row.original)}</div>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}

/**
 * A long unbroken value (an e-mail, a URL, a key): on one line, cut with an ellipsis where its
 * cell ends, the whole value in its title (and read in full by screen readers).
 */
export function TruncatedText({ text, className }: { text: string; className?: string }) {
  return (
    <span className={["data-table__truncate", className].filter(Boolean).join(" ")} title={text}>
      {text}
    </span>
  );
}
