// WhatsApp's rules in the data (issue 56): the contact's 24-hour window and the approved templates
// a business-initiated message is sent with. Prisma only; the decisions are messaging.service's.
import type { TenantTx } from "@atrium/db";
import { insideWhatsAppWindow, renderWhatsAppTemplate, templateVariables } from "@atrium/validation";

export interface TemplateSend {
  /** The text the recipient reads (stored as the message's body). */
  body: string;
  template: { contentSid: string; variables: Record<string, string> };
}

/** What a template says to one contact: its rendered text and Twilio's ContentVariables. */
export function renderFor(
  t: { contentSid: string; body: string; variables: string[] },
  contact: { name: string; email: string | null; phone: string | null },
  business: { workspaceName: string; agentName: string | null },
): TemplateSend {
  const variables = templateVariables(t.variables, {
    name: contact.name,
    email: contact.email,
    phone: contact.phone,
    business: business.workspaceName,
    agent: business.agentName,
  });
  return { body: renderWhatsAppTemplate(t.body, variables), template: { contentSid: t.contentSid, variables } };
}

export const whatsappRepository = {
  /** The contact wrote to us at `at`: the window for free text runs from the latest such time. */
  async noteInbound(tx: TenantTx, workspaceId: string, contactId: string, at: Date): Promise<void> {
    await tx.contact.updateMany({
      where: { workspaceId, id: contactId, OR: [{ lastInboundAt: null }, { lastInboundAt: { lt: at } }] },
      data: { lastInboundAt: at },
    });
  },

  /**
   * The agent's opening message to a new lead's contact as a template: null when free text may go
   * (the contact wrote within 24 hours) or the workspace chose no opening template (the send then
   * fails visibly with TEMPLATE_REQUIRED).
   */
  async openingTemplateFor(
    tx: TenantTx,
    workspaceId: string,
    contactId: string,
    business: { workspaceName: string; agentName: string | null },
  ): Promise<TemplateSend | null> {
    const contact = await tx.contact.findUnique({
      where: { workspaceId_id: { workspaceId, id: contactId } },
      select: { name: true, email: true, phone: true, lastInboundAt: true },
    });
    if (!contact || insideWhatsAppWindow(contact.lastInboundAt)) return null;
    const t = await tx.messageTemplate.findFirst({ where: { workspaceId, useForOpening: true } });
    return t ? renderFor(t, contact, business) : null;
  },
};
