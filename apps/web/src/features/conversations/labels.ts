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
 * label; a suppressed one was recorded but never left because the agent was paused (W4).
 */
export function messageStatusLabel(status: MessageStatus): MessageStatusLabel | undefined {
  switch (status) {
    case "SUPPRESSED":
      return { text: "Not sent: agent paused", problem: true };
    case "FAILED":
      return { text: "Not delivered", problem: true };
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
