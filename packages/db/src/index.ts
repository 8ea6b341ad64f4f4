export { createDb, tenantFactsOf, traceOfTx } from "./clients.ts";
export { inStatementFamily } from "./engine/statement-names.ts";
export type {
  Db,
  TenantTx,
  TenantContext,
  SystemClient,
  AppClient,
  ReadRows,
  WriteBatch,
  PoolStats,
  TenantFacts,
  TenantFactsSource,
} from "./db.ts";
export { WRITE_BATCH_MAX } from "./db.ts";
export { RequestPrincipals, settleStamp, settleSession, type PrincipalStamp, type SessionStamp } from "./principals.ts";
export {
  RequestDeadline,
  DeadlineExceededError,
  witnessScope,
  runScope,
  takeScopeViolations,
  type RequestScope,
  type StatementCounter,
} from "./scope.ts";
export type { TenantStrategy, EngineSwitches } from "./engine/switches.ts";
export { nestedRow, rowBuilder, type PgField } from "./rows.ts";
export { familyOfStatement, statementFamily, type StatementTracer, type TraceParent } from "./statement-tracing.ts";
export { withFastTimestamps } from "./timestamps.ts";
export { ConnectionBreaker, CircuitOpenError, type BreakerOptions } from "./breaker.ts";
export { prepareDatabase, DatabaseStartError, explainDatabaseUrlFailure, type PreparedDatabase } from "./prepare.ts";
export { migrate, readMigrations, MigrationError, MIGRATIONS_DIR } from "./migrate.ts";
export {
  startEmbeddedPostgres,
  EmbeddedStartError,
  explainStartFailure,
  EMBEDDED_PG_MAJOR,
  type EmbeddedServer,
} from "./embedded.ts";
export { readDatabaseEnv, repoRoot, DEFAULT_EMBEDDED_PORT, type DatabaseEnv } from "./env.ts";
export { APP_ROLE, appUrlFrom, setAppRolePassword } from "./roles.ts";
export { Prisma, PrismaClient } from "./generated/client.ts";
export type { Channel, Environment, MembershipRole, GlobalRole } from "./generated/enums.ts";
export * as enums from "./generated/enums.ts";
