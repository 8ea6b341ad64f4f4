// "Why can't I?" (the explainer) and the denial log (S3): a FORBIDDEN answer is recorded in the
// workspace's audit log (visible with audit.read), at most DENIALS_PER_WINDOW per principal and
// window so a looping client cannot flood it; non-members' NOT_FOUND probes are only counted
// per IP (one counter row per IP and hour, never a row per request).
import type { Db } from "@atrium/db";
import type { AccessExplanation, Action, ExplainPrincipal, SubjectName } from "@atrium/policies";

import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { notFound } from "../../platform/errors.ts";
import { accessExplainerRepository as repo } from "./access-explainer.repository.ts";
import { readableExplanation } from "./access-explainer.sentences.ts";

export const DENIALS_PER_WINDOW = 20;
const DENIAL_WINDOW_SECONDS = 10 * 60;
const PROBE_WINDOW_SECONDS = 60 * 60;

interface Deps {
  db: Db;
}

export function createAccessExplainerService({ db }: Deps) {
  /** One fixed-window counter; true while the count is within `limit`. */
  async function count(key: string, limit: number, windowSeconds: number): Promise<boolean> {
    return (await repo.countHit(db.system, key, windowSeconds)) <= limit;
  }

  return {
    /**
     * Explains the caller's own access, or a member's ("what can Ana do here?"), in sentences
     * that name the workspace and whom to ask (its owners and admins).
     */
    async explain(
      access: WorkspaceAccess,
      who: ExplainPrincipal | { kind: "member-of"; userId: string; asker: "self" | "other" },
      action: Action,
      subject: SubjectName,
    ): Promise<AccessExplanation> {
      return inWorkspace(db, access, async (tx) => {
        const place = await repo.place(tx, access.workspaceId);
        if (who.kind !== "member-of") return readableExplanation(who, action, subject, place);
        const member = await repo.memberWithName(tx, access.workspaceId, who.userId);
        if (!member) throw notFound("Member");
        // "What can I do here?" asks about oneself by id: answered in the second person.
        const name = who.asker === "self" ? undefined : member.user.name;
        return readableExplanation(
          { kind: "member", role: member.role, policies: member.policies, ...(name === undefined ? {} : { name }) },
          action,
          subject,
          place,
        );
      });
    },

    /**
     * Records a FORBIDDEN answer (rate-limited per principal). Never throws: the caller is
     * answering FORBIDDEN anyway, and a failed record must not turn that into a 500.
     */
    async recordDenial(
      access: WorkspaceAccess,
      actor: Actor,
      denial: { operation: string; required: string; message: string },
    ): Promise<void> {
      try {
        const principal = actor.apiKeyId ? `key:${actor.apiKeyId}` : `user:${actor.userId ?? "?"}`;
        if (!(await count(`denial:${access.workspaceId}:${principal}`, DENIALS_PER_WINDOW, DENIAL_WINDOW_SECONDS)))
          return;
        await inWorkspace(db, access, (tx) =>
          recordWorkspaceAudit(tx, access.workspaceId, actor, {
            action: "access.denied",
            ...(actor.apiKeyId ? {} : { actorMembershipId: access.membershipId }),
            data: { operation: denial.operation, required: denial.required, message: denial.message },
          }),
        );
      } catch {
        // Best effort by design (see above).
      }
    },

    /** Counts a non-member's NOT_FOUND answer against the caller's IP (one counter per IP and hour). */
    async countProbe(ip: string | null): Promise<void> {
      try {
        await count(`probe:ip:${ip ?? "unknown"}`, Number.MAX_SAFE_INTEGER, PROBE_WINDOW_SECONDS);
      } catch {
        // Best effort: the answer is NOT_FOUND either way.
      }
    },

    /** Platform view of the probe counters (the current hour's windows), highest first. */
    async probes(): Promise<{ ip: string; count: number; windowEndsAt: Date }[]> {
      const rows = await repo.probeCounters(db.system);
      return rows.map((r) => ({ ip: r.key.slice("probe:ip:".length), count: r.count, windowEndsAt: r.reset_at }));
    },
  };
}

export type AccessExplainerService = ReturnType<typeof createAccessExplainerService>;
