import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Link } from "react-router";
import { type ApiKeysQuery } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { ConfirmDialog, DataTable, RowActions, SkeletonList, toast } from "../../platform/ui/index.ts";
import { formatTime } from "../../platform/format.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { ApiKeySecretDialog, CreateApiKeyDialog, type CreatedApiKey } from "./api-key-dialogs.tsx";
import { ApiKeysDocument, RevokeApiKeyDocument } from "./operations.ts";
import { API_KEY_STATE_LABELS, apiKeyState } from "./scopes.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { WhyCantI } from "../access/why-cant-i.tsx";

type ApiKey = ApiKeysQuery["apiKeys"][number];

type Open = { readonly kind: "create" } | { readonly kind: "secret"; readonly created: CreatedApiKey } | { readonly kind: "revoke"; readonly key: ApiKey };

/** /w/:slug/api-keys (SPEC A1): list, create (secret shown once), revoke. */
export function ApiKeysPage({ workspace }: { workspace: CurrentWorkspace }) {
  const ability = useAbility();
  const workspaceId = workspace.id;
  const [open, setOpen] = useState<Open>();
  const keys = useQuery(ApiKeysDocument, { variables: { workspaceId }, fetchPolicy: "cache-and-network" });
  const [revoke] = useMutation(RevokeApiKeyDocument, {
    refetchQueries: [{ query: ApiKeysDocument, variables: { workspaceId } }],
    awaitRefetchQueries: true,
  });
  const close = () => setOpen(undefined);
  const canCreate = ability.can("create", "ApiKey");
  const canRevoke = ability.can("delete", "ApiKey");

  return (
    <>
      <div className="toolbar">
        {canCreate ? (
          <button type="button" className="button button--primary" onClick={() => setOpen({ kind: "create" })}>
            Create API key
          </button>
        ) : (
          <WhyCantI workspaceId={workspaceId} action="create" subject="ApiKey" label="Why can't I create keys?" />
        )}
        {!canRevoke && <WhyCantI workspaceId={workspaceId} action="delete" subject="ApiKey" label="Why can't I revoke keys?" />}
        <span className="toolbar__spacer" />
        <Link to={`/playground?workspace=${encodeURIComponent(workspace.slug)}`} className="button">
          Open the GraphQL playground
        </Link>
      </div>
      <p className="muted">
        Keys authenticate server-to-server calls to <code>/graphql</code> in this workspace only, e.g. <code>submitLead</code> with the{" "}
        <code>lead.manage</code> scope.
      </p>

      {keys.data === undefined ? (
        keys.error !== undefined ? (
          <LoadError error={keys.error} onRetry={keys.refetch} />
        ) : (
          <SkeletonList label="Loading API keys…" />
        )
      ) : keys.data.apiKeys.length === 0 ? (
        <p className="empty-state">
          {canCreate ? "No API keys yet. Create one to call the API from your own systems, e.g. to submit leads from your website's backend." : "No API keys yet."}
        </p>
      ) : (
        <DataTable
          label="API keys"
          storageKey="api-keys"
          rows={keys.data.apiKeys}
          rowKey={(key) => key.id}
          rowProps={(key) => ({ "data-testid": "api-key-row", "data-key-name": key.name })}
          columns={[
            {
              id: "name",
              header: "Name",
              sortValue: (key) => key.name,
              cell: (key) => (
                <>
                  {key.name}
                  {key.persistedOnly && <span className="badge badge--muted">Persisted only</span>}
                </>
              ),
            },
            // The display prefix ends in its own "…".
            { id: "prefix", header: "Prefix", cell: (key) => <code>{key.prefix}</code> },
            {
              id: "scopes",
              header: "Scopes",
              cell: (key) => (
                <ul className="policy-list" aria-label="Scopes">
                  {key.scopes.map((scope) => (
                    <li key={scope}>
                      <code>{scope}</code>
                    </li>
                  ))}
                </ul>
              ),
            },
            {
              id: "last-used",
              header: "Last used",
              sortValue: (key) => key.lastUsedAt,
              cell: (key) => (key.lastUsedAt == null ? <span className="muted">Never</span> : <time dateTime={key.lastUsedAt}>{formatTime(key.lastUsedAt)}</time>),
            },
            {
              id: "expires",
              header: "Expires",
              sortValue: (key) => key.expiresAt,
              cell: (key) => (key.expiresAt == null ? <span className="muted">Never</span> : <time dateTime={key.expiresAt}>{formatTime(key.expiresAt)}</time>),
            },
            {
              id: "status",
              header: "Status",
              sortValue: (key) => API_KEY_STATE_LABELS[apiKeyState(key)],
              cell: (key) => {
                const state = apiKeyState(key);
                return (
                  <>
                    <span className={state === "ACTIVE" ? "badge" : "badge badge--warning"}>{API_KEY_STATE_LABELS[state]}</span>
                    {key.revokedAt != null && <div className="muted">{formatTime(key.revokedAt)}</div>}
                  </>
                );
              },
            },
            {
              id: "actions",
              header: "Actions",
              headerHidden: true,
              cell: (key) =>
                canRevoke && apiKeyState(key) !== "REVOKED" ? <RowActions name={key.name} actions={[{ label: "Revoke", danger: true, onSelect: () => setOpen({ kind: "revoke", key }) }]} /> : null,
            },
          ]}
        />
      )}

      {open?.kind === "create" && (
        <CreateApiKeyDialog
          workspace={workspace}
          onClose={close}
          onCreated={(created) => {
            setOpen({ kind: "secret", created });
          }}
        />
      )}
      {open?.kind === "secret" && <ApiKeySecretDialog created={open.created} onClose={close} />}
      {open?.kind === "revoke" && (
        <ConfirmDialog
          title={`Revoke “${open.key.name}”?`}
          confirmLabel="Revoke key"
          danger
          onClose={close}
          onConfirm={async () => {
            await revoke({ variables: { workspaceId, id: open.key.id } });
            toast(`The key “${open.key.name}” was revoked.`);
            close();
          }}
        >
          <p>Every request made with this key fails from now on. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
