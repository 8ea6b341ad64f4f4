/**
 * /w/:slug/analytics (SPEC R7): per-UTC-day leads, messages, calls and bookings, conversion
 * lead → booked, as a chart (recharts) and a table, with a CSV export. Refreshes (debounced)
 * when conversations or leads of the workspace change, as the socket reports them.
 */
import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { describeError } from "../../platform/errors.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { lastDays, toCsv, totals } from "./csv.ts";
import { AnalyticsDocument, ConversationActivityDocument, LeadActivityDocument } from "./operations.ts";
import { useDebounced, useLive } from "../../platform/live.ts";
import { DataTable, SkeletonList } from "../../platform/ui/index.ts";

const percent = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function AnalyticsPage({ workspace }: { workspace: CurrentWorkspace }) {
  const [range, setRange] = useState(() => lastDays(14));
  const { data, error, refetch, previousData } = useQuery(AnalyticsDocument, {
    variables: { workspaceId: workspace.id, from: range.from, to: range.to },
    fetchPolicy: "cache-and-network",
  });
  // A burst of events is one refetch, 1 s after the last.
  const refresh = useDebounced(() => void refetch().catch(() => undefined), 1_000);
  useLive(ConversationActivityDocument, { variables: { workspaceId: workspace.id }, onEvent: refresh, onResync: refresh });
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
      <form className="toolbar" aria-label="Date range (UTC days)" onSubmit={(event) => event.preventDefault()}>
        <label className="toolbar__field">
          <span>From</span>
          <input type="date" value={range.from} max={range.to} onChange={(event) => event.target.value !== "" && setRange((r) => ({ ...r, from: event.target.value }))} />
        </label>
        <label className="toolbar__field">
          <span>To</span>
          <input type="date" value={range.to} min={range.from} onChange={(event) => event.target.value !== "" && setRange((r) => ({ ...r, to: event.target.value }))} />
        </label>
        {[7, 30, 90].map((n) => (
          <button key={n} type="button" className="button button--small" onClick={() => setRange(lastDays(n))}>
            {n} days
          </button>
        ))}
        <span className="toolbar__spacer" />
        <button type="button" className="button" onClick={download} disabled={rows === undefined}>
          Export CSV
        </button>
      </form>
      {error !== undefined && rows !== undefined && <p role="alert">{describeError(error).message}</p>}
      {rows === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} />
        ) : (
          <SkeletonList label="Loading analytics…" rows={3} />
        )
      ) : (
        <AnalyticsBody rows={rows} />
      )}
    </>
  );
}

function AnalyticsBody({ rows }: { rows: readonly { day: string; leads: number; messagesIn: number; messagesOut: number; calls: number; bookings: number; bookedLeads: number; conversion: number }[] }) {
  const t = totals(rows);
  const empty = t.leads + t.messagesIn + t.messagesOut + t.calls + t.bookings === 0;
  const data = rows.map((r) => ({ ...r, label: r.day.slice(5) }));
  return (
    <>
      <dl className="stat-grid" data-testid="analytics-totals">
        <div>
          <dt>Leads</dt>
          <dd data-testid="total-leads">{t.leads}</dd>
        </div>
        <div>
          <dt>Messages in</dt>
          <dd data-testid="total-messages-in">{t.messagesIn}</dd>
        </div>
        <div>
          <dt>Messages out</dt>
          <dd data-testid="total-messages-out">{t.messagesOut}</dd>
        </div>
        <div>
          <dt>Calls</dt>
          <dd>{t.calls}</dd>
        </div>
        <div>
          <dt>Bookings</dt>
          <dd>{t.bookings}</dd>
        </div>
        <div>
          <dt>Lead → booked</dt>
          <dd>{percent(t.conversion)}</dd>
        </div>
      </dl>
      {empty && <p className="empty-state">Nothing happened in these days yet. Share your lead form or run a campaign, and the charts fill in.</p>}
      <figure className="chart" aria-label="Messages and leads per day (UTC)" data-testid="analytics-chart">
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={data} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" fontSize={12} />
            <YAxis allowDecimals={false} fontSize={12} />
            <Tooltip />
            <Legend />
            <Bar dataKey="messagesOut" name="Messages out" fill="var(--color-chart-1)" isAnimationActive={false} />
            <Bar dataKey="messagesIn" name="Messages in" fill="var(--color-chart-5)" isAnimationActive={false} />
            <Bar dataKey="leads" name="Leads" fill="var(--color-chart-3)" isAnimationActive={false} />
            <Bar dataKey="bookings" name="Bookings" fill="var(--color-chart-2)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
        <figcaption className="muted small">Per UTC day. The table below has the same numbers.</figcaption>
      </figure>
      <figure className="chart" aria-label="Conversion lead to booked per day">
        <ResponsiveContainer width="100%" height={180}>
          <LineChart data={data} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" fontSize={12} />
            <YAxis domain={[0, 1]} tickFormatter={percent} fontSize={12} />
            <Tooltip formatter={(v) => percent(Number(v))} />
            <Line dataKey="conversion" name="Lead → booked" stroke="var(--color-chart-4)" dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <DataTable
        label="Analytics per day"
        rows={[...rows].reverse()}
        rowKey={(r) => r.day}
        columns={[
          { id: "day", header: "Day (UTC)", cell: (r) => r.day },
          { id: "leads", header: "Leads", cell: (r) => r.leads },
          { id: "in", header: "In", cell: (r) => r.messagesIn },
          { id: "out", header: "Out", cell: (r) => r.messagesOut },
          { id: "calls", header: "Calls", cell: (r) => r.calls },
          { id: "bookings", header: "Bookings", cell: (r) => r.bookings },
          { id: "conversion", header: "Lead → booked", cell: (r) => (r.leads === 0 ? "—" : percent(r.conversion)) },
        ]}
      />
    </>
  );
}
