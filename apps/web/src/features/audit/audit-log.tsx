import { useQuery } from "@apollo/client/react";
import { useId, useState } from "react";
import { useAbility } from "../../platform/ability.tsx";
import { describeError } from "../../platform/errors.ts";
import { useMe } from "../../platform/session.tsx";
import { ACTION_PREFIXES, type AuditFilters, NO_FILTERS, auditFilterVariables, dateRangeProblem, hasFilters } from "./filters.ts";
import { AuditActorsDocument, AuditEventsDocument } from "./operations.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { DataTable, SkeletonList } from "../../platform/ui/index.ts";

const PAGE_SIZE = 25;

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** Audit details are JSON; show a flat object as `key: value` pairs, anything else as stored. */
function formatData(data: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return data;
  }
  if (parsed === null) return "";
  if (typeof parsed !== "object" || Array.isArray(parsed)) return JSON.stringify(parsed);
  return Object.entries(parsed)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join("\n");
}

function actorLabel(
  event: { actorUserId?: string | null; actorApiKeyId?: string | null },
  myUserId: string,
  names: ReadonlyMap<string, string>,
): string {
  if (event.actorUserId === myUserId) return "You";
  if (event.actorUserId != null) return names.get(event.actorUserId) ?? `User ${event.actorUserId}`;
  if (event.actorApiKeyId != null) return `API key ${event.actorApiKeyId}`;
  return "System";
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
  const names = new Map((members.data?.members ?? []).map((member) => [member.user.id, member.user.name] as const));
  const rangeProblem = dateRangeProblem(filters);
  const { data, previousData, loading, error, fetchMore, refetch } = useQuery(AuditEventsDocument, {
    variables: { workspaceId, first: PAGE_SIZE, ...auditFilterVariables(filters) },
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
        rows={edges}
        rowKey={({ node }) => node.id}
        columns={[
          { id: "when", header: "When", cell: ({ node }) => <time dateTime={node.createdAt}>{formatTime(node.createdAt)}</time> },
          { id: "action", header: "Action", cell: ({ node }) => <code>{node.action}</code> },
          { id: "actor", header: "Actor", cell: ({ node }) => actorLabel(node, me.id, names) },
          { id: "target", header: "Target", cell: ({ node }) => (node.targetType == null ? "—" : `${node.targetType} ${node.targetId ?? ""}`.trim()) },
          { id: "from", header: "From", cell: ({ node }) => node.ip ?? "—" },
          { id: "details", header: "Details", cell: ({ node }) => <code className="wrap">{formatData(node.data)}</code> },
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
