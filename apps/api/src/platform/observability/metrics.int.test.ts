// GET /metrics (issue 54, decision 0036): a real API with METRICS_TOKEN, some traffic of each kind,
// then one scrape parsed with a Prometheus text-format parser; the token refusals; and no route at
// all without METRICS_TOKEN.
import { readFileSync } from "node:fs";
import parsePrometheusTextFormat, { type PrometheusFamily as Family } from "parse-prometheus-text-format";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { startTestApi, type TestApi } from "../../test/harness.ts";
import { sha256Hex } from "../crypto/digest.ts";
import { QUEUES } from "../jobs/job-queue.ts";

const TOKEN = "metrics-test-token-3f9c1a7e5b";

type Labels = Record<string, string>;

/**
 * The families of a scrape by name. The parser folds the series of a histogram with labels into
 * one sample without them (yunyu/parse-prometheus-text-format#13), so each histogram is also read
 * as its plain series: `<name>_bucket`, `<name>_sum` and `<name>_count`, each with its labels.
 */
function parse(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const add = (f: Family) => {
    const seen = families.get(f.name);
    if (seen) seen.metrics.push(...f.metrics);
    else families.set(f.name, f);
  };
  parsePrometheusTextFormat(text).forEach(add);
  const histograms = [...families.values()].filter((f) => f.type === "HISTOGRAM").map((f) => `${f.name}_`);
  for (const f of parsePrometheusTextFormat(text.replace(/^# TYPE (\S+) histogram$/gm, "# TYPE $1 untyped"))) {
    if (histograms.some((h) => f.name.startsWith(h))) add(f);
  }
  return families;
}

async function scrape(api: TestApi): Promise<Map<string, Family>> {
  const res = await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(await res.text());
}

/** The samples of `name` whose labels include `labels`. */
function samples(families: Map<string, Family>, name: string, labels: Labels = {}) {
  const family = families.get(name);
  expect(family, `metric ${name} is exposed`).toBeDefined();
  return family!.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
}

/** The one value of the sample of `name` with `labels`. */
function value(families: Map<string, Family>, name: string, labels: Labels = {}): number {
  const [sample, ...more] = samples(families, name, labels);
  expect(sample, `${name}${JSON.stringify(labels)} is exposed`).toBeDefined();
  expect(more).toHaveLength(0);
  return Number(sample!.value);
}

/** A histogram's request count for `labels`, summed over its series (0 when it has none). */
function histogramCount(families: Map<string, Family>, name: string, labels: Labels): number {
  expect(families.get(name)?.type, `${name} is a histogram`).toBe("HISTOGRAM");
  return samples(families, `${name}_count`, labels).reduce((n, m) => n + Number(m.value), 0);
}

describe("GET /metrics", () => {
  let api: TestApi;
  let off: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ metricsToken: TOKEN });
    off = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
    await off?.close();
  });

  it("refuses a request without the token, with a wrong one or another scheme: 401 UNAUTHENTICATED, typed JSON", async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, "TOKEN_REQUIRED"],
      [{ authorization: `Basic ${TOKEN}` }, "TOKEN_REQUIRED"],
      [{ authorization: "Bearer wrong-token-3f9c1a7e5b" }, "TOKEN_INVALID"],
      [{ authorization: `Bearer ${TOKEN}x` }, "TOKEN_INVALID"],
      [{ authorization: `Bearer ${TOKEN.slice(0, -1)}` }, "TOKEN_INVALID"],
    ];
    for (const [headers, reason] of cases) {
      const res = await fetch(`${api.url}/metrics`, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toEqual({
        error: "UNAUTHENTICATED",
        reason,
        message: expect.any(String),
        requestId: res.headers.get("x-request-id"),
      });
    }
  });

  it("does not exist without METRICS_TOKEN: 404 NOT_FOUND, as any unknown path", async () => {
    const metrics = await fetch(`${off.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const unknown = await fetch(`${off.url}/no-such-route`);
    expect(metrics.status).toBe(404);
    expect(unknown.status).toBe(404);
    const [a, b] = (await Promise.all([metrics.json(), unknown.json()])) as Record<string, unknown>[];
    expect(a).toEqual({ ...b, requestId: a!.requestId });
    expect(a!.error).toBe("NOT_FOUND");
  });

  it("exposes requests per GraphQL operation and REST route, errors by code, sends, pools, the breaker, job queues, subscriptions and process metrics", async () => {
    // GraphQL: a user (unnamed mutations, the verification mail sent by its job), a named query
    // three times, an unnamed one, a manifest operation by its hash, a name past the bound, an
    // invalid document and a refused one.
    const user = await api.user();
    for (let i = 0; i < 3; i++)
      expect((await api.gql(`query MetricsProbe { me { id } }`, undefined, { token: user.token })).status).toBe(200);
    await api.gql(`{ me { id } }`, undefined, { token: user.token });
    const manifest = JSON.parse(readFileSync(api.config.trustedDocumentsPath, "utf8")) as Record<string, string>;
    const meDoc = Object.values(manifest).find((d) => /\bquery Me\b/.test(d));
    expect(meDoc).toBeDefined();
    const persisted = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ documentId: `sha256:${sha256Hex(meDoc!)}` }),
    });
    expect(persisted.status).toBe(200);
    const longName = `Q${"x".repeat(80)}`;
    await api.gql(`query ${longName} { me { id } }`, undefined, { token: user.token });
    const invalid = await api.gql(`query MetricsInvalid { noSuchField }`);
    expect(invalid.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const refused = await api.gql(
      `query MetricsRefused { members(workspaceId: "00000000-0000-4000-8000-000000000000") { role } }`,
    );
    const refusedCode = refused.errors?.[0]?.extensions?.code;
    expect(refusedCode).toEqual(expect.any(String));

    // REST: a route twice, a route with a parameter (the template is the label), an unknown path.
    for (let i = 0; i < 2; i++) expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${api.url}/forms/no-such-slug-4711`)).status).toBe(404);
    expect((await fetch(`${api.url}/no-such-route`)).status).toBe(404);

    // Jobs: one due in a queue no worker of this test runs, one not due for an hour.
    await api.services.jobs.send(QUEUES.notificationDigest, {});
    await api.services.jobs.send(QUEUES.retention, {}, { startAfter: 3600 });
    await new Promise((resolve) => setTimeout(resolve, 20));

    const m = await scrape(api);

    // GraphQL requests per operation: the histogram's count is the request count.
    const graphql = "atrium_graphql_operation_duration_seconds";
    expect(histogramCount(m, graphql, { type: "query", operation: "MetricsProbe" })).toBeGreaterThanOrEqual(3);
    expect(histogramCount(m, graphql, { type: "query", operation: "anonymous" })).toBeGreaterThanOrEqual(1);
    expect(histogramCount(m, graphql, { type: "mutation", operation: "anonymous" })).toBeGreaterThanOrEqual(3);
    expect(histogramCount(m, graphql, { type: "query", operation: "Me" })).toBeGreaterThanOrEqual(1);
    expect(histogramCount(m, graphql, { type: "query", operation: "other" })).toBeGreaterThanOrEqual(1);
    expect(histogramCount(m, graphql, { type: "unknown", operation: "unresolved" })).toBeGreaterThanOrEqual(1);
    const probe = { type: "query", operation: "MetricsProbe" };
    const probeCount = histogramCount(m, graphql, probe);
    expect(value(m, `${graphql}_sum`, probe)).toBeGreaterThan(0);
    expect(value(m, `${graphql}_sum`, probe)).toBeLessThan(15 * probeCount);
    expect(value(m, `${graphql}_bucket`, { ...probe, le: "15" })).toBe(probeCount);
    expect(value(m, `${graphql}_bucket`, { ...probe, le: "+Inf" })).toBe(probeCount);
    const operations = samples(m, `${graphql}_count`).map((s) => s.labels?.operation);
    expect(operations).not.toContain(longName);
    expect(operations).not.toContain("MetricsInvalid");

    // REST requests by route template, never the raw URL.
    const http = "atrium_http_request_duration_seconds";
    expect(histogramCount(m, http, { method: "GET", route: "/healthz", status_code: "200" })).toBeGreaterThanOrEqual(2);
    expect(
      histogramCount(m, http, { method: "GET", route: "/forms/:slug", status_code: "404" }),
    ).toBeGreaterThanOrEqual(1);
    const routes = samples(m, `${http}_count`).map((s) => s.labels?.route ?? "");
    expect(routes.filter((r) => r.includes("no-such"))).toEqual([]);
    expect(routes).not.toContain("/graphql");

    // Errors by code, from both surfaces.
    expect(value(m, "atrium_errors_total", { surface: "graphql", code: "BAD_USER_INPUT" })).toBeGreaterThanOrEqual(1);
    expect(value(m, "atrium_errors_total", { surface: "graphql", code: refusedCode as string })).toBeGreaterThanOrEqual(
      1,
    );
    expect(value(m, "atrium_errors_total", { surface: "rest", code: "NOT_FOUND" })).toBeGreaterThanOrEqual(1);

    // Sends: the verification mail went out through the dev mailbox.
    expect(value(m, "atrium_sends_total", { provider: "dev-mailbox", status: "sent" })).toBeGreaterThanOrEqual(1);

    // Database pools (the harness gives each pool 5 connections) and the breaker.
    for (const pool of ["app", "system"]) {
      expect(value(m, "atrium_db_pool_max_connections", { pool })).toBe(5);
      const open =
        value(m, "atrium_db_pool_connections", { pool, state: "in_use" }) +
        value(m, "atrium_db_pool_connections", { pool, state: "idle" });
      expect(open, `${pool} pool has connections after the traffic`).toBeGreaterThanOrEqual(1);
      expect(open).toBeLessThanOrEqual(5);
      expect(value(m, "atrium_db_pool_waiting_clients", { pool })).toBe(0);
    }
    expect(value(m, "atrium_db_circuit_breaker_state", { state: "closed" })).toBe(1);
    expect(value(m, "atrium_db_circuit_breaker_state", { state: "open" })).toBe(0);
    expect(value(m, "atrium_db_circuit_breaker_state", { state: "half_open" })).toBe(0);
    expect(value(m, "atrium_db_circuit_breaker_opened_total")).toBe(0);

    // Job queues: the due job waits and has an age; the deferred one waits but is not due.
    expect(value(m, "atrium_job_queue_depth", { queue: QUEUES.notificationDigest, state: "waiting" })).toBe(1);
    expect(value(m, "atrium_job_queue_oldest_waiting_seconds", { queue: QUEUES.notificationDigest })).toBeGreaterThan(
      0,
    );
    expect(value(m, "atrium_job_queue_oldest_waiting_seconds", { queue: QUEUES.notificationDigest })).toBeLessThan(60);
    expect(value(m, "atrium_job_queue_depth", { queue: QUEUES.retention, state: "waiting" })).toBe(1);
    expect(value(m, "atrium_job_queue_oldest_waiting_seconds", { queue: QUEUES.retention })).toBe(0);
    expect(
      samples(m, "atrium_job_queue_depth", { state: "waiting" })
        .map((s) => s.labels?.queue)
        .sort(),
    ).toEqual(Object.values(QUEUES).sort());

    // Open subscriptions (none here) and Node's process metrics.
    expect(value(m, "atrium_live_subscriptions")).toBe(0);
    expect(value(m, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(value(m, "nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
  });

  it("counts a refused scrape under its route and UNAUTHENTICATED", async () => {
    await fetch(`${api.url}/metrics`, { headers: { authorization: "Bearer wrong-token-3f9c1a7e5b" } });
    const m = await scrape(api);
    expect(
      histogramCount(m, "atrium_http_request_duration_seconds", {
        method: "GET",
        route: "/metrics",
        status_code: "401",
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(value(m, "atrium_errors_total", { surface: "rest", code: "UNAUTHENTICATED" })).toBeGreaterThanOrEqual(1);
  });
});
