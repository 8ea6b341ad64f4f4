/** /admin/plans (platform admin): define plans (monthly quotas) and assign one to a workspace by its slug. */
import { useMutation, useQuery } from "@apollo/client/react";
import i18next from "i18next";
import { useTranslation } from "react-i18next";
import * as z from "zod/mini";

import { PLAN_NAME_MAX, planName, workspaceSlug } from "@atrium/validation";

import { type AdminPlansQuery } from "../../gql/graphql.ts";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { formatNumber } from "../../platform/format.ts";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { LoadError } from "../../platform/load-error.tsx";
import {
  Checkbox,
  DataTable,
  FormActions,
  Select,
  SkeletonList,
  TextField,
  toast,
  type Column,
} from "../../platform/ui/index.ts";
import { AdminPlansDocument, AssignPlanDocument, CreatePlanDocument } from "./operations.ts";

type Plan = AdminPlansQuery["plans"][number];

const quota = (raw: string): number | null => (raw.trim() === "" ? null : Number(raw));

/**
 * A monthly quota as typed: blank (unlimited) or a whole number from 0 to QUOTA_MAX. The rule is
 * the form's own (decision 0020, "Later"): PlanInput checks the same with `@IsInt`, `@Min(0)` —
 * "Quotas cannot be negative.", said here too — and `@Max`, whose messages are class-validator's.
 * The messages are read when the form is checked, in the current language.
 */
const QUOTA_MAX = 100_000_000;
const quotaMessage = (problem: "negative" | "wholeNumber" | "tooLarge") =>
  i18next.t(`quota.${problem}`, { ns: "usage", max: formatNumber(QUOTA_MAX) });
const monthlyQuota = z.string().check(
  z.superRefine((typed, ctx) => {
    const text = typed.trim();
    if (text === "") return;
    const problem =
      Number(text) < 0
        ? "negative"
        : !/^\d+$/.test(text)
          ? "wholeNumber"
          : Number(text) > QUOTA_MAX
            ? "tooLarge"
            : undefined;
    if (problem !== undefined) ctx.issues.push({ code: "custom", message: quotaMessage(problem), input: typed });
  }),
);

/** The new-plan form, keyed by PlanInput's fields (the API's error keys). */
const planForm = z.object({
  name: planName,
  monthlyMessages: monthlyQuota,
  monthlyCalls: monthlyQuota,
  monthlyLeads: monthlyQuota,
  offered: z.boolean(),
});
type PlanForm = z.output<typeof planForm>;
const PLAN_FIELDS = ["name", "monthlyMessages", "monthlyCalls", "monthlyLeads"] as const;
/** Each quota field and the translation key (namespace "usage") of its label. */
const QUOTA_FIELDS = [
  { name: "monthlyMessages", label: "adminPlans.fields.monthlyMessages" },
  { name: "monthlyCalls", label: "adminPlans.fields.monthlyCalls" },
  { name: "monthlyLeads", label: "adminPlans.fields.monthlyLeads" },
] as const;
const NEW_PLAN = { name: "", monthlyMessages: "", monthlyCalls: "", monthlyLeads: "", offered: true };

/** Assigning a plan: the workspace by its slug (the shared slug rule), and the plan (none = unlimited). */
const assignForm = z.object({ slug: workspaceSlug, planId: z.string() });
type AssignForm = z.output<typeof assignForm>;
const ASSIGN_FIELDS = ["slug"] as const;
/** The API looks the slug up trimmed and in lower case: that is what is checked and sent. */
const slugAsLookedUp = (value: unknown): unknown => (typeof value === "string" ? value.trim().toLowerCase() : value);

export function AdminPlans() {
  const { t } = useTranslation("usage");
  const shown = (q: number | null) => (q === null ? t("adminPlans.unlimited") : formatNumber(q));
  const { data, error, refetch } = useQuery(AdminPlansDocument, { fetchPolicy: "cache-and-network" });
  const [create, creating] = useMutation(CreatePlanDocument, { refetchQueries: [AdminPlansDocument] });
  const [assign, assigning] = useMutation(AssignPlanDocument);
  const planFormState = useSchemaForm(planForm, NEW_PLAN);
  const planErrors = planFormState.formState.errors;
  const assignFormState = useSchemaForm(assignForm, { slug: "", planId: "" });
  const slug = assignFormState.watch("slug");

  const onCreate = async ({ name, monthlyMessages, monthlyCalls, monthlyLeads, offered }: PlanForm) => {
    planFormState.clearServerError();
    try {
      await create({
        variables: {
          input: {
            name,
            monthlyMessages: quota(monthlyMessages),
            monthlyCalls: quota(monthlyCalls),
            monthlyLeads: quota(monthlyLeads),
            offered,
          },
        },
      });
      toast(t("adminPlans.created", { name }));
      planFormState.reset(NEW_PLAN);
    } catch (caught) {
      planFormState.failed(describeError(caught), PLAN_FIELDS);
    }
  };

  const onAssign = async ({ slug, planId }: AssignForm) => {
    assignFormState.clearServerError();
    try {
      await assign({ variables: { slug, planId: planId === "" ? null : planId } });
      toast(
        t("adminPlans.assigned", {
          plan: data?.plans.find((p) => p.id === planId)?.name ?? t("adminPlans.noPlanAssigned"),
          slug,
        }),
      );
    } catch (caught) {
      assignFormState.failed(describeError(caught), ASSIGN_FIELDS);
    }
  };

  if (data === undefined) {
    if (error !== undefined) return <LoadError error={error} onRetry={refetch} />;
    return <SkeletonList label={t("adminPlans.loading")} rows={3} />;
  }
  const columns: Column<Plan>[] = [
    { id: "plan", header: t("adminPlans.columns.plan"), cell: (p) => p.name },
    { id: "messages", header: t("adminPlans.columns.messages"), cell: (p) => shown(p.monthlyMessages) },
    { id: "calls", header: t("adminPlans.columns.calls"), cell: (p) => shown(p.monthlyCalls) },
    { id: "leads", header: t("adminPlans.columns.leads"), cell: (p) => shown(p.monthlyLeads) },
    {
      id: "offered",
      header: t("adminPlans.columns.offered"),
      cell: (p) => (p.offered ? t("adminPlans.offeredYes") : t("adminPlans.offeredNo")),
    },
  ];

  return (
    <>
      <DataTable
        label={t("adminPlans.tableLabel")}
        rows={data.plans}
        rowKey={(p) => p.id}
        empty={<p className="empty-state">{t("adminPlans.empty")}</p>}
        columns={columns}
      />
      <form
        className="form"
        onSubmit={(event) => void planFormState.handleSubmit(onCreate)(event)}
        aria-label={t("adminPlans.newPlan")}
        noValidate
      >
        <h2>{t("adminPlans.newPlan")}</h2>
        <ErrorBanner error={planFormState.serverError} fieldsShown={PLAN_FIELDS} />
        <TextField
          label={t("adminPlans.name")}
          error={planErrors.name?.message}
          maxLength={PLAN_NAME_MAX}
          {...planFormState.register("name", { setValueAs: trimmed })}
        />
        {QUOTA_FIELDS.map(({ name, label }) => (
          <TextField
            key={name}
            label={t(label)}
            error={planErrors[name]?.message}
            type="number"
            min={0}
            inputMode="numeric"
            {...planFormState.register(name)}
          />
        ))}
        <label>
          <Checkbox {...planFormState.register("offered")} /> {t("adminPlans.offeredLabel")}
        </label>
        <FormActions submitLabel={t("adminPlans.create")} pending={creating.loading} />
      </form>
      <form
        className="form"
        aria-label={t("adminPlans.assignTitle")}
        onSubmit={(event) => void assignFormState.handleSubmit(onAssign)(event)}
        noValidate
      >
        <h2>{t("adminPlans.assignTitle")}</h2>
        <TextField
          label={t("adminPlans.slug")}
          error={assignFormState.formState.errors.slug?.message}
          {...assignFormState.register("slug", { setValueAs: slugAsLookedUp })}
        />
        <Select label={t("adminPlans.plan")} {...assignFormState.register("planId")}>
          <option value="">{t("adminPlans.noPlan")}</option>
          {data.plans.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </Select>
        <ErrorBanner error={assignFormState.serverError} fieldsShown={ASSIGN_FIELDS} />
        <FormActions submitLabel={t("adminPlans.assign")} pending={assigning.loading} disabled={slug === ""} />
      </form>
    </>
  );
}
