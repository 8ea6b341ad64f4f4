/** One item of the review queue: why it is there, where, since when, who holds it, and what can be done. */
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { formatTime } from "../../platform/format.ts";
import { Button } from "../../platform/ui/index.ts";
import { outcomeText } from "./resolve-form.ts";
import { formatAge, isWaitingLong, type ItemActions, type ReviewItem } from "./review-queue.ts";

interface ReviewItemCardProps {
  readonly item: ReviewItem;
  readonly slug: string;
  readonly now: number;
  readonly actions: ItemActions;
  /** The item whose action is being sent: its buttons wait. */
  readonly busy: boolean;
  readonly youId: string;
  readonly onClaim: () => void;
  readonly onRelease: () => void;
  readonly onResolve: () => void;
}

export function ReviewItemCard({
  item,
  slug,
  now,
  actions,
  busy,
  youId,
  onClaim,
  onRelease,
  onResolve,
}: ReviewItemCardProps) {
  const { t } = useTranslation("review");
  const waitingLong = isWaitingLong(item, now);
  const contact = item.conversation?.contact;
  const who = (person: { id: string; name: string } | null) =>
    person === null ? t("card.someoneWhoLeft") : person.id === youId ? t("card.you") : person.name;
  const titleId = `review-item-${item.id}`;
  return (
    <li
      className={waitingLong ? "card review-item review-item--waiting" : "card review-item"}
      aria-labelledby={titleId}
      data-testid="review-item"
      data-review-id={item.id}
      data-status={item.status}
      data-reason={item.reason}
    >
      <div className="review-item__head">
        <span className={`badge review-badge review-badge--${item.reason.toLowerCase()}`}>
          {t(`reasons.${item.reason}`)}
        </span>
        <span className={item.status === "RESOLVED" ? "badge badge--ok" : "badge badge--muted"}>
          {t(`statuses.${item.status}`)}
        </span>
        {waitingLong && <span className="badge badge--warning">{t("card.waitingLong")}</span>}
        <time className="review-item__age" dateTime={item.createdAt} title={formatTime(item.createdAt)}>
          {formatAge(item.createdAt, now)}
        </time>
      </div>
      <p className="review-item__summary" id={titleId}>
        {item.summary}
      </p>
      {item.excerpt !== null && item.excerpt !== "" && (
        <blockquote className="review-item__excerpt">
          <span className="visually-hidden">{t("card.excerpt")} </span>
          {item.excerpt}
        </blockquote>
      )}
      <dl className="review-item__meta">
        <div>
          <dt>{t("card.conversation")}</dt>
          <dd>
            {item.conversation === null ? (
              <span className="muted">{t("card.notShown")}</span>
            ) : (
              <>
                <Link to={`/w/${slug}/conversations/${item.conversation.id}`}>
                  {contact?.name ?? t("card.openConversation")}
                </Link>
                {contact?.phone != null && <span className="muted small"> {contact.phone}</span>}
                <span className="muted small"> · {t(`card.modes.${item.conversation.mode}`)}</span>
              </>
            )}
          </dd>
        </div>
        {item.rule !== null && (
          <div>
            <dt>{t("card.rule")}</dt>
            <dd>{item.rule.name}</dd>
          </div>
        )}
        {item.status === "CLAIMED" && (
          <div>
            <dt>{t("card.claimedBy")}</dt>
            <dd>
              {who(item.claimedBy)}
              {item.claimedAt !== null && <span className="muted small"> · {formatAge(item.claimedAt, now)}</span>}
            </dd>
          </div>
        )}
        {item.status === "RESOLVED" && (
          <>
            <div>
              <dt>{t("card.resolvedBy")}</dt>
              <dd>
                {who(item.resolvedBy)}
                {item.resolvedAt !== null && <span className="muted small"> · {formatAge(item.resolvedAt, now)}</span>}
              </dd>
            </div>
            {item.outcome !== null && (
              <div>
                <dt>{t("card.outcome")}</dt>
                <dd>{outcomeText(item.outcome)}</dd>
              </div>
            )}
            {item.note !== null && item.note !== "" && (
              <div>
                <dt>{t("card.note")}</dt>
                <dd className="wrap">{item.note}</dd>
              </div>
            )}
          </>
        )}
      </dl>
      {(actions.claim || actions.release || actions.resolve) && (
        <div className="card__actions">
          {actions.claim && (
            <Button variant="primary" size="small" disabled={busy} aria-describedby={titleId} onClick={onClaim}>
              {t("card.claim")}
            </Button>
          )}
          {actions.resolve && (
            <Button size="small" disabled={busy} aria-describedby={titleId} onClick={onResolve}>
              {t("card.resolve")}
            </Button>
          )}
          {actions.release && (
            <Button size="small" disabled={busy} aria-describedby={titleId} onClick={onRelease}>
              {t("card.release")}
            </Button>
          )}
        </div>
      )}
      {actions.heldBy !== null && !actions.resolve && (
        <p className="muted small review-item__held">
          {actions.release
            ? t("card.heldByReleasable", { name: actions.heldBy })
            : t("card.heldBy", { name: actions.heldBy })}
        </p>
      )}
    </li>
  );
}
