/**
 * @jest-environment jsdom
 */
// The composer in a DOM (jsdom): a refusal after a permission change is said as such (issue 56,
// item 12) — never as "take the conversation over" — and a phone call never offers the WhatsApp
// reply box (item 7): a live call gets the call's guidance, an ended one says there is nothing to
// reply to. Also the mentions a guidance note keeps.
import { type MockLink } from "@apollo/client/testing";
import { GraphQLError } from "graphql";
import { act, useState } from "react";

import { defineAbilityFor, packAbility, ROLE_POLICIES, type MembershipRole } from "@atrium/policies";
import { describe, expect, it } from "@atrium/test-kit";

import { type ConversationChannel } from "../../gql/graphql.ts";
import { AbilityContext, abilityFromPacked } from "../../platform/ability.tsx";
import { button, click, field, renderWithApi, type, until } from "../../platform/testing/dom.tsx";
import { Composer, replyDraft } from "./composer.tsx";
import { SendManualReplyDocument } from "./console-operations.ts";
import { mentionedIds } from "./guidance-form.tsx";
import { type ConsoleConversation } from "./use-conversation.ts";

describe("guidance mentions", () => {
  const ben = { id: "u-ben", name: "Ben Carter" };
  const chloe = { id: "u-chloe", name: "Chloé Martin" };

  it("notifies the teammates whose @name is still in the note", () => {
    expect(mentionedIds("@Ben Carter please check order #4411", [ben, chloe])).toEqual(["u-ben"]);
    expect(mentionedIds("Ask @Chloé Martin and @Ben Carter", [ben, chloe])).toEqual(["u-ben", "u-chloe"]);
  });

  it("drops a mention deleted from the text", () => {
    expect(mentionedIds("Ben will check", [ben])).toEqual([]);
    expect(mentionedIds("", [ben, chloe])).toEqual([]);
  });
});

const workspaceId = "w1";
const abilityOf = (role: MembershipRole, policies: readonly string[] = ROLE_POLICIES[role]) =>
  abilityFromPacked(packAbility(defineAbilityFor({ workspaceId, role, policies })));

function conversationOf(over: Partial<ConsoleConversation> = {}): ConsoleConversation {
  return {
    __typename: "Conversation",
    id: "c1",
    humanTakeover: true,
    mode: "HUMAN",
    status: "OPEN",
    channel: "WHATSAPP",
    lastActivityAt: "2026-11-20T10:00:00.000Z",
    lastMessageAt: "2026-11-20T10:00:00.000Z",
    createdAt: "2026-11-20T09:00:00.000Z",
    leadId: null,
    unreadCount: 0,
    openReviewCount: 0,
    callStatus: null,
    callLive: false,
    assignee: null,
    lastMessage: null,
    contact: null,
    recordingUrl: null,
    transcript: null,
    ...over,
  };
}

/** The composer of `conversation` in workspace w1, with no-op callbacks. */
function ComposerOf({
  conversation,
  workspaceChannel = "WHATSAPP",
  agentPaused = false,
}: {
  conversation: ConsoleConversation;
  workspaceChannel?: ConversationChannel | undefined;
  agentPaused?: boolean | undefined;
}) {
  return (
    <Composer
      workspaceId={workspaceId}
      workspaceChannel={workspaceChannel}
      agentPaused={agentPaused}
      conversation={conversation}
      teammates={[]}
      viewerId="u1"
      onReplySent={() => undefined}
      onNoteAdded={() => undefined}
      onChanged={() => undefined}
    />
  );
}

async function renderComposer(
  conversation: ConsoleConversation,
  opts: {
    role?: MembershipRole;
    policies?: readonly string[];
    workspaceChannel?: ConversationChannel;
    agentPaused?: boolean;
    mocks?: MockLink.MockedResponse[];
  } = {},
) {
  await renderWithApi(
    <AbilityContext.Provider value={abilityOf(opts.role ?? "AGENT", opts.policies)}>
      <ComposerOf conversation={conversation} workspaceChannel={opts.workspaceChannel} agentPaused={opts.agentPaused} />
    </AbilityContext.Provider>,
    opts.mocks ?? [],
  );
}

const replyBox = () => [...document.querySelectorAll("label")].find((label) => label.textContent === "Reply");
const alertText = () =>
  [...document.querySelectorAll('[role="alert"]')].map((element) => element.textContent).join(" ");

describe("a refusal after a permission change", () => {
  it("says the permission is gone (message.send), not 'take the conversation over'", async () => {
    const refused: MockLink.MockedResponse = {
      request: {
        query: SendManualReplyDocument,
        variables: { workspaceId, conversationId: "c1", input: { body: "Hello there" } },
      },
      result: {
        errors: [new GraphQLError("You do not have permission to do this.", { extensions: { code: "FORBIDDEN" } })],
      },
    };
    await renderComposer(conversationOf(), { policies: ["conversation.read", "message.send"], mocks: [refused] });
    await type(field("Reply"), "Hello there");
    await click(button("Send reply"));
    await until(() => alertText() !== "");
    expect(document.querySelector('[role="alert"]')?.getAttribute("data-error-code")).toBe("FORBIDDEN");
    expect(alertText()).toMatch(/no longer have permission to send replies/);
    expect(alertText()).toContain("message.send");
    expect(alertText()).not.toMatch(/take (the conversation|it) over/i);
  });

  it("tells an agent without message.send that replying is not allowed here, with the reason on demand", async () => {
    await renderComposer(conversationOf(), { policies: ["conversation.read"] });
    expect(replyBox()).toBeUndefined();
    expect(document.body.textContent).toContain("You can't send replies in this workspace (message.send).");
    expect(button("Why can't I reply?")).toBeDefined();
  });

  it("offers taking over only while the agent has the conversation, and says when the agent is paused", async () => {
    await renderComposer(conversationOf({ mode: "AI", humanTakeover: false }), { role: "ADMIN", agentPaused: true });
    await click(button("Reply"), () => false);
    expect(document.body.textContent).toContain(
      "The AI agent is paused in this workspace, so nobody is replying here.",
    );
    expect(document.body.textContent).not.toContain("The AI agent is replying");
    expect(button("Take over to reply")).toBeDefined();
  });
});

describe("what the operator typed and has not sent", () => {
  /** The composer of one conversation whose row the test replaces, as a live update or a list read does. */
  async function renderSwitchable(first: ConsoleConversation, mocks: MockLink.MockedResponse[] = []) {
    const show: { current?: (conversation: ConsoleConversation) => void } = {};
    function Harness() {
      const [conversation, setConversation] = useState(first);
      show.current = setConversation;
      return <ComposerOf conversation={conversation} />;
    }
    await renderWithApi(
      <AbilityContext.Provider value={abilityOf("ADMIN")}>
        <Harness />
      </AbilityContext.Provider>,
      mocks,
    );
    return async (conversation: ConsoleConversation) => {
      // eslint-disable-next-line @typescript-eslint/require-await -- the async act waits for the effects
      await act(async () => show.current?.(conversation));
    };
  }

  it("is still in the reply box after the box was gone for a moment (the conversation briefly back with the agent)", async () => {
    const human = conversationOf({ id: "c-draft" });
    const show = await renderSwitchable(human);
    await type(field("Reply"), "A person here: can we call you?");
    await show(conversationOf({ id: "c-draft", mode: "AI", humanTakeover: false }));
    expect(replyBox()).toBeUndefined();
    await show(human);
    expect(field("Reply").value).toBe("A person here: can we call you?");
    expect(button("Send reply").disabled).toBe(false);
  });

  it("belongs to its conversation, and is gone once sent", async () => {
    const sent: MockLink.MockedResponse = {
      request: {
        query: SendManualReplyDocument,
        variables: { workspaceId, conversationId: "c-sent", input: { body: "On my way" } },
      },
      result: {
        data: {
          sendManualReply: {
            __typename: "Message",
            id: "m1",
            body: "On my way",
            createdAt: "2026-11-20T10:01:00.000Z",
            direction: "OUTBOUND",
            sender: "MEMBER",
            senderMembershipId: "mb1",
            status: "QUEUED",
            errorCode: null,
            errorMessage: null,
            blockedByRuleId: null,
          },
        },
      },
    };
    const show = await renderSwitchable(conversationOf({ id: "c-sent" }), [sent]);
    await type(field("Reply"), "On my way");
    await show(conversationOf({ id: "c-other" }));
    expect(field("Reply").value).toBe("");
    await show(conversationOf({ id: "c-sent" }));
    expect(field("Reply").value).toBe("On my way");
    await click(button("Send reply"));
    await until(() => field("Reply").value === "");
    expect(replyDraft("c-sent")).toBe("");
    await show(conversationOf({ id: "c-other" }));
    await show(conversationOf({ id: "c-sent" }));
    expect(field("Reply").value).toBe("");
  });
});

describe("a phone call has no WhatsApp reply box", () => {
  it("a live call: guidance the agent hears at once, no Reply tab", async () => {
    await renderComposer(conversationOf({ channel: "VOICE", callLive: true, callStatus: "in-progress" }), {
      role: "ADMIN",
    });
    expect(replyBox()).toBeUndefined();
    expect(document.querySelector('[role="tab"]')).toBeNull();
    expect(document.querySelector('[data-testid="call-panel"]')?.textContent).toContain("Live call · In progress");
    expect(button("Send to call")).toBeDefined();
  });

  it("an ended call: nothing to reply to, the transcript pointed at, no note form for a 'next reply'", async () => {
    await renderComposer(
      conversationOf({ channel: "VOICE", callStatus: "ended", transcript: "AI: Hello. Lead: Hi." }),
      { role: "ADMIN" },
    );
    expect(replyBox()).toBeUndefined();
    expect(document.querySelector("textarea")).toBeNull();
    expect(document.querySelector('[data-testid="call-panel"]')?.textContent).toMatch(
      /phone call \(ended\): there is no written reply to send\. Its transcript is above\./,
    );
  });

  it("a conversation of a Voice workspace is a call even before the call report names it", async () => {
    await renderComposer(conversationOf({ mode: "HUMAN" }), { role: "ADMIN", workspaceChannel: "VOICE" });
    expect(replyBox()).toBeUndefined();
    expect(document.querySelector('[data-testid="call-panel"]')).not.toBeNull();
  });

  it("a WhatsApp conversation under takeover keeps its reply box", async () => {
    await renderComposer(conversationOf(), { role: "ADMIN" });
    expect(replyBox()).toBeDefined();
  });
});
