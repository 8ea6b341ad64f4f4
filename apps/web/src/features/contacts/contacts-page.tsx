import { WhyCantI } from "../access/why-cant-i.tsx";
import { ContactsNextStep } from "../home/next-steps.tsx";
import { useMutation, useQuery } from "@apollo/client/react";
import { CONTACT_IMPORT_MAX_ROWS, CONTACT_IMPORT_MESSAGES, type ContactForm, contactForm, normaliseTags, splitTags } from "@atrium/validation";
import { type ChangeEvent, useState } from "react";
import { type ContactsQuery, type ImportContactsMutation } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { ConfirmDialog, DataTable, Dialog, FormActions, RowActions, SkeletonList, TruncatedText, toast, usePageSize } from "../../platform/ui/index.ts";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { formatTime } from "../../platform/format.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { refreshSession } from "../../platform/apollo.ts";
import { sessionFetch } from "../../platform/csrf.ts";
import { requestStepUp } from "../step-up/step-up-gate.ts";
import { type CsvContactRow, countCsvRecords, parseContactsCsv } from "./csv.ts";
import { fetchContactsCsv } from "./export.ts";
import { WhatsAppConsent } from "./whatsapp-consent.tsx";
import { ContactTagsDocument, ContactsDocument, CreateContactDocument, DeleteContactDocument, ImportContactsDocument, UpdateContactDocument } from "./operations.ts";

type ContactEdge = ContactsQuery["contacts"]["edges"][number];
type Contact = ContactEdge["node"];
const PAGE_SIZES = [25, 50, 100] as const;
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
  const pageSize = usePageSize("contacts", PAGE_SIZES, 50);
  const variables = { workspaceId, first: pageSize.value, ...(search.trim() ? { search: search.trim() } : {}), ...(tag ? { tag } : {}) };
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
      toast(describeError(caught).message, { variant: "error" });
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
        search || tag ? (
          <p className="empty-state">No contact matches.</p>
        ) : (
          <ContactsNextStep onImport={canManage ? () => setOpen({ kind: "import" }) : undefined} />
        )
      ) : (
        <>
          <p className="muted" aria-live="polite">
            {data.contacts.totalCount} contact{data.contacts.totalCount === 1 ? "" : "s"}
          </p>
          <DataTable
            label="Contacts"
            storageKey="contacts"
            rows={data.contacts.edges}
            rowKey={({ node }) => node.id}
            rowProps={() => ({ "data-testid": "contact-row" })}
            complete={!data.contacts.pageInfo.hasNextPage}
            serverOrder={{ column: "created", direction: "descending", text: "Newest first" }}
            pageSize={pageSize}
            {...(canManage
              ? {
                  selection: {
                    rowLabel: ({ node }: ContactEdge) => `Select ${node.name}`,
                    allLabel: "Select all loaded contacts",
                    actions: (selected: readonly ContactEdge[], clear: () => void) => (
                      <BulkContactActions
                        workspaceId={workspaceId}
                        contacts={selected.map(({ node }) => node)}
                        onDone={() => {
                          clear();
                          refresh();
                        }}
                      />
                    ),
                  },
                }
              : {})}
            columns={[
              { id: "name", header: "Name", sortValue: ({ node }) => node.name, cell: ({ node }) => node.name },
              { id: "email", header: "E-mail", sortValue: ({ node }) => node.email, cell: ({ node }) => (node.email == null ? <span className="muted">—</span> : <TruncatedText text={node.email} />) },
              { id: "phone", header: "Phone", className: "data-table__nowrap", sortValue: ({ node }) => node.phone, cell: ({ node }) => node.phone ?? <span className="muted">—</span> },
              ...(workspace.channel === "WHATSAPP" ? [{ id: "whatsapp", header: "WhatsApp", cell: ({ node }: (typeof data.contacts.edges)[number]) => <WhatsAppConsent contact={node} /> }] : []),
              {
                id: "tags",
                header: "Tags",
                sortValue: ({ node }) => node.tags.join(", ") || undefined,
                cell: ({ node }) =>
                  node.tags.map((t) => (
                    <span key={t} className="badge badge--muted">
                      {t}
                    </span>
                  )),
              },
              { id: "created", header: "Added", sortValue: ({ node }) => node.createdAt, cell: ({ node }) => <time dateTime={node.createdAt}>{formatTime(node.createdAt)}</time> },
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

/**
 * Bulk actions on the selected contacts: add a tag (each contact saved with updateContact, its
 * other fields as listed) or delete them (deleteContact each; a contact with leads or
 * conversations is kept, as for one). One request per contact, in turn; the toast counts the
 * ones refused.
 */
function BulkContactActions({ workspaceId, contacts, onDone }: { workspaceId: string; contacts: readonly Contact[]; onDone: () => void }) {
  const [update] = useMutation(UpdateContactDocument);
  const [remove] = useMutation(DeleteContactDocument);
  const [tag, setTag] = useState("");
  const [problem, setProblem] = useState<string>();
  const [running, setRunning] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const count = (n: number) => `${n} ${n === 1 ? "contact" : "contacts"}`;
  const each = async (run: (contact: Contact) => Promise<unknown>) => {
    let done = 0;
    const failures: string[] = [];
    for (const contact of contacts) {
      try {
        await run(contact);
        done += 1;
      } catch (caught) {
        failures.push(`${contact.name}: ${describeError(caught).message}`);
      }
    }
    return { done, failures };
  };
  const addTag = async () => {
    const parsed = normaliseTags([tag]);
    if ("problem" in parsed || parsed.tags.length === 0) {
      setProblem("problem" in parsed ? parsed.problem : "Type a tag to add.");
      return;
    }
    const [value] = parsed.tags;
    if (value === undefined) return;
    setProblem(undefined);
    setRunning(true);
    const { done, failures } = await each(async (contact) => {
      if (contact.tags.includes(value)) return;
      await update({ variables: { workspaceId, id: contact.id, input: { name: contact.name, email: contact.email ?? null, phone: contact.phone ?? null, tags: [...contact.tags, value] } } });
    });
    setRunning(false);
    setTag("");
    if (failures.length === 0) toast(`Tagged ${count(done)} “${value}”.`);
    else toast(`Tagged ${done} of ${count(contacts.length)} “${value}”. Not tagged: ${failures.join("; ")}`, { variant: "error" });
    onDone();
  };
  return (
    <>
      <label className="data-table-toolbar__field">
        <span>Tag to add</span>
        <input
          type="text"
          size={12}
          value={tag}
          disabled={running}
          aria-invalid={problem !== undefined}
          aria-describedby={problem !== undefined ? "bulk-tag-problem" : undefined}
          onChange={(event) => setTag(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              event.preventDefault();
              void addTag();
            }
          }}
        />
      </label>
      <button type="button" className="button button--small" disabled={running} onClick={() => void addTag()}>
        {running ? "Working…" : "Add tag"}
      </button>
      <button type="button" className="button button--small button--danger" disabled={running} onClick={() => setConfirming(true)}>
        Delete selected
      </button>
      {problem !== undefined && (
        <span className="field__error" id="bulk-tag-problem" role="alert">
          {problem}
        </span>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Delete ${count(contacts.length)}?`}
          confirmLabel={`Delete ${count(contacts.length)}`}
          danger
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            const { done, failures } = await each((contact) => remove({ variables: { workspaceId, id: contact.id } }));
            setConfirming(false);
            if (failures.length === 0) toast(`Deleted ${count(done)}.`);
            else toast(`Deleted ${done} of ${count(contacts.length)}. Kept: ${failures.join("; ")}`, { variant: "error" });
            onDone();
          }}
        >
          <p>The contacts are removed for good. A contact with leads or conversations is kept with them.</p>
        </ConfirmDialog>
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

type ConflictMode = ImportResult["onConflict"];
type ImportStage =
  | { kind: "choose"; problems: string[] }
  | { kind: "previewing"; rows: CsvContactRow[] }
  | { kind: "preview"; rows: CsvContactRow[]; result: ImportResult }
  | { kind: "importing"; rows: CsvContactRow[]; result: ImportResult }
  | { kind: "done"; result: ImportResult };

const CONFLICT_MODES: readonly { value: ConflictMode; label: string; explanation: string }[] = [
  { value: "KEEP_EXISTING", label: "Keep existing values", explanation: "a stored name, e-mail or phone stays; empty fields are filled and tags added." },
  { value: "OVERWRITE", label: "Overwrite with the file’s values", explanation: "the stored values are replaced." },
  { value: "SKIP", label: "Skip the row", explanation: "the contact is left as it is." },
];

/**
 * Choose a file → preview (the import's own plan for the whole file, nothing stored) → import
 * exactly that plan (its planId goes along; a plan changed meanwhile is refused and previewed
 * again) → per-row outcome. The conflict choice re-previews. Decision 0030.
 */
export function ImportDialog({ workspaceId, onClose }: { workspaceId: string; onClose: () => void }) {
  const [stage, setStage] = useState<ImportStage>({ kind: "choose", problems: [] });
  const [mode, setMode] = useState<ConflictMode>("KEEP_EXISTING");
  const [error, setError] = useState<UserFacingError>();
  const [run] = useMutation(ImportContactsDocument);

  const send = async (rows: CsvContactRow[], onConflict: ConflictMode, plan?: string): Promise<ImportResult> => {
    const input = plan === undefined ? { rows, dryRun: true, onConflict } : { rows, dryRun: false, onConflict, expectedPlanId: plan };
    const r = await run({ variables: { workspaceId, input } });
    const result = r.data?.importContacts;
    if (!result) throw new Error("The import did not answer.");
    return result;
  };

  const preview = async (rows: CsvContactRow[], onConflict: ConflictMode) => {
    setStage({ kind: "previewing", rows });
    try {
      setStage({ kind: "preview", rows, result: await send(rows, onConflict) });
    } catch (caught) {
      setError(describeError(caught));
      setStage({ kind: "choose", problems: [] });
    }
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
    if (parsed.rows.length > CONTACT_IMPORT_MAX_ROWS) {
      setStage({ kind: "choose", problems: [`The file has ${parsed.rows.length.toLocaleString("en")} rows. ${CONTACT_IMPORT_MESSAGES.tooMany}`] });
      return;
    }
    await preview(parsed.rows, mode);
  };

  const onMode = (next: ConflictMode) => {
    setMode(next);
    if (stage.kind === "preview") {
      setError(undefined);
      void preview(stage.rows, next);
    }
  };

  const onImport = async (rows: CsvContactRow[], result: ImportResult) => {
    setStage({ kind: "importing", rows, result });
    setError(undefined);
    try {
      setStage({ kind: "done", result: await send(rows, result.onConflict, result.planId) });
    } catch (caught) {
      const described = describeError(caught);
      setError(described);
      // The contacts changed since the preview (nothing was imported): show what the import would do now.
      if (described.code === "CONFLICT") await preview(rows, result.onConflict);
      else setStage({ kind: "preview", rows, result });
    }
  };

  // The choice stays in place (disabled) while a new preview is worked out, so focus stays on it.
  const choosing = stage.kind === "choose" || stage.kind === "previewing" || stage.kind === "preview";
  return (
    <Dialog title="Import contacts from CSV" onClose={onClose}>
      <div className="form">
        <ErrorBanner error={error} />
        {stage.kind === "choose" && (
          <>
            <Field label="CSV file" hint="A header row with columns such as name, email, phone and tags (comma-separated). Rows are matched to existing contacts, and to earlier rows of the file, by e-mail, then phone.">
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
        {choosing && (
          <fieldset className="field" disabled={stage.kind === "previewing"}>
            <legend>When a row matches a contact with a different name, e-mail or phone</legend>
            {CONFLICT_MODES.map((m) => (
              <label key={m.value} className="choice">
                <input type="radio" name="on-conflict" value={m.value} checked={mode === m.value} onChange={() => onMode(m.value)} />
                <span>
                  <strong>{m.label}</strong> — {m.explanation}
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {stage.kind === "previewing" && <Progress label={`Checking ${stage.rows.length.toLocaleString("en")} rows…`} />}
        {stage.kind === "importing" && <Progress label={`Importing ${stage.rows.length.toLocaleString("en")} rows…`} />}
        {stage.kind === "preview" && (
          <>
            <Summary result={stage.result} verb="will be" />
            <Losses result={stage.result} />
            <RowTable results={stage.result.rows} />
            <FormActions
              submitLabel={`Import ${stage.result.created + stage.result.updated} rows`}
              disabled={stage.result.created + stage.result.updated === 0}
              onSubmit={() => void onImport(stage.rows, stage.result)}
              onCancel={onClose}
            />
          </>
        )}
        {stage.kind === "done" && (
          <>
            <div className="banner banner--success" role="status">
              Import finished.
            </div>
            <Summary result={stage.result} verb="were" />
            <RowTable results={stage.result.rows.filter((r) => r.action === "ERROR" || r.action === "SKIPPED")} />
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

function Progress({ label }: { label: string }) {
  return (
    <div className="field">
      <label htmlFor="import-progress">{label}</label>
      <progress id="import-progress" />
    </div>
  );
}

function Summary({ result, verb }: { result: ImportResult; verb: string }) {
  return (
    <p data-testid="import-summary">
      {result.created} {verb} created, {result.updated} {verb} merged into existing contacts, {result.skipped > 0 ? `${result.skipped} ${verb} skipped, ` : ""}
      {result.failed} with errors.
    </p>
  );
}

const rowsText = (n: number) => (n === 1 ? "1 row" : `${n} rows`);

/** What the import would not keep: stored values replaced, and file values left out. */
function Losses({ result }: { result: ImportResult }) {
  const merged = result.rows.filter((r) => r.action === "UPDATED");
  const replacing = merged.filter((r) => r.changes.some((c) => c.kind === "REPLACED")).length;
  const ignoring = merged.filter((r) => r.changes.some((c) => c.kind === "IGNORED")).length;
  if (replacing === 0 && ignoring === 0) return null;
  return (
    <div className="banner banner--notice" data-testid="import-losses">
      {replacing > 0 && <p>{rowsText(replacing)} replace stored values: the stored values are lost (listed below).</p>}
      {ignoring > 0 && <p>{rowsText(ignoring)} have values that will not be imported: the stored values are kept (listed below).</p>}
    </div>
  );
}

const ACTION_LABELS: Record<string, string> = { CREATED: "New", UPDATED: "Merge", SKIPPED: "Skip", ERROR: "Error" };
const FIELD_LABELS: Record<string, string> = { name: "Name", email: "E-mail", phone: "Phone", tags: "Tags" };
const MATCHED_BY: Record<string, string> = { email: "e-mail", phone: "phone" };

/** One line per change: what the merge does to the field. */
function changeText(c: RowResult["changes"][number]): string {
  const label = FIELD_LABELS[c.field] ?? c.field;
  if (c.kind === "ADDED") return `${label}: adds “${c.incoming ?? ""}”`;
  if (c.kind === "REPLACED") return `${label}: “${c.stored ?? ""}” replaced by “${c.incoming ?? ""}”`;
  return c.stored === null ? `${label}: not imported “${c.incoming ?? ""}”` : `${label}: keeps “${c.stored}”, not “${c.incoming ?? ""}”`;
}

function changeLines(r: RowResult): string[] {
  if (r.matchedBy === null) return [];
  const how = MATCHED_BY[r.matchedBy] ?? r.matchedBy;
  const match = r.duplicateOfRow === null ? `Matched by ${how}` : `Same contact as line ${r.duplicateOfRow + 2} (matched by ${how})`;
  return [match, ...r.changes.map(changeText)];
}

/** Rows that need a look first: errors, skipped rows, merges that replace or leave out values. */
const rank = (r: RowResult) => (r.action === "ERROR" ? 0 : r.action === "SKIPPED" ? 1 : r.changes.some((c) => c.kind !== "ADDED") ? 2 : r.action === "UPDATED" ? 3 : 4);
const SHOWN_ROWS = 200;

function RowTable({ results }: { results: RowResult[] }) {
  if (results.length === 0) return null;
  const shown = [...results].sort((a, b) => rank(a) - rank(b) || a.row - b.row).slice(0, SHOWN_ROWS);
  return (
    <>
      <DataTable
        label="Rows"
        rows={shown}
        rowKey={(r) => String(r.row)}
        columns={[
          // The file's line: the header is line 1.
          { id: "row", header: "Line", cell: (r) => r.row + 2 },
          {
            id: "outcome",
            header: "Outcome",
            cell: (r) => (
              <>
                <span className={r.action === "ERROR" ? "badge badge--warning" : "badge"}>{ACTION_LABELS[r.action] ?? r.action}</span>
                {r.error && <div className="field__error">{r.error}</div>}
              </>
            ),
          },
          { id: "name", header: "Name", cell: (r) => r.name ?? <span className="muted">—</span> },
          { id: "contact", header: "E-mail / phone", cell: (r) => [r.email, r.phone].filter(Boolean).join(" · ") || <span className="muted">—</span> },
          {
            id: "changes",
            header: "Changes",
            cell: (r) => (
              <ul className="import-changes" data-testid="row-changes">
                {changeLines(r).map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ul>
            ),
          },
        ]}
      />
      {results.length > shown.length && <p className="muted">…and {results.length - shown.length} more rows.</p>}
    </>
  );
}
