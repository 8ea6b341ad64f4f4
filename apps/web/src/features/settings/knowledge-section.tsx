/** Issue 56: what the agent knows about the business, given to it in every turn (plain text). */
import { WhyCantI } from "../access/why-cant-i.tsx";
import { useMutation } from "@apollo/client/react";
import { KNOWLEDGE_LABELS, KNOWLEDGE_LIMITS, type KnowledgeField, knowledgeFaqs, knowledgeHours, knowledgePrices, knowledgeServices } from "@atrium/validation";
import { useEffect } from "react";
import * as z from "zod/mini";
import { type AgentSettingsFieldsFragment } from "../../gql/graphql.ts";
import { Field } from "../../platform/form-controls.tsx";
import { serverFieldMessage, useSchemaForm } from "../../platform/forms.ts";
import { FormActions } from "../../platform/ui/index.ts";
import { UpdateAgentKnowledgeDocument } from "./agent-operations.ts";
import { SaveStatus, SettingsSection, useSave } from "./section.tsx";

const schema = z.object({ hours: knowledgeHours, services: knowledgeServices, prices: knowledgePrices, faqs: knowledgeFaqs });
const FIELDS: readonly KnowledgeField[] = ["hours", "services", "prices", "faqs"];
const HINTS: Record<KnowledgeField, string> = {
  hours: "For example: Mon–Fri 8:00–18:00, Sat 9:00–13:00, closed on public holidays.",
  services: "What you offer, one per line.",
  prices: "Only prices the agent may quote; it never invents others.",
  faqs: "Questions leads ask, each with its answer.",
};

export function KnowledgeSection({ workspaceId, settings, canUpdate }: { workspaceId: string; settings: AgentSettingsFieldsFragment; canUpdate: boolean }) {
  const k = settings.knowledge;
  const form = useSchemaForm(schema, { hours: k.hours ?? "", services: k.services ?? "", prices: k.prices ?? "", faqs: k.faqs ?? "" });
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
      title="Business knowledge"
      description={<p className="muted">The agent reads this before every reply and answers from it only; anything not here, it says a teammate will confirm.</p>}
    >
      <form
        className="form"
        onSubmit={(event) => void form.handleSubmit((input) => save.run(() => update({ variables: { workspaceId, input } }), "Saved the business knowledge."))(event)}
        noValidate
      >
        {FIELDS.map((field) => (
          <Field key={field} label={KNOWLEDGE_LABELS[field]} hint={`${HINTS[field]} ${values[field].length.toLocaleString("en")} / ${KNOWLEDGE_LIMITS[field].toLocaleString("en")} characters.`} error={form.formState.errors[field]?.message}>
            {(control) => <textarea {...control} rows={field === "faqs" ? 6 : 3} disabled={!canUpdate} {...form.register(field)} />}
          </Field>
        ))}
        <SaveStatus save={save} fieldsShown={FIELDS} />
        {!canUpdate && <WhyCantI workspaceId={workspaceId} action="update" subject="Workspace" label="Why can't I change this?" />}
        {canUpdate && <FormActions submitLabel="Save knowledge" pending={save.saving} pendingLabel="Saving…" />}
      </form>
    </SettingsSection>
  );
}
