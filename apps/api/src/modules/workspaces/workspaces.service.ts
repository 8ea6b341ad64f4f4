// Workspaces (W1, W2, W13). All reads and writes go through the tenant client; creation sets
// app.workspace_id to the new id first, so the RLS WITH CHECK accepts exactly that row.
import { randomUUID } from "node:crypto";

import type { Db } from "@atrium/db";
import { packAbility } from "@atrium/policies";

import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { accessFromMembership, accessIn, inWorkspace, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { inTenant, type Caller } from "../../platform/data.ts";
import { badInput, conflict, isUniqueViolation, notFound } from "../../platform/errors.ts";
import { deriveSlug, slugCandidate, slugProblem } from "./slug.ts";
import { workspacesRepository as repo, type WorkspaceRow } from "./workspaces.repository.ts";
import type {
  Channel,
  CreateWorkspaceInput,
  Environment,
  MembershipRole,
  MembershipView,
  WorkspaceView,
} from "./workspaces.types.ts";

export function toWorkspaceView(ws: WorkspaceRow, access: WorkspaceAccess): WorkspaceView {
  return {
    id: ws.id,
    slug: ws.slug,
    name: ws.name,
    description: ws.description,
    channel: ws.channel as Channel,
    environment: ws.environment as Environment,
    agentPaused: ws.agentPaused,
    retentionDays: ws.retentionDays,
    agentName: ws.agentName,
    agentRole: ws.agentRole,
    agentTone: ws.agentTone,
    qualificationQuestions: ws.qualificationQuestions,
    requireStepUp: ws.requireStepUp,
    stepUpLifetimeMinutes: ws.stepUpLifetimeMinutes,
    createdAt: ws.createdAt,
    myRole: access.role as MembershipRole,
    myPolicies: [...access.policies],
    permissions: packAbility(access.ability),
  };
}

const MAX_SLUG_ATTEMPTS = 20;

/** A slug another workspace retired less than 30 days ago (W3). */
export class SlugReserved extends Error {}

export function createWorkspacesService({ db }: { db: Db }) {
  async function insert(
    userId: string,
    input: CreateWorkspaceInput,
    slug: string,
    actor: Actor,
  ): Promise<WorkspaceView> {
    const id = randomUUID();
    return inTenant(db, actor, { userId, workspaceId: id }, async (tx) => {
      if (await repo.slugReservedForOther(tx, slug, id)) throw new SlugReserved();
      const ws = await repo.create(tx, {
        id,
        slug,
        name: input.name.trim(),
        description: input.description?.trim() || null,
        channel: input.channel,
        environment: input.environment ?? "DEVELOPMENT",
      });
      const membership = await repo.createMembership(tx, { workspaceId: id, userId, role: "OWNER", policies: [] });
      await recordWorkspaceAudit(tx, id, actor, {
        action: "workspace.created",
        actorMembershipId: membership.id,
        targetType: "Workspace",
        targetId: id,
        data: { slug, name: ws.name, channel: ws.channel, environment: ws.environment },
      });
      return toWorkspaceView(ws, accessFromMembership(membership));
    });
  }

  return {
    async create(userId: string, input: CreateWorkspaceInput, actor: Actor): Promise<WorkspaceView> {
      if (input.slug != null && input.slug !== "") {
        const slug = input.slug.trim();
        const problem = slugProblem(slug);
        if (problem) throw badInput(problem, { slug: problem });
        try {
          return await insert(userId, input, slug, actor);
        } catch (err) {
          if (isUniqueViolation(err) || err instanceof SlugReserved)
            throw conflict(`The slug "${slug}" is taken. Choose another.`, { slug: "taken" });
          throw err;
        }
      }
      // Derived slug: try base, base-2, … (a race with another creator just moves to the next).
      const base = deriveSlug(input.name);
      for (let attempt = 1; attempt <= MAX_SLUG_ATTEMPTS; attempt++) {
        try {
          return await insert(userId, input, slugCandidate(base, attempt), actor);
        } catch (err) {
          if (!isUniqueViolation(err) && !(err instanceof SlugReserved)) throw err;
        }
      }
      throw conflict("Could not find a free slug for this name; choose one.", { slug: "taken" });
    },

    /** A fresh (uncached) access for the user, e.g. right after their membership changed. */
    async accessFor(userId: string, workspaceId: string, caller: Caller): Promise<WorkspaceAccess | null> {
      const m = await inTenant(db, caller, { userId, workspaceId }, (tx) => repo.membership(tx, workspaceId, userId));
      return m ? accessIn(accessFromMembership(m), caller) : null;
    },

    async getBySlug(access: WorkspaceAccess): Promise<WorkspaceView> {
      const ws = await inWorkspace(db, access, (tx) => repo.find(tx, access.workspaceId));
      if (!ws) throw notFound("Workspace");
      return toWorkspaceView(ws, access);
    },

    /** The user's own memberships, newest workspace last; one query whatever the count. */
    async listMemberships(userId: string, caller: Caller): Promise<MembershipView[]> {
      const rows = await inTenant(db, caller, { userId }, (tx) => repo.membershipsOfUser(tx, userId));
      return rows.map((m) => {
        const access = accessFromMembership(m);
        return {
          role: m.role as MembershipRole,
          policies: [...access.policies],
          workspace: toWorkspaceView(m.workspace, access),
        };
      });
    },
  };
}

export type WorkspacesService = ReturnType<typeof createWorkspacesService>;
