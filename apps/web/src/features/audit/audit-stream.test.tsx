/**
 * @jest-environment jsdom
 */
// The audit page's "Streaming" card (issue 50) in a DOM: a stream that is set up is folded to one
// line (state and summary) and opens on demand; a failing stream shows its error and its next
// attempt; a reader without workspace.settings sees the status but no controls; setting up a
// stream shows the signing secret once; a live event refetches the status (nothing is polled).
import { type MockLink } from "@apollo/client/testing";

import { defineAbilityFor, packAbility, ROLE_POLICIES, type MembershipRole } from "@atrium/policies";
import { describe, expect, it } from "@atrium/test-kit";

import { type AuditStreamQuery } from "../../gql/graphql.ts";
import { AbilityContext, abilityFromPacked } from "../../platform/ability.tsx";
import { button, click, field, renderWithApi, type, until } from "../../platform/testing/dom.tsx";
import { AuditStreamCard } from "./audit-stream.tsx";
import { AuditStreamDocument, AuditStreamEventsDocument, SetAuditStreamDocument } from "./operations.ts";

const workspaceId = "w1";
const abilityOf = (role: MembershipRole, policies: readonly string[] = ROLE_POLICIES[role]) =>
  abilityFromPacked(packAbility(defineAbilityFor({ workspaceId, role, policies })));

type StreamData = Omit<NonNullable<AuditStreamQuery["auditStream"]>, "__typename"> & { __typename: "AuditStream" };

const failing: StreamData = {
  __typename: "AuditStream",
  id: "s1",
  url: "https://siem.example.com/atrium",
  enabled: true,
  state: "FAILING",
  lastDeliveredEventAt: "2026-11-28T10:00:00.000Z",
  lastDeliveredAt: "2026-11-28T10:00:01.000Z",
  deliveredEvents: 42,
  pendingEvents: 7,
  pendingEventsCapped: false,
  lagSeconds: 95,
  lastError: "The endpoint answered HTTP 503.",
  lastAttemptAt: "2026-11-28T10:01:00.000Z",
  consecutiveFailures: 3,
  nextAttemptAt: "2026-11-28T10:04:00.000Z",
  previousSecretExpiresAt: null,
};

const statusMock = (auditStream: StreamData | null, maxUsageCount = 10): MockLink.MockedResponse => ({
  request: { query: AuditStreamDocument, variables: { workspaceId } },
  result: { data: { auditStream } },
  maxUsageCount,
});
/** The live subscription, open and quiet for the whole test. */
const quiet: MockLink.MockedResponse = {
  request: { query: AuditStreamEventsDocument, variables: { workspaceId } },
  delay: Infinity,
};

async function renderCard(
  role: MembershipRole,
  policies: readonly string[] | undefined,
  mocks: MockLink.MockedResponse[],
) {
  await renderWithApi(
    <AbilityContext.Provider value={abilityOf(role, policies)}>
      <AuditStreamCard workspaceId={workspaceId} />
    </AbilityContext.Provider>,
    mocks.some((m) => m.request.query === AuditStreamEventsDocument) ? mocks : [...mocks, quiet],
  );
  await until(() => document.querySelector("[data-testid=audit-stream] dl, .empty-state") !== null);
}

const toggle = () => document.querySelector<HTMLButtonElement>("[data-testid=audit-stream-toggle]");
const body = () => document.getElementById(toggle()!.getAttribute("aria-controls")!)!;

describe("audit streaming card", () => {
  it("a stream that is set up is folded to one line with its state and what matters now, and opens on demand", async () => {
    await renderCard("ADMIN", undefined, [statusMock(failing)]);
    await until(() => toggle() !== null);
    expect(toggle()!.getAttribute("aria-expanded")).toBe("false");
    expect(toggle()!.textContent).toBe("Details and settings");
    expect(body().hidden).toBe(true);
    const summary = document.querySelector("[data-testid=audit-stream-summary]")!;
    expect(document.querySelector("[data-testid=audit-stream] h2")!.textContent).toContain("Failing");
    expect(summary.textContent).toContain("https://siem.example.com/atrium");
    expect(summary.textContent).toContain("The endpoint answered HTTP 503.");
    await click(toggle()!);
    expect(toggle()!.getAttribute("aria-expanded")).toBe("true");
    expect(body().hidden).toBe(false);
    expect(document.querySelector("[data-testid=audit-stream-summary]")).toBeNull();
    await click(button("Hide details"));
    expect(body().hidden).toBe(true);
  });

  it("nothing set up: the card is open (the form to set one up), with nothing to fold", async () => {
    await renderCard("OWNER", undefined, [statusMock(null)]);
    expect(toggle()).toBeNull();
    expect(field("Endpoint URL")).toBeDefined();
    expect((field("Endpoint URL") as HTMLElement).closest("[hidden]")).toBeNull();
  });

  it("follows the stream live: an event refetches its status", async () => {
    const delivered: StreamData = {
      ...failing,
      state: "UP_TO_DATE",
      consecutiveFailures: 0,
      lastError: null,
      nextAttemptAt: null,
      pendingEvents: 0,
      lagSeconds: 0,
      deliveredEvents: 49,
    };
    await renderCard("ADMIN", undefined, [
      statusMock(failing, 1),
      {
        request: { query: AuditStreamEventsDocument, variables: { workspaceId } },
        result: { data: { auditStreamEvents: { __typename: "AuditStreamEvent", type: "UPDATED" } } },
        delay: 100,
      },
      statusMock(delivered),
    ]);
    expect(document.querySelector("[data-testid=audit-stream] h2")!.textContent).toContain("Failing");
    await until(() => document.querySelector("[data-testid=audit-stream] h2")!.textContent.includes("Up to date"));
    expect(document.querySelector("[data-testid=audit-stream] h2")!.textContent).toContain("Up to date");
    expect(document.querySelector("[data-testid=audit-stream-summary]")!.textContent).not.toContain("503");
  });

  it("shows a failing stream's error, failures in a row and next attempt, and offers to retry now", async () => {
    await renderCard("ADMIN", undefined, [statusMock(failing)]);
    await click(toggle()!);
    const card = document.querySelector("[data-testid=audit-stream]")!;
    expect(card.textContent).toContain("Failing");
    expect(card.textContent).toContain("The endpoint answered HTTP 503. (3 failed attempts in a row");
    expect(card.textContent).toContain("Next attempt at");
    expect(card.textContent).toContain("7 events, oldest 95 s old");
    expect(button("Retry now")).toBeDefined();
    expect(button("Rotate secret")).toBeDefined();
    expect(button("Send test batch")).toBeDefined();
  });

  it("a reader without workspace.settings sees the status, not the controls", async () => {
    await renderCard("AGENT", ["audit.read"], [statusMock(failing)]);
    expect(toggle()!.textContent).toBe("Details");
    await click(toggle()!);
    expect(document.querySelector("[data-testid=audit-stream]")!.textContent).toContain(
      "https://siem.example.com/atrium",
    );
    expect(() => button("Rotate secret")).toThrow();
    expect(() => field("New endpoint URL")).toThrow();
  });

  it("setting up a stream shows its signing secret once", async () => {
    const created: StreamData = {
      ...failing,
      state: "UP_TO_DATE",
      consecutiveFailures: 0,
      lastError: null,
      nextAttemptAt: null,
      pendingEvents: 0,
      lagSeconds: 0,
    };
    await renderCard("OWNER", undefined, [
      statusMock(null),
      {
        request: {
          query: SetAuditStreamDocument,
          variables: { workspaceId, input: { url: "https://siem.example.com/atrium", enabled: true } },
        },
        result: {
          data: {
            setAuditStream: { __typename: "CreatedAuditStream", secret: "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0" },
          },
        },
      },
      statusMock(created),
    ]);
    expect(document.querySelector("[data-testid=audit-stream]")!.textContent).toContain("No stream is set up.");
    await type(field("Endpoint URL"), "https://siem.example.com/atrium");
    await click(button("Set up streaming"));
    await until(() => document.querySelector("[data-testid=audit-stream-secret]") !== null);
    expect((document.querySelector("[data-testid=audit-stream-secret]") as HTMLInputElement).value).toBe(
      "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0",
    );
    expect(document.body.textContent).toContain("shown only once");
  });
});
