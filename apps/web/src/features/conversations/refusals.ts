/**
 * What the console says when the API refuses one of its actions (issue 56, item 12). A FORBIDDEN
 * there almost always means the viewer's role or policies changed while the page was open (the
 * page only offers what the ability allowed when it was loaded): it is said as such, with the
 * policy that is missing — never as advice to take the conversation over, which would not help.
 * The one refusal that is about the conversation, not the person, is a reply to a conversation
 * the AI agent has again (handed back meanwhile): only then is taking over the way forward.
 */
import { type ConversationMode } from "../../gql/graphql.ts";
import { type MessageOverrides } from "../../platform/errors.ts";

export type ConsoleAct = "reply" | "guide" | "takeOver" | "handBack" | "close" | "reopen" | "assign" | "joinCall";

/** Each act: what the person was doing, in words, and the policy that allows it (SPEC M2). */
export const CONSOLE_ACTS: Readonly<Record<ConsoleAct, { readonly doing: string; readonly policy: string }>> = {
  reply: { doing: "send replies", policy: "message.send" },
  guide: { doing: "guide the agent", policy: "conversation.manage" },
  takeOver: { doing: "take conversations over", policy: "conversation.manage" },
  handBack: { doing: "hand conversations back to the agent", policy: "conversation.manage" },
  close: { doing: "close conversations", policy: "conversation.manage" },
  reopen: { doing: "reopen conversations", policy: "conversation.manage" },
  assign: { doing: "assign conversations", policy: "conversation.assign" },
  joinCall: { doing: "join calls", policy: "conversation.manage" },
};

/** The sentence for a FORBIDDEN answer to `act`; `mode` is the conversation's mode as the page knows it now. */
export function forbiddenText(act: ConsoleAct, mode?: ConversationMode): string {
  if (act === "reply" && mode === "AI") return "The AI agent has this conversation again: take it over to reply by hand.";
  const { doing, policy } = CONSOLE_ACTS[act];
  return `You no longer have permission to ${doing} in this workspace (${policy}). Your role or policies were changed while this page was open: ask an owner or admin if you need it.`;
}

/** `describeError` overrides for one of the console's acts. */
export function refusalOverrides(act: ConsoleAct, mode?: ConversationMode, others: MessageOverrides = {}): MessageOverrides {
  return { ...others, FORBIDDEN: forbiddenText(act, mode) };
}
