/**
 * @jest-environment jsdom
 */
// The Privacy section (issue 50) in a DOM: the shared e-mail/phone rules refuse a bad address
// before anything is sent; an erasure waits for the confirmation dialog (cancel sends nothing,
// confirm sends the request); a request's state and progress are shown, and move when the live
// subscription says the job moved (no polling).
import { type MockLink } from "@apollo/client/testing";

import { defineAbilityFor, packAbility, ROLE_POLICIES, type MembershipRole } from "@atrium/policies";
import { describe, expect, it } from "@atrium/test-kit";
import { EMAIL_MESSAGES, PHONE_MESSAGES } from "@atrium/validation";

import { AbilityContext, abilityFromPacked } from "../../platform/ability.tsx";
import { button, click, describedBy, field, renderWithApi, settle, type, until } from "../../platform/testing/dom.tsx";
import {
  CreateDataSubjectRequestDocument,
  DataSubjectRequestEventsDocument,
  DataSubjectRequestsDocument,
} from "./privacy-operations.ts";
import { PrivacySection } from "./privacy-section.tsx";

const workspaceId = "w1";
const abilityOf = (role: MembershipRole) =>
  abilityFromPacked(packAbility(defineAbilityFor({ workspaceId, role, policies: ROLE_POLICIES[role] })));

const request = (
  over: Partial<{
    id: string;
    kind: string;
    status: string;
    processed: number;
    total: number;
    downloadUrl: string | null;
    error: string | null;
  }> = {},
) => ({
  __typename: "DataSubjectRequest" as const,
  id: "r1",
  kind: "ERASE",
  status: "RUNNING",
  processed: 2,
  total: 12,
  downloadUrl: null,
  error: null,
  createdAt: "2026-11-28T10:00:00.000Z",
  ...over,
});
type Row = ReturnType<typeof request>;

const listMock = (rows: Row[], maxUsageCount = 1): MockLink.MockedResponse => ({
  request: { query: DataSubjectRequestsDocument, variables: { workspaceId } },
  result: { data: { dataSubjectRequests: rows } },
  maxUsageCount,
});
/** The live subscription, open and quiet for the whole test. */
const quiet: MockLink.MockedResponse = {
  request: { query: DataSubjectRequestEventsDocument, variables: { workspaceId } },
  delay: Infinity,
};

async function renderSection(mocks: MockLink.MockedResponse[], role: MembershipRole = "OWNER") {
  await renderWithApi(
    <AbilityContext.Provider value={abilityOf(role)}>
      <PrivacySection workspaceId={workspaceId} />
    </AbilityContext.Provider>,
    mocks,
  );
  await until(
    () =>
      document.querySelector("[data-testid=privacy-requests], [data-testid=settings-privacy] .empty-state") !== null,
  );
}

/** The create mutation, counting its calls. */
function createMock(input: { kind: string; email: string | null; phone: string | null }) {
  const calls = { n: 0 };
  const mock: MockLink.MockedResponse = {
    request: { query: CreateDataSubjectRequestDocument, variables: { workspaceId, input } },
    result: () => {
      calls.n++;
      return {
        data: {
          createDataSubjectRequest: { __typename: "DataSubjectRequest", id: "r2", kind: input.kind, status: "PENDING" },
        },
      };
    },
  };
  return { mock, calls };
}

const submit = () => click(button("Create request"));
const dialog = () => document.querySelector("[role=dialog]");

describe("Privacy section", () => {
  it("refuses a bad e-mail or phone, and a request naming nobody, with the shared rules; nothing is sent", async () => {
    const { mock, calls } = createMock({ kind: "EXPORT", email: "ana@", phone: null });
    await renderSection([listMock([]), quiet, mock]);
    await submit();
    expect(describedBy(field("E-mail")).error).toBe("Give the person's e-mail or phone.");
    await type(field("E-mail"), "ana@");
    await submit();
    expect(describedBy(field("E-mail")).error).toBe(EMAIL_MESSAGES.invalid);
    expect(field("E-mail").getAttribute("aria-invalid")).toBe("true");
    await type(field("E-mail"), "");
    await type(field("Phone (with country code)"), "12");
    await submit();
    expect(describedBy(field("Phone (with country code)")).error).toBe(PHONE_MESSAGES.invalid);
    await settle(50);
    expect(calls.n).toBe(0);
  });

  it("an erasure asks first: cancel sends nothing, confirm sends the request", async () => {
    const input = { kind: "ERASE", email: "ana@example.com", phone: "+34 600 111 222" };
    const { mock, calls } = createMock(input);
    await renderSection([
      listMock([], 1),
      quiet,
      mock,
      listMock([request({ id: "r2", status: "PENDING", processed: 0, total: 0 })]),
    ]);
    await type(field("Request"), "ERASE");
    await type(field("E-mail"), input.email);
    await type(field("Phone (with country code)"), input.phone);
    await submit();
    await until(() => dialog() !== null);
    expect(dialog()!.textContent).toContain("Erase this person's data?");
    expect(dialog()!.textContent).toContain("ana@example.com");

    await click(button("Cancel"));
    await until(() => dialog() === null);
    await settle(50);
    expect(dialog()).toBeNull();
    expect(calls.n).toBe(0);
    // The form keeps what was typed.
    expect((field("E-mail") as HTMLInputElement).value).toBe(input.email);

    await submit();
    await until(() => dialog() !== null);
    await click(button("Erase their data"));
    await until(() => calls.n === 1 && dialog() === null);
    expect(calls.n).toBe(1);
    expect(document.querySelector("[data-testid=settings-privacy] [role=status]")?.textContent).toBe(
      "Request created; it runs in the background.",
    );
    await until(() => document.querySelector("[data-testid=privacy-requests]") !== null);
    expect(document.querySelector("[data-testid=privacy-requests]")!.textContent).toContain("Queued");
  });

  it("shows a request's state and progress, and follows the job live: an event refetches the list", async () => {
    const event: MockLink.MockedResponse = {
      request: { query: DataSubjectRequestEventsDocument, variables: { workspaceId } },
      result: { data: { dataSubjectRequestEvents: { __typename: "DataSubjectRequest", id: "r1" } } },
      delay: 100,
    };
    const done = request({
      kind: "EXPORT",
      status: "COMPLETED",
      processed: 12,
      total: 12,
      downloadUrl: "https://atrium.example/api/privacy/exports/w1/r1?expires=1&sig=x",
    });
    await renderSection([listMock([request({ kind: "EXPORT" })]), event, listMock([done])]);
    const item = () => document.querySelector("[data-testid=privacy-requests] li")!;
    expect(item().textContent).toContain("Export their data");
    expect(item().textContent).toContain("Running");
    expect(item().textContent).toContain("2 of 12 steps");
    const bar = item().querySelector("progress")!;
    expect([bar.value, bar.max]).toEqual([2, 12]);

    await until(() => item().getAttribute("data-status") === "COMPLETED");
    expect(item().textContent).toContain("Done");
    expect(item().querySelector("progress")).toBeNull();
    expect(item().querySelector("a")?.getAttribute("href")).toBe(done.downloadUrl);
  });
});
