// I2: re-encrypts every secret not yet sealed with the newest platform key, in batches (a
// platform job: the owner-role client): integration credentials across workspaces, then the
// users' TOTP secrets (step-up, decision 0015; sealed with the same SecretBox, bound to
// `user:<id>` / `totp`). Each batch locks its rows (FOR UPDATE SKIP LOCKED) only while
// re-sealing them, so reads keep working throughout: a row names its key in its JWE header, and
// every listed key still opens it. A TOTP row keeps its `last_time_step`, so re-sealing neither
// invalidates a code nor lets one be replayed. Then the outbound-webhook signing secrets (A5):
// the current one and the previous one of a rotation's overlap window, bound to their endpoint;
// they have no key column, so the key is read from each JWE's header.
import type { Db } from "@atrium/db";
import { SecretBox } from "./platform/crypto/secret-box.ts";
import { totpBinding } from "./modules/step-up/step-up.service.ts";
import { webhookSecretBinding } from "./modules/webhooks/webhooks.service.ts";

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
  // Keyset pagination: a row that cannot be opened (its key is gone) is skipped, not retried forever.
  let after: { workspaceId: string; id: string } = { workspaceId: "00000000-0000-0000-0000-000000000000", id: "00000000-0000-0000-0000-000000000000" };
  for (;;) {
    const batch = await deps.db.system.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ workspace_id: string; id: string; provider: string; secret_jwe: string }[]>`
        SELECT workspace_id, id, provider::text AS provider, secret_jwe FROM integrations
         WHERE key_id <> ${newest} AND (workspace_id, id) > (${after.workspaceId}::uuid, ${after.id}::uuid)
         ORDER BY workspace_id, id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`;
      let rotated = 0;
      let failed = 0;
      for (const r of rows) {
        const bound = { workspaceId: r.workspace_id, provider: r.provider };
        try {
          const sealed = await deps.box.seal(await deps.box.open(r.secret_jwe, bound), bound);
          await tx.$executeRaw`UPDATE integrations SET secret_jwe = ${sealed.jwe}, key_id = ${sealed.kid} WHERE workspace_id = ${r.workspace_id}::uuid AND id = ${r.id}::uuid`;
          rotated++;
        } catch {
          failed++;
        }
      }
      return { rows, rotated, failed };
    }, { timeout: 60_000 });
    progress.rotated += batch.rotated;
    progress.failed += batch.failed;
    const last = batch.rows.at(-1);
    if (!last) break;
    after = { workspaceId: last.workspace_id, id: last.id };
    opts.onProgress?.({ ...progress });
  }
  // TOTP secrets, keyed by user (identity data: the system client, like the step-up service).
  let afterUser = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const batch = await deps.db.system.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ user_id: string; secret_jwe: string }[]>`
        SELECT user_id, secret_jwe FROM totp_factors
         WHERE key_id <> ${newest} AND user_id > ${afterUser}::uuid
         ORDER BY user_id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`;
      let rotated = 0;
      let failed = 0;
      for (const r of rows) {
        const bound = totpBinding(r.user_id);
        try {
          const sealed = await deps.box.seal(await deps.box.open(r.secret_jwe, bound), bound);
          await tx.$executeRaw`UPDATE totp_factors SET secret_jwe = ${sealed.jwe}, key_id = ${sealed.kid} WHERE user_id = ${r.user_id}::uuid`;
          rotated++;
        } catch {
          failed++;
        }
      }
      return { rows, rotated, failed };
    }, { timeout: 60_000 });
    progress.rotated += batch.rotated;
    progress.failed += batch.failed;
    const last = batch.rows.at(-1);
    if (!last) break;
    afterUser = last.user_id;
    opts.onProgress?.({ ...progress });
  }
  // Webhook signing secrets, keyed by endpoint.
  let afterEndpoint = { workspaceId: "00000000-0000-0000-0000-000000000000", id: "00000000-0000-0000-0000-000000000000" };
  for (;;) {
    const batch = await deps.db.system.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ workspace_id: string; id: string; secret_jwe: string; previous_secret_jwe: string | null }[]>`
        SELECT workspace_id, id, secret_jwe, previous_secret_jwe FROM webhook_endpoints
         WHERE (workspace_id, id) > (${afterEndpoint.workspaceId}::uuid, ${afterEndpoint.id}::uuid)
         ORDER BY workspace_id, id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`;
      let rotated = 0;
      let failed = 0;
      for (const r of rows) {
        if (!endpointIsStale(r, newest)) continue;
        const bound = webhookSecretBinding(r.workspace_id, r.id);
        try {
          const reseal = async (jwe: string) => (SecretBox.kidOf(jwe) === newest ? jwe : (await deps.box.seal(await deps.box.open(jwe, bound), bound)).jwe);
          const current = await reseal(r.secret_jwe);
          const previous = r.previous_secret_jwe === null ? null : await reseal(r.previous_secret_jwe);
          await tx.$executeRaw`UPDATE webhook_endpoints SET secret_jwe = ${current}, previous_secret_jwe = ${previous} WHERE workspace_id = ${r.workspace_id}::uuid AND id = ${r.id}::uuid`;
          rotated++;
        } catch {
          failed++;
        }
      }
      return { rows, rotated, failed };
    }, { timeout: 60_000 });
    progress.rotated += batch.rotated;
    progress.failed += batch.failed;
    const last = batch.rows.at(-1);
    if (!last) break;
    afterEndpoint = { workspaceId: last.workspace_id, id: last.id };
    opts.onProgress?.({ ...progress });
  }
  return progress;
}

/** An endpoint one of whose sealed secrets names another key than the newest. */
const endpointIsStale = (r: { secret_jwe: string; previous_secret_jwe: string | null }, newest: string) =>
  SecretBox.kidOf(r.secret_jwe) !== newest || (r.previous_secret_jwe !== null && SecretBox.kidOf(r.previous_secret_jwe) !== newest);

async function olderThan(db: Db, newest: string): Promise<number> {
  const [{ n }] = await db.system.$queryRaw<[{ n: bigint }]>`
    SELECT (SELECT count(*) FROM integrations WHERE key_id <> ${newest}) + (SELECT count(*) FROM totp_factors WHERE key_id <> ${newest}) AS n`;
  // Endpoints name their key only in the JWE header: read from the rows (a few per workspace).
  const endpoints = await db.system.$queryRaw<{ secret_jwe: string; previous_secret_jwe: string | null }[]>`SELECT secret_jwe, previous_secret_jwe FROM webhook_endpoints`;
  return Number(n) + endpoints.filter((r) => endpointIsStale(r, newest)).length;
}

/** Rows (integration secrets, TOTP secrets, webhook endpoints) not yet on the newest key (0 when there is nothing to do). */
export async function secretsOnOlderKeys(deps: { db: Db; box: SecretBox }): Promise<number> {
  const newest = deps.box.newestKid;
  if (!newest) return 0;
  return olderThan(deps.db, newest);
}
