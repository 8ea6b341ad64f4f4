/**
 * The console's transcript: messages (with their delivery status, and why one did not go out),
 * the team's private notes to the agent (with what became of them on a live call), and who did
 * what, in time order (`buildTimeline`).
 */
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import {
  type CallActionFieldsFragment,
  type ConversationTimelineQuery,
  type GuidanceNoteFieldsFragment,
  type MessageFieldsFragment,
} from "../../gql/graphql.ts";
import { formatMoment, formatTime } from "../../platform/format.ts";
import { Icon } from "../../platform/ui/index.ts";
import { activityText, callActionStatusText, messageStatusLabel, problemText, senderLabel } from "./labels.ts";
import { type TimelineEntry } from "./timeline.ts";

/** The activity a transfer request reads as (the audit action's name). */
const CALL_JOINED = "conversation.call_joined";

type Activity = ConversationTimelineQuery["conversationActivity"][number];
export type ConsoleEntry = TimelineEntry<
  MessageFieldsFragment,
  GuidanceNoteFieldsFragment,
  Activity,
  CallActionFieldsFragment
>;

function Time({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatTime(iso)}>
      {formatMoment(iso)}
    </time>
  );
}

function CallActionStatus({ action }: { action: Pick<CallActionFieldsFragment, "kind" | "status" | "errorMessage"> }) {
  const status = callActionStatusText(action);
  return (
    <span
      className={status.problem ? "call-action call-action--failed" : "call-action"}
      data-testid="call-action"
      data-status={action.status}
    >
      {status.text}
    </span>
  );
}

function MessageEntry({
  message,
  contactName,
  senderName,
  safetyRulesPath,
}: {
  message: MessageFieldsFragment;
  contactName: string;
  senderName?: string | undefined;
  safetyRulesPath?: string | undefined;
}) {
  const { t } = useTranslation("conversations");
  const status = messageStatusLabel(message.status);
  const problem = problemText(message);
  const classes = [
    "message",
    `message--${message.direction.toLowerCase()}`,
    message.status === "SUPPRESSED" ? "message--suppressed" : "",
    message.status === "BLOCKED" ? "message--blocked" : "",
  ].filter((name) => name !== "");
  return (
    <li className={classes.join(" ")} data-testid="message" data-status={message.status}>
      <div className="message__meta">
        <strong>{senderName ?? senderLabel(message.sender, contactName)}</strong>
        <Time iso={message.createdAt} />
        {status !== undefined && (
          <span className={status.problem ? "badge badge--warning" : "badge badge--muted"}>{status.text}</span>
        )}
      </div>
      <p className="message__body">{message.body}</p>
      {problem !== undefined && (
        <p className="message__problem" data-testid="message-problem">
          {problem}
          {message.status === "BLOCKED" && safetyRulesPath !== undefined && (
            <>
              {" "}
              <Link to={safetyRulesPath}>{t("transcript.seeSafetyRules")}</Link>
            </>
          )}
        </p>
      )}
    </li>
  );
}

function NoteEntry({ note, viewerId }: { note: GuidanceNoteFieldsFragment; viewerId: string }) {
  const { t } = useTranslation("conversations");
  const author =
    note.author == null
      ? t("transcript.formerTeammate")
      : note.author.id === viewerId
        ? t("transcript.you")
        : note.author.name;
  return (
    <li className="note-entry" data-testid="guidance-note">
      <div className="note-entry__meta">
        <Icon name="lock" />
        <strong>{t("transcript.noteTitle")}</strong>
        <span>
          · {author} · <Time iso={note.createdAt} />
        </span>
      </div>
      <p className="note-entry__body">{note.text}</p>
      <p className="note-entry__foot">
        <span>{t("transcript.teamOnly")}</span>
        {note.mentions.length > 0 && (
          <span>
            {t("transcript.notified", { names: note.mentions.map((person) => `@${person.name}`).join(", ") })}
          </span>
        )}
        {note.callAction != null && <CallActionStatus action={note.callAction} />}
      </p>
    </li>
  );
}

export function TranscriptView({
  entries,
  contactName,
  viewerId,
  memberNames,
  safetyRulesPath,
}: {
  entries: readonly ConsoleEntry[];
  contactName: string;
  viewerId: string;
  /** Teammates by membership id ("You" for the viewer): who sent a manual reply. */
  memberNames: ReadonlyMap<string, string>;
  /** Where a blocked message's rule can be read (absent: the viewer may not read safety rules). */
  safetyRulesPath?: string | undefined;
}) {
  const { t } = useTranslation("conversations");
  return (
    <ol className="transcript" aria-label={t("console.transcript")}>
      {entries.map((entry) => {
        switch (entry.kind) {
          case "message":
            return (
              <MessageEntry
                key={entry.key}
                message={entry.message}
                contactName={contactName}
                senderName={
                  entry.message.sender === "MEMBER" && entry.message.senderMembershipId != null
                    ? memberNames.get(entry.message.senderMembershipId)
                    : undefined
                }
                safetyRulesPath={safetyRulesPath}
              />
            );
          case "note":
            return <NoteEntry key={entry.key} note={entry.note} viewerId={viewerId} />;
          case "activity":
            return (
              <li key={entry.key} className="activity-line" data-testid="activity">
                <span>{activityText(entry.activity, viewerId)}</span> <Time iso={entry.at} />
              </li>
            );
          case "transfer":
            return (
              <li key={entry.key} className="activity-line" data-testid="activity">
                <Icon name="phone" />{" "}
                <span>{activityText({ action: CALL_JOINED, actor: entry.action.author }, viewerId)}</span>{" "}
                <Time iso={entry.at} /> <CallActionStatus action={entry.action} />
              </li>
            );
        }
      })}
    </ol>
  );
}
