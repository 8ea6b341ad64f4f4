// Statement spans without a tracing dependency: @atrium/db knows no OpenTelemetry. The API fills
// in a `StatementTracer` (apps/api platform/observability/tracing.ts) through `Db.traceStatements`
// when tracing is on; until then every statement costs one property read (`hooks.tracer`).
// Every statement of both pools passes through `tracedClientClass` (Prisma's, through its pg
// adapter, and pg-pool's); the pipelines' one-Sync transactions are traced where they are sent
// (`send` in clients.ts), as one span of family "pipeline".
import type pg from "pg";

/** What the API's tracing gives the database layer. */
export interface StatementTracer {
  /**
   * Called as a statement (its text as sent: parameterised) or a pipeline (`sql` null, of
   * `statements` statements) is sent. Returns what ends its span with the outcome, or undefined
   * when no span is wanted (no sampled request or job). The span is named by the statement's
   * family (`statementFamily`: "SELECT leads"), never its text or values; the family is worked
   * out only once a span is wanted.
   */
  start(
    sql: string | null,
    statements: number,
    parent: TraceParent | undefined,
  ): ((error?: unknown) => void) | undefined;
}

/**
 * What a unit of work's statements are traced under: the API's sampled span (its OpenTelemetry
 * context), opaque here. It travels explicitly — in the request's scope (`RequestScope.trace`),
 * then on the connection a transaction holds (`TRACE_PARENT`) — not through AsyncLocalStorage,
 * whose promise hooks cost every promise of the thread on Node 20 (decision 0035, addendum).
 * Undefined: not in a sampled request (the tracer may still find a sampled job's context).
 */
export type TraceParent = object;

/** The pg client property that holds the trace parent of the transaction running on it. */
export const TRACE_PARENT = Symbol("atrium.traceParent");

/** The holder every traced client reads: `tracer` undefined means off. */
export interface StatementHooks {
  tracer: StatementTracer | undefined;
}

/** The family of a pipeline (`send` in clients.ts): one transaction of several statements. */
export const PIPELINE_FAMILY = "pipeline";
/** A statement's family, or PIPELINE_FAMILY for a pipeline (`sql` null). */
export const familyOfStatement = (sql: string | null): string =>
  sql === null ? PIPELINE_FAMILY : statementFamily(sql);
/** The outcome of a pipeline the server refused (it rolled back): an error status, no message of the server's. */
export const ROLLED_BACK_ERROR = Object.freeze(new Error("the pipeline's transaction rolled back"));

/**
 * A statement's family: its verb and, for reads and writes, the table it reads or writes, e.g.
 * "SELECT leads", "INSERT messages", "BEGIN". Only keywords and identifiers are taken from the
 * text (statements are parameterised; a value is never part of an identifier). Texts come from a
 * bounded set of templates, so each one's family is remembered (up to FAMILY_CACHE_MAX texts).
 */
export function statementFamily(text: string): string {
  let family = families.get(text);
  if (family === undefined) {
    family = familyOf(text);
    if (families.size < FAMILY_CACHE_MAX) families.set(text, family);
  }
  return family;
}

const FAMILY_CACHE_MAX = 2_000;
const families = new Map<string, string>();
const IDENT = String.raw`((?:"[^"]{1,63}"|[A-Za-z_][A-Za-z0-9_$]{0,62})(?:\.(?:"[^"]{1,63}"|[A-Za-z_][A-Za-z0-9_$]{0,62}))?)`;
const VERB = /^\s*(?:\/\*[\s\S]*?\*\/\s*)?([A-Za-z]+)/;
const FROM = new RegExp(String.raw`\bFROM\s+${IDENT}`, "i");
const INTO = new RegExp(String.raw`\bINTO\s+${IDENT}`, "i");
const UPDATE = new RegExp(String.raw`\bUPDATE\s+(?:ONLY\s+)?${IDENT}`, "i");
/** In a WITH, the first data-modifying statement names the family (a CTE that writes); else the first FROM. */
const WRITE_IN_WITH = new RegExp(
  String.raw`\b(INSERT\s+INTO|(?<!\bFOR\s+)UPDATE|DELETE\s+FROM)\s+(?:ONLY\s+)?${IDENT}`,
  "i",
);

/** The last part of a (possibly schema-qualified, possibly quoted) name, unquoted. */
function tableOf(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const last = name.split(".").at(-1)!;
  return last.startsWith('"') ? last.slice(1, -1) : last.toLowerCase();
}

function familyOf(text: string): string {
  const verb = (VERB.exec(text)?.[1] ?? "SQL").toUpperCase();
  let table: string | undefined;
  switch (verb) {
    case "SELECT":
    case "DELETE":
      table = tableOf(FROM.exec(text)?.[1]);
      break;
    case "INSERT":
      table = tableOf(INTO.exec(text)?.[1]);
      break;
    case "UPDATE":
      table = tableOf(UPDATE.exec(text)?.[1]);
      break;
    case "WITH": {
      const write = WRITE_IN_WITH.exec(text);
      if (write) return `${write[1]!.split(/\s+/)[0]!.toUpperCase()} ${tableOf(write[2])}`;
      table = tableOf(FROM.exec(text)?.[1]);
      return table ? `SELECT ${table}` : "SELECT";
    }
  }
  return table ? `${verb} ${table}` : verb;
}

/**
 * `Base` with every query reported to `hooks.tracer` (when set). pg Submittables (a pipeline's
 * `TransactionQuery`) pass untouched: `send` reports those. Three named parameters (pg's
 * query(config, values, callback)), not a rest array: nothing allocated while off.
 */
type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown;

export function tracedClientClass(Base: typeof pg.Client, hooks: StatementHooks): typeof pg.Client {
  class Traced extends Base {
    /** The trace parent of the transaction on this connection (`tenant` sets it while its callback runs). */
    [TRACE_PARENT]: TraceParent | undefined = undefined;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's many query() shapes, passed on as they are
    override query(config?: any, values?: any, callback?: any): any {
      const tracer = hooks.tracer;
      // eslint-disable-next-line @typescript-eslint/no-unsafe-member-access -- a Submittable is recognised by its submit(), as pg does
      if (tracer === undefined || typeof config?.submit === "function")
        return (super.query as Query)(config, values, callback);
      // eslint-disable-next-line @typescript-eslint/no-unsafe-member-access -- a config object's text
      const end = tracer.start(typeof config === "string" ? config : String(config?.text ?? ""), 1, this[TRACE_PARENT]);
      if (!end) return (super.query as Query)(config, values, callback);
      if (typeof values === "function" || typeof callback === "function") {
        const cb = (typeof values === "function" ? values : callback) as (err: Error | null, res: unknown) => void;
        const done = (err: Error | null, res: unknown) => {
          end(err ?? undefined);
          cb(err, res);
        };
        return typeof values === "function"
          ? (super.query as Query)(config, done)
          : (super.query as Query)(config, values, done);
      }
      const pending = (super.query as Query)(config, values) as Promise<unknown>;
      pending.then(
        () => end(),
        (err: unknown) => end(err),
      );
      return pending;
    }
  }
  return Traced;
}
