/** How a message is labelled in a transcript (SPEC R3, W4). */
import { type MessageStatus } from "../../gql/graphql.ts";

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

export interface MessageStatusLabel {
  readonly text: string;
  /** Shown as a warning: the message did not reach the contact. */
  readonly problem: boolean;
}

/**
 * What the transcript says about a message's delivery. A received or sent message needs no
 * label; a suppressed one was recorded but never left: a decision stopped it (the agent paused,
 * its campaign cancelled, the contact opted out, a takeover), which `problemText` names.
 */
export function messageStatusLabel(status: MessageStatus): MessageStatusLabel | undefined {
  switch (status) {
    case "SUPPRESSED":
      return { text: "Not sent", problem: true };
    case "FAILED":
      return { text: "Not delivered", problem: true };
    case "HELD_QUOTA":
      return { text: "Held: monthly quota reached", problem: true };
    case "QUEUED":
      return { text: "Sending…", problem: false };
    case "DELIVERED":
      return { text: "Delivered", problem: false };
    case "READ":
      return { text: "Read", problem: false };
    case "SENT":
    case "RECEIVED":
      return undefined;
  }
}

/**
 * The line under a message that did not (or not yet) reach the contact: the provider's words and
 * code for a failed send or one being retried, and for a suppressed one the decision that
 * stopped it ("Not sent: the campaign was cancelled.").
 */
export function problemText(message: { status: MessageStatus; errorCode?: string | null; errorMessage?: string | null }): string | undefined {
  if (message.status === "SUPPRESSED") return message.errorMessage ?? undefined;
  if (message.status !== "FAILED" && message.status !== "QUEUED") return undefined;
  if (message.errorMessage == null && message.errorCode == null) return undefined;
  // The API's words often name the code already ("… error 63016: …"); say it once.
  const named = message.errorCode != null && (message.errorMessage ?? "").includes(message.errorCode);
  const code = message.errorCode != null && !named ? ` (provider error ${message.errorCode})` : "";
  return `${message.errorMessage ?? "The provider refused the message."}${code}`;
}
