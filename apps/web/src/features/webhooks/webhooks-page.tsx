import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";

import { webhookEndpointForm, type WebhookEndpointForm } from "@atrium/validation";

import { useAbility } from "../../platform/ability.tsx";
import { CopyButton } from "../../platform/copy-button.tsx";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { formatTime } from "../../platform/format.ts";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { LoadError } from "../../platform/load-error.tsx";
import {
  Button,
  Checkbox,
  ConfirmDialog,
  Dialog,
  FormActions,
  Input,
  SkeletonList,
  TextField,
  toast,
} from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { Deliveries, type Endpoint } from "./deliveries.tsx";
import {
  CreateWebhookEndpointDocument,
  DeleteWebhookEndpointDocument,
  RotateWebhookSecretDocument,
  UpdateWebhookEndpointDocument,
  WEBHOOK_EVENT_TYPES,
  WebhookEndpointsDocument,
} from "./operations.ts";

/** The endpoint form's fields, named like CreateWebhookEndpointInput's (server field errors land beside them). */
const WEBHOOK_FIELDS = ["url", "events"] as const;
/** The CASL subject "Why can't I?" asks about. */
const WEBHOOK_SUBJECT = "Webhook";

type Open =
  | { kind: "create" }
  | { kind: "secret"; url: string; secret: string; rotated: boolean }
  | { kind: "delete"; endpoint: Endpoint }
  | { kind: "rotate"; endpoint: Endpoint };

/** /w/:slug/webhooks (A5): endpoints, their subscribed events and status, and each endpoint's delivery log. */
export function WebhooksPage({ workspace }: { workspace: CurrentWorkspace }) {
  const { t } = useTranslation("webhooks");
  const ability = useAbility();
  const workspaceId = workspace.id;
  const [open, setOpen] = useState<Open>();
  const [selected, setSelected] = useState<string>();
  const { data, error, refetch } = useQuery(WebhookEndpointsDocument, {
    variables: { workspaceId },
    fetchPolicy: "cache-and-network",
  });
  const [update] = useMutation(UpdateWebhookEndpointDocument);
  const [remove] = useMutation(DeleteWebhookEndpointDocument);
  const [rotate] = useMutation(RotateWebhookSecretDocument);
  const canManage = ability.can("update", "Webhook");
  const current = data?.webhookEndpoints.find((e) => e.id === selected) ?? data?.webhookEndpoints[0];

  return (
    <>
      <p className="muted">
        <Trans
          ns="webhooks"
          i18nKey="page.intro"
          components={{
            anchor: <a href="https://www.standardwebhooks.com" rel="noreferrer" target="_blank" />,
            code: <code />,
          }}
        />
      </p>
      {!(canManage && ability.can("create", "Webhook")) && (
        <WhyCantI workspaceId={workspaceId} action="create" subject={WEBHOOK_SUBJECT} label={t("page.whyCantAdd")} />
      )}
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
                <code>{e.url}</code>{" "}
                {e.enabled ? (
                  <span className="badge badge--ok">{t("page.enabled")}</span>
                ) : (
                  <span className="badge badge--warning">{t("page.disabled")}</span>
                )}
              </div>
              {!e.enabled && e.disabledReason && (
                <p className="banner banner--error" role="status">
                  {e.disabledReason}
                </p>
              )}
              <p className="card__meta">
                {t("page.events", { events: e.events.join(", ") })}
                {e.consecutiveFailures > 0 && e.enabled && (
                  <> · {t("page.failedInARow", { count: e.consecutiveFailures })}</>
                )}
                {e.previousSecretExpiresAt && (
                  <> · {t("page.previousSecret", { date: formatTime(e.previousSecretExpiresAt) })}</>
                )}
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
                        void update({ variables: { workspaceId, id: e.id, input: { enabled: !e.enabled } } }).then(
                          () => {
                            toast(e.enabled ? t("page.endpointDisabled") : t("page.endpointEnabled"));
                            return refetch();
                          },
                        )
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
      {current && (
        <Deliveries
          key={current.id}
          workspaceId={workspaceId}
          endpoint={current}
          canRedeliver={canManage}
          onEndpointMoved={() => void refetch().catch(() => undefined)}
        />
      )}
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
      {open?.kind === "secret" && (
        <SecretDialog url={open.url} secret={open.secret} rotated={open.rotated} onClose={() => setOpen(undefined)} />
      )}
      {open?.kind === "rotate" && (
        <ConfirmDialog
          title={t("rotate.title")}
          confirmLabel={t("rotate.confirm")}
          onClose={() => setOpen(undefined)}
          onConfirm={async () => {
            const r = await rotate({ variables: { workspaceId, id: open.endpoint.id } });
            if (r.data)
              setOpen({
                kind: "secret",
                url: open.endpoint.url,
                secret: r.data.rotateWebhookSecret.secret,
                rotated: true,
              });
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
            <Trans
              ns="webhooks"
              i18nKey="delete.body"
              values={{ url: open.endpoint.url }}
              components={{ code: <code /> }}
            />
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** Add an endpoint: the URL checked as the API checks it, before anything is sent (exported for its test). */
export function CreateEndpointDialog({
  workspaceId,
  onClose,
  onCreated,
}: {
  workspaceId: string;
  onClose: () => void;
  onCreated: (url: string, secret: string) => void;
}) {
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
        <TextField
          label={t("create.url")}
          hint={t("create.urlHint")}
          error={errors.url?.message}
          type="url"
          autoComplete="off"
          placeholder={t("create.urlPlaceholder")}
          {...form.register("url", { setValueAs: trimmed })}
        />
        <fieldset
          className={errors.events !== undefined ? "field field--invalid" : "field"}
          aria-describedby={errors.events !== undefined ? "webhook-events-error" : undefined}
        >
          <legend>{t("create.events")}</legend>
          {WEBHOOK_EVENT_TYPES.map((eventType) => (
            <label key={eventType} className="choice">
              <Checkbox
                checked={events.includes(eventType)}
                onChange={(e) => {
                  const next = WEBHOOK_EVENT_TYPES.filter((type) =>
                    type === eventType ? e.target.checked : events.includes(type),
                  );
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
        <FormActions
          submitLabel={t("create.submit")}
          pending={loading}
          disabled={events.length === 0}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}

function SecretDialog({
  url,
  secret,
  rotated,
  onClose,
}: {
  url: string;
  secret: string;
  rotated: boolean;
  onClose: () => void;
}) {
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
          <Input
            type="text"
            readOnly
            aria-label={t("secret.label")}
            data-testid="webhook-secret"
            value={secret}
            onFocus={(e) => e.target.select()}
          />
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
