import { WhyCantI } from "../access/why-cant-i.tsx";
import { LeadsNextStep } from "../home/next-steps.tsx";
import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { type LeadStatus, type LeadsQuery } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { describeError } from "../../platform/errors.ts";
import { formatTime } from "../../platform/format.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { LEAD_SOURCE_LABELS, LEAD_STATUSES, LEAD_STATUS_LABELS, isLeadStatus, statusFilterFrom } from "./labels.ts";
import { LeadsDocument, UpdateLeadStatusDocument } from "./operations.ts";
import { PublicFormLink } from "./public-form-link.tsx";
import { LoadError } from "../../platform/load-error.tsx";
import { DataTable, SkeletonList, TruncatedText, toast, usePageSize } from "../../platform/ui/index.ts";

const PAGE_SIZES = [25, 50, 100] as const;

type LeadEdge = LeadsQuery["leads"]["edges"][number];
type ListedLead = LeadEdge["node"];

/**
 * Sets the status of the selected leads: one updateLeadStatus per lead, in turn (each is
 * authorised, recorded in the lead's history and announced live like a single change); the
 * outcome counts the ones refused (a lead deleted meanwhile, a permission withdrawn).
 */
function BulkLeadStatus({ workspaceId, leads, onDone }: { workspaceId: string; leads: readonly ListedLead[]; onDone: () => void }) {
  const [update] = useMutation(UpdateLeadStatusDocument);
  const [next, setNext] = useState<LeadStatus>("CONTACTED");
  const [running, setRunning] = useState(false);
  const apply = async () => {
    setRunning(true);
    let changed = 0;
    const failures: string[] = [];
    for (const lead of leads) {
      if (lead.status === next) {
        changed += 1;
        continue;
      }
      try {
        await update({ variables: { workspaceId, id: lead.id, status: next } });
        changed += 1;
      } catch (caught) {
        failures.push(`${lead.name}: ${describeError(caught).message}`);
      }
    }
    setRunning(false);
    const label = LEAD_STATUS_LABELS[next];
    if (failures.length === 0) toast(`Set ${changed} ${changed === 1 ? "lead" : "leads"} to ${label}.`);
    else toast(`Set ${changed} of ${leads.length} leads to ${label}. Not changed: ${failures.join("; ")}`, { variant: "error" });
    onDone();
  };
  return (
    <>
      <label className="data-table-toolbar__field">
        <span>Set status</span>
        <select value={next} disabled={running} onChange={(event) => isLeadStatus(event.target.value) && setNext(event.target.value)}>
          {LEAD_STATUSES.map((value) => (
            <option key={value} value={value}>
              {LEAD_STATUS_LABELS[value]}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button button--small button--primary" disabled={running} onClick={() => void apply()}>
        {running ? "Applying…" : `Apply to ${leads.length}`}
      </button>
    </>
  );
}

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
  const pageSize = usePageSize("leads", PAGE_SIZES, 25);
  const { data, loading, error, fetchMore, refetch } = useQuery(LeadsDocument, {
    variables: { workspaceId: workspace.id, first: pageSize.value, status },
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
        status === undefined ? (
          <LeadsNextStep workspace={workspace} />
        ) : (
          <p className="empty-state">{`No ${LEAD_STATUS_LABELS[status].toLowerCase()} leads.`}</p>
        )
      ) : (
        <>
          <p className="muted">
            {data.leads.totalCount} {data.leads.totalCount === 1 ? "lead" : "leads"}
          </p>
          {!canUpdate && <WhyCantI workspaceId={workspace.id} action="update" subject="Lead" label="Why can't I change statuses?" />}
          <DataTable
            label="Leads"
            storageKey="leads"
            rows={data.leads.edges}
            rowKey={({ node }) => node.id}
            rowProps={({ node }) => ({ "data-testid": "lead-row", "data-lead-name": node.name })}
            complete={!data.leads.pageInfo.hasNextPage}
            serverOrder={{ column: "created", direction: "descending", text: "Newest first" }}
            pageSize={pageSize}
            {...(canUpdate
              ? {
                  selection: {
                    rowLabel: ({ node }: LeadEdge) => `Select ${node.name}`,
                    allLabel: "Select all loaded leads",
                    actions: (selected: readonly LeadEdge[], clear: () => void) => (
                      <BulkLeadStatus
                        workspaceId={workspace.id}
                        leads={selected.map(({ node }) => node)}
                        onDone={() => {
                          clear();
                          // A status filter may no longer match the changed leads.
                          if (status !== undefined) void refetch().catch(() => undefined);
                        }}
                      />
                    ),
                  },
                }
              : {})}
            columns={[
              { id: "name", header: "Name", sortValue: ({ node }) => node.name, cell: ({ node }) => <Link to={`/w/${workspace.slug}/leads/${node.id}`}>{node.name}</Link> },
              { id: "email", header: "Email", sortValue: ({ node }) => node.email, cell: ({ node }) => (node.email == null ? "—" : <TruncatedText text={node.email} />) },
              { id: "phone", header: "Phone", className: "data-table__nowrap", sortValue: ({ node }) => node.phone, cell: ({ node }) => node.phone ?? "—" },
              { id: "source", header: "Source", sortValue: ({ node }) => LEAD_SOURCE_LABELS[node.source], cell: ({ node }) => LEAD_SOURCE_LABELS[node.source] },
              {
                id: "status",
                header: "Status",
                sortValue: ({ node }) => LEAD_STATUSES.indexOf(node.status),
                cell: ({ node }) =>
                  canUpdate ? (
                    <LeadStatusSelect workspaceId={workspace.id} leadId={node.id} status={node.status} label={`Status of ${node.name}`} />
                  ) : (
                    <span className="badge">{LEAD_STATUS_LABELS[node.status]}</span>
                  ),
              },
              { id: "created", header: "Created", sortValue: ({ node }) => node.createdAt, cell: ({ node }) => <time dateTime={node.createdAt}>{formatTime(node.createdAt)}</time> },
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
