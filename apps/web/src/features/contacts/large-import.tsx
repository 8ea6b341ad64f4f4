/**
 * The import dialog's path for a file of more rows than one call takes (CONTACT_IMPORT_MAX_ROWS):
 * the rows go in chunks through the API's resumable chunked import (chunked-import.ts, decision
 * 0055), with the progress shown (part k of n, rows so far), a failed part retried, and an import
 * stopped part-way (an error, the dialog closed, the page reloaded) resumed from what the API says
 * is committed. There is no whole-file preview: a chunk's plan sees the chunks before it committed.
 */
import { useApolloClient, useMutation } from "@apollo/client/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { describeError, type UserFacingError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { Button, FormActions } from "../../platform/ui/index.ts";
import {
  ChunkFailedError,
  IMPORT_CHUNK_ROWS,
  IMPORT_IN_FLIGHT,
  NO_PROGRESS,
  readStoredImport,
  runChunkedImport,
  splitIntoChunks,
  storeImport,
  type ChunkTotals,
  type StoredImport,
} from "./chunked-import.ts";
import { type CsvContactRow } from "./csv.ts";
import { ConflictChoice, Progress, RowTable, Summary, type ConflictMode, type RowResult } from "./import-results.tsx";
import { ContactImportProgressDocument, ImportContactsDocument } from "./operations.ts";

type LargeState =
  | { kind: "checking" }
  | { kind: "ready"; resume?: { stored: StoredImport; progress: ChunkTotals } }
  | { kind: "running"; totals: ChunkTotals; retrying?: { chunk: number; attempt: number } }
  | { kind: "paused"; totals: ChunkTotals; chunk: number; error: UserFacingError }
  | { kind: "done"; totals: ChunkTotals };

const CONFLICT_MODES: readonly string[] = ["KEEP_EXISTING", "OVERWRITE", "SKIP"];
const isConflictMode = (value: string): value is ConflictMode => CONFLICT_MODES.includes(value);
/** A resumed import keeps the conflict choice it started with. */
const storedMode = (stored: StoredImport, fallback: ConflictMode): ConflictMode =>
  isConflictMode(stored.onConflict) ? stored.onConflict : fallback;

interface LargeImportProps {
  readonly workspaceId: string;
  readonly rows: readonly CsvContactRow[];
  /** The file's fingerprint: an import of the same file is resumed, not started again. */
  readonly fingerprint: string;
  readonly mode: ConflictMode;
  readonly onMode: (mode: ConflictMode) => void;
  readonly onClose: () => void;
}

export function LargeImport({ workspaceId, rows, fingerprint, mode, onMode, onClose }: LargeImportProps) {
  const { t } = useTranslation("contacts");
  const client = useApolloClient();
  const [run] = useMutation(ImportContactsDocument);
  const [state, setState] = useState<LargeState>({ kind: "checking" });
  // The rows to look at (refused or skipped), numbered in the file; only the chunks sent from this dialog.
  const [shown, setShown] = useState<readonly RowResult[]>([]);
  const [chunks] = useState(() => splitIntoChunks(rows));
  const stopped = useRef(false);
  useEffect(() => {
    stopped.current = false;
    return () => {
      stopped.current = true;
    };
  }, []);

  /** What the API has committed of `importId` (null: nothing yet). */
  const progressOf = async (importId: string): Promise<ChunkTotals | null> => {
    const result = await client.query({
      query: ContactImportProgressDocument,
      variables: { workspaceId, importId },
      fetchPolicy: "network-only",
    });
    return result.data?.contactImport ?? null;
  };

  // An import of this file that stopped part-way is offered to resume.
  useEffect(() => {
    const stored = readStoredImport(workspaceId, fingerprint);
    if (
      stored === undefined ||
      stored.chunks !== chunks.length ||
      stored.chunkRows !== IMPORT_CHUNK_ROWS ||
      !isConflictMode(stored.onConflict)
    ) {
      setState({ kind: "ready" });
      return;
    }
    progressOf(stored.importId).then(
      (progress) => {
        if (progress !== null && progress.chunksDone.length < stored.chunks)
          setState({ kind: "ready", resume: { stored, progress } });
        else {
          // Finished before (or nothing of it committed): a new import.
          if (progress !== null) storeImport(workspaceId, fingerprint, undefined);
          setState({ kind: "ready" });
        }
      },
      () => setState({ kind: "ready" }),
    );
    // Once, for this file (the dialog keys this component by the file).
  }, []);

  const sendChunk = async (
    importId: string,
    onConflict: ConflictMode,
    chunk: number,
    chunkRows: readonly CsvContactRow[],
  ) => {
    if (stopped.current) throw new Error("The dialog was closed.");
    const result = await run({
      variables: {
        workspaceId,
        input: { rows: [...chunkRows], dryRun: false, onConflict, importId, chunk, chunks: chunks.length },
      },
    });
    const answer = result.data?.importContacts;
    if (!answer) throw new Error("The import did not answer.");
    // The API numbers a chunk's rows from 0: in the file they come after the chunks before.
    const offset = chunk * IMPORT_CHUNK_ROWS;
    const rowsToShow = answer.rows
      .filter((r) => r.action === "ERROR" || r.action === "SKIPPED")
      .map((r) => ({
        ...r,
        row: r.row + offset,
        duplicateOfRow: r.duplicateOfRow === null ? null : r.duplicateOfRow + offset,
      }));
    return {
      created: answer.created,
      updated: answer.updated,
      skipped: answer.skipped,
      failed: answer.failed,
      rows: rowsToShow,
    };
  };

  const start = async (importId: string, onConflict: ConflictMode, from: ChunkTotals) => {
    storeImport(workspaceId, fingerprint, {
      importId,
      chunks: chunks.length,
      chunkRows: IMPORT_CHUNK_ROWS,
      onConflict,
    });
    let totals = from;
    setState({ kind: "running", totals });
    try {
      totals = await runChunkedImport({
        chunks,
        from,
        send: (chunk, chunkRows) => sendChunk(importId, onConflict, chunk, chunkRows),
        inFlight: IMPORT_IN_FLIGHT,
        onChunk: (next, chunkShown) => {
          totals = next;
          // Chunks in flight together may answer out of order: the rows stay in the file's order.
          if (chunkShown.length > 0) setShown((was) => [...was, ...chunkShown].sort((a, b) => a.row - b.row));
          setState({ kind: "running", totals: next });
        },
        onRetry: (chunk, attempt) => setState({ kind: "running", totals, retrying: { chunk, attempt } }),
      });
    } catch (caught) {
      if (stopped.current) return;
      const failed =
        caught instanceof ChunkFailedError ? caught : new ChunkFailedError(totals.chunksDone.length, caught);
      setState({ kind: "paused", totals, chunk: failed.chunk, error: describeError(failed.cause) });
      return;
    }
    storeImport(workspaceId, fingerprint, undefined);
    // The API's own totals, when it answers (they count every chunk, this dialog's or not).
    const final = await progressOf(importId).catch(() => null);
    setState({ kind: "done", totals: final ?? totals });
  };

  /** After a pause: what the API committed decides what is sent. */
  const resume = async (stored: StoredImport) => {
    const before = state.kind === "paused" ? state.totals : NO_PROGRESS;
    setState({ kind: "running", totals: before });
    const progress = await progressOf(stored.importId).catch(() => undefined);
    // The API unreachable: send from what this dialog saw committed (a chunk sent again is answered from its record).
    await start(stored.importId, storedMode(stored, mode), progress === undefined ? before : (progress ?? NO_PROGRESS));
  };

  const total = rows.length;
  const progressLabel = (totals: ChunkTotals) =>
    t("import.chunkProgress", {
      chunk: Math.min(totals.chunksDone.length + 1, chunks.length),
      chunks: chunks.length,
      rows: totals.rowsDone,
      total,
    });

  if (state.kind === "checking") return <Progress label={t("import.lookingForEarlier")} />;
  if (state.kind === "ready") {
    const { resume: earlier } = state;
    return (
      <>
        <p data-testid="import-chunked">
          {t("import.chunked", { rows: total, chunks: chunks.length, size: IMPORT_CHUNK_ROWS })}
        </p>
        {earlier !== undefined ? (
          <>
            <div className="banner banner--notice" role="status" data-testid="import-interrupted">
              {t("import.interrupted", {
                done: earlier.progress.chunksDone.length,
                chunks: earlier.stored.chunks,
                rows: earlier.progress.rowsDone,
              })}
            </div>
            <FormActions
              submitLabel={t("import.resume")}
              onSubmit={() => void start(earlier.stored.importId, storedMode(earlier.stored, mode), earlier.progress)}
              onCancel={onClose}
            />
          </>
        ) : (
          <>
            <ConflictChoice mode={mode} disabled={false} onChange={onMode} />
            <FormActions
              submitLabel={t("import.startChunked", { rows: total })}
              onSubmit={() => void start(crypto.randomUUID(), mode, NO_PROGRESS)}
              onCancel={onClose}
            />
          </>
        )}
      </>
    );
  }
  if (state.kind === "running") {
    return (
      <>
        <Progress label={progressLabel(state.totals)} value={state.totals.rowsDone} max={total} />
        {state.retrying !== undefined && (
          <p className="muted" role="status">
            {t("import.retrying", { chunk: state.retrying.chunk + 1, attempt: state.retrying.attempt })}
          </p>
        )}
      </>
    );
  }
  if (state.kind === "paused") {
    const stored = readStoredImport(workspaceId, fingerprint);
    return (
      <>
        <ErrorBanner
          error={{
            ...state.error,
            message: t("import.chunkFailed", {
              chunk: state.chunk + 1,
              chunks: chunks.length,
              message: state.error.message,
            }),
          }}
        />
        <Summary result={state.totals} done />
        <RowTable results={shown} />
        <div className="form__actions">
          {stored !== undefined && (
            <Button variant="primary" onClick={() => void resume(stored)}>
              {t("import.resume")}
            </Button>
          )}
          <Button onClick={onClose}>{t("import.close")}</Button>
        </div>
      </>
    );
  }
  return (
    <>
      <div className="banner banner--success" role="status">
        {t("import.finished")}
      </div>
      <Summary result={state.totals} done />
      <RowTable results={shown} />
      <div className="form__actions">
        <Button variant="primary" onClick={onClose}>
          {t("import.close")}
        </Button>
      </div>
    </>
  );
}
