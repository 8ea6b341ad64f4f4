/** Issue 56: what the agent knows about the business, given to it in every turn (plain text). */
import { useMutation } from "@apollo/client/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import * as z from "zod/mini";

import {
  KNOWLEDGE_LIMITS,
  knowledgeFaqs,
  knowledgeHours,
  knowledgePrices,
  knowledgeServices,
  type KnowledgeField,
} from "@atrium/validation";

import { type AgentSettingsFieldsFragment } from "../../gql/graphql.ts";
import { Field } from "../../platform/form-controls.tsx";
import { formatNumber } from "../../platform/format.ts";
import { serverFieldMessage, useSchemaForm } from "../../platform/forms.ts";
import { FormActions } from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { UpdateAgentKnowledgeDocument } from "./agent-operations.ts";
import { SaveStatus, SettingsSection, useSave } from "./section.tsx";

const schema = z.object({
  hours: knowledgeHours,
  services: knowledgeServices,
  prices: knowledgePrices,
  faqs: knowledgeFaqs,
});
const FIELDS: readonly KnowledgeField[] = ["hours", "services", "prices", "faqs"];
/** The CASL subject the settings need. */
const WORKSPACE = "Workspace";

export function KnowledgeSection({
  workspaceId,
  settings,
  canUpdate,
}: {
  workspaceId: string;
  settings: AgentSettingsFieldsFragment;
  canUpdate: boolean;
}) {
  const { t } = useTranslation("settings");
  const k = settings.knowledge;
  const form = useSchemaForm(schema, {
    hours: k.hours ?? "",
    services: k.services ?? "",
    prices: k.prices ?? "",
    faqs: k.faqs ?? "",
  });
  const [update] = useMutation(UpdateAgentKnowledgeDocument);
  const save = useSave();
  const values = form.watch();
  const { error } = save;
  const { setError } = form;
  useEffect(() => {
    for (const field of FIELDS) {
      const message = serverFieldMessage(error, field);
      if (message !== undefined) setError(field, { type: "server", message });
    }
  }, [error, setError]);

  return (
    <SettingsSection
      id="knowledge"
      title={t("knowledge.title")}
      description={<p className="muted">{t("knowledge.description")}</p>}
    >
      <form
        className="form"
        onSubmit={(event) =>
          void form.handleSubmit((input) =>
            save.run(() => update({ variables: { workspaceId, input } }), t("knowledge.saved")),
          )(event)
        }
        noValidate
      >
        {FIELDS.map((field) => (
          <Field
            key={field}
            label={t(`knowledge.fields.${field}.label`)}
            hint={t("knowledge.hint", {
              hint: t(`knowledge.fields.${field}.hint`),
              length: formatNumber(values[field].length),
              max: formatNumber(KNOWLEDGE_LIMITS[field]),
            })}
            error={form.formState.errors[field]?.message}
          >
            {(control) => (
              <textarea {...control} rows={field === "faqs" ? 6 : 3} disabled={!canUpdate} {...form.register(field)} />
            )}
          </Field>
        ))}
        <SaveStatus save={save} fieldsShown={FIELDS} />
        {!canUpdate && (
          <WhyCantI workspaceId={workspaceId} action="update" subject={WORKSPACE} label={t("whyCantChange")} />
        )}
        {canUpdate && (
          <FormActions submitLabel={t("knowledge.submit")} pending={save.saving} pendingLabel={t("saving")} />
        )}
      </form>
    </SettingsSection>
  );
}
