export { createDb, type Db, type TenantTx, type TenantContext, type SystemClient, type AppClient, type TenantStrategy } from "./clients.ts";
export { prepareDatabase, DatabaseStartError, explainDatabaseUrlFailure, type PreparedDatabase } from "./prepare.ts";
export { migrate, readMigrations, MigrationError, MIGRATIONS_DIR } from "./migrate.ts";
export { startEmbeddedPostgres, EmbeddedStartError, explainStartFailure, EMBEDDED_PG_MAJOR, type EmbeddedServer } from "./embedded.ts";
export { readDatabaseEnv, repoRoot, DEFAULT_EMBEDDED_PORT, type DatabaseEnv } from "./env.ts";
export { APP_ROLE, appUrlFrom, setAppRolePassword } from "./roles.ts";
export { Prisma, PrismaClient } from "./generated/client.ts";
export type { Channel, Environment, MembershipRole, GlobalRole } from "./generated/enums.ts";
export * as enums from "./generated/enums.ts";
