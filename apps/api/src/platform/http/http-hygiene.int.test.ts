// HTTP hygiene (issue 16): compression, HSTS only over HTTPS, security headers, and the server's timeouts.
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { GraphQLObjectType, type GraphQLSchema } from "graphql";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { getSchema } from "../../schema.ts";
import { helmetHeaders } from "../../server.ts";
import { startTestApi, type TestApi } from "../../test/harness.ts";

/** Every field resolver of the schema's object types, by "Type.field". */
function resolversOf(schema: GraphQLSchema): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__") || !(type instanceof GraphQLObjectType)) continue;
    for (const field of Object.values(type.getFields())) out.set(`${type.name}.${field.name}`, field.resolve);
  }
  return out;
}

const BIG = JSON.stringify({ query: "{ __schema { types { name description fields { name description } } } }" });

describe("HTTP hygiene", () => {
  let api: TestApi;
  let proxied: TestApi;
  let resolversBefore: Map<string, unknown>;
  beforeAll(async () => {
    api = await startTestApi();
    resolversBefore = resolversOf(await getSchema());
    proxied = await startTestApi({ trustProxy: true });
  });
  afterAll(async () => {
    await api?.close();
    await proxied?.close();
  });

  it("compresses large responses as the client accepts (brotli, gzip), small ones not", async () => {
    const plain = await api.app.inject({
      method: "POST",
      url: "/graphql",
      headers: { "content-type": "application/json" },
      payload: BIG,
    });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    const text = plain.payload;
    expect(text.length).toBeGreaterThan(1024);
    for (const [encoding, decode] of [
      ["br", brotliDecompressSync],
      ["gzip", gunzipSync],
    ] as const) {
      const res = await api.app.inject({
        method: "POST",
        url: "/graphql",
        headers: { "content-type": "application/json", "accept-encoding": encoding },
        payload: BIG,
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-encoding"], encoding).toBe(encoding);
      expect(res.rawPayload.length, `${encoding} is smaller`).toBeLessThan(text.length);
      expect(JSON.parse(decode(res.rawPayload).toString("utf8")), `${encoding} decodes to the same answer`).toEqual(
        JSON.parse(text),
      );
    }
    const small = await api.app.inject({ method: "GET", url: "/healthz", headers: { "accept-encoding": "gzip" } });
    expect(small.headers["content-encoding"]).toBeUndefined();
  });

  it("a malformed Host header does not make /graphql fail: GET and POST answer as with a good one", async () => {
    // The handler reads only the URL's query string; a base built from the Host once made a GET
    // with a Host such as "a b" throw ERR_INVALID_URL (a 500).
    for (const host of ["a b", "[", ""]) {
      const get = await api.app.inject({
        method: "GET",
        url: "/graphql?query=%7B__typename%7D",
        headers: { host, "apollo-require-preflight": "1" },
      });
      expect([host, get.statusCode, get.json()]).toEqual([host, 200, { data: { __typename: "Query" } }]);
      const post = await api.app.inject({
        method: "POST",
        url: "/graphql",
        headers: { host, "content-type": "application/json" },
        payload: JSON.stringify({ query: "{ __typename }" }),
      });
      expect([host, post.statusCode, post.json()]).toEqual([host, 200, { data: { __typename: "Query" } }]);
    }
  });

  it("every /graphql answer says cache-control: no-store — data, errors, refusals before Apollo — and no plugin wraps the schema's resolvers", async () => {
    const json = { "content-type": "application/json" };
    const post = (body: object, headers: Record<string, string> = {}) =>
      api.app.inject({
        method: "POST",
        url: "/graphql",
        headers: { ...json, ...headers },
        payload: JSON.stringify(body),
      });
    const answers = {
      data: await post({ query: "{ __typename }" }),
      unauthenticated: await post({ query: "{ me { id } }" }),
      invalid: await post({ query: "{ nope }" }),
      get: await api.app.inject({
        method: "GET",
        url: "/graphql?query=%7B__typename%7D",
        headers: { "apollo-require-preflight": "1" },
      }),
      // Refused before Apollo's pipeline: the token limit (a preHandler), an unknown API key (the context).
      tooManyTokens: await post({ query: `{ ${"__typename ".repeat(api.config.graphqlLimits.maxTokens + 1)}}` }),
      unknownKey: await post({ query: "{ __typename }" }, { authorization: "Bearer atr_live_notarealkey" }),
    };
    expect(
      Object.fromEntries(
        Object.entries(answers).map(([k, r]) => [k, [r.statusCode < 500, r.headers["cache-control"]]]),
      ),
    ).toEqual({
      data: [true, "no-store"],
      unauthenticated: [true, "no-store"],
      invalid: [true, "no-store"],
      get: [true, "no-store"],
      tooManyTokens: [true, "no-store"],
      unknownKey: [true, "no-store"],
    });
    expect(answers.tooManyTokens.statusCode, "the token limit's refusal").toBe(400);
    // Apollo wraps every field resolver (and calls a hook per field resolved) once any plugin has
    // willResolveField, as its default cache-control plugin does (@apollo/server's
    // utils/schemaInstrumentation.js): the resolvers seen before any request must be the same
    // functions after these, and the schema must not carry the mark Apollo leaves when it wraps.
    const after = resolversOf(await getSchema());
    expect(after.size).toBeGreaterThan(10);
    expect(
      [...after].filter(([name, resolve]) => resolversBefore.get(name) !== resolve).map(([name]) => name),
      "resolvers replaced by a wrapper",
    ).toEqual([]);
    expect(Object.getOwnPropertySymbols(await getSchema()).map((s) => s.description)).not.toContain(
      "apolloServerPluginsEnabled",
    );
  });

  it("sends HSTS only over HTTPS (here: behind a trusted proxy that says so)", async () => {
    const overHttp = await api.app.inject({ method: "GET", url: "/healthz" });
    expect(overHttp.headers["strict-transport-security"]).toBeUndefined();
    const spoofed = await api.app.inject({ method: "GET", url: "/healthz", headers: { "x-forwarded-proto": "https" } });
    expect(
      spoofed.headers["strict-transport-security"],
      "an untrusted x-forwarded-proto changes nothing",
    ).toBeUndefined();
    const overHttps = await proxied.app.inject({
      method: "GET",
      url: "/healthz",
      headers: { "x-forwarded-proto": "https" },
    });
    expect(overHttps.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
  });

  it("sends Helmet's security headers on every kind of response: GraphQL, REST, refusals, not found", async () => {
    const expected = helmetHeaders();
    // What Helmet sets for these options, spelled out: an empty or partial set fails here.
    expect(expected).toMatchObject({
      "content-security-policy":
        "default-src 'self';base-uri 'self';font-src 'self' data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline';upgrade-insecure-requests;connect-src 'self'",
      "x-content-type-options": "nosniff",
      "x-frame-options": "SAMEORIGIN",
      "referrer-policy": "no-referrer",
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-resource-policy": "same-origin",
    });
    expect(expected["strict-transport-security"], "HSTS is ours, over HTTPS only").toBeUndefined();
    const json = { "content-type": "application/json" };
    const responses = {
      graphql: await api.app.inject({
        method: "POST",
        url: "/graphql",
        headers: json,
        payload: JSON.stringify({ query: "{ __typename }" }),
      }),
      "graphql refusal": await api.app.inject({ method: "POST", url: "/graphql", headers: json, payload: "{not json" }),
      rest: await api.app.inject({ method: "GET", url: "/healthz" }),
      "not found": await api.app.inject({ method: "GET", url: "/no-such-route" }),
    };
    for (const [kind, res] of Object.entries(responses)) {
      for (const [name, value] of Object.entries(expected)) expect(res.headers[name], `${kind}: ${name}`).toBe(value);
    }
    expect(responses["graphql refusal"].statusCode).toBe(400);
    expect(responses["not found"].statusCode).toBe(404);
  });

  it("bounds how long a request may take to arrive and how long idle sockets stay open", () => {
    // The Node HTTP server itself carries them (Fastify hands them over at creation).
    expect(api.app.server.requestTimeout).toBe(30_000);
    expect(api.app.server.keepAliveTimeout).toBe(72_000);
    expect(api.app.initialConfig.bodyLimit).toBe(1_048_576);
  });
});
