// The only code that touches Prisma for the explainer and the denial/probe counters (the
// counters are platform rows: the caller passes the system client).
import type { SystemClient, TenantTx } from "@atrium/db";

export const accessExplainerRepository = {
  async memberWithName(tx: TenantTx, workspaceId: string, userId: string) {
    return tx.membership.findUnique({
      where: { workspaceId_userId: { workspaceId, userId } },
      include: { user: { select: { name: true } } },
    });
  },

  /** The workspace's name and its owners and admins (owners first), to say whom to ask. */
  async place(tx: TenantTx, workspaceId: string) {
    const [workspace, grantors] = await Promise.all([
      tx.workspace.findUnique({ where: { id: workspaceId }, select: { name: true } }),
      tx.membership.findMany({
        where: { workspaceId, role: { in: ["OWNER", "ADMIN"] } },
        select: { role: true, user: { select: { name: true } } },
        orderBy: [{ role: "asc" }, { createdAt: "asc" }], // enum order: OWNER, ADMIN
        take: 10,
      }),
    ]);
    return {
      workspaceName: workspace?.name ?? "this workspace",
      grantors: grantors.map((m) => ({ name: m.user.name, role: m.role })),
    };
  },

  /** Counts one hit in a fixed window (a new window once the old one has ended); the count after it. */
  async countHit(system: SystemClient, key: string, windowSeconds: number): Promise<number> {
    const rows = await system.$queryRaw<{ count: number }[]>`
      INSERT INTO rate_limit_buckets AS b (key, count, reset_at)
      VALUES (${key}, 1, now() + ${windowSeconds}::int * interval '1 second')
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN b.reset_at <= now() THEN 1 ELSE b.count + 1 END,
        reset_at = CASE WHEN b.reset_at <= now() THEN excluded.reset_at ELSE b.reset_at END
      RETURNING count`;
    return rows[0]?.count ?? 0;
  },

  /** The current windows of the probe counters, highest first. */
  async probeCounters(system: SystemClient): Promise<{ key: string; count: number; reset_at: Date }[]> {
    return system.$queryRaw<{ key: string; count: number; reset_at: Date }[]>`
        SELECT key, count, reset_at FROM rate_limit_buckets WHERE key LIKE 'probe:ip:%' AND reset_at > now() ORDER BY count DESC LIMIT 100`;
  },
};
