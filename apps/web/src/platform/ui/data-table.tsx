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
 *
 * The pieces: data-table-types.ts (the props' shapes), data-table-sorting.ts (orders),
 * data-table-preferences.ts (what is remembered per list), data-table-toolbar.tsx (the bar above).
 */
import {
  columnVisibilityFeature,
  createSortedRowModel,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type ColumnVisibilityState,
  type RowData,
  type RowSelectionState,
  type SortingState,
  type Row as TableRow,
} from "@tanstack/react-table";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { TableScroll } from "../scroll-region.tsx";
import { readHiddenColumns, writeHiddenColumns } from "./data-table-preferences.ts";
import { ariaSortOf, asSorted, compare, nextServerOrder, sortMark, type Value } from "./data-table-sorting.ts";
import { DataTableToolbar } from "./data-table-toolbar.tsx";
import { type Column, type DataTableProps, type SortOrder } from "./data-table-types.ts";

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  columnVisibilityFeature,
  rowSelectionFeature,
});

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
  const shape = columns
    .map((c) => `${c.id}:${clientSorts(c) ? "s" : ""}:${(c.hideable ?? c.headerHidden !== true) ? "h" : ""}`)
    .join("|");
  const columnDefs = useMemo<ColumnDef<typeof features, Row>[]>(
    () =>
      latest.current.map((column) => ({
        id: column.id,
        header: column.header,
        accessorFn: (row: Row) => latest.current.find((c) => c.id === column.id)?.sortValue?.(row) ?? undefined,
        enableSorting: clientSorts(column),
        enableHiding: column.hideable ?? column.headerHidden !== true,
        sortUndefined: "last" as const,
        sortFn: (a: TableRow<typeof features, Row>, b: TableRow<typeof features, Row>, id: string) =>
          compare(a.getValue<Value>(id), b.getValue<Value>(id)),
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
    enableRowSelection:
      selection?.canSelect === undefined
        ? true
        : (row: TableRow<typeof features, Row>) => selection.canSelect?.(row.original) ?? true,
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
  const fallback: SortOrder | undefined =
    serverSort !== undefined && serverOrder?.column !== undefined && onServer(serverOrder.column)
      ? { column: serverOrder.column, direction: serverOrder.direction }
      : undefined;
  const serverShown = serverSort === undefined ? undefined : (serverSort.value ?? fallback);
  // What the rows are ordered by on screen: a client sort, else the server's order.
  const shown: SortOrder | undefined =
    sorting[0] !== undefined
      ? { column: sorting[0].id, direction: sorting[0].desc ? "descending" : "ascending" }
      : serverShown;
  const askServer = (column: string) => {
    setSorting([]);
    serverSort?.onChange(nextServerOrder(column, shown, fallback));
  };

  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  const classes = ["table", "data-table", stack ? "table--stack" : undefined, className].filter(Boolean).join(" ");
  // Columns that sort only here (the server cannot order by them) while rows are missing.
  const clientOnly =
    serverSort === undefined
      ? []
      : columns.filter((c) => c.sortValue !== undefined && !onServer(c.id)).map((c) => c.header);
  const note = complete
    ? undefined
    : serverSort !== undefined
      ? clientOnly.length > 0
        ? t("dataTable.clientSortNote", { columns: clientOnly })
        : undefined
      : serverOrder !== undefined && sortable
        ? t("dataTable.serverOrderNote", { order: serverOrder.text })
        : undefined;
  const showToolbar =
    selection !== undefined ||
    note !== undefined ||
    pageSize !== undefined ||
    (storageKey !== undefined && hideable.length > 0);
  const selectable = tableRows.filter((row) => row.getCanSelect());
  const allSelected = selectable.length > 0 && selectable.every((row) => rowSelection[row.id] === true);
  const someSelected = !allSelected && selectable.some((row) => rowSelection[row.id] === true);

  return (
    <div className="data-table-box">
      {showToolbar && (
        <DataTableToolbar
          label={label}
          bulk={
            selection !== undefined && selected.length > 0
              ? {
                  count: selected.length,
                  actions: selection.actions(
                    selected.map((row) => row.original),
                    clear,
                  ),
                  clear,
                }
              : undefined
          }
          note={note}
          pageSize={pageSize}
          hideable={
            storageKey !== undefined && hideable.length > 0
              ? hideable.map((column) => ({
                  id: column.id,
                  header: byId.get(column.id)?.header ?? column.id,
                  visible: column.getIsVisible(),
                  toggle: (on: boolean) => column.toggleVisibility(on),
                }))
              : undefined
          }
        />
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
                    onChange={(event) =>
                      setRowSelection(
                        event.target.checked ? Object.fromEntries(selectable.map((row) => [row.id, true])) : {},
                      )
                    }
                  />
                </th>
              )}
              {visible.map((column) => {
                const tableColumn = table.getColumn(column.id);
                const server = onServer(column.id);
                const canSort = server || tableColumn?.getCanSort() === true;
                const sorted = server
                  ? shown?.column === column.id
                    ? asSorted(shown.direction)
                    : false
                  : (tableColumn?.getIsSorted() ?? false);
                const ariaSort = ariaSortOf(
                  canSort,
                  sorted,
                  !complete && serverOrder?.column === column.id ? serverOrder.direction : undefined,
                );
                return (
                  <th key={column.id} scope="col" className={column.className} aria-sort={ariaSort}>
                    {column.headerHidden === true ? (
                      <span className="visually-hidden">{column.header}</span>
                    ) : server ? (
                      <button
                        type="button"
                        className="data-table__sort"
                        onClick={() => askServer(column.id)}
                        data-sorted={sorted || undefined}
                      >
                        {column.header}
                        <span className="data-table__sort-mark" aria-hidden="true">
                          {sortMark(sorted)}
                        </span>
                      </button>
                    ) : canSort ? (
                      <button
                        type="button"
                        className="data-table__sort"
                        onClick={tableColumn?.getToggleSortingHandler()}
                        data-sorted={sorted || undefined}
                      >
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
              <tr
                key={row.id}
                {...rowProps?.(row.original)}
                data-selected={selection !== undefined && rowSelection[row.id] === true ? "" : undefined}
              >
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
                  const cellLabel =
                    column.label === undefined
                      ? column.headerHidden === true
                        ? undefined
                        : column.header
                      : (column.label ?? undefined);
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
