import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import * as z from "zod/mini";

import { createWorkspaceForm, SLUG_MAX, SLUG_MIN, slugFromName } from "@atrium/validation";

import { type Channel, type Environment } from "../../gql/graphql.ts";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { MeDocument } from "../../platform/session.tsx";
import { Button, FormActions, Input, Radio, Select, TextField } from "../../platform/ui/index.ts";
import { CreateWorkspaceDocument } from "./operations.ts";

const CHANNELS: readonly Channel[] = ["WHATSAPP", "VOICE"];
const ENVIRONMENTS: readonly Environment[] = ["DEVELOPMENT", "STAGING", "PRODUCTION"];
const FORM_FIELDS = ["name", "slug", "channel", "environment", "description"] as const;

/**
 * The shared create-workspace fields, and the two choices the API types itself: the channel (no
 * default: it is permanent) and the environment. An unedited slug is sent as none: the API derives
 * it (adding -2, -3… when taken, padding names too short or reserved), so only a chosen one is checked.
 */
/** The schema's own message for a missing channel; shown as the workspaces namespace's `create.chooseChannel`. */
const CHOOSE_CHANNEL = "Choose a channel.";

const schema = z.object({
  ...createWorkspaceForm.shape,
  channel: z.enum(["WHATSAPP", "VOICE"], CHOOSE_CHANNEL),
  environment: z.enum(["DEVELOPMENT", "STAGING", "PRODUCTION"]),
});
type Values = z.output<typeof schema>;

/** Create workspace (SPEC W1, W2): the slug follows the name until the user edits it. */
export function CreateWorkspaceForm() {
  const { t } = useTranslation("workspaces");
  const navigate = useNavigate();
  // The slug field shows the name's slug until the user edits it; only an edited one is a value.
  const [slugEdited, setSlugEdited] = useState(false);
  // No default channel (it is permanent): the schema asks for one.
  const form = useSchemaForm(schema, { name: "", slug: "", description: "", environment: "DEVELOPMENT" });
  const { errors } = form.formState;
  const error = form.serverError;
  const [createWorkspace, { loading }] = useMutation(CreateWorkspaceDocument, {
    refetchQueries: [MeDocument],
    awaitRefetchQueries: true,
  });

  const name = form.watch("name");
  const customSlug = form.watch("slug");
  const slug = slugEdited ? customSlug : slugFromName(name);
  const channelError = errors.channel?.message === CHOOSE_CHANNEL ? t("create.chooseChannel") : errors.channel?.message;

  const onSubmit = async ({ name, slug, channel, environment, description }: Values) => {
    form.clearServerError();
    try {
      const { data } = await createWorkspace({
        variables: {
          input: {
            name,
            ...(slugEdited ? { slug } : {}),
            channel,
            environment,
            ...(description !== "" ? { description } : {}),
          },
        },
      });
      if (data !== undefined) void navigate(`/w/${data.createWorkspace.slug}`);
    } catch (caught) {
      form.failed(describeError(caught), FORM_FIELDS);
    }
  };

  return (
    <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
      <ErrorBanner error={error} fieldsShown={FORM_FIELDS} />

      <TextField
        label={t("create.name")}
        error={errors.name?.message}
        type="text"
        required
        autoComplete="off"
        {...form.register("name", { setValueAs: trimmed })}
      />

      <Field
        label={t("create.slug")}
        hint={
          <>
            <Trans
              ns="workspaces"
              i18nKey="create.usedInLinks"
              values={{ slug: slug === "" ? "…" : slug }}
              components={{ code: <code data-testid="slug-preview" /> }}
            />{" "}
            {slugEdited ? t("create.slugRule", { min: SLUG_MIN, max: SLUG_MAX }) : t("create.slugDerived")}
            {slugEdited && (
              <>
                {" "}
                <Button
                  variant="bare"
                  className="link-button"
                  onClick={() => {
                    setSlugEdited(false);
                    form.setValue("slug", "");
                    form.clearErrors("slug");
                  }}
                >
                  {t("create.deriveAgain")}
                </Button>
              </>
            )}
          </>
        }
        error={errors.slug?.message}
      >
        {(control) => (
          // Controlled: it shows the derived slug until edited, and only an edited one is the form's value.
          <Input
            {...control}
            name="slug"
            type="text"
            value={slug}
            maxLength={SLUG_MAX}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => {
              setSlugEdited(true);
              form.setValue("slug", event.target.value, {
                shouldDirty: true,
                shouldValidate: form.formState.isSubmitted,
              });
            }}
          />
        )}
      </Field>

      <fieldset
        className={errors.channel !== undefined ? "field field--invalid" : "field"}
        aria-describedby={errors.channel !== undefined ? "channel-permanent channel-error" : "channel-permanent"}
      >
        <legend>{t("create.channel")}</legend>
        {CHANNELS.map((value) => (
          <label key={value} className="choice">
            <Radio value={value} {...form.register("channel")} />
            <span>
              <strong>{t(`channels.${value}`)}</strong> — {t(`create.channelHints.${value}`)}
            </span>
          </label>
        ))}
        <p className="note" id="channel-permanent" data-testid="channel-permanent-note">
          {t("create.channelPermanent")}
        </p>
        {errors.channel !== undefined && (
          <p className="field__error" id="channel-error">
            {channelError}
          </p>
        )}
      </fieldset>

      <Select
        label={t("create.environment")}
        hint={t("create.environmentHint")}
        error={errors.environment?.message}
        {...form.register("environment")}
      >
        {ENVIRONMENTS.map((value) => (
          <option key={value} value={value}>
            {t(`environments.${value}`)}
          </option>
        ))}
      </Select>

      <Field label={t("create.description")} error={errors.description?.message}>
        {(control) => <textarea {...control} rows={3} {...form.register("description", { setValueAs: trimmed })} />}
      </Field>

      <FormActions submitLabel={t("create.submit")} pending={loading} pendingLabel={t("create.creating")} />
    </form>
  );
}
