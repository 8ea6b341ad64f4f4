/**
 * The review queue as a page reads it: the filtered list, "Load more", and live changes. Each
 * event (and each action's answer) is placed in the list on screen by `applyReviewEvent` — the
 * item itself is already updated in the cache by its id — so nothing is polled and the pages
 * loaded stay loaded. After a cut subscription the list is read again (events may be lost).
 */
import { useQuery } from "@apollo/client/react";
import { useState } from "react";

import { useFreshRefetch, useLive } from "../../platform/live.ts";
import { ReviewItemsDocument, ReviewQueueEventsDocument } from "./operations.ts";
import {
  appendReviewPage,
  applyReviewEvent,
  reviewVariables,
  type ReviewFilter,
  type ReviewItem,
} from "./review-queue.ts";

export function useReviewQueue(workspaceId: string, filter: ReviewFilter) {
  const variables = reviewVariables(workspaceId, filter);
  const { data, error, loading, refetch, fetchMore, updateQuery } = useQuery(ReviewItemsDocument, {
    variables,
    fetchPolicy: "cache-and-network",
    notifyOnNetworkStatusChange: true,
  });
  const [loadingMore, setLoadingMore] = useState(false);
  // A read of the list that was in flight when a change arrived is done again (its answer may
  // predate the change and would put the item back as it was).
  const reader = useFreshRefetch(refetch, 500);
  const refetchSoon = reader.soon;

  /** Puts a changed item where the filter says it belongs in the list on screen. */
  const place = (item: ReviewItem) => {
    updateQuery((_, { complete, previousData }) => {
      // The list is still loading (a filter just changed): its answer may predate this change, so
      // it is read again once more rather than dropping the change.
      if (!complete) {
        refetchSoon();
        return undefined;
      }
      const next = applyReviewEvent(previousData.reviewItems, item, filter);
      return next === previousData.reviewItems ? undefined : { ...previousData, reviewItems: next };
    });
  };

  useLive(ReviewQueueEventsDocument, {
    variables: { workspaceId },
    onEvent: ({ reviewQueueEvents }) => place(reviewQueueEvents),
    onResync: refetchSoon,
  });

  const loadMore = async () => {
    const after = data?.reviewItems.pageInfo.endCursor;
    if (after == null) return;
    setLoadingMore(true);
    try {
      await fetchMore({
        variables: { after },
        updateQuery: (previous, { fetchMoreResult }) => ({
          ...previous,
          reviewItems: appendReviewPage(previous.reviewItems, fetchMoreResult.reviewItems),
        }),
      });
    } finally {
      setLoadingMore(false);
    }
  };

  return { list: data?.reviewItems, error, loading, loadingMore, refetch, loadMore, place, refetchSoon };
}
