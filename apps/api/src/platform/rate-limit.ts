// Fixed-window counters in PostgreSQL, shared by every API instance (one upsert per check).
import type { SystemClient } from "@atrium/db";
import { rateLimited } from "./errors.ts";

export class RateLimiter {
  constructor(private readonly system: SystemClient) {}

  /** Counts one hit on `key`; throws RATE_LIMITED once more than `limit` hits fall in the window. */
  async hit(key: string, limit: number, windowSeconds: number): Promise<void> {
    const rows = await this.system.$queryRaw<{ count: number; reset_at: Date }[]>`
      INSERT INTO rate_limit_buckets AS b (key, count, reset_at)
      VALUES (${key}, 1, now() + ${windowSeconds}::int * interval '1 second')
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN b.reset_at <= now() THEN 1 ELSE b.count + 1 END,
        reset_at = CASE WHEN b.reset_at <= now() THEN excluded.reset_at ELSE b.reset_at END
      RETURNING count, reset_at`;
    const row = rows[0];
    if (row && row.count > limit) {
      throw rateLimited(Math.max(1, Math.ceil((row.reset_at.getTime() - Date.now()) / 1000)));
    }
  }
}
