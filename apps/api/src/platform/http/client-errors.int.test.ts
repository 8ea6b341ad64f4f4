// Client mistakes get their own clear, typed error — never a 500 (issue 9, items 4–7).
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Fastify from "fastify";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";
import { AppError, ErrorCode } from "../errors.ts";
import { registerHttpErrorHandling } from "./rest-errors.ts";

const post = (url: string, body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
  fetch(url, { method: "POST", headers, body });

describe("GraphQL request errors are client errors (item 4)", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api?.close());

  const gqlRaw = async (body: unknown) => {
    const res = await post(`${api.url}/graphql`, JSON.stringify(body));
    return {
      status: res.status,
      body: (await res.json()) as { errors?: { message: string; extensions: Record<string, unknown> }[] },
    };
  };
  const query = "{ __typename }";
  const sha = createHash("sha256").update(query).digest("hex");

  it.each([
    [
      "two operations without operationName",
      { query: "query A { __typename } query B { __typename }" },
      "OPERATION_NAME_REQUIRED",
    ],
    [
      "an unknown operationName",
      { query: "query A { __typename } query B { __typename }", operationName: "C" },
      "UNKNOWN_OPERATION_NAME",
    ],
    [
      "an operationName on a one-operation document that names another",
      { query: "query A { __typename }", operationName: "B" },
      "UNKNOWN_OPERATION_NAME",
    ],
    [
      "a persisted-query hash that does not match the query",
      { query, extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } },
      "BAD_REQUEST",
    ],
    [
      "persistedQuery.version 99",
      { query, extensions: { persistedQuery: { version: 99, sha256Hash: sha } } },
      "BAD_REQUEST",
    ],
  ])("%s: 400 BAD_USER_INPUT", async (_name, body, reason) => {
    const r = await gqlRaw(body);
    expect(r.status).toBe(400);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason });
  });

  it("names the operation to run when operationName is given", async () => {
    const r = await gqlRaw({ query: "query A { __typename } query B { policyCatalog { key } }", operationName: "A" });
    expect(r).toEqual({ status: 200, body: { data: { __typename: "Query" } } });
  });

  it("an unknown persisted-query hash alone: PERSISTED_QUERY_NOT_FOUND", async () => {
    const r = await gqlRaw({
      extensions: {
        persistedQuery: {
          version: 1,
          sha256Hash: createHash("sha256").update("{ me { id } }#never-sent").digest("hex"),
        },
      },
    });
    expect(r.status).toBeLessThan(500);
    expect(r.body.errors![0]!.extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
  });

  it("malformed, oversized and mistyped bodies on /graphql answer GraphQL-shaped typed errors with the request id", async () => {
    for (const [body, headers, status] of [
      ['{"query": ', { "content-type": "application/json" }, 400],
      [
        JSON.stringify({ query: "{ __typename }", variables: { x: "a".repeat(1_100_000) } }),
        { "content-type": "application/json" },
        413,
      ],
      ["<query/>", { "content-type": "application/xml" }, 415],
    ] as const) {
      const res = await post(`${api.url}/graphql`, body, headers);
      expect(res.status).toBe(status);
      const json = (await res.json()) as {
        errors: { message: string; extensions: { code: string; requestId: string } }[];
      };
      expect(json.errors[0]!.extensions.code).toBe("BAD_USER_INPUT");
      expect(json.errors[0]!.extensions.requestId).toBe(res.headers.get("x-request-id"));
      expect(json.errors[0]!.message).not.toMatch(/FST_|Unexpected|position|JSON\.parse/);
    }
  });

  it("keeps a plain x-request-id and replaces anything else", async () => {
    const kept = await fetch(`${api.url}/healthz`, { headers: { "x-request-id": "lb-1234.abc" } });
    expect(kept.headers.get("x-request-id")).toBe("lb-1234.abc");
    const replaced = await fetch(`${api.url}/healthz`, { headers: { "x-request-id": "a b <script>" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("REST errors: one handler, typed JSON, request id, nothing internal (item 6)", () => {
  let api: TestApi;
  let slug: string;
  let workspaceId: string;
  beforeAll(async () => {
    api = await startTestApi();
    const owner = await api.user("Rest Owner");
    ({ slug, id: workspaceId } = await createWorkspace(api, owner, "Rest Errors Co"));
  });
  afterAll(async () => api?.close());

  it("the reported case: a NUL in the public form's name is a 400 naming the field, nothing stored, no ORM text", async () => {
    const res = await post(`${api.url}/forms/${slug}`, JSON.stringify({ name: "a\u0000b" }));
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      error: "BAD_USER_INPUT",
      message: expect.stringContaining("name") as unknown,
      requestId: res.headers.get("x-request-id"),
      fields: { name: expect.stringContaining("NUL") as unknown },
    });
    expect(text).not.toMatch(/prisma|invocation|\.ts|SQLSTATE/i);
    const stored = await ownerSql<{ n: string }>(api, `SELECT count(*) AS n FROM leads WHERE workspace_id = $1`, [
      workspaceId,
    ]);
    expect(stored[0]!.n).toBe("0");
  });

  it("unknown routes, malformed JSON, wrong media types, oversized bodies and URLs: typed 4xx", async () => {
    const cases: [Promise<Response>, number][] = [
      [fetch(`${api.url}/no/such/route`), 404],
      [post(`${api.url}/forms/${slug}`, '{"name":'), 400],
      [post(`${api.url}/forms/${slug}`, "<x/>", { "content-type": "application/xml" }), 415],
      [post(`${api.url}/forms/${slug}`, JSON.stringify({ name: "a".repeat(1_100_000) })), 413],
      [fetch(`${api.url}/forms/${"a".repeat(20_000)}`), 431],
      [fetch(`${api.url}/forms/%E0%A4%A`), 400],
    ];
    for (const [pending, status] of cases) {
      const res = await pending;
      expect(res.status).toBe(status);
      const body = (await res.json()) as { error: string; message: string; requestId: string };
      expect(Object.values(ErrorCode)).toContain(body.error);
      expect(body.error).not.toBe("INTERNAL_SERVER_ERROR");
      expect(typeof body.message).toBe("string");
      expect(body.requestId).toEqual(expect.any(String));
      expect(JSON.stringify(body)).not.toMatch(/FST_ERR|statusCode/);
    }
  });

  it("masks an unexpected error (500 with code, message and request id only), maps lost races and AppErrors", async () => {
    const app = Fastify({ logger: false });
    registerHttpErrorHandling(app);
    app.get("/boom", () => {
      const err = new Error(
        "Invalid `tx.contact.create()` invocation in /work/app/src/leads.service.ts:51:23 — SQLSTATE 22021",
      ) as Error & { code: string };
      err.code = "P2039";
      throw err;
    });
    app.get("/gone", () => {
      throw Object.assign(new Error("No record was found for a delete."), {
        name: "PrismaClientKnownRequestError",
        code: "P2025",
        meta: { modelName: "Membership" },
      });
    });
    app.get("/limited", () => {
      throw new AppError(ErrorCode.RATE_LIMITED, "Too many attempts.", { retryAfterSeconds: 7 });
    });
    const boom = await app.inject({ method: "GET", url: "/boom" });
    expect(boom.statusCode).toBe(500);
    expect(boom.json()).toEqual({
      error: "INTERNAL_SERVER_ERROR",
      message: "Internal server error.",
      requestId: expect.any(String) as unknown,
    });
    const gone = await app.inject({ method: "GET", url: "/gone" });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ error: "NOT_FOUND", message: "Member not found." });
    const limited = await app.inject({ method: "GET", url: "/limited" });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers["retry-after"]).toBe("7");
    expect(limited.json()).toMatchObject({ error: "RATE_LIMITED", retryAfterSeconds: 7 });
    await app.close();
  });

  it("a repeated ?to= on the dev mailbox is a 400, not a crash", async () => {
    const res = await fetch(`${api.url}/dev/mailbox?to=a@example.com&to=b@example.com`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "BAD_USER_INPUT", fields: { to: expect.any(String) as unknown } });
  });
});

describe("smaller items (7): cookies, dev mailbox, source maps; and production status codes (5)", () => {
  let dev: TestApi;
  let prod: TestApi;
  let webDist: string;
  let owner: TestUser;

  beforeAll(async () => {
    webDist = await mkdtemp(path.join(tmpdir(), "atrium-web-"));
    await mkdir(path.join(webDist, "assets"));
    await writeFile(path.join(webDist, "index.html"), "<!doctype html><title>Atrium</title>");
    await writeFile(
      path.join(webDist, "assets/app-abc123.js"),
      "console.log(1);\n//# sourceMappingURL=app-abc123.js.map",
    );
    await writeFile(path.join(webDist, "assets/app-abc123.js.map"), '{"version":3,"sources":["src/secret.ts"]}');
    dev = await startTestApi({ webDistDir: webDist });
    prod = await startTestApi({ webDistDir: webDist, nodeEnv: "production" });
    owner = await dev.user("Cookie Owner");
  });
  afterAll(async () => {
    await Promise.all([dev?.close(), prod?.close()]);
    await rm(webDist, { recursive: true, force: true });
  });

  it("sets every session cookie SameSite=Strict (decision 0003)", async () => {
    const res = await post(
      `${dev.url}/graphql`,
      JSON.stringify({
        query: `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`,
        variables: { i: { email: owner.email, password: owner.password } },
      }),
    );
    const cookies = res.headers.getSetCookie();
    for (const name of ["atrium_at", "atrium_rt", "atrium_csrf"]) {
      const cookie = cookies.find((c) => c.startsWith(`${name}=`));
      expect(cookie, name).toMatch(/; SameSite=Strict/);
    }
  });

  it("serves source maps in development only", async () => {
    expect((await fetch(`${dev.url}/assets/app-abc123.js.map`)).status).toBe(200);
    expect((await fetch(`${prod.url}/assets/app-abc123.js`)).status).toBe(200);
    for (const accept of ["*/*", "text/html"]) {
      const map = await fetch(`${prod.url}/assets/app-abc123.js.map`, { headers: { accept } });
      expect(map.status).toBe(404);
      const text = await map.text();
      expect(text).not.toContain("secret.ts");
      expect(JSON.parse(text)).toMatchObject({ error: "NOT_FOUND" });
    }
    // Client-side routes still get the app.
    const page = await fetch(`${prod.url}/workspaces/acme/settings`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>Atrium</title>");
  });

  it("serves the dev mailbox to loopback requests only, and not at all in production", async () => {
    const url = `/dev/mailbox?to=${encodeURIComponent(owner.email)}`;
    const local = await dev.app.inject({ method: "GET", url, remoteAddress: "127.0.0.1" });
    expect(local.statusCode).toBe(200);
    expect(local.json<unknown[]>().length).toBeGreaterThan(0);
    for (const remoteAddress of ["203.0.113.5", "10.0.0.8", "::ffff:192.168.1.20", "fe80::1"]) {
      const remote = await dev.app.inject({ method: "GET", url, remoteAddress });
      expect(remote.statusCode, remoteAddress).toBe(403);
      expect(remote.json()).toMatchObject({ error: "FORBIDDEN", reason: "LOOPBACK_ONLY" });
      expect(remote.body).not.toContain(owner.email);
    }
    // Through a proxy on the same machine (x-forwarded-for), whatever TRUST_PROXY says.
    const proxied = await dev.app.inject({
      method: "GET",
      url,
      remoteAddress: "127.0.0.1",
      headers: { "x-forwarded-for": "203.0.113.5" },
    });
    expect(proxied.statusCode).toBe(403);
    expect((await fetch(`${prod.url}${url}`)).status).toBe(404);
  });

  it("production: anonymous introspection is 401 UNAUTHENTICATED (never a 5xx); a signed-in developer may introspect", async () => {
    const anonymous = await post(
      `${prod.url}/graphql`,
      JSON.stringify({ query: "{ __schema { queryType { name } } }" }),
    );
    expect(anonymous.status).toBe(401);
    expect(
      ((await anonymous.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code,
    ).toBe("UNAUTHENTICATED");
    const typeQuery = await post(
      `${prod.url}/graphql`,
      JSON.stringify({ query: '{ __type(name: "Workspace") { name } }' }),
    );
    expect(typeQuery.status).toBe(401);

    const email = "prod-dev@example.com";
    const password = "correct horse battery staple";
    await prod.gql(`mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }`, {
      i: { email, password, name: "Dev" },
    });
    await ownerSql(prod, `UPDATE users SET email_verified_at = now() WHERE email = $1`, [email]);
    const signIn = await prod.gql<{ signIn: { accessToken: string } }>(
      `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`,
      { i: { email, password } },
    );
    const signedIn = await prod.gql(`{ __schema { queryType { name } } }`, undefined, {
      token: signIn.data!.signIn.accessToken,
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.data).toEqual({ __schema: { queryType: { name: "Query" } } });
  });
});
