/**
 * What the console says when the API refuses one of its actions (issue 56, item 12). A FORBIDDEN
 * there almost always means the viewer's role or policies changed while the page was open (the
 * page only offers what the ability allowed when it was loaded): it is said as such, with the
 * policy that is missing — never as advice to take the conversation over, which would not help.
 * The one refusal that is about the conversation, not the person, is a reply to a conversation
 * the AI agent has again (handed back meanwhile): only then is taking over the way forward.
 */
import i18next from "i18next";

import { type ConversationMode } from "../../gql/graphql.ts";
import { type MessageOverrides } from "../../platform/errors.ts";

export type ConsoleAct = "reply" | "guide" | "takeOver" | "handBack" | "close" | "reopen" | "assign" | "joinCall";

/** Each act: the policy that allows it (SPEC M2); what the person was doing is in the sentence, `refusals.forbidden.<act>`. */
export const CONSOLE_ACTS: Readonly<Record<ConsoleAct, { readonly policy: string }>> = {
  reply: { policy: "message.send" },
  guide: { policy: "conversation.manage" },
  takeOver: { policy: "conversation.manage" },
  handBack: { policy: "conversation.manage" },
  close: { policy: "conversation.manage" },
  reopen: { policy: "conversation.manage" },
  assign: { policy: "conversation.assign" },
  joinCall: { policy: "conversation.manage" },
};

/** The sentence for a FORBIDDEN answer to `act`; `mode` is the conversation's mode as the page knows it now. */
export function forbiddenText(act: ConsoleAct, mode?: ConversationMode): string {
  if (act === "reply" && mode === "AI") return i18next.t("refusals.agentHasIt", { ns: "conversations" });
  return i18next.t(`refusals.forbidden.${act}`, { ns: "conversations", policy: CONSOLE_ACTS[act].policy });
}

/** `describeError` overrides for one of the console's acts. */
export function refusalOverrides(
  act: ConsoleAct,
  mode?: ConversationMode,
  others: MessageOverrides = {},
): MessageOverrides {
  return { ...others, FORBIDDEN: forbiddenText(act, mode) };
}
