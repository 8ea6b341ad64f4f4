/**
 * Consultations booked through Cal.com (SPEC R4): the workspace's bookings page and the same
 * list on a lead's detail page. Cancelling and rescheduling ask Cal.com first; the row shows
 * what Cal.com answered (new times, or cancelled).
 */
import { useMutation, useQuery } from "@apollo/client/react";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { type BookingFieldsFragment } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { Dialog } from "../../platform/dialog.tsx";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { formatTime } from "../../platform/format.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { BookingsDocument, CancelBookingDocument, RescheduleBookingDocument } from "./operations.ts";
import { BOOKING_STATUS_LABELS, isActive, rescheduleStart, toLocalInput } from "./schedule.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { TableScroll } from "../../platform/scroll-region.tsx";

const PAGE_SIZE = 25;

function CancelDialog({ workspaceId, booking, onClose }: { workspaceId: string; booking: BookingFieldsFragment; onClose: (message?: string) => void }) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<UserFacingError>();
  const [cancel, { loading }] = useMutation(CancelBookingDocument);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    try {
      const trimmed = reason.trim();
      await cancel({ variables: { workspaceId, id: booking.id, input: trimmed === "" ? null : { reason: trimmed } } });
      onClose(`Cancelled the consultation with ${booking.attendeeName}.`);
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <Dialog title={`Cancel the consultation with ${booking.attendeeName}?`} onClose={() => onClose()}>
      <form className="form" onSubmit={(event) => void onSubmit(event)}>
        <p>
          {formatTime(booking.startsAt)}. Cal.com cancels it and tells {booking.attendeeEmail}.
        </p>
        <ErrorBanner error={error} fieldsShown={["reason"]} />
        <Field label="Reason (optional, sent to the attendee)" error={error?.fields["reason"]}>
          {(control) => <textarea {...control} rows={2} value={reason} onChange={(event) => setReason(event.target.value)} />}
        </Field>
        <div className="form__actions">
          <button type="submit" className="button button--danger" disabled={loading}>
            {loading ? "Cancelling…" : "Cancel consultation"}
          </button>
          <button type="button" className="button" onClick={() => onClose()}>
            Keep it
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function RescheduleDialog({ workspaceId, booking, onClose }: { workspaceId: string; booking: BookingFieldsFragment; onClose: (message?: string) => void }) {
  const [value, setValue] = useState(() => toLocalInput(booking.startsAt));
  const [error, setError] = useState<UserFacingError>();
  const [reschedule, { loading }] = useMutation(RescheduleBookingDocument);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    const checked = rescheduleStart(value);
    if ("problem" in checked) {
      setError({ code: "BAD_USER_INPUT", message: "Please correct the highlighted fields.", fields: { start: checked.problem } });
      return;
    }
    try {
      const result = await reschedule({ variables: { workspaceId, id: booking.id, input: { start: checked.start } } });
      onClose(`Moved to ${formatTime(result.data?.rescheduleBooking.startsAt ?? checked.start)}.`);
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <Dialog title={`Reschedule ${booking.attendeeName}`} onClose={() => onClose()}>
      <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <p className="muted">Now {formatTime(booking.startsAt)}. Cal.com checks the new time is free and tells the attendee.</p>
        <ErrorBanner error={error} fieldsShown={["start"]} />
        <Field label="New start (your local time)" error={error?.fields["start"]}>
          {(control) => <input {...control} type="datetime-local" value={value} onChange={(event) => setValue(event.target.value)} />}
        </Field>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={loading}>
            {loading ? "Rescheduling…" : "Reschedule"}
          </button>
          <button type="button" className="button" onClick={() => onClose()}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

type Open = { readonly kind: "cancel" | "reschedule"; readonly booking: BookingFieldsFragment } | undefined;

export function BookingsList({ workspace, leadId, hideLead = false }: { workspace: CurrentWorkspace; leadId?: string; hideLead?: boolean }) {
  const ability = useAbility();
  const canChange = ability.can("update", "Lead");
  const [open, setOpen] = useState<Open>();
  const [notice, setNotice] = useState<string>();
  const { data, error, loading, refetch, fetchMore } = useQuery(BookingsDocument, {
    variables: { workspaceId: workspace.id, first: PAGE_SIZE, leadId: leadId ?? null },
    notifyOnNetworkStatusChange: true,
    fetchPolicy: "cache-and-network",
  });

  if (data === undefined) {
    if (error !== undefined) return <LoadError error={error} onRetry={refetch} small={leadId !== undefined} />;
    return <p className="page-status">Loading bookings…</p>;
  }
  const { edges, totalCount, pageInfo } = data.bookings;
  if (edges.length === 0) {
    return (
      <div className="empty-state" data-testid="bookings-empty">
        {leadId !== undefined ? (
          <p>No consultation booked for this lead yet.</p>
        ) : (
          <>
            <p>No consultations booked yet. The agent books them on Cal.com when a lead agrees to a time.</p>
            {ability.can("read", "Integration") ? (
              <Link to={`/w/${workspace.slug}/settings#settings-integrations`}>Connect Cal.com in settings</Link>
            ) : (
              <p className="muted">An admin connects Cal.com in the workspace settings.</p>
            )}
          </>
        )}
      </div>
    );
  }

  return (
    <>
      {notice !== undefined && (
        <div className="banner banner--success" role="status">
          {notice}
        </div>
      )}
      {leadId === undefined && (
        <p className="muted">
          {totalCount} {totalCount === 1 ? "booking" : "bookings"}
        </p>
      )}
      {!canChange && <WhyCantI workspaceId={workspace.id} action="update" subject="Lead" label="Why can't I cancel or reschedule?" />}
      <TableScroll label="Bookings">
        <table className="table" aria-label="Bookings">
          <thead>
            <tr>
              <th scope="col">When</th>
              {!hideLead && <th scope="col">Lead</th>}
              <th scope="col">Attendee</th>
              <th scope="col">Status</th>
              {canChange && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {edges.map(({ node }) => (
              <tr key={node.id} data-testid="booking-row" data-status={node.status}>
                <td className={node.status === "CANCELLED" ? "status--cancelled" : undefined}>
                  <time dateTime={node.startsAt}>{formatTime(node.startsAt)}</time>
                </td>
                {!hideLead && (
                  <td>{node.lead != null ? <Link to={`/w/${workspace.slug}/leads/${node.lead.id}`}>{node.lead.name}</Link> : <span className="muted">Deleted lead</span>}</td>
                )}
                <td>
                  {node.attendeeName}
                  <br />
                  <span className="muted small">{node.attendeeEmail}</span>
                </td>
                <td>
                  <span className={isActive(node.status) ? "badge" : "badge badge--muted"}>{BOOKING_STATUS_LABELS[node.status]}</span>
                </td>
                {canChange && (
                  <td>
                    {isActive(node.status) ? (
                      <div className="booking-actions">
                        <button type="button" className="button button--small" onClick={() => setOpen({ kind: "reschedule", booking: node })}>
                          Reschedule
                        </button>
                        <button type="button" className="button button--small button--danger" onClick={() => setOpen({ kind: "cancel", booking: node })}>
                          Cancel
                        </button>
                      </div>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {error !== undefined && <p role="alert">{describeError(error).message}</p>}
      {pageInfo.hasNextPage && (
        <button type="button" className="pager" disabled={loading} onClick={() => void fetchMore({ variables: { after: pageInfo.endCursor } })}>
          {loading ? "Loading…" : "Load more"}
        </button>
      )}
      {open?.kind === "cancel" && (
        <CancelDialog
          workspaceId={workspace.id}
          booking={open.booking}
          onClose={(message) => {
            setOpen(undefined);
            if (message !== undefined) setNotice(message);
          }}
        />
      )}
      {open?.kind === "reschedule" && (
        <RescheduleDialog
          workspaceId={workspace.id}
          booking={open.booking}
          onClose={(message) => {
            setOpen(undefined);
            if (message !== undefined) setNotice(message);
          }}
        />
      )}
    </>
  );
}
