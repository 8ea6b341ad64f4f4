// HTTP hygiene (issue 16): compression, HSTS only over HTTPS, and the server's timeouts.
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";
import { type TestApi, startTestApi } from "../../test/harness.ts";

const BIG = JSON.stringify({ query: "{ __schema { types { name description fields { name description } } } }" });

describe("HTTP hygiene", () => {
  let api: TestApi;
  let proxied: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    proxied = await startTestApi({ trustProxy: true });
  });
  afterAll(async () => {
    await api?.close();
    await proxied?.close();
  });

  it("compresses large responses as the client accepts (brotli, gzip), small ones not", async () => {
    const plain = await api.app.inject({ method: "POST", url: "/graphql", headers: { "content-type": "application/json" }, payload: BIG });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    const text = plain.payload;
    expect(text.length).toBeGreaterThan(1024);
    for (const [encoding, decode] of [["br", brotliDecompressSync], ["gzip", gunzipSync]] as const) {
      const res = await api.app.inject({ method: "POST", url: "/graphql", headers: { "content-type": "application/json", "accept-encoding": encoding }, payload: BIG });
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-encoding"], encoding).toBe(encoding);
      expect(res.rawPayload.length, `${encoding} is smaller`).toBeLessThan(text.length);
      expect(JSON.parse(decode(res.rawPayload).toString("utf8")), `${encoding} decodes to the same answer`).toEqual(JSON.parse(text));
    }
    const small = await api.app.inject({ method: "GET", url: "/healthz", headers: { "accept-encoding": "gzip" } });
    expect(small.headers["content-encoding"]).toBeUndefined();
  });

  it("sends HSTS only over HTTPS (here: behind a trusted proxy that says so)", async () => {
    const overHttp = await api.app.inject({ method: "GET", url: "/healthz" });
    expect(overHttp.headers["strict-transport-security"]).toBeUndefined();
    const spoofed = await api.app.inject({ method: "GET", url: "/healthz", headers: { "x-forwarded-proto": "https" } });
    expect(spoofed.headers["strict-transport-security"], "an untrusted x-forwarded-proto changes nothing").toBeUndefined();
    const overHttps = await proxied.app.inject({ method: "GET", url: "/healthz", headers: { "x-forwarded-proto": "https" } });
    expect(overHttps.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
  });

  it("bounds how long a request may take to arrive and how long idle sockets stay open", () => {
    // The Node HTTP server itself carries them (Fastify hands them over at creation).
    expect(api.app.server.requestTimeout).toBe(30_000);
    expect(api.app.server.keepAliveTimeout).toBe(72_000);
    expect(api.app.initialConfig.bodyLimit).toBe(1_048_576);
  });
});
