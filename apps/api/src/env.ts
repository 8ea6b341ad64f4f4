// The only module that reads process.env (for the API). Validated once at start-up: the
// process refuses to boot on a bad value.
import { createHash } from "node:crypto";
import net from "node:net";
import path from "node:path";

import { readDatabaseEnv, repoRoot, type DatabaseEnv } from "@atrium/db";

import { parseAuditSigningKeys, type AuditSigningKey } from "./platform/audit/signing.ts";
import { sha256Hex } from "./platform/crypto/digest.ts";
import { DEFAULT_JOB_TIMING, DEFAULT_WEBHOOK_TIMEOUT_MS } from "./platform/jobs/job-defaults.ts";

export interface AppConfig {
  nodeEnv: "development" | "test" | "production";
  port: number;
  host: string;
  /** Where the command was run (pnpm's INIT_CWD): the CLI resolves file names against it. */
  invokedFrom: string;
  /** Public origin used in links inside e-mails. */
  publicUrl: string;
  /** HMAC secrets for access tokens, newest first; `kid` is the index-independent hash of each. */
  authSecrets: string[];
  authSecretFromEnv: boolean;
  /**
   * Issue 50: the key of the erasure tombstones' HMAC (ERASURE_HASH_SECRET). It must never change
   * (a tombstone hashed under another key no longer matches), so it is not rotated with
   * AUTH_SECRET; without the variable it is the oldest AUTH_SECRET entry.
   */
  erasureHashSecret: string;
  integrationsKeyPresent: boolean;
  /**
   * Platform keys for integration credentials (JWE dir + A256GCM), newest first: new secrets are
   * sealed with the first, older ones still open. Empty in production without the variable
   * (credentials then cannot be saved); a fixed development key otherwise.
   */
  integrationKeys: IntegrationKey[];
  /** Provider base URLs (SPEC Contract part 2): the providers' public APIs, or local fakes. */
  providers: {
    twilioApiBaseUrl: string;
    vapiApiBaseUrl: string;
    calcomApiBaseUrl: string;
    openaiBaseUrl: string;
    timeoutMs: number;
  };
  /** Outbound sends (pg-boss): attempts after the first, and the first retry's delay (doubling). */
  sendRetry: { limit: number; delaySeconds: number };
  /** pg-boss timing (platform/jobs/job-queue.ts): send expiry, expiry checks, cron checks. */
  jobTiming: { sendExpireSeconds: number; superviseSeconds: number; cronCheckSeconds: number };
  /**
   * Outbound webhooks (A5). `retryScale` multiplies the whole retry schedule (1 = first retry
   * after ~5 s, last one a day after the first attempt; tests use a small fraction). An endpoint
   * is disabled after `disableAfterFailures` failed attempts in a row spanning at least
   * `disableAfterSeconds`. `allowPrivateTargets`: loopback/private targets (never in production).
   */
  webhooks: {
    timeoutMs: number;
    retryScale: number;
    disableAfterFailures: number;
    disableAfterSeconds: number;
    allowPrivateTargets: boolean;
    secretOverlapSeconds: number;
  };
  /**
   * Issue 50, audit streaming (decision 0052): at most `batchSize` events per batch; a stream that
   * is up to date looks for new events every `pollSeconds`; an event is sent once it is
   * `settleMs` old and no transaction that could still add an older one is open. Retries use the
   * webhooks' schedule (`webhooks.retryScale` included), at most `maxRetrySeconds` apart.
   */
  auditStream: { batchSize: number; pollSeconds: number; settleMs: number; maxRetrySeconds: number };
  /**
   * Issue 50, the audit hash chain's signed checkpoints (decision 0053). `keys`
   * (AUDIT_SIGNING_KEYS, `<kid>:<seed>` entries, platform/audit/signing.ts): Ed25519 keys, the
   * first signs, all are published; without the variable the development key (derived from the
   * development secret), except in production: none, and no checkpoint is signed (a warning at
   * start-up, the audit page says so). `keysFromEnv`: the variable was set. Checkpoints are
   * written every `checkpointIntervalSeconds` (AUDIT_CHECKPOINT_INTERVAL_SECONDS, on the cron
   * grid: whole minutes below an hour, whole hours above).
   */
  auditChain: { keys: AuditSigningKey[]; keysFromEnv: boolean; checkpointIntervalSeconds: number };
  /** R5: campaign messages queued per second per workspace (0 = no limit), claimed per batch. */
  /** audienceBatchSize: CAMPAIGN_AUDIENCE_BATCH_SIZE (absent: DEFAULT_AUDIENCE_BATCH_SIZE, 5,000). */
  campaigns: { ratePerSecond: number; batchSize: number; audienceBatchSize?: number; audienceRatePerSecond?: number };
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: string;
  /** A request slower than this is logged at warn, with its statement count (SLOW_OPERATION_MS; decision 0037). */
  slowOperationMs: number;
  /** Where the pino log lines go instead of stdout (tests read them); never set from the environment. */
  logStream?: { write(line: string): void } | undefined;
  webDistDir: string | undefined;
  /**
   * OpenTelemetry traces (platform/observability/tracing.ts; decision 0035), OTel's standard
   * variables: off unless `endpoint` (OTEL_EXPORTER_OTLP_ENDPOINT) is set; then spans go over
   * OTLP/HTTP to `<endpoint>/v1/traces`, a parent-based trace-id-ratio sampler keeping
   * `samplerRatio` (OTEL_TRACES_SAMPLER_ARG) of new traces.
   */
  tracing: { endpoint: string | undefined; samplerRatio: number; serviceName: string };
  trustProxy: boolean;
  /** Per-route deadline default (REQUEST_DEADLINE_MS): past it a request answers 503 DEADLINE_EXCEEDED. */
  requestDeadlineMs: number;
  rateLimits: {
    /** Failed sign-ins per (e-mail, IP) per window; successes do not count (decision 0024). */
    signInPerAccount: number;
    /** Failed sign-ins per e-mail per window from all IPs together: the ceiling on distributed guessing. */
    signInFailuresPerAccount: number;
    /** Sign-in attempts (any outcome) per IP per window. */
    signInPerIp: number;
    signUpPerIp: number;
    /** Password reset requests per IP per window, whatever the address (issue 49). */
    passwordResetPerIp: number;
    /** Password reset requests per e-mail address per window, known or not (issue 49). */
    passwordResetPerAccount: number;
    windowSeconds: number;
    apiKeyPerMinute: number;
    formPerIpPerMinute: number;
    formPerWorkspacePerMinute: number;
  };
  db: DatabaseEnv;
  /** Run the pg-boss scheduler (nightly retention sweep) in this process. */
  jobsEnabled: boolean;
  /**
   * Where this instance's job workers run (JOBS_PROCESS, decision 0055): `separate` — a child
   * process of the API's, at a lower CPU priority (`jobsProcessNice`), so that sends, campaigns and
   * sweeps do not take the request path's core; `inline` — in the API's own process. Default:
   * `separate` in production, `inline` otherwise (one process to watch and restart in development).
   */
  jobsProcess: "inline" | "separate";
  /** The jobs process's niceness, 0–19 (JOBS_PROCESS_NICE): higher yields the CPU sooner to the API and PostgreSQL. */
  jobsProcessNice: number;
  /**
   * The jobs process's CPU scheduling policy (JOBS_PROCESS_SCHED, decision 0055 addendum
   * "SCHED_IDLE"): `idle` — Linux's SCHED_IDLE for it and the database backends serving it (they run
   * when a core would otherwise idle, and a waking request preempts them at once); `normal` — the
   * niceness alone. Where the policy cannot be set (not Linux, no `chrt`), the niceness alone.
   */
  jobsProcessSched: "idle" | "normal";
  /** W6: rows deleted per short transaction by the retention sweep (RETENTION_BATCH_SIZE). */
  retentionBatchSize: number;
  /** Open WebSocket connections from one IP, per instance (issue 46; behind a proxy, set TRUST_PROXY so the client's IP counts). */
  liveConnectionsPerIp: number;
  /** S7 platform gate: workspaces may require a second factor only when this is on. */
  stepUpEnabled: boolean;
  /** Committed manifest of trusted documents (`pnpm manifest`). */
  trustedDocumentsPath: string;
  /** GET /metrics answers only a request bearing this token (METRICS_TOKEN); unset, the route does not exist (decision 0036). */
  metricsToken: string | undefined;
  graphqlLimits: { maxDepth: number; maxAliases: number; maxDirectives: number; maxTokens: number; maxCost: number };
  /**
   * Single sign-on (issue 49, decision 0039). `dnsServers` (DNS_SERVERS): the resolvers the
   * domain-verification TXT look-up asks, as `ip` or `ip:port` (`[v6]:port`); unset, the
   * system's. Nothing else resolves through them. `allowPrivateIssuers`: an issuer on a loopback
   * or private address (never in production, as outbound webhooks).
   */
  sso: { dnsServers: string[] | undefined; allowPrivateIssuers: boolean; timeoutMs: number };
}

export interface IntegrationKey {
  /** Names the key in each JWE header (`kid`): a hash prefix, never the key. */
  kid: string;
  key: Uint8Array;
}

/** Fixed development key: secrets sealed with it are only as safe as this repository. */
/** Campaign recipients added per transaction when none is configured (issue 52). */
export const DEFAULT_AUDIENCE_BATCH_SIZE = 5_000;
/** ... and added per second per workspace at most (0: no limit). */
export const DEFAULT_AUDIENCE_RATE_PER_SECOND = 3_000;

const DEV_INTEGRATIONS_KEY = "atrium-development-integrations-key-not-for-production";

const devIntegrationsKey = () => new Uint8Array(createHash("sha256").update(DEV_INTEGRATIONS_KEY).digest());

export const kidOf = (key: Uint8Array) => `k_${sha256Hex(key).slice(0, 16)}`;

/** One key: 32 bytes as base64 / base64url (43–44 characters) or hex (64 characters). */
function parseIntegrationKey(raw: string, index: number): IntegrationKey {
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(raw)) key = Buffer.from(raw, "hex");
  else if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(raw))
    key = Buffer.from(raw.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (!key || key.length !== 32) {
    throw new Error(
      `INTEGRATIONS_ENCRYPTION_KEY entry ${index + 1} must be 32 random bytes as base64 (44 characters) or hex (64 characters); generate one with: node -e "console.log(crypto.randomBytes(32).toString('base64'))"`,
    );
  }
  return { kid: kidOf(key), key: new Uint8Array(key) };
}

function integrationKeys(raw: string | undefined, nodeEnv: AppConfig["nodeEnv"]): IntegrationKey[] {
  const entries = (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) {
    if (nodeEnv === "production") return [];
    const key = devIntegrationsKey();
    return [{ kid: kidOf(key), key }];
  }
  const keys = entries.map(parseIntegrationKey);
  if (new Set(keys.map((k) => k.kid)).size !== keys.length)
    throw new Error("INTEGRATIONS_ENCRYPTION_KEY lists the same key twice");
  // The development key is published with this repository: in production it seals nothing.
  if (nodeEnv === "production") {
    const dev = kidOf(devIntegrationsKey());
    const index = keys.findIndex((k) => k.kid === dev);
    if (index >= 0)
      throw new Error(
        `INTEGRATIONS_ENCRYPTION_KEY entry ${index + 1} is the published development key, refused in production; generate one with: node -e "console.log(crypto.randomBytes(32).toString('base64'))"`,
      );
  }
  return keys;
}

function baseUrl(name: string, raw: string | undefined, fallback: string): string {
  const value = raw || fallback;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`${name} must be an absolute http(s) URL, got "${value}"`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw new Error(`${name} must be an absolute http(s) URL, got "${value}"`);
  return value.replace(/\/+$/, "");
}

const DEV_AUTH_SECRET = "atrium-development-secret-do-not-use-in-production";

function int(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  return n;
}

/** JOBS_PROCESS=separate: what the API sets for the process it forks, beside its own environment. */
const JOBS_ROLE = "ATRIUM_PROCESS";
const JOBS_APP_URL = "ATRIUM_JOBS_APP_URL";
const JOBS_OWNER_URL = "ATRIUM_JOBS_OWNER_URL";

/** The environment of the jobs process the API forks: the API's own, the role, and the database it prepared. */
export function jobsProcessEnv(urls: { appUrl: string; ownerUrl: string }): NodeJS.ProcessEnv {
  return { ...process.env, [JOBS_ROLE]: "jobs", [JOBS_APP_URL]: urls.appUrl, [JOBS_OWNER_URL]: urls.ownerUrl };
}

/**
 * In a process the API forked as its jobs process: the database URLs it was given; null in the API.
 * Throws when the role is set without them (the jobs process is started by the API only).
 */
export function jobsProcessUrls(env: NodeJS.ProcessEnv = process.env): { appUrl: string; ownerUrl: string } | null {
  if (env[JOBS_ROLE] !== "jobs") return null;
  const appUrl = env[JOBS_APP_URL];
  const ownerUrl = env[JOBS_OWNER_URL];
  if (!appUrl || !ownerUrl)
    throw new Error(
      `${JOBS_ROLE}=jobs is set by the API for the process it forks (JOBS_PROCESS=separate), not by hand`,
    );
  return { appUrl, ownerUrl };
}

function jobsProcessSched(raw: string | undefined): AppConfig["jobsProcessSched"] {
  if (raw === undefined || raw === "") return "idle";
  if (raw === "idle" || raw === "normal") return raw;
  throw new Error(`JOBS_PROCESS_SCHED must be idle or normal, got "${raw}"`);
}

function jobsProcess(raw: string | undefined, nodeEnv: AppConfig["nodeEnv"]): AppConfig["jobsProcess"] {
  if (raw === undefined || raw === "") return nodeEnv === "production" ? "separate" : "inline";
  if (raw === "inline" || raw === "separate") return raw;
  throw new Error(`JOBS_PROCESS must be inline or separate, got "${raw}"`);
}

function bool(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === "") return fallback;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

/** OpenTelemetry's standard variables for traces; only the sampler Atrium builds is accepted. */
function tracingConfig(env: NodeJS.ProcessEnv): AppConfig["tracing"] {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
  if (endpoint !== undefined) baseUrl("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint, endpoint);
  const sampler = env.OTEL_TRACES_SAMPLER;
  if (sampler && sampler !== "parentbased_traceidratio")
    throw new Error(`OTEL_TRACES_SAMPLER must be parentbased_traceidratio (or unset), got "${sampler}"`);
  const rawRatio = env.OTEL_TRACES_SAMPLER_ARG;
  const samplerRatio = rawRatio === undefined || rawRatio === "" ? 1 : Number(rawRatio);
  if (!Number.isFinite(samplerRatio) || samplerRatio < 0 || samplerRatio > 1)
    throw new Error(`OTEL_TRACES_SAMPLER_ARG must be a number between 0 and 1, got "${rawRatio}"`);
  return { endpoint: endpoint?.replace(/\/+$/, ""), samplerRatio, serviceName: env.OTEL_SERVICE_NAME || "atrium-api" };
}

/** DNS_SERVERS: comma-separated `ip`, `ip:port` or `[ipv6]:port` entries (node:dns Resolver#setServers). */
function dnsServers(raw: string | undefined): string[] | undefined {
  const entries = (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) return undefined;
  for (const entry of entries) {
    const m =
      /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(entry) ??
      /^([0-9.]+)(?::(\d{1,5}))?$/.exec(entry) ??
      /^([0-9a-fA-F:]+)()$/.exec(entry);
    const port = m?.[2] ? Number(m[2]) : 53;
    if (!m || net.isIP(m[1]!) === 0 || port < 1 || port > 65535)
      throw new Error(
        `DNS_SERVERS must list IP addresses, optionally with a port (127.0.0.1:5353, [::1]:5353), separated by commas; got "${entry}"`,
      );
  }
  return entries;
}

/** A bearer token (METRICS_TOKEN): 16–512 visible ASCII characters, no spaces. The value is never echoed. */
function bearerToken(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (!/^[\x21-\x7e]{16,512}$/.test(raw))
    throw new Error(
      `${name} must be 16 to 512 visible ASCII characters without spaces; generate one with: node -e "console.log(crypto.randomBytes(32).toString('base64url'))"`,
    );
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const nodeEnvRaw = env.NODE_ENV ?? "development";
  if (!["development", "test", "production"].includes(nodeEnvRaw))
    throw new Error(`NODE_ENV must be development, test or production, got "${nodeEnvRaw}"`);
  const nodeEnv = nodeEnvRaw as AppConfig["nodeEnv"];
  const secrets = (env.AUTH_SECRET ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (nodeEnv === "production") {
    if (secrets.length === 0) throw new Error("AUTH_SECRET is required in production");
    if (secrets.some((s) => s.length < 32)) throw new Error("AUTH_SECRET entries must be at least 32 characters");
    // Published with this repository: anyone could sign tokens with it.
    if (secrets.includes(DEV_AUTH_SECRET))
      throw new Error(
        "AUTH_SECRET must not be the published development secret in production; generate one with: node -e \"console.log(crypto.randomBytes(32).toString('base64'))\"",
      );
  }
  const port = int("PORT", env.PORT, 4000, 0, 65535);
  const host = env.HOST || "0.0.0.0";
  return {
    nodeEnv,
    port,
    host,
    invokedFrom: env.INIT_CWD || process.cwd(),
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, ""),
    authSecrets: secrets.length > 0 ? secrets : [DEV_AUTH_SECRET],
    authSecretFromEnv: secrets.length > 0,
    erasureHashSecret:
      env.ERASURE_HASH_SECRET?.trim() || (secrets.length > 0 ? secrets[secrets.length - 1]! : DEV_AUTH_SECRET),
    integrationsKeyPresent: Boolean(env.INTEGRATIONS_ENCRYPTION_KEY?.trim()),
    integrationKeys: integrationKeys(env.INTEGRATIONS_ENCRYPTION_KEY, nodeEnv),
    providers: {
      twilioApiBaseUrl: baseUrl("TWILIO_API_BASE_URL", env.TWILIO_API_BASE_URL, "https://api.twilio.com"),
      vapiApiBaseUrl: baseUrl("VAPI_API_BASE_URL", env.VAPI_API_BASE_URL, "https://api.vapi.ai"),
      calcomApiBaseUrl: baseUrl("CALCOM_API_BASE_URL", env.CALCOM_API_BASE_URL, "https://api.cal.com"),
      openaiBaseUrl: baseUrl("OPENAI_BASE_URL", env.OPENAI_BASE_URL, "https://api.openai.com/v1"),
      timeoutMs: int("PROVIDER_TIMEOUT_MS", env.PROVIDER_TIMEOUT_MS, 10_000, 100, 120_000),
    },
    sendRetry: {
      limit: int("SEND_RETRY_LIMIT", env.SEND_RETRY_LIMIT, 5, 0, 20),
      delaySeconds: int("SEND_RETRY_DELAY_SECONDS", env.SEND_RETRY_DELAY_SECONDS, 5, 1, 3600),
    },
    jobTiming: {
      sendExpireSeconds: int(
        "SEND_EXPIRE_SECONDS",
        env.SEND_EXPIRE_SECONDS,
        DEFAULT_JOB_TIMING.sendExpireSeconds,
        5,
        3600,
      ),
      superviseSeconds: int(
        "JOBS_SUPERVISE_SECONDS",
        env.JOBS_SUPERVISE_SECONDS,
        DEFAULT_JOB_TIMING.superviseSeconds,
        1,
        3600,
      ),
      cronCheckSeconds: int(
        "JOBS_CRON_CHECK_SECONDS",
        env.JOBS_CRON_CHECK_SECONDS,
        DEFAULT_JOB_TIMING.cronCheckSeconds,
        1,
        45,
      ),
    },
    webhooks: {
      timeoutMs: int("WEBHOOK_TIMEOUT_MS", env.WEBHOOK_TIMEOUT_MS, DEFAULT_WEBHOOK_TIMEOUT_MS, 100, 60_000),
      retryScale: 1,
      disableAfterFailures: int("WEBHOOK_DISABLE_AFTER_FAILURES", env.WEBHOOK_DISABLE_AFTER_FAILURES, 50, 1, 100_000),
      disableAfterSeconds: int(
        "WEBHOOK_DISABLE_AFTER_SECONDS",
        env.WEBHOOK_DISABLE_AFTER_SECONDS,
        3 * 86_400,
        0,
        30 * 86_400,
      ),
      allowPrivateTargets: nodeEnv !== "production",
      secretOverlapSeconds: int(
        "WEBHOOK_SECRET_OVERLAP_SECONDS",
        env.WEBHOOK_SECRET_OVERLAP_SECONDS,
        86_400,
        0,
        30 * 86_400,
      ),
    },
    auditStream: {
      batchSize: int("AUDIT_STREAM_BATCH_SIZE", env.AUDIT_STREAM_BATCH_SIZE, 500, 1, 5000),
      pollSeconds: int("AUDIT_STREAM_POLL_SECONDS", env.AUDIT_STREAM_POLL_SECONDS, 5, 1, 3600),
      settleMs: int("AUDIT_STREAM_SETTLE_MS", env.AUDIT_STREAM_SETTLE_MS, 1000, 0, 60_000),
      maxRetrySeconds: int("AUDIT_STREAM_MAX_RETRY_SECONDS", env.AUDIT_STREAM_MAX_RETRY_SECONDS, 3600, 1, 86_400),
    },
    auditChain: {
      keys: parseAuditSigningKeys(env.AUDIT_SIGNING_KEYS, nodeEnv, DEV_AUTH_SECRET),
      keysFromEnv: Boolean(env.AUDIT_SIGNING_KEYS?.trim()),
      checkpointIntervalSeconds: int(
        "AUDIT_CHECKPOINT_INTERVAL_SECONDS",
        env.AUDIT_CHECKPOINT_INTERVAL_SECONDS,
        3600,
        60,
        86_400,
      ),
    },
    campaigns: {
      ratePerSecond: int("CAMPAIGN_RATE_PER_SECOND", env.CAMPAIGN_RATE_PER_SECOND, 10, 0, 10_000),
      batchSize: int("CAMPAIGN_BATCH_SIZE", env.CAMPAIGN_BATCH_SIZE, 50, 1, 1000),
      // Issue 52: recipients of a tag's audience added per transaction by the dispatcher (decision 0055, addendum "Bulk 2").
      audienceBatchSize: int(
        "CAMPAIGN_AUDIENCE_BATCH_SIZE",
        env.CAMPAIGN_AUDIENCE_BATCH_SIZE,
        DEFAULT_AUDIENCE_BATCH_SIZE,
        1,
        50_000,
      ),
      // ... and at most this many a second per workspace (0: no limit), so the web app stays responsive meanwhile.
      audienceRatePerSecond: int(
        "CAMPAIGN_AUDIENCE_RATE_PER_SECOND",
        env.CAMPAIGN_AUDIENCE_RATE_PER_SECOND,
        DEFAULT_AUDIENCE_RATE_PER_SECOND,
        0,
        1_000_000,
      ),
    },
    accessTokenTtlSeconds: int("ACCESS_TOKEN_TTL_SECONDS", env.ACCESS_TOKEN_TTL_SECONDS, 900, 30, 3600),
    refreshTokenTtlDays: int("REFRESH_TOKEN_TTL_DAYS", env.REFRESH_TOKEN_TTL_DAYS, 30, 1, 365),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || "Atrium <no-reply@atrium.local>",
    logLevel: env.LOG_LEVEL || (nodeEnv === "test" ? "silent" : "info"),
    slowOperationMs: int("SLOW_OPERATION_MS", env.SLOW_OPERATION_MS, 500, 1, 600_000),
    webDistDir: env.WEB_DIST_DIR || undefined,
    tracing: tracingConfig(env),
    trustProxy: env.TRUST_PROXY === "true",
    requestDeadlineMs: int("REQUEST_DEADLINE_MS", env.REQUEST_DEADLINE_MS, 15_000, 100, 120_000),
    rateLimits: {
      signInPerAccount: int("RATE_LIMIT_SIGNIN_PER_ACCOUNT", env.RATE_LIMIT_SIGNIN_PER_ACCOUNT, 10, 1, 100_000),
      signInFailuresPerAccount: int(
        "RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT",
        env.RATE_LIMIT_SIGNIN_FAILURES_PER_ACCOUNT,
        100,
        1,
        100_000,
      ),
      signInPerIp: int("RATE_LIMIT_SIGNIN_PER_IP", env.RATE_LIMIT_SIGNIN_PER_IP, 100, 1, 100_000),
      signUpPerIp: int("RATE_LIMIT_SIGNUP_PER_IP", env.RATE_LIMIT_SIGNUP_PER_IP, 20, 1, 100_000),
      passwordResetPerIp: int("RATE_LIMIT_PASSWORD_RESET_PER_IP", env.RATE_LIMIT_PASSWORD_RESET_PER_IP, 20, 1, 100_000),
      passwordResetPerAccount: int(
        "RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT",
        env.RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT,
        5,
        1,
        100_000,
      ),
      windowSeconds: 15 * 60,
      apiKeyPerMinute: int("RATE_LIMIT_API_KEY_PER_MINUTE", env.RATE_LIMIT_API_KEY_PER_MINUTE, 600, 1, 1_000_000),
      formPerIpPerMinute: int(
        "RATE_LIMIT_FORM_PER_IP_PER_MINUTE",
        env.RATE_LIMIT_FORM_PER_IP_PER_MINUTE,
        10,
        1,
        1_000_000,
      ),
      formPerWorkspacePerMinute: int(
        "RATE_LIMIT_FORM_PER_WORKSPACE_PER_MINUTE",
        env.RATE_LIMIT_FORM_PER_WORKSPACE_PER_MINUTE,
        300,
        1,
        1_000_000,
      ),
    },
    db: readDatabaseEnv(env),
    jobsEnabled: env.JOBS_ENABLED !== "false",
    jobsProcess: jobsProcess(env.JOBS_PROCESS, nodeEnv),
    jobsProcessNice: int("JOBS_PROCESS_NICE", env.JOBS_PROCESS_NICE, 10, 0, 19),
    jobsProcessSched: jobsProcessSched(env.JOBS_PROCESS_SCHED),
    retentionBatchSize: int("RETENTION_BATCH_SIZE", env.RETENTION_BATCH_SIZE, 5000, 1, 100_000),
    liveConnectionsPerIp: int("LIVE_CONNECTIONS_PER_IP", env.LIVE_CONNECTIONS_PER_IP, 200, 1, 1_000_000),
    stepUpEnabled: bool("STEP_UP_ENABLED", env.STEP_UP_ENABLED, false),
    trustedDocumentsPath: env.TRUSTED_DOCUMENTS_PATH || path.join(repoRoot, "apps/api/trusted-documents.json"),
    metricsToken: bearerToken("METRICS_TOKEN", env.METRICS_TOKEN),
    graphqlLimits: {
      maxDepth: int("GRAPHQL_MAX_DEPTH", env.GRAPHQL_MAX_DEPTH, 10, 1, 100),
      maxAliases: int("GRAPHQL_MAX_ALIASES", env.GRAPHQL_MAX_ALIASES, 15, 0, 1000),
      maxDirectives: int("GRAPHQL_MAX_DIRECTIVES", env.GRAPHQL_MAX_DIRECTIVES, 50, 0, 1000),
      maxTokens: int("GRAPHQL_MAX_TOKENS", env.GRAPHQL_MAX_TOKENS, 1000, 50, 100_000),
      maxCost: int("GRAPHQL_MAX_COST", env.GRAPHQL_MAX_COST, 5000, 10, 1_000_000),
    },
    sso: {
      dnsServers: dnsServers(env.DNS_SERVERS),
      allowPrivateIssuers: nodeEnv !== "production",
      timeoutMs: int("SSO_TIMEOUT_MS", env.SSO_TIMEOUT_MS, 10_000, 100, 60_000),
    },
    ...overrides,
  };
}
