import { WhyCantI } from "../access/why-cant-i.tsx";
import { useMutation, useQuery } from "@apollo/client/react";
import { type FormEvent, useState } from "react";
import { type WebhookDeliveriesQuery, type WebhookEndpointsQuery } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { CopyButton } from "../../platform/copy-button.tsx";
import { ConfirmDialog, Dialog } from "../../platform/dialog.tsx";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { formatTime } from "../../platform/format.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
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
  WebhookEndpointsDocument,
} from "./operations.ts";

type Endpoint = WebhookEndpointsQuery["webhookEndpoints"][number];
type Delivery = WebhookDeliveriesQuery["webhookDeliveries"]["edges"][number]["node"];
type Open = { kind: "create" } | { kind: "secret"; url: string; secret: string; rotated: boolean } | { kind: "delete"; endpoint: Endpoint } | { kind: "rotate"; endpoint: Endpoint };

/** /w/:slug/webhooks (A5): endpoints, their subscribed events and status, and each endpoint's delivery log. */
export function WebhooksPage({ workspace }: { workspace: CurrentWorkspace }) {
  const ability = useAbility();
  const workspaceId = workspace.id;
  const [open, setOpen] = useState<Open>();
  const [selected, setSelected] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const { data, error, refetch } = useQuery(WebhookEndpointsDocument, { variables: { workspaceId }, fetchPolicy: "cache-and-network", pollInterval: 5000 });
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
      {notice !== undefined && (
        <div className="banner banner--success" role="status">
          {notice}
        </div>
      )}
      {data === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} />
        ) : (
          <p className="page-status">Loading endpoints…</p>
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
              <div className="table__actions">
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
                          setNotice(e.enabled ? "Endpoint disabled." : "Endpoint enabled.");
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
      {current && <Deliveries key={current.id} workspaceId={workspaceId} endpoint={current} canRedeliver={canManage} />}
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
            setNotice("Endpoint deleted.");
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

function CreateEndpointDialog({ workspaceId, onClose, onCreated }: { workspaceId: string; onClose: () => void; onCreated: (url: string, secret: string) => void }) {
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<ReadonlySet<string>>(new Set(["lead.created"]));
  const [error, setError] = useState<UserFacingError>();
  const [create, { loading }] = useMutation(CreateWebhookEndpointDocument);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    try {
      const r = await create({ variables: { workspaceId, input: { url, events: [...events] } } });
      if (r.data) onCreated(r.data.createWebhookEndpoint.endpoint.url, r.data.createWebhookEndpoint.secret);
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  const fields = error?.fields ?? {};
  return (
    <Dialog title="Add a webhook endpoint" onClose={onClose}>
      <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <ErrorBanner error={error} fieldsShown={["url", "events"]} />
        <Field label="URL" hint="https://… on a public address." error={fields["url"] ? error?.message : undefined}>
          {(c) => <input {...c} type="url" autoComplete="off" placeholder="https://example.com/webhooks/atrium" value={url} onChange={(e) => setUrl(e.target.value)} />}
        </Field>
        <fieldset className="field">
          <legend>Events</legend>
          {WEBHOOK_EVENT_TYPES.map((t) => (
            <label key={t} className="choice">
              <input
                type="checkbox"
                checked={events.has(t)}
                onChange={(e) => {
                  const next = new Set(events);
                  if (e.target.checked) next.add(t);
                  else next.delete(t);
                  setEvents(next);
                }}
              />{" "}
              <code>{t}</code>
            </label>
          ))}
          {fields["events"] && <p className="field__error">{error?.message}</p>}
        </fieldset>
        <div className="form__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={loading || events.size === 0}>
            Add endpoint
          </button>
        </div>
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

/** Long JSON bodies wrap inside the log instead of widening the table. */
const PRE = { whiteSpace: "pre-wrap", wordBreak: "break-all", maxWidth: "32rem" } as const;

const STATUS_CLASS: Record<string, string> = { SUCCEEDED: "badge badge--ok", PENDING: "badge badge--muted", FAILED: "badge badge--warning" };

/** The endpoint's deliveries, newest first, re-read every 3 s while the page is open. */
function Deliveries({ workspaceId, endpoint, canRedeliver }: { workspaceId: string; endpoint: Endpoint; canRedeliver: boolean }) {
  const { data, error, refetch, fetchMore, loading } = useQuery(WebhookDeliveriesDocument, { variables: { workspaceId, endpointId: endpoint.id, first: 20 }, fetchPolicy: "cache-and-network", pollInterval: 3000 });
  const [redeliver] = useMutation(RedeliverWebhookDocument);
  const [problem, setProblem] = useState<UserFacingError>();
  return (
    <section className="section" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">
        Deliveries to <code>{endpoint.url}</code> <span className="live-indicator">live</span>
      </h2>
      <ErrorBanner error={problem} />
      {data === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} />
        ) : (
          <p className="page-status">Loading deliveries…</p>
        )
      ) : data.webhookDeliveries.totalCount === 0 ? (
        <p className="empty-state">No deliveries yet. They appear here as soon as a subscribed event ({endpoint.events.join(", ")}) happens.</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table" aria-label="Deliveries">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Response</th>
                  <th scope="col">Created</th>
                  <th scope="col">
                    <span className="visually-hidden">Details</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.webhookDeliveries.edges.map(({ node }) => (
                  <DeliveryRow
                    key={node.id}
                    delivery={node}
                    canRedeliver={canRedeliver && endpoint.enabled}
                    onRedeliver={async () => {
                      setProblem(undefined);
                      try {
                        await redeliver({ variables: { workspaceId, deliveryId: node.id } });
                        await refetch();
                      } catch (caught) {
                        setProblem(describeError(caught));
                      }
                    }}
                  />
                ))}
              </tbody>
            </table>
          </div>
          {data.webhookDeliveries.pageInfo.hasNextPage && (
            <button type="button" className="pager" disabled={loading} onClick={() => void fetchMore({ variables: { after: data.webhookDeliveries.pageInfo.endCursor } })}>
              {loading ? "Loading…" : "Load more"}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function DeliveryRow({ delivery, canRedeliver, onRedeliver }: { delivery: Delivery; canRedeliver: boolean; onRedeliver: () => Promise<void> }) {
  return (
    <tr data-testid="webhook-delivery">
      <td>
        <code>{delivery.eventType}</code>
        <div className="muted small">webhook-id {delivery.eventId}</div>
      </td>
      <td>
        <span className={STATUS_CLASS[delivery.status] ?? "badge"}>{delivery.status}</span>
        {delivery.status === "PENDING" && delivery.nextAttemptAt && <div className="muted small">next attempt {formatTime(delivery.nextAttemptAt)}</div>}
        {delivery.lastError && delivery.status !== "SUCCEEDED" && <div className="field__error">{delivery.lastError}</div>}
      </td>
      <td>{delivery.attempts}</td>
      <td>{delivery.responseStatus ?? <span className="muted">—</span>}</td>
      <td>
        <time dateTime={delivery.createdAt}>{formatTime(delivery.createdAt)}</time>
      </td>
      <td>
        <details className="details">
          <summary>Log</summary>
          <ol>
            {delivery.log.map((a) => (
              <li key={a.id}>
                Attempt {a.attempt}
                {a.manual ? " (manual)" : ""} · {formatTime(a.createdAt)} · {a.responseStatus ?? a.error ?? "no answer"} · {a.latencyMs} ms
                <pre className="small" style={PRE}>
                  {a.requestBody}
                </pre>
                {a.responseBody && (
                  <pre className="small" style={PRE}>
                    {a.responseBody}
                  </pre>
                )}
              </li>
            ))}
          </ol>
        </details>
        {canRedeliver && (
          <button type="button" className="button button--small" onClick={() => void onRedeliver()}>
            Redeliver
          </button>
        )}
      </td>
    </tr>
  );
}
