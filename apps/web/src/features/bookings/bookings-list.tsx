/**
 * Consultations booked through Cal.com (SPEC R4): the workspace's bookings page and the same
 * list on a lead's detail page. Cancelling and rescheduling ask Cal.com first; the row shows
 * what Cal.com answered (new times, or cancelled).
 */
import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import * as z from "zod/mini";

import { cancelBookingForm, type CancelBookingForm } from "@atrium/validation";

import { type BookingFieldsFragment } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { formatTime, formatTotal } from "../../platform/format.ts";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { LoadError } from "../../platform/load-error.tsx";
import {
  Button,
  DataTable,
  Dialog,
  FormActions,
  RowActions,
  SkeletonList,
  TextField,
  toast,
  TruncatedText,
  usePageSize,
  type Column,
} from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { BookingsDocument, CancelBookingDocument, RescheduleBookingDocument } from "./operations.ts";
import { BOOKING_STATUS_LABELS, isActive, rescheduleStart, toLocalInput } from "./schedule.ts";

const PAGE_SIZES = [25, 50, 100] as const;
/** Names, not words: the fields whose server errors show beside them, the CASL subject, each row's test attributes. */
const REASON_FIELDS = ["reason"];
const START_FIELDS = ["start"];
const SUBJECT = "Lead";
const rowProps = ({ node }: { node: BookingFieldsFragment }) => ({
  "data-testid": "booking-row",
  "data-status": node.status,
});

function CancelDialog({
  workspaceId,
  booking,
  onClose,
}: {
  workspaceId: string;
  booking: BookingFieldsFragment;
  onClose: (message?: string) => void;
}) {
  const { t } = useTranslation("bookings");
  const form = useSchemaForm(cancelBookingForm, { reason: "" });
  const error = form.serverError;
  const [cancel, { loading }] = useMutation(CancelBookingDocument);
  const onSubmit = async ({ reason }: CancelBookingForm) => {
    form.clearServerError();
    try {
      await cancel({ variables: { workspaceId, id: booking.id, input: reason === "" ? null : { reason } } });
      onClose(t("cancel.done", { name: booking.attendeeName }));
    } catch (caught) {
      form.failed(describeError(caught), ["reason"]);
    }
  };
  return (
    <Dialog title={t("cancel.title", { name: booking.attendeeName })} onClose={() => onClose()}>
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        <p>{t("cancel.body", { time: formatTime(booking.startsAt), email: booking.attendeeEmail })}</p>
        <ErrorBanner error={error} fieldsShown={REASON_FIELDS} />
        <Field label={t("cancel.reason")} error={form.formState.errors.reason?.message}>
          {(control) => <textarea {...control} rows={2} {...form.register("reason", { setValueAs: trimmed })} />}
        </Field>
        <FormActions
          submitLabel={t("cancel.submit")}
          pending={loading}
          pendingLabel={t("cancel.pending")}
          variant="danger"
          onCancel={() => onClose()}
          cancelLabel={t("cancel.keep")}
        />
      </form>
    </Dialog>
  );
}

/**
 * The new start as a `datetime-local` value (the user's local time); the API takes the ISO instant
 * and Cal.com judges whether the slot is free. What only this form knows: a time in the future.
 */
const rescheduleForm = z.object({
  start: z.string().check(
    z.superRefine((value, ctx) => {
      const checked = rescheduleStart(value);
      if ("problem" in checked) ctx.issues.push({ code: "custom", message: checked.problem, input: value });
    }),
  ),
});

function RescheduleDialog({
  workspaceId,
  booking,
  onClose,
}: {
  workspaceId: string;
  booking: BookingFieldsFragment;
  onClose: (message?: string) => void;
}) {
  const { t } = useTranslation("bookings");
  const form = useSchemaForm(rescheduleForm, { start: toLocalInput(booking.startsAt) });
  const error = form.serverError;
  const [reschedule, { loading }] = useMutation(RescheduleBookingDocument);
  const onSubmit = async ({ start: local }: z.infer<typeof rescheduleForm>) => {
    form.clearServerError();
    const checked = rescheduleStart(local);
    // The schema has judged it already; a time that passed since is refused here.
    if ("problem" in checked) {
      form.setError("start", { type: "validate", message: checked.problem });
      return;
    }
    try {
      const result = await reschedule({ variables: { workspaceId, id: booking.id, input: { start: checked.start } } });
      onClose(t("reschedule.done", { time: formatTime(result.data?.rescheduleBooking.startsAt ?? checked.start) }));
    } catch (caught) {
      form.failed(describeError(caught), ["start"]);
    }
  };
  return (
    <Dialog title={t("reschedule.title", { name: booking.attendeeName })} onClose={() => onClose()}>
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        <p className="muted">{t("reschedule.now", { time: formatTime(booking.startsAt) })}</p>
        <ErrorBanner error={error} fieldsShown={START_FIELDS} />
        <TextField
          label={t("reschedule.start")}
          error={form.formState.errors.start?.message}
          type="datetime-local"
          {...form.register("start")}
        />
        <FormActions
          submitLabel={t("reschedule.submit")}
          pending={loading}
          pendingLabel={t("reschedule.pending")}
          onCancel={() => onClose()}
        />
      </form>
    </Dialog>
  );
}

type Open = { readonly kind: "cancel" | "reschedule"; readonly booking: BookingFieldsFragment } | undefined;

export function BookingsList({
  workspace,
  leadId,
  hideLead = false,
}: {
  workspace: CurrentWorkspace;
  leadId?: string;
  hideLead?: boolean;
}) {
  const { t } = useTranslation("bookings");
  const ability = useAbility();
  const canChange = ability.can("update", "Lead");
  const [open, setOpen] = useState<Open>();
  // The table's saved-layout key: the workspace's list, or the one on a lead's page.
  const tableKey = leadId === undefined ? "bookings" : "lead-bookings";
  const pageSize = usePageSize(tableKey, PAGE_SIZES, 25);
  const { data, error, loading, refetch, fetchMore } = useQuery(BookingsDocument, {
    variables: { workspaceId: workspace.id, first: pageSize.value, leadId: leadId ?? null },
    notifyOnNetworkStatusChange: true,
    fetchPolicy: "cache-and-network",
  });

  if (data === undefined) {
    if (error !== undefined) return <LoadError error={error} onRetry={refetch} small={leadId !== undefined} />;
    return <SkeletonList label={t("list.loading")} rows={leadId === undefined ? 5 : 2} />;
  }
  const { edges, totalCount, pageInfo } = data.bookings;
  const total = formatTotal(data.bookings);
  type Edge = (typeof edges)[number];
  if (edges.length === 0) {
    return (
      <div className="empty-state" data-testid="bookings-empty">
        {leadId !== undefined ? (
          <p>{t("list.emptyLead")}</p>
        ) : (
          <>
            <p>{t("list.empty")}</p>
            {ability.can("read", "Integration") ? (
              <Link to={`/w/${workspace.slug}/settings#settings-integrations-title`}>{t("list.connect")}</Link>
            ) : (
              <p className="muted">{t("list.adminConnects")}</p>
            )}
          </>
        )}
      </div>
    );
  }

  const columns: Column<Edge>[] = [
    {
      id: "when",
      header: t("list.columns.when"),
      sortValue: ({ node }) => node.startsAt,
      cell: ({ node }) => (
        <time dateTime={node.startsAt} className={node.status === "CANCELLED" ? "status--cancelled" : undefined}>
          {formatTime(node.startsAt)}
        </time>
      ),
    },
    ...(hideLead
      ? []
      : [
          {
            id: "lead",
            header: t("list.columns.lead"),
            sortValue: ({ node }: Edge) => node.lead?.name,
            cell: ({ node }: Edge) =>
              node.lead != null ? (
                <Link to={`/w/${workspace.slug}/leads/${node.lead.id}`}>{node.lead.name}</Link>
              ) : (
                <span className="muted">{t("list.deletedLead")}</span>
              ),
          },
        ]),
    {
      id: "attendee",
      header: t("list.columns.attendee"),
      sortValue: ({ node }) => node.attendeeName,
      cell: ({ node }) => (
        <>
          {node.attendeeName}
          <TruncatedText className="muted small" text={node.attendeeEmail} />
        </>
      ),
    },
    {
      id: "status",
      header: t("list.columns.status"),
      sortValue: ({ node }) => t(BOOKING_STATUS_LABELS[node.status]),
      cell: ({ node }) => (
        <span className={isActive(node.status) ? "badge" : "badge badge--muted"}>
          {t(BOOKING_STATUS_LABELS[node.status])}
        </span>
      ),
    },
    ...(canChange
      ? [
          {
            id: "actions",
            header: t("list.columns.actions"),
            cell: ({ node }: Edge) =>
              isActive(node.status) ? (
                <RowActions
                  name={`${node.attendeeName}, ${formatTime(node.startsAt)}`}
                  actions={[
                    { label: t("list.reschedule"), onSelect: () => setOpen({ kind: "reschedule", booking: node }) },
                    {
                      label: t("list.cancel"),
                      danger: true,
                      onSelect: () => setOpen({ kind: "cancel", booking: node }),
                    },
                  ]}
                />
              ) : (
                <span className="muted">—</span>
              ),
          },
        ]
      : []),
  ];

  return (
    <>
      {leadId === undefined && <p className="muted">{t("list.count", { count: totalCount, amount: total })}</p>}
      {!canChange && (
        <WhyCantI workspaceId={workspace.id} action="update" subject={SUBJECT} label={t("list.whyCant")} />
      )}
      <DataTable
        label={t("list.tableLabel")}
        storageKey={tableKey}
        rows={edges}
        complete={!pageInfo.hasNextPage}
        serverOrder={{ direction: "descending", text: t("list.order") }}
        {...(leadId === undefined ? { pageSize } : {})}
        rowKey={({ node }) => node.id}
        rowProps={rowProps}
        columns={columns}
      />
      {error !== undefined && <p role="alert">{describeError(error).message}</p>}
      {pageInfo.hasNextPage && (
        <Button
          variant="bare"
          className="pager"
          disabled={loading}
          onClick={() => void fetchMore({ variables: { after: pageInfo.endCursor } })}
        >
          {loading ? t("list.loadingMore") : t("list.loadMore")}
        </Button>
      )}
      {open?.kind === "cancel" && (
        <CancelDialog
          workspaceId={workspace.id}
          booking={open.booking}
          onClose={(message) => {
            setOpen(undefined);
            if (message !== undefined) toast(message);
          }}
        />
      )}
      {open?.kind === "reschedule" && (
        <RescheduleDialog
          workspaceId={workspace.id}
          booking={open.booking}
          onClose={(message) => {
            setOpen(undefined);
            if (message !== undefined) toast(message);
          }}
        />
      )}
    </>
  );
}
