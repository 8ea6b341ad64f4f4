/**
 * The console's transcript: messages, the team's private guidance notes, who did what (the
 * conversation's activity) and transfers of a live call, in time order. Each arrives from its
 * own query; this puts them on one line of time.
 */

interface Timed {
  readonly id: string;
  readonly createdAt: string;
}

export type TimelineEntry<
  M extends Timed,
  N extends Timed,
  A extends Timed & { readonly action: string },
  C extends Timed & { readonly kind: string },
> =
  | { readonly kind: "message"; readonly key: string; readonly at: string; readonly message: M }
  | { readonly kind: "note"; readonly key: string; readonly at: string; readonly note: N }
  | { readonly kind: "activity"; readonly key: string; readonly at: string; readonly activity: A }
  | { readonly kind: "transfer"; readonly key: string; readonly at: string; readonly action: C };

/**
 * Activity the transcript shows another way: a note is its own entry (not "Ana added guidance"),
 * and joining a call is the transfer request, which carries its status.
 */
const SHOWN_ELSEWHERE = new Set(["conversation.guidance_added", "conversation.call_joined"]);

/** Same moment: what was done comes before what was said after it (a takeover before the reply). */
const KIND_ORDER = { activity: 0, transfer: 1, note: 2, message: 3 } as const;

const time = (iso: string) => {
  const value = Date.parse(iso);
  return Number.isNaN(value) ? 0 : value;
};

export function buildTimeline<
  M extends Timed,
  N extends Timed,
  A extends Timed & { readonly action: string },
  C extends Timed & { readonly kind: string },
>(input: {
  readonly messages: readonly M[];
  readonly notes: readonly N[];
  readonly activity: readonly A[];
  readonly callActions: readonly C[];
  /**
   * Later messages exist but are not loaded yet: notes and activity after the last loaded
   * message wait for them, so nothing appears out of order above messages still to come.
   */
  readonly moreMessagesAfter?: boolean;
}): TimelineEntry<M, N, A, C>[] {
  const transfers = input.callActions.filter((action) => action.kind === "TRANSFER");
  const entries: TimelineEntry<M, N, A, C>[] = [
    ...input.messages.map((message) => ({
      kind: "message" as const,
      key: `message:${message.id}`,
      at: message.createdAt,
      message,
    })),
    ...input.notes.map((note) => ({ kind: "note" as const, key: `note:${note.id}`, at: note.createdAt, note })),
    ...input.activity
      .filter(
        (activity) =>
          !SHOWN_ELSEWHERE.has(activity.action) ||
          (activity.action === "conversation.call_joined" && transfers.length === 0),
      )
      .map((activity) => ({
        kind: "activity" as const,
        key: `activity:${activity.id}`,
        at: activity.createdAt,
        activity,
      })),
    ...transfers.map((action) => ({
      kind: "transfer" as const,
      key: `transfer:${action.id}`,
      at: action.createdAt,
      action,
    })),
  ];
  const lastMessage = input.messages.at(-1);
  const cutoff =
    input.moreMessagesAfter === true && lastMessage !== undefined ? time(lastMessage.createdAt) : undefined;
  // Array.prototype.sort is stable: within one kind and moment, the API's own order stays.
  return entries
    .filter((entry) => cutoff === undefined || entry.kind === "message" || time(entry.at) <= cutoff)
    .sort((a, b) => time(a.at) - time(b.at) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}
