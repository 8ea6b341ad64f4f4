// The built web app as the API serves it (issue 15): precompressed brotli/gzip copies sent to
// clients that accept them, hashed assets cached for good, index.html revalidated, no source
// maps in production. A dist folder shaped like the web build's (vite.config.ts precompress()).
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";

import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { startTestApi, type TestApi } from "../../test/harness.ts";

const JS = `export const answer = ${JSON.stringify("x".repeat(4000))};\n`;
const INDEX = `<!doctype html><html><head><script type="module" src="/assets/index-AbCdEf12.js"></script></head><body><div id="root"></div></body></html>`;

describe("static web assets", () => {
  let dist: string;
  let api: TestApi;

  beforeAll(async () => {
    dist = await mkdtemp(path.join(os.tmpdir(), "atrium-dist-"));
    await mkdir(path.join(dist, "assets"));
    await writeFile(path.join(dist, "index.html"), INDEX);
    const js = path.join(dist, "assets/index-AbCdEf12.js");
    await writeFile(js, JS);
    await writeFile(`${js}.br`, brotliCompressSync(JS));
    await writeFile(`${js}.gz`, gzipSync(JS));
    await writeFile(`${js}.map`, JSON.stringify({ version: 3, sources: ["src/secret.ts"], mappings: "" }));
    api = await startTestApi({ webDistDir: dist, nodeEnv: "production" });
  });
  afterAll(async () => {
    await api.close();
    await rm(dist, { recursive: true, force: true });
  });

  const get = (url: string, headers: Record<string, string> = {}) => api.app.inject({ method: "GET", url, headers });

  it("sends the brotli copy to clients that accept it, cached as immutable", async () => {
    const r = await get("/assets/index-AbCdEf12.js", { "accept-encoding": "gzip, deflate, br" });
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-encoding"]).toBe("br");
    expect(r.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(String(r.headers["content-type"])).toMatch(/javascript/);
    expect(r.rawPayload.length).toBeLessThan(JS.length / 10);
    expect(brotliDecompressSync(r.rawPayload).toString()).toBe(JS);
  });

  it("sends the gzip copy to gzip-only clients and the file itself to the rest", async () => {
    const gz = await get("/assets/index-AbCdEf12.js", { "accept-encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.rawPayload).toString()).toBe(JS);
    expect(gz.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const plain = await get("/assets/index-AbCdEf12.js", { "accept-encoding": "identity" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body).toBe(JS);
  });

  it("revalidates index.html, directly and as the SPA fallback", async () => {
    const index = await get("/", { accept: "text/html" });
    expect(index.statusCode).toBe(200);
    expect(index.headers["cache-control"]).toBe("no-cache");
    const fallback = await get("/w/some-workspace/leads", { accept: "text/html" });
    expect(fallback.statusCode).toBe(200);
    expect(fallback.headers["cache-control"]).toBe("no-cache");
    expect(fallback.body).toContain('<div id="root">');
  });

  it("serves no source map in production", async () => {
    const r = await get("/assets/index-AbCdEf12.js.map", { "accept-encoding": "br" });
    expect(r.statusCode).toBe(404);
    expect(r.body).not.toContain("secret.ts");
  });
});
