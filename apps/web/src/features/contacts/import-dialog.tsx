/** The CSV import dialog of the contacts page: choose a file, preview the plan, import it, read the outcome per row. */
import { type ImportContactsMutation } from "../../gql/graphql.ts";
import { useMutation } from "@apollo/client/react";
import { CONTACT_IMPORT_MAX_ROWS } from "@atrium/validation";
import { type TFunction } from "i18next";
import { type ChangeEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button, type Column, DataTable, Dialog, FormActions, Input, Radio } from "../../platform/ui/index.ts";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { type CsvContactRow, type CsvProblem, parseContactsCsv } from "./csv.ts";
import { ImportContactsDocument } from "./operations.ts";

type ImportResult = ImportContactsMutation["importContacts"];
type RowResult = ImportResult["rows"][number];
type ConflictMode = ImportResult["onConflict"];
type ImportStage =
  | { kind: "choose"; problems: string[] }
  | { kind: "previewing"; rows: CsvContactRow[] }
  | { kind: "preview"; rows: CsvContactRow[]; result: ImportResult }
  | { kind: "importing"; rows: CsvContactRow[]; result: ImportResult }
  | { kind: "done"; result: ImportResult };

/** The conflict choices, in order; each is worded by `import.conflictModes.<value>`. */
const CONFLICT_MODES: readonly ConflictMode[] = ["KEEP_EXISTING", "OVERWRITE", "SKIP"];

/** A problem of the chosen file, in words. */
function problemText(problem: CsvProblem, t: TFunction<"contacts">): string {
  return problem.kind === "noContactColumn" ? t("import.noContactColumn") : t("import.parseProblem", { row: problem.row, message: problem.message });
}

/**
 * Choose a file → preview (the import's own plan for the whole file, nothing stored) → import
 * exactly that plan (its planId goes along; a plan changed meanwhile is refused and previewed
 * again) → per-row outcome. The conflict choice re-previews. Decision 0030.
 */
export function ImportDialog({ workspaceId, onClose }: { workspaceId: string; onClose: () => void }) {
  const { t } = useTranslation("contacts");
  const [stage, setStage] = useState<ImportStage>({ kind: "choose", problems: [] });
  const [mode, setMode] = useState<ConflictMode>("KEEP_EXISTING");
  const [error, setError] = useState<UserFacingError>();
  const [run] = useMutation(ImportContactsDocument);

  const send = async (rows: CsvContactRow[], onConflict: ConflictMode, plan?: string): Promise<ImportResult> => {
    const input = plan === undefined ? { rows, dryRun: true, onConflict } : { rows, dryRun: false, onConflict, expectedPlanId: plan };
    const r = await run({ variables: { workspaceId, input } });
    const result = r.data?.importContacts;
    if (!result) throw new Error("The import did not answer.");
    return result;
  };

  const preview = async (rows: CsvContactRow[], onConflict: ConflictMode) => {
    setStage({ kind: "previewing", rows });
    try {
      setStage({ kind: "preview", rows, result: await send(rows, onConflict) });
    } catch (caught) {
      setError(describeError(caught));
      setStage({ kind: "choose", problems: [] });
    }
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    setError(undefined);
    const parsed = parseContactsCsv(await file.text());
    if (parsed.rows.length === 0 || (parsed.columns.email === null && parsed.columns.phone === null)) {
      const problems = parsed.problems.map((problem) => problemText(problem, t));
      setStage({ kind: "choose", problems: parsed.rows.length === 0 ? [t("import.noRows"), ...problems] : problems });
      return;
    }
    if (parsed.rows.length > CONTACT_IMPORT_MAX_ROWS) {
      setStage({ kind: "choose", problems: [t("import.tooMany", { count: parsed.rows.length, max: CONTACT_IMPORT_MAX_ROWS })] });
      return;
    }
    await preview(parsed.rows, mode);
  };

  const onMode = (next: ConflictMode) => {
    setMode(next);
    if (stage.kind === "preview") {
      setError(undefined);
      void preview(stage.rows, next);
    }
  };

  const onImport = async (rows: CsvContactRow[], result: ImportResult) => {
    setStage({ kind: "importing", rows, result });
    setError(undefined);
    try {
      setStage({ kind: "done", result: await send(rows, result.onConflict, result.planId) });
    } catch (caught) {
      const described = describeError(caught);
      setError(described);
      // The contacts changed since the preview (nothing was imported): show what the import would do now.
      if (described.code === "CONFLICT") await preview(rows, result.onConflict);
      else setStage({ kind: "preview", rows, result });
    }
  };

  // The choice stays in place (disabled) while a new preview is worked out, so focus stays on it.
  const choosing = stage.kind === "choose" || stage.kind === "previewing" || stage.kind === "preview";
  return (
    <Dialog title={t("import.title")} onClose={onClose}>
      <div className="form">
        <ErrorBanner error={error} />
        {stage.kind === "choose" && (
          <>
            <Field label={t("import.file")} hint={t("import.fileHint")}>
              {(c) => <Input {...c} type="file" accept=".csv,text/csv" onChange={(e) => void onFile(e)} />}
            </Field>
            {stage.problems.length > 0 && (
              <ul className="warning-list" role="alert">
                {stage.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            )}
          </>
        )}
        {choosing && (
          <fieldset className="field" disabled={stage.kind === "previewing"}>
            <legend>{t("import.conflictLegend")}</legend>
            {CONFLICT_MODES.map((value) => (
              <label key={value} className="choice">
                <Radio name="on-conflict" value={value} checked={mode === value} onChange={() => onMode(value)} />
                <span>
                  <strong>{t(`import.conflictModes.${value}.label`)}</strong> — {t(`import.conflictModes.${value}.explanation`)}
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {stage.kind === "previewing" && <Progress label={t("import.checking", { count: stage.rows.length })} />}
        {stage.kind === "importing" && <Progress label={t("import.importing", { count: stage.rows.length })} />}
        {stage.kind === "preview" && (
          <>
            <Summary result={stage.result} done={false} />
            <Losses result={stage.result} />
            <RowTable results={stage.result.rows} />
            <FormActions
              submitLabel={t("import.importRows", { count: stage.result.created + stage.result.updated })}
              disabled={stage.result.created + stage.result.updated === 0}
              onSubmit={() => void onImport(stage.rows, stage.result)}
              onCancel={onClose}
            />
          </>
        )}
        {stage.kind === "done" && (
          <>
            <div className="banner banner--success" role="status">
              {t("import.finished")}
            </div>
            <Summary result={stage.result} done />
            <RowTable results={stage.result.rows.filter((r) => r.action === "ERROR" || r.action === "SKIPPED")} />
            <div className="form__actions">
              <Button variant="primary" onClick={onClose}>
                {t("import.close")}
              </Button>
            </div>
          </>
        )}
      </div>
    </Dialog>
  );
}

function Progress({ label }: { label: string }) {
  return (
    <div className="field">
      <label htmlFor="import-progress">{label}</label>
      <progress id="import-progress" />
    </div>
  );
}

/** What the import will do (the preview) or did (`done`). */
function Summary({ result, done }: { result: ImportResult; done: boolean }) {
  const { t } = useTranslation("contacts");
  const counts = { created: result.created, updated: result.updated, skipped: result.skipped, failed: result.failed };
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
function Losses({ result }: { result: ImportResult }) {
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
const isOneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

/** One line per change: what the merge does to the field. */
function changeText(c: RowResult["changes"][number], t: TFunction<"contacts">): string {
  const values = { field: isOneOf(FIELDS, c.field) ? t(`import.fields.${c.field}`) : c.field, stored: c.stored ?? "", incoming: c.incoming ?? "" };
  if (c.kind === "ADDED") return t("import.changeAdded", values);
  if (c.kind === "REPLACED") return t("import.changeReplaced", values);
  return c.stored === null ? t("import.changeNotImported", values) : t("import.changeKept", values);
}

function changeLines(r: RowResult, t: TFunction<"contacts">): string[] {
  if (r.matchedBy === null) return [];
  const how = isOneOf(MATCH_FIELDS, r.matchedBy) ? t(`import.matchedByField.${r.matchedBy}`) : r.matchedBy;
  const match = r.duplicateOfRow === null ? t("import.matchedBy", { how }) : t("import.sameContact", { line: r.duplicateOfRow + 2, how });
  return [match, ...r.changes.map((c) => changeText(c, t))];
}

/** Rows that need a look first: errors, skipped rows, merges that replace or leave out values. */
const rank = (r: RowResult) => (r.action === "ERROR" ? 0 : r.action === "SKIPPED" ? 1 : r.changes.some((c) => c.kind !== "ADDED") ? 2 : r.action === "UPDATED" ? 3 : 4);
const SHOWN_ROWS = 200;

function RowTable({ results }: { results: RowResult[] }) {
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
          <span className={r.action === "ERROR" ? "badge badge--warning" : "badge"}>{isOneOf(ACTIONS, r.action) ? t(`import.actions.${r.action}`) : r.action}</span>
          {r.error && <div className="field__error">{r.error}</div>}
        </>
      ),
    },
    { id: "name", header: t("import.columns.name"), cell: (r) => r.name ?? <span className="muted">—</span> },
    { id: "contact", header: t("import.columns.contact"), cell: (r) => [r.email, r.phone].filter(Boolean).join(" · ") || <span className="muted">—</span> },
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
      <DataTable
        label={t("import.rows")}
        rows={shown}
        rowKey={(r) => String(r.row)}
        columns={rowColumns}
      />
      {results.length > shown.length && <p className="muted">{t("import.more", { count: results.length - shown.length })}</p>}
    </>
  );
}
