/** /admin/plans (platform admin): define plans (monthly quotas) and assign one to a workspace by its slug. */
import { useMutation, useQuery } from "@apollo/client/react";
import { PLAN_NAME_MAX, planName, workspaceSlug } from "@atrium/validation";
import * as z from "zod/mini";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { AdminPlansDocument, AssignPlanDocument, CreatePlanDocument } from "./operations.ts";
import { DataTable, FormActions, SkeletonList, toast } from "../../platform/ui/index.ts";

const quota = (raw: string): number | null => (raw.trim() === "" ? null : Number(raw));
const shown = (q: number | null) => (q === null ? "unlimited" : String(q));

/**
 * A monthly quota as typed: blank (unlimited) or a whole number from 0 to QUOTA_MAX. The rule is
 * the form's own (decision 0020, "Later"): PlanInput checks the same with `@IsInt`, `@Min(0)` —
 * "Quotas cannot be negative.", said here too — and `@Max`, whose messages are class-validator's.
 */
const QUOTA_MAX = 100_000_000;
const QUOTA_MESSAGES = {
  negative: "Quotas cannot be negative.",
  wholeNumber: "Enter a whole number, or leave it empty for unlimited.",
  tooLarge: `Quotas are at most ${QUOTA_MAX.toLocaleString("en")}.`,
} as const;
const monthlyQuota = z.string().check(
  z.superRefine((typed, ctx) => {
    const text = typed.trim();
    if (text === "") return;
    const problem = Number(text) < 0 ? QUOTA_MESSAGES.negative : !/^\d+$/.test(text) ? QUOTA_MESSAGES.wholeNumber : Number(text) > QUOTA_MAX ? QUOTA_MESSAGES.tooLarge : undefined;
    if (problem !== undefined) ctx.issues.push({ code: "custom", message: problem, input: typed });
  }),
);

/** The new-plan form, keyed by PlanInput's fields (the API's error keys). */
const planForm = z.object({ name: planName, monthlyMessages: monthlyQuota, monthlyCalls: monthlyQuota, monthlyLeads: monthlyQuota, offered: z.boolean() });
type PlanForm = z.output<typeof planForm>;
const PLAN_FIELDS = ["name", "monthlyMessages", "monthlyCalls", "monthlyLeads"] as const;
const QUOTA_FIELDS = [
  { name: "monthlyMessages", label: "Monthly messages (empty = unlimited)" },
  { name: "monthlyCalls", label: "Monthly calls (empty = unlimited)" },
  { name: "monthlyLeads", label: "Monthly leads (empty = unlimited)" },
] as const;
const NEW_PLAN = { name: "", monthlyMessages: "", monthlyCalls: "", monthlyLeads: "", offered: true };

/** Assigning a plan: the workspace by its slug (the shared slug rule), and the plan (none = unlimited). */
const assignForm = z.object({ slug: workspaceSlug, planId: z.string() });
type AssignForm = z.output<typeof assignForm>;
const ASSIGN_FIELDS = ["slug"] as const;
/** The API looks the slug up trimmed and in lower case: that is what is checked and sent. */
const slugAsLookedUp = (value: unknown): unknown => (typeof value === "string" ? value.trim().toLowerCase() : value);

export function AdminPlans() {
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
      await create({ variables: { input: { name, monthlyMessages: quota(monthlyMessages), monthlyCalls: quota(monthlyCalls), monthlyLeads: quota(monthlyLeads), offered } } });
      toast(`Created the plan ${name}.`);
      planFormState.reset(NEW_PLAN);
    } catch (caught) {
      planFormState.failed(describeError(caught), PLAN_FIELDS);
    }
  };

  const onAssign = async ({ slug, planId }: AssignForm) => {
    assignFormState.clearServerError();
    try {
      await assign({ variables: { slug, planId: planId === "" ? null : planId } });
      toast(`Assigned ${data?.plans.find((p) => p.id === planId)?.name ?? "no plan"} to ${slug}.`);
    } catch (caught) {
      assignFormState.failed(describeError(caught), ASSIGN_FIELDS);
    }
  };

  if (data === undefined) {
    if (error !== undefined) return <LoadError error={error} onRetry={refetch} />;
    return <SkeletonList label="Loading plans…" rows={3} />;
  }
  return (
    <>
      <DataTable
        label="Plans"
        rows={data.plans}
        rowKey={(p) => p.id}
        empty={<p className="empty-state">No plans yet: every workspace is unlimited. Define the first plan below.</p>}
        columns={[
          { id: "plan", header: "Plan", cell: (p) => p.name },
          { id: "messages", header: "Messages / month", cell: (p) => shown(p.monthlyMessages) },
          { id: "calls", header: "Calls / month", cell: (p) => shown(p.monthlyCalls) },
          { id: "leads", header: "Leads / month", cell: (p) => shown(p.monthlyLeads) },
          { id: "offered", header: "Offered", cell: (p) => (p.offered ? "yes" : "no (assigned only)") },
        ]}
      />
      <form className="form" onSubmit={(event) => void planFormState.handleSubmit(onCreate)(event)} aria-label="New plan" noValidate>
        <h2>New plan</h2>
        <ErrorBanner error={planFormState.serverError} fieldsShown={PLAN_FIELDS} />
        <Field label="Name" error={planErrors.name?.message}>
          {(control) => <input {...control} maxLength={PLAN_NAME_MAX} {...planFormState.register("name", { setValueAs: trimmed })} />}
        </Field>
        {QUOTA_FIELDS.map(({ name, label }) => (
          <Field key={name} label={label} error={planErrors[name]?.message}>
            {(control) => <input {...control} type="number" min={0} inputMode="numeric" {...planFormState.register(name)} />}
          </Field>
        ))}
        <label>
          <input type="checkbox" {...planFormState.register("offered")} /> Offered: members with billing.manage may switch to it
        </label>
        <FormActions submitLabel="Create plan" pending={creating.loading} />
      </form>
      <form className="form" aria-label="Assign a plan" onSubmit={(event) => void assignFormState.handleSubmit(onAssign)(event)} noValidate>
        <h2>Assign a plan</h2>
        <Field label="Workspace slug" error={assignFormState.formState.errors.slug?.message}>
          {(control) => <input {...control} {...assignFormState.register("slug", { setValueAs: slugAsLookedUp })} />}
        </Field>
        <Field label="Plan">
          {(control) => (
            <select {...control} {...assignFormState.register("planId")}>
              <option value="">No plan (unlimited)</option>
              {data.plans.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ErrorBanner error={assignFormState.serverError} fieldsShown={ASSIGN_FIELDS} />
        <FormActions submitLabel="Assign" pending={assigning.loading} disabled={slug === ""} />
      </form>
    </>
  );
}
