// WhatsApp templates (issue 56): the workspace's approved Twilio Content templates, the opening
// template, and a person's template message to a contact outside the 24-hour window.

import type { Db } from "@atrium/db";
import { fieldProblems, messageTemplateForm } from "@atrium/validation";

import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { badInput, conflict, isFkViolation, isUniqueViolation, notFound } from "../../platform/errors.ts";
import { QUEUES } from "../../platform/jobs/job-queue.ts";
import { conversationsRepository } from "../conversations/conversations.repository.ts";
import { authorizeSend, toMessageView } from "../conversations/conversations.service.ts";
import type { MessageView } from "../conversations/conversations.types.ts";
import { messagingRepository } from "../messaging/messaging.repository.ts";
import type { MessagingService } from "../messaging/messaging.service.ts";
import { renderFor } from "../messaging/whatsapp.repository.ts";
import { templatesRepository as repo } from "./templates.repository.ts";
import type { MessageTemplateInput, MessageTemplateView } from "./templates.types.ts";

type Row = {
  id: string;
  name: string;
  contentSid: string;
  body: string;
  variables: string[];
  useForOpening: boolean;
  createdAt: Date;
};
const toView = (t: Row): MessageTemplateView => ({
  id: t.id,
  name: t.name,
  contentSid: t.contentSid,
  body: t.body,
  variables: t.variables,
  useForOpening: t.useForOpening,
  createdAt: t.createdAt,
});

function checked(input: MessageTemplateInput) {
  const value = {
    name: input.name.trim(),
    contentSid: input.contentSid.trim(),
    body: input.body.trim(),
    variables: input.variables,
  };
  const fields = fieldProblems(messageTemplateForm, value);
  if (Object.keys(fields).length > 0) throw badInput(Object.values(fields)[0]!, fields);
  return value;
}

const sameName = (err: unknown): never => {
  if (isUniqueViolation(err)) throw conflict("A template with this name exists already.", { name: "is taken" });
  throw err;
};

export function createTemplatesService({
  db,
  messaging,
}: {
  db: Db;
  messaging: Pick<MessagingService, "queueOutbound" | "notify">;
}) {
  async function load(tx: Parameters<Parameters<typeof inWorkspace>[2]>[0], workspaceId: string, id: string) {
    if (!UUID_RE.test(id)) throw notFound("Template");
    const t = await repo.find(tx, workspaceId, id);
    if (!t) throw notFound("Template");
    return t;
  }

  return {
    list(access: WorkspaceAccess): Promise<MessageTemplateView[]> {
      return inWorkspace(db, access, async (tx) => (await repo.list(tx, access.workspaceId)).map(toView));
    },

    create(access: WorkspaceAccess, input: MessageTemplateInput, actor: Actor): Promise<MessageTemplateView> {
      const data = checked(input);
      return inWorkspace(db, access, async (tx) => {
        if (input.useForOpening) await repo.clearOpening(tx, access.workspaceId);
        const t = await repo
          .create(tx, { workspaceId: access.workspaceId, ...data, useForOpening: input.useForOpening ?? false })
          .catch(sameName);
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "template.created",
          actorMembershipId: access.membershipId,
          targetType: "MessageTemplate",
          targetId: t.id,
          data: { name: t.name, useForOpening: t.useForOpening },
        });
        return toView(t);
      });
    },

    update(
      access: WorkspaceAccess,
      id: string,
      input: MessageTemplateInput,
      actor: Actor,
    ): Promise<MessageTemplateView> {
      const data = checked(input);
      return inWorkspace(db, access, async (tx) => {
        const current = await load(tx, access.workspaceId, id);
        const useForOpening = input.useForOpening ?? current.useForOpening;
        if (useForOpening) await repo.clearOpening(tx, access.workspaceId, id);
        const t = await repo.update(tx, access.workspaceId, id, { ...data, useForOpening }).catch(sameName);
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "template.updated",
          actorMembershipId: access.membershipId,
          targetType: "MessageTemplate",
          targetId: id,
          data: { name: t.name, useForOpening },
        });
        return toView(t);
      });
    },

    /** Refused (CONFLICT) while a campaign uses it; queued messages keep their own copy. */
    remove(access: WorkspaceAccess, id: string, actor: Actor): Promise<boolean> {
      return inWorkspace(db, access, async (tx) => {
        const current = await load(tx, access.workspaceId, id);
        const users = await repo.campaignsUsing(tx, access.workspaceId, id);
        if (users.length > 0)
          throw conflict(
            `Campaigns use this template (${users.map((c) => c.name).join(", ")}); delete them or choose another template first.`,
            { id: "in use" },
          );
        await repo.remove(tx, access.workspaceId, id).catch((err: unknown) => {
          if (isFkViolation(err)) throw conflict("A campaign started using this template meanwhile.", { id: "in use" });
          throw err;
        });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "template.deleted",
          actorMembershipId: access.membershipId,
          targetType: "MessageTemplate",
          targetId: id,
          data: { name: current.name },
        });
        return true;
      });
    },

    /**
     * A person's template message (message.send, in a conversation they took over): how to reach
     * a contact outside WhatsApp's 24-hour window. Through the same outbox as every send.
     */
    async send(
      access: WorkspaceAccess,
      conversationId: string,
      templateId: string,
      actor: Actor,
    ): Promise<MessageView> {
      if (!UUID_RE.test(conversationId)) throw notFound("Conversation");
      const { view, queued } = await inWorkspace(db, access, async (tx) => {
        const c = await conversationsRepository.findRow(tx, access.workspaceId, conversationId);
        if (!c) throw notFound("Conversation");
        authorizeSend(access, c, "Take over the conversation before sending a message yourself.");
        const t = await load(tx, access.workspaceId, templateId);
        const conv = await messagingRepository.conversation(tx, access.workspaceId, conversationId);
        const ws = await messagingRepository.workspace(tx, access.workspaceId);
        if (!conv || !ws) throw notFound("Conversation");
        const rendered = renderFor(t, conv.contact, ws);
        const { message, queued } = await messaging.queueOutbound(tx, {
          workspaceId: access.workspaceId,
          conversationId,
          body: rendered.body,
          template: rendered.template,
          sender: "MEMBER",
          senderMembershipId: access.membershipId,
          refuse: true,
        });
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: "message.template_sent",
          actorMembershipId: access.membershipId,
          targetType: "Message",
          targetId: message.id,
          data: { conversationId, template: t.name, status: message.status },
        });
        return { view: toMessageView(message), queued };
      });
      if (queued) messaging.notify([QUEUES.sendMessage]);
      return view;
    },
  };
}

export type TemplatesService = ReturnType<typeof createTemplatesService>;
