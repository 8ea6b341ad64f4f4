// Bad-input fuzz over every REST route (issue 9). The routes come from the server's own route
// table (rest-errors.ts routeCatalog): each must declare the fields it reads (`config.input`), and
// every declared field — path params, query string, JSON body — gets NUL, a lone surrogate (in a
// URL: an invalid UTF-8 sequence, the nearest a URL can carry), a 1 MB value and wrong types.
// A new route (e.g. a provider webhook) is probed the day it is registered.
//
// Every answer must be a typed client error (JSON {error: CODE, message, requestId}, or under
// /api/v1 problem details {code, detail, requestId}) or a success:
// never a 5xx, never anything internal.
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { createWorkspace, ownerSql, startTestApi, type TestApi } from "../../test/harness.ts";
import { ErrorCode } from "../errors.ts";
import { routeCatalog, type RouteEntry } from "./rest-errors.ts";

const CONTRACT_CODES = new Set<string>(Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR));
const HUGE = "a".repeat(1_000_000);

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

interface Probe {
  name: string;
  /** Encoded for a URL (path segment or query value); undefined: not expressible there. */
  url?: string;
  /** For a JSON body. */
  json: unknown;
  /** Refused by the text rule, naming the field (when it reaches the app as a JSON field). */
  text: boolean;
}

const PROBES: Probe[] = [
  { name: "NUL", url: "a%00b", json: "a\u0000b", text: true },
  { name: "lone surrogate", url: "w%ED%A0%80", json: "w\ud800", text: true },
  { name: "1 MB value", url: HUGE, json: HUGE, text: true },
  { name: "number", url: "12345", json: 12345, text: false },
  { name: "object", json: { x: "y" }, text: false },
  { name: "list", json: ["a", "b"], text: false },
];

describe("bad-input fuzz over every REST route", () => {
  let api: TestApi;
  let slug: string;
  let workspaceId: string;
  let routes: RouteEntry[];

  beforeAll(async () => {
    api = await startTestApi({ rateLimits: { formPerIpPerMinute: 1_000_000, formPerWorkspacePerMinute: 1_000_000 } });
    const owner = await api.user("Rest Fuzz");
    ({ slug, id: workspaceId } = await createWorkspace(api, owner, "Rest Fuzz Co"));
    // The static web app's files (when built) and /graphql (fuzzed from the schema) are not REST routes.
    routes = routeCatalog(api.app).filter(
      (r) =>
        r.method !== "HEAD" &&
        r.method !== "OPTIONS" &&
        !r.url.startsWith("/graphql") &&
        r.url !== "/" &&
        !/\.[A-Za-z0-9]+$/.test(r.url) &&
        !r.url.includes("*"),
    );
  });
  afterAll(async () => api?.close());

  const request = async (method: string, url: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${api.url}${url}`, {
      method,
      ...(body !== undefined ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, contentType: res.headers.get("content-type") ?? "", body: await res.text() };
  };

  /** A valid value for a field: the seeded workspace for a slug, plausible text otherwise. */
  const valid = (field: string): string =>
    field === "slug"
      ? slug
      : field === "workspaceId"
        ? workspaceId
        : field === "to" || field === "email"
          ? "someone@example.com"
          : field === "website"
            ? ""
            : field === "phone"
              ? "+1 415 555 0100"
              : "Fuzz";

  function urlFor(route: RouteEntry, params: Record<string, string>, query: Record<string, string>): string {
    const path = route.url.replace(
      /:([A-Za-z0-9_]+)/g,
      (_m, name: string) => params[name] ?? encodeURIComponent(valid(name)),
    );
    const qs = Object.entries(query)
      .map(([k, v]) => `${k}=${v}`)
      .join("&");
    return qs ? `${path}?${qs}` : path;
  }

  function problems(where: string, a: Answer, expectField?: string): string[] {
    const out: string[] = [];
    if (a.status >= 500) out.push(`${where}: HTTP ${a.status} ${a.body.slice(0, 200)}`);
    if (a.status >= 400 && !a.contentType.includes("text/html")) {
      let body: { error?: unknown; message?: unknown; requestId?: unknown; fields?: Record<string, string> };
      try {
        body = JSON.parse(a.body) as typeof body;
      } catch {
        return [...out, `${where}: ${a.status} without a JSON body: ${a.body.slice(0, 120)}`];
      }
      // The public API (/api/v1, decision 0046) answers RFC 9457 problem details: the same code and message as `code` and `detail`.
      if (a.contentType.startsWith("application/problem+json")) {
        const problem = body as {
          code?: unknown;
          detail?: unknown;
          requestId?: unknown;
          fields?: Record<string, string>;
        };
        body = { error: problem.code, message: problem.detail, requestId: problem.requestId, fields: problem.fields };
      }
      if (
        typeof body.error !== "string" ||
        !CONTRACT_CODES.has(body.error) ||
        typeof body.message !== "string" ||
        typeof body.requestId !== "string"
      ) {
        out.push(`${where}: untyped error body ${a.body.slice(0, 200)}`);
      }
      if (/prisma|sqlstate|\/work\/|node_modules|at .*\.ts:\d+/i.test(a.body))
        out.push(`${where}: internal detail in the body`);
      if (expectField && !(a.status === 400 && body.error === "BAD_USER_INPUT" && body.fields?.[expectField])) {
        out.push(
          `${where}: expected 400 BAD_USER_INPUT naming ${expectField}, got ${a.status} ${a.body.slice(0, 200)}`,
        );
      }
    } else if (expectField) {
      out.push(`${where}: expected 400 BAD_USER_INPUT naming ${expectField}, got ${a.status}`);
    }
    return out;
  }

  it("every route declares the fields it reads (so this fuzz covers it)", () => {
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining([
        "GET /healthz",
        "GET /readyz",
        "GET /forms/:slug",
        "POST /forms/:slug",
        "GET /dev/mailbox",
      ]),
    );
    expect(routes.filter((r) => r.input === undefined).map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it("answers every probe of every field with a typed client error or a success, never a 5xx", async () => {
    const found: string[] = [];
    let probes = 0;
    for (const route of routes) {
      const input = route.input ?? {};
      const baseQuery = Object.fromEntries((input.query ?? []).map((f) => [f, encodeURIComponent(valid(f))]));
      const baseBody = Object.fromEntries((input.body ?? []).filter((f) => f !== "website").map((f) => [f, valid(f)]));
      const withBody = route.method === "POST" || route.method === "PUT" || route.method === "PATCH";
      for (const probe of PROBES) {
        for (const field of input.params ?? []) {
          if (probe.url === undefined) continue;
          const where = `${route.method} ${route.url} param ${field} ← ${probe.name}`;
          const a = await request(
            route.method,
            urlFor(route, { [field]: probe.url }, baseQuery),
            withBody ? baseBody : undefined,
          );
          probes++;
          // A URL cannot carry 1 MB (431) and invalid UTF-8 is a malformed URL: typed 4xx, not always naming the field.
          found.push(...problems(where, a, probe.name === "NUL" ? field : undefined));
        }
        for (const field of input.query ?? []) {
          const value = probe.url ?? (probe.name === "list" ? "a&" + field + "=b" : undefined);
          if (value === undefined) continue;
          const where = `${route.method} ${route.url} query ${field} ← ${probe.name}`;
          const a = await request(
            route.method,
            urlFor(route, {}, { ...baseQuery, [field]: value }),
            withBody ? baseBody : undefined,
          );
          probes++;
          found.push(...problems(where, a, probe.name === "NUL" ? field : undefined));
        }
        if (withBody) {
          for (const field of input.body ?? []) {
            const where = `${route.method} ${route.url} body ${field} ← ${probe.name}`;
            const a = await request(route.method, urlFor(route, {}, baseQuery), { ...baseBody, [field]: probe.json });
            probes++;
            found.push(...problems(where, a, probe.text ? field : undefined));
          }
        }
      }
      // Whole-request mistakes on every route: junk query field, malformed JSON, wrong media type.
      const junk = await request(
        route.method,
        `${urlFor(route, {}, baseQuery)}${Object.keys(baseQuery).length ? "&" : "?"}zz=%00`,
        withBody ? baseBody : undefined,
      );
      found.push(...problems(`${route.method} ${route.url} unknown query field ← NUL`, junk, "zz"));
      if (withBody) {
        const url = `${api.url}${urlFor(route, {}, baseQuery)}`;
        for (const [name, init] of [
          ["malformed JSON", { headers: { "content-type": "application/json" }, body: '{"name": "x"' }],
          ["JSON array body", { headers: { "content-type": "application/json" }, body: "[1,2]" }],
          ["JSON string body", { headers: { "content-type": "application/json" }, body: '"x"' }],
          ["unsupported media type", { headers: { "content-type": "application/xml" }, body: "<x/>" }],
          [
            "body over the limit",
            { headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "a".repeat(2_000_000) }) },
          ],
          ["urlencoded NUL", { headers: { "content-type": "application/x-www-form-urlencoded" }, body: "name=a%00b" }],
          [
            "urlencoded over the limit",
            { headers: { "content-type": "application/x-www-form-urlencoded" }, body: `name=${"a".repeat(100_000)}` },
          ],
        ] as const) {
          const res = await fetch(url, { method: route.method, ...init });
          probes++;
          found.push(
            ...problems(`${route.method} ${route.url} ← ${name}`, {
              status: res.status,
              contentType: res.headers.get("content-type") ?? "",
              body: await res.text(),
            }),
          );
        }
      }
    }
    expect(found).toEqual([]);
    expect(probes).toBeGreaterThanOrEqual(40);
    // Nothing the probes sent was stored: the only leads are none.
    const leads = await ownerSql<{ n: string }>(
      api,
      `SELECT count(*) AS n FROM leads WHERE workspace_id = $1 AND (name LIKE '%' || chr(65533) || '%' OR length(name) > 120)`,
      [workspaceId],
    );
    expect(Number(leads[0]!.n)).toBe(0);
  }, 120_000);
});
