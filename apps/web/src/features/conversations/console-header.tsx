/**
 * The console's header: who the conversation is with and on which channel, its mode (AI agent or
 * a person), status, assignee and live call, and what the viewer may do with it — assign it,
 * take over or hand back, close or reopen, join the call. Each control is shown only when the
 * ability allows it (the API checks again).
 */
import { useMutation } from "@apollo/client/react";
import { useState, type Ref } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { type MemberFieldsFragment } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { describeError, errorCode, type UserFacingError } from "../../platform/errors.ts";
import { Button, Icon, SearchMenu, toast } from "../../platform/ui/index.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import {
  AssignConversationDocument,
  CloseConversationDocument,
  HandBackConversationDocument,
  ReopenConversationDocument,
  TakeOverConversationDocument,
} from "./console-operations.ts";
import { JoinCallDialog } from "./join-call-dialog.tsx";
import { AGENT_STATE_BADGE_CLASSES, agentState, callStatusText, channelLabel, contactLabel } from "./labels.ts";
import { refusalOverrides, type ConsoleAct } from "./refusals.ts";
import { type ConsoleConversation } from "./use-conversation.ts";
import { useRefreshPermissions } from "./use-refresh-permissions.ts";

/** The members a conversation may be assigned to: those who can read conversations. */
export function assignableMembers(members: readonly MemberFieldsFragment[]): MemberFieldsFragment[] {
  return members.filter((member) => member.role !== "AGENT" || member.effectivePolicies.includes("conversation.read"));
}

const UNASSIGNED = "";

interface ConsoleHeaderProps {
  readonly workspace: CurrentWorkspace;
  readonly conversation: ConsoleConversation;
  readonly teammates: readonly MemberFieldsFragment[];
  readonly viewerId: string;
  readonly headingId: string;
  readonly headingRef: Ref<HTMLHeadingElement>;
  /** Something changed: the activity gains a line. */
  readonly onChanged: () => void;
}

export function ConsoleHeader({
  workspace,
  conversation,
  teammates,
  viewerId,
  headingId,
  headingRef,
  onChanged,
}: ConsoleHeaderProps) {
  const { t } = useTranslation("conversations");
  const ability = useAbility();
  const variables = { workspaceId: workspace.id, id: conversation.id };
  const refreshPermissions = useRefreshPermissions();
  const [error, setError] = useState<UserFacingError>();
  const [joining, setJoining] = useState(false);
  const [takeOver, takeOverState] = useMutation(TakeOverConversationDocument, { variables });
  const [handBack, handBackState] = useMutation(HandBackConversationDocument, { variables });
  const [close, closeState] = useMutation(CloseConversationDocument, { variables });
  const [reopen, reopenState] = useMutation(ReopenConversationDocument, { variables });
  const [assign, assignState] = useMutation(AssignConversationDocument);
  const busy =
    takeOverState.loading || handBackState.loading || closeState.loading || reopenState.loading || assignState.loading;

  const run = async (act: ConsoleAct, action: () => Promise<unknown>, done: string) => {
    setError(undefined);
    try {
      await action();
      toast(done, { variant: "success" });
      onChanged();
    } catch (caught) {
      setError(describeError(caught, refusalOverrides(act, conversation.mode, { CONFLICT: t("header.conflict") })));
      // The page offered what the role allowed when it loaded: follow the current role now.
      if (errorCode(caught) === "FORBIDDEN") refreshPermissions();
    }
  };

  const canManage = ability.can("update", "Conversation");
  const canAssign = ability.can("assign", "Conversation");
  const name = contactLabel(conversation.contact);
  const contactLine = [conversation.contact?.phone, conversation.contact?.email]
    .filter((value) => value != null && value !== "" && value !== name)
    .join(" · ");
  const assigneeName =
    conversation.assignee == null
      ? t("header.unassigned")
      : conversation.assignee.id === viewerId
        ? t("header.nameYou", { name: conversation.assignee.name })
        : conversation.assignee.name;
  const canReadReview = ability.can("read", "ReviewItem");
  // One badge for who answers the contact: never "AI agent replying" beside "Agent paused".
  const state = agentState({
    agentPaused: workspace.agentPaused,
    mode: conversation.mode,
    channel: conversation.channel,
    callLive: conversation.callLive,
  });

  return (
    <header className="console__header">
      <div className="console__top">
        <div className="console__who">
          <h2 className="console__title" id={headingId} ref={headingRef} tabIndex={-1}>
            {name}
          </h2>
          {contactLine !== "" && <p className="console__contact muted">{contactLine}</p>}
        </div>
        {canManage && (
          <div className="console__actions">
            {conversation.mode === "AI" ? (
              <Button
                variant="primary"
                disabled={busy}
                onClick={() => void run("takeOver", () => takeOver(), t("header.tookOver"))}
              >
                {t("header.takeOver")}
              </Button>
            ) : (
              <Button disabled={busy} onClick={() => void run("handBack", () => handBack(), t("header.handedBack"))}>
                {t("header.handBack")}
              </Button>
            )}
            {conversation.callLive && (
              <Button onClick={() => setJoining(true)}>
                <Icon name="phone" /> {t("header.joinCall")}
              </Button>
            )}
            {conversation.status === "OPEN" ? (
              <Button disabled={busy} onClick={() => void run("close", () => close(), t("header.closed"))}>
                {t("header.close")}
              </Button>
            ) : (
              <Button disabled={busy} onClick={() => void run("reopen", () => reopen(), t("header.reopened"))}>
                {t("header.reopen")}
              </Button>
            )}
          </div>
        )}
      </div>
      <div className="console__meta">
        <p className="console__badges">
          <span className="badge">
            <Icon name={conversation.channel === "VOICE" ? "phone" : "chat"} /> {channelLabel(conversation.channel)}
          </span>
          <span
            className={AGENT_STATE_BADGE_CLASSES[state.tone]}
            data-testid="takeover-state"
            data-state={state.kind}
            title={state.detail}
          >
            {state.label}
          </span>
          {conversation.status === "CLOSED" && <span className="badge badge--muted">{t("statuses.CLOSED")}</span>}
          {conversation.callLive && (
            <span className="badge badge--live" data-testid="live-call">
              <span className="live-dot" aria-hidden="true" />{" "}
              {t("header.liveCall", { status: callStatusText(conversation.callStatus) })}
            </span>
          )}
          {conversation.openReviewCount > 0 &&
            (canReadReview ? (
              <Link className="badge badge--warning" to={`/w/${workspace.slug}/review`}>
                <Icon name="flag" /> {t("header.needsReview", { reviews: conversation.openReviewCount })}
              </Link>
            ) : (
              <span className="badge badge--warning">
                <Icon name="flag" /> {t("header.needsReview", { reviews: conversation.openReviewCount })}
              </span>
            ))}
        </p>
        <div className="console__assignee">
          <span className="muted">{t("header.assignedTo")}</span>
          {canAssign ? (
            <SearchMenu
              label={t("header.assigneeChange", { name: assigneeName })}
              listLabel={t("header.assignTo")}
              value={assigneeName}
              items={[
                { id: UNASSIGNED, label: t("header.unassigned") },
                ...assignableMembers(teammates).map((member) => ({
                  id: member.user.id,
                  label:
                    member.user.id === viewerId ? t("header.nameYou", { name: member.user.name }) : member.user.name,
                  hint: member.user.email,
                })),
              ]}
              currentId={conversation.assignee?.id ?? UNASSIGNED}
              onSelect={(userId) => {
                if (userId === (conversation.assignee?.id ?? UNASSIGNED)) return;
                const to = teammates.find((member) => member.user.id === userId)?.user.name;
                void run(
                  "assign",
                  () => assign({ variables: { ...variables, userId: userId === UNASSIGNED ? null : userId } }),
                  to === undefined ? t("header.unassignedDone") : t("header.assignedDone", { name: to }),
                );
              }}
              searchLabel={t("header.findTeammate")}
              emptyText={t("header.noTeammate")}
            />
          ) : (
            <strong>{assigneeName}</strong>
          )}
        </div>
      </div>
      {error !== undefined && (
        <div className="banner banner--error console__error" role="alert" data-error-code={error.code}>
          {error.message}
        </div>
      )}
      {joining && (
        <JoinCallDialog
          workspaceId={workspace.id}
          conversationId={conversation.id}
          onClose={() => setJoining(false)}
          onJoined={onChanged}
        />
      )}
    </header>
  );
}
