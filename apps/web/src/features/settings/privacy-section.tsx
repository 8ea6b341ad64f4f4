/**
 * Issue 50: data-subject requests — export or erase one person's data (by e-mail and/or phone),
 * with each request's state and progress, and a completed export's download link. Needs
 * privacy.manage to make one (read to see them). The list is live (`dataSubjectRequestEvents`):
 * a request's job moving refetches it, nothing is polled. An erasure is confirmed in a dialog.
 */
import { useMutation, useQuery } from "@apollo/client/react";
import i18next from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import * as z from "zod/mini";

import { optionalContactEmail, optionalPhoneNumber } from "@atrium/validation";

import { type DataSubjectRequestKind, type DataSubjectRequestsQuery } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { formatTime } from "../../platform/format.ts";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { useDebounced, useLive } from "../../platform/live.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { ConfirmDialog, FormActions, Select, SkeletonList, TextField } from "../../platform/ui/index.ts";
import {
  CreateDataSubjectRequestDocument,
  DataSubjectRequestEventsDocument,
  DataSubjectRequestsDocument,
} from "./privacy-operations.ts";
import { SettingsSection } from "./section.tsx";

const KINDS: readonly DataSubjectRequestKind[] = ["EXPORT", "ERASE"];

/** The person by e-mail and/or phone (the shared contact rules), at least one of them. */
const privacyRequestForm = z
  .object({
    kind: z.enum(["EXPORT", "ERASE"]),
    email: optionalContactEmail,
    phone: optionalPhoneNumber,
  })
  .check(
    z.refine((v) => v.email.trim() !== "" || v.phone.trim() !== "", {
      error: () => i18next.t("privacy.personRequired", { ns: "settings" }),
      path: ["email"],
    }),
  );
type PrivacyRequestForm = z.output<typeof privacyRequestForm>;

/** The form's fields the API names in its errors. */
const FIELDS = ["email", "phone"] as const;

export function PrivacySection({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation("settings");
  const canCreate = useAbility().can("create", "DataSubjectRequest");
  const form = useSchemaForm(privacyRequestForm, { kind: "EXPORT", email: "", phone: "" });
  const { errors } = form.formState;
  const [create] = useMutation(CreateDataSubjectRequestDocument);
  const [created, setCreated] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<PrivacyRequestForm | null>(null);
  const list = useRequests(workspaceId);

  const send = async ({ kind, email, phone }: PrivacyRequestForm) => {
    await create({
      variables: { workspaceId, input: { kind, email: email.trim() || null, phone: phone.trim() || null } },
    });
    form.reset({ kind, email: "", phone: "" });
    setCreated(t("privacy.created"));
    list.refresh();
  };

  const onSubmit = async (values: PrivacyRequestForm) => {
    form.clearServerError();
    setCreated(null);
    // An erasure cannot be undone: it waits for the dialog's confirmation.
    if (values.kind === "ERASE") {
      setConfirming(values);
      return;
    }
    try {
      await send(values);
    } catch (caught) {
      form.failed(describeError(caught), FIELDS);
    }
  };

  return (
    <SettingsSection
      id="privacy"
      title={t("privacy.title")}
      description={<p className="muted">{t("privacy.description")}</p>}
    >
      {canCreate && (
        <form
          className="form"
          onSubmit={(event) => void form.handleSubmit(onSubmit)(event)}
          noValidate
          aria-label={t("privacy.formLabel")}
        >
          <ErrorBanner error={form.serverError} fieldsShown={FIELDS} />
          <Select label={t("privacy.kind")} {...form.register("kind")}>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kind === "ERASE" ? t("privacy.kindErase") : t("privacy.kindExport")}
              </option>
            ))}
          </Select>
          <TextField
            label={t("privacy.email")}
            error={errors.email?.message}
            type="email"
            autoComplete="off"
            {...form.register("email", { setValueAs: trimmed })}
          />
          <TextField
            label={t("privacy.phone")}
            hint={t("privacy.phoneHint")}
            error={errors.phone?.message}
            type="tel"
            autoComplete="off"
            {...form.register("phone", { setValueAs: trimmed })}
          />
          {created !== null && (
            <div className="banner banner--success" role="status">
              {created}
            </div>
          )}
          <FormActions submitLabel={t("privacy.submit")} pending={form.formState.isSubmitting} />
        </form>
      )}
      {confirming !== null && (
        <ConfirmDialog
          title={t("privacy.confirmEraseTitle")}
          confirmLabel={t("privacy.confirmEraseAction")}
          danger
          onClose={() => setConfirming(null)}
          onConfirm={async () => {
            await send(confirming);
            setConfirming(null);
          }}
        >
          <p>{t("privacy.confirmErase")}</p>
          <p className="muted">{[confirming.email, confirming.phone].filter((v) => v.trim() !== "").join(" · ")}</p>
        </ConfirmDialog>
      )}
      <h3 className="settings-section__subtitle">{t("privacy.requests")}</h3>
      <RequestList {...list} />
    </SettingsSection>
  );
}

/** The workspace's requests, refetched when one is made or its job moves. */
function useRequests(workspaceId: string) {
  const { data, error, refetch } = useQuery(DataSubjectRequestsDocument, { variables: { workspaceId } });
  // A burst of progress events (an erasure's steps) is one refetch.
  const refresh = useDebounced(() => void refetch(), 300);
  useLive(DataSubjectRequestEventsDocument, { variables: { workspaceId }, onEvent: refresh, onResync: refresh });
  return { requests: data?.dataSubjectRequests, error, refresh, retry: () => void refetch() };
}

function RequestList({
  requests,
  error,
  retry,
}: {
  requests: DataSubjectRequestsQuery["dataSubjectRequests"] | undefined;
  error: unknown;
  retry: () => void;
}) {
  const { t } = useTranslation("settings");
  if (requests === undefined)
    return error !== undefined ? (
      <LoadError error={error} onRetry={retry} small />
    ) : (
      <SkeletonList rows={2} label={t("privacy.loading")} />
    );
  if (requests.length === 0) return <p className="empty-state">{t("privacy.none")}</p>;
  return (
    <ul className="privacy-requests" data-testid="privacy-requests">
      {requests.map((r) => (
        <li key={r.id} className="privacy-request" data-status={r.status}>
          <div className="privacy-request__head">
            <strong>{r.kind === "ERASE" ? t("privacy.kindErase") : t("privacy.kindExport")}</strong>{" "}
            <span
              className={
                r.status === "FAILED" ? "badge badge--warning" : r.status === "COMPLETED" ? "badge badge--ok" : "badge"
              }
            >
              {t(`privacy.status.${r.status}`)}
            </span>{" "}
            <time className="muted small" dateTime={r.createdAt}>
              {formatTime(r.createdAt)}
            </time>
          </div>
          {r.total > 0 && r.status !== "COMPLETED" && (
            <div className="privacy-request__progress">
              <progress
                max={r.total}
                value={r.processed}
                aria-label={t("privacy.progress", { processed: r.processed, total: r.total })}
              />{" "}
              <span className="muted small">{t("privacy.progress", { processed: r.processed, total: r.total })}</span>
            </div>
          )}
          {r.downloadUrl && (
            <p>
              <a href={r.downloadUrl}>{t("privacy.download")}</a>
            </p>
          )}
          {r.error && (
            <p className="muted small" role={r.status === "FAILED" ? "alert" : undefined}>
              {r.error}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
