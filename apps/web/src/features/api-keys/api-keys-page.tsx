import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link } from "react-router";

import { type ApiKeysQuery } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { formatTime } from "../../platform/format.ts";
import { LoadError } from "../../platform/load-error.tsx";
import {
  Button,
  ConfirmDialog,
  DataTable,
  RowActions,
  SkeletonList,
  toast,
  type Column,
} from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { ApiKeySecretDialog, CreateApiKeyDialog, type CreatedApiKey } from "./api-key-dialogs.tsx";
import { ApiKeysDocument, RevokeApiKeyDocument } from "./operations.ts";
import { API_KEY_STATE_LABELS, apiKeyState } from "./scopes.ts";

type ApiKey = ApiKeysQuery["apiKeys"][number];

/** The CASL subject, the table's saved-layout key and each row's test attributes: names, not words. */
const SUBJECT = "ApiKey";
const TABLE_KEY = "api-keys";
const rowProps = (key: ApiKey) => ({ "data-testid": "api-key-row", "data-key-name": key.name });

type Open =
  | { readonly kind: "create" }
  | { readonly kind: "secret"; readonly created: CreatedApiKey }
  | { readonly kind: "revoke"; readonly key: ApiKey };

/** /w/:slug/api-keys (SPEC A1): list, create (secret shown once), revoke. */
export function ApiKeysPage({ workspace }: { workspace: CurrentWorkspace }) {
  const { t } = useTranslation("api-keys");
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

  const columns: Column<ApiKey>[] = [
    {
      id: "name",
      header: t("page.columns.name"),
      sortValue: (key) => key.name,
      cell: (key) => (
        <>
          {key.name}
          {key.persistedOnly && <span className="badge badge--muted">{t("page.persistedOnly")}</span>}
        </>
      ),
    },
    // The display prefix ends in its own "…".
    { id: "prefix", header: t("page.columns.prefix"), cell: (key) => <code>{key.prefix}</code> },
    {
      id: "scopes",
      header: t("page.columns.scopes"),
      cell: (key) => (
        <ul className="policy-list" aria-label={t("page.columns.scopes")}>
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
      header: t("page.columns.lastUsed"),
      sortValue: (key) => key.lastUsedAt,
      cell: (key) =>
        key.lastUsedAt == null ? (
          <span className="muted">{t("page.never")}</span>
        ) : (
          <time dateTime={key.lastUsedAt}>{formatTime(key.lastUsedAt)}</time>
        ),
    },
    {
      id: "expires",
      header: t("page.columns.expires"),
      sortValue: (key) => key.expiresAt,
      cell: (key) =>
        key.expiresAt == null ? (
          <span className="muted">{t("page.never")}</span>
        ) : (
          <time dateTime={key.expiresAt}>{formatTime(key.expiresAt)}</time>
        ),
    },
    {
      id: "status",
      header: t("page.columns.status"),
      sortValue: (key) => t(API_KEY_STATE_LABELS[apiKeyState(key)]),
      cell: (key) => {
        const state = apiKeyState(key);
        return (
          <>
            <span className={state === "ACTIVE" ? "badge" : "badge badge--warning"}>
              {t(API_KEY_STATE_LABELS[state])}
            </span>
            {key.revokedAt != null && <div className="muted">{formatTime(key.revokedAt)}</div>}
          </>
        );
      },
    },
    {
      id: "actions",
      header: t("page.columns.actions"),
      headerHidden: true,
      cell: (key) =>
        canRevoke && apiKeyState(key) !== "REVOKED" ? (
          <RowActions
            name={key.name}
            actions={[{ label: t("page.revoke"), danger: true, onSelect: () => setOpen({ kind: "revoke", key }) }]}
          />
        ) : null,
    },
  ];

  return (
    <>
      <div className="toolbar">
        {canCreate ? (
          <Button variant="primary" onClick={() => setOpen({ kind: "create" })}>
            {t("page.create")}
          </Button>
        ) : (
          <WhyCantI workspaceId={workspaceId} action="create" subject={SUBJECT} label={t("page.whyCreate")} />
        )}
        {!canRevoke && (
          <WhyCantI workspaceId={workspaceId} action="delete" subject={SUBJECT} label={t("page.whyRevoke")} />
        )}
        <span className="toolbar__spacer" />
        <Link to={`/playground?workspace=${encodeURIComponent(workspace.slug)}`} className="button">
          {t("page.playground")}
        </Link>
      </div>
      <p className="muted">
        <Trans ns="api-keys" i18nKey="page.intro" components={{ code: <code /> }} />
      </p>

      {keys.data === undefined ? (
        keys.error !== undefined ? (
          <LoadError error={keys.error} onRetry={keys.refetch} />
        ) : (
          <SkeletonList label={t("page.loading")} />
        )
      ) : keys.data.apiKeys.length === 0 ? (
        <p className="empty-state">{canCreate ? t("page.emptyCanCreate") : t("page.empty")}</p>
      ) : (
        <DataTable
          label={t("page.tableLabel")}
          storageKey={TABLE_KEY}
          rows={keys.data.apiKeys}
          rowKey={(key) => key.id}
          rowProps={rowProps}
          columns={columns}
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
          title={t("page.revokeTitle", { name: open.key.name })}
          confirmLabel={t("page.revokeConfirm")}
          danger
          onClose={close}
          onConfirm={async () => {
            await revoke({ variables: { workspaceId, id: open.key.id } });
            toast(t("page.revoked", { name: open.key.name }));
            close();
          }}
        >
          <p>{t("page.revokeBody")}</p>
        </ConfirmDialog>
      )}
    </>
  );
}
