// The public API's description, for anyone (no key needed): GET /api/v1/openapi.json (the OpenAPI
// 3.1 document) and GET /api/v1/docs, a reference page rendered by Redoc's standalone bundle, served
// from our own node_modules — no CDN, works offline (decision 0046).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { FastifyInstance } from "fastify";

import { API_V1_PREFIX } from "./api-v1.routes.ts";
import { openApiDocument } from "./openapi.ts";

export const OPENAPI_PATH = `${API_V1_PREFIX}/openapi.json`;
export const DOCS_PATH = `${API_V1_PREFIX}/docs`;
const REDOC_PATH = `${DOCS_PATH}/redoc.standalone.js`;
const INIT_PATH = `${DOCS_PATH}/init.js`;

/**
 * The page's CSP: the app's (server.ts helmetHeaders: same-origin scripts, inline styles) plus
 * `worker-src 'self' blob:`, as Redoc runs its search index in a worker it builds from a blob. No
 * inline script: the page's own start-up is a same-origin file (INIT_PATH).
 */
export const docsCsp = (appCsp: string): string => `${appCsp};worker-src 'self' blob:`;

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Atrium API reference</title><link rel="icon" href="/favicon.svg"></head>
<body><noscript>This reference needs JavaScript. The OpenAPI document itself is at <a href="${OPENAPI_PATH}">${OPENAPI_PATH}</a>.</noscript><div id="redoc"></div>
<script src="${REDOC_PATH}"></script><script src="${INIT_PATH}"></script></body></html>`;

const INIT = `Redoc.init(${JSON.stringify(OPENAPI_PATH)}, { hideDownloadButton: false, expandResponses: "200,201" }, document.getElementById("redoc"));\n`;

/** `appCsp`: the Content-Security-Policy every other response carries. */
export function registerApiDocs(app: FastifyInstance, opts: { appCsp: string }): void {
  const csp = docsCsp(opts.appCsp);
  // Built once: the document depends on the code only.
  const document = JSON.stringify(openApiDocument());
  // Read on first request (1 MB): a server that never shows the page never holds it.
  let redoc: Buffer | undefined;
  const redocFile = createRequire(import.meta.url).resolve("redoc/bundles/redoc.standalone.js");

  app.get(OPENAPI_PATH, { config: { input: {} } }, (_req, reply) =>
    reply.type("application/json; charset=utf-8").header("cache-control", "no-cache").send(document),
  );
  app.get(DOCS_PATH, { config: { input: {} } }, (_req, reply) =>
    reply
      .type("text/html; charset=utf-8")
      .header("cache-control", "no-cache")
      .header("content-security-policy", csp)
      .send(PAGE),
  );
  app.get(INIT_PATH, { config: { input: {} } }, (_req, reply) =>
    reply.type("text/javascript; charset=utf-8").header("cache-control", "no-cache").send(INIT),
  );
  app.get(REDOC_PATH, { config: { input: {} } }, (_req, reply) => {
    redoc ??= readFileSync(redocFile);
    return reply.type("text/javascript; charset=utf-8").header("cache-control", "public, max-age=86400").send(redoc);
  });
}
