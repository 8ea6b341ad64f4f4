import { WhyCantI } from "../access/why-cant-i.tsx";
import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { type LeadStatus } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { describeError } from "../../platform/errors.ts";
import { formatTime } from "../../platform/format.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { LEAD_SOURCE_LABELS, LEAD_STATUSES, LEAD_STATUS_LABELS, isLeadStatus, statusFilterFrom } from "./labels.ts";
import { LeadsDocument, UpdateLeadStatusDocument } from "./operations.ts";
import { PublicFormLink } from "./public-form-link.tsx";
import { LoadError } from "../../platform/load-error.tsx";
import { DataTable, SkeletonList } from "../../platform/ui/index.ts";

const PAGE_SIZE = 25;

/** Changes a lead's status in place; the list keeps its filter until it is reloaded. */
export function LeadStatusSelect({ workspaceId, leadId, status, label }: { workspaceId: string; leadId: string; status: LeadStatus; label: string }) {
  const [update, { loading, error }] = useMutation(UpdateLeadStatusDocument);
  return (
    <>
      <select
        aria-label={label}
        value={status}
        disabled={loading}
        onChange={(event) => {
          const next = event.target.value;
          if (isLeadStatus(next)) void update({ variables: { workspaceId, id: leadId, status: next } }).catch(() => undefined);
        }}
      >
        {LEAD_STATUSES.map((value) => (
          <option key={value} value={value}>
            {LEAD_STATUS_LABELS[value]}
          </option>
        ))}
      </select>
      {error !== undefined && (
        <p className="field__error" role="alert">
          {describeError(error).message}
        </p>
      )}
    </>
  );
}

/** /w/:slug/leads (SPEC R1): newest first, filtered by status, paged with a cursor. */
export function LeadsPage({ workspace }: { workspace: CurrentWorkspace }) {
  const ability = useAbility();
  const canUpdate = ability.can("update", "Lead");
  const [searchParams, setSearchParams] = useSearchParams();
  const status = statusFilterFrom(searchParams.get("status"));
  const [refreshing, setRefreshing] = useState(false);
  const { data, loading, error, fetchMore, refetch } = useQuery(LeadsDocument, {
    variables: { workspaceId: workspace.id, first: PAGE_SIZE, status },
    notifyOnNetworkStatusChange: true,
    fetchPolicy: "cache-and-network",
  });

  return (
    <>
      <PublicFormLink slug={workspace.slug} />
      <div className="toolbar">
        <label className="toolbar__field">
          <span>Status</span>
          <select
            aria-label="Filter by status"
            value={status ?? ""}
            onChange={(event) => {
              const next = event.target.value;
              setSearchParams(next === "" ? {} : { status: next }, { replace: true });
            }}
          >
            <option value="">All statuses</option>
            {LEAD_STATUSES.map((value) => (
              <option key={value} value={value}>
                {LEAD_STATUS_LABELS[value]}
              </option>
            ))}
          </select>
        </label>
        <span className="toolbar__spacer" />
        <button
          type="button"
          className="button"
          disabled={refreshing}
          onClick={() => {
            setRefreshing(true);
            void refetch().finally(() => setRefreshing(false));
          }}
        >
          Refresh
        </button>
      </div>

      {data === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} />
        ) : (
          <SkeletonList label="Loading leads…" />
        )
      ) : data.leads.edges.length === 0 ? (
        <p className="empty-state">
          {status === undefined ? "No leads yet. Share the public form or submit leads through the API." : `No ${LEAD_STATUS_LABELS[status].toLowerCase()} leads.`}
        </p>
      ) : (
        <>
          <p className="muted">
            {data.leads.totalCount} {data.leads.totalCount === 1 ? "lead" : "leads"}
          </p>
          {!canUpdate && <WhyCantI workspaceId={workspace.id} action="update" subject="Lead" label="Why can't I change statuses?" />}
          <DataTable
            label="Leads"
            rows={data.leads.edges}
            rowKey={({ node }) => node.id}
            rowProps={({ node }) => ({ "data-testid": "lead-row", "data-lead-name": node.name })}
            columns={[
              { id: "name", header: "Name", cell: ({ node }) => <Link to={`/w/${workspace.slug}/leads/${node.id}`}>{node.name}</Link> },
              { id: "email", header: "Email", cell: ({ node }) => node.email ?? "—" },
              { id: "phone", header: "Phone", cell: ({ node }) => node.phone ?? "—" },
              { id: "source", header: "Source", cell: ({ node }) => LEAD_SOURCE_LABELS[node.source] },
              {
                id: "status",
                header: "Status",
                cell: ({ node }) =>
                  canUpdate ? (
                    <LeadStatusSelect workspaceId={workspace.id} leadId={node.id} status={node.status} label={`Status of ${node.name}`} />
                  ) : (
                    <span className="badge">{LEAD_STATUS_LABELS[node.status]}</span>
                  ),
              },
              { id: "created", header: "Created", cell: ({ node }) => <time dateTime={node.createdAt}>{formatTime(node.createdAt)}</time> },
            ]}
          />
          {error !== undefined && <p role="alert">{describeError(error).message}</p>}
          {data.leads.pageInfo.hasNextPage && (
            <button
              type="button"
              className="pager"
              disabled={loading}
              onClick={() => void fetchMore({ variables: { after: data.leads.pageInfo.endCursor } })}
            >
              {loading ? "Loading…" : "Load more"}
            </button>
          )}
        </>
      )}
    </>
  );
}
