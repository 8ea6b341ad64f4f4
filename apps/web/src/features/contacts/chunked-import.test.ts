// The chunked contact import's client logic (decision 0055): the file in chunks, only the chunks
// not committed sent, a chunk that fails for a passing reason sent again, a refusal stopping the
// import at its chunk, and a second run resuming from what is committed without sending a chunk
// twice. `send` stands in for the API's importContacts: it records what was sent.
import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";

import { describe, expect, it } from "@atrium/test-kit";

import {
  ChunkFailedError,
  fileFingerprint,
  IMPORT_CHUNK_ROWS,
  IMPORT_MAX_ROWS_CHUNKED,
  isRetriable,
  NO_PROGRESS,
  retryDelayMs,
  runChunkedImport,
  splitIntoChunks,
  type ChunkAnswer,
  type ChunkTotals,
} from "./chunked-import.ts";

interface Row {
  readonly row: number;
  readonly action: "CREATED" | "ERROR";
}

const graphQLError = (code: string, extensions: Record<string, unknown> = {}) =>
  new CombinedGraphQLErrors({ data: null, errors: [{ message: code, extensions: { code, ...extensions } }] });
const deadline = () => {
  const body = JSON.stringify({
    errors: [
      {
        message: "The request took too long",
        extensions: { code: "SERVICE_UNAVAILABLE", reason: "DEADLINE_EXCEEDED", retryAfterSeconds: 2 },
      },
    ],
  });
  return new ServerError("Response not successful", { response: new Response(body, { status: 503 }), bodyText: body });
};

/** Every chunk's rows are created, but for the numbers in `bad` (file rows), refused. */
function answerOf(chunk: number, rows: readonly number[], bad: ReadonlySet<number>): ChunkAnswer<Row> {
  const refused = rows.filter((n) => bad.has(n));
  return {
    created: rows.length - refused.length,
    updated: 0,
    skipped: 0,
    failed: refused.length,
    rows: refused.map((n) => ({ row: n - chunk * 10, action: "ERROR" as const })),
  };
}

const noWait = () => Promise.resolve();

describe("the chunked contact import", () => {
  it("splits a file into chunks of the chunk size, the last one shorter, and keeps the API's bound", () => {
    const rows = Array.from({ length: 25 }, (_, i) => i);
    expect(splitIntoChunks(rows, 10).map((c) => c.length)).toEqual([10, 10, 5]);
    expect(splitIntoChunks(rows, 10)[2]).toEqual([20, 21, 22, 23, 24]);
    expect(splitIntoChunks([], 10)).toEqual([]);
    expect(() => splitIntoChunks(rows, 0)).toThrow(RangeError);
    // 12,001 rows: seven chunks, the API's limit of 1,000 chunks is the file's limit.
    expect(splitIntoChunks(Array.from({ length: 12_001 }, (_, i) => i)).length).toBe(
      Math.ceil(12_001 / IMPORT_CHUNK_ROWS),
    );
    expect(IMPORT_MAX_ROWS_CHUNKED / IMPORT_CHUNK_ROWS).toBe(1000);
  });

  it("sends every chunk once, in order, and sums their counts", async () => {
    const chunks = splitIntoChunks(
      Array.from({ length: 25 }, (_, i) => i),
      10,
    );
    const sent: number[] = [];
    const seen: ChunkTotals[] = [];
    const totals = await runChunkedImport({
      chunks,
      from: NO_PROGRESS,
      send: (chunk, rows) => {
        sent.push(chunk);
        return Promise.resolve(answerOf(chunk, rows, new Set([3, 21])));
      },
      onChunk: (next) => seen.push(next),
      sleep: noWait,
    });
    expect(sent).toEqual([0, 1, 2]);
    expect(totals).toEqual({ chunksDone: [0, 1, 2], rowsDone: 25, created: 23, updated: 0, skipped: 0, failed: 2 });
    expect(seen.map((s) => s.rowsDone)).toEqual([10, 20, 25]);
  });

  it("sends a chunk again after a lost answer or the API's deadline, waiting as it asks", async () => {
    const chunks = splitIntoChunks(
      Array.from({ length: 20 }, (_, i) => i),
      10,
    );
    const failures = [new TypeError("Failed to fetch"), deadline()];
    const sent: number[] = [];
    const waits: number[] = [];
    const retries: [number, number][] = [];
    const totals = await runChunkedImport({
      chunks,
      from: NO_PROGRESS,
      send: (chunk, rows) => {
        sent.push(chunk);
        const failure = chunk === 1 ? failures.shift() : undefined;
        return failure === undefined ? Promise.resolve(answerOf(chunk, rows, new Set())) : Promise.reject(failure);
      },
      onRetry: (chunk, attempt) => retries.push([chunk, attempt]),
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    expect(sent).toEqual([0, 1, 1, 1]);
    expect(retries).toEqual([
      [1, 2],
      [1, 3],
    ]);
    // 1 s after the network error, then the 2 s the 503 asked for.
    expect(waits).toEqual([1000, 2000]);
    expect(totals.created).toBe(20);
  });

  it("stops at a chunk that keeps failing, and a second run resumes there without sending a chunk twice", async () => {
    const chunks = splitIntoChunks(
      Array.from({ length: 40 }, (_, i) => i),
      10,
    );
    const committed = new Map<number, ChunkAnswer<Row>>();
    let down = true;
    const sent: number[] = [];
    const send = (chunk: number, rows: readonly number[]) => {
      sent.push(chunk);
      if (chunk === 2 && down) return Promise.reject(deadline());
      const answer = committed.get(chunk) ?? answerOf(chunk, rows, new Set([35]));
      committed.set(chunk, answer);
      return Promise.resolve(answer);
    };
    let paused: ChunkTotals = NO_PROGRESS;
    const failure = await runChunkedImport({
      chunks,
      from: NO_PROGRESS,
      send,
      onChunk: (t) => (paused = t),
      sleep: noWait,
    }).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(ChunkFailedError);
    expect((failure as ChunkFailedError).chunk).toBe(2);
    expect(sent).toEqual([0, 1, 2, 2, 2]);
    expect(paused.chunksDone).toEqual([0, 1]);

    // What contactImport answers now: chunks 0 and 1 committed.
    down = false;
    sent.length = 0;
    const totals = await runChunkedImport({ chunks, from: paused, send, sleep: noWait });
    expect(sent).toEqual([2, 3]);
    expect(totals).toEqual({ chunksDone: [0, 1, 2, 3], rowsDone: 40, created: 39, updated: 0, skipped: 0, failed: 1 });
  });

  it("does not retry a refusal: bad input, no permission, an unknown workspace", async () => {
    for (const code of ["BAD_USER_INPUT", "FORBIDDEN", "NOT_FOUND", "CONFLICT"]) {
      let calls = 0;
      const failure = await runChunkedImport({
        chunks: [[1]],
        from: NO_PROGRESS,
        send: () => {
          calls++;
          return Promise.reject(graphQLError(code));
        },
        sleep: noWait,
      }).catch((caught: unknown) => caught);
      expect(failure).toBeInstanceOf(ChunkFailedError);
      expect(calls).toBe(1);
    }
    expect(isRetriable(graphQLError("RATE_LIMITED"))).toBe(true);
    expect(isRetriable(new TypeError("Failed to fetch"))).toBe(true);
    expect(retryDelayMs(graphQLError("RATE_LIMITED", { retryAfterSeconds: 5 }), 2)).toBe(5000);
    expect(retryDelayMs(new TypeError("Failed to fetch"), 3)).toBe(2000);
  });

  it("keeps two chunks in flight: each starts in order as one ends, every chunk once, the totals summed whatever the order of the answers", async () => {
    const chunks = splitIntoChunks(
      Array.from({ length: 50 }, (_, i) => i),
      10,
    );
    const started: number[] = [];
    let open = 0;
    let most = 0;
    const answers = new Map<number, () => void>();
    const run = runChunkedImport({
      chunks,
      from: NO_PROGRESS,
      inFlight: 2,
      send: (chunk, rows) => {
        started.push(chunk);
        most = Math.max(most, ++open);
        return new Promise<ChunkAnswer<Row>>((resolve) =>
          answers.set(chunk, () => {
            open--;
            resolve(answerOf(chunk, rows, new Set([41])));
          }),
        );
      },
      sleep: noWait,
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    await settle();
    expect(started).toEqual([0, 1]);
    // Chunk 1 answers first: chunk 2 starts, chunk 0 is still in flight.
    answers.get(1)!();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    for (const chunk of [0, 2, 3, 4]) {
      await settle();
      answers.get(chunk)!();
    }
    const totals = await run;
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    expect(totals).toEqual({
      chunksDone: [0, 1, 2, 3, 4],
      rowsDone: 50,
      created: 49,
      updated: 0,
      skipped: 0,
      failed: 1,
    });
  });

  it("with two in flight, a chunk that keeps failing stops new chunks, lets the other finish, and names the first failed chunk", async () => {
    const chunks = splitIntoChunks(
      Array.from({ length: 60 }, (_, i) => i),
      10,
    );
    const sent: number[] = [];
    let paused: ChunkTotals = NO_PROGRESS;
    const failure = await runChunkedImport({
      chunks,
      from: NO_PROGRESS,
      inFlight: 2,
      send: (chunk, rows) => {
        sent.push(chunk);
        if (chunk === 2) return Promise.reject(graphQLError("BAD_USER_INPUT"));
        return Promise.resolve(answerOf(chunk, rows, new Set()));
      },
      onChunk: (t) => (paused = t),
      sleep: noWait,
    }).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(ChunkFailedError);
    expect((failure as ChunkFailedError).chunk).toBe(2);
    // Chunk 3 was in flight beside chunk 2 and is committed; nothing after it started.
    expect(sent).toEqual([0, 1, 2, 3]);
    expect(paused.chunksDone).toEqual([0, 1, 3]);
  });

  it("fingerprints a file by its text: the same file resumes the same import, another does not", () => {
    const file = "name,email\nAda,ada@example.com\n";
    expect(fileFingerprint(file)).toBe(fileFingerprint(`${file}`));
    expect(fileFingerprint(file)).not.toBe(fileFingerprint(file.replace("Ada,", "Adb,")));
    expect(fileFingerprint(file)).not.toBe(fileFingerprint(`${file}\n`));
  });
});
