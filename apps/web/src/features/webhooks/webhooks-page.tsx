import { WhyCantI } from "../access/why-cant-i.tsx";
import { useMutation, useQuery } from "@apollo/client/react";
import { type WebhookEndpointForm, webhookEndpointForm } from "@atrium/validation";
import { type TFunction } from "i18next";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useDebounced, useLive } from "../../platform/live.ts";
import { type WebhookDeliveriesQuery, type WebhookEndpointsQuery } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { CopyButton } from "../../platform/copy-button.tsx";
import { Button, Checkbox, type Column, ConfirmDialog, DataTable, Dialog, FormActions, Input, SkeletonList, TextField, toast } from "../../platform/ui/index.ts";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { formatTime } from "../../platform/format.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import {
  CreateWebhookEndpointDocument,
  DeleteWebhookEndpointDocument,
  RedeliverWebhookDocument,
  RotateWebhookSecretDocument,
  UpdateWebhookEndpointDocument,
  WEBHOOK_EVENT_TYPES,
  WebhookDeliveriesDocument,
  WebhookDeliveryEventsDocument,
  WebhookEndpointsDocument,
} from "./operations.ts";
import { CodeBlock } from "../../platform/scroll-region.tsx";

/** The endpoint form's fields, named like CreateWebhookEndpointInput's (server field errors land beside them). */
const WEBHOOK_FIELDS = ["url", "events"] as const;
/** The CASL subject "Why can't I?" asks about. */
const WEBHOOK_SUBJECT = "Webhook";
const DELIVERY_STATUSES = ["SUCCEEDED", "PENDING", "FAILED"] as const;
const isDeliveryStatus = (status: string): status is (typeof DELIVERY_STATUSES)[number] => (DELIVERY_STATUSES as readonly string[]).includes(status);
const deliveryStatus = (status: string, t: TFunction<"webhooks">) => (isDeliveryStatus(status) ? t(`deliveryStatus.${status}`) : status);
/** The API lists deliveries newest first. */
const SERVER_ORDER = { column: "created", direction: "descending" } as const;
const DELIVERIES_KEY = "webhook-deliveries";
const deliveryRowProps = () => ({ "data-testid": "webhook-delivery" });

type Endpoint = WebhookEndpointsQuery["webhookEndpoints"][number];
type Delivery = WebhookDeliveriesQuery["webhookDeliveries"]["edges"][number]["node"];
type Open = { kind: "create" } | { kind: "secret"; url: string; secret: string; rotated: boolean } | { kind: "delete"; endpoint: Endpoint } | { kind: "rotate"; endpoint: Endpoint };

/** /w/:slug/webhooks (A5): endpoints, their subscribed events and status, and each endpoint's delivery log. */
export function WebhooksPage({ workspace }: { workspace: CurrentWorkspace }) {
  const { t } = useTranslation("webhooks");
  const ability = useAbility();
  const workspaceId = workspace.id;
  const [open, setOpen] = useState<Open>();
  const [selected, setSelected] = useState<string>();
  const { data, error, refetch } = useQuery(WebhookEndpointsDocument, { variables: { workspaceId }, fetchPolicy: "cache-and-network" });
  const [update] = useMutation(UpdateWebhookEndpointDocument);
  const [remove] = useMutation(DeleteWebhookEndpointDocument);
  const [rotate] = useMutation(RotateWebhookSecretDocument);
  const canManage = ability.can("update", "Webhook");
  const current = data?.webhookEndpoints.find((e) => e.id === selected) ?? data?.webhookEndpoints[0];

  return (
    <>
      <p className="muted">
        <Trans ns="webhooks" i18nKey="page.intro" components={{ anchor: <a href="https://www.standardwebhooks.com" rel="noreferrer" target="_blank" />, code: <code /> }} />
      </p>
      {!(canManage && ability.can("create", "Webhook")) && <WhyCantI workspaceId={workspaceId} action="create" subject={WEBHOOK_SUBJECT} label={t("page.whyCantAdd")} />}
      {canManage && ability.can("create", "Webhook") && (
        <div className="toolbar">
          <Button variant="primary" onClick={() => setOpen({ kind: "create" })}>
            {t("page.add")}
          </Button>
        </div>
      )}
      {data === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} />
        ) : (
          <SkeletonList label={t("page.loading")} rows={3} />
        )
      ) : data.webhookEndpoints.length === 0 ? (
        <p className="empty-state">{canManage ? t("page.emptyManager") : t("page.empty")}</p>
      ) : (
        <ul className="card-list" aria-label={t("page.list")}>
          {data.webhookEndpoints.map((e) => (
            <li key={e.id} className="card" data-testid="webhook-endpoint">
              <div className="card__title">
                <code>{e.url}</code> {e.enabled ? <span className="badge badge--ok">{t("page.enabled")}</span> : <span className="badge badge--warning">{t("page.disabled")}</span>}
              </div>
              {!e.enabled && e.disabledReason && (
                <p className="banner banner--error" role="status">
                  {e.disabledReason}
                </p>
              )}
              <p className="card__meta">
                {t("page.events", { events: e.events.join(", ") })}
                {e.consecutiveFailures > 0 && e.enabled && <> · {t("page.failedInARow", { count: e.consecutiveFailures })}</>}
                {e.previousSecretExpiresAt && <> · {t("page.previousSecret", { date: formatTime(e.previousSecretExpiresAt) })}</>}
              </p>
              <div className="card__actions">
                <Button size="small" aria-pressed={current?.id === e.id} onClick={() => setSelected(e.id)}>
                  {t("page.deliveries")}
                </Button>
                {canManage && (
                  <>
                    <Button
                      size="small"
                      onClick={() =>
                        void update({ variables: { workspaceId, id: e.id, input: { enabled: !e.enabled } } }).then(() => {
                          toast(e.enabled ? t("page.endpointDisabled") : t("page.endpointEnabled"));
                          return refetch();
                        })
                      }
                    >
                      {e.enabled ? t("page.disable") : t("page.enable")}
                    </Button>
                    <Button size="small" onClick={() => setOpen({ kind: "rotate", endpoint: e })}>
                      {t("page.rotate")}
                    </Button>
                  </>
                )}
                {ability.can("delete", "Webhook") && (
                  <Button variant="danger" size="small" onClick={() => setOpen({ kind: "delete", endpoint: e })}>
                    {t("page.delete")}
                  </Button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {current && <Deliveries key={current.id} workspaceId={workspaceId} endpoint={current} canRedeliver={canManage} onEndpointMoved={() => void refetch().catch(() => undefined)} />}
      {open?.kind === "create" && (
        <CreateEndpointDialog
          workspaceId={workspaceId}
          onClose={() => setOpen(undefined)}
          onCreated={(url, secret) => {
            setOpen({ kind: "secret", url, secret, rotated: false });
            void refetch();
          }}
        />
      )}
      {open?.kind === "secret" && <SecretDialog url={open.url} secret={open.secret} rotated={open.rotated} onClose={() => setOpen(undefined)} />}
      {open?.kind === "rotate" && (
        <ConfirmDialog
          title={t("rotate.title")}
          confirmLabel={t("rotate.confirm")}
          onClose={() => setOpen(undefined)}
          onConfirm={async () => {
            const r = await rotate({ variables: { workspaceId, id: open.endpoint.id } });
            if (r.data) setOpen({ kind: "secret", url: open.endpoint.url, secret: r.data.rotateWebhookSecret.secret, rotated: true });
            void refetch();
          }}
        >
          <p>{t("rotate.body")}</p>
        </ConfirmDialog>
      )}
      {open?.kind === "delete" && (
        <ConfirmDialog
          title={t("delete.title")}
          confirmLabel={t("delete.confirm")}
          danger
          onClose={() => setOpen(undefined)}
          onConfirm={async () => {
            await remove({ variables: { workspaceId, id: open.endpoint.id } });
            setOpen(undefined);
            toast(t("delete.deleted"));
            void refetch();
          }}
        >
          <p>
            <Trans ns="webhooks" i18nKey="delete.body" values={{ url: open.endpoint.url }} components={{ code: <code /> }} />
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** Add an endpoint: the URL checked as the API checks it, before anything is sent (exported for its test). */
export function CreateEndpointDialog({ workspaceId, onClose, onCreated }: { workspaceId: string; onClose: () => void; onCreated: (url: string, secret: string) => void }) {
  const { t } = useTranslation("webhooks");
  const form = useSchemaForm(webhookEndpointForm, { url: "", events: ["lead.created"] });
  const { errors } = form.formState;
  const error = form.serverError;
  const events = form.watch("events");
  const [create, { loading }] = useMutation(CreateWebhookEndpointDocument);
  const onSubmit = async ({ url, events }: WebhookEndpointForm) => {
    form.clearServerError();
    try {
      const r = await create({ variables: { workspaceId, input: { url, events } } });
      if (r.data) onCreated(r.data.createWebhookEndpoint.endpoint.url, r.data.createWebhookEndpoint.secret);
    } catch (caught) {
      form.failed(describeError(caught), WEBHOOK_FIELDS);
    }
  };
  return (
    <Dialog title={t("create.title")} onClose={onClose}>
      <form className="form" onSubmit={(e) => void form.handleSubmit(onSubmit)(e)} noValidate>
        <ErrorBanner error={error} fieldsShown={WEBHOOK_FIELDS} />
        <TextField label={t("create.url")} hint={t("create.urlHint")} error={errors.url?.message} type="url" autoComplete="off" placeholder={t("create.urlPlaceholder")} {...form.register("url", { setValueAs: trimmed })} />
        <fieldset className={errors.events !== undefined ? "field field--invalid" : "field"} aria-describedby={errors.events !== undefined ? "webhook-events-error" : undefined}>
          <legend>{t("create.events")}</legend>
          {WEBHOOK_EVENT_TYPES.map((eventType) => (
            <label key={eventType} className="choice">
              <Checkbox
                checked={events.includes(eventType)}
                onChange={(e) => {
                  const next = WEBHOOK_EVENT_TYPES.filter((type) => (type === eventType ? e.target.checked : events.includes(type)));
                  form.setValue("events", next, { shouldValidate: form.formState.isSubmitted });
                }}
              />{" "}
              <code>{eventType}</code>
            </label>
          ))}
          {errors.events !== undefined && (
            <p className="field__error" id="webhook-events-error">
              {errors.events.message}
            </p>
          )}
        </fieldset>
        <FormActions submitLabel={t("create.submit")} pending={loading} disabled={events.length === 0} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function SecretDialog({ url, secret, rotated, onClose }: { url: string; secret: string; rotated: boolean; onClose: () => void }) {
  const { t } = useTranslation("webhooks");
  return (
    <Dialog title={rotated ? t("secret.rotatedTitle") : t("secret.createdTitle")} onClose={onClose}>
      <div className="form">
        <div className="banner banner--error" role="alert">
          {t("secret.once")}
        </div>
        <p>
          <code>{url}</code>
        </p>
        <div className="secret">
          <Input type="text" readOnly aria-label={t("secret.label")} data-testid="webhook-secret" value={secret} onFocus={(e) => e.target.select()} />
          <CopyButton text={secret} label={t("secret.copy")} className="button" />
        </div>
        <div className="form__actions">
          <Button variant="primary" onClick={onClose}>
            {t("secret.stored")}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}

const STATUS_CLASS: Record<string, string> = { SUCCEEDED: "badge badge--ok", PENDING: "badge badge--muted", FAILED: "badge badge--warning" };

/**
 * The endpoint's deliveries, newest first, live: an attempt on a listed delivery lands in the
 * cache by id (the event carries it); a new delivery re-reads the first page; and the endpoints
 * are re-read (an attempt moves the endpoint's failure count, or disables it), at most once a second.
 */
function Deliveries({ workspaceId, endpoint, canRedeliver, onEndpointMoved }: { workspaceId: string; endpoint: Endpoint; canRedeliver: boolean; onEndpointMoved: () => void }) {
  const { t } = useTranslation("webhooks");
  const { data, error, refetch, fetchMore, loading } = useQuery(WebhookDeliveriesDocument, { variables: { workspaceId, endpointId: endpoint.id, first: 20 }, fetchPolicy: "cache-and-network" });
  const refetchList = useDebounced(() => void refetch().catch(() => undefined), 1_000);
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
      await refetch();
    } catch (caught) {
      setProblem(describeError(caught));
    }
  };
  return (
    <section className="section" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">
        <Trans ns="webhooks" i18nKey="deliveries.title" values={{ url: endpoint.url }} components={{ code: <code />, live: <span className="live-indicator" /> }} />
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
            <Button variant="bare" className="pager" disabled={loading} onClick={() => void fetchMore({ variables: { after: data.webhookDeliveries.pageInfo.endCursor } })}>
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
          {delivery.status === "PENDING" && delivery.nextAttemptAt && <div className="muted small">{t("deliveries.nextAttempt", { date: formatTime(delivery.nextAttemptAt) })}</div>}
          {delivery.lastError && delivery.status !== "SUCCEEDED" && <div className="field__error">{delivery.lastError}</div>}
        </>
      ),
    },
    { id: "attempts", header: t("columns.attempts"), sortValue: (delivery) => delivery.attempts, cell: (delivery) => delivery.attempts },
    { id: "response", header: t("columns.response"), sortValue: (delivery) => delivery.responseStatus, cell: (delivery) => delivery.responseStatus ?? <span className="muted">—</span> },
    { id: "created", header: t("columns.created"), sortValue: (delivery) => delivery.createdAt, cell: (delivery) => <time dateTime={delivery.createdAt}>{formatTime(delivery.createdAt)}</time> },
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
    if (parsed !== null && typeof parsed === "object") return Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, String(v)]);
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
            {delivery.status === "PENDING" && delivery.nextAttemptAt && <> · {t("drawer.nextAttempt", { date: formatTime(delivery.nextAttemptAt) })}</>}
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
          <dd>{delivery.responseStatus !== null ? t("drawer.http", { status: delivery.responseStatus }) : <span className="muted">—</span>}</dd>
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
            <section key={a.id} className="attempt" aria-label={t("drawer.attempt", { number: a.attempt })} data-testid="webhook-attempt">
              <h3 className="attempt__title">
                {t("drawer.attempt", { number: a.attempt })}
                {a.manual && <span className="badge badge--muted">{t("drawer.manual")}</span>}
                <span className={a.responseStatus !== null && a.responseStatus >= 200 && a.responseStatus < 300 ? "badge badge--ok" : "badge badge--warning"}>
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
                  <CodeBlock label={t("drawer.responseBodyLabel", { number: a.attempt })}>{pretty(a.responseBody)}</CodeBlock>
                </>
              )}
            </section>
          ))
        )}
      </div>
    </Dialog>
  );
}
