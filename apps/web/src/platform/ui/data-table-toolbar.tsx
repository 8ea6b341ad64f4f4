/**
 * The bar above a DataTable: the bulk actions for the selected rows, a note on how the rows are
 * ordered, the page size, and the Columns menu (data-table.tsx).
 */
import { type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { type PageSizeChoice } from "./data-table-types.ts";
import { Popover } from "./popover.tsx";

const SMALL_BUTTON = "button button--small";

/** A column the Columns menu can show or hide. */
export interface HideableColumn {
  readonly id: string;
  readonly header: string;
  readonly visible: boolean;
  readonly toggle: (visible: boolean) => void;
}

interface DataTableToolbarProps {
  /** The table's accessible name. */
  readonly label: string;
  /** The bulk actions for the selected rows (when any row is selected), and how many are. */
  readonly bulk: { readonly count: number; readonly actions: ReactNode; readonly clear: () => void } | undefined;
  readonly note: string | undefined;
  readonly pageSize: PageSizeChoice | undefined;
  /** The Columns menu's columns; undefined: no menu. */
  readonly hideable: readonly HideableColumn[] | undefined;
}

export function DataTableToolbar({ label, bulk, note, pageSize, hideable }: DataTableToolbarProps) {
  const { t } = useTranslation("common");
  return (
    <div className="data-table-toolbar">
      {bulk !== undefined && (
        <div
          className="data-table-bulk"
          role="group"
          aria-label={t("dataTable.bulkActions", { label })}
          data-testid="bulk-actions"
        >
          <span aria-live="polite">{t("dataTable.selected", { count: bulk.count })}</span>
          {bulk.actions}
          <button type="button" className="button button--small" onClick={bulk.clear}>
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
      {hideable !== undefined && (
        <Popover
          label={t("dataTable.columnsOf", { label })}
          trigger={t("dataTable.columns")}
          triggerClassName={SMALL_BUTTON}
          title={t("dataTable.showColumns")}
          align="end"
        >
          {() => (
            <ul className="data-table-columns">
              {hideable.map((column) => (
                <li key={column.id}>
                  <label>
                    <input
                      type="checkbox"
                      checked={column.visible}
                      onChange={(event) => column.toggle(event.target.checked)}
                    />{" "}
                    {column.header}
                  </label>
                </li>
              ))}
            </ul>
          )}
        </Popover>
      )}
    </div>
  );
}
