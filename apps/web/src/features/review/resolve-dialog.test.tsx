/**
 * @jest-environment jsdom
 */
// The Resolve dialog in a DOM (jsdom): a usual outcome is one click, a written-out one is
// required and checked as the API checks it, and a lost race is handed to the page.
import { type MockLink } from "@apollo/client/testing";
import { GraphQLError } from "graphql";

import { describe, expect, it } from "@atrium/test-kit";

import { button, click, describedBy, field, renderWithApi, type } from "../../platform/testing/dom.tsx";
import { ResolveReviewItemDocument } from "./operations.ts";
import { ResolveDialog } from "./resolve-dialog.tsx";
import { OTHER_OUTCOME, RESOLVE_MESSAGES } from "./resolve-form.ts";
import { type ReviewItem } from "./review-queue.ts";

const item: ReviewItem = {
  __typename: "ReviewItem",
  id: "i1",
  reason: "SAFETY_FLAG",
  status: "OPEN",
  summary: '"Legal threat" flagged: "lawyer" in an inbound message.',
  excerpt: "My lawyer will call you",
  messageId: "m1",
  conversation: null,
  rule: { __typename: "SafetyRuleRef", id: "r1", name: "Legal threat" },
  claimedBy: null,
  claimedAt: null,
  resolvedBy: null,
  resolvedAt: null,
  outcome: null,
  note: null,
  createdAt: "2026-11-27T10:00:00.000Z",
};
const resolved: ReviewItem = {
  ...item,
  status: "RESOLVED",
  outcome: "Called the lead back",
  note: "All good.",
  resolvedAt: "2026-11-27T10:05:00.000Z",
};

async function renderDialog(mocks: MockLink.MockedResponse[] = []) {
  const seen = { resolved: [] as ReviewItem[], conflicts: 0 };
  await renderWithApi(
    <ResolveDialog
      workspaceId="w1"
      item={item}
      onClose={() => undefined}
      onResolved={(answer) => seen.resolved.push(answer)}
      onConflict={() => (seen.conflicts += 1)}
    />,
    mocks,
  );
  return seen;
}

describe("resolve a review item", () => {
  it("asks for the outcome when Other is chosen and nothing is written, and sends nothing", async () => {
    const seen = await renderDialog();
    expect(field("Outcome").value).toBe("Handled with the lead");
    await type(field("Outcome"), OTHER_OUTCOME);
    await click(button("Resolve"));
    expect(describedBy(field("What was the outcome?")).error).toBe(RESOLVE_MESSAGES.outcomeRequired);
    expect(seen.resolved).toEqual([]);
  });

  it("sends a written-out outcome and the note, trimmed", async () => {
    const seen = await renderDialog([
      {
        request: {
          query: ResolveReviewItemDocument,
          variables: { workspaceId: "w1", id: "i1", outcome: "Called the lead back", note: "All good." },
        },
        delay: 0,
        result: { data: { resolveReviewItem: resolved } },
      },
    ]);
    await type(field("Outcome"), OTHER_OUTCOME);
    await type(field("What was the outcome?"), " Called the lead back ");
    await type(field("Note (optional)"), "All good. ");
    await click(button("Resolve"));
    expect(seen.resolved.map((answer) => answer.status)).toEqual(["RESOLVED"]);
  });

  it("hands a lost race (CONFLICT) to the page", async () => {
    const seen = await renderDialog([
      {
        request: {
          query: ResolveReviewItemDocument,
          variables: { workspaceId: "w1", id: "i1", outcome: "False alarm", note: null },
        },
        delay: 0,
        result: {
          errors: [
            new GraphQLError("Someone else holds this item.", {
              extensions: { code: "CONFLICT", fields: { id: "claimed" } },
            }),
          ],
        },
      },
    ]);
    await type(field("Outcome"), "False alarm");
    await click(button("Resolve"));
    expect(seen.conflicts).toBe(1);
    expect(seen.resolved).toEqual([]);
  });
});
