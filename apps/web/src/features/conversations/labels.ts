/**
 * How the inbox and the console word a conversation and what happens in it (SPEC R3, W4, issue 47),
 * in the page's language (namespace "conversations"; read when called, never at load).
 */
import i18next from "i18next";

import {
  type CallActionKind,
  type CallActionStatus,
  type ConversationChannel,
  type ConversationMode,
  type ConversationStatus,
  type MessageStatus,
} from "../../gql/graphql.ts";

const SENDERS = ["CONTACT", "AGENT", "MEMBER", "SYSTEM"] as const;
const isSender = (sender: string): sender is (typeof SENDERS)[number] =>
  (SENDERS as readonly string[]).includes(sender);

export function senderLabel(sender: string, contactName: string): string {
  if (sender === "CONTACT") return contactName;
  return isSender(sender) ? i18next.t(`senders.${sender}`, { ns: "conversations" }) : sender;
}

/** "WhatsApp", "Voice call". */
export function channelLabel(channel: ConversationChannel): string {
  return i18next.t(`channels.${channel}`, { ns: "conversations" });
}

export type AgentStateKind = "HUMAN" | "PAUSED" | "AI_REPLYING" | "AI_ON_CALL" | "AI_CALL_ENDED";

export interface AgentState {
  readonly kind: AgentStateKind;
  /** The short badge of the inbox row. */
  readonly short: string;
  /** The console header's badge. */
  readonly label: string;
  /** What it means for the operator, in a sentence. */
  readonly detail: string;
  readonly tone: "human" | "warning" | "muted";
}

/**
 * Who is answering the contact, as one state: a person (takeover), nobody (the agent is paused in
 * the workspace and the conversation is the agent's), or the AI agent — in writing, on a call in
 * progress, or on a call that has ended. Derived from the workspace's pause switch, the
 * conversation's mode and its channel, so "AI agent replying" and "Agent paused" can never be
 * shown together: a takeover wins over the pause (the person replies; the pause stops the agent
 * only), and the pause wins over the AI modes.
 */
export function agentState(input: {
  agentPaused: boolean;
  mode: ConversationMode;
  channel: ConversationChannel;
  callLive: boolean;
}): AgentState {
  const state = (kind: AgentStateKind, tone: AgentState["tone"]): AgentState => ({
    kind,
    short: i18next.t(`agentState.${kind}.short`, { ns: "conversations" }),
    label: i18next.t(`agentState.${kind}.label`, { ns: "conversations" }),
    detail: i18next.t(`agentState.${kind}.detail`, { ns: "conversations" }),
    tone,
  });
  if (input.mode === "HUMAN") return state("HUMAN", "human");
  if (input.agentPaused) return state("PAUSED", "warning");
  if (input.channel === "VOICE") return input.callLive ? state("AI_ON_CALL", "muted") : state("AI_CALL_ENDED", "muted");
  return state("AI_REPLYING", "muted");
}

export const AGENT_STATE_BADGE_CLASSES: Readonly<Record<AgentState["tone"], string>> = {
  human: "badge badge--human",
  warning: "badge badge--warning",
  muted: "badge badge--muted",
};

/** "Open", "Closed". */
export function statusLabel(status: ConversationStatus): string {
  return i18next.t(`statuses.${status}`, { ns: "conversations" });
}

/** Who the conversation is with: the contact's name, else their phone; null contact: not readable here. */
export function contactLabel(contact: { name: string; phone?: string | null } | null | undefined): string {
  if (contact == null) return i18next.t("contact.hidden", { ns: "conversations" });
  const name = contact.name.trim();
  if (name !== "") return name;
  return contact.phone ?? i18next.t("contact.unknown", { ns: "conversations" });
}

export interface MessageStatusLabel {
  readonly text: string;
  /** Shown as a warning: the message did not reach the contact. */
  readonly problem: boolean;
}

/**
 * What the transcript says about a message's delivery. A received message needs no label; a
 * suppressed one was recorded but never left: a decision stopped it (the agent paused, its
 * campaign cancelled, the contact opted out, a takeover), which `problemText` names; a blocked
 * one is an agent reply a safety rule stopped.
 */
export function messageStatusLabel(status: MessageStatus): MessageStatusLabel | undefined {
  const label = (problem: boolean): MessageStatusLabel => ({
    text: i18next.t(`messageStatus.${status as Exclude<MessageStatus, "RECEIVED">}`, { ns: "conversations" }),
    problem,
  });
  switch (status) {
    case "BLOCKED":
    case "SUPPRESSED":
    case "FAILED":
    case "HELD_QUOTA":
      return label(true);
    case "QUEUED":
    case "SENT":
    case "DELIVERED":
    case "READ":
      return label(false);
    case "RECEIVED":
      return undefined;
  }
}

/**
 * The line under a message that did not (or not yet) reach the contact: the provider's words and
 * code for a failed send or one being retried, for a suppressed one the decision that stopped it
 * ("Not sent: the campaign was cancelled."), and for a blocked one why the rule stopped it.
 */
export function problemText(message: {
  status: MessageStatus;
  errorCode?: string | null;
  errorMessage?: string | null;
}): string | undefined {
  if (message.status === "BLOCKED")
    return message.errorMessage ?? i18next.t("problem.blocked", { ns: "conversations" });
  if (message.status === "SUPPRESSED") return message.errorMessage ?? undefined;
  if (message.status !== "FAILED" && message.status !== "QUEUED") return undefined;
  if (message.errorMessage == null && message.errorCode == null) return undefined;
  // The API's words often name the code already ("… error 63016: …"); say it once.
  const named = message.errorCode != null && (message.errorMessage ?? "").includes(message.errorCode);
  const text = message.errorMessage ?? i18next.t("problem.providerRefused", { ns: "conversations" });
  return message.errorCode != null && !named
    ? i18next.t("problem.withCode", { ns: "conversations", message: text, code: message.errorCode })
    : text;
}

/** The inbox row's one-line preview of the latest message, with who wrote it when it was not the contact. */
export function previewText(
  message: { body: string; sender: string; status: MessageStatus } | null | undefined,
  channel: ConversationChannel,
): string {
  if (message == null)
    return channel === "VOICE"
      ? i18next.t("preview.voiceCall", { ns: "conversations" })
      : i18next.t("preview.noMessages", { ns: "conversations" });
  const body = message.body.replace(/\s+/g, " ").trim();
  if (message.status === "BLOCKED") return i18next.t("preview.blocked", { ns: "conversations", body });
  if (message.sender === "AGENT") return i18next.t("preview.agent", { ns: "conversations", body });
  if (message.sender === "MEMBER") return i18next.t("preview.team", { ns: "conversations", body });
  return body;
}

/**
 * One line of the console's activity ("Ana took over", "Ana assigned this to Ben"), said to the
 * viewer ("You took over", "Ana assigned this to you": a context of its own, as languages conjugate
 * it). A missing actor is the system (round-robin, a new inbound message) or someone who has left.
 */
export function activityText(
  activity: {
    action: string;
    actor?: { id: string; name: string } | null;
    subject?: { id: string; name: string } | null;
  },
  viewerId?: string,
): string {
  const ns = "conversations";
  const actorIsYou = activity.actor != null && activity.actor.id === viewerId;
  const subjectIsYou = activity.subject != null && activity.subject.id === viewerId;
  const actor = activity.actor?.name ?? i18next.t("activity.someone", { ns });
  const you = actorIsYou ? "you" : undefined;
  switch (activity.action) {
    case "conversation.assigned": {
      const to = activity.subject?.name ?? i18next.t("activity.aTeammate", { ns });
      if (activity.actor == null)
        return i18next.t("activity.assignedAutomatically", { ns, to, context: subjectIsYou ? "you" : undefined });
      if (activity.actor.id === activity.subject?.id) return i18next.t("activity.took", { ns, actor, context: you });
      return i18next.t("activity.assigned", {
        ns,
        actor,
        to,
        context: actorIsYou ? "you" : subjectIsYou ? "toYou" : undefined,
      });
    }
    case "conversation.unassigned":
      return i18next.t("activity.unassigned", { ns, actor, context: you });
    case "conversation.takeover_started":
      return i18next.t("activity.takeoverStarted", { ns, actor, context: you });
    case "conversation.takeover_ended":
      return i18next.t("activity.takeoverEnded", { ns, actor, context: you });
    case "conversation.closed":
      return i18next.t("activity.closed", { ns, actor, context: you });
    case "conversation.reopened":
      return activity.actor == null
        ? i18next.t("activity.reopenedByMessage", { ns })
        : i18next.t("activity.reopened", { ns, actor, context: you });
    case "conversation.guidance_added":
      return i18next.t("activity.guidanceAdded", { ns, actor, context: you });
    case "conversation.call_joined":
      return i18next.t("activity.callJoined", { ns, actor, context: you });
    default:
      return i18next.t("activity.other", {
        ns,
        actor: actorIsYou ? i18next.t("activity.you", { ns }) : actor,
        action: activity.action,
      });
  }
}

/** A request to a live call (guidance, or a transfer to a member's phone) as the console reports it. */
export function callActionStatusText(action: {
  kind?: CallActionKind;
  status: CallActionStatus;
  errorMessage?: string | null;
}): { text: string; problem: boolean } {
  const ns = "conversations";
  const kind = action.kind === "TRANSFER" ? "transfer" : "guidance";
  switch (action.status) {
    case "QUEUED":
      return { text: i18next.t(`callAction.${kind}.queued`, { ns }), problem: false };
    case "SENT":
      return { text: i18next.t(`callAction.${kind}.sent`, { ns }), problem: false };
    case "FAILED":
      return action.errorMessage != null && action.errorMessage !== ""
        ? { text: i18next.t(`callAction.${kind}.failedBecause`, { ns, why: action.errorMessage }), problem: true }
        : { text: i18next.t(`callAction.${kind}.failed`, { ns }), problem: true };
  }
}

/** Vapi's call statuses the page words itself; any other is shown as Vapi writes it. */
const CALL_STATUS_KEYS = {
  queued: "queued",
  ringing: "ringing",
  "in-progress": "inProgress",
  forwarding: "forwarding",
  ended: "ended",
} as const;

/** Vapi's call status in words ("in-progress" → "In progress"). */
export function callStatusText(status: string | null | undefined): string {
  if (status == null || status === "") return i18next.t("callStatus.live", { ns: "conversations" });
  const key = (
    CALL_STATUS_KEYS as Readonly<Record<string, (typeof CALL_STATUS_KEYS)[keyof typeof CALL_STATUS_KEYS] | undefined>>
  )[status];
  if (key !== undefined) return i18next.t(`callStatus.${key}`, { ns: "conversations" });
  const words = status.replace(/[-_]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
