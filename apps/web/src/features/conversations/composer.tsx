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
import { useMutation } from "@apollo/client/react";
import { subject } from "@casl/ability";
import { useEffect, useId, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import * as z from "zod/mini";

import { replyBody } from "@atrium/validation";

import {
  type ConversationChannel,
  type ConversationMode,
  type GuidanceNoteFieldsFragment,
  type MemberFieldsFragment,
} from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { describeError, errorCode } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { Button, FormActions, Icon, tabPanelProps, Tabs } from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { SendManualReplyDocument, TakeOverConversationDocument } from "./console-operations.ts";
import { GuidanceForm } from "./guidance-form.tsx";
import { agentState, callStatusText } from "./labels.ts";
import { refusalOverrides } from "./refusals.ts";
import { WhatsAppReplyGate } from "./template-send.tsx";
import { type ConsoleConversation } from "./use-conversation.ts";
import { useRefreshPermissions } from "./use-refresh-permissions.ts";

/** The reply form, keyed by ManualReplyInput's field (the API's error key); the rule is shared with the API. */
const replyForm = z.object({ body: replyBody });
const REPLY_FIELDS = ["body"] as const;

type Mode = "reply" | "guidance";

/**
 * What the operator has typed and not sent, per conversation, for as long as the app is open: it
 * is there again when they come back to the conversation, and when the reply box is shown again
 * after a moment without it (the conversation briefly back in the agent's hands, the WhatsApp
 * window re-checked), so nothing typed is lost to a re-render. Sent, it is gone.
 */
const replyDrafts = new Map<string, string>();

/** The unsent reply of a conversation ("" when there is none). */
export function replyDraft(conversationId: string): string {
  return replyDrafts.get(conversationId) ?? "";
}

/** A phone call: no written reply to the contact (a Voice workspace has no WhatsApp sender at all). */
export function isCall(
  conversation: { channel: ConversationChannel; callStatus?: string | null },
  workspaceChannel: ConversationChannel,
): boolean {
  return (
    conversation.channel === "VOICE" ||
    workspaceChannel === "VOICE" ||
    (conversation.callStatus != null && conversation.callStatus !== "")
  );
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

function ReplyForm({
  workspaceId,
  conversationId,
  mode,
  onSent,
}: {
  workspaceId: string;
  conversationId: string;
  mode: ConversationMode;
  onSent: (messageId: string) => void;
}) {
  const { t } = useTranslation("conversations");
  const refreshPermissions = useRefreshPermissions();
  const form = useSchemaForm(replyForm, { body: replyDraft(conversationId) });
  const body = form.watch("body");
  useEffect(() => {
    if (body === "") replyDrafts.delete(conversationId);
    else replyDrafts.set(conversationId, body);
  }, [body, conversationId]);
  const [notice, setNotice] = useState<string>();
  const [send, { loading }] = useMutation(SendManualReplyDocument);
  const onSubmit = async ({ body }: z.output<typeof replyForm>) => {
    form.clearServerError();
    setNotice(undefined);
    try {
      const result = await send({ variables: { workspaceId, conversationId, input: { body } } });
      replyDrafts.delete(conversationId);
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
    <form
      className="form composer__form"
      onSubmit={(event) => void form.handleSubmit(onSubmit)(event)}
      aria-label={t("composer.replyFormLabel")}
      noValidate
    >
      <ErrorBanner error={form.serverError} fieldsShown={REPLY_FIELDS} />
      {notice !== undefined && (
        <div className="banner banner--warning" role="status">
          {notice}
        </div>
      )}
      <Field label={t("composer.replyLabel")} error={form.formState.errors.body?.message}>
        {(control) => (
          <textarea
            {...control}
            rows={2}
            placeholder={t("composer.replyPlaceholder")}
            {...form.register("body", { setValueAs: trimmed })}
          />
        )}
      </Field>
      <FormActions
        submitLabel={t("composer.sendReply")}
        pending={loading}
        pendingLabel={t("composer.sending")}
        disabled={body === ""}
      />
    </form>
  );
}

function ReplyUnavailable({
  workspaceId,
  agentPaused,
  conversation,
  onChanged,
}: {
  workspaceId: string;
  agentPaused: boolean;
  conversation: ConsoleConversation;
  onChanged: () => void;
}) {
  const { t } = useTranslation("conversations");
  const ability = useAbility();
  const refreshPermissions = useRefreshPermissions();
  const [takeOver, { loading, error }] = useMutation(TakeOverConversationDocument, {
    variables: { workspaceId, id: conversation.id },
  });
  if (conversation.mode === "AI") {
    const paused =
      agentState({
        agentPaused,
        mode: conversation.mode,
        channel: conversation.channel,
        callLive: conversation.callLive,
      }).kind === "PAUSED";
    return (
      <div className="composer__blocked">
        <p>{paused ? t("composer.agentPausedTakeOver") : t("composer.agentReplyingTakeOver")}</p>
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
          <WhyCantI
            workspaceId={workspaceId}
            action="update"
            subject={CONVERSATION}
            label={t("composer.whyCantTakeOver")}
          />
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
          <span className="live-dot" aria-hidden="true" />{" "}
          {t("callPanel.live", { status: callStatusText(conversation.callStatus) })}
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
          ? t("callPanel.endedWithStatus", {
              status: callStatusText(conversation.callStatus).toLocaleLowerCase(i18n.language),
            })
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
      <div
        {...tabPanelProps(panelId, mode)}
        className={mode === "guidance" ? "composer__panel composer__panel--note" : "composer__panel"}
      >
        {mode === "reply" ? (
          canReply ? (
            <WhatsAppReplyGate workspaceId={workspaceId} conversation={conversation} onSent={onReplySent}>
              <ReplyForm
                // Another conversation is another draft: the form starts again with its own.
                key={conversation.id}
                workspaceId={workspaceId}
                conversationId={conversation.id}
                mode={conversation.mode}
                onSent={onReplySent}
              />
            </WhatsAppReplyGate>
          ) : (
            <ReplyUnavailable
              workspaceId={workspaceId}
              agentPaused={agentPaused}
              conversation={conversation}
              onChanged={onChanged}
            />
          )
        ) : (
          guidance
        )}
      </div>
    </section>
  );
}
