// Sorted lists' cursors (order.ts): what a forged or foreign cursor gets before any SQL runs.
import { describe, expect, it } from "@atrium/test-kit";

import { AppError } from "../errors.ts";
import { CURSOR_ORDER_MISMATCH, decodeOrderCursor, encodeOrderCursor } from "./order.ts";

const ID = "0b6f4d6e-2a57-4c3e-9d43-9f1f6b1c2a10";
const text = (raw: string) => raw;
const forged = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString("base64url");
const reasonOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    return [e.code, (e.extensions as { reason?: string }).reason ?? null];
  }
  throw new Error("no error thrown");
};

describe("sorted cursors", () => {
  it("round-trip under their own order, a value or none", () => {
    expect(decodeOrderCursor(encodeOrderCursor("lead:NAME:ASC", "Zoë", ID), "lead:NAME:ASC", text, true)).toEqual({
      value: "Zoë",
      id: ID,
    });
    expect(decodeOrderCursor(encodeOrderCursor("lead:EMAIL:DESC", null, ID), "lead:EMAIL:DESC", text, true)).toEqual({
      value: null,
      id: ID,
    });
  });

  it("refuse another order's cursor with its reason, and a newest-first cursor too", () => {
    expect(
      reasonOf(() => decodeOrderCursor(encodeOrderCursor("lead:NAME:ASC", "a", ID), "lead:NAME:DESC", text, true)),
    ).toEqual(["BAD_USER_INPUT", CURSOR_ORDER_MISMATCH]);
    const newestFirst = Buffer.from(`2026-11-27T10:00:00.000Z|${ID}`).toString("base64url");
    expect(reasonOf(() => decodeOrderCursor(newestFirst, "lead:NAME:ASC", text, true))).toEqual([
      "BAD_USER_INPUT",
      CURSOR_ORDER_MISMATCH,
    ]);
  });

  it("refuse forged cursors as invalid: a NUL in the value (PostgreSQL text cannot hold one), no value for a column never empty, a bad id", () => {
    expect(
      reasonOf(() => decodeOrderCursor(forged(["o", "lead:NAME:ASC", "a\u0000b", ID]), "lead:NAME:ASC", text, true)),
    ).toEqual(["BAD_USER_INPUT", null]);
    expect(
      reasonOf(() =>
        decodeOrderCursor(forged(["o", "lead:CREATED_AT:ASC", null, ID]), "lead:CREATED_AT:ASC", text, false),
      ),
    ).toEqual(["BAD_USER_INPUT", null]);
    expect(
      reasonOf(() => decodeOrderCursor(forged(["o", "lead:NAME:ASC", "a", "not-a-uuid"]), "lead:NAME:ASC", text, true)),
    ).toEqual(["BAD_USER_INPUT", null]);
  });
});
