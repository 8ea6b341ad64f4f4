// The pagination arguments (cursor.ts's `pageRequest`): which way a page goes, its size and its
// cursor, and what is refused before any SQL runs.
import { describe, expect, it } from "@atrium/test-kit";

import { AppError } from "../errors.ts";
import {
  DEFAULT_PAGE,
  encodeCursor,
  FIRST_AND_LAST,
  keyset,
  MIXED_DIRECTIONS,
  pageRequest,
  type PageArgs,
} from "./cursor.ts";

const ID = "0b6f4d6e-2a57-4c3e-9d43-9f1f6b1c2a10";
const cursor = encodeCursor(new Date("2026-11-27T10:00:00.000Z"), ID);
const refusal = (args: PageArgs) => {
  try {
    pageRequest(args);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    return { code: e.code, ...(e.extensions as { reason?: string; fields?: Record<string, string> }) };
  }
  throw new Error("not refused");
};

describe("page requests", () => {
  it("page forwards with first/after (or nothing), backwards with last/before (either alone)", () => {
    expect(pageRequest({})).toEqual({ take: DEFAULT_PAGE, backward: false, cursor: null, cursorArg: "after" });
    expect(pageRequest({ first: 5, after: cursor })).toEqual({ take: 5, backward: false, cursor, cursorArg: "after" });
    expect(pageRequest({ last: 5 })).toEqual({ take: 5, backward: true, cursor: null, cursorArg: "before" });
    expect(pageRequest({ before: cursor })).toEqual({
      take: DEFAULT_PAGE,
      backward: true,
      cursor,
      cursorArg: "before",
    });
  });

  it("refuse first with last, and a cursor for the other direction, with their reasons", () => {
    expect(refusal({ first: 1, last: 1 })).toMatchObject({ code: "BAD_USER_INPUT", reason: FIRST_AND_LAST });
    expect(refusal({ last: 1, after: cursor })).toMatchObject({
      code: "BAD_USER_INPUT",
      reason: MIXED_DIRECTIONS,
      fields: { after: "with last" },
    });
    expect(refusal({ first: 1, before: cursor })).toMatchObject({
      code: "BAD_USER_INPUT",
      reason: MIXED_DIRECTIONS,
      fields: { before: "with first" },
    });
    expect(refusal({ after: cursor, before: cursor })).toMatchObject({
      code: "BAD_USER_INPUT",
      reason: MIXED_DIRECTIONS,
      fields: { before: "with after" },
    });
    expect(refusal({ last: 101 })).toMatchObject({ code: "BAD_USER_INPUT", fields: { last: "out of range" } });
    expect(refusal({ first: 0 })).toMatchObject({ code: "BAD_USER_INPUT", fields: { first: "out of range" } });
  });

  it("a backward keyset reverses the list's order and the cursor's comparison (newest first, or oldest first)", () => {
    const at = new Date("2026-11-27T10:00:00.000Z");
    expect(keyset(pageRequest({ last: 2, before: cursor }))).toEqual({
      where: { OR: [{ createdAt: { gt: at } }, { createdAt: at, id: { gt: ID } }] },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    expect(keyset(pageRequest({ first: 2, after: cursor }))).toEqual({
      where: { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: ID } }] },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    expect(keyset(pageRequest({ last: 2 }), { ascending: true, key: "lastActivityAt" })).toEqual({
      where: {},
      orderBy: [{ lastActivityAt: "desc" }, { id: "desc" }],
    });
  });
});
