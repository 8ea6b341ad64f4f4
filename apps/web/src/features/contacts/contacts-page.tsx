import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { type ContactOrderField, type ContactsQuery } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { refreshSession } from "../../platform/apollo.ts";
import { sessionFetch } from "../../platform/csrf.ts";
import { describeError } from "../../platform/errors.ts";
import { formatTime, formatTotal } from "../../platform/format.ts";
import { LoadError } from "../../platform/load-error.tsx";
import {
  Button,
  DataTable,
  Input,
  orderByOf,
  RowActions,
  SelectInput,
  SkeletonList,
  toast,
  TruncatedText,
  useKeptData,
  usePageSize,
  type Column,
  type SortOrder,
} from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { ContactsNextStep } from "../home/next-steps.tsx";
import { requestStepUp } from "../step-up/step-up-gate.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { BulkContactActions, ContactDialog, DeleteContact, type Contact } from "./contact-dialogs.tsx";
import { countCsvRecords } from "./csv.ts";
import { fetchContactsCsv } from "./export.ts";
import { ImportDialog } from "./import-dialog.tsx";
import { ContactsDocument, ContactTagsDocument } from "./operations.ts";
import { WhatsAppConsent } from "./whatsapp-consent.tsx";

type ContactEdge = ContactsQuery["contacts"]["edges"][number];
const PAGE_SIZES = [25, 50, 100] as const;

/** The CASL subject "Why can't I?" asks about. */
const CONTACT_SUBJECT = "Contact";
const STORAGE_KEY = "contacts";
const rowProps = () => ({ "data-testid": "contact-row" });
/** The API lists contacts newest first. */
const SERVER_ORDER = { column: "created", direction: "descending" } as const;
/** The columns the API sorts the whole list by (issue 48): column id → `ContactOrderField`. */
const ORDER_FIELDS = { name: "NAME", email: "EMAIL", phone: "PHONE", created: "CREATED_AT" } as const satisfies Record<
  string,
  ContactOrderField
>;
const ORDER_COLUMNS = Object.keys(ORDER_FIELDS);

type Open =
  | { kind: "create" }
  | { kind: "edit"; contact: Contact }
  | { kind: "delete"; contact: Contact }
  | { kind: "import" };

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
  const variables = {
    workspaceId,
    first: pageSize.value,
    ...(search.trim() ? { search: search.trim() } : {}),
    ...(tag ? { tag } : {}),
    ...(orderBy !== undefined ? { orderBy } : {}),
  };
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
      const { blob, filename } = await fetchContactsCsv(
        workspaceId,
        { search, tag },
        { fetch: (url) => sessionFetch(url), refreshSession, requestStepUp },
      );
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
    {
      id: "name",
      header: t("columns.name"),
      sortValue: ({ node }) => node.name,
      cell: ({ node }) => <Link to={`/w/${workspace.slug}/contacts/${node.id}`}>{node.name}</Link>,
    },
    {
      id: "email",
      header: t("columns.email"),
      sortValue: ({ node }) => node.email,
      cell: ({ node }) => (node.email == null ? <span className="muted">—</span> : <TruncatedText text={node.email} />),
    },
    {
      id: "phone",
      header: t("columns.phone"),
      className: "data-table__nowrap",
      sortValue: ({ node }) => node.phone,
      cell: ({ node }) => node.phone ?? <span className="muted">—</span>,
    },
    ...(workspace.channel === "WHATSAPP"
      ? [
          {
            id: "whatsapp",
            header: t("columns.whatsapp"),
            cell: ({ node }: ContactEdge) => <WhatsAppConsent contact={node} />,
          },
        ]
      : []),
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
    {
      id: "created",
      header: t("columns.added"),
      sortValue: ({ node }) => node.createdAt,
      cell: ({ node }) => <time dateTime={node.createdAt}>{formatTime(node.createdAt)}</time>,
    },
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
          <Input
            id="contact-search"
            type="search"
            placeholder={t("page.searchPlaceholder")}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <div className="toolbar__field">
          <label htmlFor="contact-tag">{t("page.tag")}</label>
          <SelectInput id="contact-tag" value={tag} onChange={(e) => setTag(e.target.value)}>
            <option value="">{t("page.allTags")}</option>
            {(tags.data?.contactTags ?? []).map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </SelectInput>
        </div>
        <span className="toolbar__spacer" />
        {!canManage && (
          <WhyCantI workspaceId={workspaceId} action="create" subject={CONTACT_SUBJECT} label={t("page.whyCantAdd")} />
        )}
        {canManage && (
          <>
            <Button variant="primary" onClick={() => setOpen({ kind: "create" })}>
              {t("page.add")}
            </Button>
            <Button onClick={() => setOpen({ kind: "import" })}>{t("page.import")}</Button>
          </>
        )}
        <Button disabled={exporting || !data || data.contacts.totalCount === 0} onClick={() => void exportCsv()}>
          {exporting ? t("page.exporting") : t("page.export")}
        </Button>
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
            {t("page.count", { count: data.contacts.totalCount, amount: formatTotal(data.contacts) })}
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
            <Button
              variant="bare"
              className="pager"
              disabled={loading}
              onClick={() => void fetchMore({ variables: { after: data.contacts.pageInfo.endCursor } })}
            >
              {loading ? t("page.loadingMore") : t("page.loadMore")}
            </Button>
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
      {open?.kind === "delete" && (
        <DeleteContact
          workspaceId={workspaceId}
          contact={open.contact}
          onClose={() => setOpen(undefined)}
          onDeleted={(m) => (setOpen(undefined), toast(m), refresh())}
        />
      )}
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
