import { useMutation, useQuery } from "@apollo/client/react";
import { type FormEvent, useState } from "react";
import { type AdminUsersQuery } from "../../gql/graphql.ts";
import { ConfirmDialog, DataTable, SkeletonList, TruncatedText, usePageSize } from "../../platform/ui/index.ts";
import { Field } from "../../platform/form-controls.tsx";
import { useMe } from "../../platform/session.tsx";
import { AdminUsersDocument, SetUserDisabledDocument } from "./operations.ts";
import { LoadError } from "../../platform/load-error.tsx";

const PAGE_SIZES = [25, 50, 100] as const;
type PlatformUser = AdminUsersQuery["adminUsers"]["nodes"][number];

const date = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

/** Users of the platform: search, page through, disable (ending their sessions) or re-enable. */
export function AdminUsers() {
  const me = useMe();
  const [draft, setDraft] = useState("");
  const [search, setSearch] = useState("");
  // Cursors of the pages before the current one (the first page has none).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const [confirming, setConfirming] = useState<PlatformUser>();
  const pageSize = usePageSize("admin-users", PAGE_SIZES, 25);
  const { data, loading, error, refetch } = useQuery(AdminUsersDocument, {
    variables: { search: search === "" ? null : search, first: pageSize.value, after },
    fetchPolicy: "cache-and-network",
  });
  const [setUserDisabled] = useMutation(SetUserDisabledDocument);

  const onSearch = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSearch(draft.trim());
    setCursors([null]);
  };

  const connection = data?.adminUsers;
  return (
    <>
      <form className="form form--inline" role="search" onSubmit={onSearch}>
        <Field label="Search users">
          {(control) => (
            <input {...control} type="search" placeholder="Name or email" value={draft} onChange={(e) => setDraft(e.target.value)} />
          )}
        </Field>
        <div className="form__actions">
          <button type="submit" className="button">
            Search
          </button>
        </div>
      </form>

      {error !== undefined && (
        <LoadError error={error} onRetry={refetch} />
      )}
      {connection === undefined && loading && <SkeletonList label="Loading users…" />}
      {connection !== undefined && (
        <>
          <p className="muted">
            {connection.totalCount} {connection.totalCount === 1 ? "user" : "users"}
            {search !== "" ? ` matching “${search}”` : ""}
          </p>
          <DataTable
            label="Users"
            storageKey="admin-users"
            rows={connection.nodes}
            complete={cursors.length === 1 && !connection.hasNextPage}
            serverOrder={{ column: "joined", direction: "descending", text: "Newest first" }}
            pageSize={{
              ...pageSize,
              onChange: (size) => {
                pageSize.onChange(size);
                setCursors([null]);
              },
            }}
            rowKey={(user) => user.id}
            rowProps={(user) => ({ "data-testid": "admin-user-row", "data-email": user.email })}
            empty={<p className="empty-state">No users found.</p>}
            columns={[
              { id: "name", header: "Name", sortValue: (user) => user.name, cell: (user) => user.name },
              {
                id: "email",
                header: "Email",
                sortValue: (user) => user.email,
                cell: (user) => (
                  <>
                    <TruncatedText text={user.email} />
                    {!user.emailVerified && <span className="badge badge--muted">Unverified</span>}
                  </>
                ),
              },
              { id: "role", header: "Role", sortValue: (user) => user.globalRole, cell: (user) => (user.globalRole === "ADMIN" ? "Platform admin" : "User") },
              { id: "workspaces", header: "Workspaces", sortValue: (user) => user.workspaceCount, cell: (user) => user.workspaceCount },
              { id: "joined", header: "Joined", sortValue: (user) => user.createdAt, cell: (user) => date.format(new Date(user.createdAt)) },
              { id: "status", header: "Status", sortValue: (user) => (user.disabled ? 1 : 0), cell: (user) => (user.disabled ? <span className="badge badge--warning">Disabled</span> : "Active") },
              {
                id: "actions",
                header: "Actions",
                headerHidden: true,
                cell: (user) => (
                  <div className="table__actions">
                    {user.id !== me.id && (
                      <button type="button" className="button button--small" onClick={() => setConfirming(user)}>
                        {user.disabled ? "Enable" : "Disable"}
                      </button>
                    )}
                  </div>
                ),
              },
            ]}
          />
          <div className="form__actions pager">
            <button type="button" className="button" disabled={cursors.length <= 1} onClick={() => setCursors((list) => list.slice(0, -1))}>
              Previous page
            </button>
            <button
              type="button"
              className="button"
              disabled={!connection.hasNextPage || connection.endCursor == null}
              onClick={() => setCursors((list) => [...list, connection.endCursor ?? null])}
            >
              Next page
            </button>
          </div>
        </>
      )}

      {confirming !== undefined && (
        <ConfirmDialog
          title={confirming.disabled ? `Enable ${confirming.email}?` : `Disable ${confirming.email}?`}
          confirmLabel={confirming.disabled ? "Enable user" : "Disable user"}
          danger={!confirming.disabled}
          onClose={() => setConfirming(undefined)}
          onConfirm={async () => {
            await setUserDisabled({ variables: { userId: confirming.id, disabled: !confirming.disabled } });
            setConfirming(undefined);
          }}
        >
          <p>
            {confirming.disabled
              ? `${confirming.name} will be able to sign in again.`
              : `${confirming.name} is signed out everywhere at once and can no longer sign in. Their workspaces and data stay.`}
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
