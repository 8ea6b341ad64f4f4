/** What a contact import will do or did: the counts, the values a merge loses, and the rows that need a look. */
import { type TFunction } from "i18next";
import { useTranslation } from "react-i18next";

import { type ImportContactsMutation } from "../../gql/graphql.ts";
import { formatNumber } from "../../platform/format.ts";
import { DataTable, Radio, type Column } from "../../platform/ui/index.ts";

export type ImportResult = ImportContactsMutation["importContacts"];
export type RowResult = ImportResult["rows"][number];
export type ConflictMode = ImportResult["onConflict"];
/** An import's counts: one call's, or a chunked import's totals. */
export type ImportCounts = Pick<ImportResult, "created" | "updated" | "skipped" | "failed">;

/** The conflict choices, in order; each is worded by `import.conflictModes.<value>`. */
const CONFLICT_MODES: readonly ConflictMode[] = ["KEEP_EXISTING", "OVERWRITE", "SKIP"];

/** How a row matching a contact with other values is treated: the radio group. */
export function ConflictChoice({
  mode,
  disabled,
  onChange,
}: {
  mode: ConflictMode;
  disabled: boolean;
  onChange: (mode: ConflictMode) => void;
}) {
  const { t } = useTranslation("contacts");
  return (
    <fieldset className="field" disabled={disabled}>
      <legend>{t("import.conflictLegend")}</legend>
      {CONFLICT_MODES.map((value) => (
        <label key={value} className="choice">
          <Radio name="on-conflict" value={value} checked={mode === value} onChange={() => onChange(value)} />
          <span>
            <strong>{t(`import.conflictModes.${value}.label`)}</strong> —{" "}
            {t(`import.conflictModes.${value}.explanation`)}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** Work under way: a bar that moves when `value` (of `max`) is known, else an indeterminate one. */
export function Progress({ label, value, max }: { label: string; value?: number; max?: number }) {
  return (
    <div className="field">
      <label htmlFor="import-progress">{label}</label>
      <progress id="import-progress" {...(value !== undefined && max !== undefined ? { value, max } : {})} />
    </div>
  );
}

/** What the import will do (the preview) or did (`done`). */
export function Summary({ result, done }: { result: ImportCounts; done: boolean }) {
  const { t } = useTranslation("contacts");
  const counts = {
    created: formatNumber(result.created),
    updated: formatNumber(result.updated),
    skipped: formatNumber(result.skipped),
    failed: formatNumber(result.failed),
  };
  const text =
    result.skipped > 0
      ? done
        ? t("import.doneSummarySkipped", counts)
        : t("import.previewSummarySkipped", counts)
      : done
        ? t("import.doneSummary", counts)
        : t("import.previewSummary", counts);
  return <p data-testid="import-summary">{text}</p>;
}

/** What the import would not keep: stored values replaced, and file values left out. */
export function Losses({ result }: { result: ImportResult }) {
  const { t } = useTranslation("contacts");
  const merged = result.rows.filter((r) => r.action === "UPDATED");
  const replacing = merged.filter((r) => r.changes.some((c) => c.kind === "REPLACED")).length;
  const ignoring = merged.filter((r) => r.changes.some((c) => c.kind === "IGNORED")).length;
  if (replacing === 0 && ignoring === 0) return null;
  return (
    <div className="banner banner--notice" data-testid="import-losses">
      {replacing > 0 && <p>{t("import.replacing", { count: replacing })}</p>}
      {ignoring > 0 && <p>{t("import.ignoring", { count: ignoring })}</p>}
    </div>
  );
}

const ACTIONS = ["CREATED", "UPDATED", "SKIPPED", "ERROR"] as const;
const FIELDS = ["name", "email", "phone", "tags"] as const;
const MATCH_FIELDS = ["email", "phone"] as const;
const isOneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

/** One line per change: what the merge does to the field. */
function changeText(c: RowResult["changes"][number], t: TFunction<"contacts">): string {
  const values = {
    field: isOneOf(FIELDS, c.field) ? t(`import.fields.${c.field}`) : c.field,
    stored: c.stored ?? "",
    incoming: c.incoming ?? "",
  };
  if (c.kind === "ADDED") return t("import.changeAdded", values);
  if (c.kind === "REPLACED") return t("import.changeReplaced", values);
  return c.stored === null ? t("import.changeNotImported", values) : t("import.changeKept", values);
}

function changeLines(r: RowResult, t: TFunction<"contacts">): string[] {
  if (r.matchedBy === null) return [];
  const how = isOneOf(MATCH_FIELDS, r.matchedBy) ? t(`import.matchedByField.${r.matchedBy}`) : r.matchedBy;
  const match =
    r.duplicateOfRow === null
      ? t("import.matchedBy", { how })
      : t("import.sameContact", { line: r.duplicateOfRow + 2, how });
  return [match, ...r.changes.map((c) => changeText(c, t))];
}

/** Rows that need a look first: errors, skipped rows, merges that replace or leave out values. */
const rank = (r: RowResult) =>
  r.action === "ERROR"
    ? 0
    : r.action === "SKIPPED"
      ? 1
      : r.changes.some((c) => c.kind !== "ADDED")
        ? 2
        : r.action === "UPDATED"
          ? 3
          : 4;
const SHOWN_ROWS = 200;

export function RowTable({ results }: { results: readonly RowResult[] }) {
  const { t } = useTranslation("contacts");
  if (results.length === 0) return null;
  const shown = [...results].sort((a, b) => rank(a) - rank(b) || a.row - b.row).slice(0, SHOWN_ROWS);
  const rowColumns: Column<RowResult>[] = [
    // The file's line: the header is line 1.
    { id: "row", header: t("import.columns.line"), cell: (r) => r.row + 2 },
    {
      id: "outcome",
      header: t("import.columns.outcome"),
      cell: (r) => (
        <>
          <span className={r.action === "ERROR" ? "badge badge--warning" : "badge"}>
            {isOneOf(ACTIONS, r.action) ? t(`import.actions.${r.action}`) : r.action}
          </span>
          {r.error && <div className="field__error">{r.error}</div>}
        </>
      ),
    },
    { id: "name", header: t("import.columns.name"), cell: (r) => r.name ?? <span className="muted">—</span> },
    {
      id: "contact",
      header: t("import.columns.contact"),
      cell: (r) => [r.email, r.phone].filter(Boolean).join(" · ") || <span className="muted">—</span>,
    },
    {
      id: "changes",
      header: t("import.columns.changes"),
      cell: (r) => (
        <ul className="import-changes" data-testid="row-changes">
          {changeLines(r, t).map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      ),
    },
  ];
  return (
    <>
      <DataTable label={t("import.rows")} rows={shown} rowKey={(r) => String(r.row)} columns={rowColumns} />
      {results.length > shown.length && (
        <p className="muted">{t("import.more", { count: results.length - shown.length })}</p>
      )}
    </>
  );
}
