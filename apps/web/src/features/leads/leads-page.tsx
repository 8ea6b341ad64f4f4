import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";

import { type LeadOrderField, type LeadsQuery, type LeadStatus } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { describeError } from "../../platform/errors.ts";
import { formatTime, formatTotal } from "../../platform/format.ts";
import { LoadError } from "../../platform/load-error.tsx";
import {
  Button,
  DataTable,
  orderByOf,
  SelectInput,
  SkeletonList,
  toast,
  TruncatedText,
  useKeptData,
  usePageSize,
  type Column,
  type SortOrder,
} from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { LeadsNextStep } from "../home/next-steps.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { isLeadStatus, LEAD_STATUSES, statusFilterFrom } from "./labels.ts";
import { LeadsDocument, UpdateLeadStatusDocument } from "./operations.ts";
import { PublicFormLink } from "./public-form-link.tsx";

const PAGE_SIZES = [25, 50, 100] as const;
/** The CASL subject "Why can't I?" asks about, the table's remembered columns, the API's order. */
const LEAD_SUBJECT = "Lead";
const STORAGE_KEY = "leads";
const SERVER_ORDER = { column: "created", direction: "descending" } as const;
/** The columns the API sorts the whole list by (issue 48): column id → `LeadOrderField`. */
const ORDER_FIELDS = {
  name: "NAME",
  email: "EMAIL",
  phone: "PHONE",
  status: "STATUS",
  created: "CREATED_AT",
} as const satisfies Record<string, LeadOrderField>;
const ORDER_COLUMNS = Object.keys(ORDER_FIELDS);
const rowProps = ({ node }: { node: { name: string } }) => ({ "data-testid": "lead-row", "data-lead-name": node.name });

type LeadEdge = LeadsQuery["leads"]["edges"][number];
type ListedLead = LeadEdge["node"];

/**
 * Sets the status of the selected leads: one updateLeadStatus per lead, in turn (each is
 * authorised, recorded in the lead's history and announced live like a single change); the
 * outcome counts the ones refused (a lead deleted meanwhile, a permission withdrawn).
 */
function BulkLeadStatus({
  workspaceId,
  leads,
  onDone,
}: {
  workspaceId: string;
  leads: readonly ListedLead[];
  onDone: () => void;
}) {
  const { t } = useTranslation("leads");
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
        failures.push(t("bulk.failure", { name: lead.name, message: describeError(caught).message }));
      }
    }
    setRunning(false);
    const label = t(`status.${next}`);
    if (failures.length === 0) toast(t("bulk.set", { count: changed, status: label }));
    else
      toast(t("bulk.setPartly", { changed, count: leads.length, status: label, failures: failures.join("; ") }), {
        variant: "error",
      });
    onDone();
  };
  return (
    <>
      <label className="data-table-toolbar__field">
        <span>{t("bulk.setStatus")}</span>
        <SelectInput
          value={next}
          disabled={running}
          onChange={(event) => isLeadStatus(event.target.value) && setNext(event.target.value)}
        >
          {LEAD_STATUSES.map((value) => (
            <option key={value} value={value}>
              {t(`status.${value}`)}
            </option>
          ))}
        </SelectInput>
      </label>
      <Button variant="primary" size="small" disabled={running} onClick={() => void apply()}>
        {running ? t("bulk.applying") : t("bulk.applyTo", { count: leads.length })}
      </Button>
    </>
  );
}

/** Changes a lead's status in place; the list keeps its filter until it is reloaded. */
export function LeadStatusSelect({
  workspaceId,
  leadId,
  status,
  label,
}: {
  workspaceId: string;
  leadId: string;
  status: LeadStatus;
  label: string;
}) {
  const { t } = useTranslation("leads");
  const [update, { loading, error }] = useMutation(UpdateLeadStatusDocument);
  return (
    <>
      <SelectInput
        aria-label={label}
        value={status}
        disabled={loading}
        onChange={(event) => {
          const next = event.target.value;
          if (isLeadStatus(next))
            void update({ variables: { workspaceId, id: leadId, status: next } }).catch(() => undefined);
        }}
      >
        {LEAD_STATUSES.map((value) => (
          <option key={value} value={value}>
            {t(`status.${value}`)}
          </option>
        ))}
      </SelectInput>
      {error !== undefined && (
        <p className="field__error" role="alert">
          {describeError(error).message}
        </p>
      )}
    </>
  );
}

/** /w/:slug/leads (SPEC R1): newest first or sorted by a column on the server, filtered by status, paged with a cursor. */
export function LeadsPage({ workspace }: { workspace: CurrentWorkspace }) {
  const { t } = useTranslation("leads");
  const ability = useAbility();
  const canUpdate = ability.can("update", "Lead");
  const [searchParams, setSearchParams] = useSearchParams();
  const status = statusFilterFrom(searchParams.get("status"));
  const [refreshing, setRefreshing] = useState(false);
  const pageSize = usePageSize("leads", PAGE_SIZES, 25);
  // The order a header asked for (undefined: newest first); another order starts again from its first page.
  const [order, setOrder] = useState<SortOrder>();
  const orderBy = orderByOf(order, ORDER_FIELDS);
  const query = useQuery(LeadsDocument, {
    variables: {
      workspaceId: workspace.id,
      first: pageSize.value,
      status,
      ...(orderBy !== undefined ? { orderBy } : {}),
    },
    notifyOnNetworkStatusChange: true,
    fetchPolicy: "cache-and-network",
  });
  const { loading, error, fetchMore, refetch } = query;
  const data = useKeptData(query.data, `${workspace.id}|${status ?? ""}|${pageSize.value}`);

  const columns: Column<LeadEdge>[] = [
    {
      id: "name",
      header: t("columns.name"),
      sortValue: ({ node }) => node.name,
      cell: ({ node }) => <Link to={`/w/${workspace.slug}/leads/${node.id}`}>{node.name}</Link>,
    },
    {
      id: "email",
      header: t("columns.email"),
      sortValue: ({ node }) => node.email,
      cell: ({ node }) => (node.email == null ? "—" : <TruncatedText text={node.email} />),
    },
    {
      id: "phone",
      header: t("columns.phone"),
      className: "data-table__nowrap",
      sortValue: ({ node }) => node.phone,
      cell: ({ node }) => node.phone ?? "—",
    },
    {
      id: "source",
      header: t("columns.source"),
      sortValue: ({ node }) => t(`source.${node.source}`),
      cell: ({ node }) => t(`source.${node.source}`),
    },
    {
      id: "status",
      header: t("columns.status"),
      sortValue: ({ node }) => LEAD_STATUSES.indexOf(node.status),
      cell: ({ node }) =>
        canUpdate ? (
          <LeadStatusSelect
            workspaceId={workspace.id}
            leadId={node.id}
            status={node.status}
            label={t("page.statusOf", { name: node.name })}
          />
        ) : (
          <span className="badge">{t(`status.${node.status}`)}</span>
        ),
    },
    {
      id: "created",
      header: t("columns.created"),
      sortValue: ({ node }) => node.createdAt,
      cell: ({ node }) => <time dateTime={node.createdAt}>{formatTime(node.createdAt)}</time>,
    },
  ];

  return (
    <>
      <PublicFormLink slug={workspace.slug} />
      <div className="toolbar">
        <label className="toolbar__field">
          <span>{t("page.status")}</span>
          <SelectInput
            aria-label={t("page.filterByStatus")}
            value={status ?? ""}
            onChange={(event) => {
              const next = event.target.value;
              setSearchParams(next === "" ? {} : { status: next }, { replace: true });
            }}
          >
            <option value="">{t("page.allStatuses")}</option>
            {LEAD_STATUSES.map((value) => (
              <option key={value} value={value}>
                {t(`status.${value}`)}
              </option>
            ))}
          </SelectInput>
        </label>
        <span className="toolbar__spacer" />
        <Button
          disabled={refreshing}
          onClick={() => {
            setRefreshing(true);
            void refetch().finally(() => setRefreshing(false));
          }}
        >
          {t("page.refresh")}
        </Button>
      </div>

      {data === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} />
        ) : (
          <SkeletonList label={t("page.loading")} />
        )
      ) : data.leads.edges.length === 0 ? (
        status === undefined ? (
          <LeadsNextStep workspace={workspace} />
        ) : (
          <p className="empty-state">{t(`page.emptyByStatus.${status}`)}</p>
        )
      ) : (
        <>
          <p className="muted">{t("page.count", { count: data.leads.totalCount, amount: formatTotal(data.leads) })}</p>
          {!canUpdate && (
            <WhyCantI
              workspaceId={workspace.id}
              action="update"
              subject={LEAD_SUBJECT}
              label={t("page.whyCantChange")}
            />
          )}
          <DataTable
            label={t("page.table")}
            storageKey={STORAGE_KEY}
            rows={data.leads.edges}
            rowKey={({ node }) => node.id}
            rowProps={rowProps}
            complete={!data.leads.pageInfo.hasNextPage}
            serverOrder={{ ...SERVER_ORDER, text: t("page.newestFirst") }}
            serverSort={{ columns: ORDER_COLUMNS, value: order, onChange: setOrder }}
            busy={loading}
            pageSize={pageSize}
            {...(canUpdate
              ? {
                  selection: {
                    rowLabel: ({ node }: LeadEdge) => t("page.selectRow", { name: node.name }),
                    allLabel: t("page.selectAll"),
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
            columns={columns}
          />
          {error !== undefined && <p role="alert">{describeError(error).message}</p>}
          {data.leads.pageInfo.hasNextPage && (
            <Button
              variant="bare"
              className="pager"
              disabled={loading}
              onClick={() => void fetchMore({ variables: { after: data.leads.pageInfo.endCursor } })}
            >
              {loading ? t("page.loadingMore") : t("page.loadMore")}
            </Button>
          )}
        </>
      )}
    </>
  );
}
