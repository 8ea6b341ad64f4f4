// `pnpm test:resilience` (issue 16): two API processes on one database under mixed load, the
// embedded PostgreSQL killed (-9) in the middle, then revocation across instances. Short form
// here (RESILIENCE_SECONDS, default 15 s × RESILIENCE_CONNECTIONS, default 16); the bench runs
// the long one with the same code (RESILIENCE_SECONDS=60 RESILIENCE_CONNECTIONS=64).
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { freePort } from "@atrium/db/testing";
import { afterAll, describe, expect, it } from "@atrium/test-kit";

const apiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SECONDS = Number(process.env.RESILIENCE_SECONDS ?? "15");
const CONNECTIONS = Number(process.env.RESILIENCE_CONNECTIONS ?? "16");


interface Instance {
  url: string;
  child: ChildProcess;
  output: () => string;
}

function startApi(env: Record<string, string>): Instance & { port: number } {
  const port = Number(env.PORT);
  const base = { ...process.env };
  for (const name of ["DATABASE_URL", "EMBEDDED_PG_PORT", "EMBEDDED_PG_DIR", "NODE_ENV"]) delete base[name];
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: apiDir,
    env: {
      ...base,
      NODE_ENV: "development",
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      RATE_LIMIT_API_KEY_PER_MINUTE: "1000000",
      RATE_LIMIT_FORM_PER_IP_PER_MINUTE: "1000000",
      RATE_LIMIT_FORM_PER_WORKSPACE_PER_MINUTE: "1000000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { url: `http://127.0.0.1:${port}`, port, child, output: () => output };
}

/** SIGTERM (the API stops its embedded database itself), then SIGKILL and the postmaster by hand. */
async function stop(instance: Instance, dataDir?: string): Promise<void> {
  if (instance.child.exitCode !== null) return;
  const exited = new Promise((resolve) => instance.child.once("exit", resolve));
  instance.child.kill("SIGTERM");
  if ((await Promise.race([exited.then(() => true), sleep(15_000, false, { ref: false })])) === true) return;
  instance.child.kill("SIGKILL");
  if (dataDir === undefined) return;
  try {
    process.kill(Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]), "SIGKILL");
  } catch {
    // already gone
  }
}

async function ready(instance: Instance, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${instance.url}/readyz`, { signal: AbortSignal.timeout(2_000) })).status === 200) return;
    } catch {
      // not yet
    }
    if (instance.child.exitCode !== null) throw new Error(`the API exited during start-up:\n${instance.output()}`);
    if (Date.now() > deadline) throw new Error(`not ready within ${timeoutMs} ms:\n${instance.output()}`);
    await sleep(200);
  }
}

/** The token of the newest mail to `email` once at least `count` mails have arrived there. */
async function mailToken(url: string, email: string, count = 1): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const mails = (await (await fetch(`${url}/dev/mailbox?to=${encodeURIComponent(email)}`)).json()) as { text: string }[];
    const token = /token=([A-Za-z0-9_.-]+)/.exec(mails.length >= count ? (mails[0]?.text ?? "") : "")?.[1];
    if (token !== undefined) return token;
    if (Date.now() > deadline) throw new Error(`no mail ${count} to ${email}`);
    await sleep(100);
  }
}

/** Signs up on `url`, verifies through its dev mailbox, signs in; the access token. */
async function account(url: string, email: string, password: string): Promise<{ token: string; id: string }> {
  await gql(url, `mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }`, { i: { email, password, name: email.split("@")[0] } });
  await gql(url, `mutation($t: String!) { verifyEmail(token: $t) }`, { t: await mailToken(url, email) });
  const signIn = await gql<{ signIn: { accessToken: string; user: { id: string } } }>(url, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken user { id } } }`, { i: { email, password } });
  if (!signIn.data) throw new Error(`sign-in failed for ${email}: ${JSON.stringify(signIn.errors)}`);
  return { token: signIn.data.signIn.accessToken, id: signIn.data.signIn.user.id };
}

async function gql<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<{ status: number; data?: T; errors?: { extensions?: { code?: string } }[] }> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(20_000),
  });
  const body = (await res.json()) as { data?: T; errors?: { extensions?: { code?: string } }[] };
  return { status: res.status, ...body };
}

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
});

describe(`resilience: two instances, ${SECONDS} s × ${CONNECTIONS} connections, kill -9 of the database mid-load`, () => {
  it("answers no 5xx but 503, loses no acknowledged write, recovers without restarts, revokes across instances", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "atrium-resilience-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const pgPort = await freePort();
    const dataDir = path.join(dir, "pg");
    // A owns the (supervised) embedded database; B uses it through DATABASE_URL.
    const a = startApi({ PORT: String(await freePort()), EMBEDDED_PG_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort) });
    cleanup.push(() => stop(a, dataDir));
    await ready(a, 120_000);
    const ownerUrl = `postgresql://postgres:postgres@127.0.0.1:${pgPort}/atrium`;
    const b = startApi({ PORT: String(await freePort()), DATABASE_URL: ownerUrl });
    cleanup.push(() => stop(b));
    await ready(b, 120_000);
    const instances = [a, b];

    // One owner, one workspace, one API key (made on A; used on both).
    const email = `resilience-${Date.now()}@example.test`;
    const password = "correct horse battery staple";
    const { token } = await account(a.url, email, password);
    const ws = (await gql<{ createWorkspace: { id: string; slug: string } }>(a.url, `mutation($i: CreateWorkspaceInput!) { createWorkspace(input: $i) { id slug } }`, { i: { name: "Resilience Co", channel: "WHATSAPP" } }, token)).data!.createWorkspace;
    const created = await gql<{ createApiKey: { secret: string; apiKey: { id: string } } }>(a.url, `mutation($w: ID!, $i: CreateApiKeyInput!) { createApiKey(workspaceId: $w, input: $i) { secret apiKey { id } } }`, { w: ws.id, i: { name: "load", scopes: ["lead.manage"] } }, token);
    const key = created.data!.createApiKey;

    // Mixed load, alternating instances: key writes and reads, the public form, user reads.
    const acknowledged = new Set<string>();
    const statuses = new Map<number, number>();
    const codes = new Map<string, number>();
    let requests = 0;
    const count = (status: number, code?: string) => {
      requests += 1;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (code) codes.set(code, (codes.get(code) ?? 0) + 1);
    };
    const stopAt = Date.now() + SECONDS * 1000;
    let killedAt = 0;
    const worker = async (w: number) => {
      for (let i = 0; Date.now() < stopAt; i++) {
        const target = instances[(w + i) % 2]!;
        const name = `load-${w}-${i}`;
        try {
          switch (i % 4) {
            case 0: {
              const r = await gql<{ submitLead: { id: string } }>(target.url, `mutation($i: SubmitLeadInput!) { submitLead(input: $i) { id } }`, { i: { name, email: `${name}@example.test` } }, key.secret);
              count(r.status, r.errors?.[0]?.extensions?.code);
              if (r.data?.submitLead.id) acknowledged.add(name);
              break;
            }
            case 1: {
              const r = await gql(target.url, `query($w: ID!) { leads(workspaceId: $w, first: 20) { totalCount edges { node { id name } } } }`, { w: ws.id }, key.secret);
              count(r.status, r.errors?.[0]?.extensions?.code);
              break;
            }
            case 2: {
              const res = await fetch(`${target.url}/forms/${ws.slug}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name, email: `${name}@form.example.test` }), signal: AbortSignal.timeout(20_000) });
              const body = (await res.json()) as { id?: string; error?: string };
              count(res.status, body.error);
              if (res.status === 201 && body.id) acknowledged.add(name);
              break;
            }
            default: {
              const r = await gql(target.url, `{ me { id email memberships { role workspace { id name } } } }`, {}, token);
              count(r.status, r.errors?.[0]?.extensions?.code);
            }
          }
        } catch (err) {
          count(0, err instanceof Error ? err.name : "ERROR");
        }
      }
    };
    const killer = (async () => {
      await sleep(SECONDS * 400);
      const postmaster = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
      killedAt = Date.now();
      process.kill(postmaster, "SIGKILL");
    })();
    const began = Date.now();
    await Promise.all([killer, ...Array.from({ length: CONNECTIONS }, (_, w) => worker(w))]);
    const elapsed = (Date.now() - began) / 1000;
    for (const instance of instances) await ready(instance, 30_000);

    // Every acknowledged write is there: in SQL and through the API.
    const client = new pg.Client({ connectionString: ownerUrl });
    await client.connect();
    const names = [...acknowledged];
    const stored = await client.query<{ n: string }>("SELECT count(*)::text AS n FROM leads WHERE workspace_id = $1 AND name = ANY($2)", [ws.id, names]);
    await client.end();
    const apiTotal = await gql<{ leads: { totalCount: number } }>(b.url, `query($w: ID!) { leads(workspaceId: $w, first: 1) { totalCount } }`, { w: ws.id }, key.secret);

    const fiveHundreds = [...statuses].filter(([status]) => status >= 500 && status !== 503).reduce((n, [, c]) => n + c, 0);
    const figures = {
      bench: "resilience",
      seconds: SECONDS,
      connections: CONNECTIONS,
      requests,
      reqPerSec: Math.round(requests / elapsed),
      statuses: Object.fromEntries(statuses),
      codes: Object.fromEntries(codes),
      acknowledgedWrites: names.length,
      storedWrites: Number(stored.rows[0]!.n),
      apiLeadTotal: apiTotal.data?.leads.totalCount,
      killedAtSecond: Math.round((killedAt - began) / 100) / 10,
    };
    console.log(JSON.stringify(figures));
    if (process.env.RESILIENCE_DEBUG) for (const line of [...a.output().split("\n"), ...b.output().split("\n")].filter((l) => l.includes("\"level\":50")).slice(0, 6)) console.log(line.slice(0, 1500));

    expect(fiveHundreds, "no 5xx other than 503 while the database was away").toBe(0);
    expect(codes.get("INTERNAL_SERVER_ERROR") ?? 0, "no INTERNAL_SERVER_ERROR").toBe(0);
    expect(statuses.get(0) ?? 0, "no request without an answer").toBe(0);
    expect(names.length, "the load wrote something").toBeGreaterThan(0);
    expect(Number(stored.rows[0]!.n), "every acknowledged write is stored").toBe(names.length);
    expect(apiTotal.data?.leads.totalCount ?? 0).toBeGreaterThanOrEqual(names.length);
    expect(a.child.exitCode, "A kept running").toBeNull();
    expect(b.child.exitCode, "B kept running").toBeNull();

    // Two instances, one truth: a key revoked on A is refused on B at once; a session ended on B
    // is refused on A at once.
    expect((await gql(b.url, `query($w: ID!) { leads(workspaceId: $w, first: 1) { totalCount } }`, { w: ws.id }, key.secret)).errors).toBeUndefined();
    await gql(a.url, `mutation($w: ID!, $id: ID!) { revokeApiKey(workspaceId: $w, id: $id) }`, { w: ws.id, id: key.apiKey.id }, token);
    expect((await gql(b.url, `query($w: ID!) { leads(workspaceId: $w, first: 1) { totalCount } }`, { w: ws.id }, key.secret)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await gql(a.url, `{ me { id } }`, {}, token)).errors).toBeUndefined();
    // A member demoted on A has lost the power on B at once.
    const owner = await gql<{ signIn: { accessToken: string } }>(a.url, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, { i: { email, password } });
    const ownerToken = owner.data!.signIn.accessToken;
    const adminEmail = `resilience-admin-${Date.now()}@example.test`;
    const admin = await account(b.url, adminEmail, password);
    await gql(b.url, `mutation($w: ID!, $i: InviteMemberInput!) { inviteMember(workspaceId: $w, input: $i) { id } }`, { w: ws.id, i: { email: adminEmail, role: "ADMIN" } }, ownerToken);
    const accepted = await gql(b.url, `mutation($t: String!) { acceptInvitation(token: $t) { id } }`, { t: await mailToken(b.url, adminEmail, 2) }, admin.token);
    expect(accepted.errors, JSON.stringify(accepted.errors)).toBeUndefined();
    const keysQuery = `query($w: ID!) { apiKeys(workspaceId: $w) { id } }`;
    expect((await gql(b.url, keysQuery, { w: ws.id }, admin.token)).errors, "an admin lists API keys on B").toBeUndefined();
    const demoted = await gql(a.url, `mutation($w: ID!, $u: ID!, $i: UpdateMemberInput!) { updateMember(workspaceId: $w, userId: $u, input: $i) { role } }`, { w: ws.id, u: admin.id, i: { role: "AGENT" } }, ownerToken);
    expect(demoted.errors, JSON.stringify(demoted.errors)).toBeUndefined();
    expect((await gql(b.url, keysQuery, { w: ws.id }, admin.token)).errors?.[0]?.extensions?.code, "demoted on A, refused on B").toBe("FORBIDDEN");

    // Rate limits are shared: the per-account sign-in budget (10 attempts, this account's one
    // successful sign-in included) runs out across A and B together. Alternating, neither
    // instance alone has seen more than 5 attempts when the refusal comes.
    const wrong = { i: { email: adminEmail, password: "not the password at all" } };
    const signInMutation = `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`;
    const answers: (string | undefined)[] = [];
    for (let i = 0; i < 12; i++) answers.push((await gql(instances[i % 2]!.url, signInMutation, wrong)).errors?.[0]?.extensions?.code);
    const firstLimited = answers.indexOf("RATE_LIMITED");
    expect(answers.slice(0, firstLimited).every((code) => code === "UNAUTHENTICATED"), JSON.stringify(answers)).toBe(true);
    expect(firstLimited, `refused once the shared budget is spent: ${JSON.stringify(answers)}`).toBe(9);
  });
});
