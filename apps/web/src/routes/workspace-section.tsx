import { WhyCantI } from "../features/access/why-cant-i.tsx";
import { type ReactNode } from "react";
import { useParams } from "react-router";
import { ApiKeysPage } from "../features/api-keys/api-keys-page.tsx";
import { AuditLog } from "../features/audit/audit-log.tsx";
import { BookingsList } from "../features/bookings/bookings-list.tsx";
import { ContactsPage } from "../features/contacts/contacts-page.tsx";
import { PhoneNumbersPage } from "../features/phone-numbers/phone-numbers-page.tsx";
import { WebhooksPage } from "../features/webhooks/webhooks-page.tsx";
import { AnalyticsPage } from "../features/analytics/analytics-page.tsx";
import { CampaignsPage } from "../features/campaigns/campaigns-page.tsx";
import { UsagePage } from "../features/usage/usage-page.tsx";
import { InboxPage } from "../features/conversations/inbox-page.tsx";
import { LeadDetail } from "../features/leads/lead-detail.tsx";
import { LeadsPage } from "../features/leads/leads-page.tsx";
import { MembersPage } from "../features/members/members-page.tsx";
import { ReviewPage } from "../features/review/review-page.tsx";
import { SafetyRulesPage } from "../features/safety/safety-rules-page.tsx";
import { SettingsPage } from "../features/settings/settings-page.tsx";
import { WhatsAppTemplatesPage } from "../features/settings/whatsapp-templates-page.tsx";
import { type WorkspaceSectionPath, findSection } from "../features/workspaces/workspace-sections.ts";
import { type CurrentWorkspace, useCurrentWorkspace } from "../features/workspaces/workspace-shell.tsx";
import { useAbility } from "../platform/ability.tsx";
import { Page } from "../platform/page.tsx";
import { useTranslation } from "react-i18next";

/**
 * Opening a section's URL directly does not bypass the navigation rule: without the ability
 * the page says so (and the API would refuse the data anyway).
 */
function SectionGate({ path, children }: { path: WorkspaceSectionPath; children: (workspace: CurrentWorkspace) => ReactNode }) {
  const { t } = useTranslation("common");
  const workspace = useCurrentWorkspace();
  const ability = useAbility();
  const section = findSection(path);
  if (!section.allowed(ability)) {
    return (
      <Page title={t(`sections.${path}`)}>
        <p role="alert">{t("sectionGate.noAccess", { section: t(`sections.${path}`).toLowerCase() })}</p>
        <WhyCantI workspaceId={workspace.id} action={section.need.action} subject={section.need.subject} />
      </Page>
    );
  }
  return children(workspace);
}

function sectionContent(path: WorkspaceSectionPath, workspace: CurrentWorkspace): ReactNode {
  switch (path) {
    case "leads":
      return <LeadsPage workspace={workspace} />;
    case "contacts":
      return <ContactsPage workspace={workspace} />;
    case "phone-numbers":
      return <PhoneNumbersPage workspace={workspace} />;
    case "webhooks":
      return <WebhooksPage workspace={workspace} />;
    case "conversations":
      // Never reached: the inbox has its own route (InboxRoutePage) with its own heading.
      return null;
    case "review":
      return <ReviewPage workspace={workspace} />;
    case "safety":
      return <SafetyRulesPage workspace={workspace} />;
    case "bookings":
      return <BookingsList workspace={workspace} />;
    case "campaigns":
      return <CampaignsPage workspace={workspace} />;
    case "analytics":
      return <AnalyticsPage workspace={workspace} />;
    case "usage":
      return <UsagePage workspace={workspace} />;
    case "members":
      return <MembersPage workspace={workspace} />;
    case "api-keys":
      return <ApiKeysPage workspace={workspace} />;
    case "audit-log":
      return <AuditLog workspaceId={workspace.id} />;
    case "settings":
      return <SettingsPage workspace={workspace} />;
  }
}

/** One workspace section (its list page). */
export function WorkspaceSectionPage({ path }: { path: WorkspaceSectionPath }) {
  const { t } = useTranslation("common");
  return (
    <SectionGate path={path}>
      {(workspace) => <Page title={t(`sections.${path}`)}>{sectionContent(path, workspace)}</Page>}
    </SectionGate>
  );
}

/** /w/:slug/leads/:id */
export function LeadDetailPage() {
  const { id = "" } = useParams();
  return <SectionGate path="leads">{(workspace) => <LeadDetail key={id} workspace={workspace} leadId={id} />}</SectionGate>;
}

/**
 * /w/:slug/conversations and /w/:slug/conversations/:id: one route for both, so the inbox stays
 * mounted (filters, scroll, live list) while conversations open beside it. The inbox renders its
 * own heading and document title (the conversation's, when one is open).
 */
export function InboxRoutePage() {
  const { id } = useParams();
  return <SectionGate path="conversations">{(workspace) => <InboxPage workspace={workspace} selectedId={id} />}</SectionGate>;
}

/** /w/:slug/settings/whatsapp-templates: a page of the settings, behind the settings' gate. */
export function WhatsAppTemplatesRoutePage() {
  const { t } = useTranslation("common");
  return (
    <SectionGate path="settings">
      {(workspace) => (
        <Page title={t("pages.whatsAppTemplates")}>
          <WhatsAppTemplatesPage workspace={workspace} />
        </Page>
      )}
    </SectionGate>
  );
}
