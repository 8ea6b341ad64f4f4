/** The CSV import dialog of the contacts page: choose a file, preview the plan, import it, read the outcome per row. */
import { useMutation } from "@apollo/client/react";
import { type TFunction } from "i18next";
import { useState, type ChangeEvent } from "react";
import { useTranslation } from "react-i18next";

import { CONTACT_IMPORT_MAX_ROWS } from "@atrium/validation";

import { describeError, type UserFacingError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { Button, Dialog, FormActions, Input } from "../../platform/ui/index.ts";
import { fileFingerprint, IMPORT_MAX_ROWS_CHUNKED } from "./chunked-import.ts";
import { parseContactsCsv, type CsvContactRow, type CsvProblem } from "./csv.ts";
import {
  ConflictChoice,
  Losses,
  Progress,
  RowTable,
  Summary,
  type ConflictMode,
  type ImportResult,
} from "./import-results.tsx";
import { LargeImport } from "./large-import.tsx";
import { ImportContactsDocument } from "./operations.ts";

type ImportStage =
  | { kind: "choose"; problems: string[] }
  /** More rows than one call takes: sent in chunks (large-import.tsx), without a whole-file preview. */
  | { kind: "large"; rows: CsvContactRow[]; fingerprint: string }
  | { kind: "previewing"; rows: CsvContactRow[] }
  | { kind: "preview"; rows: CsvContactRow[]; result: ImportResult }
  | { kind: "importing"; rows: CsvContactRow[]; result: ImportResult }
  | { kind: "done"; result: ImportResult };

/** A problem of the chosen file, in words. */
function problemText(problem: CsvProblem, t: TFunction<"contacts">): string {
  return problem.kind === "noContactColumn"
    ? t("import.noContactColumn")
    : t("import.parseProblem", { row: problem.row, message: problem.message });
}

/**
 * Choose a file → preview (the import's own plan for the whole file, nothing stored) → import
 * exactly that plan (its planId goes along; a plan changed meanwhile is refused and previewed
 * again) → per-row outcome. The conflict choice re-previews. Decision 0030. A file of more rows
 * than one call takes is imported in chunks instead (decision 0055, large-import.tsx).
 */
export function ImportDialog({ workspaceId, onClose }: { workspaceId: string; onClose: () => void }) {
  const { t } = useTranslation("contacts");
  const [stage, setStage] = useState<ImportStage>({ kind: "choose", problems: [] });
  const [mode, setMode] = useState<ConflictMode>("KEEP_EXISTING");
  const [error, setError] = useState<UserFacingError>();
  const [run] = useMutation(ImportContactsDocument);

  const send = async (rows: CsvContactRow[], onConflict: ConflictMode, plan?: string): Promise<ImportResult> => {
    const input =
      plan === undefined
        ? { rows, dryRun: true, onConflict }
        : { rows, dryRun: false, onConflict, expectedPlanId: plan };
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
    const text = await file.text();
    const parsed = parseContactsCsv(text);
    if (parsed.rows.length === 0 || (parsed.columns.email === null && parsed.columns.phone === null)) {
      const problems = parsed.problems.map((problem) => problemText(problem, t));
      setStage({ kind: "choose", problems: parsed.rows.length === 0 ? [t("import.noRows"), ...problems] : problems });
      return;
    }
    if (parsed.rows.length > IMPORT_MAX_ROWS_CHUNKED) {
      setStage({
        kind: "choose",
        problems: [t("import.tooMany", { count: parsed.rows.length, max: IMPORT_MAX_ROWS_CHUNKED })],
      });
      return;
    }
    if (parsed.rows.length > CONTACT_IMPORT_MAX_ROWS) {
      setStage({ kind: "large", rows: parsed.rows, fingerprint: fileFingerprint(text) });
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
        {choosing && <ConflictChoice mode={mode} disabled={stage.kind === "previewing"} onChange={onMode} />}
        {stage.kind === "large" && (
          <LargeImport
            key={stage.fingerprint}
            workspaceId={workspaceId}
            rows={stage.rows}
            fingerprint={stage.fingerprint}
            mode={mode}
            onMode={setMode}
            onClose={onClose}
          />
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
