// The job queue's production defaults, in one place: env.ts reads them as the defaults of its
// variables and the job queue falls back to them when it is built without a configuration (tests,
// the scheduler on its own). No imports, so reading the configuration does not load pg-boss.

/** SEND_EXPIRE_SECONDS, JOBS_SUPERVISE_SECONDS, JOBS_CRON_CHECK_SECONDS (issue 16). */
export const DEFAULT_JOB_TIMING = { sendExpireSeconds: 60, superviseSeconds: 60, cronCheckSeconds: 30 } as const;

/** WEBHOOK_TIMEOUT_MS: the longest one webhook attempt waits for its endpoint. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
