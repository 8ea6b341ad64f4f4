/**
 * The operator's console for one conversation (/w/:slug/conversations/:id, issue 47): the header
 * (contact, channel, mode, status, assignee, live call, actions), the transcript with the team's
 * notes and activity, and the composer — all live.
 */
import { useQuery } from "@apollo/client/react";
import { useEffect, useId, useLayoutEffect, useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { useAbility } from "../../platform/ability.tsx";
import { describeError, errorCode } from "../../platform/errors.ts";
import { useMe } from "../../platform/session.tsx";
import { Button, Icon, ScrollRegion, Skeleton, SkeletonList } from "../../platform/ui/index.ts";
import { MembersDocument } from "../members/operations.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { Composer } from "./composer.tsx";
import { ConsoleHeader } from "./console-header.tsx";
import { contactLabel } from "./labels.ts";
import { buildTimeline } from "./timeline.ts";
import { TranscriptView } from "./transcript-view.tsx";
import { useConversation } from "./use-conversation.ts";

/** How close to the end (px) still counts as "reading the latest": new entries keep it in view. */
const FOLLOW_SLACK = 80;

function BackLink({ to }: { to: string }) {
  const { t } = useTranslation("conversations");
  return (
    <Link to={to} className="console__back">
      <Icon name="back" /> {t("console.back")}
    </Link>
  );
}

function ConsoleSkeleton({ backTo }: { backTo: string }) {
  const { t } = useTranslation("conversations");
  return (
    <div className="console" data-testid="console-loading">
      <BackLink to={backTo} />
      <div className="console__header">
        <Skeleton width="40%" height="1.6rem" />
        <Skeleton width="60%" />
      </div>
      <SkeletonList rows={4} label={t("console.loading")} />
    </div>
  );
}

interface ConsoleProps {
  readonly workspace: CurrentWorkspace;
  readonly conversationId: string;
  /** The inbox list, with its filters ("← Inbox" on a phone). */
  readonly backTo: string;
  /** Whether opening should move focus to the conversation's heading (the list is not beside it). */
  readonly takeFocus: () => boolean;
}

export function ConversationConsole({ workspace, conversationId, backTo, takeFocus }: ConsoleProps) {
  const { t } = useTranslation("conversations");
  const ability = useAbility();
  const me = useMe();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const data = useConversation(workspace.id, conversationId);
  const row = data.conversation.data?.conversation;
  const canAct = ability.can("assign", "Conversation") || ability.can("update", "Conversation");
  // Teammates to assign or mention; a viewer who can do neither does not need the list.
  const members = useQuery(MembersDocument, {
    variables: { workspaceId: workspace.id },
    skip: !canAct,
    fetchPolicy: "cache-first",
  });
  const teammates = useMemo(() => members.data?.members ?? [], [members.data]);
  const you = t("console.you");
  const memberNames = useMemo(
    () => new Map(teammates.map((member) => [member.id, member.user.id === me.id ? you : member.user.name])),
    [teammates, me.id, you],
  );

  // On a phone the list that had focus is gone: the reader starts at the conversation's heading.
  // Beside the list, focus stays on the row that opened it.
  const shown = row !== undefined;
  const takeFocusNow = useRef(takeFocus);
  useEffect(() => {
    takeFocusNow.current = takeFocus;
  });
  useEffect(() => {
    if (shown && takeFocusNow.current()) heading.current?.focus();
  }, [shown, conversationId]);

  const transcript = data.messages.data?.messages;
  const timeline = data.timeline.data;
  const entries =
    transcript === undefined
      ? []
      : buildTimeline({
          messages: transcript.edges.map(({ node }) => node),
          notes: timeline?.guidanceNotes ?? [],
          activity: timeline?.conversationActivity ?? [],
          callActions: timeline?.callActions ?? [],
          moreMessagesAfter: transcript.pageInfo.hasNextPage,
        });

  // Keep the latest in view (the first load, and new entries while the reader is at the end).
  const following = useRef(true);
  useEffect(() => {
    const box = scroller.current;
    if (!shown || box === null) return;
    const onScroll = () => {
      following.current = box.scrollHeight - box.scrollTop - box.clientHeight < FOLLOW_SLACK;
    };
    box.addEventListener("scroll", onScroll, { passive: true });
    return () => box.removeEventListener("scroll", onScroll);
  }, [shown]);
  useLayoutEffect(() => {
    const box = scroller.current;
    if (box !== null && following.current) box.scrollTop = box.scrollHeight;
  }, [entries.length]);

  if (row === undefined) {
    if (data.conversation.error !== undefined) {
      const missing = errorCode(data.conversation.error) === "NOT_FOUND";
      return (
        <div className="console">
          <title>
            {t("console.documentTitle", { title: missing ? t("console.notFound") : t("console.conversation") })}
          </title>
          <BackLink to={backTo} />
          <h2 tabIndex={-1} ref={heading}>
            {missing ? t("console.notFound") : t("console.conversation")}
          </h2>
          <p role="alert">{missing ? t("console.notFoundDetail") : describeError(data.conversation.error).message}</p>
        </div>
      );
    }
    return <ConsoleSkeleton backTo={backTo} />;
  }

  const name = contactLabel(row.contact);
  const canReadSafety = ability.can("read", "SafetyRule") || ability.can("create", "SafetyRule");
  return (
    <article className="console" aria-labelledby={headingId} data-testid="console">
      <title>{t("console.documentTitleWithInbox", { name })}</title>
      <BackLink to={backTo} />
      <ConsoleHeader
        workspace={workspace}
        conversation={row}
        teammates={teammates}
        viewerId={me.id}
        headingId={headingId}
        headingRef={heading}
        onChanged={data.rereadTimeline}
      />
      <ScrollRegion label={t("console.transcript")} className="console__scroll" ref={scroller}>
        <div className="console__timeline">
          {transcript === undefined ? (
            data.messages.error !== undefined ? (
              <p role="alert">{describeError(data.messages.error).message}</p>
            ) : (
              <SkeletonList rows={3} label={t("console.loadingMessages")} />
            )
          ) : entries.length === 0 ? (
            <p className="empty-state">{t("console.noMessages")}</p>
          ) : (
            <TranscriptView
              entries={entries}
              contactName={name}
              viewerId={me.id}
              memberNames={memberNames}
              safetyRulesPath={canReadSafety ? `/w/${workspace.slug}/safety` : undefined}
            />
          )}
          {data.timeline.error !== undefined && (
            <p className="muted small">
              {t("console.timelineError", { message: describeError(data.timeline.error).message })}
            </p>
          )}
          {transcript?.pageInfo.hasNextPage === true && (
            <Button variant="bare" className="pager" disabled={data.messages.loading} onClick={data.loadLaterMessages}>
              {data.messages.loading ? t("console.loadingMore") : t("console.loadLater")}
            </Button>
          )}
          {row.transcript != null && row.transcript !== "" && (
            <details className="call-transcript">
              <summary>{t("console.fullTranscript")}</summary>
              <p className="wrap">{row.transcript}</p>
              {row.recordingUrl != null && (
                <a href={row.recordingUrl} target="_blank" rel="noreferrer">
                  {t("console.recording")}
                </a>
              )}
            </details>
          )}
        </div>
      </ScrollRegion>
      <Composer
        workspaceId={workspace.id}
        workspaceChannel={workspace.channel}
        agentPaused={workspace.agentPaused}
        conversation={row}
        teammates={teammates}
        viewerId={me.id}
        onReplySent={data.messageSent}
        onNoteAdded={data.addNote}
        onChanged={data.rereadTimeline}
      />
    </article>
  );
}
