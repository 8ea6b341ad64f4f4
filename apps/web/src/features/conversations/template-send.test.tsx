/**
 * @jest-environment jsdom
 */
// WhatsApp's rules in the composer (issue 56): free text only within 24 hours of the contact's
// last message — after that a notice and an approved template to send instead of the reply box —
// and nothing to send to a contact who replied STOP.
import { type MockLink } from "@apollo/client/testing";
import { GraphQLError } from "graphql";

import { defineAbilityFor, packAbility, ROLE_POLICIES } from "@atrium/policies";
import { describe, expect, it } from "@atrium/test-kit";

import { AbilityContext, abilityFromPacked } from "../../platform/ability.tsx";
import { button, click, renderWithApi, until } from "../../platform/testing/dom.tsx";
import { MessageTemplatesDocument, SendTemplateMessageDocument } from "../settings/template-operations.ts";
import { Composer } from "./composer.tsx";
import { whatsAppReplyState } from "./template-send.tsx";
import { type ConsoleConversation } from "./use-conversation.ts";

const workspaceId = "w1";
const HOUR = 3600 * 1000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

function conversationWith(contact: Partial<NonNullable<ConsoleConversation["contact"]>>): ConsoleConversation {
  return {
    __typename: "Conversation",
    id: "c1",
    humanTakeover: true,
    mode: "HUMAN",
    status: "OPEN",
    channel: "WHATSAPP",
    lastActivityAt: ago(HOUR),
    lastMessageAt: ago(HOUR),
    createdAt: ago(48 * HOUR),
    leadId: null,
    unreadCount: 0,
    openReviewCount: 0,
    callStatus: null,
    callLive: false,
    assignee: null,
    lastMessage: null,
    recordingUrl: null,
    transcript: null,
    contact: {
      __typename: "Contact",
      id: "k1",
      name: "Ada Lovelace",
      email: null,
      phone: "+15550001111",
      tags: [],
      createdAt: ago(48 * HOUR),
      optedOutAt: null,
      optInAt: null,
      optInText: null,
      lastInboundAt: null,
      ...contact,
    },
  };
}

const templates: MockLink.MockedResponse = {
  request: { query: MessageTemplatesDocument, variables: { workspaceId } },
  result: {
    data: {
      messageTemplates: [
        {
          __typename: "MessageTemplate",
          id: "t1",
          name: "Follow-up",
          contentSid: `HX${"a".repeat(32)}`,
          body: "Hi {{1}}, are you still interested?",
          variables: ["firstName"],
          useForOpening: false,
          createdAt: ago(HOUR),
        },
      ],
    },
  },
};

async function renderComposer(conversation: ConsoleConversation, mocks: MockLink.MockedResponse[] = []) {
  const sent: string[] = [];
  await renderWithApi(
    <AbilityContext.Provider
      value={abilityFromPacked(
        packAbility(defineAbilityFor({ workspaceId, role: "ADMIN", policies: ROLE_POLICIES.ADMIN })),
      )}
    >
      <Composer
        workspaceId={workspaceId}
        workspaceChannel="WHATSAPP"
        agentPaused={false}
        conversation={conversation}
        teammates={[]}
        viewerId="u1"
        onReplySent={(id) => sent.push(id)}
        onNoteAdded={() => undefined}
        onChanged={() => undefined}
      />
    </AbilityContext.Provider>,
    mocks,
  );
  return { sent };
}

const replyBox = () => [...document.querySelectorAll("label")].find((label) => label.textContent === "Reply");
const text = () => document.body.textContent ?? "";

describe("what may be sent to a WhatsApp contact", () => {
  it("free text within 24 hours of their last message, a template after, nothing after STOP", () => {
    const now = new Date("2026-11-27T12:00:00.000Z");
    expect(whatsAppReplyState({ lastInboundAt: "2026-11-27T01:00:00.000Z", optedOutAt: null }, now)).toBe("open");
    expect(whatsAppReplyState({ lastInboundAt: "2026-11-26T11:59:00.000Z", optedOutAt: null }, now)).toBe("closed");
    expect(whatsAppReplyState({ lastInboundAt: null, optedOutAt: null }, now)).toBe("closed");
    expect(
      whatsAppReplyState({ lastInboundAt: "2026-11-27T10:00:00.000Z", optedOutAt: "2026-11-27T10:00:00.000Z" }, now),
    ).toBe("optedOut");
    // Written again after the STOP: the API lets a reply through within the window.
    expect(
      whatsAppReplyState({ lastInboundAt: "2026-11-27T11:00:00.000Z", optedOutAt: "2026-11-27T10:00:00.000Z" }, now),
    ).toBe("open");
  });
});

describe("the composer of a WhatsApp conversation", () => {
  it("keeps the reply box while the contact's window is open", async () => {
    await renderComposer(conversationWith({ lastInboundAt: ago(2 * HOUR) }));
    expect(replyBox()).toBeDefined();
    expect(document.querySelector('[data-testid="whatsapp-window-closed"]')).toBeNull();
  });

  it("window closed: a notice and a template to send instead of the reply box", async () => {
    const sendIt: MockLink.MockedResponse = {
      request: {
        query: SendTemplateMessageDocument,
        variables: { workspaceId, conversationId: "c1", templateId: "t1" },
      },
      result: {
        data: {
          sendTemplateMessage: {
            __typename: "Message",
            id: "m9",
            body: "Hi Ada, are you still interested?",
            createdAt: ago(0),
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
    const { sent } = await renderComposer(conversationWith({ lastInboundAt: ago(30 * HOUR) }), [templates, sendIt]);
    await until(() => document.querySelector("select") !== null);
    expect(replyBox()).toBeUndefined();
    expect(document.querySelector("textarea")).toBeNull();
    expect(document.querySelector('[data-testid="whatsapp-window-closed"]')?.textContent).toMatch(
      /over 24 hours ago: WhatsApp allows only an approved template until they reply/,
    );
    expect(text()).toContain("They will read: “Hi Ada, are you still interested?”");
    await click(button("Send template"));
    await until(() => sent.length > 0);
    expect(sent).toEqual(["m9"]);
  });

  it("says when the contact replied STOP in the meantime, and offers nothing more", async () => {
    const refused: MockLink.MockedResponse = {
      request: {
        query: SendTemplateMessageDocument,
        variables: { workspaceId, conversationId: "c1", templateId: "t1" },
      },
      result: {
        errors: [
          new GraphQLError("This contact replied STOP: WhatsApp messages to them are off until they send START.", {
            extensions: { code: "BAD_USER_INPUT", reason: "CONTACT_OPTED_OUT" },
          }),
        ],
      },
    };
    await renderComposer(conversationWith({ lastInboundAt: null }), [templates, refused]);
    await until(() => document.querySelector("select") !== null);
    expect(text()).toContain("Ada Lovelace has not written on WhatsApp yet");
    await click(button("Send template"));
    await until(() => document.querySelector("select") === null);
    expect(text()).toContain("replied STOP");
    expect(document.querySelector("button[type=submit]")).toBeNull();
  });

  it("a contact who opted out: said so, nothing to send", async () => {
    await renderComposer(conversationWith({ lastInboundAt: ago(30 * HOUR), optedOutAt: ago(29 * HOUR) }));
    expect(document.querySelector('[data-testid="contact-opted-out"]')?.textContent).toMatch(
      /Ada Lovelace opted out.*until they send START/,
    );
    expect(replyBox()).toBeUndefined();
    expect(document.querySelector("select, textarea")).toBeNull();
  });

  it("no template yet: says where templates are added", async () => {
    const none: MockLink.MockedResponse = {
      request: { query: MessageTemplatesDocument, variables: { workspaceId } },
      result: { data: { messageTemplates: [] } },
    };
    await renderComposer(conversationWith({ lastInboundAt: null }), [none]);
    await until(() => document.querySelector('[data-testid="no-templates"]') !== null);
    expect(document.querySelector('[data-testid="no-templates"]')?.textContent).toContain(
      "Settings → WhatsApp templates",
    );
  });
});
