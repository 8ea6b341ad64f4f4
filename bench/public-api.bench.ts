// Public API by API key (issue 4, "Measured"): req/s and p99 at 32 connections, one process,
// one embedded Postgres, the product's tenant strategy (app role, RLS, tenant transaction):
//   (a) submitLead, a new e-mail per request (so a new contact + lead + audit row each time)
//   (b) leads(first: 50) with nested contact, full document text in `query`
//   (c) the same, hash only, after registering it once with Apollo's APQ
//   (d) the same, hash only, resolved from a trusted-documents manifest (temp file, second server)
// All four use API keys (scopes lead.manage + lead.read + contact.read: the reads show contacts); the per-key rate limit is raised to
// 10,000,000/min so it never refuses, but it still costs one upsert per request. (a) writes to
// its own workspace so the 500 seeded leads read by (b)-(d) keep their totalCount.
// Rounds are interleaved (a,b,c,d, b,c,d,a, ...); medians of req/s and p99 are reported, and
// for persisted vs full text both the ratio of medians and the median of per-round ratios.
//
//   pnpm bench:public-api                  # 3 rounds x (3 s warm-up + 10 s) x 4 variants
//   BENCH_SECONDS=5 BENCH_ROUNDS=1 pnpm bench:public-api
//   BENCH_CONNECTIONS=64 BENCH_POOL_SIZE=20 pnpm bench:public-api
//   BENCH_SHOW_SQL=1 pnpm bench:public-api  # print the SQL each variant sends for one request
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";

import { appUrlFrom, createDb, migrate, startEmbeddedPostgres } from "@atrium/db";

import { loadConfig } from "../apps/api/src/env.ts";
import { buildServer } from "../apps/api/src/server.ts";
import { createServices } from "../apps/api/src/services.ts";
import { setAppRolePassword } from "../packages/db/src/roles.ts";
import {
  badCount,
  drain,
  freePort,
  ignoreShutdown,
  intEnv,
  listeningUrl,
  machineInfo,
  median,
  must,
  pairedRatios,
  post,
  postBody,
  round1,
  round2,
  runLoad,
  verifiedUser,
} from "./lib.ts";
import type { LoadJob, LoadResult } from "./load.worker.ts";

const SECONDS = intEnv("BENCH_SECONDS", 10);
const WARMUP_SECONDS = intEnv("BENCH_WARMUP_SECONDS", 3);
const ROUNDS = intEnv("BENCH_ROUNDS", 3);
const CONNECTIONS = intEnv("BENCH_CONNECTIONS", 32);
const POOL_SIZE = intEnv("BENCH_POOL_SIZE", 10);
const SEEDED_LEADS = intEnv("BENCH_SEEDED_LEADS", 500);
const PAGE = 50;
const SHOW_SQL = process.env.BENCH_SHOW_SQL === "1";
const API_KEY_PER_MINUTE = 10_000_000;

const SUBMIT = `mutation($i: SubmitLeadInput!) { submitLead(input: $i) { id } }`;
const LEADS = `query($w: ID!) { leads(workspaceId: $w, first: ${PAGE}) { totalCount edges { node { id name email createdAt contact { id email phone } } } } }`;
const LEADS_HASH = createHash("sha256").update(LEADS).digest("hex");
const VARY = "__N__";

type Key = "a" | "b" | "c" | "d";
interface Variant {
  key: Key;
  label: string;
  url: string;
  token: string;
  body: string;
  expect: string;
  vary?: string;
}
interface Server {
  url: string;
  close(): Promise<void>;
}

async function apiServer(urls: { appUrl: string; ownerUrl: string }, trustedDocumentsPath: string): Promise<Server> {
  const env = { NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1" };
  const base = loadConfig(env);
  const config = loadConfig(env, {
    logLevel: "silent",
    trustedDocumentsPath,
    rateLimits: {
      ...base.rateLimits,
      signInPerAccount: 100_000,
      signInPerIp: 100_000,
      signUpPerIp: 100_000,
      apiKeyPerMinute: API_KEY_PER_MINUTE,
    },
  });
  const db = createDb({ appUrl: urls.appUrl, ownerUrl: urls.ownerUrl, poolSize: POOL_SIZE });
  const services = createServices(config, db);
  await services.mail.startWorkers(); // sign-up's verification mail
  const app = await buildServer(config, services);
  await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    url: listeningUrl(app.server),
    async close() {
      await app.close();
      await services.jobs.stop();
      await db.disconnect();
    },
  };
}

type LeadsPage = {
  leads: {
    totalCount: number;
    edges: { node: { id: string; email: string | null; contact: { id: string; email: string | null } } }[];
  };
};

async function main(): Promise<void> {
  const started = Date.now();
  const tmp = await mkdtemp(path.join(os.tmpdir(), "atrium-bench-"));
  const sqlLog: string[] = [];
  let captureSql = false;
  const pgServer = await startEmbeddedPostgres({
    dataDir: path.join(tmp, "pg"),
    port: await freePort(),
    durable: false,
    log: (line) => {
      if (captureSql) sqlLog.push(...line.split("\n"));
    },
  });
  const servers: Server[] = [];
  const owner = new pg.Pool({ connectionString: pgServer.url, max: 2 });
  ignoreShutdown(owner, "owner pool");
  try {
    await migrate(pgServer.url);
    const appPassword = randomBytes(18).toString("base64url");
    await setAppRolePassword(pgServer.url, appPassword);
    const urls = { appUrl: appUrlFrom(pgServer.url, appPassword), ownerUrl: pgServer.url };

    // Main server: an empty manifest, so a hash is only known once APQ has registered it.
    // Trusted server: a manifest holding exactly the leads document.
    const emptyManifest = path.join(tmp, "trusted-empty.json");
    const leadsManifest = path.join(tmp, "trusted-leads.json");
    await writeFile(emptyManifest, "{}");
    await writeFile(leadsManifest, JSON.stringify({ [`sha256:${LEADS_HASH}`]: LEADS }));
    const mainServer = await apiServer(urls, emptyManifest);
    servers.push(mainServer);
    const trustedServer = await apiServer(urls, leadsManifest);
    servers.push(trustedServer);
    const api = mainServer.url;

    // A verified user (through the API), two workspaces, one API key in each.
    const { token } = await verifiedUser(api);
    const workspaceWithKey = async (name: string) => {
      const { createWorkspace } = await must<{ createWorkspace: { id: string } }>(
        "createWorkspace",
        post(
          api,
          `mutation($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { id } }`,
          { i: { name, channel: "WHATSAPP" } },
          token,
        ),
      );
      const { createApiKey } = await must<{ createApiKey: { secret: string } }>(
        "createApiKey",
        post(
          api,
          `mutation($w: ID!, $i: CreateApiKeyInput!) { createApiKey(workspaceId: $w, input: $i) { secret } }`,
          { w: createWorkspace.id, i: { name: `bench ${name}`, scopes: ["lead.manage", "lead.read", "contact.read"] } },
          token,
        ),
      );
      return { workspaceId: createWorkspace.id, secret: createApiKey.secret };
    };
    const writes = await workspaceWithKey("Bench Writes");
    const reads = await workspaceWithKey("Bench Reads");

    // Seed the read workspace through the public API itself: one contact per lead.
    const submitBody = (n: string) =>
      JSON.stringify({
        query: SUBMIT,
        variables: {
          i: { name: `Lead ${n}`, email: `lead-${n}@example.com`, phone: null, message: "Hello from the bench" },
        },
      });
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < SEEDED_LEADS) {
          const i = next++;
          const r = await postBody<{ submitLead: { id: string } }>(api, submitBody(`seed${i}`), reads.secret);
          if (r.status !== 200 || r.errors || !r.data) throw new Error(`seeding lead ${i}: ${r.status} ${r.text}`);
        }
      }),
    );
    const seeded = (
      await owner.query<{ leads: string; contacts: string }>(
        "SELECT (SELECT count(*) FROM leads WHERE workspace_id = $1) AS leads, (SELECT count(*) FROM contacts WHERE workspace_id = $1) AS contacts",
        [reads.workspaceId],
      )
    ).rows[0]!;
    if (Number(seeded.leads) !== SEEDED_LEADS || Number(seeded.contacts) !== SEEDED_LEADS)
      throw new Error(`seeded ${seeded.leads} leads / ${seeded.contacts} contacts, expected ${SEEDED_LEADS}`);

    const readVars = { w: reads.workspaceId };
    const persisted = { persistedQuery: { version: 1, sha256Hash: LEADS_HASH } };
    const hashOnlyBody = JSON.stringify({ variables: readVars, extensions: persisted });
    const expectTotal = `"totalCount":${SEEDED_LEADS}`;
    const variants: Variant[] = [
      {
        key: "a",
        label: "submitLead, new e-mail each",
        url: api,
        token: writes.secret,
        body: submitBody(VARY),
        expect: '"submitLead":{"id":"',
        vary: VARY,
      },
      {
        key: "b",
        label: "leads(50)+contact, full text",
        url: api,
        token: reads.secret,
        body: JSON.stringify({ query: LEADS, variables: readVars }),
        expect: expectTotal,
      },
      {
        key: "c",
        label: "leads(50)+contact, APQ hash",
        url: api,
        token: reads.secret,
        body: hashOnlyBody,
        expect: expectTotal,
      },
      {
        key: "d",
        label: "leads(50)+contact, trusted hash",
        url: trustedServer.url,
        token: reads.secret,
        body: hashOnlyBody,
        expect: expectTotal,
      },
    ];

    // Persisted paths are what they claim: the main server does not know the hash before APQ
    // registration; the trusted server knows it without one.
    const before = await postBody(api, hashOnlyBody, reads.secret);
    if (before.errors?.[0]?.extensions?.code !== "PERSISTED_QUERY_NOT_FOUND")
      throw new Error(
        `APQ: expected PERSISTED_QUERY_NOT_FOUND before registration, got ${before.status} ${before.text}`,
      );
    await must(
      "APQ registration",
      postBody(api, JSON.stringify({ query: LEADS, variables: readVars, extensions: persisted }), reads.secret),
    );

    // Correctness first: every variant answers without errors; (b)-(d) with the same page.
    const capture = async <T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> => {
      await owner.query("ALTER SYSTEM SET log_statement = 'all'");
      await owner.query("SELECT pg_reload_conf()");
      await new Promise((r) => setTimeout(r, 300));
      sqlLog.length = 0;
      captureSql = true;
      const result = await fn();
      await new Promise((r) => setTimeout(r, 300));
      captureSql = false;
      await owner.query("ALTER SYSTEM RESET log_statement");
      await owner.query("SELECT pg_reload_conf()");
      // A statement with line breaks (the rate limiter's raw SQL) continues on tab-indented lines.
      const statements: string[] = [];
      let open = false;
      for (const line of sqlLog) {
        const m = /LOG: {2}(?:statement|execute [^:]*): (.*)$/.exec(line);
        if (m) statements.push(m[1]!);
        else if (open && line.startsWith("\t")) statements[statements.length - 1] += ` ${line}`;
        open = Boolean(m) || (open && line.startsWith("\t"));
      }
      return { result, statements: statements.map((s) => s.replace(/\s+/g, " ").trim()) };
    };
    const statementsPerRequest = {} as Record<Key, number>;
    let reference: string | undefined;
    for (const v of variants) {
      const body = v.vary ? v.body.replaceAll(v.vary, `verify${randomBytes(3).toString("hex")}`) : v.body;
      const { result: r, statements } = await capture(() =>
        postBody<Partial<LeadsPage> & { submitLead?: { id: string } }>(v.url, body, v.token),
      );
      if (r.status !== 200 || r.errors || !r.data || !r.text.includes(v.expect))
        throw new Error(`(${v.key}) ${v.label}: bad answer ${r.status} ${r.text.slice(0, 500)}`);
      statementsPerRequest[v.key] = statements.length;
      if (SHOW_SQL) {
        console.log(`--- SQL sent by (${v.key}) ${v.label} for one request (${statements.length} statements):`);
        for (const s of statements) console.log(`  ${s}`);
      }
      if (v.key === "a") {
        const id = r.data.submitLead!.id;
        const row = (
          await owner.query<{ source: string; email: string }>(
            "SELECT l.source::text AS source, c.email FROM leads l JOIN contacts c ON c.workspace_id = l.workspace_id AND c.id = l.contact_id WHERE l.workspace_id = $1 AND l.id = $2",
            [writes.workspaceId, id],
          )
        ).rows[0];
        if (row?.source !== "API" || !row.email.startsWith("lead-verify"))
          throw new Error(`(a) lead ${id} not stored as expected: ${JSON.stringify(row)}`);
        continue;
      }
      const { totalCount, edges } = r.data.leads!;
      if (
        totalCount !== SEEDED_LEADS ||
        edges.length !== PAGE ||
        edges.some((e) => !e.node.contact.id || e.node.contact.email !== e.node.email)
      ) {
        throw new Error(
          `(${v.key}) ${v.label}: totalCount ${totalCount}, ${edges.length} edges; expected ${SEEDED_LEADS}, ${PAGE}, each with its contact`,
        );
      }
      const json = JSON.stringify(r.data);
      if (reference !== undefined && json !== reference)
        throw new Error(`(${v.key}) ${v.label}: answer differs from (b)`);
      reference ??= json;
    }
    console.log(
      `verified: (a) stores an API lead with its own contact; (b)-(d) answer totalCount=${SEEDED_LEADS} with the same ${PAGE} edges and contacts; the hash is unknown to the main server before APQ registration`,
    );
    console.log(
      `statements per request (one verified request each): ${variants.map((v) => `(${v.key}) ${statementsPerRequest[v.key]}`).join(", ")}  (BENCH_SHOW_SQL=1 lists them)`,
    );
    const bytes = (v: Variant) => Buffer.byteLength(v.body);
    console.log(
      `request body: full text ${bytes(variants[1]!)} B, hash only ${bytes(variants[2]!)} B; document ${LEADS.length} chars`,
    );

    const machine = { ...(await machineInfo(owner)), loadAvg1mAtStart: round2(os.loadavg()[0]!) };
    console.log(
      `machine: ${machine.cpus} x ${machine.cpuModel}, node ${machine.node}, postgres ${machine.postgres} (fsync off), ${machine.platform}, ${machine.memGiB} GiB, load average (1 min) ${machine.loadAvg1mAtStart}`,
    );
    console.log(
      `load: autocannon in a worker thread, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s measured, ${ROUNDS} interleaved rounds; pool size ${POOL_SIZE}; API key limit ${API_KEY_PER_MINUTE}/min`,
    );

    const job = (v: Variant, seconds: number): LoadJob => ({
      url: v.url,
      body: v.body,
      token: v.token,
      connections: CONNECTIONS,
      seconds,
      expect: v.expect,
      ...(v.vary ? { vary: v.vary } : {}),
    });
    const runs = new Map<Key, LoadResult[]>(variants.map((v) => [v.key, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      // Rotated order (a,b,c,d / b,c,d,a / ...), so load from other processes that drifts over
      // the run does not always fall on the same variant.
      const order = variants.map((_, i) => variants[(i + round - 1) % variants.length]!);
      for (const v of order) {
        await runLoad(job(v, WARMUP_SECONDS));
        const r = await runLoad(job(v, SECONDS));
        runs.get(v.key)!.push(r);
        console.log(
          `  round ${round} (${v.key}) ${r.reqPerSec.toFixed(0).padStart(6)} req/s  p99 ${String(r.p99).padStart(4)} ms  p50 ${r.p50} ms  load ${os.loadavg()[0]!.toFixed(1)}${badCount(r) ? `  ERRORS: non2xx=${r.non2xx} graphql=${r.gqlErrors} wrong=${r.wrongBody} socket=${r.socketErrors}` : ""}`,
        );
      }
    }

    await drain(owner);

    // (a) really varied the e-mail: one contact per lead in the write workspace.
    const written = (
      await owner.query<{ leads: string; contacts: string }>(
        "SELECT (SELECT count(*) FROM leads WHERE workspace_id = $1) AS leads, (SELECT count(*) FROM contacts WHERE workspace_id = $1) AS contacts",
        [writes.workspaceId],
      )
    ).rows[0]!;
    const distinctContacts = written.leads === written.contacts;
    console.log(
      `(a) wrote ${written.leads} leads and ${written.contacts} contacts in total (warm-ups included)${distinctContacts ? "" : "  WARNING: e-mails were not all distinct"}`,
    );

    const summary = variants.map((v) => {
      const rs = runs.get(v.key)!;
      const sum = (f: (r: LoadResult) => number) => rs.reduce((n, r) => n + f(r), 0);
      return {
        key: v.key,
        label: v.label,
        reqPerSec: round1(median(rs.map((r) => r.reqPerSec))),
        p99Ms: median(rs.map((r) => r.p99)),
        p50Ms: median(rs.map((r) => r.p50)),
        rounds: rs.map((r) => ({ reqPerSec: round1(r.reqPerSec), p99Ms: r.p99 })),
        statementsPerRequest: statementsPerRequest[v.key],
        requests: sum((r) => r.requests),
        non2xx: sum((r) => r.non2xx),
        graphqlErrors: sum((r) => r.gqlErrors),
        wrongBody: sum((r) => r.wrongBody),
        socketErrors: sum((r) => r.socketErrors),
      };
    });
    const byKey = Object.fromEntries(summary.map((s) => [s.key, s])) as Record<Key, (typeof summary)[number]>;
    const ratio = (x: Key, y: Key) => ({
      reqPerSec: round2(byKey[x].reqPerSec / byKey[y].reqPerSec),
      p99: round2(byKey[x].p99Ms / byKey[y].p99Ms),
    });
    // Also the median of the per-round ratios: each round's pair ran within ~30 s of each other.
    const paired = (x: Key, y: Key) => {
      const { reqPerSec, p99 } = pairedRatios(runs.get(x)!, runs.get(y)!);
      return { reqPerSec, p99: p99 ?? Number.NaN };
    };
    const ratios = {
      "apq/full (c/b)": { ...ratio("c", "b"), perRound: paired("c", "b") },
      "trusted/full (d/b)": { ...ratio("d", "b"), perRound: paired("d", "b") },
    };

    console.log("");
    console.log(`median of ${ROUNDS} round(s), ${CONNECTIONS} connections, API key auth`);
    console.log(`${"variant".padEnd(38)}${"req/s".padStart(9)}${"p99 ms".padStart(9)}${"p50 ms".padStart(9)}  errors`);
    for (const s of summary) {
      const errors = badCount({
        non2xx: s.non2xx,
        gqlErrors: s.graphqlErrors,
        wrongBody: s.wrongBody,
        socketErrors: s.socketErrors,
      });
      console.log(
        `${`(${s.key}) ${s.label}`.padEnd(38)}${s.reqPerSec.toFixed(0).padStart(9)}${String(s.p99Ms).padStart(9)}${String(s.p50Ms).padStart(9)}  ${errors ? `FLAGGED: ${errors} bad of ${s.requests} (non2xx ${s.non2xx}, graphql ${s.graphqlErrors}, wrong ${s.wrongBody}, socket ${s.socketErrors})` : `0 of ${s.requests}`}`,
      );
    }
    for (const [name, r] of Object.entries(ratios)) {
      console.log(
        `${name.padEnd(20)} req/s ratio ${r.reqPerSec.toFixed(2)}   p99 ratio ${r.p99.toFixed(2)}   (median of per-round ratios: req/s ${r.perRound.reqPerSec.toFixed(2)}, p99 ${r.perRound.p99.toFixed(2)})`,
      );
    }
    console.log(
      JSON.stringify({
        bench: "public-api",
        date: new Date().toISOString(),
        machine,
        settings: {
          seconds: SECONDS,
          warmupSeconds: WARMUP_SECONDS,
          rounds: ROUNDS,
          connections: CONNECTIONS,
          poolSize: POOL_SIZE,
          seededLeads: SEEDED_LEADS,
          page: PAGE,
          apiKeyPerMinute: API_KEY_PER_MINUTE,
          auth: "apiKey",
          submitLeadEmail: "unique per request",
          fsync: false,
        },
        variants: summary,
        ratios,
        submitLeadWritten: { leads: Number(written.leads), contacts: Number(written.contacts) },
      }),
    );
    if (
      summary.some(
        (s) =>
          badCount({
            non2xx: s.non2xx,
            gqlErrors: s.graphqlErrors,
            wrongBody: s.wrongBody,
            socketErrors: s.socketErrors,
          }) > 0,
      ) ||
      !distinctContacts
    ) {
      console.error(
        "FLAGGED: at least one variant answered with errors during the run (or (a) reused e-mails); its figures are not comparable.",
      );
      process.exitCode = 1;
    }
    // Before any load (seeding aside), a 1-minute load average above the CPU count means other
    // processes were busy; the per-round figures above include the bench's own load.
    if (machine.loadAvg1mAtStart > machine.cpus)
      console.warn(
        `NOTE: load average ${machine.loadAvg1mAtStart} before measuring on ${machine.cpus} CPUs: other processes shared the machine; compare ratios, not absolute figures.`,
      );
    console.log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    await drain(owner).catch(() => undefined);
    for (const s of servers) await s.close().catch((err: unknown) => console.error("closing a server:", err));
    await owner.end();
    await pgServer.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
