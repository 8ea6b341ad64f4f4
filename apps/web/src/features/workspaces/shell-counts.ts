import { useQuery } from "@apollo/client/react";

import { useAbility } from "../../platform/ability.tsx";
import { useFreshRefetch, useLive } from "../../platform/live.ts";
import { ShellConversationEventsDocument, ShellCountsDocument, ShellReviewEventsDocument } from "./shell-operations.ts";

/** A list's total as the API counts it: exact up to 1,000, past that 1,001 and not exact. */
export interface ShellCount {
  readonly totalCount: number;
  readonly totalCountExact: boolean;
}

export interface ShellCounts {
  readonly unassigned: ShellCount | null;
  readonly review: ShellCount | null;
}

/**
 * The sidebar's counts, live: refetched (debounced) when a conversation or a review item changes
 * over the existing subscriptions (decision 0031) — never polled. Null where the viewer may not
 * read that list, or before the first answer.
 */
export function useShellCounts(workspaceId: string): ShellCounts {
  const ability = useAbility();
  const inbox = ability.can("read", "Conversation");
  const review = ability.can("read", "ReviewItem");
  const { data, refetch } = useQuery(ShellCountsDocument, {
    variables: { workspaceId, inbox, review },
    skip: !inbox && !review,
    fetchPolicy: "cache-and-network",
  });
  // Read again after a burst of events, and once more if a change arrived while it was in flight.
  const again = useFreshRefetch(refetch, 400).soon;
  useLive(ShellConversationEventsDocument, {
    variables: { workspaceId },
    skip: !inbox,
    onEvent: again,
    onResync: again,
  });
  useLive(ShellReviewEventsDocument, { variables: { workspaceId }, skip: !review, onEvent: again, onResync: again });
  return { unassigned: inbox ? (data?.unassigned ?? null) : null, review: review ? (data?.review ?? null) : null };
}
