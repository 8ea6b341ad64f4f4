// The provider fetch's SSRF guard (issue 49): in production an issuer may only be a public
// address, judged as the outbound webhooks' guard judges it, on the address the socket connects to.
import { describe, expect, it } from "@atrium/test-kit";

import { createDiscoveryCache, exchangeFailure, providerFetch, type ProviderClient } from "./oidc.ts";

const guarded = providerFetch({ allowPrivate: false, timeoutMs: 2_000 });
const get = (url: string) =>
  guarded(url, { method: "GET", headers: {}, body: undefined, redirect: "manual", signal: undefined } as never);

describe("providerFetch (production)", () => {
  it("refuses loopback, private and metadata addresses given as literals", async () => {
    for (const url of [
      "https://127.0.0.1/.well-known/openid-configuration",
      "https://10.0.0.8/",
      "http://169.254.169.254/latest/meta-data/",
      "https://[::1]/",
    ]) {
      await expect(get(url)).rejects.toThrow(/resolves to .* a private, loopback or link-local address/);
    }
  });

  it("refuses a host name that resolves to loopback, at connect time", async () => {
    await expect(get("https://localhost:9/.well-known/openid-configuration")).rejects.toThrow(/localhost resolves to/);
  });
});

describe("exchangeFailure", () => {
  it("names a refused code, a nonce mismatch and an unreachable provider", () => {
    expect(exchangeFailure(Object.assign(new Error("invalid_grant"), { error: "invalid_grant" }))).toBe(
      "CODE_REPLAYED",
    );
    expect(
      exchangeFailure(
        Object.assign(new Error("unexpected JWT claim value encountered"), {
          code: "OAUTH_JWT_CLAIM_COMPARISON_FAILED",
          cause: Object.assign(new Error("x"), { cause: { claim: "nonce" } }),
        }),
      ),
    ).toBe("NONCE_MISMATCH");
    expect(
      exchangeFailure(
        Object.assign(new Error("unexpected JWT claim value encountered"), {
          code: "OAUTH_JWT_CLAIM_COMPARISON_FAILED",
          cause: { claim: "aud" },
        }),
      ),
    ).toBe("ID_TOKEN_INVALID");
    expect(
      exchangeFailure(
        new Error("something went wrong", {
          cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }),
        }),
      ),
    ).toBe("PROVIDER_UNREACHABLE");
  });
});

describe("the discovery cache", () => {
  const client = (issuer: string) => ({ issuer, config: {} }) as unknown as ProviderClient;

  it("keeps a configuration per (issuer, client id) for its TTL, for the secret it was built with, until dropped", () => {
    let now = 1_000;
    const cache = createDiscoveryCache({ ttlMs: 600_000, now: () => now });
    const a = client("https://a.example");
    cache.set("https://a.example", "c1", "secret", a);
    expect(cache.get("https://a.example", "c1", "secret")).toBe(a);
    expect(cache.get("https://a.example", "c2", "secret")).toBeUndefined();
    expect(cache.get("https://b.example", "c1", "secret")).toBeUndefined();
    // Another secret (rotated at the provider, saved in Atrium) misses, and the stale entry goes.
    expect(cache.get("https://a.example", "c1", "new secret")).toBeUndefined();
    expect(cache.get("https://a.example", "c1", "secret")).toBeUndefined();

    cache.set("https://a.example", "c1", "secret", a);
    now += 599_999;
    expect(cache.get("https://a.example", "c1", "secret")).toBe(a);
    now += 1;
    expect(cache.get("https://a.example", "c1", "secret")).toBeUndefined();

    cache.set("https://a.example", "c1", "secret", a);
    cache.drop("https://a.example", "c1");
    expect(cache.get("https://a.example", "c1", "secret")).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
