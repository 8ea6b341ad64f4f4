// The raw server of bench:request-path: node:http + `pg` replaying, per request, the statements
// the product sent for one request of the same operation (captured from Postgres' statement log,
// with their parameters), on the same roles: statements between BEGIN and COMMIT on one app-role
// connection (RLS applies, tenant settings per transaction), the others (identity look-ups, the
// rate limiter) on the owner role, as the product's system client does. The credential is
// checked the product's way (the same AccessTokens verification, the same API key hash), so raw
// is the floor of HTTP + the product's own SQL, not a second implementation of the API.
// `pipelined` (BENCH_RAW_PIPELINED=1, server "raw-pipelined") sends a plan that is one transaction
// the way the product's pipelines do — all statements in one write, parameterised ones as named
// prepared statements — the floor of the database path itself on this machine.
// `multiplexed` (BENCH_RAW_MULTIPLEXED=1, server "raw-multiplexed") sends the same transactions, but
// the requests that reach it in one turn of the event loop share one connection and one write: `poolSize` connections in pg's pipeline mode, each turn's transactions
// queued on the next one behind each other (the server runs them in order, each between its own
// BEGIN and COMMIT), its socket corked until the turn ends. What a driver that multiplexes would
// save in socket writes and wake-ups; not a product design (one slow transaction holds up every one
// queued behind it on its connection).
import { createHash } from "node:crypto";
import http from "node:http";
import pg from "pg";

import { hashApiKeySecret, parseApiKey } from "../apps/api/src/modules/api-keys/api-key-format.ts";
import { AccessTokens } from "../apps/api/src/platform/auth/tokens.ts";
import { ignoreShutdown, listeningUrl } from "./lib.ts";

export interface CapturedStatement {
  sql: string;
  params: (string | null)[];
}

export type StepRows = { sql: string; rows: Record<string, unknown>[] }[];

export interface RawPlan {
  /** A substring of the GraphQL document that selects this plan. */
  match: string;
  statements: CapturedStatement[];
  /** The unique marker of the captured request (submitLead's e-mail), replaced by the request's own. */
  capturedTag?: string;
  /** The request's own marker, from its variables. */
  tagOf?: (variables: Record<string, unknown>) => string;
  /** Ids the captured request's INSERTs returned (table -> id): later parameters referring to them get the new ids. */
  capturedIds?: Record<string, string>;
  answer(steps: StepRows): unknown;
}

const INSERT_INTO = /^INSERT INTO "public"\."(\w+)"/;
/** The tenant settings statement every tenant transaction of the product starts with. */
const SETTINGS = /^SELECT set_config\('app\.user_id'/;

const preparedName = (text: string) => `raw_${createHash("sha1").update(text).digest("base64url")}`;

export async function rawServer(opts: {
  appUrl: string;
  ownerUrl: string;
  poolSize: number;
  plans: RawPlan[];
  authSecrets: string[];
  pipelined?: boolean;
  multiplexed?: boolean;
}) {
  const app = new pg.Pool({
    connectionString: opts.appUrl,
    max: opts.poolSize,
    ...(opts.pipelined ? { pipeline: true } : {}),
  });
  const shared = opts.multiplexed ? await Promise.all(Array.from({ length: opts.poolSize }, () => app.connect())) : [];
  const streamOf = (client: pg.PoolClient) =>
    (client as unknown as { connection: { stream: { cork(): void; uncork(): void } } }).connection.stream;
  let turn: pg.PoolClient | undefined;
  let nextShared = 0;
  /** The connection of this turn of the event loop: corked until the turn's immediates run. */
  const turnClient = (): pg.PoolClient => {
    if (turn) return turn;
    const client = shared[nextShared++ % shared.length]!;
    turn = client;
    streamOf(client).cork();
    setImmediate(() => {
      turn = undefined;
      streamOf(client).uncork();
    });
    return client;
  };
  const owner = new pg.Pool({ connectionString: opts.ownerUrl, max: 5 });
  for (const pool of [app, owner]) ignoreShutdown(pool, "raw server pool");
  const tokens = new AccessTokens(opts.authSecrets, 900);

  const run = async (plan: RawPlan, variables: Record<string, unknown>): Promise<StepRows> => {
    const subst = new Map<string, string>();
    const tag = plan.tagOf?.(variables);
    const param = (p: string | null) => {
      if (p === null) return null;
      if (subst.has(p)) return subst.get(p)!;
      return tag && plan.capturedTag && p.includes(plan.capturedTag) ? p.replaceAll(plan.capturedTag, tag) : p;
    };
    const out: StepRows = [];
    // The product's pipelines send no BEGIN/COMMIT: their statements, from the tenant settings
    // statement on, are one transaction ended by one Sync. Raw runs them between a BEGIN and a
    // COMMIT of its own on one app-role connection.
    const opensOwn = (i: number) => SETTINGS.test(plan.statements[i]!.sql) && plan.statements[i - 1]?.sql !== "BEGIN";
    const own = plan.statements.findIndex((_, i) => opensOwn(i));
    const all: CapturedStatement[] =
      own < 0
        ? plan.statements
        : [
            ...plan.statements.slice(0, own),
            { sql: "BEGIN", params: [] },
            ...plan.statements.slice(own),
            { sql: "COMMIT", params: [] },
          ];
    if (
      opts.pipelined &&
      all[0]?.sql === "BEGIN" &&
      all.at(-1)?.sql === "COMMIT" &&
      !all.slice(1, -1).some((s) => s.sql === "BEGIN" || s.sql === "COMMIT")
    ) {
      // One transaction: written at once (no statement's parameter depends on an earlier one's row here).
      if (opts.multiplexed) {
        const client = turnClient();
        const pending = all.map((s) =>
          client.query(
            s.params.length ? { name: preparedName(s.sql), text: s.sql, values: s.params.map(param) } : { text: s.sql },
          ),
        );
        const results = await Promise.all(pending);
        return results.map((r, i) => ({ sql: all[i]!.sql, rows: r.rows as Record<string, unknown>[] }));
      }
      const client = await app.connect();
      let ok = false;
      try {
        const stream = (client as unknown as { connection: { stream: { cork(): void; uncork(): void } } }).connection
          .stream;
        stream.cork();
        const pending = all.map((s) =>
          client.query(
            s.params.length ? { name: preparedName(s.sql), text: s.sql, values: s.params.map(param) } : { text: s.sql },
          ),
        );
        stream.uncork();
        const results = await Promise.all(pending);
        ok = true;
        return results.map((r, i) => ({ sql: all[i]!.sql, rows: r.rows as Record<string, unknown>[] }));
      } finally {
        client.release(ok ? undefined : true);
      }
    }
    let client: pg.PoolClient | undefined;
    try {
      for (const s of all) {
        if (s.sql === "BEGIN") client = await app.connect();
        const r = await (client ?? owner).query(s.sql, s.params.map(param));
        out.push({ sql: s.sql, rows: r.rows as Record<string, unknown>[] });
        const table = INSERT_INTO.exec(s.sql)?.[1];
        const capturedId = table ? plan.capturedIds?.[table] : undefined;
        const newId = (r.rows[0] as { id?: string } | undefined)?.id;
        if (capturedId && newId) subst.set(capturedId, newId);
        if (s.sql === "COMMIT") {
          client?.release();
          client = undefined;
        }
      }
    } catch (err) {
      if (client) {
        await client.query("ROLLBACK").catch(() => undefined);
        client.release();
      }
      throw err;
    }
    return out;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(text),
      });
      res.end(text);
    };
    if (req.method !== "POST" || req.url !== "/graphql") return send(404, { error: "NOT_FOUND" });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
      query?: string;
      variables?: Record<string, unknown>;
    };
    const plan = opts.plans.find((p) => body.query?.includes(p.match));
    if (!plan) return send(400, { errors: [{ message: "unknown document" }] });
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "";
    if (token.startsWith("atr_")) {
      const parsed = parseApiKey(token);
      if (!parsed) return send(200, { data: null, errors: [{ message: "API_KEY_INVALID" }] });
      hashApiKeySecret(parsed.secret);
    } else {
      const v = await tokens.verify(token);
      if (!v.ok) return send(200, { data: null, errors: [{ message: v.reason }] });
    }
    send(200, { data: plan.answer(await run(plan, body.variables ?? {})) });
  };
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ errors: [{ message: String(err) }] }));
      }
    });
  });
  server.keepAliveTimeout = 72_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: listeningUrl(server),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const client of shared) client.release();
      await Promise.all([app.end(), owner.end()]);
    },
  };
}
