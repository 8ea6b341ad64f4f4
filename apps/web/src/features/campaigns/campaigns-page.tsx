/**
 * /w/:slug/campaigns (SPEC R5): drafts, run now or at a time, live progress (polled while a
 * campaign runs), pause / resume / cancel. Messages go through the outbound pipeline: the kill
 * switch suppresses them and contacts who replied STOP are skipped.
 */
import { WhyCantI } from "../access/why-cant-i.tsx";
import { useMutation, useQuery } from "@apollo/client/react";
import {
  CAMPAIGN_MESSAGE_MAX,
  CAMPAIGN_NAME_MAX,
  CAMPAIGN_TAG_MAX,
  type CampaignForm as CampaignFormValues,
  TEMPLATE_VARIABLES,
  campaignForm,
  campaignTemplateProblem,
} from "@atrium/validation";
import { useState } from "react";
import { Link } from "react-router";
import { type CampaignFieldsFragment } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { serverFieldMessage, trimmed, useSchemaForm } from "../../platform/forms.ts";
import { formatTime } from "../../platform/format.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import {
  CampaignContactsDocument,
  CampaignProgressDocument,
  CampaignsDocument,
  CancelCampaignDocument,
  CreateCampaignDocument,
  DeleteCampaignDocument,
  PauseCampaignDocument,
  ResumeCampaignDocument,
  RunCampaignDocument,
  ScheduleCampaignDocument,
} from "./operations.ts";
import { CAMPAIGN_STATUS_LABELS, canMove, previewTemplate } from "./template.ts";
import { useLive } from "../../platform/live.ts";
import { FormActions, SkeletonList, toast } from "../../platform/ui/index.ts";

/** The draft's fields, named like CreateCampaignInput's (server field errors land beside them). */
const CAMPAIGN_FIELDS = ["name", "message", "tag"] as const;

function NewCampaignForm({ workspace, onDone }: { workspace: CurrentWorkspace; onDone: (message?: string) => void }) {
  const form = useSchemaForm(campaignForm, { name: "", message: "Hi {{firstName}}, ", tag: "" });
  const { errors } = form.formState;
  const error = form.serverError;
  const message = form.watch("message");
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const contacts = useQuery(CampaignContactsDocument, { variables: { workspaceId: workspace.id }, fetchPolicy: "cache-and-network" });
  const [create, { loading }] = useMutation(CreateCampaignDocument, { refetchQueries: [CampaignsDocument] });
  // Shown as the message is typed, not only on saving: a stray brace is easy to miss.
  const problem = campaignTemplateProblem(message);
  const list = contacts.data?.contacts.edges.map((e) => e.node) ?? [];
  const sample = list.find((c) => chosen.has(c.id)) ?? list[0] ?? { name: "Jane Doe", phone: "+15550000000" };

  const onSubmit = async ({ name, message, tag }: CampaignFormValues) => {
    form.clearServerError();
    try {
      await create({ variables: { workspaceId: workspace.id, input: { name, message, contactIds: [...chosen], tag: tag === "" ? null : tag } } });
      onDone(`Saved the draft “${name}”. Run it when you are ready.`);
    } catch (caught) {
      form.failed(describeError(caught), CAMPAIGN_FIELDS);
    }
  };
  const toggle = (id: string) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <form className="form campaign-form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate aria-label="New campaign">
      <h2>New campaign</h2>
      <ErrorBanner error={error} fieldsShown={["name", "message", "contactIds", "tag"]} />
      <Field label="Name" error={errors.name?.message}>
        {(control) => <input {...control} required maxLength={CAMPAIGN_NAME_MAX} {...form.register("name", { setValueAs: trimmed })} />}
      </Field>
      <Field
        label="Message"
        hint={
          <>
            Variables: {TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(", ")}. Preview for {sample.name}: “{previewTemplate(message, sample)}”
          </>
        }
        error={errors.message?.message ?? problem}
      >
        {(control) => <textarea {...control} rows={3} maxLength={CAMPAIGN_MESSAGE_MAX} {...form.register("message")} />}
      </Field>
      <Field label="Tag (optional): also every contact with this tag" error={errors.tag?.message}>
        {(control) => <input {...control} maxLength={CAMPAIGN_TAG_MAX} {...form.register("tag", { setValueAs: trimmed })} />}
      </Field>
      <fieldset className="campaign-form__contacts">
        <legend>
          Contacts ({chosen.size} chosen{contacts.data !== undefined && contacts.data.contacts.totalCount > list.length ? `, showing the newest ${list.length}` : ""})
        </legend>
        {serverFieldMessage(error, "contactIds") !== undefined && <p className="field__error">{serverFieldMessage(error, "contactIds")}</p>}
        {contacts.data === undefined ? (
          <p className="muted">Loading contacts…</p>
        ) : list.length === 0 ? (
          <p className="muted">No contacts yet. Leads from your form or API become contacts; or target a tag.</p>
        ) : (
          <>
            <button type="button" className="button button--small" onClick={() => setChosen(chosen.size === list.length ? new Set() : new Set(list.map((c) => c.id)))}>
              {chosen.size === list.length ? "Choose none" : "Choose all"}
            </button>
            <ul className="checklist">
              {list.map((c) => (
                <li key={c.id}>
                  <label>
                    <input type="checkbox" checked={chosen.has(c.id)} onChange={() => toggle(c.id)} /> {c.name} <span className="muted small">{c.phone ?? "no phone"}</span>
                  </label>
                </li>
              ))}
            </ul>
          </>
        )}
      </fieldset>
      <FormActions submitLabel="Save draft" pending={loading} pendingLabel="Saving…" onCancel={() => onDone()} />
    </form>
  );
}

function Progress({ c }: { c: CampaignFieldsFragment }) {
  const done = c.sent + c.failed + c.suppressed + c.cancelled;
  return (
    <div className="campaign-progress">
      <progress max={Math.max(c.total, 1)} value={done} aria-label={`${c.name}: ${done} of ${c.total} settled`} />
      <p className="small" aria-live="polite" data-testid="campaign-counts">
        <span>{c.sent} sent</span> · <span>{c.queued} queued</span> · <span>{c.failed} failed</span> · <span>{c.suppressed} suppressed</span>
        {c.held > 0 && <> · <strong>{c.held} held (quota)</strong></>}
        {c.cancelled > 0 && <> · {c.cancelled} cancelled</>} · of {c.total}
      </p>
    </div>
  );
}

function CampaignActions({ workspace, c, onNotice }: { workspace: CurrentWorkspace; c: CampaignFieldsFragment; onNotice: (n: string) => void }) {
  const ability = useAbility();
  const canRun = ability.can("run", "Campaign");
  const canDelete = ability.can("delete", "Campaign");
  const [at, setAt] = useState("");
  const [error, setError] = useState<string>();
  const vars = { workspaceId: workspace.id, id: c.id };
  const [run, running] = useMutation(RunCampaignDocument);
  const [schedule] = useMutation(ScheduleCampaignDocument);
  const [pause] = useMutation(PauseCampaignDocument);
  const [resume] = useMutation(ResumeCampaignDocument);
  const [cancel] = useMutation(CancelCampaignDocument);
  const [remove] = useMutation(DeleteCampaignDocument, { refetchQueries: [CampaignsDocument] });
  const act = async (fn: () => Promise<unknown>, notice: string) => {
    setError(undefined);
    try {
      await fn();
      onNotice(notice);
    } catch (caught) {
      setError(describeError(caught).message);
    }
  };
  return (
    <div className="campaign-actions">
      {canRun && (c.status === "DRAFT" || c.status === "SCHEDULED") && (
        <>
          <button type="button" className="button button--primary button--small" disabled={running.loading} onClick={() => void act(() => run({ variables: vars }), `Started “${c.name}”.`)}>
            Run now
          </button>
          <label className="inline-field">
            <span className="visually-hidden">Start at</span>
            <input type="datetime-local" value={at} onChange={(event) => setAt(event.target.value)} aria-label={`Start “${c.name}” at`} />
          </label>
          <button type="button" className="button button--small" disabled={at === ""} onClick={() => void act(() => schedule({ variables: { ...vars, at: new Date(at).toISOString() } }), `Scheduled “${c.name}”.`)}>
            Schedule
          </button>
        </>
      )}
      {canRun && c.status === "RUNNING" && (
        <button type="button" className="button button--small" onClick={() => void act(() => pause({ variables: vars }), `Paused “${c.name}”.`)}>
          Pause
        </button>
      )}
      {canRun && c.status === "PAUSED" && (
        <button type="button" className="button button--small" onClick={() => void act(() => resume({ variables: vars }), `Resumed “${c.name}”.`)}>
          Resume
        </button>
      )}
      {canRun && ["DRAFT", "SCHEDULED", "RUNNING", "PAUSED"].includes(c.status) && (
        <button type="button" className="button button--small button--danger" onClick={() => void act(() => cancel({ variables: vars }), `Cancelled “${c.name}”: contacts not yet reached get nothing.`)}>
          Cancel
        </button>
      )}
      {canDelete && ["DRAFT", "COMPLETED", "CANCELLED"].includes(c.status) && (
        <button type="button" className="button button--small button--danger" onClick={() => void act(() => remove({ variables: vars }), `Deleted “${c.name}”.`)}>
          Delete
        </button>
      )}
      {error !== undefined && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * Live progress of one campaign that can still move: each event carries the campaign, which
 * lands in the cache by id and moves its card (nothing to do here but subscribe). Drafts and
 * paused ones are followed too, so a run started from this page is followed from its first
 * message; at most LIVE_CAMPAIGNS of them (the API allows 25 subscriptions per connection).
 */
const LIVE_CAMPAIGNS = 15;

function CampaignLive({ workspaceId, id, onResync }: { workspaceId: string; id: string; onResync: () => void }) {
  useLive(CampaignProgressDocument, { variables: { workspaceId, id }, onEvent: () => undefined, onResync });
  return null;
}

export function CampaignsPage({ workspace }: { workspace: CurrentWorkspace }) {
  const ability = useAbility();
  const [creating, setCreating] = useState(false);
  const { data, error, refetch } = useQuery(CampaignsDocument, { variables: { workspaceId: workspace.id, first: 50 }, fetchPolicy: "cache-and-network" });
  const edges = data?.campaigns.edges ?? [];
  const followed = new Set(edges.filter((e) => canMove(e.node.status)).slice(0, LIVE_CAMPAIGNS).map((e) => e.node.id));

  if (data === undefined) {
    if (error !== undefined) return <LoadError error={error} onRetry={refetch} />;
    return <SkeletonList label="Loading campaigns…" rows={3} />;
  }
  const held = edges.reduce((n, e) => n + e.node.held, 0);
  return (
    <>
      {held > 0 && (
        <div className="banner banner--error" role="alert" data-testid="quota-banner">
          {held} {held === 1 ? "message is" : "messages are"} held: this month&apos;s message quota is used up. They go out when the plan allows more (next month or a plan change).{" "}
          {ability.can("read", "Billing") && <Link to={`/w/${workspace.slug}/usage`}>See usage and plans</Link>}
        </div>
      )}
      {creating ? (
        <NewCampaignForm
          workspace={workspace}
          onDone={(message) => {
            setCreating(false);
            if (message !== undefined) toast(message);
          }}
        />
      ) : (
        // With no campaign yet the empty state below offers the one button (not a second one here).
        ability.can("create", "Campaign") &&
        edges.length > 0 && (
          <div className="toolbar">
            <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
              New campaign
            </button>
          </div>
        )
      )}
      {edges.length === 0 ? (
        <div className="empty-state" data-testid="campaigns-empty">
          <p>No campaigns yet. A campaign sends one WhatsApp message, with each contact&apos;s name filled in, to the contacts you choose or a tag.</p>
          {ability.can("create", "Campaign") ? (
            !creating && (
              <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
                Write the first campaign
              </button>
            )
          ) : (
            <>
              <p className="muted">A member with campaign.manage creates campaigns.</p>
              <WhyCantI workspaceId={workspace.id} action="create" subject="Campaign" />
            </>
          )}
        </div>
      ) : (
        <ul className="campaign-list" aria-label="Campaigns">
          {edges.map(({ node: c }) => (
            <li key={c.id} className="campaign-card" data-testid="campaign" data-status={c.status}>
              {followed.has(c.id) && <CampaignLive workspaceId={workspace.id} id={c.id} onResync={() => void refetch().catch(() => undefined)} />}
              <div className="campaign-card__head">
                <h2 className="campaign-card__name">{c.name}</h2>
                <span className={c.status === "RUNNING" ? "badge badge--ok" : "badge"} data-testid="campaign-status">
                  {CAMPAIGN_STATUS_LABELS[c.status] ?? c.status}
                </span>
              </div>
              <p className="muted small campaign-card__message">“{c.message}”</p>
              <p className="muted small">
                Audience: {c.contactIds.length} chosen{c.tag != null ? ` + tag “${c.tag}”` : ""}
                {c.scheduledAt != null && c.status === "SCHEDULED" && <> · starts {formatTime(c.scheduledAt)}</>}
                {c.completedAt != null && <> · finished {formatTime(c.completedAt)}</>}
              </p>
              {c.status !== "DRAFT" && <Progress c={c} />}
              <CampaignActions workspace={workspace} c={c} onNotice={toast} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
