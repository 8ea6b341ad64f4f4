/** How the inbox and the console word a conversation and what happens in it (SPEC R3, W4, issue 47). */
import {
  type CallActionKind,
  type CallActionStatus,
  type ConversationChannel,
  type ConversationMode,
  type ConversationStatus,
  type MessageStatus,
} from "../../gql/graphql.ts";

export const SENDER_LABELS: Readonly<Record<string, string>> = {
  CONTACT: "Contact",
  AGENT: "AI agent",
  MEMBER: "Team member",
  SYSTEM: "System",
};

export function senderLabel(sender: string, contactName: string): string {
  if (sender === "CONTACT") return contactName;
  return SENDER_LABELS[sender] ?? sender;
}

export const CHANNEL_LABELS: Readonly<Record<ConversationChannel, string>> = { WHATSAPP: "WhatsApp", VOICE: "Voice call" };

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
export function agentState(input: { agentPaused: boolean; mode: ConversationMode; channel: ConversationChannel; callLive: boolean }): AgentState {
  if (input.mode === "HUMAN") return { kind: "HUMAN", short: "Human", label: "Human takeover", detail: "A teammate has this conversation: the AI agent does not reply until it is handed back.", tone: "human" };
  if (input.agentPaused)
    return { kind: "PAUSED", short: "Paused", label: "Agent paused", detail: "The AI agent is paused in this workspace: nobody is replying here unless a teammate takes over.", tone: "warning" };
  if (input.channel === "VOICE")
    return input.callLive
      ? { kind: "AI_ON_CALL", short: "AI", label: "AI agent on the call", detail: "The AI agent is on this call now.", tone: "muted" }
      : { kind: "AI_CALL_ENDED", short: "AI", label: "Call handled by the AI agent", detail: "The AI agent handled this call; it has ended.", tone: "muted" };
  return { kind: "AI_REPLYING", short: "AI", label: "AI agent replying", detail: "The AI agent is replying in this conversation.", tone: "muted" };
}

export const AGENT_STATE_BADGE_CLASSES: Readonly<Record<AgentState["tone"], string>> = { human: "badge badge--human", warning: "badge badge--warning", muted: "badge badge--muted" };

export const STATUS_LABELS: Readonly<Record<ConversationStatus, string>> = { OPEN: "Open", CLOSED: "Closed" };

/** Who the conversation is with: the contact's name, else their phone; null contact: not readable here. */
export function contactLabel(contact: { name: string; phone?: string | null } | null | undefined): string {
  if (contact == null) return "Contact hidden";
  const name = contact.name.trim();
  if (name !== "") return name;
  return contact.phone ?? "Unknown contact";
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
  switch (status) {
    case "BLOCKED":
      return { text: "Blocked by a safety rule", problem: true };
    case "SUPPRESSED":
      return { text: "Not sent", problem: true };
    case "FAILED":
      return { text: "Not delivered", problem: true };
    case "HELD_QUOTA":
      return { text: "Held: monthly quota reached", problem: true };
    case "QUEUED":
      return { text: "Sending…", problem: false };
    case "SENT":
      return { text: "Sent", problem: false };
    case "DELIVERED":
      return { text: "Delivered", problem: false };
    case "READ":
      return { text: "Read", problem: false };
    case "RECEIVED":
      return undefined;
  }
}

/**
 * The line under a message that did not (or not yet) reach the contact: the provider's words and
 * code for a failed send or one being retried, for a suppressed one the decision that stopped it
 * ("Not sent: the campaign was cancelled."), and for a blocked one why the rule stopped it.
 */
export function problemText(message: { status: MessageStatus; errorCode?: string | null; errorMessage?: string | null }): string | undefined {
  if (message.status === "BLOCKED") return message.errorMessage ?? "A safety rule stopped this reply: it was never sent, and the conversation was handed to a person.";
  if (message.status === "SUPPRESSED") return message.errorMessage ?? undefined;
  if (message.status !== "FAILED" && message.status !== "QUEUED") return undefined;
  if (message.errorMessage == null && message.errorCode == null) return undefined;
  // The API's words often name the code already ("… error 63016: …"); say it once.
  const named = message.errorCode != null && (message.errorMessage ?? "").includes(message.errorCode);
  const code = message.errorCode != null && !named ? ` (provider error ${message.errorCode})` : "";
  return `${message.errorMessage ?? "The provider refused the message."}${code}`;
}

/** The inbox row's one-line preview of the latest message, with who wrote it when it was not the contact. */
export function previewText(message: { body: string; sender: string; status: MessageStatus } | null | undefined, channel: ConversationChannel): string {
  if (message == null) return channel === "VOICE" ? "Voice call" : "No messages yet";
  const body = message.body.replace(/\s+/g, " ").trim();
  const prefix = message.status === "BLOCKED" ? "Blocked reply: " : message.sender === "AGENT" ? "Agent: " : message.sender === "MEMBER" ? "Team: " : "";
  return `${prefix}${body}`;
}

/** A teammate named from the viewer's side: "You" for the viewer. */
function who(person: { id: string; name: string } | null | undefined, viewerId: string | undefined): string | undefined {
  if (person == null) return undefined;
  return person.id === viewerId ? "You" : person.name;
}

/**
 * One line of the console's activity ("Ana took over", "Ana assigned this to Ben"). A missing
 * actor is the system (round-robin, a new inbound message) or someone who has left.
 */
export function activityText(
  activity: { action: string; actor?: { id: string; name: string } | null; subject?: { id: string; name: string } | null },
  viewerId?: string,
): string {
  const actor = who(activity.actor, viewerId);
  const subject = who(activity.subject, viewerId);
  const by = actor ?? "Someone";
  switch (activity.action) {
    case "conversation.assigned": {
      const to = subject === "You" ? "you" : (subject ?? "a teammate");
      if (actor === undefined) return `Assigned to ${to} automatically`;
      if (activity.actor?.id === activity.subject?.id) return `${by} took this conversation`;
      return `${by} assigned this to ${to}`;
    }
    case "conversation.unassigned":
      return `${by} unassigned this conversation`;
    case "conversation.takeover_started":
      return `${by} took over from the AI agent`;
    case "conversation.takeover_ended":
      return `${by} handed back to the AI agent`;
    case "conversation.closed":
      return `${by} closed this conversation`;
    case "conversation.reopened":
      return actor === undefined ? "Reopened by a new message" : `${by} reopened this conversation`;
    case "conversation.guidance_added":
      return `${by} added guidance for the agent`;
    case "conversation.call_joined":
      return `${by} joined the call`;
    default:
      return `${by}: ${activity.action}`;
  }
}

/** A request to a live call (guidance, or a transfer to a member's phone) as the console reports it. */
export function callActionStatusText(action: { kind?: CallActionKind; status: CallActionStatus; errorMessage?: string | null }): { text: string; problem: boolean } {
  const why = action.errorMessage != null && action.errorMessage !== "" ? `: ${action.errorMessage}` : "";
  const transfer = action.kind === "TRANSFER";
  switch (action.status) {
    case "QUEUED":
      return { text: transfer ? "Transferring the call…" : "Sending to the call…", problem: false };
    case "SENT":
      return { text: transfer ? "Call transferred" : "Sent to the call", problem: false };
    case "FAILED":
      return { text: `${transfer ? "The transfer failed" : "Not sent to the call"}${why}`, problem: true };
  }
}

/** Vapi's call status in words ("in-progress" → "In progress"). */
export function callStatusText(status: string | null | undefined): string {
  if (status == null || status === "") return "Live";
  const words = status.replace(/[-_]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
