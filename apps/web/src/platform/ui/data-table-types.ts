/** The shapes a DataTable is given: its columns, row selection, sort orders and page size (data-table.tsx). */
import { type HTMLAttributes, type ReactNode } from "react";

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
export type RowAttributes = HTMLAttributes<HTMLTableRowElement> & {
  readonly [data: `data-${string}`]: string | undefined;
};

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

export interface DataTableProps<Row> {
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
  readonly serverOrder?: {
    readonly column?: string;
    readonly direction: "ascending" | "descending";
    readonly text: string;
  };
  /** Sorting by the server for some columns (a paged list whose query takes an order). */
  readonly serverSort?: ServerSort;
  /** The rows are being replaced (another order, more rows): aria-busy on the table. */
  readonly busy?: boolean;
  /** Remember the hidden columns under this key (per list) and offer the Columns menu. */
  readonly storageKey?: string;
  readonly selection?: RowSelection<Row>;
  readonly pageSize?: PageSizeChoice;
}
