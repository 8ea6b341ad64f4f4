import { describe, expect, it } from "@atrium/test-kit";

import { buildTimeline } from "./timeline.ts";

const at = (minute: number) => `2026-11-27T10:${String(minute).padStart(2, "0")}:00.000Z`;
const message = (id: string, minute: number) => ({ id, createdAt: at(minute) });
const note = (id: string, minute: number) => ({ id, createdAt: at(minute) });
const activity = (id: string, minute: number, action: string) => ({ id, createdAt: at(minute), action });
const callAction = (id: string, minute: number, kind: string) => ({ id, createdAt: at(minute), kind });

const keys = (entries: readonly { key: string }[]) => entries.map((entry) => entry.key);

describe("the console's transcript", () => {
  it("interleaves messages, notes and activity in time order", () => {
    const entries = buildTimeline({
      messages: [message("m1", 1), message("m2", 5), message("m3", 9)],
      notes: [note("n1", 6)],
      activity: [activity("a1", 3, "conversation.takeover_started"), activity("a2", 10, "conversation.closed")],
      callActions: [],
    });
    expect(keys(entries)).toEqual(["message:m1", "activity:a1", "message:m2", "note:n1", "message:m3", "activity:a2"]);
  });

  it("puts what was done before what was said at the same moment (a takeover before the reply)", () => {
    const entries = buildTimeline({
      messages: [message("m1", 2)],
      notes: [note("n1", 2)],
      activity: [activity("a1", 2, "conversation.takeover_started")],
      callActions: [],
    });
    expect(keys(entries)).toEqual(["activity:a1", "note:n1", "message:m1"]);
  });

  it('shows a note once (not also as "added guidance") and a call join as its transfer, which carries the status', () => {
    const entries = buildTimeline({
      messages: [],
      notes: [note("n1", 1)],
      activity: [activity("a1", 1, "conversation.guidance_added"), activity("a2", 4, "conversation.call_joined")],
      callActions: [callAction("c1", 1, "GUIDANCE"), callAction("c2", 4, "TRANSFER")],
    });
    expect(keys(entries)).toEqual(["note:n1", "transfer:c2"]);
  });

  it("keeps the call join as activity when its transfer request is not known", () => {
    const entries = buildTimeline({
      messages: [],
      notes: [],
      activity: [activity("a1", 4, "conversation.call_joined")],
      callActions: [],
    });
    expect(keys(entries)).toEqual(["activity:a1"]);
  });

  it("holds back notes and activity newer than the last loaded message while later messages are not loaded", () => {
    const input = {
      messages: [message("m1", 1), message("m2", 3)],
      notes: [note("n1", 2), note("n2", 8)],
      activity: [activity("a1", 9, "conversation.closed")],
      callActions: [],
    };
    expect(keys(buildTimeline({ ...input, moreMessagesAfter: true }))).toEqual(["message:m1", "note:n1", "message:m2"]);
    expect(keys(buildTimeline({ ...input, moreMessagesAfter: false }))).toEqual([
      "message:m1",
      "note:n1",
      "message:m2",
      "note:n2",
      "activity:a1",
    ]);
  });
});
