/**
 * The console's composer, in two modes: "Reply" — a message to the contact, by hand, while a
 * person has the conversation (mode HUMAN, and message.send) — and "Guidance" — a private note
 * the agent reads before its next reply (or, on a live call, hears at once); teammates can be
 * @mentioned and are notified.
 *
 * A phone call (a VOICE conversation, or any conversation of a Voice workspace, which has no
 * WhatsApp sender) never offers the WhatsApp reply box (issue 56, item 7): while the call is live
 * the panel is the call's controls (guidance the agent hears at once; Join call is in the
 * header), and once it has ended it says so and points to the transcript.
 */
import { useApolloClient, useMutation } from "@apollo/client/react";
import { subject } from "@casl/ability";
import { guidanceText, replyBody } from "@atrium/validation";
import { type ReactNode, useCallback, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import * as z from "zod/mini";
import { type ConversationChannel, type ConversationMode, type GuidanceNoteFieldsFragment, type MemberFieldsFragment } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { describeError, errorCode } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { Button, FormActions, Icon, SearchMenu, tabPanelProps, Tabs, toast } from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { agentState, callStatusText } from "./labels.ts";
import { AddGuidanceDocument, SendManualReplyDocument, TakeOverConversationDocument } from "./operations.ts";
import { refusalOverrides } from "./refusals.ts";
import { WhatsAppReplyGate } from "./template-send.tsx";
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

/**
 * After a FORBIDDEN: the workspace's permissions are read again (the workspace shell's query), so
 * the whole page follows the viewer's current role instead of offering what was refused.
 */
export function useRefreshPermissions(): () => void {
  const client = useApolloClient();
  return useCallback(() => {
    void Promise.resolve(client.refetchQueries({ include: ["WorkspaceHome"] })).catch(() => undefined);
  }, [client]);
}

/** A phone call: no written reply to the contact (a Voice workspace has no WhatsApp sender at all). */
export function isCall(conversation: { channel: ConversationChannel; callStatus?: string | null }, workspaceChannel: ConversationChannel): boolean {
  return conversation.channel === "VOICE" || workspaceChannel === "VOICE" || (conversation.callStatus != null && conversation.callStatus !== "");
}

interface ComposerProps {
  readonly workspaceId: string;
  /** The workspace's channel: a Voice workspace's conversations are calls. */
  readonly workspaceChannel: ConversationChannel;
  /** The workspace's agent switch (SPEC W6): paused, nobody answers an AI-mode conversation. */
  readonly agentPaused: boolean;
  readonly conversation: ConsoleConversation;
  readonly teammates: readonly MemberFieldsFragment[];
  readonly viewerId: string;
  readonly onReplySent: (messageId: string) => void;
  /** A note was added: it joins the transcript now (its live event may come later). */
  readonly onNoteAdded: (note: GuidanceNoteFieldsFragment) => void;
  readonly onChanged: () => void;
}

/** The CASL subject of the console's checks. */
const CONVERSATION = "Conversation";

function ReplyForm({ workspaceId, conversationId, mode, onSent }: { workspaceId: string; conversationId: string; mode: ConversationMode; onSent: (messageId: string) => void }) {
  const { t } = useTranslation("conversations");
  const refreshPermissions = useRefreshPermissions();
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
      if (message?.status === "SUPPRESSED") setNotice(t("composer.replySuppressed"));
      if (message != null) onSent(message.id);
    } catch (caught) {
      form.failed(describeError(caught, refusalOverrides("reply", mode)), REPLY_FIELDS);
      if (errorCode(caught) === "FORBIDDEN") refreshPermissions();
    }
  };
  return (
    <form className="form composer__form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} aria-label={t("composer.replyFormLabel")} noValidate>
      <ErrorBanner error={form.serverError} fieldsShown={REPLY_FIELDS} />
      {notice !== undefined && (
        <div className="banner banner--warning" role="status">
          {notice}
        </div>
      )}
      <Field label={t("composer.replyLabel")} error={form.formState.errors.body?.message}>
        {(control) => <textarea {...control} rows={2} placeholder={t("composer.replyPlaceholder")} {...form.register("body", { setValueAs: trimmed })} />}
      </Field>
      <FormActions submitLabel={t("composer.sendReply")} pending={loading} pendingLabel={t("composer.sending")} disabled={body === ""} />
    </form>
  );
}

function GuidanceForm({ workspaceId, conversation, teammates, viewerId, onNoteAdded }: Pick<ComposerProps, "workspaceId" | "conversation" | "teammates" | "viewerId" | "onNoteAdded">) {
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
      const result = await add({ variables: { workspaceId, conversationId: conversation.id, text: text.trim(), mentionUserIds } });
      if (result.data != null) onNoteAdded(result.data.addGuidance);
      form.reset({ text: "" });
      setMentions([]);
      toast(toCall ? t("composer.guidanceSentToCall") : mentionUserIds.length > 0 ? t("composer.noteAddedNotified") : t("composer.noteAdded"));
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
    setMentions((was) => (was.some(({ id }) => id === person.id) ? was : [...was, { id: person.id, name: person.name }]));
    form.setFocus("text");
  };
  const stillMentioned = mentions.filter((person) => text.includes(`@${person.name}`));
  return (
    <form className="form composer__form composer__form--note" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} aria-label={t("composer.guidanceFormLabel")} noValidate>
      <ErrorBanner error={form.serverError} fieldsShown={GUIDANCE_FIELDS} />
      <Field
        label={t("composer.guidanceLabel")}
        hint={toCall ? t("composer.guidanceHintCall") : t("composer.guidanceHint")}
        error={form.formState.errors.text?.message}
      >
        {(control) => <textarea {...control} rows={2} placeholder={t("composer.guidancePlaceholder")} {...form.register("text")} />}
      </Field>
      {stillMentioned.length > 0 && <p className="composer__mentions muted">{t("composer.notifies", { names: stillMentioned.map((person) => `@${person.name}`).join(", ") })}</p>}
      <FormActions submitLabel={toCall ? t("composer.sendToCall") : t("composer.addNote")} pending={loading} pendingLabel={t("composer.sending")} disabled={text.trim() === ""}>
        {teammates.length > 1 && (
          <SearchMenu
            label={t("composer.mentionLabel")}
            listLabel={t("composer.teammates")}
            value={
              <>
                <Icon name="at" /> {t("composer.mention")}
              </>
            }
            items={teammates.filter((member) => member.user.id !== viewerId).map((member) => ({ id: member.user.id, label: member.user.name, hint: member.user.email }))}
            onSelect={mention}
            searchLabel={t("header.findTeammate")}
            emptyText={t("header.noTeammate")}
          />
        )}
      </FormActions>
    </form>
  );
}

function ReplyUnavailable({ workspaceId, agentPaused, conversation, onChanged }: { workspaceId: string; agentPaused: boolean; conversation: ConsoleConversation; onChanged: () => void }) {
  const { t } = useTranslation("conversations");
  const ability = useAbility();
  const refreshPermissions = useRefreshPermissions();
  const [takeOver, { loading, error }] = useMutation(TakeOverConversationDocument, { variables: { workspaceId, id: conversation.id } });
  if (conversation.mode === "AI") {
    const paused = agentState({ agentPaused, mode: conversation.mode, channel: conversation.channel, callLive: conversation.callLive }).kind === "PAUSED";
    return (
      <div className="composer__blocked">
        <p>
          {paused ? t("composer.agentPausedTakeOver") : t("composer.agentReplyingTakeOver")}
        </p>
        {ability.can("update", "Conversation") ? (
          <Button
            variant="primary"
            disabled={loading}
            onClick={() =>
              void takeOver().then(onChanged, (caught: unknown) => {
                if (errorCode(caught) === "FORBIDDEN") refreshPermissions();
              })
            }
          >
            {t("composer.takeOverToReply")}
          </Button>
        ) : (
          <WhyCantI workspaceId={workspaceId} action="update" subject={CONVERSATION} label={t("composer.whyCantTakeOver")} />
        )}
        {error !== undefined && (
          <p className="field__error" role="alert">
            {describeError(error, refusalOverrides("takeOver")).message}
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="composer__blocked">
      <p>{t("composer.cannotReply")}</p>
      <WhyCantI workspaceId={workspaceId} action="send" subject={CONVERSATION} label={t("composer.whyCantReply")} />
    </div>
  );
}

/**
 * A call's panel, in place of the reply box: on a live call, guidance the agent hears at once
 * (and Join call, in the header); once the call has ended, what there is to read.
 */
function CallPanel(props: ComposerProps & { readonly guidance: ReactNode }) {
  const { t, i18n } = useTranslation("conversations");
  const { conversation, guidance } = props;
  if (conversation.callLive) {
    return (
      <section className="composer composer--call" aria-label={t("callPanel.liveLabel")} data-testid="call-panel">
        <p className="composer__call-status">
          <span className="live-dot" aria-hidden="true" /> {t("callPanel.live", { status: callStatusText(conversation.callStatus) })}
        </p>
        <div className="composer__panel composer__panel--note">{guidance}</div>
      </section>
    );
  }
  const hasTranscript = conversation.transcript != null && conversation.transcript !== "";
  return (
    <section className="composer composer--call" aria-label={t("callPanel.endedLabel")} data-testid="call-panel">
      <p className="composer__call-status muted">
        <Icon name="phone" />{" "}
        {conversation.callStatus != null && conversation.callStatus !== ""
          ? t("callPanel.endedWithStatus", { status: callStatusText(conversation.callStatus).toLocaleLowerCase(i18n.language) })
          : t("callPanel.ended")}{" "}
        {hasTranscript ? t("callPanel.transcriptAbove") : t("callPanel.transcriptPending")}
      </p>
    </section>
  );
}

export function Composer(props: ComposerProps) {
  const { t } = useTranslation("conversations");
  const { workspaceId, workspaceChannel, agentPaused, conversation, onReplySent, onChanged } = props;
  const ability = useAbility();
  const panelId = useId();
  // The rule is on the row: `send Conversation { humanTakeover: true }` (SPEC R3).
  const canReply = ability.can("send", subject("Conversation", { ...conversation, workspaceId }));
  const canGuide = ability.can("update", "Conversation");
  const call = isCall(conversation, workspaceChannel);
  const [mode, setMode] = useState<Mode>(() => (canReply || !canGuide ? "reply" : "guidance"));
  // Taking over is for replying: the composer turns to the reply when it becomes possible.
  const [couldReply, setCouldReply] = useState(canReply);
  if (couldReply !== canReply) {
    setCouldReply(canReply);
    if (canReply) setMode("reply");
  }

  const guidance = canGuide ? (
    <GuidanceForm {...props} />
  ) : (
    <div className="composer__blocked">
      <p>{t("composer.cannotGuide")}</p>
      <WhyCantI workspaceId={workspaceId} action="update" subject={CONVERSATION} label={t("composer.whyCantGuide")} />
    </div>
  );

  if (call) return <CallPanel {...props} guidance={guidance} />;

  return (
    <section className="composer" aria-label={t("composer.label")}>
      <Tabs
        label={t("composer.tabsLabel")}
        panelId={panelId}
        value={mode}
        onValueChange={setMode}
        items={[
          { value: "reply", label: t("composer.replyTab") },
          {
            value: "guidance",
            label: (
              <>
                <Icon name="lock" /> {t("composer.guidanceTab")}
              </>
            ),
          },
        ]}
      />
      <div {...tabPanelProps(panelId, mode)} className={mode === "guidance" ? "composer__panel composer__panel--note" : "composer__panel"}>
        {mode === "reply" ? (
          canReply ? (
            <WhatsAppReplyGate workspaceId={workspaceId} conversation={conversation} onSent={onReplySent}>
              <ReplyForm workspaceId={workspaceId} conversationId={conversation.id} mode={conversation.mode} onSent={onReplySent} />
            </WhatsAppReplyGate>
          ) : (
            <ReplyUnavailable workspaceId={workspaceId} agentPaused={agentPaused} conversation={conversation} onChanged={onChanged} />
          )
        ) : (
          guidance
        )}
      </div>
    </section>
  );
}
