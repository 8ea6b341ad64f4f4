import { WhyCantI } from "../access/why-cant-i.tsx";
import { useMutation, useQuery } from "@apollo/client/react";
import { type WebhookEndpointForm, webhookEndpointForm } from "@atrium/validation";
import { useState } from "react";
import { useDebounced, useLive } from "../../platform/live.ts";
import { type WebhookDeliveriesQuery, type WebhookEndpointsQuery } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { CopyButton } from "../../platform/copy-button.tsx";
import { type Column, ConfirmDialog, DataTable, Dialog, FormActions, SkeletonList, toast } from "../../platform/ui/index.ts";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { formatTime } from "../../platform/format.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
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

type Endpoint = WebhookEndpointsQuery["webhookEndpoints"][number];
type Delivery = WebhookDeliveriesQuery["webhookDeliveries"]["edges"][number]["node"];
type Open = { kind: "create" } | { kind: "secret"; url: string; secret: string; rotated: boolean } | { kind: "delete"; endpoint: Endpoint } | { kind: "rotate"; endpoint: Endpoint };

/** /w/:slug/webhooks (A5): endpoints, their subscribed events and status, and each endpoint's delivery log. */
export function WebhooksPage({ workspace }: { workspace: CurrentWorkspace }) {
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
        Atrium POSTs each subscribed event as JSON signed per{" "}
        <a href="https://www.standardwebhooks.com" rel="noreferrer" target="_blank">
          Standard Webhooks
        </a>{" "}
        (<code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>). Failed deliveries are retried for about a day.
      </p>
      {!(canManage && ability.can("create", "Webhook")) && <WhyCantI workspaceId={workspaceId} action="create" subject="Webhook" label="Why can't I add endpoints?" />}
      {canManage && ability.can("create", "Webhook") && (
        <div className="toolbar">
          <button type="button" className="button button--primary" onClick={() => setOpen({ kind: "create" })}>
            Add endpoint
          </button>
        </div>
      )}
      {data === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} />
        ) : (
          <SkeletonList label="Loading endpoints…" rows={3} />
        )
      ) : data.webhookEndpoints.length === 0 ? (
        <p className="empty-state">{canManage ? "No endpoints yet. Add the URL of a service that should hear about new leads, messages and bookings." : "No endpoints yet."}</p>
      ) : (
        <ul className="card-list" aria-label="Endpoints">
          {data.webhookEndpoints.map((e) => (
            <li key={e.id} className="card" data-testid="webhook-endpoint">
              <div className="card__title">
                <code>{e.url}</code> {e.enabled ? <span className="badge badge--ok">Enabled</span> : <span className="badge badge--warning">Disabled</span>}
              </div>
              {!e.enabled && e.disabledReason && (
                <p className="banner banner--error" role="status">
                  {e.disabledReason}
                </p>
              )}
              <p className="card__meta">
                Events: {e.events.join(", ")}
                {e.consecutiveFailures > 0 && e.enabled && <> · {e.consecutiveFailures} failed attempts in a row</>}
                {e.previousSecretExpiresAt && <> · previous secret also signs until {formatTime(e.previousSecretExpiresAt)}</>}
              </p>
              <div className="card__actions">
                <button type="button" className="button button--small" aria-pressed={current?.id === e.id} onClick={() => setSelected(e.id)}>
                  Deliveries
                </button>
                {canManage && (
                  <>
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() =>
                        void update({ variables: { workspaceId, id: e.id, input: { enabled: !e.enabled } } }).then(() => {
                          toast(e.enabled ? "Endpoint disabled." : "Endpoint enabled.");
                          return refetch();
                        })
                      }
                    >
                      {e.enabled ? "Disable" : "Enable"}
                    </button>
                    <button type="button" className="button button--small" onClick={() => setOpen({ kind: "rotate", endpoint: e })}>
                      Rotate secret
                    </button>
                  </>
                )}
                {ability.can("delete", "Webhook") && (
                  <button type="button" className="button button--small button--danger" onClick={() => setOpen({ kind: "delete", endpoint: e })}>
                    Delete
                  </button>
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
          title="Rotate the signing secret?"
          confirmLabel="Rotate secret"
          onClose={() => setOpen(undefined)}
          onConfirm={async () => {
            const r = await rotate({ variables: { workspaceId, id: open.endpoint.id } });
            if (r.data) setOpen({ kind: "secret", url: open.endpoint.url, secret: r.data.rotateWebhookSecret.secret, rotated: true });
            void refetch();
          }}
        >
          <p>A new secret is made. For the next 24 hours every delivery carries both signatures, so the receiver can switch without missing events.</p>
        </ConfirmDialog>
      )}
      {open?.kind === "delete" && (
        <ConfirmDialog
          title="Delete this endpoint?"
          confirmLabel="Delete endpoint"
          danger
          onClose={() => setOpen(undefined)}
          onConfirm={async () => {
            await remove({ variables: { workspaceId, id: open.endpoint.id } });
            setOpen(undefined);
            toast("Endpoint deleted.");
            void refetch();
          }}
        >
          <p>
            <code>{open.endpoint.url}</code> stops receiving events and its delivery log is deleted.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** Add an endpoint: the URL checked as the API checks it, before anything is sent (exported for its test). */
export function CreateEndpointDialog({ workspaceId, onClose, onCreated }: { workspaceId: string; onClose: () => void; onCreated: (url: string, secret: string) => void }) {
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
    <Dialog title="Add a webhook endpoint" onClose={onClose}>
      <form className="form" onSubmit={(e) => void form.handleSubmit(onSubmit)(e)} noValidate>
        <ErrorBanner error={error} fieldsShown={WEBHOOK_FIELDS} />
        <Field label="URL" hint="https://… on a public address." error={errors.url?.message}>
          {(c) => <input {...c} type="url" autoComplete="off" placeholder="https://example.com/webhooks/atrium" {...form.register("url", { setValueAs: trimmed })} />}
        </Field>
        <fieldset className={errors.events !== undefined ? "field field--invalid" : "field"} aria-describedby={errors.events !== undefined ? "webhook-events-error" : undefined}>
          <legend>Events</legend>
          {WEBHOOK_EVENT_TYPES.map((t) => (
            <label key={t} className="choice">
              <input
                type="checkbox"
                checked={events.includes(t)}
                onChange={(e) => {
                  const next = WEBHOOK_EVENT_TYPES.filter((type) => (type === t ? e.target.checked : events.includes(type)));
                  form.setValue("events", next, { shouldValidate: form.formState.isSubmitted });
                }}
              />{" "}
              <code>{t}</code>
            </label>
          ))}
          {errors.events !== undefined && (
            <p className="field__error" id="webhook-events-error">
              {errors.events.message}
            </p>
          )}
        </fieldset>
        <FormActions submitLabel="Add endpoint" pending={loading} disabled={events.length === 0} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function SecretDialog({ url, secret, rotated, onClose }: { url: string; secret: string; rotated: boolean; onClose: () => void }) {
  return (
    <Dialog title={rotated ? "Your new signing secret" : "Endpoint added: copy its signing secret"} onClose={onClose}>
      <div className="form">
        <div className="banner banner--error" role="alert">
          This is the only time the secret is shown. Verify the webhook-signature header of each delivery with it.
        </div>
        <p>
          <code>{url}</code>
        </p>
        <div className="secret">
          <input type="text" readOnly aria-label="Signing secret" data-testid="webhook-secret" value={secret} onFocus={(e) => e.target.select()} />
          <CopyButton text={secret} label="Copy secret" className="button" />
        </div>
        <div className="form__actions">
          <button type="button" className="button button--primary" onClick={onClose}>
            I have stored the secret
          </button>
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
        Deliveries to <code>{endpoint.url}</code> <span className="live-indicator">live</span>
      </h2>
      {shownDelivery === undefined && <ErrorBanner error={problem} />}
      {data === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} />
        ) : (
          <SkeletonList label="Loading deliveries…" rows={3} />
        )
      ) : data.webhookDeliveries.totalCount === 0 ? (
        <p className="empty-state">No deliveries yet. They appear here as soon as a subscribed event ({endpoint.events.join(", ")}) happens.</p>
      ) : (
        <>
          <DataTable
            label="Deliveries"
            storageKey="webhook-deliveries"
            rows={data.webhookDeliveries.edges.map(({ node }) => node)}
            complete={!data.webhookDeliveries.pageInfo.hasNextPage}
            serverOrder={{ column: "created", direction: "descending", text: "Newest first" }}
            rowKey={(delivery) => delivery.id}
            rowProps={() => ({ "data-testid": "webhook-delivery" })}
            columns={deliveryColumns((delivery) => setShown(delivery.id))}
          />
          {data.webhookDeliveries.pageInfo.hasNextPage && (
            <button type="button" className="pager" disabled={loading} onClick={() => void fetchMore({ variables: { after: data.webhookDeliveries.pageInfo.endCursor } })}>
              {loading ? "Loading…" : "Load more"}
            </button>
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

function deliveryColumns(onOpen: (delivery: Delivery) => void): Column<Delivery>[] {
  return [
    {
      id: "event",
      header: "Event",
      sortValue: (delivery) => delivery.eventType,
      // Also opens the detail: on a phone the Details column is off to the right of the scrolled table.
      cell: (delivery) => (
        <button type="button" className="link-button" onClick={() => onOpen(delivery)}>
          <code>{delivery.eventType}</code>
        </button>
      ),
    },
    {
      id: "status",
      header: "Status",
      sortValue: (delivery) => delivery.status,
      cell: (delivery) => (
        <>
          <span className={STATUS_CLASS[delivery.status] ?? "badge"}>{delivery.status}</span>
          {delivery.status === "PENDING" && delivery.nextAttemptAt && <div className="muted small">next attempt {formatTime(delivery.nextAttemptAt)}</div>}
          {delivery.lastError && delivery.status !== "SUCCEEDED" && <div className="field__error">{delivery.lastError}</div>}
        </>
      ),
    },
    { id: "attempts", header: "Attempts", sortValue: (delivery) => delivery.attempts, cell: (delivery) => delivery.attempts },
    { id: "response", header: "Response", sortValue: (delivery) => delivery.responseStatus, cell: (delivery) => delivery.responseStatus ?? <span className="muted">—</span> },
    { id: "created", header: "Created", sortValue: (delivery) => delivery.createdAt, cell: (delivery) => <time dateTime={delivery.createdAt}>{formatTime(delivery.createdAt)}</time> },
    {
      id: "details",
      header: "Details",
      headerHidden: true,
      cell: (delivery) => (
        <button
          type="button"
          className="button button--small"
          onClick={() => onOpen(delivery)}
          aria-label={`Details of the ${delivery.eventType} delivery from ${formatTime(delivery.createdAt)}`}
        >
          Details
        </button>
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
  const [busy, setBusy] = useState(false);
  const attempts = [...delivery.log].sort((a, b) => b.attempt - a.attempt);
  return (
    <Dialog title={`Delivery of ${delivery.eventType}`} onClose={onClose} variant="drawer">
      <div className="delivery-detail" data-testid="webhook-delivery-detail">
        <dl className="details">
          <dt>Status</dt>
          <dd>
            <span className={STATUS_CLASS[delivery.status] ?? "badge"}>{delivery.status}</span>
            {delivery.status === "PENDING" && delivery.nextAttemptAt && <> · next attempt {formatTime(delivery.nextAttemptAt)}</>}
          </dd>
          <dt>Endpoint</dt>
          <dd>
            <code>{url}</code>
          </dd>
          <dt>webhook-id</dt>
          <dd>
            <code>{delivery.eventId}</code>
          </dd>
          <dt>Attempts</dt>
          <dd>{delivery.attempts}</dd>
          <dt>Last response</dt>
          <dd>{delivery.responseStatus !== null ? `HTTP ${delivery.responseStatus}` : <span className="muted">—</span>}</dd>
          <dt>Created</dt>
          <dd>{formatTime(delivery.createdAt)}</dd>
          {delivery.deliveredAt && (
            <>
              <dt>Delivered</dt>
              <dd>{formatTime(delivery.deliveredAt)}</dd>
            </>
          )}
          {delivery.lastError && delivery.status !== "SUCCEEDED" && (
            <>
              <dt>Last error</dt>
              <dd className="field__error">{delivery.lastError}</dd>
            </>
          )}
        </dl>
        <ErrorBanner error={problem} />
        {canRedeliver && (
          <div className="form__actions">
            <button
              type="button"
              className="button button--primary"
              disabled={busy}
              onClick={() => {
                setBusy(true);
                void onRedeliver().finally(() => setBusy(false));
              }}
            >
              {busy ? "Redelivering…" : "Redeliver"}
            </button>
            <span className="muted small">Sends this event again now, with the same webhook-id.</span>
          </div>
        )}
        {attempts.length === 0 ? (
          <p className="empty-state">No attempt yet.</p>
        ) : (
          attempts.map((a) => (
            <section key={a.id} className="attempt" aria-label={`Attempt ${a.attempt}`} data-testid="webhook-attempt">
              <h3 className="attempt__title">
                Attempt {a.attempt}
                {a.manual && <span className="badge badge--muted">manual</span>}
                <span className={a.responseStatus !== null && a.responseStatus >= 200 && a.responseStatus < 300 ? "badge badge--ok" : "badge badge--warning"}>
                  {a.responseStatus !== null ? `HTTP ${a.responseStatus}` : "no answer"}
                </span>
              </h3>
              <dl className="details">
                <dt>Sent</dt>
                <dd>{formatTime(a.createdAt)}</dd>
                <dt>Latency</dt>
                <dd>{a.latencyMs} ms</dd>
                <dt>URL</dt>
                <dd>
                  <code>{a.requestUrl}</code>
                </dd>
                {a.error && (
                  <>
                    <dt>Error</dt>
                    <dd className="field__error">{a.error}</dd>
                  </>
                )}
              </dl>
              <h4>Request headers</h4>
              <dl className="header-list">
                {headerPairs(a.requestHeaders).map(([name, value]) => (
                  <div key={name} style={{ display: "contents" }}>
                    <dt>{name}</dt>
                    <dd>{value}</dd>
                  </div>
                ))}
              </dl>
              <h4>Request body</h4>
              <CodeBlock label={`Request body of attempt ${a.attempt}`}>{pretty(a.requestBody)}</CodeBlock>
              {a.responseBody && (
                <>
                  <h4>Response body</h4>
                  <CodeBlock label={`Response body of attempt ${a.attempt}`}>{pretty(a.responseBody)}</CodeBlock>
                </>
              )}
            </section>
          ))
        )}
      </div>
    </Dialog>
  );
}
