// I2: re-encrypts every secret not yet sealed with the newest platform key, in batches (a
// platform job: the owner-role client): integration credentials across workspaces, then the
// users' TOTP secrets (step-up, decision 0015; sealed with the same SecretBox, bound to
// `user:<id>` / `totp`). Each batch locks its rows (FOR UPDATE SKIP LOCKED) only while
// re-sealing them, so reads keep working throughout: a row names its key in its JWE header, and
// every listed key still opens it. A TOTP row keeps its `last_time_step`, so re-sealing neither
// invalidates a code nor lets one be replayed.
import type { Db } from "@atrium/db";
import type { SecretBox } from "./platform/crypto/secret-box.ts";
import { totpBinding } from "./modules/step-up/step-up.service.ts";

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
  return progress;
}

async function olderThan(db: Db, newest: string): Promise<number> {
  const [{ n }] = await db.system.$queryRaw<[{ n: bigint }]>`
    SELECT (SELECT count(*) FROM integrations WHERE key_id <> ${newest}) + (SELECT count(*) FROM totp_factors WHERE key_id <> ${newest}) AS n`;
  return Number(n);
}

/** Rows (integration secrets and TOTP secrets) not yet on the newest key (0 when there is nothing to do). */
export async function secretsOnOlderKeys(deps: { db: Db; box: SecretBox }): Promise<number> {
  const newest = deps.box.newestKid;
  if (!newest) return 0;
  return olderThan(deps.db, newest);
}
