import { useQuery } from "@apollo/client/react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";

import { type AuditEventsQuery } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { describeError } from "../../platform/errors.ts";
import { formatTime, formatTotal } from "../../platform/format.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { useMe } from "../../platform/session.tsx";
import {
  Button,
  DataTable,
  Input,
  SelectInput,
  SkeletonList,
  TruncatedText,
  usePageSize,
  type Column,
} from "../../platform/ui/index.ts";
import { AuditChainStatus } from "./audit-chain-status.tsx";
import { actionText, actorText, detailsText, targetText } from "./audit-format.ts";
import { AuditStreamCard } from "./audit-stream.tsx";
import {
  ACTION_PREFIXES,
  auditFilterVariables,
  dateRangeProblem,
  hasFilters,
  NO_FILTERS,
  type AuditFilters,
} from "./filters.ts";
import { AuditActorsDocument, AuditEventsDocument } from "./operations.ts";

const PAGE_SIZES = [25, 50, 100] as const;
/** The table's remembered settings (columns, page size) and the column the API orders by. */
const TABLE_KEY = "audit";
const WHEN = "when";

type AuditEdge = AuditEventsQuery["auditEvents"]["edges"][number];

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
  const { t } = useTranslation("audit");
  const id = useId();
  const set = (patch: Partial<AuditFilters>) => onChange({ ...filters, ...patch });
  const rangeProblem = dateRangeProblem(filters);
  return (
    <form
      className="toolbar audit-filters"
      aria-label={t("filters.label")}
      onSubmit={(event) => event.preventDefault()}
    >
      <div className="toolbar__field">
        <label htmlFor={`${id}-action`}>{t("filters.action")}</label>
        <SelectInput
          id={`${id}-action`}
          value={filters.action}
          onChange={(event) => set({ action: event.target.value })}
        >
          <option value="">{t("filters.allActions")}</option>
          {ACTION_PREFIXES.map((prefix) => (
            <option key={prefix.value} value={prefix.value}>
              {t("filters.prefixOption", { label: t(`filters.prefixes.${prefix.key}`), prefix: prefix.value })}
            </option>
          ))}
          <option value="custom">{t("filters.custom")}</option>
        </SelectInput>
      </div>
      {filters.action === "custom" && (
        <div className="toolbar__field">
          <label htmlFor={`${id}-action-name`}>{t("filters.actionName")}</label>
          <Input
            id={`${id}-action-name`}
            type="text"
            placeholder={t("filters.actionNamePlaceholder")}
            value={filters.customAction}
            spellCheck={false}
            onChange={(event) => set({ customAction: event.target.value })}
          />
        </div>
      )}
      {actors !== undefined && (
        <div className="toolbar__field">
          <label htmlFor={`${id}-actor`}>{t("filters.actor")}</label>
          <SelectInput
            id={`${id}-actor`}
            value={filters.actorUserId}
            onChange={(event) => set({ actorUserId: event.target.value })}
          >
            <option value="">{t("filters.anyone")}</option>
            {actors.map((actor) => (
              <option key={actor.id} value={actor.id}>
                {actor.label}
              </option>
            ))}
          </SelectInput>
        </div>
      )}
      <div className="toolbar__field">
        <label htmlFor={`${id}-from`}>{t("filters.from")}</label>
        <Input
          id={`${id}-from`}
          type="date"
          value={filters.from}
          max={filters.to || undefined}
          onChange={(event) => set({ from: event.target.value })}
        />
      </div>
      <div className="toolbar__field">
        <label htmlFor={`${id}-to`}>{t("filters.to")}</label>
        <Input
          id={`${id}-to`}
          type="date"
          value={filters.to}
          min={filters.from || undefined}
          onChange={(event) => set({ to: event.target.value })}
        />
      </div>
      {hasFilters(filters) && (
        <Button size="small" onClick={() => onChange(NO_FILTERS)}>
          {t("filters.clear")}
        </Button>
      )}
      {rangeProblem !== undefined && (
        <p className="field__error" role="alert">
          {rangeProblem}
        </p>
      )}
    </form>
  );
}

/** The audit page: the streaming card (issue 50) above the log. */
export function AuditLog({ workspaceId }: { workspaceId: string }) {
  return (
    <>
      <AuditStreamCard workspaceId={workspaceId} />
      <AuditChainStatus workspaceId={workspaceId} />
      <AuditEventsLog workspaceId={workspaceId} />
    </>
  );
}

/** The workspace's audit log (SPEC S3), newest first, paged with a cursor, with filters. */
function AuditEventsLog({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation("audit");
  const me = useMe();
  const ability = useAbility();
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const canReadMembers = ability.can("read", "Member");
  const members = useQuery(AuditActorsDocument, { variables: { workspaceId }, skip: !canReadMembers });
  const actors = members.data?.members.map((member) => ({
    id: member.user.id,
    label:
      member.user.id === me.id
        ? t("filters.you", { email: member.user.email })
        : t("filters.member", { name: member.user.name, email: member.user.email }),
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
        {rangeProblem === undefined && <SkeletonList label={t("log.loading")} />}
      </>
    );
  }

  const columns: Column<AuditEdge>[] = [
    {
      id: WHEN,
      header: t("log.when"),
      className: "audit-table__when",
      sortValue: ({ node }) => node.createdAt,
      cell: ({ node }) => <time dateTime={node.createdAt}>{formatTime(node.createdAt)}</time>,
    },
    {
      id: "who",
      header: t("log.who"),
      sortValue: ({ node }) => actorText(node, me.id).name,
      cell: ({ node }) => {
        const who = actorText(node, me.id);
        return (
          <>
            <span className="audit-table__primary">{who.name}</span>
            {who.detail !== undefined && <TruncatedText className="audit-table__secondary muted" text={who.detail} />}
            {node.ip != null && (
              <span className="audit-table__secondary muted">{t("log.fromIp", { ip: node.ip })}</span>
            )}
          </>
        );
      },
    },
    {
      id: "action",
      header: t("log.action"),
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
      header: t("log.target"),
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
    {
      id: "details",
      header: t("log.details"),
      className: "audit-table__details",
      cell: ({ node }) => detailsText(node.action, node.data),
    },
  ];

  const { edges, pageInfo, totalCount } = shown.auditEvents;
  const total = formatTotal(shown.auditEvents);
  if (edges.length === 0) {
    return (
      <>
        {filterBar}
        <p className="empty-state">{hasFilters(filters) ? t("log.noMatches") : t("log.empty")}</p>
      </>
    );
  }

  return (
    <>
      {filterBar}
      <p className="muted" aria-live="polite">
        {t("log.count", { count: totalCount, number: total })}
      </p>
      <DataTable
        label={t("log.tableLabel")}
        className="audit-table"
        storageKey={TABLE_KEY}
        rows={edges}
        complete={!pageInfo.hasNextPage}
        serverOrder={{ column: WHEN, direction: "descending", text: t("log.newestFirst") }}
        pageSize={pageSize}
        rowKey={({ node }) => node.id}
        rowProps={({ node }) => ({ "data-action": node.action })}
        columns={columns}
      />
      {error !== undefined && <p role="alert">{describeError(error).message}</p>}
      {pageInfo.hasNextPage && (
        <Button
          variant="bare"
          disabled={loading}
          onClick={() => void fetchMore({ variables: { after: pageInfo.endCursor } })}
        >
          {loading ? t("log.loadingMore") : t("log.loadMore")}
        </Button>
      )}
    </>
  );
}
