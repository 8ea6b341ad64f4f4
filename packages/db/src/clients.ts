// The two Prisma clients. The tenant client logs in as atrium_app (RLS applies) and runs every
// unit of work in one interactive transaction that first sets app.user_id / app.workspace_id
// with set_config(..., true) (transaction-local: nothing leaks to the next user of the pooled
// connection). The system client logs in as the schema owner and exists for identity look-ups
// (sign-in by email, tokens) and platform jobs only; see docs/security/tenancy.md.
import { PrismaPg } from "@prisma/adapter-pg";

/** A new connection that takes longer than this fails (the request answers 503) instead of hanging. */
const CONNECT_TIMEOUT_MS = 5_000;
import { PrismaClient } from "./generated/client.ts";

function createAppClient(url: string, max: number, queryEvents = false) {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS }),
    // Query events feed `onQuery` (tests count statements to prove lists have no N+1); off
    // otherwise, so the request path does not build an event per statement for nobody.
    log: queryEvents ? [{ emit: "event", level: "query" }] : [],
    // The app role may not read password hashes at all (column grants); never ask for them.
    omit: { user: { passwordHash: true } },
  });
}

export type AppClient = ReturnType<typeof createAppClient>;
/** The transaction handle services receive: the app client minus connection management. */
export type TenantTx = Omit<AppClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;
export type SystemClient = PrismaClient;

export interface TenantContext {
  userId?: string | null;
  workspaceId?: string | null;
}

export interface Db {
  /** Runs `fn` in one transaction with the tenant settings applied. */
  tenant<T>(ctx: TenantContext, fn: (tx: TenantTx) => Promise<T>, opts?: { timeoutMs?: number }): Promise<T>;
  /** Owner-role client. Identity and platform code only (enforced by a lint rule). */
  system: SystemClient;
  /** Raw app-role client, without tenant settings: RLS shows it nothing. For tests and benches. */
  appUnscoped: AppClient;
  /** Owner-role URL, for platform plumbing that needs its own connection (pg-boss). */
  ownerUrl: string;
  disconnect(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * How tenant settings reach Postgres (docs/decisions/0002-tenant-transaction-per-unit-of-work.md):
 * - "transaction" (default): one interactive transaction per unit of work, settings set once.
 * - "per-query": Prisma's RLS-extension pattern, each query wrapped in its own batch
 *   transaction with the settings; kept only so bench/ can compare the two.
 * - "unsafe-owner-no-tenancy": the owner role, no transaction, no settings, no RLS. Benchmarks'
 *   baseline only; never reachable from configuration.
 */
export type TenantStrategy = "transaction" | "per-query" | "unsafe-owner-no-tenancy";

export function createDb(opts: { appUrl: string; ownerUrl: string; poolSize?: number; strategy?: TenantStrategy; onQuery?: (sql: string) => void }): Db {
  const app = createAppClient(opts.appUrl, opts.poolSize ?? 10, opts.onQuery !== undefined);
  const onQuery = opts.onQuery;
  if (onQuery) app.$on("query", (e) => onQuery(e.query));
  const strategy = opts.strategy ?? "transaction";
  const system = new PrismaClient({
    adapter: new PrismaPg({ connectionString: opts.ownerUrl, max: strategy === "unsafe-owner-no-tenancy" ? (opts.poolSize ?? 10) : 5, connectionTimeoutMillis: CONNECT_TIMEOUT_MS }),
  });

  return {
    async tenant(ctx, fn, txOpts) {
      const userId = ctx.userId ?? "";
      const workspaceId = ctx.workspaceId ?? "";
      // Fail closed on anything that is not a UUID: the cast in the policies would error.
      if ((userId && !UUID.test(userId)) || (workspaceId && !UUID.test(workspaceId))) {
        throw new Error("tenant context ids must be UUIDs");
      }
      if (strategy === "unsafe-owner-no-tenancy") return fn(system);
      if (strategy === "per-query") {
        const scoped = app.$extends({
          query: {
            $allModels: {
              async $allOperations({ args, query }) {
                const [, result] = await app.$transaction([
                  app.$executeRaw`SELECT set_config('app.user_id', ${userId}, true), set_config('app.workspace_id', ${workspaceId}, true)`,
                  query(args),
                ]);
                return result;
              },
            },
          },
        });
        return fn(scoped as unknown as TenantTx);
      }
      return app.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT set_config('app.user_id', ${userId}, true), set_config('app.workspace_id', ${workspaceId}, true)`;
          return fn(tx);
        },
        { timeout: txOpts?.timeoutMs ?? 10_000, maxWait: 10_000 },
      );
    },
    system,
    appUnscoped: app,
    ownerUrl: opts.ownerUrl,
    async disconnect() {
      await Promise.all([app.$disconnect(), system.$disconnect()]);
    },
  };
}
