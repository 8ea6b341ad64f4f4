import { WhyCantI } from "../access/why-cant-i.tsx";
import { useMutation, useQuery } from "@apollo/client/react";
import { type ContactForm, contactForm, splitTags } from "@atrium/validation";
import { type ChangeEvent, useState } from "react";
import { type ContactsQuery, type ImportContactsMutation } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { ConfirmDialog, DataTable, Dialog, FormActions, RowActions, SkeletonList, toast } from "../../platform/ui/index.ts";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { refreshSession } from "../../platform/apollo.ts";
import { sessionFetch } from "../../platform/csrf.ts";
import { requestStepUp } from "../step-up/step-up-gate.ts";
import { type CsvContactRow, batches, countCsvRecords, parseContactsCsv } from "./csv.ts";
import { fetchContactsCsv } from "./export.ts";
import { ContactTagsDocument, ContactsDocument, CreateContactDocument, DeleteContactDocument, ImportContactsDocument, UpdateContactDocument } from "./operations.ts";

type Contact = ContactsQuery["contacts"]["edges"][number]["node"];
type ImportResult = ImportContactsMutation["importContacts"];
type RowResult = ImportResult["rows"][number];

type Open = { kind: "create" } | { kind: "edit"; contact: Contact } | { kind: "delete"; contact: Contact } | { kind: "import" };

/** /w/:slug/contacts (R2): search, tags, add, edit, delete, CSV import with a preview and progress, CSV export. */
export function ContactsPage({ workspace }: { workspace: CurrentWorkspace }) {
  const ability = useAbility();
  const workspaceId = workspace.id;
  const [search, setSearch] = useState("");
  const [tag, setTag] = useState("");
  const [open, setOpen] = useState<Open>();
  const [exporting, setExporting] = useState(false);
  const variables = { workspaceId, first: 50, ...(search.trim() ? { search: search.trim() } : {}), ...(tag ? { tag } : {}) };
  const { data, error, loading, refetch, fetchMore } = useQuery(ContactsDocument, { variables, fetchPolicy: "cache-and-network" });
  const tags = useQuery(ContactTagsDocument, { variables: { workspaceId }, fetchPolicy: "cache-and-network" });
  const canManage = ability.can("create", "Contact");
  const refresh = () => void Promise.all([refetch(), tags.refetch()]);

  // The whole filtered set from the API, each contact once (export.ts).
  const exportCsv = async () => {
    setExporting(true);
    try {
      const { blob, filename } = await fetchContactsCsv(workspaceId, { search, tag }, { fetch: (url) => sessionFetch(url), refreshSession, requestStepUp });
      const count = countCsvRecords(await blob.text());
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = filename;
      a.click();
      URL.revokeObjectURL(url);
      toast(`Exported ${count} contact${count === 1 ? "" : "s"}.`);
    } catch (caught) {
      toast(describeError(caught).message);
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <div className="toolbar">
        <div className="toolbar__field">
          <label htmlFor="contact-search">Search</label>
          <input id="contact-search" type="search" placeholder="Name, e-mail or phone" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="toolbar__field">
          <label htmlFor="contact-tag">Tag</label>
          <select id="contact-tag" value={tag} onChange={(e) => setTag(e.target.value)}>
            <option value="">All</option>
            {(tags.data?.contactTags ?? []).map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <span className="toolbar__spacer" />
        {!canManage && <WhyCantI workspaceId={workspaceId} action="create" subject="Contact" label="Why can't I add contacts?" />}
        {canManage && (
          <>
            <button type="button" className="button button--primary" onClick={() => setOpen({ kind: "create" })}>
              Add contact
            </button>
            <button type="button" className="button" onClick={() => setOpen({ kind: "import" })}>
              Import CSV
            </button>
          </>
        )}
        <button type="button" className="button" disabled={exporting || !data || data.contacts.totalCount === 0} onClick={() => void exportCsv()}>
          {exporting ? "Exporting…" : "Export CSV"}
        </button>
      </div>
      {data === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} />
        ) : (
          <SkeletonList label="Loading contacts…" />
        )
      ) : data.contacts.totalCount === 0 ? (
        <p className="empty-state">
          {search || tag ? "No contact matches." : canManage ? "No contacts yet. Add one, or import a CSV file with name, email, phone and tags columns." : "No contacts yet."}
        </p>
      ) : (
        <>
          <p className="muted" aria-live="polite">
            {data.contacts.totalCount} contact{data.contacts.totalCount === 1 ? "" : "s"}
          </p>
          <DataTable
            label="Contacts"
            stack
            rows={data.contacts.edges}
            rowKey={({ node }) => node.id}
            rowProps={() => ({ "data-testid": "contact-row" })}
            columns={[
              { id: "name", header: "Name", cell: ({ node }) => node.name },
              { id: "email", header: "E-mail", cell: ({ node }) => node.email ?? <span className="muted">—</span> },
              { id: "phone", header: "Phone", cell: ({ node }) => node.phone ?? <span className="muted">—</span> },
              {
                id: "tags",
                header: "Tags",
                cell: ({ node }) =>
                  node.tags.map((t) => (
                    <span key={t} className="badge badge--muted">
                      {t}
                    </span>
                  )),
              },
              ...(canManage
                ? [
                    {
                      id: "actions",
                      header: "Actions",
                      headerHidden: true,
                      cell: ({ node }: (typeof data.contacts.edges)[number]) => (
                        <RowActions
                          name={node.name}
                          actions={[
                            { label: "Edit", onSelect: () => setOpen({ kind: "edit", contact: node }) },
                            { label: "Delete", danger: true, onSelect: () => setOpen({ kind: "delete", contact: node }) },
                          ]}
                        />
                      ),
                    },
                  ]
                : []),
            ]}
          />
          {data.contacts.pageInfo.hasNextPage && (
            <button type="button" className="pager" disabled={loading} onClick={() => void fetchMore({ variables: { after: data.contacts.pageInfo.endCursor } })}>
              {loading ? "Loading…" : "Load more"}
            </button>
          )}
        </>
      )}
      {(open?.kind === "create" || open?.kind === "edit") && (
        <ContactDialog
          workspaceId={workspaceId}
          contact={open.kind === "edit" ? open.contact : undefined}
          onClose={() => setOpen(undefined)}
          onSaved={(message) => {
            setOpen(undefined);
            toast(message);
            refresh();
          }}
        />
      )}
      {open?.kind === "delete" && <DeleteContact workspaceId={workspaceId} contact={open.contact} onClose={() => setOpen(undefined)} onDeleted={(m) => (setOpen(undefined), toast(m), refresh())} />}
      {open?.kind === "import" && (
        <ImportDialog
          workspaceId={workspaceId}
          onClose={() => {
            setOpen(undefined);
            refresh();
          }}
        />
      )}
    </>
  );
}

const CONTACT_FIELDS = ["name", "email", "phone", "tags"] as const;

function ContactDialog({ workspaceId, contact, onClose, onSaved }: { workspaceId: string; contact: Contact | undefined; onClose: () => void; onSaved: (message: string) => void }) {
  const form = useSchemaForm(contactForm, { name: contact?.name ?? "", email: contact?.email ?? "", phone: contact?.phone ?? "", tags: contact?.tags.join(", ") ?? "" });
  const { errors } = form.formState;
  const error = form.serverError;
  const [create, created] = useMutation(CreateContactDocument);
  const [update, updated] = useMutation(UpdateContactDocument);
  const onSubmit = async ({ name, email, phone, tags }: ContactForm) => {
    form.clearServerError();
    const input = { name, email: email || null, phone: phone || null, tags: splitTags(tags) };
    try {
      if (contact) await update({ variables: { workspaceId, id: contact.id, input } });
      else await create({ variables: { workspaceId, input } });
      onSaved(contact ? `Saved ${name}.` : `Added ${name}.`);
    } catch (caught) {
      form.failed(describeError(caught), CONTACT_FIELDS);
    }
  };
  return (
    <Dialog title={contact ? `Edit ${contact.name}` : "Add a contact"} onClose={onClose}>
      <form className="form" onSubmit={(e) => void form.handleSubmit(onSubmit)(e)} noValidate>
        <ErrorBanner error={error} fieldsShown={CONTACT_FIELDS} />
        <Field label="Name" error={errors.name?.message}>
          {(c) => <input {...c} type="text" autoComplete="off" required {...form.register("name", { setValueAs: trimmed })} />}
        </Field>
        <Field label="E-mail" error={errors.email?.message}>
          {(c) => <input {...c} type="email" autoComplete="off" {...form.register("email", { setValueAs: trimmed })} />}
        </Field>
        <Field label="Phone" hint="With the country code, e.g. +44 20 7946 0958." error={errors.phone?.message}>
          {(c) => <input {...c} type="tel" autoComplete="off" {...form.register("phone", { setValueAs: trimmed })} />}
        </Field>
        <Field label="Tags" hint="Comma-separated, e.g. vip, newsletter." error={errors.tags?.message}>
          {(c) => <input {...c} type="text" autoComplete="off" {...form.register("tags")} />}
        </Field>
        <FormActions submitLabel={contact ? "Save" : "Add contact"} pending={created.loading || updated.loading} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function DeleteContact({ workspaceId, contact, onClose, onDeleted }: { workspaceId: string; contact: Contact; onClose: () => void; onDeleted: (message: string) => void }) {
  const [remove] = useMutation(DeleteContactDocument);
  return (
    <ConfirmDialog
      title={`Delete ${contact.name}?`}
      confirmLabel="Delete contact"
      danger
      onClose={onClose}
      onConfirm={async () => {
        await remove({ variables: { workspaceId, id: contact.id } });
        onDeleted(`Deleted ${contact.name}.`);
      }}
    >
      <p>The contact is removed for good. A contact with leads or conversations is kept with them.</p>
    </ConfirmDialog>
  );
}

type ImportStage =
  | { kind: "choose"; problems: string[] }
  | { kind: "previewing"; done: number; total: number }
  | { kind: "preview"; rows: CsvContactRow[]; results: RowResult[] }
  | { kind: "importing"; rows: CsvContactRow[]; done: number }
  | { kind: "done"; results: RowResult[] };

/** Choose a file → preview (a dry run of every row) → import in batches with a progress bar → per-row outcome. */
export function ImportDialog({ workspaceId, onClose }: { workspaceId: string; onClose: () => void }) {
  const [stage, setStage] = useState<ImportStage>({ kind: "choose", problems: [] });
  const [error, setError] = useState<UserFacingError>();
  const [run] = useMutation(ImportContactsDocument);

  const runAll = async (rows: CsvContactRow[], dryRun: boolean, progress: (done: number) => void): Promise<RowResult[]> => {
    const out: RowResult[] = [];
    let offset = 0;
    for (const batch of batches(rows)) {
      const r = await run({ variables: { workspaceId, input: { rows: batch, dryRun } } });
      const result = r.data?.importContacts;
      if (!result) throw new Error("The import did not answer.");
      out.push(...result.rows.map((row) => ({ ...row, row: row.row + offset })));
      offset += batch.length;
      progress(offset);
    }
    return out;
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    setError(undefined);
    const parsed = parseContactsCsv(await file.text());
    if (parsed.rows.length === 0 || (parsed.columns.email === null && parsed.columns.phone === null)) {
      setStage({ kind: "choose", problems: parsed.rows.length === 0 ? ["The file has no rows.", ...parsed.problems] : parsed.problems });
      return;
    }
    setStage({ kind: "previewing", done: 0, total: parsed.rows.length });
    try {
      const results = await runAll(parsed.rows, true, (done) => setStage({ kind: "previewing", done, total: parsed.rows.length }));
      setStage({ kind: "preview", rows: parsed.rows, results });
    } catch (caught) {
      setError(describeError(caught));
      setStage({ kind: "choose", problems: [] });
    }
  };

  const onImport = async (rows: CsvContactRow[]) => {
    setStage({ kind: "importing", rows, done: 0 });
    try {
      const results = await runAll(rows, false, (done) => setStage({ kind: "importing", rows, done }));
      setStage({ kind: "done", results });
    } catch (caught) {
      setError(describeError(caught));
    }
  };

  return (
    <Dialog title="Import contacts from CSV" onClose={onClose}>
      <div className="form">
        <ErrorBanner error={error} />
        {stage.kind === "choose" && (
          <>
            <Field label="CSV file" hint="A header row with columns such as name, email, phone and tags (comma-separated). Rows are matched to existing contacts by e-mail, then phone.">
              {(c) => <input {...c} type="file" accept=".csv,text/csv" onChange={(e) => void onFile(e)} />}
            </Field>
            {stage.problems.length > 0 && (
              <ul className="warning-list" role="alert">
                {stage.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            )}
          </>
        )}
        {stage.kind === "previewing" && <Progress label="Checking rows" done={stage.done} total={stage.total} />}
        {stage.kind === "importing" && <Progress label="Importing" done={stage.done} total={stage.rows.length} />}
        {stage.kind === "preview" && (
          <>
            <Summary results={stage.results} verb="will be" />
            <RowTable results={stage.results} />
            <FormActions
              submitLabel={`Import ${stage.results.filter((r) => r.action !== "ERROR").length} rows`}
              disabled={stage.results.every((r) => r.action === "ERROR")}
              onSubmit={() => void onImport(stage.rows)}
              onCancel={onClose}
            />
          </>
        )}
        {stage.kind === "done" && (
          <>
            <div className="banner banner--success" role="status">
              Import finished.
            </div>
            <Summary results={stage.results} verb="were" />
            <RowTable results={stage.results.filter((r) => r.action === "ERROR")} />
            <div className="form__actions">
              <button type="button" className="button button--primary" onClick={onClose}>
                Close
              </button>
            </div>
          </>
        )}
      </div>
    </Dialog>
  );
}

function Progress({ label, done, total }: { label: string; done: number; total: number }) {
  return (
    <div className="field">
      <label htmlFor="import-progress">
        {label}: {done} of {total} rows
      </label>
      <progress id="import-progress" max={total} value={done} aria-valuetext={`${done} of ${total} rows`} />
    </div>
  );
}

function Summary({ results, verb }: { results: RowResult[]; verb: string }) {
  const count = (a: string) => results.filter((r) => r.action === a).length;
  return (
    <p data-testid="import-summary">
      {count("CREATED")} {verb} created, {count("UPDATED")} {verb} merged into existing contacts, {count("ERROR")} with errors.
    </p>
  );
}

const ACTION_LABELS: Record<string, string> = { CREATED: "New", UPDATED: "Merge", ERROR: "Error" };

function RowTable({ results }: { results: RowResult[] }) {
  if (results.length === 0) return null;
  const shown = [...results.filter((r) => r.action === "ERROR"), ...results.filter((r) => r.action !== "ERROR")].slice(0, 50);
  return (
    <>
      <DataTable
        label="Rows"
        rows={shown}
        rowKey={(r) => String(r.row)}
        columns={[
          { id: "row", header: "Row", cell: (r) => r.row + 2 },
          {
            id: "outcome",
            header: "Outcome",
            cell: (r) => (
              <>
                <span className={r.action === "ERROR" ? "badge badge--warning" : "badge"}>{ACTION_LABELS[r.action]}</span>
                {r.error && <div className="field__error">{r.error}</div>}
              </>
            ),
          },
          { id: "name", header: "Name", cell: (r) => r.name ?? <span className="muted">—</span> },
          { id: "contact", header: "E-mail / phone", cell: (r) => [r.email, r.phone].filter(Boolean).join(" · ") || <span className="muted">—</span> },
        ]}
      />
      {results.length > shown.length && <p className="muted">…and {results.length - shown.length} more rows.</p>}
    </>
  );
}
