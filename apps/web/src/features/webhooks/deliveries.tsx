/** A webhook endpoint's deliveries: the live, paged list and the drawer with one delivery's attempts. */
import { useMutation, useQuery } from "@apollo/client/react";
import { type TFunction } from "i18next";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";

import { type WebhookDeliveriesQuery, type WebhookEndpointsQuery } from "../../gql/graphql.ts";
import { describeError, type UserFacingError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { formatTime } from "../../platform/format.ts";
import { useDebounced, useFreshRefetch, useLive } from "../../platform/live.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { CodeBlock } from "../../platform/scroll-region.tsx";
import { Button, DataTable, Dialog, SkeletonList, type Column } from "../../platform/ui/index.ts";
import { RedeliverWebhookDocument, WebhookDeliveriesDocument, WebhookDeliveryEventsDocument } from "./operations.ts";

export type Endpoint = WebhookEndpointsQuery["webhookEndpoints"][number];

const DELIVERY_STATUSES = ["SUCCEEDED", "PENDING", "FAILED"] as const;
const isDeliveryStatus = (status: string): status is (typeof DELIVERY_STATUSES)[number] =>
  (DELIVERY_STATUSES as readonly string[]).includes(status);
const deliveryStatus = (status: string, t: TFunction<"webhooks">) =>
  isDeliveryStatus(status) ? t(`deliveryStatus.${status}`) : status;
/** The API lists deliveries newest first. */
const SERVER_ORDER = { column: "created", direction: "descending" } as const;
const DELIVERIES_KEY = "webhook-deliveries";
const deliveryRowProps = () => ({ "data-testid": "webhook-delivery" });
type Delivery = WebhookDeliveriesQuery["webhookDeliveries"]["edges"][number]["node"];
const STATUS_CLASS: Record<string, string> = {
  SUCCEEDED: "badge badge--ok",
  PENDING: "badge badge--muted",
  FAILED: "badge badge--warning",
};

/**
 * The endpoint's deliveries, newest first, live: an attempt on a listed delivery lands in the
 * cache by id (the event carries it); a new delivery re-reads the first page; and the endpoints
 * are re-read (an attempt moves the endpoint's failure count, or disables it), at most once a second.
 */
export function Deliveries({
  workspaceId,
  endpoint,
  canRedeliver,
  onEndpointMoved,
}: {
  workspaceId: string;
  endpoint: Endpoint;
  canRedeliver: boolean;
  onEndpointMoved: () => void;
}) {
  const { t } = useTranslation("webhooks");
  const { data, error, refetch, fetchMore, loading } = useQuery(WebhookDeliveriesDocument, {
    variables: { workspaceId, endpointId: endpoint.id, first: 20 },
    fetchPolicy: "cache-and-network",
  });
  // A read of the list that was in flight when a delivery changed is done again (its answer may
  // predate the change: a redelivery's second attempt would be replaced by the first).
  const reader = useFreshRefetch(refetch, 1_000);
  const refetchList = reader.soon;
  const endpointMoved = useDebounced(onEndpointMoved, 1_000);
  useLive(WebhookDeliveryEventsDocument, {
    variables: { workspaceId, endpointId: endpoint.id },
    onEvent: ({ webhookDeliveryEvents: delivery }) => {
      if (!(data?.webhookDeliveries.edges.some(({ node }) => node.id === delivery.id) ?? false)) refetchList();
      endpointMoved();
    },
    onResync: () => {
      refetchList();
      endpointMoved();
    },
  });
  const [redeliver] = useMutation(RedeliverWebhookDocument);
  const [problem, setProblem] = useState<UserFacingError>();
  // The delivery shown in the drawer, by id: the drawer follows the live list as it is re-read.
  const [shown, setShown] = useState<string>();
  const shownDelivery = data?.webhookDeliveries.edges.find(({ node }) => node.id === shown)?.node;
  const onRedeliver = async (deliveryId: string) => {
    setProblem(undefined);
    try {
      await redeliver({ variables: { workspaceId, deliveryId } });
      await reader.now();
    } catch (caught) {
      setProblem(describeError(caught));
    }
  };
  return (
    <section className="section" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">
        <Trans
          ns="webhooks"
          i18nKey="deliveries.title"
          values={{ url: endpoint.url }}
          components={{ code: <code />, live: <span className="live-indicator" /> }}
        />
      </h2>
      {shownDelivery === undefined && <ErrorBanner error={problem} />}
      {data === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} />
        ) : (
          <SkeletonList label={t("deliveries.loading")} rows={3} />
        )
      ) : data.webhookDeliveries.totalCount === 0 ? (
        <p className="empty-state">{t("deliveries.empty", { events: endpoint.events.join(", ") })}</p>
      ) : (
        <>
          <DataTable
            label={t("deliveries.table")}
            storageKey={DELIVERIES_KEY}
            rows={data.webhookDeliveries.edges.map(({ node }) => node)}
            complete={!data.webhookDeliveries.pageInfo.hasNextPage}
            serverOrder={{ ...SERVER_ORDER, text: t("deliveries.newestFirst") }}
            rowKey={(delivery) => delivery.id}
            rowProps={deliveryRowProps}
            columns={deliveryColumns((delivery) => setShown(delivery.id), t)}
          />
          {data.webhookDeliveries.pageInfo.hasNextPage && (
            <Button
              variant="bare"
              className="pager"
              disabled={loading}
              onClick={() => void fetchMore({ variables: { after: data.webhookDeliveries.pageInfo.endCursor } })}
            >
              {loading ? t("deliveries.loadingMore") : t("deliveries.loadMore")}
            </Button>
          )}
        </>
      )}
      {shownDelivery !== undefined && (
        <DeliveryDrawer
          delivery={shownDelivery}
          url={endpoint.url}
          canRedeliver={canRedeliver && endpoint.enabled}
          problem={problem}
          onRedeliver={() => onRedeliver(shownDelivery.id)}
          onClose={() => {
            setShown(undefined);
            setProblem(undefined);
          }}
        />
      )}
    </section>
  );
}

function deliveryColumns(onOpen: (delivery: Delivery) => void, t: TFunction<"webhooks">): Column<Delivery>[] {
  return [
    {
      id: "event",
      header: t("columns.event"),
      sortValue: (delivery) => delivery.eventType,
      // Also opens the detail: on a phone the Details column is off to the right of the scrolled table.
      cell: (delivery) => (
        <Button variant="bare" className="link-button" onClick={() => onOpen(delivery)}>
          <code>{delivery.eventType}</code>
        </Button>
      ),
    },
    {
      id: "status",
      header: t("columns.status"),
      sortValue: (delivery) => delivery.status,
      cell: (delivery) => (
        <>
          <span className={STATUS_CLASS[delivery.status] ?? "badge"}>{deliveryStatus(delivery.status, t)}</span>
          {delivery.status === "PENDING" && delivery.nextAttemptAt && (
            <div className="muted small">
              {t("deliveries.nextAttempt", { date: formatTime(delivery.nextAttemptAt) })}
            </div>
          )}
          {delivery.lastError && delivery.status !== "SUCCEEDED" && (
            <div className="field__error">{delivery.lastError}</div>
          )}
        </>
      ),
    },
    {
      id: "attempts",
      header: t("columns.attempts"),
      sortValue: (delivery) => delivery.attempts,
      cell: (delivery) => delivery.attempts,
    },
    {
      id: "response",
      header: t("columns.response"),
      sortValue: (delivery) => delivery.responseStatus,
      cell: (delivery) => delivery.responseStatus ?? <span className="muted">—</span>,
    },
    {
      id: "created",
      header: t("columns.created"),
      sortValue: (delivery) => delivery.createdAt,
      cell: (delivery) => <time dateTime={delivery.createdAt}>{formatTime(delivery.createdAt)}</time>,
    },
    {
      id: "details",
      header: t("columns.details"),
      headerHidden: true,
      cell: (delivery) => (
        <Button
          size="small"
          onClick={() => onOpen(delivery)}
          aria-label={t("deliveries.detailsLabel", { event: delivery.eventType, date: formatTime(delivery.createdAt) })}
        >
          {t("deliveries.details")}
        </Button>
      ),
    },
  ];
}

/** The recorded request headers (signatures already redacted by the API), as name/value pairs. */
function headerPairs(raw: string): [string, string][] {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed !== null && typeof parsed === "object")
      return Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, String(v)]);
  } catch {
    // Not JSON: shown as recorded below.
  }
  return [["", raw]];
}

/** JSON bodies indented for reading; anything else as recorded. */
function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** One delivery in a drawer: its state, then every attempt (newest first) with request and answer. */
function DeliveryDrawer({
  delivery,
  url,
  canRedeliver,
  problem,
  onRedeliver,
  onClose,
}: {
  delivery: Delivery;
  url: string;
  canRedeliver: boolean;
  problem: UserFacingError | undefined;
  onRedeliver: () => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation("webhooks");
  const [busy, setBusy] = useState(false);
  const attempts = [...delivery.log].sort((a, b) => b.attempt - a.attempt);
  return (
    <Dialog title={t("drawer.title", { event: delivery.eventType })} onClose={onClose} variant="drawer">
      <div className="delivery-detail" data-testid="webhook-delivery-detail">
        <dl className="details">
          <dt>{t("drawer.status")}</dt>
          <dd>
            <span className={STATUS_CLASS[delivery.status] ?? "badge"}>{deliveryStatus(delivery.status, t)}</span>
            {delivery.status === "PENDING" && delivery.nextAttemptAt && (
              <> · {t("drawer.nextAttempt", { date: formatTime(delivery.nextAttemptAt) })}</>
            )}
          </dd>
          <dt>{t("drawer.endpoint")}</dt>
          <dd>
            <code>{url}</code>
          </dd>
          <dt>{t("drawer.webhookId")}</dt>
          <dd>
            <code>{delivery.eventId}</code>
          </dd>
          <dt>{t("drawer.attempts")}</dt>
          <dd>{delivery.attempts}</dd>
          <dt>{t("drawer.lastResponse")}</dt>
          <dd>
            {delivery.responseStatus !== null ? (
              t("drawer.http", { status: delivery.responseStatus })
            ) : (
              <span className="muted">—</span>
            )}
          </dd>
          <dt>{t("drawer.created")}</dt>
          <dd>{formatTime(delivery.createdAt)}</dd>
          {delivery.deliveredAt && (
            <>
              <dt>{t("drawer.delivered")}</dt>
              <dd>{formatTime(delivery.deliveredAt)}</dd>
            </>
          )}
          {delivery.lastError && delivery.status !== "SUCCEEDED" && (
            <>
              <dt>{t("drawer.lastError")}</dt>
              <dd className="field__error">{delivery.lastError}</dd>
            </>
          )}
        </dl>
        <ErrorBanner error={problem} />
        {canRedeliver && (
          <div className="form__actions">
            <Button
              variant="primary"
              disabled={busy}
              onClick={() => {
                setBusy(true);
                void onRedeliver().finally(() => setBusy(false));
              }}
            >
              {busy ? t("drawer.redelivering") : t("drawer.redeliver")}
            </Button>
            <span className="muted small">{t("drawer.redeliverHint")}</span>
          </div>
        )}
        {attempts.length === 0 ? (
          <p className="empty-state">{t("drawer.noAttempt")}</p>
        ) : (
          attempts.map((a) => (
            <section
              key={a.id}
              className="attempt"
              aria-label={t("drawer.attempt", { number: a.attempt })}
              data-testid="webhook-attempt"
            >
              <h3 className="attempt__title">
                {t("drawer.attempt", { number: a.attempt })}
                {a.manual && <span className="badge badge--muted">{t("drawer.manual")}</span>}
                <span
                  className={
                    a.responseStatus !== null && a.responseStatus >= 200 && a.responseStatus < 300
                      ? "badge badge--ok"
                      : "badge badge--warning"
                  }
                >
                  {a.responseStatus !== null ? t("drawer.http", { status: a.responseStatus }) : t("drawer.noAnswer")}
                </span>
              </h3>
              <dl className="details">
                <dt>{t("drawer.sent")}</dt>
                <dd>{formatTime(a.createdAt)}</dd>
                <dt>{t("drawer.latency")}</dt>
                <dd>{t("drawer.latencyValue", { ms: a.latencyMs })}</dd>
                <dt>{t("drawer.url")}</dt>
                <dd>
                  <code>{a.requestUrl}</code>
                </dd>
                {a.error && (
                  <>
                    <dt>{t("drawer.error")}</dt>
                    <dd className="field__error">{a.error}</dd>
                  </>
                )}
              </dl>
              <h4>{t("drawer.requestHeaders")}</h4>
              <dl className="header-list">
                {headerPairs(a.requestHeaders).map(([name, value]) => (
                  <div key={name} style={{ display: "contents" }}>
                    <dt>{name}</dt>
                    <dd>{value}</dd>
                  </div>
                ))}
              </dl>
              <h4>{t("drawer.requestBody")}</h4>
              <CodeBlock label={t("drawer.requestBodyLabel", { number: a.attempt })}>{pretty(a.requestBody)}</CodeBlock>
              {a.responseBody && (
                <>
                  <h4>{t("drawer.responseBody")}</h4>
                  <CodeBlock label={t("drawer.responseBodyLabel", { number: a.attempt })}>
                    {pretty(a.responseBody)}
                  </CodeBlock>
                </>
              )}
            </section>
          ))
        )}
      </div>
    </Dialog>
  );
}
