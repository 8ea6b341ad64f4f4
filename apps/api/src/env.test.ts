// Start-up configuration (env.ts): production refuses the development secrets this repository
// publishes (attack pass, finding 7); development and tests still default to them.
import { createHash, randomBytes, sign, verify, type KeyObject } from "node:crypto";

import { describe, expect, it } from "@atrium/test-kit";

import { jobsProcessUrls, loadConfig } from "./env.ts";
import { parsePublicKeys } from "./platform/audit/chain.ts";
import { generateAuditSigningKey, publicJwks } from "./platform/audit/signing.ts";

// The values anyone can read in this repository (env.ts's development defaults).
const DEV_AUTH_SECRET = "atrium-development-secret-do-not-use-in-production";
const DEV_INTEGRATIONS_KEY = createHash("sha256")
  .update("atrium-development-integrations-key-not-for-production")
  .digest();

const production = (env: Record<string, string>) => () => loadConfig({ NODE_ENV: "production", ...env });
const goodSecret = randomBytes(32).toString("base64");

describe("loadConfig: published development secrets", () => {
  it("development and test run on the development secret and key when none is set", () => {
    for (const NODE_ENV of ["development", "test"]) {
      const config = loadConfig({ NODE_ENV });
      expect(config.authSecrets).toEqual([DEV_AUTH_SECRET]);
      expect(config.integrationKeys.map((k) => Buffer.from(k.key))).toEqual([DEV_INTEGRATIONS_KEY]);
    }
  });

  it("production refuses the development AUTH_SECRET, alone or anywhere in a rotation list (one line, naming the variable)", () => {
    for (const AUTH_SECRET of [DEV_AUTH_SECRET, `${goodSecret},${DEV_AUTH_SECRET}`, ` ${DEV_AUTH_SECRET} `]) {
      expect(production({ AUTH_SECRET })).toThrow(/^AUTH_SECRET .*development/);
    }
    try {
      production({ AUTH_SECRET: DEV_AUTH_SECRET })();
    } catch (err) {
      expect((err as Error).message).not.toContain("\n");
      // Never echoes the value it refuses.
      expect((err as Error).message).not.toContain(DEV_AUTH_SECRET);
    }
  });

  it("production refuses the development integrations key, as base64, base64url or hex, alone or in a rotation list", () => {
    const forms = [
      DEV_INTEGRATIONS_KEY.toString("base64"),
      DEV_INTEGRATIONS_KEY.toString("base64url"),
      DEV_INTEGRATIONS_KEY.toString("hex"),
    ];
    for (const key of forms) {
      expect(production({ AUTH_SECRET: goodSecret, INTEGRATIONS_ENCRYPTION_KEY: key })).toThrow(
        /^INTEGRATIONS_ENCRYPTION_KEY .*development/,
      );
      expect(
        production({
          AUTH_SECRET: goodSecret,
          INTEGRATIONS_ENCRYPTION_KEY: `${randomBytes(32).toString("hex")},${key}`,
        }),
      ).toThrow(/^INTEGRATIONS_ENCRYPTION_KEY .*development/);
    }
  });

  it("production accepts its own secret and key", () => {
    const key = randomBytes(32);
    const config = loadConfig({
      NODE_ENV: "production",
      AUTH_SECRET: goodSecret,
      INTEGRATIONS_ENCRYPTION_KEY: key.toString("base64"),
    });
    expect(config.authSecrets).toEqual([goodSecret]);
    expect(config.integrationKeys.map((k) => Buffer.from(k.key))).toEqual([key]);
    // The development key outside production stays usable (a restored development database).
    expect(
      loadConfig({ NODE_ENV: "development", INTEGRATIONS_ENCRYPTION_KEY: DEV_INTEGRATIONS_KEY.toString("hex") })
        .integrationKeys,
    ).toHaveLength(1);
  });
});

describe("loadConfig: METRICS_TOKEN", () => {
  it("is off when unset or empty, and kept as given otherwise", () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: "" }).metricsToken).toBeUndefined();
    const token = randomBytes(32).toString("base64url");
    expect(loadConfig({ METRICS_TOKEN: token }).metricsToken).toBe(token);
  });

  it("refuses a short token or one with spaces, naming the variable and never echoing the value", () => {
    for (const METRICS_TOKEN of ["short-token", "a token with spaces 0123456789", `${"x".repeat(20)}\u00e9`]) {
      expect(() => loadConfig({ METRICS_TOKEN })).toThrow(/^METRICS_TOKEN must be/);
      try {
        loadConfig({ METRICS_TOKEN });
      } catch (err) {
        expect((err as Error).message).not.toContain(METRICS_TOKEN);
      }
    }
  });
});

describe("loadConfig: DNS_SERVERS (SSO domain verification, decision 0039)", () => {
  it("is the system's resolver when unset, and the listed servers (with ports) otherwise", () => {
    expect(loadConfig({}).sso.dnsServers).toBeUndefined();
    expect(loadConfig({ DNS_SERVERS: "127.0.0.1:5353, [::1]:5353,8.8.8.8,::1" }).sso.dnsServers).toEqual([
      "127.0.0.1:5353",
      "[::1]:5353",
      "8.8.8.8",
      "::1",
    ]);
  });

  it("refuses a host name, a bad port or garbage, naming the variable", () => {
    for (const DNS_SERVERS of ["dns.example.com", "127.0.0.1:99999", "127.0.0.1:", "1.2.3", "[::1]:x"]) {
      expect(() => loadConfig({ DNS_SERVERS })).toThrow(/^DNS_SERVERS must list IP addresses/);
    }
  });

  it("lets SSO issuers on private addresses outside production only", () => {
    expect(loadConfig({ NODE_ENV: "test" }).sso.allowPrivateIssuers).toBe(true);
    expect(
      loadConfig({ NODE_ENV: "production", AUTH_SECRET: randomBytes(32).toString("base64") }).sso.allowPrivateIssuers,
    ).toBe(false);
  });
});

describe("loadConfig: OpenTelemetry tracing (decision 0035)", () => {
  it("is off without OTEL_EXPORTER_OTLP_ENDPOINT, and samples every new trace by default once it is set", () => {
    expect(loadConfig({ NODE_ENV: "test" }).tracing).toEqual({
      endpoint: undefined,
      samplerRatio: 1,
      serviceName: "atrium-api",
    });
    expect(
      loadConfig({
        NODE_ENV: "test",
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/",
        OTEL_TRACES_SAMPLER_ARG: "0.01",
        OTEL_SERVICE_NAME: "api-eu",
      }).tracing,
    ).toEqual({ endpoint: "http://collector:4318", samplerRatio: 0.01, serviceName: "api-eu" });
  });

  it("refuses a ratio outside 0–1, another sampler, and an endpoint that is no http(s) URL", () => {
    for (const env of [
      { OTEL_TRACES_SAMPLER_ARG: "1.5" },
      { OTEL_TRACES_SAMPLER_ARG: "one" },
      { OTEL_TRACES_SAMPLER: "always_on" },
      { OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" },
    ]) {
      expect(() => loadConfig({ NODE_ENV: "test", ...env }), JSON.stringify(env)).toThrow(/OTEL_/);
    }
  });
});

describe("loadConfig: AUDIT_SIGNING_KEYS (audit checkpoints, decision 0053)", () => {
  // Derived from the published development secret: anyone can rebuild it.
  const DEV_SEED = createHash("sha256").update(`atrium-audit-signing-key:${DEV_AUTH_SECRET}`).digest();
  const seedToX = (seed: Buffer) =>
    loadConfig({ NODE_ENV: "test", AUDIT_SIGNING_KEYS: `k:${seed.toString("hex")}` }).auditChain.keys[0]!.x;

  it("development and test sign with the development key, derived from the development secret", () => {
    for (const NODE_ENV of ["development", "test"]) {
      const c = loadConfig({ NODE_ENV });
      expect(c.auditChain.keysFromEnv).toBe(false);
      expect(c.auditChain.keys.map((k) => k.kid)).toEqual(["dev"]);
      expect(c.auditChain.keys[0]!.x).toBe(seedToX(DEV_SEED));
      expect(c.auditChain.checkpointIntervalSeconds).toBe(3600);
    }
  });

  it("production without the variable has no key (checkpoints off, warned at start-up), and refuses the development key in any form or position", () => {
    expect(loadConfig({ NODE_ENV: "production", AUTH_SECRET: goodSecret }).auditChain.keys).toEqual([]);
    for (const seed of [DEV_SEED.toString("base64url"), DEV_SEED.toString("hex")]) {
      expect(production({ AUTH_SECRET: goodSecret, AUDIT_SIGNING_KEYS: `prod:${seed}` })).toThrow(
        /^AUDIT_SIGNING_KEYS entry 1 is the published development key/,
      );
      expect(
        production({
          AUTH_SECRET: goodSecret,
          AUDIT_SIGNING_KEYS: `${generateAuditSigningKey("new").entry},old:${seed}`,
        }),
      ).toThrow(/^AUDIT_SIGNING_KEYS entry 2 is the published development key/);
    }
  });

  it("parses a rotation list: the first signs, every public key is published, each verifies what its private key signed", () => {
    const a = generateAuditSigningKey("2026-11");
    const b = generateAuditSigningKey("2026-05");
    const c = loadConfig({
      NODE_ENV: "production",
      AUTH_SECRET: goodSecret,
      AUDIT_SIGNING_KEYS: ` ${a.entry} , ${b.entry} `,
    });
    expect(c.auditChain.keysFromEnv).toBe(true);
    expect(c.auditChain.keys.map((k) => [k.kid, k.x])).toEqual([
      ["2026-11", a.key.x],
      ["2026-05", b.key.x],
    ]);
    const jwks = parsePublicKeys(JSON.stringify(publicJwks(c.auditChain.keys))) as Map<string, KeyObject>;
    for (const k of c.auditChain.keys) {
      const sig = sign(null, Buffer.from("payload"), k.privateKey);
      expect(verify(null, Buffer.from("payload"), jwks.get(k.kid)!, sig)).toBe(true);
      expect(verify(null, Buffer.from("payload"), jwks.get(k.kid === "2026-11" ? "2026-05" : "2026-11")!, sig)).toBe(
        false,
      );
    }
  });

  it("refuses a malformed entry, naming the variable and the entry and how to generate one, never echoing the seed", () => {
    const seed = randomBytes(32).toString("base64url");
    const cases: [string, RegExp][] = [
      [seed, /^AUDIT_SIGNING_KEYS entry 1 must be <kid>:<seed>/],
      [`bad kid:${seed}`, /^AUDIT_SIGNING_KEYS entry 1 must be <kid>:<seed>/],
      [`k:${seed.slice(1)}`, /^AUDIT_SIGNING_KEYS entry 1 \("k"\) must end in a 32-byte Ed25519 seed/],
      [`k:${randomBytes(16).toString("hex")}`, /^AUDIT_SIGNING_KEYS entry 1 \("k"\) must end in a 32-byte/],
      [`a:${seed},b:nope`, /^AUDIT_SIGNING_KEYS entry 2 \("b"\)/],
      [`a:${seed},a:${randomBytes(32).toString("hex")}`, /^AUDIT_SIGNING_KEYS names the key id "a" twice/],
      [`a:${seed},b:${seed}`, /^AUDIT_SIGNING_KEYS lists the same key twice/],
    ];
    for (const [value, message] of cases) {
      let error: Error | undefined;
      try {
        loadConfig({ NODE_ENV: "test", AUDIT_SIGNING_KEYS: value });
      } catch (err) {
        error = err as Error;
      }
      expect(error?.message, value).toMatch(message);
      expect(error!.message).not.toContain(seed);
      if (!/twice/.test(error!.message)) expect(error!.message).toContain("pnpm atrium audit keygen");
    }
  });

  it("AUDIT_CHECKPOINT_INTERVAL_SECONDS: a minute to a day", () => {
    expect(
      loadConfig({ NODE_ENV: "test", AUDIT_CHECKPOINT_INTERVAL_SECONDS: "600" }).auditChain.checkpointIntervalSeconds,
    ).toBe(600);
    expect(() => loadConfig({ NODE_ENV: "test", AUDIT_CHECKPOINT_INTERVAL_SECONDS: "59" })).toThrow(
      /^AUDIT_CHECKPOINT_INTERVAL_SECONDS must be an integer between 60 and 86400/,
    );
  });
});

describe("loadConfig: JOBS_PROCESS", () => {
  it("runs the workers in their own process in production and in the API's elsewhere, unless told", () => {
    const prod = { NODE_ENV: "production", AUTH_SECRET: goodSecret };
    expect(loadConfig(prod).jobsProcess).toBe("separate");
    expect(loadConfig({ ...prod, JOBS_PROCESS: "inline" }).jobsProcess).toBe("inline");
    expect(loadConfig({ NODE_ENV: "development" }).jobsProcess).toBe("inline");
    expect(loadConfig({ NODE_ENV: "test", JOBS_PROCESS: "separate" }).jobsProcess).toBe("separate");
    expect(loadConfig({}).jobsProcessNice).toBe(10);
    expect(loadConfig({ JOBS_PROCESS_NICE: "0" }).jobsProcessNice).toBe(0);
    expect(loadConfig({}).jobsProcessSched).toBe("idle");
    expect(loadConfig({ JOBS_PROCESS_SCHED: "normal" }).jobsProcessSched).toBe("normal");
  });

  it("refuses another mode, a niceness outside 0–19 or another policy, naming the variable", () => {
    expect(() => loadConfig({ JOBS_PROCESS: "thread" })).toThrow(
      'JOBS_PROCESS must be inline or separate, got "thread"',
    );
    expect(() => loadConfig({ JOBS_PROCESS_NICE: "20" })).toThrow(
      "JOBS_PROCESS_NICE must be an integer between 0 and 19",
    );
    expect(() => loadConfig({ JOBS_PROCESS_NICE: "-5" })).toThrow("JOBS_PROCESS_NICE");
    expect(() => loadConfig({ JOBS_PROCESS_SCHED: "fifo" })).toThrow(
      'JOBS_PROCESS_SCHED must be idle or normal, got "fifo"',
    );
  });

  it("knows the jobs process by what the API set for it, and refuses the role set by hand without the database", () => {
    expect(jobsProcessUrls({})).toBeNull();
    expect(
      jobsProcessUrls({
        ATRIUM_PROCESS: "jobs",
        ATRIUM_JOBS_APP_URL: "postgres://a",
        ATRIUM_JOBS_OWNER_URL: "postgres://o",
      }),
    ).toEqual({ appUrl: "postgres://a", ownerUrl: "postgres://o" });
    expect(() => jobsProcessUrls({ ATRIUM_PROCESS: "jobs" })).toThrow("set by the API");
  });
});
