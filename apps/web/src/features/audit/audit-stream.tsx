import { useMutation, useQuery } from "@apollo/client/react";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { type AuditStreamQuery } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { CopyButton } from "../../platform/copy-button.tsx";
import { describeError, type UserFacingError } from "../../platform/errors.ts";
import { formatNumber, formatTime } from "../../platform/format.ts";
import { useDebounced, useLive } from "../../platform/live.ts";
import { Button, ConfirmDialog, Dialog, Input, toast } from "../../platform/ui/index.ts";
import {
  AuditStreamDocument,
  AuditStreamEventsDocument,
  RemoveAuditStreamDocument,
  RetryAuditStreamDocument,
  RotateAuditStreamSecretDocument,
  SetAuditStreamDocument,
  TestAuditStreamDocument,
} from "./operations.ts";

type Stream = NonNullable<AuditStreamQuery["auditStream"]>;
type Open = { kind: "secret"; secret: string; rotated: boolean } | { kind: "rotate" } | { kind: "remove" };

const STATE_CLASS: Record<string, string> = {
  UP_TO_DATE: "badge badge--ok",
  DELIVERING: "badge badge--muted",
  FAILING: "badge badge--warning",
  DISABLED: "badge badge--muted",
};
const STATES = ["UP_TO_DATE", "DELIVERING", "FAILING", "DISABLED"] as const;
const isState = (s: string): s is (typeof STATES)[number] => (STATES as readonly string[]).includes(s);

/**
 * Issue 50: the audit page's "Streaming" card. Everyone who reads the log sees the stream's
 * status; workspace settings managers set the URL (the signing secret is shown once), rotate the
 * secret, turn it off or on, retry a failing stream now, or remove it. Once a stream is set up the
 * card folds to one line (its state and a summary) so the log stays above the fold on a phone;
 * it opens by default only while nothing is set up. Live (`auditStreamEvents`): a batch moving
 * refetches the status, nothing is polled.
 */
export function AuditStreamCard({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation("audit");
  const ability = useAbility();
  const canManage = ability.can("update", "Workspace");
  const id = useId();
  const { data, error, refetch } = useQuery(AuditStreamDocument, {
    variables: { workspaceId },
    fetchPolicy: "cache-and-network",
  });
  // A burst of changes (a batch started, then delivered) is one refetch.
  const refresh = useDebounced(() => void refetch(), 300);
  useLive(AuditStreamEventsDocument, { variables: { workspaceId }, onEvent: refresh, onResync: refresh });
  // Folded once a stream exists, unless the reader opened it; open while nothing is set up.
  const [unfolded, setUnfolded] = useState<boolean>();
  const [setStream, { loading: saving }] = useMutation(SetAuditStreamDocument);
  const [rotate] = useMutation(RotateAuditStreamSecretDocument);
  const [retry] = useMutation(RetryAuditStreamDocument);
  const [remove] = useMutation(RemoveAuditStreamDocument);
  const [sendTest, { loading: testing }] = useMutation(TestAuditStreamDocument);
  const [url, setUrl] = useState("");
  const [problem, setProblem] = useState<UserFacingError>();
  const [open, setOpen] = useState<Open>();
  const stream = data?.auditStream ?? null;
  const expanded = unfolded ?? stream === null;

  const save = async (input: { url: string; enabled: boolean }) => {
    setProblem(undefined);
    try {
      const r = await setStream({ variables: { workspaceId, input } });
      const secret = r.data?.setAuditStream.secret;
      if (secret) setOpen({ kind: "secret", secret, rotated: false });
      else toast(input.enabled ? t("stream.saved") : t("stream.turnedOff"));
      setUrl("");
      await refetch();
    } catch (caught) {
      setProblem(describeError(caught));
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void save({ url: url.trim(), enabled: stream?.enabled ?? true });
  };

  return (
    <section
      className={expanded ? "card audit-stream" : "card audit-stream audit-stream--folded"}
      aria-labelledby={`${id}-title`}
      data-testid="audit-stream"
    >
      <div className="audit-stream__head">
        <h2 className="card__title" id={`${id}-title`}>
          {t("stream.title")}{" "}
          {stream && (
            <span className={STATE_CLASS[stream.state] ?? "badge"}>
              {isState(stream.state) ? t(`stream.states.${stream.state}`) : stream.state}
            </span>
          )}
        </h2>
        {stream && (
          <Button
            variant="ghost"
            size="small"
            aria-expanded={expanded}
            aria-controls={`${id}-body`}
            onClick={() => setUnfolded(!expanded)}
            data-testid="audit-stream-toggle"
          >
            {expanded ? t("stream.hide") : canManage ? t("stream.showManage") : t("stream.show")}
          </Button>
        )}
      </div>
      {stream && !expanded && <StreamSummary stream={stream} />}
      {error !== undefined && data === undefined && <p role="alert">{describeError(error).message}</p>}
      <div id={`${id}-body`} hidden={!expanded}>
        <p className="muted">{t("stream.intro")}</p>
        {stream ? (
          <StreamStatus stream={stream} />
        ) : (
          data !== undefined && <p className="empty-state">{t("stream.none")}</p>
        )}
        {canManage && (
          <>
            <form className="toolbar" onSubmit={onSubmit} noValidate>
              <div className="toolbar__field">
                <label htmlFor={`${id}-url`}>{stream ? t("stream.newUrl") : t("stream.url")}</label>
                <Input
                  id={`${id}-url`}
                  type="url"
                  autoComplete="off"
                  placeholder={t("stream.urlPlaceholder")}
                  value={url}
                  onChange={(e) => setUrl(e.target.value)}
                  aria-invalid={problem !== undefined}
                />
              </div>
              <Button type="submit" variant="primary" disabled={saving || url.trim() === ""}>
                {stream ? t("stream.change") : t("stream.setUp")}
              </Button>
            </form>
            {problem !== undefined && (
              <p className="field__error" role="alert">
                {problem.message}
              </p>
            )}
            {stream && (
              <div className="card__actions">
                <Button size="small" onClick={() => void save({ url: stream.url, enabled: !stream.enabled })}>
                  {stream.enabled ? t("stream.turnOff") : t("stream.turnOn")}
                </Button>
                {stream.enabled && stream.state === "FAILING" && (
                  <Button size="small" onClick={() => void retry({ variables: { workspaceId } }).then(() => refetch())}>
                    {t("stream.retryNow")}
                  </Button>
                )}
                <Button
                  size="small"
                  disabled={testing}
                  onClick={() =>
                    void sendTest({ variables: { workspaceId } }).then(
                      (r) => {
                        const answer = r.data?.testAuditStream;
                        if (answer)
                          toast(
                            answer.ok
                              ? t("stream.testOk", { ms: formatNumber(answer.latencyMs) })
                              : t("stream.testFailed", { error: answer.error ?? "" }),
                          );
                      },
                      (caught: unknown) => setProblem(describeError(caught)),
                    )
                  }
                >
                  {t("stream.test")}
                </Button>
                <Button size="small" onClick={() => setOpen({ kind: "rotate" })}>
                  {t("stream.rotate")}
                </Button>
                <Button variant="danger" size="small" onClick={() => setOpen({ kind: "remove" })}>
                  {t("stream.remove")}
                </Button>
              </div>
            )}
          </>
        )}
      </div>
      {open?.kind === "secret" && (
        <StreamSecretDialog secret={open.secret} rotated={open.rotated} onClose={() => setOpen(undefined)} />
      )}
      {open?.kind === "rotate" && (
        <ConfirmDialog
          title={t("stream.rotateTitle")}
          confirmLabel={t("stream.rotate")}
          onClose={() => setOpen(undefined)}
          onConfirm={async () => {
            const r = await rotate({ variables: { workspaceId } });
            const secret = r.data?.rotateAuditStreamSecret.secret;
            if (secret) setOpen({ kind: "secret", secret, rotated: true });
            void refetch();
          }}
        >
          <p>{t("stream.rotateBody")}</p>
        </ConfirmDialog>
      )}
      {open?.kind === "remove" && (
        <ConfirmDialog
          title={t("stream.removeTitle")}
          confirmLabel={t("stream.remove")}
          danger
          onClose={() => setOpen(undefined)}
          onConfirm={async () => {
            await remove({ variables: { workspaceId } });
            setOpen(undefined);
            toast(t("stream.removed"));
            void refetch();
          }}
        >
          <p>{t("stream.removeBody")}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** The folded card's one line: where the stream sends, and what matters now (the error, what waits, the last delivery). */
function StreamSummary({ stream }: { stream: Stream }) {
  const { t } = useTranslation("audit");
  let now: string;
  if (stream.state === "FAILING" && stream.lastError) now = stream.lastError;
  else if (stream.pendingEvents > 0)
    now = t("stream.summaryWaiting", {
      count: stream.pendingEvents,
      pending: stream.pendingEventsCapped
        ? t("stream.atLeast", { number: formatNumber(stream.pendingEvents) })
        : formatNumber(stream.pendingEvents),
    });
  else
    now = stream.lastDeliveredAt
      ? t("stream.summaryDelivered", { when: formatTime(stream.lastDeliveredAt) })
      : t("stream.never");
  return (
    <p className="audit-stream__summary" data-testid="audit-stream-summary">
      <code className="audit-stream__url">{stream.url}</code>{" "}
      <span
        className={
          stream.state === "FAILING" ? "audit-stream__now audit-stream__now--failing" : "audit-stream__now muted"
        }
      >
        {now}
      </span>
    </p>
  );
}

function StreamStatus({ stream }: { stream: Stream }) {
  const { t } = useTranslation("audit");
  const pending = stream.pendingEventsCapped
    ? t("stream.atLeast", { number: formatNumber(stream.pendingEvents) })
    : formatNumber(stream.pendingEvents);
  return (
    <dl className="details-list">
      <dt>{t("stream.url")}</dt>
      <dd>
        <code>{stream.url}</code>
      </dd>
      <dt>{t("stream.lastDelivered")}</dt>
      <dd>
        {stream.lastDeliveredAt
          ? t("stream.lastDeliveredValue", {
              when: formatTime(stream.lastDeliveredAt),
              event: formatTime(stream.lastDeliveredEventAt),
            })
          : t("stream.never")}
      </dd>
      <dt>{t("stream.delivered")}</dt>
      <dd>{formatNumber(stream.deliveredEvents)}</dd>
      <dt>{t("stream.pending")}</dt>
      <dd>
        {stream.pendingEvents > 0
          ? t("stream.pendingValue", { pending, seconds: formatNumber(stream.lagSeconds) })
          : t("stream.upToDate")}
      </dd>
      {stream.lastError !== null && stream.lastError !== undefined && (
        <>
          <dt>{t("stream.lastError")}</dt>
          <dd role="status">
            {t("stream.lastErrorValue", {
              error: stream.lastError,
              count: stream.consecutiveFailures,
              when: formatTime(stream.lastAttemptAt),
            })}
            {stream.nextAttemptAt && <> {t("stream.nextAttempt", { when: formatTime(stream.nextAttemptAt) })}</>}
          </dd>
        </>
      )}
      {stream.previousSecretExpiresAt && (
        <>
          <dt>{t("stream.previousSecret")}</dt>
          <dd>{t("stream.previousSecretValue", { when: formatTime(stream.previousSecretExpiresAt) })}</dd>
        </>
      )}
    </dl>
  );
}

function StreamSecretDialog({ secret, rotated, onClose }: { secret: string; rotated: boolean; onClose: () => void }) {
  const { t } = useTranslation("audit");
  return (
    <Dialog title={rotated ? t("stream.secretRotatedTitle") : t("stream.secretTitle")} onClose={onClose}>
      <div className="form">
        <div className="banner banner--error" role="alert">
          {t("stream.secretOnce")}
        </div>
        <div className="secret">
          <Input
            type="text"
            readOnly
            aria-label={t("stream.secretLabel")}
            data-testid="audit-stream-secret"
            value={secret}
            onFocus={(e) => e.target.select()}
          />
          <CopyButton text={secret} label={t("stream.copy")} className="button" />
        </div>
        <div className="form__actions">
          <Button variant="primary" onClick={onClose}>
            {t("stream.stored")}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
