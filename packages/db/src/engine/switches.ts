// The engine's switches, for benchmarks only (bench/ passes them to compare variants; the product
// never sets them): how tenant settings reach Postgres, and which pipeline techniques are on.

/**
 * How tenant settings reach Postgres (docs/decisions/0002-tenant-transaction-per-unit-of-work.md):
 * - "transaction" (default): one interactive transaction per unit of work, settings set once.
 * - "per-query": Prisma's RLS-extension pattern, each query wrapped in its own batch
 *   transaction with the settings; kept only so bench/ can compare the two.
 * - "unsafe-owner-no-tenancy": the owner role, no transaction, no settings, no RLS. Benchmarks'
 *   baseline only; never reachable from configuration.
 */
export type TenantStrategy = "transaction" | "per-query" | "unsafe-owner-no-tenancy";

export interface EngineSwitches {
  strategy?: TenantStrategy;
  /** Named prepared statements for pipelines (default on; the bench compares without). */
  prepared?: boolean;
  /** Pipelines as BEGIN, one pg query per statement, COMMIT (the bench compares; default one Sync per transaction). */
  syncEach?: boolean;
  /** One-Sync pipelines of one turn share a connection and a write (default on; the bench compares without). */
  shareTurns?: boolean;
  /** `tenantWriteBatched` coalesces a turn's items (default on; the bench compares without). */
  coalesceWrites?: boolean;
}
