// I2: re-encrypts every secret not yet sealed with the newest platform key, in batches (a
// platform job: the owner-role client): integration credentials across workspaces, then the
// users' TOTP secrets (step-up, decision 0015; sealed with the same SecretBox, bound to
// `user:<id>` / `totp`). Each batch locks its rows (FOR UPDATE SKIP LOCKED) only while
// re-sealing them, so reads keep working throughout: a row names its key in its JWE header, and
// every listed key still opens it. A TOTP row keeps its `last_time_step`, so re-sealing neither
// invalidates a code nor lets one be replayed. Then the outbound-webhook signing secrets (A5):
// the current one and the previous one of a rotation's overlap window, bound to their endpoint;
// they have no key column, so the key is read from each JWE's header.
import { Prisma, type Db } from "@atrium/db";

import { auditStreamSecretBinding } from "./modules/audit/audit-stream.service.ts";
import { platformSsoSecretBinding, ssoSecretBinding } from "./modules/sso/sso.service.ts";
import { totpBinding } from "./modules/step-up/step-up.service.ts";
import { webhookSecretBinding } from "./modules/webhooks/webhooks.service.ts";
import { SecretBox } from "./platform/crypto/secret-box.ts";

export interface RotationProgress {
  rotated: number;
  total: number;
  failed: number;
}

export async function rotateCredentials(
  deps: { db: Db; box: SecretBox },
  opts: { batchSize?: number; onProgress?: (p: RotationProgress) => void } = {},
): Promise<RotationProgress> {
  const newest = deps.box.newestKid;
  if (!newest) throw new Error("INTEGRATIONS_ENCRYPTION_KEY is not set: there is no key to rotate to.");
  const batchSize = opts.batchSize ?? 100;
  const progress: RotationProgress = { rotated: 0, total: await olderThan(deps.db, newest), failed: 0 };
  opts.onProgress?.({ ...progress });
  const reseal = async (jwe: string, bound: { workspaceId: string; provider: string }) =>
    (await deps.box.seal(await deps.box.open(jwe, bound), bound)).jwe;
  const ZERO = "00000000-0000-0000-0000-000000000000";
  const run = <R>(select: Select<R>, cursorOf: (r: R) => [string, string], apply: Apply<R>) =>
    inBatches(deps.db, progress, opts.onProgress, batchSize, select, cursorOf, apply);

  await run(
    (tx, [w, id], n) => tx.$queryRaw<{ workspace_id: string; id: string; provider: string; secret_jwe: string }[]>`
      SELECT workspace_id, id, provider::text AS provider, secret_jwe FROM integrations
       WHERE key_id <> ${newest} AND (workspace_id, id) > (${w}::uuid, ${id}::uuid)
       ORDER BY workspace_id, id LIMIT ${n} FOR UPDATE SKIP LOCKED`,
    (r) => [r.workspace_id, r.id],
    async (tx, r) => {
      const jwe = await reseal(r.secret_jwe, { workspaceId: r.workspace_id, provider: r.provider });
      await tx.$executeRaw`UPDATE integrations SET secret_jwe = ${jwe}, key_id = ${newest} WHERE workspace_id = ${r.workspace_id}::uuid AND id = ${r.id}::uuid`;
      return true;
    },
  );
  // TOTP secrets, keyed by user (identity data: the system client, like the step-up service).
  await run(
    (tx, [, user], n) => tx.$queryRaw<{ user_id: string; secret_jwe: string }[]>`
      SELECT user_id, secret_jwe FROM totp_factors
       WHERE key_id <> ${newest} AND user_id > ${user}::uuid
       ORDER BY user_id LIMIT ${n} FOR UPDATE SKIP LOCKED`,
    (r) => [ZERO, r.user_id],
    async (tx, r) => {
      const jwe = await reseal(r.secret_jwe, totpBinding(r.user_id));
      await tx.$executeRaw`UPDATE totp_factors SET secret_jwe = ${jwe}, key_id = ${newest} WHERE user_id = ${r.user_id}::uuid`;
      return true;
    },
  );
  // Single sign-on client secrets (issue 49), one per workspace, sealed like integration credentials.
  await run(
    (tx, [w, id], n) => tx.$queryRaw<{ workspace_id: string; id: string; secret_jwe: string }[]>`
      SELECT workspace_id, id, secret_jwe FROM sso_connections
       WHERE key_id <> ${newest} AND (workspace_id, id) > (${w}::uuid, ${id}::uuid)
       ORDER BY workspace_id, id LIMIT ${n} FOR UPDATE SKIP LOCKED`,
    (r) => [r.workspace_id, r.id],
    async (tx, r) => {
      const jwe = await reseal(r.secret_jwe, ssoSecretBinding(r.workspace_id));
      await tx.$executeRaw`UPDATE sso_connections SET secret_jwe = ${jwe}, key_id = ${newest} WHERE workspace_id = ${r.workspace_id}::uuid AND id = ${r.id}::uuid`;
      return true;
    },
  );
  // The platform's single sign-on client secret (one row), bound to "platform" / "sso".
  await run(
    (tx, [, id], n) => tx.$queryRaw<{ id: string; secret_jwe: string }[]>`
      SELECT id, secret_jwe FROM platform_sso_connections
       WHERE key_id <> ${newest} AND id > ${id}::uuid
       ORDER BY id LIMIT ${n} FOR UPDATE SKIP LOCKED`,
    (r) => [ZERO, r.id],
    async (tx, r) => {
      const jwe = await reseal(r.secret_jwe, platformSsoSecretBinding);
      await tx.$executeRaw`UPDATE platform_sso_connections SET secret_jwe = ${jwe}, key_id = ${newest} WHERE id = ${r.id}::uuid`;
      return true;
    },
  );
  // Webhook signing secrets, keyed by endpoint, and the audit streams' (issue 50), keyed by
  // stream; the key is read from each JWE's header.
  for (const [table, bindingOf] of SIGNING_SECRET_TABLES) {
    await run(
      (tx, [w, id], n) => tx.$queryRaw<
        { workspace_id: string; id: string; secret_jwe: string; previous_secret_jwe: string | null }[]
      >`
        SELECT workspace_id, id, secret_jwe, previous_secret_jwe FROM ${Prisma.raw(table)}
         WHERE (workspace_id, id) > (${w}::uuid, ${id}::uuid)
         ORDER BY workspace_id, id LIMIT ${n} FOR UPDATE SKIP LOCKED`,
      (r) => [r.workspace_id, r.id],
      async (tx, r) => {
        if (!endpointIsStale(r, newest)) return false;
        const bound = bindingOf(r.workspace_id, r.id);
        const current = SecretBox.kidOf(r.secret_jwe) === newest ? r.secret_jwe : await reseal(r.secret_jwe, bound);
        const prev = r.previous_secret_jwe;
        const previous = prev === null || SecretBox.kidOf(prev) === newest ? prev : await reseal(prev, bound);
        await tx.$executeRaw`UPDATE ${Prisma.raw(table)} SET secret_jwe = ${current}, previous_secret_jwe = ${previous} WHERE workspace_id = ${r.workspace_id}::uuid AND id = ${r.id}::uuid`;
        return true;
      },
    );
  }
  return progress;
}

/** The tables of Standard Webhooks signing secrets (current and previous), and what each row is sealed to. */
const SIGNING_SECRET_TABLES = [
  ["webhook_endpoints", webhookSecretBinding],
  ["audit_streams", auditStreamSecretBinding],
] as const;

type Tx = Parameters<Parameters<Db["system"]["$transaction"]>[0]>[0];
type Select<R> = (tx: Tx, after: [string, string], batchSize: number) => Promise<R[]>;
/** Re-seals one row; false when it needed nothing. Throwing counts it failed (its key is gone). */
type Apply<R> = (tx: Tx, row: R) => Promise<boolean>;

/**
 * One table's rows in keyset order, a batch per short transaction that locks only those rows
 * (FOR UPDATE SKIP LOCKED). A row that cannot be opened is counted failed and passed over, never
 * retried forever.
 */
async function inBatches<R>(
  db: Db,
  progress: RotationProgress,
  onProgress: ((p: RotationProgress) => void) | undefined,
  batchSize: number,
  select: Select<R>,
  cursorOf: (r: R) => [string, string],
  apply: Apply<R>,
): Promise<void> {
  let after: [string, string] = ["00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000000"];
  for (;;) {
    const batch = await db.system.$transaction(
      async (tx) => {
        const rows = await select(tx, after, batchSize);
        let rotated = 0;
        let failed = 0;
        for (const r of rows) {
          try {
            if (await apply(tx, r)) rotated++;
          } catch {
            failed++;
          }
        }
        return { rows, rotated, failed };
      },
      { timeout: 60_000 },
    );
    progress.rotated += batch.rotated;
    progress.failed += batch.failed;
    const last = batch.rows.at(-1);
    if (!last) return;
    after = cursorOf(last);
    onProgress?.({ ...progress });
  }
}

/** An endpoint one of whose sealed secrets names another key than the newest. */
const endpointIsStale = (r: { secret_jwe: string; previous_secret_jwe: string | null }, newest: string) =>
  SecretBox.kidOf(r.secret_jwe) !== newest ||
  (r.previous_secret_jwe !== null && SecretBox.kidOf(r.previous_secret_jwe) !== newest);

async function olderThan(db: Db, newest: string): Promise<number> {
  const [{ n }] = await db.system.$queryRaw<[{ n: bigint }]>`
    SELECT (SELECT count(*) FROM integrations WHERE key_id <> ${newest}) + (SELECT count(*) FROM totp_factors WHERE key_id <> ${newest})
         + (SELECT count(*) FROM sso_connections WHERE key_id <> ${newest}) + (SELECT count(*) FROM platform_sso_connections WHERE key_id <> ${newest}) AS n`;
  // Endpoints name their key only in the JWE header: read from the rows (a few per workspace).
  const endpoints = await db.system.$queryRaw<{ secret_jwe: string; previous_secret_jwe: string | null }[]>`
    SELECT secret_jwe, previous_secret_jwe FROM webhook_endpoints UNION ALL SELECT secret_jwe, previous_secret_jwe FROM audit_streams`;
  return Number(n) + endpoints.filter((r) => endpointIsStale(r, newest)).length;
}

/** Rows (integration secrets, TOTP secrets, SSO client secrets, webhook endpoints, audit streams) not yet on the newest key (0 when there is nothing to do). */
export async function secretsOnOlderKeys(deps: { db: Db; box: SecretBox }): Promise<number> {
  const newest = deps.box.newestKid;
  if (!newest) return 0;
  return olderThan(deps.db, newest);
}
