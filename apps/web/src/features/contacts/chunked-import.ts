/**
 * A CSV file larger than one import call takes (CONTACT_IMPORT_MAX_ROWS) is sent in chunks
 * through the API's resumable chunked import (decision 0055): every chunk carries the same
 * importId, its number and the number of chunks; the API commits each chunk with its record, in
 * one transaction, and answers a chunk sent again from that record (`replayed`), so sending one
 * twice imports nothing twice. That makes the two things a client needs safe:
 *
 * - retrying a chunk whose answer was lost (a dropped connection, the request deadline's 503);
 * - resuming: `contactImport(importId)` says which chunks are committed, the others are sent.
 *
 * The importId of a file being imported is kept in localStorage, by the file's fingerprint, so a
 * closed dialog or a reloaded page resumes the same import instead of starting another.
 */
import { errorCode, errorExtension } from "../../platform/errors.ts";

/** Rows per chunk: small enough for a chunk to finish well inside the API's request deadline. */
export const IMPORT_CHUNK_ROWS = 2000;
/** The API's limit on chunks per import (`chunks` ≤ 1,000). */
export const IMPORT_MAX_CHUNKS = 1000;
/** The largest file the dialog imports. */
export const IMPORT_MAX_ROWS_CHUNKED = IMPORT_CHUNK_ROWS * IMPORT_MAX_CHUNKS;
/** Attempts per chunk before the import pauses (and can be resumed by hand). */
export const CHUNK_ATTEMPTS = 3;
/**
 * Chunks the dialog keeps in flight: while the API writes one (under the workspace's import lock,
 * in PostgreSQL), it reads and checks the next, so the two cores of a small server both work
 * (issue 52, decision 0055). Each chunk is planned under the lock, after the ones committed before
 * it, so two in flight import exactly what one after the other would.
 */
export const IMPORT_IN_FLIGHT = 2;

/** The file in chunks of at most `size` rows, in order. */
export function splitIntoChunks<T>(rows: readonly T[], size = IMPORT_CHUNK_ROWS): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size ${size}`);
  const chunks: T[][] = [];
  for (let start = 0; start < rows.length; start += size) chunks.push(rows.slice(start, start + size));
  return chunks;
}

/** What the import has done so far: the API's `ContactImportProgress`, without its id. */
export interface ChunkTotals {
  readonly chunksDone: readonly number[];
  readonly rowsDone: number;
  readonly created: number;
  readonly updated: number;
  readonly skipped: number;
  readonly failed: number;
}

/** One chunk's answer: its counts and the rows to show. */
export interface ChunkAnswer<R> {
  readonly created: number;
  readonly updated: number;
  readonly skipped: number;
  readonly failed: number;
  readonly rows: readonly R[];
}

export const NO_PROGRESS: ChunkTotals = { chunksDone: [], rowsDone: 0, created: 0, updated: 0, skipped: 0, failed: 0 };

/**
 * Whether sending a chunk again may succeed: a lost connection, the API busy or past its deadline.
 * A refusal (bad input, no permission, an unknown workspace, a conflicting import) will not change.
 */
export function isRetriable(error: unknown): boolean {
  const code = errorCode(error);
  return (
    code === undefined || code === "SERVICE_UNAVAILABLE" || code === "RATE_LIMITED" || code === "INTERNAL_SERVER_ERROR"
  );
}

/** How long to wait before attempt `attempt` (2, 3, …): the API's Retry-After when it gives one, else 1 s, 2 s, 4 s… */
export function retryDelayMs(error: unknown, attempt: number): number {
  const after = errorExtension(error, "retryAfterSeconds");
  if (typeof after === "number" && Number.isFinite(after) && after > 0) return Math.min(after, 30) * 1000;
  return 1000 * 2 ** (attempt - 2);
}

/** A chunk failed on every attempt (or with an error that will not change): the import is paused at it. */
export class ChunkFailedError extends Error {
  constructor(
    readonly chunk: number,
    override readonly cause: unknown,
  ) {
    super(`chunk ${chunk} failed`);
  }
}

export interface ChunkedImportRun<T, R> {
  readonly chunks: readonly (readonly T[])[];
  /** What is committed already (`contactImport`, on a resume); those chunks are not sent. */
  readonly from: ChunkTotals;
  /** Sends chunk `chunk` (its rows) and answers its counts and rows. */
  readonly send: (chunk: number, rows: readonly T[]) => Promise<ChunkAnswer<R>>;
  /** After each committed chunk: the totals so far, and that chunk's rows to show. */
  readonly onChunk?: (totals: ChunkTotals, rows: readonly R[]) => void;
  /** Before attempt `attempt` (2, 3, …) of a chunk. */
  readonly onRetry?: (chunk: number, attempt: number, error: unknown) => void;
  readonly attempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Chunks sent at once (1: one after the other); they start in the file's order. */
  readonly inFlight?: number;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends the chunks not yet committed, in order, `inFlight` at a time, each retried (`attempts`,
 * with a delay) on an error that may pass; answers the totals. A chunk that cannot be sent stops
 * the import: no further chunk starts, the ones in flight finish, and ChunkFailedError names the
 * first chunk that failed — every chunk committed is in the totals, and running again (from
 * `contactImport`'s chunksDone) sends only what is missing.
 */
export async function runChunkedImport<T, R>(run: ChunkedImportRun<T, R>): Promise<ChunkTotals> {
  const { chunks, send, onChunk, onRetry, attempts = CHUNK_ATTEMPTS, sleep = wait, inFlight = 1 } = run;
  let totals = run.from;
  const done = new Set(run.from.chunksDone);
  const queue = [...chunks.keys()].filter((chunk) => !done.has(chunk));
  let failed: ChunkFailedError | undefined;

  const sendOne = async (chunk: number): Promise<void> => {
    const rows = chunks[chunk]!;
    let answer: ChunkAnswer<R> | undefined;
    for (let attempt = 1; answer === undefined; attempt++) {
      try {
        answer = await send(chunk, rows);
      } catch (caught) {
        if (attempt >= attempts || !isRetriable(caught)) throw new ChunkFailedError(chunk, caught);
        onRetry?.(chunk, attempt + 1, caught);
        await sleep(retryDelayMs(caught, attempt + 1));
      }
    }
    done.add(chunk);
    totals = {
      chunksDone: [...done].sort((a, b) => a - b),
      rowsDone: totals.rowsDone + rows.length,
      created: totals.created + answer.created,
      updated: totals.updated + answer.updated,
      skipped: totals.skipped + answer.skipped,
      failed: totals.failed + answer.failed,
    };
    onChunk?.(totals, answer.rows);
  };

  const worker = async (): Promise<void> => {
    for (let chunk = queue.shift(); chunk !== undefined && failed === undefined; chunk = queue.shift()) {
      try {
        await sendOne(chunk);
      } catch (caught) {
        const error = caught instanceof ChunkFailedError ? caught : new ChunkFailedError(chunk, caught);
        // (Read afresh: another worker may have set it while this one awaited.)
        const first = failed as ChunkFailedError | undefined;
        if (first === undefined || error.chunk < first.chunk) failed = error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(inFlight, queue.length)) }, worker));
  if (failed) throw failed;
  return totals;
}

/** A short fingerprint of the file's text (FNV-1a, and its length): the same file resumes the same import. */
export function fileFingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${text.length.toString(36)}-${(hash >>> 0).toString(36)}`;
}

/** An import under way, as kept to resume it. */
export interface StoredImport {
  readonly importId: string;
  readonly chunks: number;
  readonly chunkRows: number;
  readonly onConflict: string;
}

const storageKey = (workspaceId: string, fingerprint: string) => `atrium.contactImport.${workspaceId}.${fingerprint}`;

export function readStoredImport(workspaceId: string, fingerprint: string): StoredImport | undefined {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(storageKey(workspaceId, fingerprint)) ?? "null");
    if (typeof value !== "object" || value === null) return undefined;
    const { importId, chunks, chunkRows, onConflict } = value as Record<string, unknown>;
    return typeof importId === "string" &&
      typeof chunks === "number" &&
      typeof chunkRows === "number" &&
      typeof onConflict === "string"
      ? { importId, chunks, chunkRows, onConflict }
      : undefined;
  } catch {
    return undefined;
  }
}

export function storeImport(workspaceId: string, fingerprint: string, stored: StoredImport | undefined): void {
  try {
    if (stored === undefined) window.localStorage.removeItem(storageKey(workspaceId, fingerprint));
    else window.localStorage.setItem(storageKey(workspaceId, fingerprint), JSON.stringify(stored));
  } catch {
    // Storage refused (a private window): the import still runs, it just cannot be resumed after a reload.
  }
}
