import { WhyCantI } from "../access/why-cant-i.tsx";
import { useMutation, useQuery } from "@apollo/client/react";
import { subject } from "@casl/ability";
import { useState } from "react";
import { Link } from "react-router";
import { replyBody } from "@atrium/validation";
import * as z from "zod/mini";
import { useAbility } from "../../platform/ability.tsx";
import { describeError, errorCode } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { FormActions } from "../../platform/ui/index.ts";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { formatTime } from "../../platform/format.ts";
import { useLive } from "../../platform/live.ts";
import { Page } from "../../platform/page.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { messageStatusLabel, problemText, senderLabel } from "./labels.ts";
import { ConversationDocument, ConversationEventsDocument, MessagesDocument, SendManualReplyDocument, SetHumanTakeoverDocument } from "./operations.ts";

const PAGE_SIZE = 50;

/** The reply form, keyed by ManualReplyInput's field (the API's error key); the rule is shared with the API. */
const replyForm = z.object({ body: replyBody });
type ReplyForm = z.output<typeof replyForm>;
const REPLY_FIELDS = ["body"] as const;

function ReplyBox({ workspaceId, conversationId, onSent }: { workspaceId: string; conversationId: string; onSent: () => Promise<unknown> }) {
  const form = useSchemaForm(replyForm, { body: "" });
  const { errors } = form.formState;
  const body = form.watch("body");
  const [notice, setNotice] = useState<string>();
  const [send, { loading }] = useMutation(SendManualReplyDocument);
  const onSubmit = async ({ body }: ReplyForm) => {
    form.clearServerError();
    setNotice(undefined);
    try {
      const result = await send({ variables: { workspaceId, conversationId, input: { body } } });
      form.reset({ body: "" });
      if (result.data?.sendManualReply.status === "SUPPRESSED") setNotice("The agent is paused: the reply was recorded but not sent.");
      await onSent();
    } catch (caught) {
      form.failed(describeError(caught, { FORBIDDEN: "Take the conversation over before replying by hand." }), REPLY_FIELDS);
    }
  };
  return (
    <form className="form reply" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} aria-label="Manual reply" noValidate>
      <ErrorBanner error={form.serverError} fieldsShown={REPLY_FIELDS} />
      {notice !== undefined && (
        <div className="banner banner--success" role="status">
          {notice}
        </div>
      )}
      <Field label="Reply" error={errors.body?.message}>
        {(control) => <textarea {...control} rows={3} {...form.register("body", { setValueAs: trimmed })} />}
      </Field>
      <FormActions submitLabel="Send reply" pending={loading} pendingLabel="Sending…" disabled={body === ""} />
    </form>
  );
}

/** /w/:slug/conversations/:id: the transcript, human takeover, and manual replies during takeover. */
export function ConversationDetail({ workspace, conversationId }: { workspace: CurrentWorkspace; conversationId: string }) {
  const ability = useAbility();
  const workspaceId = workspace.id;
  const conversation = useQuery(ConversationDocument, { variables: { workspaceId, id: conversationId } });
  const messages = useQuery(MessagesDocument, {
    variables: { workspaceId, conversationId, first: PAGE_SIZE },
    notifyOnNetworkStatusChange: true,
    fetchPolicy: "cache-and-network",
  });
  const loaded = messages.data?.messages;

  // Live transcript (SPEC W4) over the socket: a status change or a conversation change lands in
  // the cache by id (the event carries the row) and the page re-renders; a new message is read
  // after the last loaded one, while every message is loaded (otherwise "Load later messages"
  // reaches it). After an interruption both queries are read again.
  useLive(ConversationEventsDocument, {
    variables: { workspaceId, conversationId },
    onEvent: ({ conversationEvents: event }) => {
      if (event.type !== "MESSAGE_ADDED" || event.message == null || loaded === undefined) return;
      const id = event.message.id;
      if (loaded.edges.some(({ node }) => node.id === id) || loaded.pageInfo.hasNextPage) return;
      const endCursor = loaded.pageInfo.endCursor;
      const next = endCursor == null ? messages.refetch() : messages.fetchMore({ variables: { after: endCursor, first: PAGE_SIZE } });
      void next.catch(() => undefined);
    },
    onResync: () => {
      void conversation.refetch().catch(() => undefined);
      void messages.refetch().catch(() => undefined);
    },
  });
  const [setTakeover, takeoverState] = useMutation(SetHumanTakeoverDocument);
  const back = (
    <p>
      <Link to={`/w/${workspace.slug}/conversations`}>← All conversations</Link>
    </p>
  );

  const row = conversation.data?.conversation;
  if (row === undefined) {
    if (conversation.error !== undefined) {
      return (
        <Page title={errorCode(conversation.error) === "NOT_FOUND" ? "Conversation not found" : "Conversation"}>
          {back}
          <p role="alert">{describeError(conversation.error).message}</p>
        </Page>
      );
    }
    return <p className="page-status">Loading conversation…</p>;
  }

  // The rule is on the row: `send Conversation { humanTakeover: true }` (SPEC R3).
  const canReply = ability.can("send", subject("Conversation", { ...row, workspaceId }));
  const canToggle = ability.can("update", "Conversation");
  const transcript = messages.data?.messages;

  return (
    <Page title={row.contact ? `Conversation with ${row.contact.name}` : "Conversation"}>
      {back}
      <div className="toolbar">
        <span className={row.humanTakeover ? "badge badge--warning" : "badge badge--muted"} data-testid="takeover-state">
          {row.humanTakeover ? "Human takeover" : "AI agent replying"}
        </span>
        {workspace.agentPaused && <span className="badge badge--warning">Agent paused</span>}
        {transcript !== undefined && !transcript.pageInfo.hasNextPage && (
          <span className="live-indicator" title="New messages and delivery updates appear as they happen">
            Live
          </span>
        )}
        <span className="toolbar__spacer" />
        {canToggle && (
          <label className="choice">
            <input
              type="checkbox"
              checked={row.humanTakeover}
              disabled={takeoverState.loading}
              onChange={(event) =>
                void setTakeover({ variables: { workspaceId, conversationId, enabled: event.target.checked } }).catch(() => undefined)
              }
            />
            Human takeover
          </label>
        )}
      </div>
      {takeoverState.error !== undefined && (
        <div className="banner banner--error" role="alert">
          {describeError(takeoverState.error).message}
        </div>
      )}

      {transcript === undefined ? (
        messages.error !== undefined ? (
          <p role="alert">{describeError(messages.error).message}</p>
        ) : (
          <p className="page-status">Loading messages…</p>
        )
      ) : transcript.edges.length === 0 ? (
        <p className="empty-state">No messages yet.</p>
      ) : (
        <ol className="transcript" aria-label="Transcript">
          {transcript.edges.map(({ node }) => {
            const status = messageStatusLabel(node.status);
            return (
              <li
                key={node.id}
                className={`message message--${node.direction.toLowerCase()}${node.status === "SUPPRESSED" ? " message--suppressed" : ""}`}
                data-testid="message"
                data-status={node.status}
              >
                <div className="message__meta">
                  <strong>{senderLabel(node.sender, row.contact?.name ?? "Contact")}</strong>
                  <time dateTime={node.createdAt}>{formatTime(node.createdAt)}</time>
                  {status !== undefined && <span className={status.problem ? "badge badge--warning" : "badge badge--muted"}>{status.text}</span>}
                </div>
                <p className="message__body">{node.body}</p>
                {problemText(node) !== undefined && (
                  <p className="message__problem" data-testid="message-problem">
                    {problemText(node)}
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {transcript?.pageInfo.hasNextPage === true && (
        <button
          type="button"
          className="pager"
          disabled={messages.loading}
          onClick={() => void messages.fetchMore({ variables: { after: transcript.pageInfo.endCursor } })}
        >
          {messages.loading ? "Loading…" : "Load later messages"}
        </button>
      )}

      {canReply ? (
        <ReplyBox workspaceId={workspaceId} conversationId={conversationId} onSent={() => messages.refetch()} />
      ) : (
        <div className="reply-refused">
          {ability.can("send", "Conversation") && <p className="muted">Take the conversation over to reply by hand.</p>}
          <WhyCantI workspaceId={workspaceId} action="send" subject="Conversation" label="Why can't I reply?" />
        </div>
      )}
    </Page>
  );
}
