import { useQuery } from "@apollo/client/react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { useAbility } from "../../platform/ability.tsx";
import { describeError, errorCode } from "../../platform/errors.ts";
import { formatTime } from "../../platform/format.ts";
import { Page } from "../../platform/page.tsx";
import { Button } from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { BookingsList } from "../bookings/bookings-list.tsx";
import { ContactErasedNotice } from "../contacts/erased-on-request.tsx";
import { ConversationsDocument } from "../conversations/operations.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { LeadTimeline } from "./lead-timeline.tsx";
import { LeadStatusSelect } from "./leads-page.tsx";
import { LeadDocument, LeadStatusHistoryDocument } from "./operations.ts";

/** Why the product moved a lead (issue 56); in words: the leads namespace's `causes.<cause>`. */
const CAUSES = [
  "MESSAGE_DELIVERED",
  "CALL_CONNECTED",
  "LEAD_REPLIED",
  "BOOKING_MADE",
  "AGENT_UPDATE",
  "MANUAL",
] as const;
const isCause = (cause: string): cause is (typeof CAUSES)[number] => (CAUSES as readonly string[]).includes(cause);
/** The CASL subject "Why can't I?" asks about. */
const LEAD_SUBJECT = "Lead";

/** The lead's status timeline: each change, by hand or as the conversation moved it on. */
function StatusHistory({ workspaceId, leadId }: { workspaceId: string; leadId: string }) {
  const { t } = useTranslation("leads");
  // Mounted anew (keyed by the status) and read from the network when the status changes.
  const { data, error } = useQuery(LeadStatusHistoryDocument, {
    variables: { workspaceId, id: leadId },
    fetchPolicy: "cache-and-network",
  });
  if (error !== undefined) return <p role="alert">{describeError(error).message}</p>;
  if (data === undefined) return <p className="muted">{t("detail.loadingHistory")}</p>;
  if (data.leadStatusHistory.length === 0) return <p className="empty-state">{t("detail.noHistory")}</p>;
  return (
    <ol className="link-list" aria-label={t("detail.historyLabel")}>
      {data.leadStatusHistory.map((change) => (
        <li key={`${change.at}-${change.to}`}>
          <time dateTime={change.at}>{formatTime(change.at)}</time>: {t(`status.${change.from}`)} →{" "}
          {t(`status.${change.to}`)}
          {change.cause !== null && (
            <span className="muted"> · {isCause(change.cause) ? t(`causes.${change.cause}`) : change.cause}</span>
          )}
        </li>
      ))}
    </ol>
  );
}

/**
 * The conversations of a lead's contact. The API has no per-contact filter yet, so this reads
 * the newest page of conversations and keeps the contact's (or the lead's) own.
 */
function ContactConversations({
  workspace,
  contactId,
  leadId,
}: {
  workspace: CurrentWorkspace;
  contactId: string | null;
  leadId: string;
}) {
  const { t } = useTranslation("leads");
  const { data, error } = useQuery(ConversationsDocument, { variables: { workspaceId: workspace.id, first: 100 } });
  if (error !== undefined) return <p role="alert">{describeError(error).message}</p>;
  if (data === undefined) return <p className="muted">{t("detail.loadingConversations")}</p>;
  const own = data.conversations.edges
    .map(({ node }) => node)
    .filter(
      (conversation) =>
        (contactId !== null && conversation.contact?.id === contactId) || conversation.leadId === leadId,
    );
  if (own.length === 0) return <p className="empty-state">{t("detail.noConversations")}</p>;
  return (
    <ul className="link-list">
      {own.map((conversation) => (
        <li key={conversation.id}>
          <Link to={`/w/${workspace.slug}/conversations/${conversation.id}`}>
            {t("detail.conversationOf", { date: formatTime(conversation.createdAt) })}
          </Link>
          {conversation.humanTakeover && <span className="badge badge--warning">{t("detail.humanTakeover")}</span>}
          <span className="muted">
            {" "}
            · {t("detail.lastMessage", { date: formatTime(conversation.lastMessageAt, t("detail.never")) })}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** /w/:slug/leads/:id: the lead, its contact, and the contact's conversations. */
export function LeadDetail({ workspace, leadId }: { workspace: CurrentWorkspace; leadId: string }) {
  const { t } = useTranslation("leads");
  const ability = useAbility();
  const { data, error, refetch } = useQuery(LeadDocument, { variables: { workspaceId: workspace.id, id: leadId } });
  const back = (
    <p>
      <Link to={`/w/${workspace.slug}/leads`}>{t("detail.allLeads")}</Link>
    </p>
  );

  if (data === undefined) {
    if (error !== undefined) {
      return (
        <Page title={errorCode(error) === "NOT_FOUND" ? t("detail.notFound") : t("detail.lead")}>
          {back}
          <div role="alert">
            <p>{describeError(error).message}</p>
            {errorCode(error) !== "NOT_FOUND" && (
              <Button variant="bare" onClick={() => void refetch()}>
                {t("detail.tryAgain")}
              </Button>
            )}
          </div>
        </Page>
      );
    }
    return <p className="page-status">{t("detail.loading")}</p>;
  }

  const lead = data.lead;
  return (
    <Page title={lead.name}>
      {back}
      <dl className="details" aria-label={t("detail.lead")}>
        <dt>{t("detail.status")}</dt>
        <dd>
          {ability.can("update", "Lead") ? (
            <LeadStatusSelect
              workspaceId={workspace.id}
              leadId={lead.id}
              status={lead.status}
              label={t("detail.status")}
            />
          ) : (
            <>
              {t(`status.${lead.status}`)}{" "}
              <WhyCantI
                workspaceId={workspace.id}
                action="update"
                subject={LEAD_SUBJECT}
                label={t("detail.whyCantChange")}
              />
            </>
          )}
        </dd>
        <dt>{t("detail.source")}</dt>
        <dd>{t(`source.${lead.source}`)}</dd>
        <dt>{t("detail.email")}</dt>
        <dd>{lead.email ?? "—"}</dd>
        <dt>{t("detail.phone")}</dt>
        <dd>{lead.phone ?? "—"}</dd>
        <dt>{t("detail.received")}</dt>
        <dd>
          <time dateTime={lead.createdAt}>{formatTime(lead.createdAt)}</time>
        </dd>
        <dt>{t("detail.message")}</dt>
        <dd className="wrap">{lead.message ?? "—"}</dd>
      </dl>

      <section className="section" aria-labelledby="lead-timeline-title">
        <h2 id="lead-timeline-title">{t("detail.timeline")}</h2>
        <LeadTimeline workspace={workspace} leadId={lead.id} />
      </section>

      <section className="section" aria-labelledby="lead-status-history-title">
        <h2 id="lead-status-history-title">{t("detail.statusHistory")}</h2>
        <StatusHistory key={lead.status} workspaceId={workspace.id} leadId={lead.id} />
      </section>

      <section className="section">
        <h2>{t("detail.contact")}</h2>
        {lead.contact && <ContactErasedNotice workspaceId={workspace.id} contactId={lead.contact.id} />}
        {lead.contact ? (
          <dl className="details" aria-label={t("detail.contact")}>
            <dt>{t("detail.name")}</dt>
            <dd>
              <Link to={`/w/${workspace.slug}/contacts/${lead.contact.id}`}>{lead.contact.name}</Link>
            </dd>
            <dt>{t("detail.email")}</dt>
            <dd>{lead.contact.email ?? "—"}</dd>
            <dt>{t("detail.phone")}</dt>
            <dd>{lead.contact.phone ?? "—"}</dd>
            <dt>{t("detail.knownSince")}</dt>
            <dd>
              <time dateTime={lead.contact.createdAt}>{formatTime(lead.contact.createdAt)}</time>
            </dd>
          </dl>
        ) : (
          <p className="empty-state">{t("detail.noContactAccess")}</p>
        )}
      </section>

      <section className="section" aria-labelledby="lead-bookings-title">
        <h2 id="lead-bookings-title">{t("detail.consultation")}</h2>
        <BookingsList workspace={workspace} leadId={lead.id} hideLead />
      </section>

      {ability.can("read", "Conversation") && (
        <section className="section">
          <h2>{t("detail.conversations")}</h2>
          <ContactConversations workspace={workspace} contactId={lead.contact?.id ?? null} leadId={lead.id} />
        </section>
      )}
    </Page>
  );
}
