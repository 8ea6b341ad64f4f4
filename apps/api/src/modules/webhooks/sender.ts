// One HTTP attempt of a webhook delivery: POST with the signed headers, a hard timeout, the
// response status and the first 2 KB of its body; never throws (the outcome is data).
import http from "node:http";
import https from "node:https";
import net from "node:net";

import { ForbiddenTargetError, guardedLookup, isForbiddenAddress } from "./ssrf.ts";

export interface AttemptResult {
  status: number | null;
  body: string | null;
  error: string | null;
  latencyMs: number;
  /** A refused target (SSRF guard): retrying cannot help. */
  forbidden: boolean;
}

const MAX_RESPONSE_BYTES = 2048;

export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  opts: { timeoutMs: number; allowPrivate: boolean },
): Promise<AttemptResult> {
  const started = performance.now();
  const done = (r: Omit<AttemptResult, "latencyMs">): AttemptResult => ({
    ...r,
    latencyMs: Math.round(performance.now() - started),
  });
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(done({ status: null, body: null, error: "The URL is not valid.", forbidden: true }));
  }
  const host = target.hostname.replace(/^\[|\]$/g, "");
  if (!opts.allowPrivate && net.isIP(host) && isForbiddenAddress(host)) {
    return Promise.resolve(
      done({ status: null, body: null, error: new ForbiddenTargetError(host, host).message, forbidden: true }),
    );
  }
  const lib = target.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Omit<AttemptResult, "latencyMs">) => {
      if (settled) return;
      settled = true;
      resolve(done(r));
    };
    const req = lib.request(
      target,
      {
        method: "POST",
        headers: { ...headers, "content-length": Buffer.byteLength(body) },
        ...(opts.allowPrivate ? {} : { lookup: guardedLookup }),
        agent: false,
        timeout: opts.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(c);
          size += c.length;
        });
        res.on("end", () =>
          finish({
            status: res.statusCode ?? null,
            body: Buffer.concat(chunks).toString("utf8").slice(0, MAX_RESPONSE_BYTES),
            error: null,
            forbidden: false,
          }),
        );
        res.on("error", (err) =>
          finish({ status: res.statusCode ?? null, body: null, error: err.message, forbidden: false }),
        );
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`No answer within ${opts.timeoutMs} ms.`));
    }, opts.timeoutMs);
    req.on("timeout", () => req.destroy(new Error(`No answer within ${opts.timeoutMs} ms.`)));
    req.on("error", (err) =>
      finish({ status: null, body: null, error: err.message, forbidden: err instanceof ForbiddenTargetError }),
    );
    req.on("close", () => clearTimeout(timer));
    req.end(body);
  });
}
