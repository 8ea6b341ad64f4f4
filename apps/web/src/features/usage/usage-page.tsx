/**
 * /w/:slug/usage (billing.read): this month's metered usage against the plan's quotas, a chart
 * of the last six months with the quota line, held sends (banner), and — with billing.manage —
 * switching to another plan the platform offers.
 */
import { WhyCantI } from "../access/why-cant-i.tsx";
import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useAbility } from "../../platform/ability.tsx";
import { describeError } from "../../platform/errors.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { useDebounced, useLive } from "../../platform/live.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { ConversationActivityDocument } from "../analytics/operations.ts";
import { SwitchPlanDocument, UsageDocument } from "./operations.ts";
import { toast } from "../../platform/ui/index.ts";

const quotaText = (q: number | null | undefined) => (q == null ? "unlimited" : String(q));

function Meter({ label, used, quota }: { label: string; used: number; quota: number | null }) {
  const over = quota !== null && used >= quota;
  return (
    <div className="meter">
      <p>
        <strong>{label}</strong>: {used} of {quotaText(quota)}
        {over && <span className="badge badge--warning">quota reached</span>}
      </p>
      {quota !== null && <progress max={Math.max(quota, 1)} value={Math.min(used, quota)} aria-label={`${label}: ${used} of ${quota}`} />}
    </div>
  );
}

export function UsagePage({ workspace }: { workspace: CurrentWorkspace }) {
  const ability = useAbility();
  const canSwitch = ability.can("update", "Billing");
  const { data, error, refetch } = useQuery(UsageDocument, { variables: { workspaceId: workspace.id }, fetchPolicy: "cache-and-network" });
  // Live: messages sent (or held) move the meters; a burst of events is one refetch, 1 s after the last.
  const refresh = useDebounced(() => void refetch().catch(() => undefined), 1_000);
  useLive(ConversationActivityDocument, { variables: { workspaceId: workspace.id }, onEvent: refresh, onResync: refresh });
  const [switchPlan, switching] = useMutation(SwitchPlanDocument, { refetchQueries: [UsageDocument] });
  const [choice, setChoice] = useState("");
  const [problem, setProblem] = useState<string>();

  if (data === undefined) {
    if (error !== undefined) return <LoadError error={error} onRetry={refetch} />;
    return <p className="page-status">Loading usage…</p>;
  }
  const u = data.usage;
  const held = u.heldMessages + u.heldCalls;
  const others = data.availablePlans.filter((p) => p.id !== u.plan?.id);
  return (
    <>
      {held > 0 && (
        <div className="banner banner--error" role="alert" data-testid="quota-banner">
          {u.heldMessages > 0 && `${u.heldMessages} ${u.heldMessages === 1 ? "message is" : "messages are"} held`}
          {u.heldMessages > 0 && u.heldCalls > 0 && " and "}
          {u.heldCalls > 0 && `${u.heldCalls} ${u.heldCalls === 1 ? "call is" : "calls are"} held`}: this month&apos;s quota is used up. Nothing is lost — they go out as soon as the quota allows (a larger plan, or the 1st of next month, UTC).
        </div>
      )}
      <p>
        Plan: <strong data-testid="plan-name">{u.plan?.name ?? "No plan (unlimited)"}</strong> · month {u.month} (UTC)
      </p>
      <div className="meters">
        <Meter label="Outbound messages" used={u.messages.used} quota={u.messages.quota} />
        <Meter label="Calls" used={u.calls.used} quota={u.calls.quota} />
        <Meter label="New leads (counted, never refused)" used={u.leads.used} quota={u.leads.quota} />
      </div>
      <figure className="chart" aria-label="Outbound messages per month against the quota" data-testid="usage-chart">
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={[...u.history]} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="month" fontSize={12} />
            <YAxis allowDecimals={false} fontSize={12} />
            <Tooltip />
            <Legend />
            <Bar dataKey="messages" name="Messages" fill="var(--color-chart-1)" isAnimationActive={false} />
            <Bar dataKey="calls" name="Calls" fill="var(--color-chart-2)" isAnimationActive={false} />
            <Bar dataKey="leads" name="Leads" fill="var(--color-chart-3)" isAnimationActive={false} />
            {u.messages.quota !== null && <ReferenceLine y={u.messages.quota} stroke="var(--color-danger)" strokeDasharray="4 4" label={{ value: "message quota", fontSize: 11 }} />}
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <section aria-labelledby="plans-heading">
        <h2 id="plans-heading">Plans</h2>
        {data.availablePlans.length === 0 ? (
          <p className="muted">The platform offers no plans to choose from; the platform administrator assigns this workspace&apos;s plan.</p>
        ) : (
          <ul className="plan-list">
            {data.availablePlans.map((p) => (
              <li key={p.id}>
                <strong>{p.name}</strong>
                {p.id === u.plan?.id && <span className="badge badge--ok">current</span>} — {quotaText(p.monthlyMessages)} messages, {quotaText(p.monthlyCalls)} calls, {quotaText(p.monthlyLeads)} leads a month
              </li>
            ))}
          </ul>
        )}
        {!canSwitch && others.length > 0 && <WhyCantI workspaceId={workspace.id} action="update" subject="Billing" label="Why can't I change the plan?" />}
        {canSwitch && others.length > 0 && (
          <form
            className="toolbar"
            onSubmit={(event) => {
              event.preventDefault();
              setProblem(undefined);
              const plan = others.find((p) => p.id === choice);
              if (plan === undefined) return;
              void switchPlan({ variables: { workspaceId: workspace.id, planId: plan.id } })
                .then(() => toast(`Switched to ${plan.name}. Held sends go out as far as its quotas allow.`))
                .catch((caught: unknown) => setProblem(describeError(caught).message));
            }}
          >
            <label className="toolbar__field">
              <span>Switch to</span>
              <select value={choice} onChange={(event) => setChoice(event.target.value)} aria-label="Plan to switch to">
                <option value="">Choose a plan…</option>
                {others.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="button button--primary" disabled={choice === "" || switching.loading}>
              {switching.loading ? "Switching…" : "Switch plan"}
            </button>
          </form>
        )}
        {problem !== undefined && <p role="alert">{problem}</p>}
      </section>
    </>
  );
}
