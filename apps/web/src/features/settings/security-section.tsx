/** S7: whether members need a recent second factor here, and how long one lasts. Needs workspace.settings. */
import { useMutation } from "@apollo/client/react";
import i18next from "i18next";
import { useEffect } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link } from "react-router";
import * as z from "zod/mini";

import { type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { showServerFieldErrors, useSchemaForm } from "../../platform/forms.ts";
import { Checkbox, FormActions, TextField } from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { SetWorkspaceSecurityDocument } from "./operations.ts";
import { SaveStatus, SettingsSection, useSave } from "./section.tsx";

/**
 * The lifetime rule is the form's own (decision 0020, "Later"): the API takes the same range but
 * says it in other words (`@Min` / `@Max` on WorkspaceSecurityInput, and the service's "A
 * verification lasts 1–1440 minutes." with `{ stepUpLifetimeMinutes: "out of range" }`). The field
 * is named like the API's error key, so the API's verdict lands beside it.
 */
const LIFETIME_MIN = 1;
const LIFETIME_MAX = 1440;

const securityForm = z.object({
  requireStepUp: z.boolean(),
  // As typed: a whole number of minutes from LIFETIME_MIN to LIFETIME_MAX.
  stepUpLifetimeMinutes: z.string().check(
    z.refine(
      (typed) => {
        const text = typed.trim();
        return /^\d+$/.test(text) && Number(text) >= LIFETIME_MIN && Number(text) <= LIFETIME_MAX;
      },
      { error: () => i18next.t("security.lifetimeRange", { ns: "settings", min: LIFETIME_MIN, max: LIFETIME_MAX }) },
    ),
  ),
});
type SecurityForm = z.output<typeof securityForm>;

/** The form's field the API names in its errors. */
const FIELDS = ["stepUpLifetimeMinutes"] as const;

/** The CASL subject the settings need. */
const WORKSPACE = "Workspace";

export function SecuritySection({
  workspace,
  canUpdate,
}: {
  workspace: WorkspaceSettingsFieldsFragment;
  canUpdate: boolean;
}) {
  const { t } = useTranslation("settings");
  const form = useSchemaForm(securityForm, {
    requireStepUp: workspace.requireStepUp,
    stepUpLifetimeMinutes: String(workspace.stepUpLifetimeMinutes),
  });
  const { errors } = form.formState;
  const [mutate] = useMutation(SetWorkspaceSecurityDocument);
  const save = useSave();

  // The server's verdict on the lifetime shows where the form's own would.
  const { error } = save;
  const { setError } = form;
  useEffect(() => {
    if (error !== undefined) showServerFieldErrors({ setError }, error, FIELDS);
  }, [error, setError]);

  const onSubmit = async ({ requireStepUp, stepUpLifetimeMinutes }: SecurityForm) => {
    const minutes = Number(stepUpLifetimeMinutes.trim());
    await save.run(
      () =>
        mutate({ variables: { workspaceId: workspace.id, input: { requireStepUp, stepUpLifetimeMinutes: minutes } } }),
      requireStepUp ? t("security.savedRequired", { count: minutes }) : t("security.savedNotRequired"),
    );
  };

  return (
    <SettingsSection
      id="security"
      title={t("security.title")}
      description={
        <p className="muted">
          <Trans
            ns="settings"
            i18nKey="security.description"
            components={{ anchor: <Link to="/account/security" /> }}
          />
        </p>
      }
    >
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        <label className="choice">
          <Checkbox disabled={!canUpdate} {...form.register("requireStepUp")} />
          <span>{t("security.requireStepUp")}</span>
        </label>
        <TextField
          label={t("security.lifetimeLabel")}
          error={errors.stepUpLifetimeMinutes?.message}
          type="number"
          min={LIFETIME_MIN}
          max={LIFETIME_MAX}
          inputMode="numeric"
          disabled={!canUpdate}
          {...form.register("stepUpLifetimeMinutes")}
        />
        <SaveStatus save={save} fieldsShown={FIELDS} />
        <FormActions submitLabel={t("security.submit")} pending={save.saving} disabled={!canUpdate}>
          {!canUpdate && <WhyCantI workspaceId={workspace.id} action="update" subject={WORKSPACE} />}
        </FormActions>
      </form>
    </SettingsSection>
  );
}
