// The pipelines: a tenant transaction's statements written at once and answered in one round trip
// (`tenantRead`, `tenantWrite`), the pipelines of one event-loop turn sharing a connection and a
// socket write, and a turn's alike writes coalesced into one statement (`tenantWriteBatched`).
// Each returns undefined when its caller must take the plain path (`tenant`, Prisma on pg's public
// API) instead — which is also the whole answer when pipelines are off (`available` false: the
// pg internals they rely on are missing, or the plain lane of the test suite).
import pg from "pg";

import { WRITE_BATCH_MAX, type ReadRows, type TenantContext, type WriteBatch } from "../db.ts";
import type { Prisma } from "../generated/client.ts";
import { settleSession } from "../principals.ts";
import { rowBuilder } from "../rows.ts";
import { checkScope, inOwnScope } from "../scope.ts";
import { ROLLED_BACK_ERROR, TRACE_PARENT, type StatementHooks, type TraceParent } from "../statement-tracing.ts";
import { withFastTimestamps } from "../timestamps.ts";
import {
  prepareValue,
  queryable,
  socketOf,
  stalePrepared,
  TransactionQuery,
  transactionStatus,
  type PipelineAnswer,
  type StatementAnswer,
} from "./pg-internals.ts";
import { BEGIN, COMMIT, settingsStatement, tenantIds, unitOfWork, type SettingsRow, type Work } from "./settings.ts";
import { preparedName } from "./statement-names.ts";
import type { EngineSwitches } from "./switches.ts";

/** A pg client of `tracedClientClass`: the trace parent of the transaction running on it. */
export interface Traceable {
  [TRACE_PARENT]?: TraceParent | undefined;
}

/** Pipelines one turn's shared connection takes at most; the next one opens another. */
const TURN_MAX = 16;

/**
 * A connection held for one transaction; `done` hands it back (`discard`: close it instead).
 * `turnOpen`: whether the turn it was shared in is still taking pipelines (its write then leaves
 * with the turn's; once the turn is over, at once). `now`: its write leaves at once all the same,
 * with what the turn has already put on the connection (a full coalesced group).
 */
interface Lease {
  client: pg.PoolClient;
  done: (discard: boolean) => void;
  turnOpen?: () => boolean;
  now?: boolean;
}

/** `writePipeline`'s answer when the server refused a statement (the transaction rolled back). */
const ROLLED_BACK = Symbol("rolled back");

/** Result types of the one-Sync reads: pg's parsers (the pool sets no overrides) with the fast timestamptz one (timestamps.ts). */
const READ_TYPES = withFastTimestamps(pg.types);
/**
 * Parsers that keep every value as its text: `sendSyncEach`'s rows are built by `rowBuilder`, with
 * `READ_TYPES`. (pg also hands a query's `types` to its Parse message as the parameter types; an
 * object without `length` sends none, as pg's own documented `types: { getTypeParser }` does.)
 */
const keepText = (text: string): string => text;
const TEXT_TYPES = { getTypeParser: () => keepText };
/** A pg result with `rowMode: "array"` and `TEXT_TYPES` as the rows one-Sync reads give. */
const builtRows = (result: pg.QueryResult<unknown[]>): ReadRows => {
  // Several results are a text with several statements: never one of ours (each has parameters).
  if (Array.isArray(result)) throw new Error("a statement gave several results");
  if (result.rows.length === 0) return [];
  const build = rowBuilder(result.fields, READ_TYPES);
  return result.rows.map((values) => build(values as (string | null)[]));
};

export interface PipelineDeps {
  appPool: pg.Pool;
  statementHooks: StatementHooks;
  onQuery: ((sql: string) => void) | undefined;
  switches: EngineSwitches;
  /** Whether pipelines may run (pg's internals are there, and they are not switched off). */
  available: () => boolean;
}

export interface Pipelines {
  tenantRead: (ctx: TenantContext, statements: readonly Prisma.Sql[]) => Promise<ReadRows[] | undefined>;
  tenantWrite: (ctx: TenantContext, statement: Prisma.Sql) => Promise<ReadRows | undefined>;
  tenantWriteBatched: <I>(ctx: TenantContext, batch: WriteBatch<I>, item: I) => Promise<ReadRows | undefined>;
}

export function createPipelines(deps: PipelineDeps): Pipelines {
  const { appPool, statementHooks, onQuery, available } = deps;
  const strategy = deps.switches.strategy ?? "transaction";
  const prepared = deps.switches.prepared ?? true;
  const syncEach = deps.switches.syncEach ?? false;
  const shareTurns = deps.switches.shareTurns ?? true;
  // Coalescing rides on the shared turns' one-Sync pipelines; without them (the bench's variants), one pipeline per item.
  const coalesceWrites =
    (deps.switches.coalesceWrites ?? true) && shareTurns && !syncEach && strategy === "transaction";

  /**
   * A pooled connection for a pipeline, waiting no longer than the request has left (the pool's own
   * limit is CONNECT_TIMEOUT_MS); undefined when none came (the caller's `tenant` answers that).
   */
  async function connectWithin(left: number | undefined): Promise<pg.PoolClient | undefined> {
    const pending = appPool.connect();
    if (left === undefined) return pending.catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, left), undefined);
    });
    const client = await Promise.race([pending.catch(() => undefined), timedOut]);
    clearTimeout(timer);
    // Came too late: back to the pool.
    if (!client)
      pending.then(
        (late) => late.release(),
        () => undefined,
      );
    return client;
  }

  /**
   * Pipelines issued in one turn of the event loop share one pooled connection and one socket
   * write: the turn's first pipeline checks a connection out, the ones after it (up to TURN_MAX)
   * are queued on the same connection behind it, and the socket stays corked until the turn's
   * immediates run (or a full coalesced group leaves). Each pipeline ends in its own Sync, so each
   * is its own transaction with its own tenant settings; the server runs them one after another, a
   * failed one rolls back alone (the server skips to its Sync), and pg routes each answer to its
   * query. The connection goes back to the pool once the turn is over and every pipeline on it has
   * its answer; closed instead when one of them lost the connection or found its prepared
   * statements stale.
   */
  interface TurnSlot {
    client: Promise<pg.PoolClient | undefined>;
    inflight: number;
    joined: number;
    open: boolean;
    discard: boolean;
    released: boolean;
  }
  let turn: TurnSlot | undefined;
  const settleSlot = (slot: TurnSlot) => {
    if (slot.open || slot.inflight > 0 || slot.released) return;
    slot.released = true;
    void slot.client.then((client) => client?.release(slot.discard ? true : undefined));
  };
  /** This turn's shared connection (see TurnSlot), waiting no longer than `left` for one; undefined when none came. */
  async function turnConnection(left: number | undefined): Promise<Lease | undefined> {
    let slot = turn;
    if (!slot || slot.joined >= TURN_MAX) {
      const fresh: TurnSlot = {
        client: connectWithin(left),
        inflight: 0,
        joined: 0,
        open: true,
        discard: false,
        released: false,
      };
      slot = turn = fresh;
      setImmediate(() => {
        if (turn === fresh) turn = undefined;
        fresh.open = false;
        settleSlot(fresh);
      });
    }
    const joined = slot;
    joined.inflight++;
    joined.joined++;
    const client = await joined.client;
    let once = false;
    const done = (discard: boolean) => {
      if (once) return;
      once = true;
      if (discard) joined.discard = true;
      joined.inflight--;
      settleSlot(joined);
    };
    if (!client) {
      done(false);
      return undefined;
    }
    // Lost while the turn's other pipelines were on it: nothing of this one is on the wire yet, so
    // the caller takes its other path (`tenant`, on a connection of its own), as without one.
    if (!queryable(client)) {
      done(true);
      return undefined;
    }
    return { client, done, turnOpen: () => joined.open };
  }

  /**
   * Statements of one transaction written at once on `client` (one corked write) and answered in
   * one round trip; `done` hands the connection back (closed when it gave no answer: its state is
   * unknown, and so is whether a write committed; or when its prepared statements went stale,
   * `STALE_PREPARED`). A statement that fails rolls the transaction back and the ones behind it do
   * not run. Throws when the connection gave no answer.
   *
   * `oneSync`: one Sync for the whole transaction (`TransactionQuery`; reads and writes), on the
   * turn's shared connection (unless `shareTurns` is off). Otherwise BEGIN, each statement as its
   * own pg query, COMMIT, on a connection of its own (the bench's `syncEach`, to compare the two).
   */
  async function send(
    { client, done, turnOpen, now }: Lease,
    statements: readonly Prisma.Sql[],
    oneSync: boolean,
    trace: TraceParent | undefined,
  ): Promise<PipelineAnswer> {
    let answer: PipelineAnswer | undefined;
    // The statements of a syncEach pipeline are traced one by one (tracedClientClass), under the
    // trace parent the connection holds while they run.
    const traced = oneSync ? statementHooks.tracer?.start(null, statements.length, trace) : undefined;
    try {
      if (oneSync) answer = await sendOneSync(client, statements, turnOpen, now);
      else {
        (client as Traceable)[TRACE_PARENT] = trace;
        try {
          answer = await sendSyncEach(client, statements);
        } finally {
          (client as Traceable)[TRACE_PARENT] = undefined;
        }
      }
    } catch (err) {
      traced?.(err);
      throw err;
    } finally {
      done(!answer || answer.stale);
    }
    traced?.(answer.committed ? undefined : ROLLED_BACK_ERROR);
    if (onQuery) for (const st of oneSync ? statements : [BEGIN, ...statements, COMMIT]) onQuery(st.text);
    return answer;
  }

  /** A connection for one transaction: the turn's shared one for one-Sync pipelines, one of its own otherwise. */
  async function pipelineConnection(left: number | undefined): Promise<Lease | undefined> {
    if (!syncEach && shareTurns) return turnConnection(left);
    const client = await connectWithin(left);
    return client && { client, done: (discard: boolean) => client.release(discard ? true : undefined) };
  }

  function sendOneSync(
    client: pg.PoolClient,
    statements: readonly Prisma.Sql[],
    turnOpen?: () => boolean,
    now = false,
  ): Promise<PipelineAnswer> {
    return new Promise<PipelineAnswer>((resolve, reject) => {
      // Prisma.Sql's text is built anew on each read: once per statement here.
      const steps = statements.map((st) => {
        const text = st.text;
        return {
          text,
          name: prepared && st.values.length ? preparedName(st, text) : undefined,
          values: st.values.map(prepareValue),
        };
      });
      const query = new TransactionQuery(steps, READ_TYPES);
      const socket = socketOf(client);
      socket?.cork?.();
      try {
        void client.query(
          query as never,
          ((err: Error | null, answer?: PipelineAnswer) => {
            if (err) return reject(err);
            // Settled at ReadyForQuery: the connection must be idle, outside any transaction (a
            // statement that opened one would keep its settings alive into the next checkout).
            // After a statement error the ReadyForQuery is still to come: the server ends that
            // transaction at the Sync.
            const status = transactionStatus(client);
            resolve(answer!.committed && status !== "I" ? { ...answer!, committed: false, stale: true } : answer!);
          }) as never,
        );
      } finally {
        // At the end of the turn: the turn's other pipelines on this connection join the write
        // (at once when the turn is already over: a coalesced write, a connection that came late).
        if (now && socket?.uncork) {
          // Now, with the pipelines the turn corked on it before this one. Their corks are put
          // back, so that their uncorks at the end of the turn still balance them: the turn's
          // later pipelines wait for that end, and no uncork outlives its turn.
          const before = (socket.writableCorked ?? 1) - 1;
          do socket.uncork();
          while ((socket.writableCorked ?? 0) > 0);
          for (let i = 0; i < before; i++) socket.cork?.();
        } else if (shareTurns && turnOpen?.() !== false) {
          if (socket?.uncork) setImmediate(() => socket.uncork!());
        } else socket?.uncork?.();
      }
    });
  }

  async function sendSyncEach(client: pg.PoolClient, statements: readonly Prisma.Sql[]): Promise<PipelineAnswer> {
    const socket = socketOf(client);
    socket?.cork?.();
    // Statements without parameters (BEGIN, COMMIT) go as simple queries.
    // Rows as text arrays, built by the same row builders as the one-Sync reads' (rows.ts).
    const pending = [BEGIN, ...statements, COMMIT].map((st) =>
      client.query<unknown[]>({
        ...(prepared && st.values.length ? { name: preparedName(st) } : {}),
        text: st.text,
        values: st.values,
        rowMode: "array",
        types: TEXT_TYPES,
      }),
    );
    socket?.uncork?.();
    const settled = await Promise.allSettled(pending);
    const commit = settled.at(-1)!;
    // No answer to COMMIT, or an error for it: the outcome is not "rolled back" for certain.
    if (commit.status === "rejected") throw commit.reason;
    // A row that cannot be built (a parser that throws) fails that statement's answer only, as a
    // value pg could not parse did: the transaction's outcome is COMMIT's.
    const results = settled.slice(1, -1).map((r): PromiseSettledResult<StatementAnswer> => {
      if (r.status === "rejected") return r;
      try {
        return { status: "fulfilled", value: { command: r.value.command, rows: builtRows(r.value) } };
      } catch (reason) {
        return { status: "rejected", reason };
      }
    });
    return {
      results,
      committed: commit.status === "fulfilled" && commit.value.command === "COMMIT",
      stale: settled.some(stalePrepared),
    };
  }

  /** Runs `build` (which may throw: the deadline passed while waiting) with the connection handed back if it does. */
  function orRelease<T>(done: (discard: boolean) => void, build: () => T): T {
    try {
      return build();
    } catch (err) {
      done(false);
      throw err;
    }
  }

  /**
   * The write pipeline of `tenantWrite` and of a coalesced batch: the tenant settings (with the
   * members' cached-principal guard — one version, the batch's key) and `statement`, ended by one
   * Sync, on `connection`, for units of work whose commit gates were passed (`beginCommit`); each
   * gate is ended here. Returns the statement's rows once committed (none: it chose to write
   * nothing), ROLLED_BACK when the server refused a statement; throws when no answer came (whether
   * it committed is unknown) or when it committed and its rows could not be read.
   */
  async function writePipeline(
    connection: Lease,
    userId: string,
    workspaceId: string,
    works: readonly Work[],
    statement: Prisma.Sql,
  ): Promise<ReadRows | typeof ROLLED_BACK> {
    let deadline: number | undefined;
    for (const w of works)
      if (w.deadline !== undefined && (deadline === undefined || w.deadline < deadline)) deadline = w.deadline;
    const stamp = works.find((w) => w.stamp)?.stamp;
    const verified = () => {
      for (const w of works) if (w.stamp) w.stamp.verified = true;
    };
    let committed = false;
    try {
      // A cached principal of the workspace: its version guards the write (`versionGuard`).
      let answer: PipelineAnswer;
      try {
        // A coalesced batch is traced under its first traced request (decision 0035).
        answer = await send(
          connection,
          [settingsStatement(userId, workspaceId, deadline, stamp, undefined, "write"), statement],
          !syncEach,
          works.find((w) => w.trace !== undefined)?.trace,
        );
      } catch (err) {
        // No answer to the transaction (the connection lost): whether it committed is unknown,
        // so this is the request's answer (503 for a lost connection) — never a reason to write
        // again, nor to run the request again (which the end-of-request check of a principal
        // left unverified could do).
        verified();
        throw err;
      }
      const [settings, written] = answer.results;
      // The guard passed: the principal was current when the write ran.
      if (settings!.status === "fulfilled") verified();
      // The server refused a statement: the transaction rolled back.
      if (!answer.committed) return ROLLED_BACK;
      // Committed, yet its rows could not be read: never written again.
      if (written!.status === "rejected") {
        committed = true;
        throw written!.reason;
      }
      committed = written!.value.rows.length > 0;
      return written!.value.rows;
    } finally {
      for (const w of works) w.gate?.endCommit(committed);
    }
  }

  async function tenantWrite(ctx: TenantContext, statement: Prisma.Sql): Promise<ReadRows | undefined> {
    const { userId, workspaceId } = tenantIds(ctx);
    checkScope(ctx);
    if (strategy !== "transaction" || !available()) return undefined;
    const before = unitOfWork(workspaceId, ctx.scope);
    // A session still to verify: `tenant` checks its state before anything is written.
    if (before.session) return undefined;
    const connection = await pipelineConnection(before.left);
    if (!connection) return undefined;
    // After the wait: the deadline again (the statement_timeout is for the time left now), then
    // the commit gate (see `tenant`). The Sync that commits leaves with the statements, so the
    // pipeline is a commit in flight from the start: at the deadline the 503 waits for it — the
    // statement times out at the deadline and rolls back (the 503 goes out), or it landed (the
    // request answers with the lead) — so a 503 never hides a write that landed.
    const work = orRelease(connection.done, () => {
      const w = unitOfWork(workspaceId, ctx.scope);
      w.gate?.beginCommit();
      return w;
    });
    const counter = ctx.scope?.statements;
    if (counter) counter.statements += 2;
    const rows = await writePipeline(connection, userId, workspaceId, [work], statement);
    // Refused (rolled back), or the statement chose to write nothing: the caller writes through `tenant`.
    return rows === ROLLED_BACK || rows.length === 0 ? undefined : rows;
  }

  /** `tenantWriteBatched`'s items of one batch, workspace, user and principal version in this turn. */
  interface Coalesced {
    batch: WriteBatch<unknown>;
    userId: string;
    workspaceId: string;
    members: {
      ctx: TenantContext;
      item: unknown;
      resolve(this: void, rows: ReadRows | undefined | Promise<ReadRows | undefined>): void;
      reject(this: void, err: unknown): void;
    }[];
    lease: Promise<Lease | undefined>;
    /** The map key of its group in `coalescing`. */
    key: string;
  }
  const coalescing = new Map<WriteBatch<unknown>, Map<string, Coalesced>>();
  /** A group that holds WRITE_BATCH_MAX items left then, before the end of its turn. */
  const isFull = (group: Coalesced) => group.members.length === WRITE_BATCH_MAX;

  /** Sends a group: no more items join it. */
  function leave(group: Coalesced): void {
    const open = coalescing.get(group.batch);
    if (open?.get(group.key) === group) open.delete(group.key);
    flushBatch(group).catch((err: unknown) => {
      for (const m of group.members) m.reject(err);
    });
  }

  /** Writes a turn's coalesced items (see `tenantWriteBatched`) and answers each. */
  async function flushBatch(group: Coalesced): Promise<void> {
    const { batch, userId, workspaceId } = group;
    const leased = await group.lease;
    // A full group's write leaves now, with what the turn has already put on its connection.
    const connection = leased && isFull(group) ? { ...leased, now: true } : leased;
    // No connection: each item's `tenant` answers that.
    if (!connection) {
      for (const m of group.members) m.resolve(undefined);
      return;
    }
    // After the wait: each item's deadline again, and its commit gate (see `tenantWrite`); an item
    // whose request is out of time fails alone.
    const live: (Coalesced["members"][number] & { work: Work })[] = [];
    for (const m of group.members) {
      try {
        const work = unitOfWork(workspaceId, m.ctx.scope);
        work.gate?.beginCommit();
        // Named, not `{ ...m, work }`: a spread followed by a field costs ~0.8 µs a lead on Node 20.
        live.push({ ctx: m.ctx, item: m.item, resolve: m.resolve, reject: m.reject, work });
        // Each request's count has the batch's pipeline: its settings and its one statement.
        const counter = m.ctx.scope?.statements;
        if (counter) counter.statements += 2;
      } catch (err) {
        m.reject(err);
      }
    }
    if (live.length === 0) {
      connection.done(false);
      return;
    }
    let statement: Prisma.Sql;
    try {
      statement = live.length === 1 ? batch.one(live[0]!.item) : batch.many(live.map((m) => m.item));
    } catch (err) {
      connection.done(false);
      for (const m of live) {
        m.work.gate?.endCommit(false);
        m.reject(err);
      }
      return;
    }
    let rows: ReadRows | typeof ROLLED_BACK;
    try {
      rows = await writePipeline(
        connection,
        userId,
        workspaceId,
        live.map((m) => m.work),
        statement,
      );
    } catch (err) {
      for (const m of live) m.reject(err);
      return;
    }
    if (rows === ROLLED_BACK) {
      // Nothing was written: each item on its own, so that one item's refusal is its answer only.
      if (live.length === 1) live[0]!.resolve(undefined);
      else for (const m of live) m.resolve(inOwnScope(m.ctx, () => tenantWrite(m.ctx, batch.one(m.item))));
      return;
    }
    if (live.length === 1) {
      live[0]!.resolve(rows.length ? rows : undefined);
      return;
    }
    const byItem: ReadRows[] = live.map(() => []);
    for (const row of rows) byItem[Number(row.n) - 1]?.push(row);
    live.forEach((m, i) => m.resolve(byItem[i]!.length ? byItem[i] : undefined));
  }

  async function tenantRead(ctx: TenantContext, statements: readonly Prisma.Sql[]): Promise<ReadRows[] | undefined> {
    const { userId, workspaceId } = tenantIds(ctx);
    checkScope(ctx);
    if (strategy !== "transaction" || !available()) return undefined;
    // No connection (the breaker is open, the pool is busy past the time left): `tenant` gives
    // that its answer.
    const connection = await pipelineConnection(unitOfWork(workspaceId, ctx.scope).left);
    if (!connection) return undefined;
    // After the wait: the deadline again, and the statement_timeout for the time left now.
    const { stamp, session, deadline, trace } = orRelease(connection.done, () => unitOfWork(workspaceId, ctx.scope));
    const counter = ctx.scope?.statements;
    if (counter) counter.statements += 1 + statements.length;
    let answer: PipelineAnswer;
    try {
      answer = await send(
        connection,
        [settingsStatement(userId, workspaceId, deadline, stamp, session, "read"), ...statements],
        !syncEach,
        trace,
      );
    } catch {
      // No answer (the connection was lost): `tenant` gives that its answer.
      return undefined;
    }
    // A failed statement: `tenant` gives that its answer.
    if (!answer.committed || answer.results.some((r) => r.status === "rejected")) return undefined;
    const rows = answer.results.map((r) => (r as PromiseFulfilledResult<StatementAnswer>).value.rows);
    const facts = rows[0]![0] as SettingsRow | undefined;
    // A moved version: `tenant` revalidates (a cached principal: the request runs again).
    if (stamp && (facts?.v ?? null) !== stamp.version) return undefined;
    if (session) settleSession(session, facts?.s ?? null);
    if (stamp) stamp.verified = true;
    return rows.slice(1);
  }

  async function tenantWriteBatched<I>(
    ctx: TenantContext,
    batch: WriteBatch<I>,
    item: I,
  ): Promise<ReadRows | undefined> {
    const { userId, workspaceId } = tenantIds(ctx);
    checkScope(ctx);
    if (!coalesceWrites || !available()) return tenantWrite(ctx, batch.one(item));
    const work = unitOfWork(workspaceId, ctx.scope);
    // A session still to verify: `tenant` checks its state before anything is written.
    if (work.session) return undefined;
    return new Promise((resolve, reject) => {
      const key = `${workspaceId}/${userId}/${work.stamp?.version ?? ""}`;
      let open = coalescing.get(batch);
      if (!open) coalescing.set(batch, (open = new Map<string, Coalesced>()));
      let group = open.get(key);
      if (!group) {
        // The group is one pipeline of this turn's shared connection from the start, so its write
        // leaves with the turn's others (`flushBatch` runs among the turn's immediates), or
        // before them once it is full.
        const fresh: Coalesced = { batch, userId, workspaceId, members: [], lease: turnConnection(work.left), key };
        group = fresh;
        open.set(key, fresh);
        setImmediate(() => {
          if (!isFull(fresh)) leave(fresh);
        });
      }
      group.members.push({ ctx, item, resolve, reject });
      if (isFull(group)) leave(group);
    });
  }

  return { tenantRead, tenantWrite, tenantWriteBatched };
}
