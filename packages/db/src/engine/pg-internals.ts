// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- pg ships no types for pg/lib/utils.js, and every project that compiles this file (api, bench, e2e) needs the declaration
/// <reference path="../pg-internals.d.ts" />
// Every use of pg's private internals, and nothing else: the one-Sync pipeline (`TransactionQuery`,
// a subclass of pg's Query that writes Parse/Bind/Describe/Execute and one Sync on pg's
// Connection), the connection's known prepared statements, its socket (corked while a pipeline is
// written), whether a client still takes queries, pg's bind-value mapping, a client's server
// process id and transaction status. pg is pinned exactly (pnpm catalog); `pgInternalsMissing`
// names what an upgrade changed, and the engine then runs without pipelines (slower, never wrong):
// pg-internals.int.test.ts fails on the upgrade, naming it.
import pg from "pg";
import pgUtils from "pg/lib/utils.js";

import type { ReadRows } from "../db.ts";
import { rowBuilder, type PgField, type RowBuilder, type TypeSource } from "../rows.ts";

/**
 * SQLSTATEs by which a connection's prepared statements no longer serve: 0A000 "cached plan must
 * not change result type" (a migration changed a table under a running instance), 26000 "prepared
 * statement does not exist". The connection is closed; its successor prepares afresh.
 */
const STALE_PREPARED = new Set(["0A000", "26000"]);
export const stalePrepared = (r: PromiseSettledResult<unknown>) =>
  r.status === "rejected" && STALE_PREPARED.has((r.reason as { code?: unknown } | null)?.code as string);

/**
 * The connection ended after the server's error and before its ReadyForQuery: whether the
 * transaction committed is unknown. A connection failure (SQLSTATE 08006, the server's error as its
 * cause), which the API answers as 503 SERVICE_UNAVAILABLE like any other lost connection.
 */
export function connectionEnded(serverError: Error): Error {
  return Object.assign(
    new Error("the connection ended before the transaction's outcome was known", { cause: serverError }),
    { code: "08006" },
  );
}

/** `pg`'s connection of a pooled client: its socket, corked while a pipeline is written (one write). */
export const socketOf = (client: pg.PoolClient) =>
  (client as unknown as { connection?: { stream?: { cork?(): void; uncork?(): void; writableCorked?: number } } })
    .connection?.stream;

/** Whether pg still takes queries on `client` (false once its connection failed or is ending). */
export const queryable = (client: pg.PoolClient) => {
  const state = client as unknown as { _queryable?: boolean; _ending?: boolean };
  return state._queryable !== false && state._ending !== true;
};

/** A CommandComplete's command, as pg's Result reads it ("INSERT 0 1" → "INSERT"). */
const COMMAND_TAG = /^[A-Za-z]+/;

/** One statement's answer in a pipeline. */
export interface StatementAnswer {
  command: string;
  rows: ReadRows;
}
/**
 * A pipeline's answer: each statement's rows or error (those behind a failed statement did not
 * run: they carry that error too), and whether the transaction committed. A connection lost
 * before the answer is not an answer: `send` throws (whether a write committed is unknown).
 */
export interface PipelineAnswer {
  results: PromiseSettledResult<StatementAnswer>[];
  committed: boolean;
  /** The connection must not be reused: its prepared statements went stale (`STALE_PREPARED`), or their state is unknown. */
  stale: boolean;
}

/** The slice of pg's Connection a pipeline writes to (pg/lib/connection.js). */
interface PgConnection {
  parsedStatements: Record<string, string>;
  parse(q: { text: string; name: string; types: unknown[] }): void;
  bind(c: { portal: string; statement: string; values: unknown[] }): void;
  describe(m: { type: "P"; name: string }): void;
  execute(m: { portal: string; rows: number }): void;
  close(m: { type: "S"; name: string }): void;
  once(event: "readyForQuery" | "end" | "error", listener: () => void): void;
  off(event: "readyForQuery" | "end" | "error", listener: () => void): void;
  sync(): void;
  stream?: { destroy(): void };
}
const pgInternals = pg as unknown as {
  Query: new (text: string) => object;
  DatabaseError: new () => Error;
};
/** An ErrorResponse from the server (of any severity), not a lost socket or a client-side error. */
const isServerError = (err: unknown): boolean => err instanceof pgInternals.DatabaseError;

/**
 * A whole transaction as one pg query: every statement's Bind/Describe/Execute (and Parse, the
 * first time a connection sees a named statement) and ONE Sync, written at once. Without
 * BEGIN/COMMIT the statements between two Syncs run in one transaction (the extended protocol's
 * implicit transaction), committed at the Sync when all succeeded and rolled back at the first
 * error (the server skips the rest up to the Sync). `set_config(..., true)` lasts exactly that
 * transaction, as it does inside BEGIN/COMMIT.
 *
 * It subclasses pg's Query so a pipeline-mode client accepts it; the client routes every message
 * up to the one ReadyForQuery to it, as to any query.
 */
export class TransactionQuery extends pgInternals.Query {
  private readonly answers: PromiseSettledResult<StatementAnswer>[] = [];
  /** The statement whose rows are arriving: its rows so far and how each is built (rows.ts). */
  private current: { rows: ReadRows; build: RowBuilder } | undefined;
  /** The statement error the server sent (it rolled back); undefined while all succeed. */
  private failure: Error | undefined;
  private rowError: Error | undefined;
  /** Named statements this pipeline parses: recorded on the connection once it committed or failed cleanly. */
  private readonly parsing: { name: string; text: string }[] = [];
  private connection: PgConnection | undefined;
  callback: ((err: Error | null, answer?: PipelineAnswer) => void) | undefined;

  constructor(
    private readonly steps: readonly { text: string; name: string | undefined; values: unknown[] }[],
    private readonly types: TypeSource,
  ) {
    // A string, not `{ text }`: pg copies a config object's property descriptors for every query.
    super("");
  }

  submit(connection: PgConnection): Error | null {
    try {
      for (const st of this.steps) {
        if (st.name === undefined) {
          connection.parse({ text: st.text, name: "", types: [] });
        } else if (connection.parsedStatements[st.name] === undefined) {
          // Not known on this connection: a Parse of the same name that an earlier failed pipeline
          // got through may exist, so close it first (closing a missing statement is no error).
          connection.close({ type: "S", name: st.name });
          connection.parse({ text: st.text, name: st.name, types: [] });
          this.parsing.push({ name: st.name, text: st.text });
        }
        connection.bind({ portal: "", statement: st.name ?? "", values: st.values });
        connection.describe({ type: "P", name: "" });
        connection.execute({ portal: "", rows: 0 });
      }
      connection.sync();
    } catch (err) {
      // Part of this pipeline may be in the socket's buffer without its Sync, ahead of other
      // pipelines of the turn sharing the connection: sent, the server would run them as one
      // transaction. The connection is destroyed instead; everything on it fails with no answer.
      connection.stream?.destroy();
      return err instanceof Error ? err : new Error(String(err));
    }
    this.connection = connection;
    return null;
  }

  handleRowDescription(msg: { fields: PgField[] }): void {
    this.current = { rows: [], build: rowBuilder(msg.fields, this.types) };
  }
  handleDataRow(msg: { fields: (string | null)[] }): void {
    if (this.rowError) return;
    const result = this.current!;
    try {
      result.rows.push(result.build(msg.fields));
    } catch (err) {
      // A value pg cannot parse: this statement's answer is the error (the server still commits
      // or rolls back as the statements decide).
      this.rowError = err as Error;
    }
  }
  handleCommandComplete(msg: { text?: string }): void {
    if (this.rowError) this.answers.push({ status: "rejected", reason: this.rowError });
    else
      this.answers.push({
        status: "fulfilled",
        value: { command: COMMAND_TAG.exec(msg.text ?? "")?.[0] ?? "", rows: this.current?.rows ?? [] },
      });
    this.current = undefined;
    this.rowError = undefined;
  }
  handleEmptyQuery(): void {
    this.answers.push({ status: "fulfilled", value: { command: "", rows: [] } });
  }
  handlePortalSuspended(): void {
    // Never asked for (Execute with no row limit).
  }
  handleError(err: Error): void {
    const connection = this.connection;
    if (isServerError(err) && connection) {
      // A statement failed, or the commit at the Sync did: the server rolled back — but only its
      // ReadyForQuery says so. pg stops routing to this query at an error, so it is awaited on the
      // connection itself. A FATAL error (its severity is in the server's language, so it is not
      // read here) is followed by the connection's end instead: no answer, the outcome unknown.
      this.failure = err;
      const ready = () => {
        off();
        this.settle();
      };
      const gone = () => {
        off();
        const cb = this.callback;
        this.callback = undefined;
        cb?.(connectionEnded(err));
      };
      const off = () => {
        connection.off("readyForQuery", ready);
        connection.off("end", gone);
        connection.off("error", gone);
      };
      connection.once("readyForQuery", ready);
      connection.once("end", gone);
      connection.once("error", gone);
      return;
    }
    // Not an ErrorResponse: the connection is gone (pg fails every query on it), no answer will come.
    const cb = this.callback;
    this.callback = undefined;
    cb?.(err);
  }
  handleReadyForQuery(): void {
    this.settle();
  }
  private settle(): void {
    const cb = this.callback;
    this.callback = undefined;
    if (!cb) return;
    const failure = this.failure;
    // Committed: the named statements it parsed now exist on the connection. After a failure the
    // Parses before it happened and those after it did not: none is recorded, and the next
    // pipeline on this connection closes and parses them again (see submit).
    if (!failure && this.connection) for (const p of this.parsing) this.connection.parsedStatements[p.name] = p.text;
    const results = this.answers.slice(0, this.steps.length);
    while (results.length < this.steps.length)
      results.push({ status: "rejected", reason: failure ?? new Error("no answer to a statement") });
    // A failed pipeline that parsed may have left named statements on the server that
    // `parsedStatements` does not know; pg's own queries (the sync-each pipelines) would Parse
    // them again without closing first (42P05). Rare, so the connection is closed, not tracked.
    cb(null, {
      results,
      committed: !failure,
      stale: results.some(stalePrepared) || (failure !== undefined && this.parsing.length > 0),
    });
  }
}

/** pg's own value mapping for a bind parameter, as its own queries send it. */
export const prepareValue: (value: unknown) => string | Buffer | null = pgUtils.prepareValue;

/** The client's transaction status as its last ReadyForQuery said ("I" idle, "T" in a transaction, "E" failed), if pg tracks it. */
export const transactionStatus = (client: pg.PoolClient): string | null | undefined =>
  (client as unknown as { getTransactionStatus?(): string | null }).getTransactionStatus?.();

/** The server process id of a connected client (from its BackendKeyData). */
export const processIdOf = (client: pg.Client): number | undefined =>
  (client as unknown as { processID?: number }).processID;

/**
 * What the engine uses of pg's internals that this pg does not have, by name (empty: all there).
 * `client`: a connected client, for the per-connection internals.
 */
export function pgInternalsMissing(client?: pg.Client): string[] {
  const missing: string[] = [];
  const internals = pg as unknown as Record<string, unknown>;
  const Query = internals.Query as ({ prototype?: Record<string, unknown> } & (new () => object)) | undefined;
  if (typeof Query !== "function") missing.push("pg.Query");
  else
    for (const m of [
      "handleRowDescription",
      "handleDataRow",
      "handleCommandComplete",
      "handleError",
      "handleReadyForQuery",
      "handleEmptyQuery",
      "handlePortalSuspended",
    ])
      if (typeof Query.prototype?.[m] !== "function") missing.push(`pg.Query.prototype.${m}`);
  if (typeof internals.DatabaseError !== "function") missing.push("pg.DatabaseError");
  if (typeof (pgUtils as { prepareValue?: unknown } | undefined)?.prepareValue !== "function")
    missing.push("pg/lib/utils.js prepareValue");
  if (client) {
    const c = client as unknown as Record<string, unknown> & {
      connection?: Record<string, unknown> & { stream?: Record<string, unknown> };
    };
    if (typeof c._queryable !== "boolean") missing.push("Client._queryable");
    if (typeof c._ending !== "boolean") missing.push("Client._ending");
    if (typeof c.processID !== "number") missing.push("Client.processID");
    if (typeof c.getTransactionStatus !== "function") missing.push("Client.getTransactionStatus");
    const conn = c.connection;
    if (!conn) missing.push("Client.connection");
    else {
      if (typeof conn.parsedStatements !== "object" || conn.parsedStatements === null)
        missing.push("Connection.parsedStatements");
      for (const m of ["parse", "bind", "describe", "execute", "close", "sync", "once", "off"])
        if (typeof conn[m] !== "function") missing.push(`Connection.${m}`);
      if (typeof conn.stream?.cork !== "function" || typeof conn.stream?.uncork !== "function")
        missing.push("Connection.stream.cork/uncork");
    }
  }
  return missing;
}
