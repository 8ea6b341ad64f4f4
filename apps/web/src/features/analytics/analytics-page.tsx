/**
 * /w/:slug/analytics (SPEC R7): per-UTC-day leads, messages, calls and bookings, conversion
 * lead → booked, as a chart (recharts) and a table, with a CSV export. Refreshes (debounced)
 * when conversations or leads of the workspace change, as the socket reports them.
 */
import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

import { describeError } from "../../platform/errors.ts";
import { formatNumber } from "../../platform/format.ts";
import { useDebounced, useLive } from "../../platform/live.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { Button, DataTable, Input, SkeletonList, type Column } from "../../platform/ui/index.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { lastDays, toCsv, totals, type DayRow } from "./csv.ts";
import { dayLabel, percent } from "./format.ts";
import { AnalyticsDocument, ConversationActivityDocument, LeadActivityDocument } from "./operations.ts";

export function AnalyticsPage({ workspace }: { workspace: CurrentWorkspace }) {
  const { t } = useTranslation("analytics");
  const [range, setRange] = useState(() => lastDays(14));
  const { data, error, refetch, previousData } = useQuery(AnalyticsDocument, {
    variables: { workspaceId: workspace.id, from: range.from, to: range.to },
    fetchPolicy: "cache-and-network",
  });
  // A burst of events is one refetch, 1 s after the last.
  const refresh = useDebounced(() => void refetch().catch(() => undefined), 1_000);
  useLive(ConversationActivityDocument, {
    variables: { workspaceId: workspace.id },
    onEvent: refresh,
    onResync: refresh,
  });
  useLive(LeadActivityDocument, { variables: { workspaceId: workspace.id }, onEvent: refresh, onResync: refresh });
  const rows = (data ?? previousData)?.analytics;
  const download = () => {
    if (rows === undefined) return;
    const url = URL.createObjectURL(new Blob([toCsv(rows)], { type: "text/csv;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `analytics-${workspace.slug}-${range.from}-${range.to}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <>
      <form className="toolbar" aria-label={t("page.rangeLabel")} onSubmit={(event) => event.preventDefault()}>
        <label className="toolbar__field">
          <span>{t("page.from")}</span>
          <Input
            type="date"
            value={range.from}
            max={range.to}
            onChange={(event) => event.target.value !== "" && setRange((r) => ({ ...r, from: event.target.value }))}
          />
        </label>
        <label className="toolbar__field">
          <span>{t("page.to")}</span>
          <Input
            type="date"
            value={range.to}
            min={range.from}
            onChange={(event) => event.target.value !== "" && setRange((r) => ({ ...r, to: event.target.value }))}
          />
        </label>
        {[7, 30, 90].map((n) => (
          <Button key={n} size="small" onClick={() => setRange(lastDays(n))}>
            {t("page.lastDays", { count: n })}
          </Button>
        ))}
        <span className="toolbar__spacer" />
        <Button onClick={download} disabled={rows === undefined}>
          {t("page.exportCsv")}
        </Button>
      </form>
      {error !== undefined && rows !== undefined && <p role="alert">{describeError(error).message}</p>}
      {rows === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} />
        ) : (
          <SkeletonList label={t("page.loading")} rows={3} />
        )
      ) : (
        <AnalyticsBody rows={rows} />
      )}
    </>
  );
}

function AnalyticsBody({ rows }: { rows: readonly DayRow[] }) {
  const { t } = useTranslation("analytics");
  const sum = totals(rows);
  const empty = sum.leads + sum.messagesIn + sum.messagesOut + sum.calls + sum.bookings === 0;
  const data = rows.map((r) => ({ ...r, label: dayLabel(r.day) }));
  const count = (n: number) => formatNumber(n);
  const columns: Column<DayRow>[] = [
    { id: "day", header: t("table.day"), cell: (r) => <time dateTime={r.day}>{dayLabel(r.day, "medium")}</time> },
    { id: "leads", header: t("table.leads"), cell: (r) => count(r.leads) },
    { id: "in", header: t("table.in"), cell: (r) => count(r.messagesIn) },
    { id: "out", header: t("table.out"), cell: (r) => count(r.messagesOut) },
    { id: "calls", header: t("table.calls"), cell: (r) => count(r.calls) },
    { id: "bookings", header: t("table.bookings"), cell: (r) => count(r.bookings) },
    { id: "conversion", header: t("table.conversion"), cell: (r) => (r.leads === 0 ? "—" : percent(r.conversion)) },
  ];
  return (
    <>
      <dl className="stat-grid" data-testid="analytics-totals">
        <div>
          <dt>{t("totals.leads")}</dt>
          <dd data-testid="total-leads">{count(sum.leads)}</dd>
        </div>
        <div>
          <dt>{t("totals.messagesIn")}</dt>
          <dd data-testid="total-messages-in">{count(sum.messagesIn)}</dd>
        </div>
        <div>
          <dt>{t("totals.messagesOut")}</dt>
          <dd data-testid="total-messages-out">{count(sum.messagesOut)}</dd>
        </div>
        <div>
          <dt>{t("totals.calls")}</dt>
          <dd>{count(sum.calls)}</dd>
        </div>
        <div>
          <dt>{t("totals.bookings")}</dt>
          <dd>{count(sum.bookings)}</dd>
        </div>
        <div>
          <dt>{t("totals.conversion")}</dt>
          <dd>{percent(sum.conversion)}</dd>
        </div>
      </dl>
      {empty && <p className="empty-state">{t("empty")}</p>}
      <figure className="chart" aria-label={t("charts.activityLabel")} data-testid="analytics-chart">
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={data} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" fontSize={12} />
            <YAxis allowDecimals={false} tickFormatter={count} fontSize={12} />
            <Tooltip formatter={(v) => count(Number(v))} />
            <Legend />
            <Bar
              dataKey="messagesOut"
              name={t("totals.messagesOut")}
              fill="var(--color-chart-1)"
              isAnimationActive={false}
            />
            <Bar
              dataKey="messagesIn"
              name={t("totals.messagesIn")}
              fill="var(--color-chart-5)"
              isAnimationActive={false}
            />
            <Bar dataKey="leads" name={t("totals.leads")} fill="var(--color-chart-3)" isAnimationActive={false} />
            <Bar dataKey="bookings" name={t("totals.bookings")} fill="var(--color-chart-2)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
        <figcaption className="muted small">{t("charts.activityCaption")}</figcaption>
      </figure>
      <figure className="chart" aria-label={t("charts.conversionLabel")}>
        <ResponsiveContainer width="100%" height={180}>
          <LineChart data={data} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" fontSize={12} />
            <YAxis domain={[0, 1]} tickFormatter={(v: number) => percent(v)} fontSize={12} />
            <Tooltip formatter={(v) => percent(Number(v))} />
            <Line
              dataKey="conversion"
              name={t("totals.conversion")}
              stroke="var(--color-chart-4)"
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <DataTable label={t("table.label")} rows={[...rows].reverse()} rowKey={(r) => r.day} columns={columns} />
    </>
  );
}
