/**
 * The console's composer, in two modes: "Reply" — a message to the contact, by hand, while a
 * person has the conversation (mode HUMAN, and message.send) — and "Guidance" — a private note
 * the agent reads before its next reply (or, on a live call, hears at once); teammates can be
 * @mentioned and are notified. A voice conversation has no written reply: only guidance.
 */
import { useMutation } from "@apollo/client/react";
import { subject } from "@casl/ability";
import { guidanceText, replyBody } from "@atrium/validation";
import { useId, useState } from "react";
import * as z from "zod/mini";
import { type GuidanceNoteFieldsFragment, type MemberFieldsFragment } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { FormActions, Icon, SearchMenu, Tabs, tabPanelProps, toast } from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { AddGuidanceDocument, SendManualReplyDocument, TakeOverConversationDocument } from "./operations.ts";
import { type ConsoleConversation } from "./use-conversation.ts";

/** The reply form, keyed by ManualReplyInput's field (the API's error key); the rule is shared with the API. */
const replyForm = z.object({ body: replyBody });
const REPLY_FIELDS = ["body"] as const;

/** The guidance form: the rule (blank, at most 2000 characters) is shared with the API. */
const guidanceForm = z.object({ text: guidanceText });
const GUIDANCE_FIELDS = ["text"] as const;

/** Mentioned teammates whose "@Name" is still in the text: deleting the mention from the text drops it. */
export function mentionedIds(text: string, mentions: readonly { id: string; name: string }[]): string[] {
  return mentions.filter((person) => text.includes(`@${person.name}`)).map((person) => person.id);
}

type Mode = "reply" | "guidance";

interface ComposerProps {
  readonly workspaceId: string;
  readonly conversation: ConsoleConversation;
  readonly teammates: readonly MemberFieldsFragment[];
  readonly viewerId: string;
  readonly onReplySent: (messageId: string) => void;
  /** A note was added: it joins the transcript now (its live event may come later). */
  readonly onNoteAdded: (note: GuidanceNoteFieldsFragment) => void;
  readonly onChanged: () => void;
}

function ReplyForm({ workspaceId, conversationId, onSent }: { workspaceId: string; conversationId: string; onSent: (messageId: string) => void }) {
  const form = useSchemaForm(replyForm, { body: "" });
  const body = form.watch("body");
  const [notice, setNotice] = useState<string>();
  const [send, { loading }] = useMutation(SendManualReplyDocument);
  const onSubmit = async ({ body }: z.output<typeof replyForm>) => {
    form.clearServerError();
    setNotice(undefined);
    try {
      const result = await send({ variables: { workspaceId, conversationId, input: { body } } });
      form.reset({ body: "" });
      const message = result.data?.sendManualReply;
      if (message?.status === "SUPPRESSED") setNotice("The agent is paused: the reply was recorded but not sent.");
      if (message != null) onSent(message.id);
    } catch (caught) {
      form.failed(describeError(caught, { FORBIDDEN: "Take the conversation over before replying by hand." }), REPLY_FIELDS);
    }
  };
  return (
    <form className="form composer__form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} aria-label="Manual reply" noValidate>
      <ErrorBanner error={form.serverError} fieldsShown={REPLY_FIELDS} />
      {notice !== undefined && (
        <div className="banner banner--success" role="status">
          {notice}
        </div>
      )}
      <Field label="Reply" error={form.formState.errors.body?.message}>
        {(control) => <textarea {...control} rows={2} placeholder="Write to the contact on WhatsApp, as yourself…" {...form.register("body", { setValueAs: trimmed })} />}
      </Field>
      <FormActions submitLabel="Send reply" pending={loading} pendingLabel="Sending…" disabled={body === ""} />
    </form>
  );
}

function GuidanceForm({ workspaceId, conversation, teammates, viewerId, onNoteAdded }: Omit<ComposerProps, "onReplySent" | "onChanged">) {
  const form = useSchemaForm(guidanceForm, { text: "" });
  const text = form.watch("text");
  const [mentions, setMentions] = useState<readonly { id: string; name: string }[]>([]);
  const [add, { loading }] = useMutation(AddGuidanceDocument);
  const toCall = conversation.callLive;
  const onSubmit = async ({ text }: z.output<typeof guidanceForm>) => {
    form.clearServerError();
    const mentionUserIds = mentionedIds(text, mentions);
    try {
      const result = await add({ variables: { workspaceId, conversationId: conversation.id, text: text.trim(), mentionUserIds } });
      if (result.data != null) onNoteAdded(result.data.addGuidance);
      form.reset({ text: "" });
      setMentions([]);
      toast(toCall ? "Guidance sent to the call." : mentionUserIds.length > 0 ? "Note added; your teammates were notified." : "Note added for the agent.");
    } catch (caught) {
      form.failed(describeError(caught, { FORBIDDEN: "You cannot guide the agent in this workspace (conversation.manage)." }), GUIDANCE_FIELDS);
    }
  };
  const mention = (userId: string) => {
    const person = teammates.find((member) => member.user.id === userId)?.user;
    if (person === undefined) return;
    const current = form.getValues("text");
    const spacer = current === "" || current.endsWith(" ") ? "" : " ";
    form.setValue("text", `${current}${spacer}@${person.name} `, { shouldValidate: form.formState.isSubmitted });
    setMentions((was) => (was.some(({ id }) => id === person.id) ? was : [...was, { id: person.id, name: person.name }]));
    form.setFocus("text");
  };
  const stillMentioned = mentions.filter((person) => text.includes(`@${person.name}`));
  return (
    <form className="form composer__form composer__form--note" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} aria-label="Note to the agent" noValidate>
      <ErrorBanner error={form.serverError} fieldsShown={GUIDANCE_FIELDS} />
      <Field
        label="Guidance for the agent"
        hint={
          toCall
            ? "Sent to the call in progress: the agent follows it at once. Only your team sees it here."
            : "A private note: the agent reads it before its next reply. Only your team sees it; the contact never does."
        }
        error={form.formState.errors.text?.message}
      >
        {(control) => <textarea {...control} rows={2} placeholder="e.g. Offer Thursday 3 pm; don't discuss prices." {...form.register("text")} />}
      </Field>
      {stillMentioned.length > 0 && <p className="composer__mentions muted">Notifies {stillMentioned.map((person) => `@${person.name}`).join(", ")}</p>}
      <FormActions submitLabel={toCall ? "Send to call" : "Add note"} pending={loading} pendingLabel="Sending…" disabled={text.trim() === ""}>
        {teammates.length > 1 && (
          <SearchMenu
            label="Mention a teammate"
            listLabel="Teammates"
            value={
              <>
                <Icon name="at" /> Mention
              </>
            }
            items={teammates.filter((member) => member.user.id !== viewerId).map((member) => ({ id: member.user.id, label: member.user.name, hint: member.user.email }))}
            onSelect={mention}
            searchLabel="Find a teammate"
            emptyText="No teammate matches"
          />
        )}
      </FormActions>
    </form>
  );
}

function ReplyUnavailable({ workspaceId, conversation, onChanged }: { workspaceId: string; conversation: ConsoleConversation; onChanged: () => void }) {
  const ability = useAbility();
  const [takeOver, { loading, error }] = useMutation(TakeOverConversationDocument, { variables: { workspaceId, id: conversation.id } });
  if (conversation.mode === "AI") {
    return (
      <div className="composer__blocked">
        <p>The AI agent is replying in this conversation. Take over to reply yourself: the agent stops until you hand it back.</p>
        {ability.can("update", "Conversation") ? (
          <button type="button" className="button button--primary" disabled={loading} onClick={() => void takeOver().then(onChanged, () => undefined)}>
            Take over to reply
          </button>
        ) : (
          <WhyCantI workspaceId={workspaceId} action="update" subject="Conversation" label="Why can't I take over?" />
        )}
        {error !== undefined && (
          <p className="field__error" role="alert">
            {describeError(error).message}
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="composer__blocked">
      <p>You can&apos;t send replies in this workspace.</p>
      <WhyCantI workspaceId={workspaceId} action="send" subject="Conversation" label="Why can't I reply?" />
    </div>
  );
}

export function Composer(props: ComposerProps) {
  const { workspaceId, conversation, onReplySent, onChanged } = props;
  const ability = useAbility();
  const panelId = useId();
  // The rule is on the row: `send Conversation { humanTakeover: true }` (SPEC R3).
  const canReply = ability.can("send", subject("Conversation", { ...conversation, workspaceId }));
  const canGuide = ability.can("update", "Conversation");
  const voice = conversation.channel === "VOICE";
  const [mode, setMode] = useState<Mode>(() => (!voice && (canReply || !canGuide) ? "reply" : "guidance"));
  // Taking over is for replying: the composer turns to the reply when it becomes possible.
  const [couldReply, setCouldReply] = useState(canReply);
  if (couldReply !== canReply) {
    setCouldReply(canReply);
    if (canReply) setMode("reply");
  }
  const shown: Mode = voice ? "guidance" : mode;

  const guidance = canGuide ? (
    <GuidanceForm {...props} />
  ) : (
    <div className="composer__blocked">
      <p>Only teammates who can manage conversations can guide the agent.</p>
      <WhyCantI workspaceId={workspaceId} action="update" subject="Conversation" label="Why can't I add guidance?" />
    </div>
  );

  return (
    <section className="composer" aria-label="Composer">
      {!voice && (
        <Tabs
          label="Write"
          panelId={panelId}
          value={shown}
          onValueChange={setMode}
          items={[
            { value: "reply", label: "Reply" },
            {
              value: "guidance",
              label: (
                <>
                  <Icon name="lock" /> Guidance
                </>
              ),
            },
          ]}
        />
      )}
      <div {...(voice ? { id: panelId } : tabPanelProps(panelId, shown))} className={shown === "guidance" ? "composer__panel composer__panel--note" : "composer__panel"}>
        {shown === "reply" ? (
          canReply ? (
            <ReplyForm workspaceId={workspaceId} conversationId={conversation.id} onSent={onReplySent} />
          ) : (
            <ReplyUnavailable workspaceId={workspaceId} conversation={conversation} onChanged={onChanged} />
          )
        ) : (
          guidance
        )}
      </div>
    </section>
  );
}
