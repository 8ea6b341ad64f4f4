/**
 * @jest-environment jsdom
 */
// A contact's page (issue 48): its header (e-mail, phone, tags, consent), links to its leads, its
// timeline (the lead timeline's entries), the empty state with a next step, NOT_FOUND and an error
// with a retry; live — a conversation event about the contact refetches the timeline, one about
// another contact does not.
import { type MockLink } from "@apollo/client/testing";
import { GraphQLError } from "graphql";
import { MemoryRouter } from "react-router";

import { defineAbilityFor, packAbility, ROLE_POLICIES, type MembershipRole } from "@atrium/policies";
import { describe, expect, it } from "@atrium/test-kit";

import { AbilityContext, abilityFromPacked } from "../../platform/ability.tsx";
import { click, renderWithApi, settle, until } from "../../platform/testing/dom.tsx";
import { LeadTimelineBookingEventsDocument } from "../leads/operations.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { ContactDetail } from "./contact-detail.tsx";
import {
  ContactDocument,
  ContactLeadsDocument,
  ContactTimelineConversationEventsDocument,
  ContactTimelineDocument,
  ContactTimelineLeadEventsDocument,
} from "./operations.ts";

const workspaceId = "w1";
const contactId = "c1";
const workspace = { id: workspaceId, slug: "acme", channel: "WHATSAPP" } as unknown as CurrentWorkspace;

const contact = {
  __typename: "Contact" as const,
  id: contactId,
  name: "Ana Díaz",
  email: "ana@example.com",
  phone: "+34600000001",
  tags: ["vip", "madrid"],
  createdAt: "2026-11-01T10:00:00Z",
  optedOutAt: "2026-11-20T10:00:00Z",
  optInAt: null,
  optInText: null,
  lastInboundAt: null,
  erasedOnRequest: false,
};
const contactQuery: MockLink.MockedResponse = {
  request: { query: ContactDocument, variables: { workspaceId, id: contactId } },
  result: { data: { contact } },
};

const lead = (id: string, name: string, status: string) => ({
  __typename: "Lead" as const,
  id,
  name,
  source: "FORM",
  status,
  createdAt: "2026-11-02T10:00:00Z",
});
const leadsQuery = (leads: ReturnType<typeof lead>[]): MockLink.MockedResponse => ({
  request: { query: ContactLeadsDocument, variables: { workspaceId, contactId, first: 50 } },
  result: { data: { contactLeads: leads } },
});

const entry = (id: string, kind: string, summary: string, conversationId: string | null = null) => ({
  __typename: "LeadTimelineEntry" as const,
  id,
  kind,
  at: "2026-11-27T11:00:00Z",
  summary,
  conversationId,
  messageId: conversationId === null ? null : id,
  callId: null,
  bookingId: null,
  campaignId: null,
});
const timelineQuery = (entries: ReturnType<typeof entry>[], delay = 0): MockLink.MockedResponse => ({
  request: { query: ContactTimelineDocument, variables: { workspaceId, contactId } },
  result: { data: { contactTimeline: entries } },
  delay,
});
const conversationEvent = (conversationId: string, ofContact: string, delay: number): MockLink.MockedResponse => ({
  request: { query: ContactTimelineConversationEventsDocument, variables: { workspaceId } },
  result: {
    data: {
      conversationEvents: {
        __typename: "ConversationEvent",
        type: "MESSAGE_ADDED",
        conversationId,
        conversation: {
          __typename: "Conversation",
          id: conversationId,
          leadId: null,
          contact: { __typename: "Contact", id: ofContact },
        },
      },
    },
  },
  delay,
});

/** A subscription that stays open and quiet for the whole test (no event, no "no more mocked responses"). */
const quiet = (query: MockLink.MockedResponse["request"]["query"]): MockLink.MockedResponse => ({
  request: { query, variables: { workspaceId } },
  delay: Infinity,
});
const QUIET = [
  quiet(ContactTimelineLeadEventsDocument),
  quiet(LeadTimelineBookingEventsDocument),
  quiet(ContactTimelineConversationEventsDocument),
];

const abilityOf = (role: MembershipRole, policies: readonly string[] = ROLE_POLICIES[role]) =>
  abilityFromPacked(packAbility(defineAbilityFor({ workspaceId, role, policies })));

async function open(mocks: MockLink.MockedResponse[], role: MembershipRole = "AGENT", policies?: readonly string[]) {
  const view = await renderWithApi(
    <AbilityContext.Provider value={abilityOf(role, policies)}>
      <MemoryRouter>
        <ContactDetail workspace={workspace} contactId={contactId} />
      </MemoryRouter>
    </AbilityContext.Provider>,
    [...mocks, ...QUIET],
  );
  return view;
}

const timelineItems = (view: HTMLElement) => [...view.querySelectorAll("ol[aria-label='Timeline'] > li")];
const dd = (view: HTMLElement, term: string) =>
  [...view.querySelectorAll("dt")].find((dt) => dt.textContent === term)?.nextElementSibling;

describe("ContactDetail", () => {
  it("says a person erased on request and added again is skipped by campaigns until they come back on their own", async () => {
    const view = await open([
      {
        request: { query: ContactDocument, variables: { workspaceId, id: contactId } },
        result: { data: { contact: { ...contact, erasedOnRequest: true } } },
      },
      leadsQuery([]),
      timelineQuery([]),
    ]);
    await until(() => view.querySelector("[data-testid='contact-erased']") !== null);
    const notice = view.querySelector("[data-testid='contact-erased']")!;
    expect(notice.querySelector(".badge")?.textContent).toBe("Erased on request");
    expect(notice.textContent).toContain("Campaigns skip them until they get in touch on their own again");
    expect(notice.getAttribute("role")).toBe("note");
  });

  it("shows the contact, links to its leads, and its timeline", async () => {
    const view = await open([
      contactQuery,
      leadsQuery([lead("l2", "Ana again", "QUALIFIED"), lead("l1", "Ana", "NEW")]),
      timelineQuery([
        entry("m2", "CAMPAIGN_SEND", "Campaign “Spring” sent", "k1"),
        entry("s1", "STATUS_CHANGE", "Status NEW → QUALIFIED"),
        entry("m1", "MESSAGE_IN", "Is the flat free?", "k2"),
      ]),
    ]);
    await until(() => timelineItems(view).length === 3 && view.querySelector("[data-testid='contact-leads']") !== null);
    expect(view.querySelector("h1")?.textContent).toBe("Ana Díaz");
    expect(dd(view, "E-mail")?.textContent).toBe("ana@example.com");
    expect(dd(view, "Phone")?.textContent).toBe("+34600000001");
    expect([...(dd(view, "Tags")?.querySelectorAll(".badge") ?? [])].map((b) => b.textContent)).toEqual([
      "vip",
      "madrid",
    ]);
    expect(dd(view, "WhatsApp")?.querySelector("[data-testid='contact-opted-out']")?.textContent).toContain(
      "Opted out",
    );
    const leadLinks = [...view.querySelectorAll("[data-testid='contact-leads'] a")];
    expect(leadLinks.map((a) => [a.textContent, a.getAttribute("href")])).toEqual([
      ["Ana again", "/w/acme/leads/l2"],
      ["Ana", "/w/acme/leads/l1"],
    ]);
    expect(view.querySelector("[data-testid='contact-leads']")?.textContent).toContain("Qualified");
    const items = timelineItems(view);
    expect(items.map((li) => li.getAttribute("data-kind"))).toEqual(["CAMPAIGN_SEND", "STATUS_CHANGE", "MESSAGE_IN"]);
    expect(items.map((li) => li.querySelector("strong")?.textContent)).toEqual([
      "Campaign send",
      "Status change",
      "Message received",
    ]);
    expect(items[2]?.querySelector("a")?.getAttribute("href")).toBe("/w/acme/conversations/k2");
    // A person never erased: no erasure notice.
    expect(view.querySelector("[data-testid='contact-erased']")).toBeNull();
  });

  it("leaves out the leads for a member who may not read them", async () => {
    const view = await open([contactQuery, timelineQuery([])], "AGENT", ["contact.read"]);
    await until(() => view.querySelector("[data-testid='contact-timeline-empty']") !== null);
    expect(view.querySelector("#contact-leads-title")).toBeNull();
  });

  it("says nothing has happened yet, with a next step for those who may start a campaign", async () => {
    const view = await open([contactQuery, leadsQuery([]), timelineQuery([])], "OWNER");
    await until(() => view.querySelector("[data-testid='contact-timeline-empty']") !== null);
    const empty = view.querySelector("[data-testid='contact-timeline-empty']");
    expect(empty?.textContent).toContain("Nothing has happened with this contact yet.");
    expect(empty?.querySelector("a")?.getAttribute("href")).toBe("/w/acme/campaigns");
    expect(view.querySelector("[data-testid='contact-leads']")).toBeNull();
    expect(view.textContent).toContain("No leads for this contact yet.");

    const agent = await open([contactQuery, leadsQuery([]), timelineQuery([])], "AGENT");
    await until(() => agent.querySelector("[data-testid='contact-timeline-empty']") !== null);
    expect(agent.querySelector("[data-testid='contact-timeline-empty'] a")).toBeNull();
    expect(agent.querySelector("[data-testid='contact-timeline-empty']")?.textContent).toContain(
      "their first message or call starts it",
    );
  });

  it("says so when the contact is not found", async () => {
    const view = await open([
      {
        request: { query: ContactDocument, variables: { workspaceId, id: contactId } },
        result: { errors: [new GraphQLError("Contact not found.", { extensions: { code: "NOT_FOUND" } })] },
      },
      leadsQuery([]),
    ]);
    await until(() => view.querySelector("h1")?.textContent === "Contact not found");
    expect(view.querySelector("[role='alert']")?.textContent).toContain("does not exist");
    expect(view.querySelector("button")).toBeNull();
  });

  it("offers a retry when the contact cannot be loaded, and shows it once it is", async () => {
    const view = await open([
      {
        request: { query: ContactDocument, variables: { workspaceId, id: contactId } },
        error: new Error("Network down"),
      },
      contactQuery,
      leadsQuery([]),
      timelineQuery([]),
    ]);
    await until(() => view.querySelector("[role='alert'] button") !== null);
    expect(view.querySelector("h1")?.textContent).toBe("Contact");
    await click(view.querySelector<HTMLButtonElement>("[role='alert'] button")!, () => false);
    await until(() => view.querySelector("h1")?.textContent === "Ana Díaz");
    expect(view.querySelector("h1")?.textContent).toBe("Ana Díaz");
  });

  it("refetches the timeline live when a conversation event concerns the contact", async () => {
    const view = await open(
      [
        contactQuery,
        timelineQuery([entry("m1", "MESSAGE_IN", "Hello", "k1")]),
        conversationEvent("k9", contactId, 50),
        timelineQuery([
          entry("m9", "MESSAGE_IN", "A new conversation", "k9"),
          entry("m1", "MESSAGE_IN", "Hello", "k1"),
        ]),
      ],
      "AGENT",
      ["contact.read", "conversation.read"],
    );
    await until(() => timelineItems(view).length === 2);
    expect(timelineItems(view)[0]?.textContent).toContain("A new conversation");
  });

  it("does not refetch for another contact's conversation", async () => {
    const view = await open(
      [
        contactQuery,
        timelineQuery([entry("m1", "MESSAGE_IN", "Hello", "k1")]),
        conversationEvent("k8", "someone-else", 50),
        timelineQuery([entry("m8", "MESSAGE_IN", "Not theirs", "k8"), entry("m1", "MESSAGE_IN", "Hello", "k1")]),
      ],
      "AGENT",
      ["contact.read", "conversation.read"],
    );
    await until(() => timelineItems(view).length === 1);
    await settle(600);
    expect(timelineItems(view).map((li) => li.textContent)).toEqual([expect.stringContaining("Hello")]);
  });
});
