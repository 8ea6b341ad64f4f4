import { useMutation, useQuery } from "@apollo/client/react";
import i18next from "i18next";
import { useMemo, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link } from "react-router";
import * as z from "zod/mini";

import { apiKeyForm } from "@atrium/validation";

import { type CreateApiKeyMutation } from "../../gql/graphql.ts";
import { CopyButton } from "../../platform/copy-button.tsx";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { serverFieldMessage, trimmed, useSchemaForm } from "../../platform/forms.ts";
import { Button, Checkbox, Dialog, FormActions, Input, TextField } from "../../platform/ui/index.ts";
import { LOCAL_CATALOG } from "../members/grants.ts";
import { groupLabel, policyDescription } from "../members/member-access-fields.tsx";
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
  scopes: z
    .array(z.string())
    .check(z.minLength(1, { error: () => i18next.t("createDialog.scopesRequired", { ns: "api-keys" }) })),
  expiry: z.string().check(
    z.superRefine((value, ctx) => {
      const expiresAt = expiryFromDateInput(value);
      if ("error" in expiresAt) ctx.issues.push({ code: "custom", message: expiresAt.error, input: value });
    }),
  ),
});
type CreateApiKeyValues = z.infer<typeof createApiKeyForm>;
/** The fields whose server errors show beside them (the API's names). */
const FIELDS_SHOWN = ["name", "scopes", "expiresAt"];

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
  const { t } = useTranslation("api-keys");
  // The policies' groups and descriptions are worded by the members namespace.
  const { t: tMembers } = useTranslation("members");
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
          input: {
            name,
            scopes,
            persistedOnly,
            ...(expiresAt.expiresAt !== null ? { expiresAt: expiresAt.expiresAt } : {}),
          },
        },
      });
      if (result.data !== undefined && result.data !== null) onCreated(result.data.createApiKey);
    } catch (caught) {
      const problem = describeError(caught, { FORBIDDEN: t("createDialog.forbidden") });
      form.failed(problem, ["name", "scopes"]);
      // The form's date field answers to the input's expiresAt.
      const expiryMessage = serverFieldMessage(problem, "expiresAt");
      if (expiryMessage !== undefined) form.setError("expiry", { type: "server", message: expiryMessage });
    }
  };

  return (
    <Dialog title={t("createDialog.title")} onClose={onClose}>
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        <ErrorBanner error={error} fieldsShown={FIELDS_SHOWN} />
        <TextField
          label={t("createDialog.nameLabel")}
          error={errors.name?.message}
          hint={t("createDialog.nameHint")}
          type="text"
          autoComplete="off"
          {...form.register("name", { setValueAs: trimmed })}
        />
        <fieldset
          className={errors.scopes !== undefined ? "field field--invalid" : "field"}
          aria-describedby={
            errors.scopes !== undefined ? "api-key-scopes-hint api-key-scopes-error" : "api-key-scopes-hint"
          }
        >
          <legend>{t("createDialog.scopesLegend")}</legend>
          <p className="field__hint" id="api-key-scopes-hint">
            {t("createDialog.scopesHint")}
          </p>
          {groups.length === 0 && <p className="note">{t("createDialog.noPolicies")}</p>}
          {groups.map((group) => (
            <fieldset key={group.group} className="policy-group">
              <legend>{groupLabel(group.group, tMembers)}</legend>
              {group.options.map((option) => (
                <label key={option.key} className="choice">
                  <Checkbox
                    name="scopes"
                    value={option.key}
                    checked={ticked.includes(option.key)}
                    onChange={(event) => toggle(option.key, event.target.checked)}
                  />
                  <span>
                    <code>{option.key}</code> — {policyDescription(option, tMembers)}
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
        <TextField
          label={t("createDialog.expiryLabel")}
          error={errors.expiry?.message}
          hint={t("createDialog.expiryHint")}
          type="date"
          {...form.register("expiry")}
        />
        <label className="choice">
          <Checkbox checked={persistedOnly} onChange={(event) => setPersistedOnly(event.target.checked)} />
          <span>
            {t("createDialog.persistedOnly")}
            <span className="field__hint">{t("createDialog.persistedOnlyHint")}</span>
          </span>
        </label>
        <FormActions
          submitLabel={t("createDialog.submit")}
          pending={loading}
          pendingLabel={t("createDialog.pending")}
          disabled={groups.length === 0}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}

/** How a key is sent (code, not words to translate). */
const AUTHORIZATION_HEADER = "Authorization: Bearer <key>";

/** Shows a new key's secret once: the API stores only its hash. */
export function ApiKeySecretDialog({ created, onClose }: { created: CreatedApiKey; onClose: () => void }) {
  const { t } = useTranslation("api-keys");
  return (
    <Dialog title={t("secretDialog.title")} onClose={onClose}>
      <div className="form">
        <div className="banner banner--error" role="alert">
          {t("secretDialog.warning")}
        </div>
        <p>
          <strong>{created.apiKey.name}</strong> —{" "}
          {t("secretDialog.scopes", { scopes: created.apiKey.scopes.join(", ") })}
        </p>
        <div className="secret">
          <Input
            type="text"
            readOnly
            aria-label={t("secretDialog.secretLabel")}
            data-testid="api-key-secret"
            value={created.secret}
            onFocus={(event) => event.target.select()}
          />
          <CopyButton text={created.secret} label={t("secretDialog.copy")} className="button" />
        </div>
        <p className="muted">
          <Trans
            ns="api-keys"
            i18nKey="secretDialog.usage"
            components={{
              auth: <code>{AUTHORIZATION_HEADER}</code>,
              code: <code />,
              playground: <Link to="/playground" />,
            }}
          />
        </p>
        <div className="form__actions">
          <Button variant="primary" onClick={onClose}>
            {t("secretDialog.done")}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
