/**
 * /w/:slug/review (issue 47): the review queue — what safety rules flagged, sends that failed for
 * good and calls flagged live — newest first, filtered by status and reason, live. An item is
 * claimed by one person (a lost race says so), resolved with an outcome, or released.
 */
import { useMutation } from "@apollo/client/react";
import { useEffect, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";

import { useAbility } from "../../platform/ability.tsx";
import { describeError, errorCode, errorExtension } from "../../platform/errors.ts";
import { formatTotal } from "../../platform/format.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { pageHeading } from "../../platform/page.tsx";
import { useMe } from "../../platform/session.tsx";
import { Button, SelectInput, SkeletonList, toast } from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { ClaimReviewItemDocument, ReleaseReviewItemDocument } from "./operations.ts";
import { ResolveDialog } from "./resolve-dialog.tsx";
import { ReviewItemCard } from "./review-item-card.tsx";
import {
  conflictMessage,
  itemActions,
  REVIEW_REASONS,
  reviewFilterFrom,
  reviewFilterParams,
  STATUS_FILTERS,
  type ReviewFilter,
  type ReviewItem,
  type Viewer,
} from "./review-queue.ts";
import { useReviewQueue } from "./use-review-queue.ts";

import "./review.css";

/** Where the safety rules page is (the workspace's section path). */
const SAFETY_RULES_PATH = "safety";
/** The CASL subject the claim check names. */
const ITEM_SUBJECT = "ReviewItem";

/**
 * After Claim or Release the button pressed is gone (the item shows other actions, or left the
 * filtered list): focus goes to the item's first action, or to the page's heading.
 */
function refocus(itemId: string): void {
  requestAnimationFrame(() => {
    if (document.activeElement !== null && document.activeElement !== document.body) return;
    const next = document.querySelector<HTMLElement>(
      `[data-review-id="${CSS.escape(itemId)}"] .card__actions button:not(:disabled)`,
    );
    (next ?? pageHeading())?.focus();
  });
}

/** The current time, again every `ms` (ages on screen move on by themselves). */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

export function ReviewPage({ workspace }: { workspace: CurrentWorkspace }) {
  const { t } = useTranslation("review");
  const ability = useAbility();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const filter = reviewFilterFrom(params);
  const queue = useReviewQueue(workspace.id, filter);
  const now = useNow(30_000);
  const viewer: Viewer = {
    userId: me.id,
    isAdmin: workspace.myRole !== "AGENT",
    canClaim: ability.can("claim", "ReviewItem"),
  };
  const [resolving, setResolving] = useState<ReviewItem>();
  const [busyId, setBusyId] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [claim] = useMutation(ClaimReviewItemDocument);
  const [release] = useMutation(ReleaseReviewItemDocument);

  const setFilter = (next: ReviewFilter) => setParams(reviewFilterParams(next), { replace: true });

  /** A refused action: a lost race says who won and the list is read again; anything else as the API says. */
  const failed = (caught: unknown, action: "claim" | "release" | "resolve") => {
    if (errorCode(caught) === "CONFLICT") {
      const fields = errorExtension(caught, "fields");
      const why = typeof fields === "object" && fields !== null ? (fields as Record<string, unknown>)["id"] : undefined;
      setProblem(conflictMessage(action, typeof why === "string" ? why : undefined));
      queue.refetchSoon();
      return;
    }
    setProblem(describeError(caught).message);
  };

  const act = async (item: ReviewItem, action: "claim" | "release") => {
    setProblem(undefined);
    setBusyId(item.id);
    try {
      const variables = { workspaceId: workspace.id, id: item.id };
      const answer =
        action === "claim"
          ? (await claim({ variables })).data?.claimReviewItem
          : (await release({ variables })).data?.releaseReviewItem;
      if (answer !== undefined) queue.place(answer);
      toast(action === "claim" ? t("page.claimed") : t("page.released"));
    } catch (caught) {
      failed(caught, action);
    } finally {
      setBusyId(undefined);
      refocus(item.id);
    }
  };

  const list = queue.list;
  return (
    <>
      <p className="muted">
        <Trans ns="review" i18nKey="page.intro" components={{ live: <span className="live-indicator" /> }} />
      </p>
      <div className="toolbar review-filters" role="group" aria-label={t("page.filters")}>
        <label className="toolbar__field">
          <span>{t("page.status")}</span>
          <SelectInput
            value={filter.status}
            onChange={(event) =>
              setFilter({ ...filter, status: STATUS_FILTERS.find((f) => f === event.target.value) ?? "active" })
            }
          >
            {STATUS_FILTERS.map((f) => (
              <option key={f} value={f}>
                {t(`statusFilters.${f}`)}
              </option>
            ))}
          </SelectInput>
        </label>
        <label className="toolbar__field">
          <span>{t("page.reason")}</span>
          <SelectInput
            value={filter.reason ?? ""}
            onChange={(event) =>
              setFilter({ ...filter, reason: REVIEW_REASONS.find((r) => r === event.target.value) ?? null })
            }
          >
            <option value="">{t("page.allReasons")}</option>
            {REVIEW_REASONS.map((reason) => (
              <option key={reason} value={reason}>
                {t(`reasons.${reason}`)}
              </option>
            ))}
          </SelectInput>
        </label>
      </div>
      {!viewer.canClaim && (
        <WhyCantI workspaceId={workspace.id} action="claim" subject={ITEM_SUBJECT} label={t("page.whyCantClaim")} />
      )}
      {problem !== undefined && (
        <div className="banner banner--error review-problem" role="alert">
          <span>{problem}</span>
          <Button variant="ghost" size="small" onClick={() => setProblem(undefined)}>
            {t("page.dismiss")}
          </Button>
        </div>
      )}
      {list === undefined ? (
        queue.error !== undefined ? (
          <LoadError error={queue.error} onRetry={queue.refetch} />
        ) : (
          <SkeletonList label={t("page.loading")} rows={4} />
        )
      ) : list.edges.length === 0 ? (
        <EmptyQueue
          filter={filter}
          safetyRulesLink={ability.can("read", "SafetyRule") ? `/w/${workspace.slug}/${SAFETY_RULES_PATH}` : undefined}
        />
      ) : (
        <>
          <p className="muted" aria-live="polite">
            {t("page.itemCount", { count: list.totalCount, formatted: formatTotal(list) })}
          </p>
          <ul className="review-list" aria-label={t("page.listLabel")}>
            {list.edges.map(({ node }) => (
              <ReviewItemCard
                key={node.id}
                item={node}
                slug={workspace.slug}
                now={now}
                youId={me.id}
                actions={itemActions(node, viewer)}
                busy={busyId === node.id}
                onClaim={() => void act(node, "claim")}
                onRelease={() => void act(node, "release")}
                onResolve={() => {
                  setProblem(undefined);
                  setResolving(node);
                }}
              />
            ))}
          </ul>
          {queue.error !== undefined && <p role="alert">{describeError(queue.error).message}</p>}
          {list.pageInfo.hasNextPage && (
            <Button
              variant="bare"
              className="pager"
              disabled={queue.loadingMore}
              onClick={() =>
                void queue.loadMore().catch((caught: unknown) => setProblem(describeError(caught).message))
              }
            >
              {queue.loadingMore ? t("page.loadingMore") : t("page.loadMore")}
            </Button>
          )}
        </>
      )}
      {resolving !== undefined && (
        <ResolveDialog
          workspaceId={workspace.id}
          item={resolving}
          onClose={() => setResolving(undefined)}
          onResolved={(item) => {
            setResolving(undefined);
            queue.place(item);
            toast(t("page.resolved"));
          }}
          onConflict={(caught) => {
            setResolving(undefined);
            failed(caught, "resolve");
          }}
        />
      )}
    </>
  );
}

function EmptyQueue({ filter, safetyRulesLink }: { filter: ReviewFilter; safetyRulesLink: string | undefined }) {
  const { t } = useTranslation("review");
  const filtered = filter.status !== "active" || filter.reason !== null;
  return (
    <div className="empty-state" data-testid="review-empty">
      <p>
        <Trans
          ns="review"
          i18nKey={filtered ? "empty.filtered" : "empty.unfiltered"}
          components={{ strong: <strong /> }}
        />
      </p>
      {safetyRulesLink !== undefined ? (
        <p>
          <Trans ns="review" i18nKey="empty.rulesLink" components={{ anchor: <Link to={safetyRulesLink} /> }} />
        </p>
      ) : (
        <p className="muted">{t("empty.rulesNoLink")}</p>
      )}
    </div>
  );
}
