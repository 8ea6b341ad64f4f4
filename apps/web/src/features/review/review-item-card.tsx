/** One item of the review queue: why it is there, where, since when, who holds it, and what can be done. */
import { Link } from "react-router";
import { formatTime } from "../../platform/format.ts";
import { type ItemActions, REVIEW_REASON_LABELS, REVIEW_STATUS_LABELS, type ReviewItem, formatAge, isWaitingLong } from "./review-queue.ts";

const MODE_LABELS = { AI: "Agent replying", HUMAN: "A person replying" } as const;

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

export function ReviewItemCard({ item, slug, now, actions, busy, youId, onClaim, onRelease, onResolve }: ReviewItemCardProps) {
  const waitingLong = isWaitingLong(item, now);
  const contact = item.conversation?.contact;
  const who = (person: { id: string; name: string } | null) => (person === null ? "someone who left" : person.id === youId ? "you" : person.name);
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
        <span className={`badge review-badge review-badge--${item.reason.toLowerCase()}`}>{REVIEW_REASON_LABELS[item.reason]}</span>
        <span className={item.status === "RESOLVED" ? "badge badge--ok" : "badge badge--muted"}>{REVIEW_STATUS_LABELS[item.status]}</span>
        {waitingLong && <span className="badge badge--warning">Waiting over 1 h</span>}
        <time className="review-item__age" dateTime={item.createdAt} title={formatTime(item.createdAt)}>
          {formatAge(item.createdAt, now)}
        </time>
      </div>
      <p className="review-item__summary" id={titleId}>
        {item.summary}
      </p>
      {item.excerpt !== null && item.excerpt !== "" && (
        <blockquote className="review-item__excerpt">
          <span className="visually-hidden">Excerpt: </span>
          {item.excerpt}
        </blockquote>
      )}
      <dl className="review-item__meta">
        <div>
          <dt>Conversation</dt>
          <dd>
            {item.conversation === null ? (
              <span className="muted">Not shown</span>
            ) : (
              <>
                <Link to={`/w/${slug}/conversations/${item.conversation.id}`}>{contact?.name ?? "Open the conversation"}</Link>
                {contact?.phone != null && <span className="muted small"> {contact.phone}</span>}
                <span className="muted small"> · {MODE_LABELS[item.conversation.mode]}</span>
              </>
            )}
          </dd>
        </div>
        {item.rule !== null && (
          <div>
            <dt>Rule</dt>
            <dd>{item.rule.name}</dd>
          </div>
        )}
        {item.status === "CLAIMED" && (
          <div>
            <dt>Claimed by</dt>
            <dd>
              {who(item.claimedBy)}
              {item.claimedAt !== null && <span className="muted small"> · {formatAge(item.claimedAt, now)}</span>}
            </dd>
          </div>
        )}
        {item.status === "RESOLVED" && (
          <>
            <div>
              <dt>Resolved by</dt>
              <dd>
                {who(item.resolvedBy)}
                {item.resolvedAt !== null && <span className="muted small"> · {formatAge(item.resolvedAt, now)}</span>}
              </dd>
            </div>
            {item.outcome !== null && (
              <div>
                <dt>Outcome</dt>
                <dd>{item.outcome}</dd>
              </div>
            )}
            {item.note !== null && item.note !== "" && (
              <div>
                <dt>Note</dt>
                <dd className="wrap">{item.note}</dd>
              </div>
            )}
          </>
        )}
      </dl>
      {(actions.claim || actions.release || actions.resolve) && (
        <div className="card__actions">
          {actions.claim && (
            <button type="button" className="button button--small button--primary" disabled={busy} aria-describedby={titleId} onClick={onClaim}>
              Claim
            </button>
          )}
          {actions.resolve && (
            <button type="button" className="button button--small" disabled={busy} aria-describedby={titleId} onClick={onResolve}>
              Resolve…
            </button>
          )}
          {actions.release && (
            <button type="button" className="button button--small" disabled={busy} aria-describedby={titleId} onClick={onRelease}>
              Release
            </button>
          )}
        </div>
      )}
      {actions.heldBy !== null && !actions.resolve && <p className="muted small review-item__held">{actions.heldBy} is on it: only they can resolve it{actions.release ? ", or you can release it back to the queue" : ""}.</p>}
    </li>
  );
}
