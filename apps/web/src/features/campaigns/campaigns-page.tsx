/**
 * /w/:slug/campaigns (SPEC R5): drafts, run now or at a time, live progress (polled while a
 * campaign runs), pause / resume / cancel. Messages go through the outbound pipeline: the kill
 * switch suppresses them and contacts who replied STOP are skipped. Issue 56: drafts are
 * editable, Run asks for confirmation with what it would do, and a test goes to one number.
 */
import { useQuery } from "@apollo/client/react";
import { CampaignsNextStep } from "../home/next-steps.tsx";
import { useState } from "react";
import { Link } from "react-router";
import { type CampaignFieldsFragment } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { formatTime } from "../../platform/format.ts";
import { useLive } from "../../platform/live.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { SkeletonList, toast } from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { CampaignActions } from "./campaign-actions.tsx";
import { CampaignForm } from "./campaign-form.tsx";
import { CampaignProgressDocument, CampaignsDocument } from "./operations.ts";
import { CAMPAIGN_STATUS_LABELS, canMove } from "./template.ts";
import "./campaigns.css";

function Progress({ c }: { c: CampaignFieldsFragment }) {
  const done = c.sent + c.failed + c.suppressed + c.cancelled;
  return (
    <div className="campaign-progress">
      <progress max={Math.max(c.total, 1)} value={done} aria-label={`${c.name}: ${done} of ${c.total} settled`} />
      <p className="small" aria-live="polite" data-testid="campaign-counts">
        <span>{c.sent} sent</span> · <span>{c.queued} queued</span> · <span>{c.failed} failed</span> · <span>{c.suppressed} suppressed</span>
        {c.held > 0 && <> · <strong>{c.held} held (quota)</strong></>}
        {c.cancelled > 0 && <> · {c.cancelled} cancelled</>} · of {c.total}
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

function CampaignLive({ workspaceId, id, onResync }: { workspaceId: string; id: string; onResync: () => void }) {
  useLive(CampaignProgressDocument, { variables: { workspaceId, id }, onEvent: () => undefined, onResync });
  return null;
}

export function CampaignsPage({ workspace }: { workspace: CurrentWorkspace }) {
  const ability = useAbility();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<CampaignFieldsFragment>();
  const { data, error, refetch } = useQuery(CampaignsDocument, { variables: { workspaceId: workspace.id, first: 50 }, fetchPolicy: "cache-and-network" });
  const edges = data?.campaigns.edges ?? [];
  const followed = new Set(edges.filter((e) => canMove(e.node.status)).slice(0, LIVE_CAMPAIGNS).map((e) => e.node.id));

  if (data === undefined) {
    if (error !== undefined) return <LoadError error={error} onRetry={refetch} />;
    return <SkeletonList label="Loading campaigns…" rows={3} />;
  }
  const held = edges.reduce((n, e) => n + e.node.held, 0);
  return (
    <>
      {held > 0 && (
        <div className="banner banner--error" role="alert" data-testid="quota-banner">
          {held} {held === 1 ? "message is" : "messages are"} held: this month&apos;s message quota is used up. They go out when the plan allows more (next month or a plan change).{" "}
          {ability.can("read", "Billing") && <Link to={`/w/${workspace.slug}/usage`}>See usage and plans</Link>}
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
            <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
              New campaign
            </button>
          </div>
        )
      )}
      {edges.length === 0 ? (
        ability.can("create", "Campaign") ? (
          <CampaignsNextStep workspace={workspace} onCreate={creating ? undefined : () => setCreating(true)} />
        ) : (
          <div className="empty-state" data-testid="campaigns-empty">
            <p>No campaigns yet. A campaign sends one message, with each contact&apos;s name filled in, to the contacts you choose or a tag.</p>
            <p className="muted">A member with campaign.manage creates campaigns.</p>
            <WhyCantI workspaceId={workspace.id} action="create" subject="Campaign" />
          </div>
        )
      ) : (
        <ul className="campaign-list" aria-label="Campaigns">
          {edges.map(({ node: c }) => (
            <li key={c.id} className="campaign-card" data-testid="campaign" data-status={c.status}>
              {followed.has(c.id) && <CampaignLive workspaceId={workspace.id} id={c.id} onResync={() => void refetch().catch(() => undefined)} />}
              <div className="campaign-card__head">
                <h2 className="campaign-card__name">{c.name}</h2>
                <span className={c.status === "RUNNING" ? "badge badge--ok" : "badge"} data-testid="campaign-status">
                  {CAMPAIGN_STATUS_LABELS[c.status] ?? c.status}
                </span>
              </div>
              <p className="muted small campaign-card__message">“{c.message}”</p>
              <p className="muted small">
                Audience: {c.contactIds.length} chosen{c.tag != null ? ` + tag “${c.tag}”` : ""}
                {c.templateId != null && " · sends a WhatsApp template"}
                {c.scheduledAt != null && c.status === "SCHEDULED" && <> · starts {formatTime(c.scheduledAt)}</>}
                {c.completedAt != null && <> · finished {formatTime(c.completedAt)}</>}
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
