import { useMutation } from "@apollo/client/react";
import { useEffect, useMemo } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useLocation, useNavigate } from "react-router";
import * as z from "zod/mini";

import { problemOf, SLUG_MAX, workspaceDetailsForm, workspaceSlug } from "@atrium/validation";

import { type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { Field } from "../../platform/form-controls.tsx";
import { showServerFieldErrors, trimmed, useSchemaForm } from "../../platform/forms.ts";
import { MeDocument } from "../../platform/session.tsx";
import { FormActions, Input, TextField } from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { UpdateWorkspaceDocument } from "./operations.ts";
import { SaveStatus, SettingsSection, useSave } from "./section.tsx";

const FIELDS = ["name", "slug", "description"] as const;
/** The CASL subject the settings need. */
const WORKSPACE = "Workspace";

/** Set by a rename that changed the slug, for the page it lands on (a new URL mounts it afresh). */
interface RenamedState {
  readonly renamedFrom?: string;
}

function renamedFrom(state: unknown): string | undefined {
  const from = (state as RenamedState | null)?.renamedFrom;
  return typeof from === "string" ? from : undefined;
}

/**
 * The shared name-and-address form, except that the slug is checked only when it changes (only a
 * changed one is sent): a workspace keeps its slug even if the rules have grown since it was chosen.
 */
function detailsSchema(currentSlug: string) {
  return z.object({
    ...workspaceDetailsForm.shape,
    slug: z.string().check(
      z.superRefine((slug, ctx) => {
        const problem = slug === currentSlug ? undefined : problemOf(workspaceSlug, slug);
        if (problem !== undefined) ctx.issues.push({ code: "custom", message: problem, input: slug });
      }),
    ),
  });
}

/** SPEC W3: name, slug and description; a new slug retires /forms/<old-slug> at once. */
export function RenameSection({
  workspace,
  canUpdate,
}: {
  workspace: WorkspaceSettingsFieldsFragment;
  canUpdate: boolean;
}) {
  const { t } = useTranslation("settings");
  const navigate = useNavigate();
  const location = useLocation();
  // The saved values are the form's defaults.
  const schema = useMemo(() => detailsSchema(workspace.slug), [workspace.slug]);
  const form = useSchemaForm(schema, {
    name: workspace.name,
    slug: workspace.slug,
    description: workspace.description ?? "",
  });
  const { errors } = form.formState;
  const [updateWorkspace] = useMutation(UpdateWorkspaceDocument, {
    refetchQueries: [MeDocument],
    awaitRefetchQueries: true,
  });
  const save = useSave();
  const slug = form.watch("slug");
  const slugChanged = slug !== workspace.slug;
  const previousSlug = renamedFrom(location.state);

  // The server's verdict on a field shows where the form's own would.
  const { error } = save;
  const { setError } = form;
  useEffect(() => {
    if (error !== undefined) showServerFieldErrors({ setError }, error, FIELDS);
  }, [error, setError]);

  const onSubmit = async ({ name, slug: newSlug, description }: z.output<typeof schema>) => {
    const input = {
      ...(name !== workspace.name ? { name } : {}),
      ...(slugChanged ? { slug: newSlug } : {}),
      ...(description !== (workspace.description ?? "") ? { description } : {}),
    };
    const saved = await save.run(
      () => updateWorkspace({ variables: { id: workspace.id, input } }),
      slugChanged ? t("rename.savedSlug", { slug: newSlug }) : t("rename.saved"),
    );
    if (saved && slugChanged) {
      const renamed: RenamedState = { renamedFrom: workspace.slug };
      void navigate(`/w/${newSlug}/settings`, { replace: true, state: renamed });
    }
  };

  return (
    <SettingsSection id="rename" title={t("rename.title")}>
      {previousSlug !== undefined && save.state.status === "idle" && (
        <div className="banner banner--success" role="status">
          <Trans
            ns="settings"
            i18nKey="rename.slugChanged"
            values={{ previous: previousSlug }}
            components={{ from: <code>{previousSlug}</code>, to: <code>{workspace.slug}</code> }}
          />
        </div>
      )}
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        <TextField
          label={t("rename.nameLabel")}
          error={errors.name?.message}
          type="text"
          disabled={!canUpdate}
          autoComplete="off"
          {...form.register("name", { setValueAs: trimmed })}
        />
        <Field
          label={t("rename.slugLabel")}
          hint={
            <Trans
              ns="settings"
              i18nKey="rename.slugHint"
              components={{
                workspace: <code>{`/w/${slug === "" ? "…" : slug}`}</code>,
                form: <code>{`/forms/${slug === "" ? "…" : slug}`}</code>,
              }}
            />
          }
          error={errors.slug?.message}
        >
          {(control) => (
            <Input
              {...control}
              type="text"
              maxLength={SLUG_MAX}
              disabled={!canUpdate}
              autoComplete="off"
              spellCheck={false}
              {...form.register("slug", { setValueAs: trimmed })}
            />
          )}
        </Field>
        {slugChanged && (
          <p className="note" role="note" data-testid="slug-change-warning">
            <Trans
              ns="settings"
              i18nKey="rename.slugWarning"
              components={{ url: <code>{`/forms/${workspace.slug}`}</code> }}
            />
          </p>
        )}
        <Field label={t("rename.descriptionLabel")} error={errors.description?.message}>
          {(control) => (
            <textarea
              {...control}
              rows={2}
              disabled={!canUpdate}
              {...form.register("description", { setValueAs: trimmed })}
            />
          )}
        </Field>
        <SaveStatus save={save} fieldsShown={FIELDS} />
        {!canUpdate && (
          <WhyCantI workspaceId={workspace.id} action="update" subject={WORKSPACE} label={t("whyCantChange")} />
        )}
        {canUpdate && <FormActions submitLabel={t("rename.submit")} pending={save.saving} pendingLabel={t("saving")} />}
      </form>
    </SettingsSection>
  );
}
