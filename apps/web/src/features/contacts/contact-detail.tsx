/**
 * /w/:slug/contacts/:id (issue 48): the contact — name, e-mail, phone, tags, its WhatsApp consent —
 * its leads, and a live timeline of everything that happened with it across its conversations and
 * leads.
 */
import { useQuery } from "@apollo/client/react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { type ContactLeadsQuery } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { errorCode } from "../../platform/errors.ts";
import { formatTime } from "../../platform/format.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { Page } from "../../platform/page.tsx";
import { EmptyState, SkeletonList } from "../../platform/ui/index.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { ContactTimeline } from "./contact-timeline.tsx";
import { ErasedOnRequestNotice } from "./erased-on-request.tsx";
import { ContactDocument, ContactLeadsDocument } from "./operations.ts";
import { WhatsAppConsent } from "./whatsapp-consent.tsx";

/** How many of the contact's leads the page lists (the newest). */
const LEADS_SHOWN = 50;

type ContactLead = ContactLeadsQuery["contactLeads"][number];

/** The contact's leads, each a link to its page. */
function ContactLeads({
  slug,
  leads,
  error,
  onRetry,
}: {
  slug: string;
  leads: readonly ContactLead[] | undefined;
  error: unknown;
  onRetry: () => void;
}) {
  const { t } = useTranslation("contacts");
  const { t: tl } = useTranslation("leads");
  if (leads === undefined)
    return error !== undefined ? (
      <LoadError error={error} onRetry={onRetry} small />
    ) : (
      <SkeletonList rows={2} label={t("detail.loadingLeads")} />
    );
  if (leads.length === 0) return <p className="empty-state">{t("detail.noLeads")}</p>;
  return (
    <ul className="link-list" data-testid="contact-leads">
      {leads.map((lead) => (
        <li key={lead.id}>
          <Link to={`/w/${slug}/leads/${lead.id}`}>{lead.name}</Link>{" "}
          <span className="badge">{tl(`status.${lead.status}`)}</span>
          <span className="muted">
            {" "}
            · {tl(`source.${lead.source}`)} · <time dateTime={lead.createdAt}>{formatTime(lead.createdAt)}</time>
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Nothing has happened with the contact yet: what will appear, and what to do first. */
function ContactTimelineEmpty({ slug }: { slug: string }) {
  const { t } = useTranslation("contacts");
  const ability = useAbility();
  const canCampaign = ability.can("create", "Campaign");
  return (
    <EmptyState
      testId="contact-timeline-empty"
      title={t("detail.emptyTitle")}
      actions={
        canCampaign ? (
          <Link className="button" to={`/w/${slug}/campaigns`}>
            {t("detail.emptyCampaign")}
          </Link>
        ) : undefined
      }
    >
      {canCampaign ? t("detail.emptyBodyCampaign") : t("detail.emptyBody")}
    </EmptyState>
  );
}

/** /w/:slug/contacts/:id */
export function ContactDetail({ workspace, contactId }: { workspace: CurrentWorkspace; contactId: string }) {
  const { t } = useTranslation("contacts");
  const ability = useAbility();
  const readsLeads = ability.can("read", "Lead");
  const { data, error, refetch } = useQuery(ContactDocument, {
    variables: { workspaceId: workspace.id, id: contactId },
    fetchPolicy: "cache-and-network",
  });
  const leads = useQuery(ContactLeadsDocument, {
    variables: { workspaceId: workspace.id, contactId, first: LEADS_SHOWN },
    skip: !readsLeads,
    fetchPolicy: "cache-and-network",
  });
  const leadIds = new Set((leads.data?.contactLeads ?? []).map((lead) => lead.id));
  const back = (
    <p>
      <Link to={`/w/${workspace.slug}/contacts`}>{t("detail.allContacts")}</Link>
    </p>
  );

  if (data === undefined) {
    if (error !== undefined) {
      const missing = errorCode(error) === "NOT_FOUND";
      return (
        <Page title={missing ? t("detail.notFound") : t("detail.contact")}>
          {back}
          {missing ? (
            <p role="alert">{t("detail.notFoundBody")}</p>
          ) : (
            <LoadError error={error} onRetry={() => void refetch()} />
          )}
        </Page>
      );
    }
    return (
      <Page title={t("detail.contact")}>
        {back}
        <SkeletonList rows={4} label={t("detail.loading")} />
      </Page>
    );
  }

  const contact = data.contact;
  const consent = workspace.channel === "WHATSAPP" || contact.optedOutAt != null || contact.optInAt != null;
  return (
    <Page title={contact.name}>
      {back}
      <ErasedOnRequestNotice erased={contact.erasedOnRequest} />
      <dl className="details" aria-label={t("detail.contact")}>
        <dt>{t("columns.email")}</dt>
        <dd>{contact.email ?? "—"}</dd>
        <dt>{t("columns.phone")}</dt>
        <dd>{contact.phone ?? "—"}</dd>
        <dt>{t("columns.tags")}</dt>
        <dd>
          {contact.tags.length === 0
            ? "—"
            : contact.tags.map((tag) => (
                <span key={tag} className="badge badge--muted">
                  {tag}
                </span>
              ))}
        </dd>
        {consent && (
          <>
            <dt>{t("columns.whatsapp")}</dt>
            <dd>
              <WhatsAppConsent contact={contact} />
            </dd>
          </>
        )}
        <dt>{t("columns.added")}</dt>
        <dd>
          <time dateTime={contact.createdAt}>{formatTime(contact.createdAt)}</time>
        </dd>
      </dl>

      {readsLeads && (
        <section className="section" aria-labelledby="contact-leads-title">
          <h2 id="contact-leads-title">{t("detail.leads")}</h2>
          <ContactLeads
            slug={workspace.slug}
            leads={leads.data?.contactLeads}
            error={leads.error}
            onRetry={() => void leads.refetch()}
          />
        </section>
      )}

      <section className="section" aria-labelledby="contact-timeline-title">
        <h2 id="contact-timeline-title">{t("detail.timeline")}</h2>
        <ContactTimeline
          workspace={workspace}
          contactId={contact.id}
          leadIds={leadIds}
          onLeadsChanged={readsLeads ? () => void leads.refetch() : undefined}
          empty={<ContactTimelineEmpty slug={workspace.slug} />}
        />
      </section>
    </Page>
  );
}
