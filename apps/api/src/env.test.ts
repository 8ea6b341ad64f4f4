// Start-up configuration (env.ts): production refuses the development secrets this repository
// publishes (attack pass, finding 7); development and tests still default to them.
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "@atrium/test-kit";
import { loadConfig } from "./env.ts";

// The values anyone can read in this repository (env.ts's development defaults).
const DEV_AUTH_SECRET = "atrium-development-secret-do-not-use-in-production";
const DEV_INTEGRATIONS_KEY = createHash("sha256").update("atrium-development-integrations-key-not-for-production").digest();

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
    const forms = [DEV_INTEGRATIONS_KEY.toString("base64"), DEV_INTEGRATIONS_KEY.toString("base64url"), DEV_INTEGRATIONS_KEY.toString("hex")];
    for (const key of forms) {
      expect(production({ AUTH_SECRET: goodSecret, INTEGRATIONS_ENCRYPTION_KEY: key })).toThrow(/^INTEGRATIONS_ENCRYPTION_KEY .*development/);
      expect(production({ AUTH_SECRET: goodSecret, INTEGRATIONS_ENCRYPTION_KEY: `${randomBytes(32).toString("hex")},${key}` })).toThrow(/^INTEGRATIONS_ENCRYPTION_KEY .*development/);
    }
  });

  it("production accepts its own secret and key", () => {
    const key = randomBytes(32);
    const config = loadConfig({ NODE_ENV: "production", AUTH_SECRET: goodSecret, INTEGRATIONS_ENCRYPTION_KEY: key.toString("base64") });
    expect(config.authSecrets).toEqual([goodSecret]);
    expect(config.integrationKeys.map((k) => Buffer.from(k.key))).toEqual([key]);
    // The development key outside production stays usable (a restored development database).
    expect(loadConfig({ NODE_ENV: "development", INTEGRATIONS_ENCRYPTION_KEY: DEV_INTEGRATIONS_KEY.toString("hex") }).integrationKeys).toHaveLength(1);
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
    expect(loadConfig({ DNS_SERVERS: "127.0.0.1:5353, [::1]:5353,8.8.8.8,::1" }).sso.dnsServers).toEqual(["127.0.0.1:5353", "[::1]:5353", "8.8.8.8", "::1"]);
  });

  it("refuses a host name, a bad port or garbage, naming the variable", () => {
    for (const DNS_SERVERS of ["dns.example.com", "127.0.0.1:99999", "127.0.0.1:", "1.2.3", "[::1]:x"]) {
      expect(() => loadConfig({ DNS_SERVERS })).toThrow(/^DNS_SERVERS must list IP addresses/);
    }
  });

  it("lets SSO issuers on private addresses outside production only", () => {
    expect(loadConfig({ NODE_ENV: "test" }).sso.allowPrivateIssuers).toBe(true);
    expect(loadConfig({ NODE_ENV: "production", AUTH_SECRET: randomBytes(32).toString("base64") }).sso.allowPrivateIssuers).toBe(false);
  });
});

describe("loadConfig: OpenTelemetry tracing (decision 0035)", () => {
  it("is off without OTEL_EXPORTER_OTLP_ENDPOINT, and samples every new trace by default once it is set", () => {
    expect(loadConfig({ NODE_ENV: "test" }).tracing).toEqual({ endpoint: undefined, samplerRatio: 1, serviceName: "atrium-api" });
    expect(loadConfig({ NODE_ENV: "test", OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/", OTEL_TRACES_SAMPLER_ARG: "0.01", OTEL_SERVICE_NAME: "api-eu" }).tracing).toEqual({ endpoint: "http://collector:4318", samplerRatio: 0.01, serviceName: "api-eu" });
  });

  it("refuses a ratio outside 0–1, another sampler, and an endpoint that is no http(s) URL", () => {
    for (const env of [{ OTEL_TRACES_SAMPLER_ARG: "1.5" }, { OTEL_TRACES_SAMPLER_ARG: "one" }, { OTEL_TRACES_SAMPLER: "always_on" }, { OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" }]) {
      expect(() => loadConfig({ NODE_ENV: "test", ...env }), JSON.stringify(env)).toThrow(/OTEL_/);
    }
  });
});
