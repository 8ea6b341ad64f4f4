/**
 * The one table of the app. Columns say how to render a header and a cell; the rows come from
 * the caller (pagination — "Load more" — stays with it). Wide tables scroll inside `TableScroll`
 * (a focusable region while they overflow); with `stack` each row becomes a card where the
 * table is given less than 640 px (a container query: a phone, or a tablet beside the sidebar),
 * every cell labelled by its column's `label` (styles.css, `.table--stack`).
 */
import { type HTMLAttributes, type ReactNode } from "react";
import { TableScroll } from "../scroll-region.tsx";

export interface Column<Row> {
  /** Stable key of the column. */
  readonly id: string;
  /** Header content; for an actions column, hide it visually with `headerHidden`. */
  readonly header: string;
  readonly cell: (row: Row) => ReactNode;
  /** The cell's label in the stacked narrow layout (defaults to `header`; `null`: no label). */
  readonly label?: string | null;
  /** The header is read by screen readers only (e.g. "Actions"). */
  readonly headerHidden?: boolean;
  readonly className?: string;
}

/** Extra attributes of a row: test ids, `data-*` values browser tests select rows by. */
export type RowAttributes = HTMLAttributes<HTMLTableRowElement> & { readonly [data: `data-${string}`]: string | undefined };

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
  /** Stack rows into labelled cards on a phone. */
  readonly stack?: boolean;
  readonly className?: string;
}

export function DataTable<Row>({ label, columns, rows, rowKey, rowProps, empty, caption, stack = false, className }: DataTableProps<Row>) {
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  const classes = ["table", stack ? "table--stack" : undefined, className].filter(Boolean).join(" ");
  return (
    <TableScroll label={label}>
      <table className={classes} aria-label={label}>
        {caption !== undefined && <caption className="table__caption">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.id} scope="col" className={column.className}>
                {column.headerHidden === true ? <span className="visually-hidden">{column.header}</span> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowProps?.(row)}>
              {columns.map((column) => {
                const cellLabel = column.label === undefined ? (column.headerHidden === true ? undefined : column.header) : column.label ?? undefined;
                return (
                  <td key={column.id} className={column.className} data-label={cellLabel}>
                    {column.cell(row)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
