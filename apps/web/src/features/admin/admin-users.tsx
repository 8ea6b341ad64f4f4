import { useMutation, useQuery } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { type AdminUsersQuery } from "../../gql/graphql.ts";
import { formatDate, formatTotal } from "../../platform/format.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { useMe } from "../../platform/session.tsx";
import {
  Button,
  ConfirmDialog,
  DataTable,
  SkeletonList,
  TextField,
  TruncatedText,
  usePageSize,
  type Column,
} from "../../platform/ui/index.ts";
import { AdminUsersDocument, SetUserDisabledDocument } from "./operations.ts";

const PAGE_SIZES = [25, 50, 100] as const;
type PlatformUser = AdminUsersQuery["adminUsers"]["edges"][number]["node"];
/** Which page is shown: the first, the one after a cursor (Next) or the one before a cursor (Previous). */
type PagePosition = { after: string } | { before: string } | null;
/** The table's saved-layout key, each row's test attributes and the column the server orders by: names, not words. */
const TABLE_KEY = "admin-users";
const rowProps = (user: PlatformUser) => ({ "data-testid": "admin-user-row", "data-email": user.email });
const ORDER_COLUMN = "joined";

/** Users of the platform: search, page through, disable (ending their sessions) or re-enable. */
export function AdminUsers() {
  const { t } = useTranslation("admin");
  const me = useMe();
  const [draft, setDraft] = useState("");
  const [search, setSearch] = useState("");
  // Next pages forwards from the page's last row, Previous backwards from its first (last/before).
  const [position, setPosition] = useState<PagePosition>(null);
  const [confirming, setConfirming] = useState<PlatformUser>();
  const pageSize = usePageSize("admin-users", PAGE_SIZES, 25);
  const paging =
    position !== null && "before" in position
      ? { last: pageSize.value, before: position.before }
      : { first: pageSize.value, after: position?.after ?? null };
  const { data, loading, error, refetch } = useQuery(AdminUsersDocument, {
    variables: { search: search === "" ? null : search, ...paging },
    fetchPolicy: "cache-and-network",
  });
  const [setUserDisabled] = useMutation(SetUserDisabledDocument);

  const onSearch = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSearch(draft.trim());
    setPosition(null);
  };

  const connection = data?.adminUsers;
  const pageInfo = connection?.pageInfo;
  const columns: Column<PlatformUser>[] = [
    { id: "name", header: t("users.columns.name"), sortValue: (user) => user.name, cell: (user) => user.name },
    {
      id: "email",
      header: t("users.columns.email"),
      sortValue: (user) => user.email,
      cell: (user) => (
        <>
          <TruncatedText text={user.email} />
          {!user.emailVerified && <span className="badge badge--muted">{t("users.unverified")}</span>}
        </>
      ),
    },
    {
      id: "role",
      header: t("users.columns.role"),
      sortValue: (user) => user.globalRole,
      cell: (user) => (user.globalRole === "ADMIN" ? t("users.roleAdmin") : t("users.roleUser")),
    },
    {
      id: "workspaces",
      header: t("users.columns.workspaces"),
      sortValue: (user) => user.workspaceCount,
      cell: (user) => user.workspaceCount,
    },
    {
      id: "joined",
      header: t("users.columns.joined"),
      sortValue: (user) => user.createdAt,
      cell: (user) => formatDate(user.createdAt),
    },
    {
      id: "status",
      header: t("users.columns.status"),
      sortValue: (user) => (user.disabled ? 1 : 0),
      cell: (user) =>
        user.disabled ? <span className="badge badge--warning">{t("users.disabled")}</span> : t("users.active"),
    },
    {
      id: "actions",
      header: t("users.columns.actions"),
      headerHidden: true,
      cell: (user) => (
        <div className="table__actions">
          {user.id !== me.id && (
            <Button size="small" onClick={() => setConfirming(user)}>
              {user.disabled ? t("users.enable") : t("users.disable")}
            </Button>
          )}
        </div>
      ),
    },
  ];

  return (
    <>
      <form className="form form--inline" role="search" onSubmit={onSearch}>
        <TextField
          label={t("users.searchLabel")}
          type="search"
          placeholder={t("users.searchPlaceholder")}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <div className="form__actions">
          <Button type="submit">{t("users.search")}</Button>
        </div>
      </form>

      {error !== undefined && <LoadError error={error} onRetry={refetch} />}
      {connection === undefined && loading && <SkeletonList label={t("users.loading")} />}
      {connection !== undefined && (
        <>
          <p className="muted">
            {search === ""
              ? t("users.count", { count: connection.totalCount, amount: formatTotal(connection) })
              : t("users.countMatching", { count: connection.totalCount, amount: formatTotal(connection), search })}
          </p>
          <DataTable
            label={t("users.tableLabel")}
            storageKey={TABLE_KEY}
            rows={connection.edges.map((edge) => edge.node)}
            complete={!connection.pageInfo.hasPreviousPage && !connection.pageInfo.hasNextPage}
            serverOrder={{ column: ORDER_COLUMN, direction: "descending", text: t("users.newestFirst") }}
            pageSize={{
              ...pageSize,
              onChange: (size) => {
                pageSize.onChange(size);
                setPosition(null);
              },
            }}
            rowKey={(user) => user.id}
            rowProps={rowProps}
            empty={<p className="empty-state">{t("users.empty")}</p>}
            columns={columns}
          />
          <div className="form__actions pager">
            <Button
              disabled={!pageInfo?.hasPreviousPage || pageInfo.startCursor == null}
              onClick={() => pageInfo?.startCursor != null && setPosition({ before: pageInfo.startCursor })}
            >
              {t("users.previous")}
            </Button>
            <Button
              disabled={!pageInfo?.hasNextPage || pageInfo.endCursor == null}
              onClick={() => pageInfo?.endCursor != null && setPosition({ after: pageInfo.endCursor })}
            >
              {t("users.next")}
            </Button>
          </div>
        </>
      )}

      {confirming !== undefined && (
        <ConfirmDialog
          title={
            confirming.disabled
              ? t("users.enableTitle", { email: confirming.email })
              : t("users.disableTitle", { email: confirming.email })
          }
          confirmLabel={confirming.disabled ? t("users.enableConfirm") : t("users.disableConfirm")}
          danger={!confirming.disabled}
          onClose={() => setConfirming(undefined)}
          onConfirm={async () => {
            await setUserDisabled({ variables: { userId: confirming.id, disabled: !confirming.disabled } });
            setConfirming(undefined);
          }}
        >
          <p>
            {confirming.disabled
              ? t("users.enableBody", { name: confirming.name })
              : t("users.disableBody", { name: confirming.name })}
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
