import { WhyCantI } from "../access/why-cant-i.tsx";
import { ContactsNextStep } from "../home/next-steps.tsx";
import { useMutation, useQuery } from "@apollo/client/react";
import { CONTACT_IMPORT_MAX_ROWS, type ContactForm, contactForm, normaliseTags, splitTags } from "@atrium/validation";
import { type TFunction } from "i18next";
import { type ChangeEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type ContactOrderField, type ContactsQuery, type ImportContactsMutation } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { type Column, ConfirmDialog, DataTable, Dialog, FormActions, RowActions, SkeletonList, type SortOrder, TruncatedText, orderByOf, toast, useKeptData, usePageSize } from "../../platform/ui/index.ts";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { formatTime } from "../../platform/format.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { refreshSession } from "../../platform/apollo.ts";
import { sessionFetch } from "../../platform/csrf.ts";
import { requestStepUp } from "../step-up/step-up-gate.ts";
import { type CsvContactRow, type CsvProblem, countCsvRecords, parseContactsCsv } from "./csv.ts";
import { fetchContactsCsv } from "./export.ts";
import { WhatsAppConsent } from "./whatsapp-consent.tsx";
import { ContactTagsDocument, ContactsDocument, CreateContactDocument, DeleteContactDocument, ImportContactsDocument, UpdateContactDocument } from "./operations.ts";

type ContactEdge = ContactsQuery["contacts"]["edges"][number];
type Contact = ContactEdge["node"];
const PAGE_SIZES = [25, 50, 100] as const;
type ImportResult = ImportContactsMutation["importContacts"];
type RowResult = ImportResult["rows"][number];

/** The CASL subject "Why can't I?" asks about. */
const CONTACT_SUBJECT = "Contact";
const STORAGE_KEY = "contacts";
const rowProps = () => ({ "data-testid": "contact-row" });
/** The API lists contacts newest first. */
const SERVER_ORDER = { column: "created", direction: "descending" } as const;
/** The columns the API sorts the whole list by (issue 48): column id → `ContactOrderField`. */
const ORDER_FIELDS = { name: "NAME", email: "EMAIL", phone: "PHONE", created: "CREATED_AT" } as const satisfies Record<string, ContactOrderField>;
const ORDER_COLUMNS = Object.keys(ORDER_FIELDS);

type Open = { kind: "create" } | { kind: "edit"; contact: Contact } | { kind: "delete"; contact: Contact } | { kind: "import" };

/** /w/:slug/contacts (R2): search, tags, add, edit, delete, CSV import with a preview and progress, CSV export. */
export function ContactsPage({ workspace }: { workspace: CurrentWorkspace }) {
  const { t } = useTranslation("contacts");
  const ability = useAbility();
  const workspaceId = workspace.id;
  const [search, setSearch] = useState("");
  const [tag, setTag] = useState("");
  const [open, setOpen] = useState<Open>();
  const [exporting, setExporting] = useState(false);
  const pageSize = usePageSize("contacts", PAGE_SIZES, 50);
  // The order a header asked for (undefined: newest first); another order starts again from its first page.
  const [order, setOrder] = useState<SortOrder>();
  const orderBy = orderByOf(order, ORDER_FIELDS);
  const variables = { workspaceId, first: pageSize.value, ...(search.trim() ? { search: search.trim() } : {}), ...(tag ? { tag } : {}), ...(orderBy !== undefined ? { orderBy } : {}) };
  const query = useQuery(ContactsDocument, { variables, fetchPolicy: "cache-and-network" });
  const { error, loading, refetch, fetchMore } = query;
  const data = useKeptData(query.data, `${workspaceId}|${search.trim()}|${tag}|${pageSize.value}`);
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
      toast(t("page.exported", { count }));
    } catch (caught) {
      toast(describeError(caught).message, { variant: "error" });
    } finally {
      setExporting(false);
    }
  };

  // The table's columns, worded in the current language.
  const columns: Column<ContactEdge>[] = [
    { id: "name", header: t("columns.name"), sortValue: ({ node }) => node.name, cell: ({ node }) => <Link to={`/w/${workspace.slug}/contacts/${node.id}`}>{node.name}</Link> },
    { id: "email", header: t("columns.email"), sortValue: ({ node }) => node.email, cell: ({ node }) => (node.email == null ? <span className="muted">—</span> : <TruncatedText text={node.email} />) },
    { id: "phone", header: t("columns.phone"), className: "data-table__nowrap", sortValue: ({ node }) => node.phone, cell: ({ node }) => node.phone ?? <span className="muted">—</span> },
    ...(workspace.channel === "WHATSAPP" ? [{ id: "whatsapp", header: t("columns.whatsapp"), cell: ({ node }: ContactEdge) => <WhatsAppConsent contact={node} /> }] : []),
    {
      id: "tags",
      header: t("columns.tags"),
      sortValue: ({ node }) => node.tags.join(", ") || undefined,
      cell: ({ node }) =>
        node.tags.map((tag) => (
          <span key={tag} className="badge badge--muted">
            {tag}
          </span>
        )),
    },
    { id: "created", header: t("columns.added"), sortValue: ({ node }) => node.createdAt, cell: ({ node }) => <time dateTime={node.createdAt}>{formatTime(node.createdAt)}</time> },
    ...(canManage
      ? [
          {
            id: "actions",
            header: t("columns.actions"),
            headerHidden: true,
            cell: ({ node }: ContactEdge) => (
              <RowActions
                name={node.name}
                actions={[
                  { label: t("page.edit"), onSelect: () => setOpen({ kind: "edit", contact: node }) },
                  { label: t("page.delete"), danger: true, onSelect: () => setOpen({ kind: "delete", contact: node }) },
                ]}
              />
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <div className="toolbar">
        <div className="toolbar__field">
          <label htmlFor="contact-search">{t("page.search")}</label>
          <input id="contact-search" type="search" placeholder={t("page.searchPlaceholder")} value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="toolbar__field">
          <label htmlFor="contact-tag">{t("page.tag")}</label>
          <select id="contact-tag" value={tag} onChange={(e) => setTag(e.target.value)}>
            <option value="">{t("page.allTags")}</option>
            {(tags.data?.contactTags ?? []).map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        </div>
        <span className="toolbar__spacer" />
        {!canManage && <WhyCantI workspaceId={workspaceId} action="create" subject={CONTACT_SUBJECT} label={t("page.whyCantAdd")} />}
        {canManage && (
          <>
            <button type="button" className="button button--primary" onClick={() => setOpen({ kind: "create" })}>
              {t("page.add")}
            </button>
            <button type="button" className="button" onClick={() => setOpen({ kind: "import" })}>
              {t("page.import")}
            </button>
          </>
        )}
        <button type="button" className="button" disabled={exporting || !data || data.contacts.totalCount === 0} onClick={() => void exportCsv()}>
          {exporting ? t("page.exporting") : t("page.export")}
        </button>
      </div>
      {data === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} />
        ) : (
          <SkeletonList label={t("page.loading")} />
        )
      ) : data.contacts.totalCount === 0 ? (
        search || tag ? (
          <p className="empty-state">{t("page.noMatch")}</p>
        ) : (
          <ContactsNextStep onImport={canManage ? () => setOpen({ kind: "import" }) : undefined} />
        )
      ) : (
        <>
          <p className="muted" aria-live="polite">
            {t("page.count", { count: data.contacts.totalCount })}
          </p>
          <DataTable
            label={t("page.table")}
            storageKey={STORAGE_KEY}
            rows={data.contacts.edges}
            rowKey={({ node }) => node.id}
            rowProps={rowProps}
            complete={!data.contacts.pageInfo.hasNextPage}
            serverOrder={{ ...SERVER_ORDER, text: t("page.newestFirst") }}
            serverSort={{ columns: ORDER_COLUMNS, value: order, onChange: setOrder }}
            busy={loading}
            pageSize={pageSize}
            {...(canManage
              ? {
                  selection: {
                    rowLabel: ({ node }: ContactEdge) => t("page.selectRow", { name: node.name }),
                    allLabel: t("page.selectAll"),
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
            columns={columns}
          />
          {data.contacts.pageInfo.hasNextPage && (
            <button type="button" className="pager" disabled={loading} onClick={() => void fetchMore({ variables: { after: data.contacts.pageInfo.endCursor } })}>
              {loading ? t("page.loadingMore") : t("page.loadMore")}
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
  const { t } = useTranslation("contacts");
  const [update] = useMutation(UpdateContactDocument);
  const [remove] = useMutation(DeleteContactDocument);
  const [tag, setTag] = useState("");
  const [problem, setProblem] = useState<string>();
  const [running, setRunning] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const each = async (run: (contact: Contact) => Promise<unknown>) => {
    let done = 0;
    const failures: string[] = [];
    for (const contact of contacts) {
      try {
        await run(contact);
        done += 1;
      } catch (caught) {
        failures.push(t("bulk.failure", { name: contact.name, message: describeError(caught).message }));
      }
    }
    return { done, failures };
  };
  const addTag = async () => {
    const parsed = normaliseTags([tag]);
    if ("problem" in parsed || parsed.tags.length === 0) {
      setProblem("problem" in parsed ? parsed.problem : t("bulk.typeTag"));
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
    if (failures.length === 0) toast(t("bulk.tagged", { count: done, tag: value }));
    else toast(t("bulk.taggedPartly", { done, count: contacts.length, tag: value, failures: failures.join("; ") }), { variant: "error" });
    onDone();
  };
  return (
    <>
      <label className="data-table-toolbar__field">
        <span>{t("bulk.tagToAdd")}</span>
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
        {running ? t("bulk.working") : t("bulk.addTag")}
      </button>
      <button type="button" className="button button--small button--danger" disabled={running} onClick={() => setConfirming(true)}>
        {t("bulk.deleteSelected")}
      </button>
      {problem !== undefined && (
        <span className="field__error" id="bulk-tag-problem" role="alert">
          {problem}
        </span>
      )}
      {confirming && (
        <ConfirmDialog
          title={t("bulk.confirmTitle", { count: contacts.length })}
          confirmLabel={t("bulk.confirmLabel", { count: contacts.length })}
          danger
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            const { done, failures } = await each((contact) => remove({ variables: { workspaceId, id: contact.id } }));
            setConfirming(false);
            if (failures.length === 0) toast(t("bulk.deleted", { count: done }));
            else toast(t("bulk.deletedPartly", { done, count: contacts.length, failures: failures.join("; ") }), { variant: "error" });
            onDone();
          }}
        >
          <p>{t("bulk.confirmBody")}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

const CONTACT_FIELDS = ["name", "email", "phone", "tags"] as const;

function ContactDialog({ workspaceId, contact, onClose, onSaved }: { workspaceId: string; contact: Contact | undefined; onClose: () => void; onSaved: (message: string) => void }) {
  const { t } = useTranslation("contacts");
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
      onSaved(contact ? t("dialog.saved", { name }) : t("dialog.added", { name }));
    } catch (caught) {
      form.failed(describeError(caught), CONTACT_FIELDS);
    }
  };
  return (
    <Dialog title={contact ? t("dialog.editTitle", { name: contact.name }) : t("dialog.addTitle")} onClose={onClose}>
      <form className="form" onSubmit={(e) => void form.handleSubmit(onSubmit)(e)} noValidate>
        <ErrorBanner error={error} fieldsShown={CONTACT_FIELDS} />
        <Field label={t("dialog.name")} error={errors.name?.message}>
          {(c) => <input {...c} type="text" autoComplete="off" required {...form.register("name", { setValueAs: trimmed })} />}
        </Field>
        <Field label={t("dialog.email")} error={errors.email?.message}>
          {(c) => <input {...c} type="email" autoComplete="off" {...form.register("email", { setValueAs: trimmed })} />}
        </Field>
        <Field label={t("dialog.phone")} hint={t("dialog.phoneHint")} error={errors.phone?.message}>
          {(c) => <input {...c} type="tel" autoComplete="off" {...form.register("phone", { setValueAs: trimmed })} />}
        </Field>
        <Field label={t("dialog.tags")} hint={t("dialog.tagsHint")} error={errors.tags?.message}>
          {(c) => <input {...c} type="text" autoComplete="off" {...form.register("tags")} />}
        </Field>
        <FormActions submitLabel={contact ? t("dialog.save") : t("dialog.add")} pending={created.loading || updated.loading} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function DeleteContact({ workspaceId, contact, onClose, onDeleted }: { workspaceId: string; contact: Contact; onClose: () => void; onDeleted: (message: string) => void }) {
  const { t } = useTranslation("contacts");
  const [remove] = useMutation(DeleteContactDocument);
  return (
    <ConfirmDialog
      title={t("delete.title", { name: contact.name })}
      confirmLabel={t("delete.confirm")}
      danger
      onClose={onClose}
      onConfirm={async () => {
        await remove({ variables: { workspaceId, id: contact.id } });
        onDeleted(t("delete.deleted", { name: contact.name }));
      }}
    >
      <p>{t("delete.body")}</p>
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

/** The conflict choices, in order; each is worded by `import.conflictModes.<value>`. */
const CONFLICT_MODES: readonly ConflictMode[] = ["KEEP_EXISTING", "OVERWRITE", "SKIP"];

/** A problem of the chosen file, in words. */
function problemText(problem: CsvProblem, t: TFunction<"contacts">): string {
  return problem.kind === "noContactColumn" ? t("import.noContactColumn") : t("import.parseProblem", { row: problem.row, message: problem.message });
}

/**
 * Choose a file → preview (the import's own plan for the whole file, nothing stored) → import
 * exactly that plan (its planId goes along; a plan changed meanwhile is refused and previewed
 * again) → per-row outcome. The conflict choice re-previews. Decision 0030.
 */
export function ImportDialog({ workspaceId, onClose }: { workspaceId: string; onClose: () => void }) {
  const { t } = useTranslation("contacts");
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
      const problems = parsed.problems.map((problem) => problemText(problem, t));
      setStage({ kind: "choose", problems: parsed.rows.length === 0 ? [t("import.noRows"), ...problems] : problems });
      return;
    }
    if (parsed.rows.length > CONTACT_IMPORT_MAX_ROWS) {
      setStage({ kind: "choose", problems: [t("import.tooMany", { count: parsed.rows.length, max: CONTACT_IMPORT_MAX_ROWS })] });
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
    <Dialog title={t("import.title")} onClose={onClose}>
      <div className="form">
        <ErrorBanner error={error} />
        {stage.kind === "choose" && (
          <>
            <Field label={t("import.file")} hint={t("import.fileHint")}>
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
            <legend>{t("import.conflictLegend")}</legend>
            {CONFLICT_MODES.map((value) => (
              <label key={value} className="choice">
                <input type="radio" name="on-conflict" value={value} checked={mode === value} onChange={() => onMode(value)} />
                <span>
                  <strong>{t(`import.conflictModes.${value}.label`)}</strong> — {t(`import.conflictModes.${value}.explanation`)}
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {stage.kind === "previewing" && <Progress label={t("import.checking", { count: stage.rows.length })} />}
        {stage.kind === "importing" && <Progress label={t("import.importing", { count: stage.rows.length })} />}
        {stage.kind === "preview" && (
          <>
            <Summary result={stage.result} done={false} />
            <Losses result={stage.result} />
            <RowTable results={stage.result.rows} />
            <FormActions
              submitLabel={t("import.importRows", { count: stage.result.created + stage.result.updated })}
              disabled={stage.result.created + stage.result.updated === 0}
              onSubmit={() => void onImport(stage.rows, stage.result)}
              onCancel={onClose}
            />
          </>
        )}
        {stage.kind === "done" && (
          <>
            <div className="banner banner--success" role="status">
              {t("import.finished")}
            </div>
            <Summary result={stage.result} done />
            <RowTable results={stage.result.rows.filter((r) => r.action === "ERROR" || r.action === "SKIPPED")} />
            <div className="form__actions">
              <button type="button" className="button button--primary" onClick={onClose}>
                {t("import.close")}
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

/** What the import will do (the preview) or did (`done`). */
function Summary({ result, done }: { result: ImportResult; done: boolean }) {
  const { t } = useTranslation("contacts");
  const counts = { created: result.created, updated: result.updated, skipped: result.skipped, failed: result.failed };
  const text =
    result.skipped > 0
      ? done
        ? t("import.doneSummarySkipped", counts)
        : t("import.previewSummarySkipped", counts)
      : done
        ? t("import.doneSummary", counts)
        : t("import.previewSummary", counts);
  return <p data-testid="import-summary">{text}</p>;
}

/** What the import would not keep: stored values replaced, and file values left out. */
function Losses({ result }: { result: ImportResult }) {
  const { t } = useTranslation("contacts");
  const merged = result.rows.filter((r) => r.action === "UPDATED");
  const replacing = merged.filter((r) => r.changes.some((c) => c.kind === "REPLACED")).length;
  const ignoring = merged.filter((r) => r.changes.some((c) => c.kind === "IGNORED")).length;
  if (replacing === 0 && ignoring === 0) return null;
  return (
    <div className="banner banner--notice" data-testid="import-losses">
      {replacing > 0 && <p>{t("import.replacing", { count: replacing })}</p>}
      {ignoring > 0 && <p>{t("import.ignoring", { count: ignoring })}</p>}
    </div>
  );
}

const ACTIONS = ["CREATED", "UPDATED", "SKIPPED", "ERROR"] as const;
const FIELDS = ["name", "email", "phone", "tags"] as const;
const MATCH_FIELDS = ["email", "phone"] as const;
const isOneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

/** One line per change: what the merge does to the field. */
function changeText(c: RowResult["changes"][number], t: TFunction<"contacts">): string {
  const values = { field: isOneOf(FIELDS, c.field) ? t(`import.fields.${c.field}`) : c.field, stored: c.stored ?? "", incoming: c.incoming ?? "" };
  if (c.kind === "ADDED") return t("import.changeAdded", values);
  if (c.kind === "REPLACED") return t("import.changeReplaced", values);
  return c.stored === null ? t("import.changeNotImported", values) : t("import.changeKept", values);
}

function changeLines(r: RowResult, t: TFunction<"contacts">): string[] {
  if (r.matchedBy === null) return [];
  const how = isOneOf(MATCH_FIELDS, r.matchedBy) ? t(`import.matchedByField.${r.matchedBy}`) : r.matchedBy;
  const match = r.duplicateOfRow === null ? t("import.matchedBy", { how }) : t("import.sameContact", { line: r.duplicateOfRow + 2, how });
  return [match, ...r.changes.map((c) => changeText(c, t))];
}

/** Rows that need a look first: errors, skipped rows, merges that replace or leave out values. */
const rank = (r: RowResult) => (r.action === "ERROR" ? 0 : r.action === "SKIPPED" ? 1 : r.changes.some((c) => c.kind !== "ADDED") ? 2 : r.action === "UPDATED" ? 3 : 4);
const SHOWN_ROWS = 200;

function RowTable({ results }: { results: RowResult[] }) {
  const { t } = useTranslation("contacts");
  if (results.length === 0) return null;
  const shown = [...results].sort((a, b) => rank(a) - rank(b) || a.row - b.row).slice(0, SHOWN_ROWS);
  const rowColumns: Column<RowResult>[] = [
    // The file's line: the header is line 1.
    { id: "row", header: t("import.columns.line"), cell: (r) => r.row + 2 },
    {
      id: "outcome",
      header: t("import.columns.outcome"),
      cell: (r) => (
        <>
          <span className={r.action === "ERROR" ? "badge badge--warning" : "badge"}>{isOneOf(ACTIONS, r.action) ? t(`import.actions.${r.action}`) : r.action}</span>
          {r.error && <div className="field__error">{r.error}</div>}
        </>
      ),
    },
    { id: "name", header: t("import.columns.name"), cell: (r) => r.name ?? <span className="muted">—</span> },
    { id: "contact", header: t("import.columns.contact"), cell: (r) => [r.email, r.phone].filter(Boolean).join(" · ") || <span className="muted">—</span> },
    {
      id: "changes",
      header: t("import.columns.changes"),
      cell: (r) => (
        <ul className="import-changes" data-testid="row-changes">
          {changeLines(r, t).map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      ),
    },
  ];
  return (
    <>
      <DataTable
        label={t("import.rows")}
        rows={shown}
        rowKey={(r) => String(r.row)}
        columns={rowColumns}
      />
      {results.length > shown.length && <p className="muted">{t("import.more", { count: results.length - shown.length })}</p>}
    </>
  );
}
