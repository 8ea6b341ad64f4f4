/**
 * /w/:slug/usage (billing.read): this month's metered usage against the plan's quotas, a chart
 * of the last six months with the quota line, held sends (banner), and — with billing.manage —
 * switching to another plan the platform offers.
 */
import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

import { useAbility } from "../../platform/ability.tsx";
import { describeError } from "../../platform/errors.ts";
import { formatNumber } from "../../platform/format.ts";
import { useDebounced, useLive } from "../../platform/live.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { Button, SelectInput, toast } from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { ConversationActivityDocument } from "../analytics/operations.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { SwitchPlanDocument, UsageDocument } from "./operations.ts";

/** The CASL subject "Why can't I?" asks about. */
const SUBJECT = "Billing";

function Meter({ label, used, quota }: { label: string; used: number; quota: number | null }) {
  const { t } = useTranslation("usage");
  const over = quota !== null && used >= quota;
  return (
    <div className="meter">
      <p>
        <strong>{label}</strong>:{" "}
        {quota === null
          ? t("meter.usedOfUnlimited", { used: formatNumber(used) })
          : t("meter.usedOf", { used: formatNumber(used), quota: formatNumber(quota) })}
        {over && <span className="badge badge--warning">{t("meter.quotaReached")}</span>}
      </p>
      {quota !== null && (
        <progress
          max={Math.max(quota, 1)}
          value={Math.min(used, quota)}
          aria-label={t("meter.progressLabel", { label, used: formatNumber(used), quota: formatNumber(quota) })}
        />
      )}
    </div>
  );
}

export function UsagePage({ workspace }: { workspace: CurrentWorkspace }) {
  const { t } = useTranslation("usage");
  const ability = useAbility();
  const canSwitch = ability.can("update", "Billing");
  const { data, error, refetch } = useQuery(UsageDocument, {
    variables: { workspaceId: workspace.id },
    fetchPolicy: "cache-and-network",
  });
  // Live: messages sent (or held) move the meters; a burst of events is one refetch, 1 s after the last.
  const refresh = useDebounced(() => void refetch().catch(() => undefined), 1_000);
  useLive(ConversationActivityDocument, {
    variables: { workspaceId: workspace.id },
    onEvent: refresh,
    onResync: refresh,
  });
  const [switchPlan, switching] = useMutation(SwitchPlanDocument, { refetchQueries: [UsageDocument] });
  const [choice, setChoice] = useState("");
  const [problem, setProblem] = useState<string>();

  if (data === undefined) {
    if (error !== undefined) return <LoadError error={error} onRetry={refetch} />;
    return <p className="page-status">{t("page.loading")}</p>;
  }
  const u = data.usage;
  const held = u.heldMessages + u.heldCalls;
  const others = data.availablePlans.filter((p) => p.id !== u.plan?.id);
  const heldMessages = t("held.messages", { count: u.heldMessages, amount: formatNumber(u.heldMessages) });
  const heldCalls = t("held.calls", { count: u.heldCalls, amount: formatNumber(u.heldCalls) });
  const heldWhat =
    u.heldMessages > 0 && u.heldCalls > 0
      ? t("held.both", { messages: heldMessages, calls: heldCalls })
      : u.heldMessages > 0
        ? heldMessages
        : heldCalls;
  const planQuota = (kind: "messages" | "calls" | "leads", quota: number | null) =>
    quota === null ? t(`plans.${kind}Unlimited`) : t(`plans.${kind}`, { count: quota, amount: formatNumber(quota) });
  return (
    <>
      {held > 0 && (
        <div className="banner banner--error" role="alert" data-testid="quota-banner">
          {t("held.banner", { held: heldWhat })}
        </div>
      )}
      <p>
        <Trans
          ns="usage"
          i18nKey="page.plan"
          values={{ plan: u.plan?.name ?? t("page.noPlan"), month: u.month }}
          components={{ strong: <strong data-testid="plan-name" /> }}
        />
      </p>
      <div className="meters">
        <Meter label={t("meters.messages")} used={u.messages.used} quota={u.messages.quota} />
        <Meter label={t("meters.calls")} used={u.calls.used} quota={u.calls.quota} />
        <Meter label={t("meters.leads")} used={u.leads.used} quota={u.leads.quota} />
      </div>
      <figure className="chart" aria-label={t("chart.label")} data-testid="usage-chart">
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={[...u.history]} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="month" fontSize={12} />
            <YAxis allowDecimals={false} fontSize={12} />
            <Tooltip />
            <Legend />
            <Bar dataKey="messages" name={t("chart.messages")} fill="var(--color-chart-1)" isAnimationActive={false} />
            <Bar dataKey="calls" name={t("chart.calls")} fill="var(--color-chart-2)" isAnimationActive={false} />
            <Bar dataKey="leads" name={t("chart.leads")} fill="var(--color-chart-3)" isAnimationActive={false} />
            {u.messages.quota !== null && (
              <ReferenceLine
                y={u.messages.quota}
                stroke="var(--color-danger)"
                strokeDasharray="4 4"
                label={{ value: t("chart.quota"), fontSize: 11 }}
              />
            )}
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <section aria-labelledby="plans-heading">
        <h2 id="plans-heading">{t("plans.title")}</h2>
        {data.availablePlans.length === 0 ? (
          <p className="muted">{t("plans.none")}</p>
        ) : (
          <ul className="plan-list">
            {data.availablePlans.map((p) => (
              <li key={p.id}>
                <strong>{p.name}</strong>
                {p.id === u.plan?.id && <span className="badge badge--ok">{t("plans.current")}</span>} —{" "}
                {t("plans.quotas", {
                  messages: planQuota("messages", p.monthlyMessages),
                  calls: planQuota("calls", p.monthlyCalls),
                  leads: planQuota("leads", p.monthlyLeads),
                })}
              </li>
            ))}
          </ul>
        )}
        {!canSwitch && others.length > 0 && (
          <WhyCantI workspaceId={workspace.id} action="update" subject={SUBJECT} label={t("plans.whyCantSwitch")} />
        )}
        {canSwitch && others.length > 0 && (
          <form
            className="toolbar"
            onSubmit={(event) => {
              event.preventDefault();
              setProblem(undefined);
              const plan = others.find((p) => p.id === choice);
              if (plan === undefined) return;
              void switchPlan({ variables: { workspaceId: workspace.id, planId: plan.id } })
                .then(() => toast(t("plans.switched", { plan: plan.name })))
                .catch((caught: unknown) => setProblem(describeError(caught).message));
            }}
          >
            <label className="toolbar__field">
              <span>{t("plans.switchTo")}</span>
              <SelectInput
                value={choice}
                onChange={(event) => setChoice(event.target.value)}
                aria-label={t("plans.switchToLabel")}
              >
                <option value="">{t("plans.choose")}</option>
                {others.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </SelectInput>
            </label>
            <Button type="submit" variant="primary" disabled={choice === "" || switching.loading}>
              {switching.loading ? t("plans.switching") : t("plans.switch")}
            </Button>
          </form>
        )}
        {problem !== undefined && <p role="alert">{problem}</p>}
      </section>
    </>
  );
}
