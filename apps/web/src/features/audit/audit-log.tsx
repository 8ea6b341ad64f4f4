import { useQuery } from "@apollo/client/react";
import { useId, useState } from "react";
import { useAbility } from "../../platform/ability.tsx";
import { describeError } from "../../platform/errors.ts";
import { useMe } from "../../platform/session.tsx";
import { ACTION_PREFIXES, type AuditFilters, NO_FILTERS, auditFilterVariables, dateRangeProblem, hasFilters } from "./filters.ts";
import { actionText, actorText, detailsText, targetText } from "./audit-format.ts";
import { AuditActorsDocument, AuditEventsDocument } from "./operations.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { DataTable, SkeletonList, TruncatedText, usePageSize } from "../../platform/ui/index.ts";

const PAGE_SIZES = [25, 50, 100] as const;

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** Action, actor and date range; every change re-runs the query from the first page. */
function AuditFilterBar({
  filters,
  onChange,
  actors,
}: {
  filters: AuditFilters;
  onChange: (filters: AuditFilters) => void;
  actors: readonly { id: string; label: string }[] | undefined;
}) {
  const id = useId();
  const set = (patch: Partial<AuditFilters>) => onChange({ ...filters, ...patch });
  const rangeProblem = dateRangeProblem(filters);
  return (
    <form className="toolbar audit-filters" aria-label="Filter audit events" onSubmit={(event) => event.preventDefault()}>
      <div className="toolbar__field">
        <label htmlFor={`${id}-action`}>Action</label>
        <select id={`${id}-action`} value={filters.action} onChange={(event) => set({ action: event.target.value })}>
          <option value="">All actions</option>
          {ACTION_PREFIXES.map((prefix) => (
            <option key={prefix.value} value={prefix.value}>
              {prefix.label} ({prefix.value}*)
            </option>
          ))}
          <option value="custom">Exact action or prefix…</option>
        </select>
      </div>
      {filters.action === "custom" && (
        <div className="toolbar__field">
          <label htmlFor={`${id}-action-name`}>Action name</label>
          <input
            id={`${id}-action-name`}
            type="text"
            placeholder="workspace.updated or lead."
            value={filters.customAction}
            spellCheck={false}
            onChange={(event) => set({ customAction: event.target.value })}
          />
        </div>
      )}
      {actors !== undefined && (
        <div className="toolbar__field">
          <label htmlFor={`${id}-actor`}>Actor</label>
          <select id={`${id}-actor`} value={filters.actorUserId} onChange={(event) => set({ actorUserId: event.target.value })}>
            <option value="">Anyone</option>
            {actors.map((actor) => (
              <option key={actor.id} value={actor.id}>
                {actor.label}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="toolbar__field">
        <label htmlFor={`${id}-from`}>From</label>
        <input id={`${id}-from`} type="date" value={filters.from} max={filters.to || undefined} onChange={(event) => set({ from: event.target.value })} />
      </div>
      <div className="toolbar__field">
        <label htmlFor={`${id}-to`}>To</label>
        <input id={`${id}-to`} type="date" value={filters.to} min={filters.from || undefined} onChange={(event) => set({ to: event.target.value })} />
      </div>
      {hasFilters(filters) && (
        <button type="button" className="button button--small" onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </button>
      )}
      {rangeProblem !== undefined && (
        <p className="field__error" role="alert">
          {rangeProblem}
        </p>
      )}
    </form>
  );
}

/** The workspace's audit log (SPEC S3), newest first, paged with a cursor, with filters. */
export function AuditLog({ workspaceId }: { workspaceId: string }) {
  const me = useMe();
  const ability = useAbility();
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const canReadMembers = ability.can("read", "Member");
  const members = useQuery(AuditActorsDocument, { variables: { workspaceId }, skip: !canReadMembers });
  const actors = members.data?.members.map((member) => ({
    id: member.user.id,
    label: member.user.id === me.id ? `You (${member.user.email})` : `${member.user.name} (${member.user.email})`,
  }));
  const rangeProblem = dateRangeProblem(filters);
  const pageSize = usePageSize("audit", PAGE_SIZES, 25);
  const { data, previousData, loading, error, fetchMore, refetch } = useQuery(AuditEventsDocument, {
    variables: { workspaceId, first: pageSize.value, ...auditFilterVariables(filters) },
    skip: rangeProblem !== undefined,
    notifyOnNetworkStatusChange: true,
  });
  const filterBar = <AuditFilterBar filters={filters} onChange={setFilters} actors={actors} />;
  // While a new filter loads, keep showing the previous results rather than blanking the page.
  const shown = data ?? previousData;

  if (shown === undefined || rangeProblem !== undefined) {
    if (error !== undefined) {
      return (
        <>
          {filterBar}
          <LoadError error={error} onRetry={refetch} />
        </>
      );
    }
    return (
      <>
        {filterBar}
        {rangeProblem === undefined && <SkeletonList label="Loading audit log…" />}
      </>
    );
  }

  const { edges, pageInfo, totalCount } = shown.auditEvents;
  if (edges.length === 0) {
    return (
      <>
        {filterBar}
        <p className="empty-state">{hasFilters(filters) ? "No events match these filters." : "No events recorded yet."}</p>
      </>
    );
  }

  return (
    <>
      {filterBar}
      <p className="muted" aria-live="polite">
        {totalCount} {totalCount === 1 ? "event" : "events"}
      </p>
      <DataTable
        label="Audit events"
        className="audit-table"
        storageKey="audit"
        rows={edges}
        complete={!pageInfo.hasNextPage}
        serverOrder={{ column: "when", direction: "descending", text: "Newest first" }}
        pageSize={pageSize}
        rowKey={({ node }) => node.id}
        rowProps={({ node }) => ({ "data-action": node.action })}
        columns={[
          { id: "when", header: "When", className: "audit-table__when", sortValue: ({ node }) => node.createdAt, cell: ({ node }) => <time dateTime={node.createdAt}>{formatTime(node.createdAt)}</time> },
          {
            id: "who",
            header: "Who",
            sortValue: ({ node }) => actorText(node, me.id).name,
            cell: ({ node }) => {
              const who = actorText(node, me.id);
              return (
                <>
                  <span className="audit-table__primary">{who.name}</span>
                  {who.detail !== undefined && <TruncatedText className="audit-table__secondary muted" text={who.detail} />}
                  {node.ip != null && <span className="audit-table__secondary muted">from {node.ip}</span>}
                </>
              );
            },
          },
          {
            id: "action",
            header: "Action",
            sortValue: ({ node }) => actionText(node.action),
            cell: ({ node }) => (
              <>
                <span className="audit-table__primary">{actionText(node.action)}</span>
                <code className="audit-table__secondary muted">
                  <TruncatedText text={node.action} />
                </code>
              </>
            ),
          },
          {
            id: "target",
            header: "Target",
            sortValue: ({ node }) => targetText(node)?.label,
            cell: ({ node }) => {
              const target = targetText(node);
              if (target === undefined) return "—";
              return (
                <>
                  <span className="audit-table__primary">{target.label}</span>
                  {target.kind !== undefined && <span className="audit-table__secondary muted">{target.kind}</span>}
                </>
              );
            },
          },
          { id: "details", header: "Details", className: "audit-table__details", cell: ({ node }) => detailsText(node.action, node.data) },
        ]}
      />
      {error !== undefined && <p role="alert">{describeError(error).message}</p>}
      {pageInfo.hasNextPage && (
        <button
          type="button"
          disabled={loading}
          onClick={() => void fetchMore({ variables: { after: pageInfo.endCursor } })}
        >
          {loading ? "Loading…" : "Load more"}
        </button>
      )}
    </>
  );
}
