/**
 * The workspace's home (issue 48): the onboarding checklist (hidden once complete), the last 24 h
 * beside the 24 h before, and the latest activity — one query, refreshed by the live
 * subscriptions the caller may hold (decision 0031), never by polling.
 */
import { useQuery } from "@apollo/client/react";
import { Link } from "react-router";

import { type HomeOverviewQuery } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { formatNumber } from "../../platform/format.ts";
import { useDebounced, useLive } from "../../platform/live.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { Icon, SkeletonList } from "../../platform/ui/index.ts";
import { actionText } from "../audit/audit-format.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { changeTone, checklistSteps, comparison, relativeTime } from "./home-model.ts";
import {
  HomeBookingEventsDocument,
  HomeConversationEventsDocument,
  HomeLeadEventsDocument,
  HomeOverviewDocument,
} from "./operations.ts";

import "./home.css";

import { useTranslation } from "react-i18next";

type Home = HomeOverviewQuery["workspaceHome"];

export function WorkspaceHome({ workspace }: { workspace: CurrentWorkspace }) {
  const { t } = useTranslation("home");
  const ability = useAbility();
  const variables = { workspaceId: workspace.id };
  const { data, error, refetch } = useQuery(HomeOverviewDocument, { variables, fetchPolicy: "cache-and-network" });
  // A burst of events (a campaign's sends) is one refetch.
  const refresh = useDebounced(() => void refetch(), 300);
  const live = { variables, onEvent: refresh, onResync: refresh };
  useLive(HomeLeadEventsDocument, { ...live, skip: !ability.can("read", "Lead") });
  useLive(HomeBookingEventsDocument, { ...live, skip: !ability.can("read", "Lead") });
  useLive(HomeConversationEventsDocument, { ...live, skip: !ability.can("read", "Conversation") });

  if (data === undefined) {
    if (error !== undefined) return <LoadError error={error} onRetry={() => void refetch()} />;
    // As tall as a home usually is, so the sections below do not jump down when it loads (decision 0044).
    return (
      <div className="home-loading">
        <SkeletonList rows={10} label={t("home.loading")} />
      </div>
    );
  }
  const home = data.workspaceHome;
  return (
    <div className="home">
      {home.checklist !== null && !home.checklist.complete && (
        <Checklist checklist={home.checklist} workspace={workspace} />
      )}
      <Glance glance={home.glance} slug={workspace.slug} />
      <Activity activity={home.activity} slug={workspace.slug} />
    </div>
  );
}

function Checklist({
  checklist,
  workspace,
}: {
  checklist: NonNullable<Home["checklist"]>;
  workspace: CurrentWorkspace;
}) {
  const { t } = useTranslation("home");
  const steps = checklistSteps(checklist.items, workspace);
  return (
    <section className="card home-checklist" aria-labelledby="home-checklist-title" data-testid="home-checklist">
      <div className="home-checklist__head">
        <h2 id="home-checklist-title">{t("home.setUp")}</h2>
        <span className="muted" data-testid="home-checklist-progress">
          {t("home.progress", { done: checklist.doneCount, total: checklist.total })}
        </span>
      </div>
      <progress
        className="home-checklist__bar"
        max={checklist.total}
        value={checklist.doneCount}
        aria-label={t("home.progressLabel", { done: checklist.doneCount, total: checklist.total })}
      />
      <ol className="home-checklist__steps">
        {steps.map((step) => (
          <li
            key={step.key}
            className={step.done ? "home-step home-step--done" : "home-step"}
            data-testid={`home-step-${step.key}`}
            data-done={step.done}
          >
            <span className="home-step__mark">
              <Icon name={step.done ? "check" : "forward"} />
              <span className="visually-hidden">{step.done ? t("home.done") : t("home.toDo")}</span>
            </span>
            <span className="home-step__text">
              {step.done ? (
                <span className="home-step__label">{step.label}</span>
              ) : (
                <Link to={step.href}>{step.label}</Link>
              )}
              <span className="muted home-step__hint">{step.hint}</span>
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

const METRICS = [
  { key: "newLeads", path: "leads" },
  { key: "waitingForReply", path: "conversations" },
  { key: "bookings", path: "bookings" },
  { key: "sendsFailed", path: "conversations" },
] as const;

function Glance({ glance, slug }: { glance: Home["glance"]; slug: string }) {
  const { t } = useTranslation("home");
  const shown = METRICS.filter((m) => glance[m.key] !== null);
  if (shown.length === 0) return null;
  return (
    <section className="section home-glance" aria-labelledby="home-glance-title">
      <h2 id="home-glance-title">{t("home.last24h")}</h2>
      <p className="muted">{t("home.compared")}</p>
      <ul className="home-glance__grid">
        {shown.map((m) => {
          const metric = glance[m.key]!;
          const c = comparison(metric);
          const good = changeTone(c.trend, m.key);
          return (
            <li key={m.key} className="card home-metric" data-testid={`home-metric-${m.key}`}>
              <Link to={`/w/${slug}/${m.path}`} className="home-metric__label">
                {t(`metrics.${m.key}`)}
              </Link>
              <span className="home-metric__value" data-testid={`home-metric-${m.key}-value`}>
                {formatNumber(metric.current)}
              </span>
              <span className={`home-metric__delta home-metric__delta--${good}`}>{c.text}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function targetPath(slug: string, e: Home["activity"][number]): string | undefined {
  if (e.targetId === null) return undefined;
  if (e.targetType === "Lead") return `/w/${slug}/leads/${e.targetId}`;
  if (e.targetType === "Conversation") return `/w/${slug}/conversations/${e.targetId}`;
  return undefined;
}

function Activity({ activity, slug }: { activity: Home["activity"]; slug: string }) {
  const { t } = useTranslation("home");
  return (
    <section className="section home-activity" aria-labelledby="home-activity-title">
      <h2 id="home-activity-title">{t("home.recentActivity")}</h2>
      {activity.length === 0 ? (
        <p className="empty-state">{t("home.noActivity")}</p>
      ) : (
        <ol className="home-activity__list" data-testid="home-activity">
          {activity.map((e) => {
            const path = targetPath(slug, e);
            return (
              <li key={e.id} className="home-activity__item">
                <span className="home-activity__what">
                  {actionText(e.action)}
                  {e.targetLabel !== null && (
                    <>
                      {": "}
                      {path !== undefined ? <Link to={path}>{e.targetLabel}</Link> : <span>{e.targetLabel}</span>}
                    </>
                  )}
                </span>
                <span className="muted home-activity__meta">
                  {e.actorName ?? t("home.system")} · <time dateTime={e.createdAt}>{relativeTime(e.createdAt)}</time>
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
