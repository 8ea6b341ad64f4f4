import { useMutation, useQuery } from "@apollo/client/react";
import { apiKeyForm } from "@atrium/validation";
import { useMemo, useState } from "react";
import * as z from "zod/mini";
import { Link } from "react-router";
import { type CreateApiKeyMutation } from "../../gql/graphql.ts";
import { CopyButton } from "../../platform/copy-button.tsx";
import { Dialog, FormActions } from "../../platform/ui/index.ts";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { serverFieldMessage, trimmed, useSchemaForm } from "../../platform/forms.ts";
import { LOCAL_CATALOG } from "../members/grants.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { ApiKeyScopeCatalogDocument, ApiKeysDocument, CreateApiKeyDocument } from "./operations.ts";
import { apiKeyScopeOptions, expiryFromDateInput, selectedScopes } from "./scopes.ts";

export type CreatedApiKey = CreateApiKeyMutation["createApiKey"];

/**
 * The shared name rule (the API's), with what only the dialog knows: a key needs a scope (the API
 * would take none, a key that can do nothing), and the expiry is a date input read as the end of
 * that day in the user's time zone.
 */
const createApiKeyForm = z.object({
  ...apiKeyForm.shape,
  scopes: z.array(z.string()).check(z.minLength(1, "Tick at least one scope.")),
  expiry: z.string().check(
    z.superRefine((value, ctx) => {
      const expiresAt = expiryFromDateInput(value);
      if ("error" in expiresAt) ctx.issues.push({ code: "custom", message: expiresAt.error, input: value });
    }),
  ),
});
type CreateApiKeyValues = z.infer<typeof createApiKeyForm>;

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
  const form = useSchemaForm(createApiKeyForm, { name: "", scopes: [], expiry: "" });
  const { errors } = form.formState;
  const error = form.serverError;
  const ticked = form.watch("scopes");
  const [persistedOnly, setPersistedOnly] = useState(false);
  const [create, { loading }] = useMutation(CreateApiKeyDocument, {
    refetchQueries: [{ query: ApiKeysDocument, variables: { workspaceId: workspace.id } }],
    awaitRefetchQueries: true,
  });

  const toggle = (key: string, on: boolean) => {
    const next = on ? [...ticked, key] : ticked.filter((scope) => scope !== key);
    form.setValue("scopes", next, { shouldValidate: form.formState.isSubmitted });
  };

  const onSubmit = async ({ name, scopes: chosen, expiry }: CreateApiKeyValues) => {
    form.clearServerError();
    const scopes = selectedScopes(new Set(chosen), workspace.myPolicies, catalog);
    const expiresAt = expiryFromDateInput(expiry);
    // The schema has judged the date already; a date that passed midnight since is refused here.
    if ("error" in expiresAt) {
      form.setError("expiry", { type: "validate", message: expiresAt.error });
      return;
    }
    try {
      const result = await create({
        variables: {
          workspaceId: workspace.id,
          input: { name, scopes, persistedOnly, ...(expiresAt.expiresAt !== null ? { expiresAt: expiresAt.expiresAt } : {}) },
        },
      });
      if (result.data !== undefined && result.data !== null) onCreated(result.data.createApiKey);
    } catch (caught) {
      const problem = describeError(caught, { FORBIDDEN: "A key can only hold policies you hold yourself." });
      form.failed(problem, ["name", "scopes"]);
      // The form's date field answers to the input's expiresAt.
      const expiryMessage = serverFieldMessage(problem, "expiresAt");
      if (expiryMessage !== undefined) form.setError("expiry", { type: "server", message: expiryMessage });
    }
  };

  return (
    <Dialog title="Create an API key" onClose={onClose}>
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        <ErrorBanner error={error} fieldsShown={["name", "scopes", "expiresAt"]} />
        <Field label="Key name" error={errors.name?.message} hint="Where the key is used, e.g. “Website backend”.">
          {(control) => <input {...control} type="text" autoComplete="off" {...form.register("name", { setValueAs: trimmed })} />}
        </Field>
        <fieldset
          className={errors.scopes !== undefined ? "field field--invalid" : "field"}
          aria-describedby={errors.scopes !== undefined ? "api-key-scopes-hint api-key-scopes-error" : "api-key-scopes-hint"}
        >
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
                    checked={ticked.includes(option.key)}
                    onChange={(event) => toggle(option.key, event.target.checked)}
                  />
                  <span>
                    <code>{option.key}</code> — {option.description}
                  </span>
                </label>
              ))}
            </fieldset>
          ))}
          {errors.scopes?.message !== undefined && (
            <p className="field__error" id="api-key-scopes-error">
              {errors.scopes.message}
            </p>
          )}
        </fieldset>
        <Field label="Expires on (optional)" error={errors.expiry?.message} hint="Leave empty for a key that does not expire.">
          {(control) => <input {...control} type="date" {...form.register("expiry")} />}
        </Field>
        <label className="choice">
          <input type="checkbox" checked={persistedOnly} onChange={(event) => setPersistedOnly(event.target.checked)} />
          <span>
            Persisted operations only
            <span className="field__hint"> — the key may run only the trusted documents of the app, no ad-hoc queries.</span>
          </span>
        </label>
        <FormActions submitLabel="Create key" pending={loading} pendingLabel="Creating…" disabled={groups.length === 0} onCancel={onClose} />
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
