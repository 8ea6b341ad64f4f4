/**
 * A campaign's draft, new or edited (updateCampaign, drafts only): the message with a live
 * preview, the audience — a tag that exists (contactTags) and contacts from a searchable picker —
 * and, in a WhatsApp workspace, the approved template it sends to people outside the 24-hour window.
 */
import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import {
  CAMPAIGN_MESSAGE_MAX,
  CAMPAIGN_NAME_MAX,
  campaignForm,
  campaignTemplateProblem,
  TEMPLATE_VARIABLES,
  type CampaignForm as CampaignFormValues,
} from "@atrium/validation";

import { type CampaignFieldsFragment } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { serverFieldMessage, trimmed, useSchemaForm } from "../../platform/forms.ts";
import { FormActions, Select, SelectInput, TextField } from "../../platform/ui/index.ts";
import { ContactTagsDocument } from "../contacts/operations.ts";
import { MessageTemplatesDocument } from "../settings/template-operations.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { ContactPicker, type PickedContact } from "./contact-picker.tsx";
import { CampaignsDocument, CreateCampaignDocument, UpdateCampaignDocument } from "./operations.ts";
import { previewTemplate } from "./template.ts";

/** The draft's fields, named like CreateCampaignInput's (server field errors land beside them). */
const CAMPAIGN_FIELDS = ["name", "message", "tag"] as const;
const FIELDS_SHOWN = [...CAMPAIGN_FIELDS, "contactIds", "templateId"];

interface CampaignFormProps {
  readonly workspace: CurrentWorkspace;
  /** The draft to edit; absent: a new campaign. */
  readonly campaign?: CampaignFieldsFragment;
  readonly onDone: (message?: string) => void;
}

export function CampaignForm({ workspace, campaign, onDone }: CampaignFormProps) {
  const { t } = useTranslation("campaigns");
  const ability = useAbility();
  const whatsapp = workspace.channel === "WHATSAPP";
  const form = useSchemaForm(campaignForm, {
    name: campaign?.name ?? "",
    message: campaign?.message ?? t("form.defaultMessage", { firstName: "{{firstName}}" }),
    tag: campaign?.tag ?? "",
  });
  const { errors } = form.formState;
  const error = form.serverError;
  const message = form.watch("message");
  const [chosen, setChosen] = useState<ReadonlyMap<string, PickedContact | null>>(
    () => new Map((campaign?.contactIds ?? []).map((id) => [id, null])),
  );
  const [templateId, setTemplateId] = useState(campaign?.templateId ?? "");
  const tags = useQuery(ContactTagsDocument, {
    variables: { workspaceId: workspace.id },
    fetchPolicy: "cache-and-network",
  });
  const templates = useQuery(MessageTemplatesDocument, {
    variables: { workspaceId: workspace.id },
    fetchPolicy: "cache-and-network",
    skip: !whatsapp,
  });
  const [create, created] = useMutation(CreateCampaignDocument, { refetchQueries: [CampaignsDocument] });
  const [update, updated] = useMutation(UpdateCampaignDocument);
  // Shown as the message is typed, not only on saving: a stray brace is easy to miss.
  const problem = campaignTemplateProblem(message);
  const sample = [...chosen.values()].find((c) => c !== null) ?? { name: t("form.sampleName"), phone: "+15550000000" };
  const tagOptions = tags.data?.contactTags ?? [];
  const savedTag = campaign?.tag ?? "";
  const templateList = templates.data?.messageTemplates ?? [];
  const templateError = serverFieldMessage(error, "templateId");
  const contactsError = serverFieldMessage(error, "contactIds");
  const title = campaign === undefined ? t("form.newTitle") : t("form.editTitle", { name: campaign.name });

  const onSubmit = async ({ name, message, tag }: CampaignFormValues) => {
    form.clearServerError();
    const input = {
      name,
      message,
      contactIds: [...chosen.keys()],
      tag: tag === "" ? null : tag,
      templateId: templateId === "" ? null : templateId,
    };
    try {
      if (campaign === undefined) {
        await create({ variables: { workspaceId: workspace.id, input } });
        onDone(t("form.savedDraft", { name }));
      } else {
        await update({ variables: { workspaceId: workspace.id, id: campaign.id, input } });
        onDone(t("form.savedChanges", { name }));
      }
    } catch (caught) {
      form.failed(describeError(caught), CAMPAIGN_FIELDS);
    }
  };

  return (
    <form
      className="form campaign-form"
      onSubmit={(event) => void form.handleSubmit(onSubmit)(event)}
      noValidate
      aria-label={title}
    >
      <h2>{title}</h2>
      <ErrorBanner error={error} fieldsShown={FIELDS_SHOWN} />
      <TextField
        label={t("form.name")}
        error={errors.name?.message}
        required
        maxLength={CAMPAIGN_NAME_MAX}
        {...form.register("name", { setValueAs: trimmed })}
      />
      <Field
        label={t("form.message")}
        hint={t("form.messageHint", {
          variables: TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(", "),
          name: sample.name,
          preview: previewTemplate(message, sample),
        })}
        error={errors.message?.message ?? problem}
      >
        {(control) => <textarea {...control} rows={3} maxLength={CAMPAIGN_MESSAGE_MAX} {...form.register("message")} />}
      </Field>
      {whatsapp && (
        <Field
          label={t("form.whatsappTemplate")}
          hint={
            templates.data !== undefined && templateList.length === 0 ? (
              <>
                {t("form.noTemplates")}{" "}
                {ability.can("update", "Workspace") ? (
                  <Link to={`/w/${workspace.slug}/settings/whatsapp-templates`}>{t("form.addTemplate")}</Link>
                ) : (
                  t("form.ownerAddsTemplates")
                )}
              </>
            ) : templateId === "" ? (
              t("form.withoutTemplate")
            ) : (
              t("form.withTemplate")
            )
          }
          error={templateError}
        >
          {(control) => (
            <SelectInput {...control} value={templateId} onChange={(event) => setTemplateId(event.target.value)}>
              <option value="">{t("form.noTemplate")}</option>
              {templateList.map((template) => (
                <option key={template.id} value={template.id}>
                  {template.name}
                </option>
              ))}
            </SelectInput>
          )}
        </Field>
      )}
      <Select
        label={t("form.tag")}
        hint={tagOptions.length === 0 && tags.data !== undefined ? t("form.noTagsYet") : undefined}
        error={errors.tag?.message}
        {...form.register("tag")}
      >
        <option value="">{t("form.noTag")}</option>
        {savedTag !== "" && !tagOptions.includes(savedTag) && (
          <option value={savedTag}>{t("form.tagGone", { tag: savedTag })}</option>
        )}
        {tagOptions.map((tag) => (
          <option key={tag} value={tag}>
            {tag}
          </option>
        ))}
      </Select>
      <ContactPicker workspaceId={workspace.id} chosen={chosen} onChange={setChosen} error={contactsError} />
      <FormActions
        submitLabel={campaign === undefined ? t("form.saveDraft") : t("form.saveChanges")}
        pending={created.loading || updated.loading}
        pendingLabel={t("form.saving")}
        onCancel={() => onDone()}
      />
    </form>
  );
}
