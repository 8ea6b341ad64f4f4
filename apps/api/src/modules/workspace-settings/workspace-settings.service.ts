// Workspace settings and lifecycle (W3, W4, W7, W8, W9, W10). Every change runs in the
// workspace's tenant transaction with its audit event.
import type { Db } from "@atrium/db";
import {
  DEFAULT_OPENING_MESSAGE_TEMPLATE,
  OPENING_MESSAGE_VARIABLES,
  testChatProblem,
  VAPI_TOOLS,
} from "@atrium/validation";

import type { AppConfig } from "../../env.ts";
import { recordPlatformAudit, recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { authorizeRow } from "../../platform/authz/accessible.ts";
import { AppError, badInput, conflict, ErrorCode, isUniqueViolation, notFound } from "../../platform/errors.ts";
import type { IntegrationsService, ProviderAdapters } from "../integrations/integrations.service.ts";
import { IntegrationProvider } from "../integrations/integrations.types.ts";
import { ProviderError } from "../integrations/providers/provider-error.ts";
import { systemPrompt, vapiAssistantOverrides } from "../messaging/agent-prompt.ts";
import { messagingRepository } from "../messaging/messaging.repository.ts";
import { NOT_SENT } from "../messaging/not-sent.ts";
import { slugProblem } from "../workspaces/slug.ts";
import { toWorkspaceView } from "../workspaces/workspaces.service.ts";
import type { Environment, WorkspaceView } from "../workspaces/workspaces.types.ts";
import { environmentWarnings } from "./environment-policy.ts";
import { workspaceSettingsRepository as repo } from "./workspace-settings.repository.ts";
import {
  TestChatRole,
  type AgentKnowledgeInput,
  type AgentPersonaInput,
  type AgentSettingsView,
  type AuthDiagnostics,
  type EnvironmentChangePreview,
  type TestChatLeadInput,
  type TestChatMessageInput,
  type UpdateWorkspaceInput,
} from "./workspace-settings.types.ts";

/** Variables every Vapi call starts with (`vapiAssistantOverrides`), listed on the voice settings. */
const VAPI_VARIABLES = Object.keys(
  vapiAssistantOverrides(
    {
      workspaceName: "",
      agentName: null,
      agentRole: null,
      agentTone: null,
      qualificationQuestions: [],
      openingMessageTemplate: null,
      knowledge: { hours: null, services: null, prices: null, faqs: null },
    },
    { name: "", message: null },
  ).variableValues,
);

export function createWorkspaceSettingsService({
  config,
  db,
  integrations,
  providers,
}: {
  config: AppConfig;
  db: Db;
  integrations?: Pick<IntegrationsService, "credentials">;
  providers?: Pick<ProviderAdapters, "openai">;
}) {
  const mustUpdate = (access: WorkspaceAccess) => {
    authorizeRow(access.ability, "update", "Workspace", { workspaceId: access.workspaceId });
  };

  /** Issue 56: the opening message, the business knowledge and (voice) what Vapi needs. */
  async function agentSettings(access: WorkspaceAccess): Promise<AgentSettingsView> {
    mustUpdate(access);
    const ws = await inWorkspace(db, access, (tx) => repo.get(tx, access.workspaceId));
    const voice = ws.channel === "VOICE";
    return {
      openingMessageTemplate: ws.openingMessageTemplate ?? DEFAULT_OPENING_MESSAGE_TEMPLATE,
      openingMessageIsDefault: ws.openingMessageTemplate === null,
      defaultOpeningMessageTemplate: DEFAULT_OPENING_MESSAGE_TEMPLATE,
      templateVariables: OPENING_MESSAGE_VARIABLES.map((v) => ({ ...v })),
      knowledge: {
        hours: ws.knowledgeHours,
        services: ws.knowledgeServices,
        prices: ws.knowledgePrices,
        faqs: ws.knowledgeFaqs,
      },
      vapiServerUrl: voice ? `${config.publicUrl}/webhooks/vapi/${ws.id}` : null,
      vapiTools: voice
        ? VAPI_TOOLS.map((t) => ({
            name: t.name,
            description: t.description,
            parameters: JSON.stringify(t.parameters),
          }))
        : [],
      vapiVariables: voice ? VAPI_VARIABLES : [],
    };
  }

  return {
    async update(access: WorkspaceAccess, input: UpdateWorkspaceInput, actor: Actor): Promise<WorkspaceView> {
      mustUpdate(access);
      const data: { name?: string; slug?: string; description?: string | null } = {};
      if (input.name != null) data.name = input.name.trim();
      if (input.description !== undefined) data.description = input.description?.trim() || null;
      if (input.slug != null) {
        const slug = input.slug.trim();
        const problem = slugProblem(slug);
        if (problem) throw badInput(problem, { slug: problem });
        data.slug = slug;
      }
      try {
        return await inWorkspace(db, access, async (tx) => {
          const before = await repo.get(tx, access.workspaceId);
          if (
            data.slug &&
            data.slug !== before.slug &&
            (await repo.slugReservedForOther(tx, data.slug, access.workspaceId))
          ) {
            throw conflict(`The slug "${data.slug}" is taken. Choose another.`, { slug: "taken" });
          }
          const ws = await repo.update(tx, access.workspaceId, data);
          await recordWorkspaceAudit(tx, access.workspaceId, actor, {
            action: "workspace.updated",
            actorMembershipId: access.membershipId,
            targetType: "Workspace",
            targetId: access.workspaceId,
            data: { from: { name: before.name, slug: before.slug, description: before.description }, to: data },
          });
          return toWorkspaceView(ws, access);
        });
      } catch (err) {
        if (isUniqueViolation(err))
          throw conflict(`The slug "${data.slug}" is taken. Choose another.`, { slug: "taken" });
        throw err;
      }
    },

    /**
     * W4: while paused, leads still arrive; every outbound send is stored as SUPPRESSED. Pausing
     * also stops, in its transaction, every send decided before and not yet handed to the
     * provider (held by the quota, or queued and never attempted): none goes out after a resume
     * or a quota release (issue 56). A send job already past its claim is the job's; the job
     * checks the switch again when it runs.
     */
    async setAgentPaused(access: WorkspaceAccess, paused: boolean, actor: Actor): Promise<WorkspaceView> {
      mustUpdate(access);
      return inWorkspace(db, access, async (tx) => {
        const ws = await repo.update(tx, access.workspaceId, { agentPaused: paused });
        if (paused) {
          await messagingRepository.stopUnsentMessages(tx, access.workspaceId, {}, NOT_SENT.agentPaused);
          await messagingRepository.stopUnsentCalls(tx, access.workspaceId, NOT_SENT.agentPaused);
        }
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: paused ? "agent.paused" : "agent.resumed",
          actorMembershipId: access.membershipId,
          targetType: "Workspace",
          targetId: access.workspaceId,
        });
        return toWorkspaceView(ws, access);
      });
    },

    async setPersona(access: WorkspaceAccess, input: AgentPersonaInput, actor: Actor): Promise<WorkspaceView> {
      mustUpdate(access);
      const questions = input.qualificationQuestions.map((q) => q.trim());
      return inWorkspace(db, access, async (tx) => {
        const ws = await repo.update(tx, access.workspaceId, {
          agentName: input.agentName.trim(),
          agentRole: input.agentRole.trim(),
          agentTone: input.tone,
          qualificationQuestions: questions,
        });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "agent.persona_updated",
          actorMembershipId: access.membershipId,
          targetType: "Workspace",
          targetId: access.workspaceId,
          data: { agentName: ws.agentName, tone: ws.agentTone, questions: questions.length },
        });
        return toWorkspaceView(ws, access);
      });
    },

    agentSettings,

    /** Issue 56: fields left out keep their value; null or blank clears one (the template: back to the default). Audited. */
    async updateAgentKnowledge(
      access: WorkspaceAccess,
      input: AgentKnowledgeInput,
      actor: Actor,
    ): Promise<AgentSettingsView> {
      mustUpdate(access);
      const clean = (v: string | null | undefined) => (v === undefined ? undefined : v?.trim() ? v.trim() : null);
      const data = {
        openingMessageTemplate: clean(input.openingMessageTemplate),
        knowledgeHours: clean(input.hours),
        knowledgeServices: clean(input.services),
        knowledgePrices: clean(input.prices),
        knowledgeFaqs: clean(input.faqs),
      };
      const changed = Object.entries(data)
        .filter(([, v]) => v !== undefined)
        .map(([k]) => k);
      await inWorkspace(db, access, async (tx) => {
        await repo.update(tx, access.workspaceId, data);
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "agent.knowledge_updated",
          actorMembershipId: access.membershipId,
          targetType: "Workspace",
          targetId: access.workspaceId,
          data: { changed },
        });
      });
      return agentSettings(access);
    },

    /**
     * Issue 56: the agent's answer to a test conversation, built exactly as a lead's reply is (the
     * same prompt builder with the persona, knowledge and the pretend lead's form message, the
     * same OpenAI client) — but nothing is stored and nothing reaches Twilio or Vapi. OpenAI calls
     * are not metered by the plans (only sent messages and calls are), so neither is this one.
     */
    async testAgentChat(
      access: WorkspaceAccess,
      messages: TestChatMessageInput[],
      lead: TestChatLeadInput | null,
    ): Promise<string> {
      mustUpdate(access);
      const problem = testChatProblem(messages);
      if (problem) throw badInput(problem, { messages: problem });
      if (!integrations || !providers)
        throw new AppError(ErrorCode.BAD_USER_INPUT, "The test chat is not available here.", {
          reason: "TEST_CHAT_UNAVAILABLE",
        });
      const ctx = await inWorkspace(db, access, async (tx) => ({
        persona: await messagingRepository.workspace(tx, access.workspaceId),
        openai: await integrations.credentials(tx, access.workspaceId, IntegrationProvider.OPENAI),
      }));
      if (!ctx.persona) throw notFound("Workspace");
      if (!ctx.openai)
        throw new AppError(
          ErrorCode.BAD_USER_INPUT,
          "Connect OpenAI first (Settings → Integrations): the agent writes its replies with it.",
          { reason: "OPENAI_NOT_CONFIGURED" },
        );
      const pretend = { name: lead?.name.trim() || "Test lead", message: lead?.message?.trim() || null };
      try {
        return await providers.openai.complete(ctx.openai, [
          {
            role: "system",
            content: systemPrompt(ctx.persona, pretend, ctx.persona.channel === "VOICE" ? "VOICE" : "WHATSAPP"),
          },
          ...messages.map((m) => ({
            role: m.role === TestChatRole.USER ? ("user" as const) : ("assistant" as const),
            content: m.content,
          })),
        ]);
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        if (err.retryable)
          throw new AppError(
            ErrorCode.SERVICE_UNAVAILABLE,
            `OpenAI did not answer: ${err.describe()} Try again in a moment.`,
            { reason: "PROVIDER_UNAVAILABLE", retryAfterSeconds: 5 },
          );
        throw new AppError(ErrorCode.BAD_USER_INPUT, `OpenAI refused the request: ${err.describe()}`, {
          reason: "PROVIDER_REFUSED",
        });
      }
    },

    async previewEnvironmentChange(access: WorkspaceAccess, to: Environment): Promise<EnvironmentChangePreview> {
      mustUpdate(access);
      const ws = await inWorkspace(db, access, (tx) => repo.environment(tx, access.workspaceId));
      const from = ws.environment as Environment;
      return { from, to, warnings: environmentWarnings(from, to) };
    },

    async changeEnvironment(
      access: WorkspaceAccess,
      to: Environment,
      confirm: boolean,
      actor: Actor,
    ): Promise<WorkspaceView> {
      mustUpdate(access);
      return inWorkspace(db, access, async (tx) => {
        const before = await repo.get(tx, access.workspaceId);
        const warnings = environmentWarnings(before.environment as Environment, to);
        if (!confirm && warnings.length > 0) {
          throw new AppError(
            ErrorCode.BAD_USER_INPUT,
            "Confirm the changes first: review previewEnvironmentChange and call again with confirm: true.",
            { reason: "CONFIRMATION_REQUIRED", warnings },
          );
        }
        const ws = await repo.update(tx, access.workspaceId, { environment: to });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "workspace.environment_changed",
          actorMembershipId: access.membershipId,
          targetType: "Workspace",
          targetId: access.workspaceId,
          data: { from: before.environment, to, warnings },
        });
        return toWorkspaceView(ws, access);
      });
    },

    async setRetention(access: WorkspaceAccess, days: number | null, actor: Actor): Promise<WorkspaceView> {
      mustUpdate(access);
      if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650))
        throw badInput("Retention is 1–3650 days, or forever.", { retentionDays: "out of range" });
      return inWorkspace(db, access, async (tx) => {
        const ws = await repo.update(tx, access.workspaceId, { retentionDays: days });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "workspace.retention_changed",
          actorMembershipId: access.membershipId,
          targetType: "Workspace",
          targetId: access.workspaceId,
          data: { retentionDays: days },
        });
        return toWorkspaceView(ws, access);
      });
    },

    /** S7: whether members need a recent second factor here, and for how long one lasts. Audited. */
    async setSecurity(
      access: WorkspaceAccess,
      input: { requireStepUp: boolean; stepUpLifetimeMinutes?: number | null },
      actor: Actor,
    ): Promise<WorkspaceView> {
      mustUpdate(access);
      const lifetime = input.stepUpLifetimeMinutes;
      if (
        lifetime !== undefined &&
        lifetime !== null &&
        (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > 1440)
      ) {
        throw badInput("A verification lasts 1–1440 minutes.", { stepUpLifetimeMinutes: "out of range" });
      }
      return inWorkspace(db, access, async (tx) => {
        const before = await repo.security(tx, access.workspaceId);
        if (!before) throw notFound("Workspace");
        const ws = await repo.update(tx, access.workspaceId, {
          requireStepUp: input.requireStepUp,
          ...(lifetime ? { stepUpLifetimeMinutes: lifetime } : {}),
        });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "workspace.security_changed",
          actorMembershipId: access.membershipId,
          targetType: "Workspace",
          targetId: access.workspaceId,
          data: { before, after: { requireStepUp: ws.requireStepUp, stepUpLifetimeMinutes: ws.stepUpLifetimeMinutes } },
        });
        return toWorkspaceView(ws, access);
      });
    },

    diagnostics(access: WorkspaceAccess): AuthDiagnostics {
      mustUpdate(access);
      return {
        signingSecretConfigured: config.authSecretFromEnv,
        integrationsKeyConfigured: config.integrationsKeyPresent,
      };
    },

    /**
     * W9: owner only, typed slug. One transaction: the workspace row goes and every tenant row
     * with it (ON DELETE CASCADE from workspaces), its retired slugs are freed, and a
     * platform-level audit record of the deletion remains.
     */
    async delete(access: WorkspaceAccess, confirmSlug: string, actor: Actor): Promise<boolean> {
      authorizeRow(
        access.ability,
        "delete",
        "Workspace",
        { workspaceId: access.workspaceId },
        "Only an owner can delete the workspace.",
      );
      return inWorkspace(db, access, async (tx) => {
        const ws = await repo.find(tx, access.workspaceId);
        if (!ws) throw notFound("Workspace");
        if (confirmSlug !== ws.slug)
          throw badInput("Type the workspace's slug exactly to confirm.", { confirmSlug: "does not match" });
        await repo.delete(tx, access.workspaceId);
        await recordPlatformAudit(tx, actor, {
          action: "workspace.deleted",
          workspaceId: ws.id,
          data: { slug: ws.slug, name: ws.name, channel: ws.channel },
        });
        return true;
      });
    },
  };
}

export type WorkspaceSettingsService = ReturnType<typeof createWorkspaceSettingsService>;
