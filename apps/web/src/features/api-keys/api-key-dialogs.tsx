import { useMutation, useQuery } from "@apollo/client/react";
import { type FormEvent, useMemo, useState } from "react";
import { Link } from "react-router";
import { type CreateApiKeyMutation } from "../../gql/graphql.ts";
import { CopyButton } from "../../platform/copy-button.tsx";
import { Dialog } from "../../platform/dialog.tsx";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { LOCAL_CATALOG } from "../members/grants.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { ApiKeyScopeCatalogDocument, ApiKeysDocument, CreateApiKeyDocument } from "./operations.ts";
import { apiKeyScopeOptions, expiryFromDateInput, selectedScopes } from "./scopes.ts";

export type CreatedApiKey = CreateApiKeyMutation["createApiKey"];

/** Name, scopes (only the user's own policies), optional expiry, persisted-only flag. */
export function CreateApiKeyDialog({
  workspace,
  onClose,
  onCreated,
}: {
  workspace: CurrentWorkspace;
  onClose: () => void;
  onCreated: (created: CreatedApiKey) => void;
}) {
  const catalogQuery = useQuery(ApiKeyScopeCatalogDocument);
  const catalog = catalogQuery.data?.policyCatalog ?? LOCAL_CATALOG;
  const groups = useMemo(() => apiKeyScopeOptions(workspace.myPolicies, catalog), [workspace.myPolicies, catalog]);
  const [name, setName] = useState("");
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const [expiry, setExpiry] = useState("");
  const [persistedOnly, setPersistedOnly] = useState(false);
  const [error, setError] = useState<UserFacingError>();
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [create, { loading }] = useMutation(CreateApiKeyDocument, {
    refetchQueries: [{ query: ApiKeysDocument, variables: { workspaceId: workspace.id } }],
    awaitRefetchQueries: true,
  });

  const toggle = (key: string, on: boolean) => {
    const next = new Set(ticked);
    if (on) next.add(key);
    else next.delete(key);
    setTicked(next);
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    const scopes = selectedScopes(ticked, workspace.myPolicies, catalog);
    const expiresAt = expiryFromDateInput(expiry);
    const problems: Record<string, string> = {};
    if (name.trim() === "") problems["name"] = "Give the key a name.";
    if (scopes.length === 0) problems["scopes"] = "Tick at least one scope.";
    if ("error" in expiresAt) problems["expiresAt"] = expiresAt.error;
    setLocalErrors(problems);
    if (Object.keys(problems).length > 0 || "error" in expiresAt) return;
    try {
      const result = await create({
        variables: {
          workspaceId: workspace.id,
          input: { name: name.trim(), scopes, persistedOnly, ...(expiresAt.expiresAt !== null ? { expiresAt: expiresAt.expiresAt } : {}) },
        },
      });
      if (result.data !== undefined && result.data !== null) onCreated(result.data.createApiKey);
    } catch (caught) {
      setError(describeError(caught, { FORBIDDEN: "A key can only hold policies you hold yourself." }));
    }
  };

  const fields = { ...(error?.fields ?? {}), ...localErrors };
  return (
    <Dialog title="Create an API key" onClose={onClose}>
      <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <ErrorBanner error={error} fieldsShown={["name", "scopes", "expiresAt"]} />
        <Field label="Key name" error={fields["name"]} hint="Where the key is used, e.g. “Website backend”.">
          {(control) => <input {...control} type="text" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <fieldset className="field" aria-describedby="api-key-scopes-hint">
          <legend>Scopes</legend>
          <p className="field__hint" id="api-key-scopes-hint">
            Only policies you hold are offered. The key loses any scope you lose later.
          </p>
          {groups.length === 0 && <p className="note">You hold no policies that could be given to a key.</p>}
          {groups.map((group) => (
            <fieldset key={group.group} className="policy-group">
              <legend>{group.group}</legend>
              {group.options.map((option) => (
                <label key={option.key} className="choice">
                  <input
                    type="checkbox"
                    name="scopes"
                    value={option.key}
                    checked={ticked.has(option.key)}
                    onChange={(event) => toggle(option.key, event.target.checked)}
                  />
                  <span>
                    <code>{option.key}</code> — {option.description}
                  </span>
                </label>
              ))}
            </fieldset>
          ))}
          {fields["scopes"] !== undefined && <p className="field__error">{fields["scopes"]}</p>}
        </fieldset>
        <Field label="Expires on (optional)" error={fields["expiresAt"]} hint="Leave empty for a key that does not expire.">
          {(control) => <input {...control} type="date" value={expiry} onChange={(e) => setExpiry(e.target.value)} />}
        </Field>
        <label className="choice">
          <input type="checkbox" checked={persistedOnly} onChange={(event) => setPersistedOnly(event.target.checked)} />
          <span>
            Persisted operations only
            <span className="field__hint"> — the key may run only the trusted documents of the app, no ad-hoc queries.</span>
          </span>
        </label>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={loading || groups.length === 0}>
            {loading ? "Creating…" : "Create key"}
          </button>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Shows a new key's secret once: the API stores only its hash. */
export function ApiKeySecretDialog({ created, onClose }: { created: CreatedApiKey; onClose: () => void }) {
  return (
    <Dialog title="Copy your new API key" onClose={onClose}>
      <div className="form">
        <div className="banner banner--error" role="alert">
          This is the only time the key is shown. Copy it now and store it somewhere safe: you will not be able to see it again.
        </div>
        <p>
          <strong>{created.apiKey.name}</strong> — scopes: {created.apiKey.scopes.join(", ")}
        </p>
        <div className="secret">
          <input
            type="text"
            readOnly
            aria-label="API key secret"
            data-testid="api-key-secret"
            value={created.secret}
            onFocus={(event) => event.target.select()}
          />
          <CopyButton text={created.secret} label="Copy key" className="button" />
        </div>
        <p className="muted">
          Send it as <code>Authorization: Bearer &lt;key&gt;</code> to <code>/graphql</code>. Try queries in the{" "}
          <Link to="/playground">playground</Link>.
        </p>
        <div className="form__actions">
          <button type="button" className="button button--primary" onClick={onClose}>
            I have stored the key
          </button>
        </div>
      </div>
    </Dialog>
  );
}
