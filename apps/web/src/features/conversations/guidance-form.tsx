/**
 * The composer's "Guidance" form: a private note the agent reads before its next reply (or, on a
 * live call, hears at once); teammates can be @mentioned and are notified.
 */
import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import * as z from "zod/mini";

import { guidanceText } from "@atrium/validation";

import { type GuidanceNoteFieldsFragment, type MemberFieldsFragment } from "../../gql/graphql.ts";
import { describeError, errorCode } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { useSchemaForm } from "../../platform/forms.ts";
import { FormActions, Icon, SearchMenu, toast } from "../../platform/ui/index.ts";
import { AddGuidanceDocument } from "./console-operations.ts";
import { refusalOverrides } from "./refusals.ts";
import { type ConsoleConversation } from "./use-conversation.ts";
import { useRefreshPermissions } from "./use-refresh-permissions.ts";

/** The guidance form: the rule (blank, at most 2000 characters) is shared with the API. */
const guidanceForm = z.object({ text: guidanceText });
const GUIDANCE_FIELDS = ["text"] as const;

/** Mentioned teammates whose "@Name" is still in the text: deleting the mention from the text drops it. */
export function mentionedIds(text: string, mentions: readonly { id: string; name: string }[]): string[] {
  return mentions.filter((person) => text.includes(`@${person.name}`)).map((person) => person.id);
}

interface GuidanceFormProps {
  readonly workspaceId: string;
  readonly conversation: ConsoleConversation;
  readonly teammates: readonly MemberFieldsFragment[];
  readonly viewerId: string;
  /** A note was added: it joins the transcript now (its live event may come later). */
  readonly onNoteAdded: (note: GuidanceNoteFieldsFragment) => void;
}

export function GuidanceForm({ workspaceId, conversation, teammates, viewerId, onNoteAdded }: GuidanceFormProps) {
  const { t } = useTranslation("conversations");
  const refreshPermissions = useRefreshPermissions();
  const form = useSchemaForm(guidanceForm, { text: "" });
  const text = form.watch("text");
  const [mentions, setMentions] = useState<readonly { id: string; name: string }[]>([]);
  const [add, { loading }] = useMutation(AddGuidanceDocument);
  const toCall = conversation.callLive;
  const onSubmit = async ({ text }: z.output<typeof guidanceForm>) => {
    form.clearServerError();
    const mentionUserIds = mentionedIds(text, mentions);
    try {
      const result = await add({
        variables: { workspaceId, conversationId: conversation.id, text: text.trim(), mentionUserIds },
      });
      if (result.data != null) onNoteAdded(result.data.addGuidance);
      form.reset({ text: "" });
      setMentions([]);
      toast(
        toCall
          ? t("composer.guidanceSentToCall")
          : mentionUserIds.length > 0
            ? t("composer.noteAddedNotified")
            : t("composer.noteAdded"),
      );
    } catch (caught) {
      form.failed(describeError(caught, refusalOverrides("guide")), GUIDANCE_FIELDS);
      if (errorCode(caught) === "FORBIDDEN") refreshPermissions();
    }
  };
  const mention = (userId: string) => {
    const person = teammates.find((member) => member.user.id === userId)?.user;
    if (person === undefined) return;
    const current = form.getValues("text");
    const spacer = current === "" || current.endsWith(" ") ? "" : " ";
    form.setValue("text", `${current}${spacer}@${person.name} `, { shouldValidate: form.formState.isSubmitted });
    setMentions((was) =>
      was.some(({ id }) => id === person.id) ? was : [...was, { id: person.id, name: person.name }],
    );
    form.setFocus("text");
  };
  const stillMentioned = mentions.filter((person) => text.includes(`@${person.name}`));
  return (
    <form
      className="form composer__form composer__form--note"
      onSubmit={(event) => void form.handleSubmit(onSubmit)(event)}
      aria-label={t("composer.guidanceFormLabel")}
      noValidate
    >
      <ErrorBanner error={form.serverError} fieldsShown={GUIDANCE_FIELDS} />
      <Field
        label={t("composer.guidanceLabel")}
        hint={toCall ? t("composer.guidanceHintCall") : t("composer.guidanceHint")}
        error={form.formState.errors.text?.message}
      >
        {(control) => (
          <textarea {...control} rows={2} placeholder={t("composer.guidancePlaceholder")} {...form.register("text")} />
        )}
      </Field>
      {stillMentioned.length > 0 && (
        <p className="composer__mentions muted">
          {t("composer.notifies", { names: stillMentioned.map((person) => `@${person.name}`).join(", ") })}
        </p>
      )}
      <FormActions
        submitLabel={toCall ? t("composer.sendToCall") : t("composer.addNote")}
        pending={loading}
        pendingLabel={t("composer.sending")}
        disabled={text.trim() === ""}
      >
        {teammates.length > 1 && (
          <SearchMenu
            label={t("composer.mentionLabel")}
            listLabel={t("composer.teammates")}
            value={
              <>
                <Icon name="at" /> {t("composer.mention")}
              </>
            }
            items={teammates
              .filter((member) => member.user.id !== viewerId)
              .map((member) => ({ id: member.user.id, label: member.user.name, hint: member.user.email }))}
            onSelect={mention}
            searchLabel={t("header.findTeammate")}
            emptyText={t("header.noTeammate")}
          />
        )}
      </FormActions>
    </form>
  );
}
