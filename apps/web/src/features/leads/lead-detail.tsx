import { WhyCantI } from "../access/why-cant-i.tsx";
import { useQuery } from "@apollo/client/react";
import { Link } from "react-router";
import { useAbility } from "../../platform/ability.tsx";
import { describeError, errorCode } from "../../platform/errors.ts";
import { formatTime } from "../../platform/format.ts";
import { Page } from "../../platform/page.tsx";
import { BookingsList } from "../bookings/bookings-list.tsx";
import { ConversationsDocument } from "../conversations/operations.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { LEAD_SOURCE_LABELS, LEAD_STATUS_LABELS } from "./labels.ts";
import { LeadStatusSelect } from "./leads-page.tsx";
import { LeadTimeline } from "./lead-timeline.tsx";
import { LeadDocument, LeadStatusHistoryDocument } from "./operations.ts";

/** Why the product moved a lead (issue 56), in words. */
const CAUSES: Record<string, string> = {
  MESSAGE_DELIVERED: "a message was delivered",
  CALL_CONNECTED: "a call connected",
  LEAD_REPLIED: "the lead replied",
  BOOKING_MADE: "a consultation was booked",
  AGENT_UPDATE: "the voice agent updated it",
  MANUAL: "changed by hand",
};

/** The lead's status timeline: each change, by hand or as the conversation moved it on. */
function StatusHistory({ workspaceId, leadId }: { workspaceId: string; leadId: string }) {
  // Mounted anew (keyed by the status) and read from the network when the status changes.
  const { data, error } = useQuery(LeadStatusHistoryDocument, { variables: { workspaceId, id: leadId }, fetchPolicy: "cache-and-network" });
  if (error !== undefined) return <p role="alert">{describeError(error).message}</p>;
  if (data === undefined) return <p className="muted">Loading the status history…</p>;
  if (data.leadStatusHistory.length === 0) return <p className="empty-state">No status changes yet.</p>;
  return (
    <ol className="link-list" aria-label="Status history">
      {data.leadStatusHistory.map((change) => (
        <li key={`${change.at}-${change.to}`}>
          <time dateTime={change.at}>{formatTime(change.at)}</time>: {LEAD_STATUS_LABELS[change.from]} → {LEAD_STATUS_LABELS[change.to]}
          {change.cause !== null && <span className="muted"> · {CAUSES[change.cause] ?? change.cause}</span>}
        </li>
      ))}
    </ol>
  );
}

/**
 * The conversations of a lead's contact. The API has no per-contact filter yet, so this reads
 * the newest page of conversations and keeps the contact's (or the lead's) own.
 */
function ContactConversations({ workspace, contactId, leadId }: { workspace: CurrentWorkspace; contactId: string | null; leadId: string }) {
  const { data, error } = useQuery(ConversationsDocument, { variables: { workspaceId: workspace.id, first: 100 } });
  if (error !== undefined) return <p role="alert">{describeError(error).message}</p>;
  if (data === undefined) return <p className="muted">Loading conversations…</p>;
  const own = data.conversations.edges
    .map(({ node }) => node)
    .filter((conversation) => (contactId !== null && conversation.contact?.id === contactId) || conversation.leadId === leadId);
  if (own.length === 0) return <p className="empty-state">No conversations with this contact yet.</p>;
  return (
    <ul className="link-list">
      {own.map((conversation) => (
        <li key={conversation.id}>
          <Link to={`/w/${workspace.slug}/conversations/${conversation.id}`}>
            Conversation of {formatTime(conversation.createdAt)}
          </Link>
          {conversation.humanTakeover && <span className="badge badge--warning">Human takeover</span>}
          <span className="muted"> · last message {formatTime(conversation.lastMessageAt, "never")}</span>
        </li>
      ))}
    </ul>
  );
}

/** /w/:slug/leads/:id: the lead, its contact, and the contact's conversations. */
export function LeadDetail({ workspace, leadId }: { workspace: CurrentWorkspace; leadId: string }) {
  const ability = useAbility();
  const { data, error, refetch } = useQuery(LeadDocument, { variables: { workspaceId: workspace.id, id: leadId } });
  const back = (
    <p>
      <Link to={`/w/${workspace.slug}/leads`}>← All leads</Link>
    </p>
  );

  if (data === undefined) {
    if (error !== undefined) {
      return (
        <Page title={errorCode(error) === "NOT_FOUND" ? "Lead not found" : "Lead"}>
          {back}
          <div role="alert">
            <p>{describeError(error).message}</p>
            {errorCode(error) !== "NOT_FOUND" && (
              <button type="button" onClick={() => void refetch()}>
                Try again
              </button>
            )}
          </div>
        </Page>
      );
    }
    return <p className="page-status">Loading lead…</p>;
  }

  const lead = data.lead;
  return (
    <Page title={lead.name}>
      {back}
      <dl className="details" aria-label="Lead">
        <dt>Status</dt>
        <dd>
          {ability.can("update", "Lead") ? (
            <LeadStatusSelect workspaceId={workspace.id} leadId={lead.id} status={lead.status} label="Status" />
          ) : (
            <>
              {LEAD_STATUS_LABELS[lead.status]} <WhyCantI workspaceId={workspace.id} action="update" subject="Lead" label="Why can't I change it?" />
            </>
          )}
        </dd>
        <dt>Source</dt>
        <dd>{LEAD_SOURCE_LABELS[lead.source]}</dd>
        <dt>Email</dt>
        <dd>{lead.email ?? "—"}</dd>
        <dt>Phone</dt>
        <dd>{lead.phone ?? "—"}</dd>
        <dt>Received</dt>
        <dd>
          <time dateTime={lead.createdAt}>{formatTime(lead.createdAt)}</time>
        </dd>
        <dt>Message</dt>
        <dd className="wrap">{lead.message ?? "—"}</dd>
      </dl>

      <section className="section" aria-labelledby="lead-timeline-title">
        <h2 id="lead-timeline-title">Timeline</h2>
        <LeadTimeline workspace={workspace} leadId={lead.id} />
      </section>

      <section className="section" aria-labelledby="lead-status-history-title">
        <h2 id="lead-status-history-title">Status history</h2>
        <StatusHistory key={lead.status} workspaceId={workspace.id} leadId={lead.id} />
      </section>

      <section className="section">
        <h2>Contact</h2>
        {lead.contact ? (
          <dl className="details" aria-label="Contact">
            <dt>Name</dt>
            <dd>{lead.contact.name}</dd>
            <dt>Email</dt>
            <dd>{lead.contact.email ?? "—"}</dd>
            <dt>Phone</dt>
            <dd>{lead.contact.phone ?? "—"}</dd>
            <dt>Known since</dt>
            <dd>
              <time dateTime={lead.contact.createdAt}>{formatTime(lead.contact.createdAt)}</time>
            </dd>
          </dl>
        ) : (
          <p className="empty-state">Your role does not include viewing contacts (contact.read). Ask a workspace admin if you need it.</p>
        )}
      </section>

      <section className="section" aria-labelledby="lead-bookings-title">
        <h2 id="lead-bookings-title">Consultation</h2>
        <BookingsList workspace={workspace} leadId={lead.id} hideLead />
      </section>

      {ability.can("read", "Conversation") && (
        <section className="section">
          <h2>Conversations</h2>
          <ContactConversations workspace={workspace} contactId={lead.contact?.id ?? null} leadId={lead.id} />
        </section>
      )}
    </Page>
  );
}
