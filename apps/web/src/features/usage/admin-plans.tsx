/** /admin/plans (platform admin): define plans (monthly quotas) and assign one to a workspace by its slug. */
import { useMutation, useQuery } from "@apollo/client/react";
import { type FormEvent, useState } from "react";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { LoadError } from "../../platform/load-error.tsx";
import { AdminPlansDocument, AssignPlanDocument, CreatePlanDocument } from "./operations.ts";
import { TableScroll } from "../../platform/scroll-region.tsx";

const quota = (raw: string): number | null => (raw.trim() === "" ? null : Number(raw));
const shown = (q: number | null) => (q === null ? "unlimited" : String(q));

export function AdminPlans() {
  const { data, error, refetch } = useQuery(AdminPlansDocument, { fetchPolicy: "cache-and-network" });
  const [create, creating] = useMutation(CreatePlanDocument, { refetchQueries: [AdminPlansDocument] });
  const [assign, assigning] = useMutation(AssignPlanDocument);
  const [form, setForm] = useState({ name: "", messages: "", calls: "", leads: "", offered: true });
  const [formError, setFormError] = useState<UserFacingError>();
  const [slug, setSlug] = useState("");
  const [planId, setPlanId] = useState("");
  const [notice, setNotice] = useState<string>();
  const [assignError, setAssignError] = useState<string>();

  const onCreate = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(undefined);
    try {
      await create({ variables: { input: { name: form.name, monthlyMessages: quota(form.messages), monthlyCalls: quota(form.calls), monthlyLeads: quota(form.leads), offered: form.offered } } });
      setNotice(`Created the plan ${form.name.trim()}.`);
      setForm({ name: "", messages: "", calls: "", leads: "", offered: true });
    } catch (caught) {
      setFormError(describeError(caught));
    }
  };

  if (data === undefined) {
    if (error !== undefined) return <LoadError error={error} onRetry={refetch} />;
    return <p className="page-status">Loading plans…</p>;
  }
  return (
    <>
      {notice !== undefined && (
        <div className="banner banner--success" role="status">
          {notice}
        </div>
      )}
      {data.plans.length === 0 ? (
        <p className="empty-state">No plans yet: every workspace is unlimited. Define the first plan below.</p>
      ) : (
        <TableScroll label="Plans">
          <table className="table" aria-label="Plans">
            <thead>
              <tr>
                <th scope="col">Plan</th>
                <th scope="col">Messages / month</th>
                <th scope="col">Calls / month</th>
                <th scope="col">Leads / month</th>
                <th scope="col">Offered</th>
              </tr>
            </thead>
            <tbody>
              {data.plans.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>{shown(p.monthlyMessages)}</td>
                  <td>{shown(p.monthlyCalls)}</td>
                  <td>{shown(p.monthlyLeads)}</td>
                  <td>{p.offered ? "yes" : "no (assigned only)"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <form className="form" onSubmit={(event) => void onCreate(event)} aria-label="New plan" noValidate>
        <h2>New plan</h2>
        <ErrorBanner error={formError} fieldsShown={["name"]} />
        <Field label="Name" error={formError?.fields["name"]}>
          {(control) => <input {...control} value={form.name} onChange={(event) => setForm({ ...form, name: event.target.value })} maxLength={60} />}
        </Field>
        {(["messages", "calls", "leads"] as const).map((k) => (
          <Field key={k} label={`Monthly ${k} (empty = unlimited)`}>
            {(control) => <input {...control} type="number" min={0} inputMode="numeric" value={form[k]} onChange={(event) => setForm({ ...form, [k]: event.target.value })} />}
          </Field>
        ))}
        <label>
          <input type="checkbox" checked={form.offered} onChange={(event) => setForm({ ...form, offered: event.target.checked })} /> Offered: members with billing.manage may switch to it
        </label>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={creating.loading}>
            Create plan
          </button>
        </div>
      </form>
      <form
        className="form"
        aria-label="Assign a plan"
        onSubmit={(event) => {
          event.preventDefault();
          setAssignError(undefined);
          void assign({ variables: { slug, planId: planId === "" ? null : planId } })
            .then(() => setNotice(`Assigned ${data.plans.find((p) => p.id === planId)?.name ?? "no plan"} to ${slug}.`))
            .catch((caught: unknown) => setAssignError(describeError(caught).message));
        }}
      >
        <h2>Assign a plan</h2>
        <Field label="Workspace slug">{(control) => <input {...control} value={slug} onChange={(event) => setSlug(event.target.value)} />}</Field>
        <Field label="Plan">
          {(control) => (
            <select {...control} value={planId} onChange={(event) => setPlanId(event.target.value)}>
              <option value="">No plan (unlimited)</option>
              {data.plans.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {assignError !== undefined && <p role="alert">{assignError}</p>}
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={slug.trim() === "" || assigning.loading}>
            Assign
          </button>
        </div>
      </form>
    </>
  );
}
