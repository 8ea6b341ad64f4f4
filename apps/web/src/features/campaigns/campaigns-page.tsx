/**
 * /w/:slug/campaigns (SPEC R5): drafts, run now or at a time, live progress (polled while a
 * campaign runs), pause / resume / cancel. Messages go through the outbound pipeline: the kill
 * switch suppresses them and contacts who replied STOP are skipped. Issue 56: drafts are
 * editable, Run asks for confirmation with what it would do, and a test goes to one number.
 */
import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { type CampaignFieldsFragment } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { formatTime } from "../../platform/format.ts";
import { useLive } from "../../platform/live.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { Button, SkeletonList, toast } from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { CampaignsNextStep } from "../home/next-steps.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { CampaignActions } from "./campaign-actions.tsx";
import { CampaignForm } from "./campaign-form.tsx";
import { CampaignProgressDocument, CampaignsDocument } from "./operations.ts";
import { canMove, isCampaignStatus } from "./template.ts";

import "./campaigns.css";

function Progress({ c }: { c: CampaignFieldsFragment }) {
  const { t } = useTranslation("campaigns");
  const done = c.sent + c.failed + c.suppressed + c.cancelled;
  return (
    <div className="campaign-progress">
      <progress
        max={Math.max(c.total, 1)}
        value={done}
        aria-label={t("progress.label", { name: c.name, done, total: c.total })}
      />
      <p className="small" aria-live="polite" data-testid="campaign-counts">
        <span>{t("progress.sent", { count: c.sent })}</span> · <span>{t("progress.queued", { count: c.queued })}</span>{" "}
        · <span>{t("progress.failed", { count: c.failed })}</span> ·{" "}
        <span>{t("progress.suppressed", { count: c.suppressed })}</span>
        {c.held > 0 && (
          <>
            {" "}
            · <strong>{t("progress.held", { count: c.held })}</strong>
          </>
        )}
        {c.cancelled > 0 && <> · {t("progress.cancelled", { count: c.cancelled })}</>} ·{" "}
        {t("progress.ofTotal", { total: c.total })}
      </p>
    </div>
  );
}

/**
 * Live progress of one campaign that can still move: each event carries the campaign, which
 * lands in the cache by id and moves its card (nothing to do here but subscribe). Drafts and
 * paused ones are followed too, so a run started from this page is followed from its first
 * message; at most LIVE_CAMPAIGNS of them (the API allows 25 subscriptions per connection).
 */
const LIVE_CAMPAIGNS = 15;
/** The CASL subject "Why can't I?" asks about. */
const CAMPAIGN_SUBJECT = "Campaign";

function CampaignLive({ workspaceId, id, onResync }: { workspaceId: string; id: string; onResync: () => void }) {
  useLive(CampaignProgressDocument, { variables: { workspaceId, id }, onEvent: () => undefined, onResync });
  return null;
}

export function CampaignsPage({ workspace }: { workspace: CurrentWorkspace }) {
  const { t } = useTranslation("campaigns");
  const ability = useAbility();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<CampaignFieldsFragment>();
  const { data, error, refetch } = useQuery(CampaignsDocument, {
    variables: { workspaceId: workspace.id, first: 50 },
    fetchPolicy: "cache-and-network",
  });
  const edges = data?.campaigns.edges ?? [];
  const followed = new Set(
    edges
      .filter((e) => canMove(e.node.status))
      .slice(0, LIVE_CAMPAIGNS)
      .map((e) => e.node.id),
  );

  if (data === undefined) {
    if (error !== undefined) return <LoadError error={error} onRetry={refetch} />;
    return <SkeletonList label={t("page.loading")} rows={3} />;
  }
  const held = edges.reduce((n, e) => n + e.node.held, 0);
  return (
    <>
      {held > 0 && (
        <div className="banner banner--error" role="alert" data-testid="quota-banner">
          {t("page.quotaHeld", { count: held })}{" "}
          {ability.can("read", "Billing") && <Link to={`/w/${workspace.slug}/usage`}>{t("page.seeUsage")}</Link>}
        </div>
      )}
      {creating || editing !== undefined ? (
        <CampaignForm
          key={editing?.id ?? "new"}
          workspace={workspace}
          {...(editing !== undefined ? { campaign: editing } : {})}
          onDone={(message) => {
            setCreating(false);
            setEditing(undefined);
            if (message !== undefined) toast(message);
          }}
        />
      ) : (
        // With no campaign yet the empty state below offers the one button (not a second one here).
        ability.can("create", "Campaign") &&
        edges.length > 0 && (
          <div className="toolbar">
            <Button variant="primary" onClick={() => setCreating(true)}>
              {t("page.newCampaign")}
            </Button>
          </div>
        )
      )}
      {edges.length === 0 ? (
        ability.can("create", "Campaign") ? (
          <CampaignsNextStep workspace={workspace} onCreate={creating ? undefined : () => setCreating(true)} />
        ) : (
          <div className="empty-state" data-testid="campaigns-empty">
            <p>{t("page.empty")}</p>
            <p className="muted">{t("page.emptyWho")}</p>
            <WhyCantI workspaceId={workspace.id} action="create" subject={CAMPAIGN_SUBJECT} />
          </div>
        )
      ) : (
        <ul className="campaign-list" aria-label={t("page.list")}>
          {edges.map(({ node: c }) => (
            <li key={c.id} className="campaign-card" data-testid="campaign" data-status={c.status}>
              {followed.has(c.id) && (
                <CampaignLive
                  workspaceId={workspace.id}
                  id={c.id}
                  onResync={() => void refetch().catch(() => undefined)}
                />
              )}
              <div className="campaign-card__head">
                <h2 className="campaign-card__name">{c.name}</h2>
                <span className={c.status === "RUNNING" ? "badge badge--ok" : "badge"} data-testid="campaign-status">
                  {isCampaignStatus(c.status) ? t(`status.${c.status}`) : c.status}
                </span>
              </div>
              <p className="muted small campaign-card__message">{t("page.quoted", { message: c.message })}</p>
              <p className="muted small">
                {c.tag != null
                  ? t("page.audienceTag", { count: c.contactIds.length, tag: c.tag })
                  : t("page.audience", { count: c.contactIds.length })}
                {c.templateId != null && <> · {t("page.sendsTemplate")}</>}
                {c.scheduledAt != null && c.status === "SCHEDULED" && (
                  <> · {t("page.starts", { date: formatTime(c.scheduledAt) })}</>
                )}
                {c.completedAt != null && <> · {t("page.finished", { date: formatTime(c.completedAt) })}</>}
              </p>
              {c.status !== "DRAFT" && <Progress c={c} />}
              <CampaignActions
                workspace={workspace}
                c={c}
                onNotice={toast}
                onEdit={() => {
                  setCreating(false);
                  setEditing(c);
                  window.scrollTo({ top: 0 });
                }}
              />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
